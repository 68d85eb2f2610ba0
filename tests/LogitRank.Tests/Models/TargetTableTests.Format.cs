using System.Globalization;
using System.Text;
using LogitRank.Models;
using LogitRank.Sequences;

namespace LogitRank.Tests.Models;

/// <content>
/// The checks of the table format that name the field at fault: a document that is not an object, a header field that
/// is missing or of the wrong JSON kind, a key that is not canonical decimal (empty token, leading zero, trailing
/// character), and a row whose log-sum-exp is at or just past <see cref="TargetTable.RowTolerance"/>.
/// </content>
public partial class TargetTableTests
{
    /// <summary>The table of a random k = 2, T = 3 model (keys up to length 2, such as <c>"0,1"</c>).</summary>
    private static string DeeperTable()
    {
        using var stream = new MemoryStream();
        TargetTable.Save(TabularModel.Random(2, 3, seed: 2), stream);
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    [Theory]
    [InlineData("[1,2]", "Array")]
    [InlineData("\"table\"", "String")]
    [InlineData("null", "Null")]
    public void A_document_that_is_not_an_object_is_named_as_the_whole_document(string json, string kind)
    {
        var e = Assert.Throws<TargetTableFormatException>(() => LoadText(json));
        Assert.Equal("$", e.Field);
        Assert.Contains($"expected a JSON object; got {kind}", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"kind\":\"table\",", "kind")]
    [InlineData("\"k\":2,", "k")]
    public void A_missing_header_field_is_named_and_said_to_be_missing(string field, string name)
    {
        var json = SmallTable();
        Assert.Contains(field, json, StringComparison.Ordinal);
        var e = Assert.Throws<TargetTableFormatException>(() => LoadText(json.Replace(field, string.Empty, StringComparison.Ordinal)));
        Assert.Equal(name, e.Field);
        Assert.EndsWith($"'{name}': missing.", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"format\":\"logitrank-target/1\"", "\"format\":1", "format", "expected a JSON String; got Number")]
    [InlineData("\"k\":2", "\"k\":\"2\"", "k", "expected a JSON Number; got String")]
    [InlineData("\"T\":2", "\"T\":[2]", "T", "expected a JSON Number; got Array")]
    [InlineData("\"logprobs\":{", "\"logprobs\":[],\"x\":{", "logprobs", "expected a JSON Object; got Array")]
    public void A_header_field_of_the_wrong_json_kind_is_named_with_both_kinds(string find, string replace, string field, string detail)
    {
        var json = SmallTable();
        Assert.Contains(find, json, StringComparison.Ordinal);
        var e = Assert.Throws<TargetTableFormatException>(() => LoadText(json.Replace(find, replace, StringComparison.Ordinal)));
        Assert.Equal(field, e.Field);
        Assert.Contains(detail, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(",\"1\":[", ",\"01\":[", "01")]
    [InlineData(",\"1\":[", ",\"1\\u0000\":[", "1\0")]
    [InlineData(",\"1\":[", ",\"1 \":[", "1 ")]
    public void A_one_token_key_that_is_not_canonical_decimal_is_named(string find, string replace, string key)
    {
        // "01", "1\0" and "1 " would all parse as the token 1 with a lenient integer parser; the format allows only
        // canonical decimal, so each is refused by name even though no other key is "1".
        var json = SmallTable();
        Assert.Contains(find, json, StringComparison.Ordinal);
        var e = Assert.Throws<TargetTableFormatException>(() => LoadText(json.Replace(find, replace, StringComparison.Ordinal)));
        Assert.Equal($"logprobs[\"{key}\"]", e.Field);
        Assert.Contains($"token 0 is '{key}'", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0,", 1)]
    [InlineData(",1", 0)]
    public void A_key_with_an_empty_token_is_named(string key, int token)
    {
        var json = DeeperTable();
        Assert.Contains("\"0,1\":[", json, StringComparison.Ordinal);
        var e = Assert.Throws<TargetTableFormatException>(() => LoadText(json.Replace("\"0,1\":[", $"\"{key}\":[", StringComparison.Ordinal)));
        Assert.Equal($"logprobs[\"{key}\"]", e.Field);
        Assert.Contains($"token {token} is ''", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_row_whose_log_sum_exp_is_exactly_the_tolerance_is_accepted_and_one_ulp_more_is_refused()
    {
        // Row "0" = (x, -1000): exp(-1000 - x) underflows to 0, so the log-sum-exp is x + log(1 + 0) = x exactly.
        string Row(double x) => SmallTable(j => j.Replace(
            $"\"0\":[{Math.Log(0.5).ToString("R", CultureInfo.InvariantCulture)},{Math.Log(0.5).ToString("R", CultureInfo.InvariantCulture)}]",
            $"\"0\":[{x.ToString("R", CultureInfo.InvariantCulture)},-1000]",
            StringComparison.Ordinal));

        // Accepted and renormalised: token 0 has probability 1 - e^-1000, i.e. 1 to any precision.
        Assert.Equal(1.0, LoadText(Row(TargetTable.RowTolerance)).NextTokenProbabilities(Prefix.Of(0))[0], 12);
        Assert.Equal(1.0, LoadText(Row(-TargetTable.RowTolerance)).NextTokenProbabilities(Prefix.Of(0))[0], 12);

        var beyond = Assert.Throws<TargetTableFormatException>(() => LoadText(Row(Math.BitIncrement(TargetTable.RowTolerance))));
        Assert.Equal("logprobs[\"0\"]", beyond.Field);
        Assert.Contains("log-sum-exp", beyond.Message, StringComparison.Ordinal);
    }
}
