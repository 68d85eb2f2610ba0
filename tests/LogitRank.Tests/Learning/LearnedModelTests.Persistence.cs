using System.Text.RegularExpressions;
using LogitRank.Learning;
using LogitRank.Models;
using LogitRank.Oracles;
using LogitRank.Sequences;
using LogitRank.Tests.Learning;

namespace LogitRank.Tests.Learning;

/// <summary>
/// The JSON reader of <see cref="LearnedModel"/> names the exact field it rejects (including array indices), accepts the
/// edges of every documented range, and the writer and reader check their arguments.
/// </summary>
public partial class LearnedModelTests
{
    private static string HandJson() => LearnedModelTests.HandModel(FallbackPolicy.Uniform).ToJson();

    [Theory]
    [InlineData("\"format\":\"LogitRank.LearnedModel\",", "format")]
    [InlineData("\"version\":2,", "version")]
    [InlineData("\"alphabetSize\":2,", "alphabetSize")]
    [InlineData("\"horizon\":3,", "horizon")]
    [InlineData("\"beta\":2,", "beta")]
    [InlineData("\"fallback\":\"Uniform\",", "fallback")]
    [InlineData(",\"cuts\":[", "cuts")]
    public void A_missing_top_level_field_is_named(string remove, string field)
    {
        var json = HandJson();
        Assert.Contains(remove, json, StringComparison.Ordinal);
        // Removing ",\"cuts\":[" leaves the rest of the array dangling; re-close it so the JSON stays well formed.
        var broken = field == "cuts"
            ? json[..json.IndexOf(remove, StringComparison.Ordinal)] + "}"
            : json.Replace(remove, string.Empty, StringComparison.Ordinal);
        var e = Assert.Throws<LearnedModelFormatException>(() => LearnedModel.FromJson(broken));
        Assert.Equal(field, e.Field);
    }

    [Theory]
    [InlineData("version", "1.5")]           // not an integer
    [InlineData("alphabetSize", "2.5")]      // not an integer
    [InlineData("horizon", "30000000000")]   // not a 32-bit integer
    [InlineData("beta", "1e400")]            // not a finite double
    [InlineData("lpTolerance", "1e400")]     // not a finite double
    public void A_number_of_the_wrong_kind_is_named(string field, string bad)
    {
        // The field is present and a JSON number, so the message comes from the integer or finite-number check,
        // which must name the same field as the presence check.
        var value = new Regex($"\"{field}\":[^,]*,", RegexOptions.None, TimeSpan.FromSeconds(1));
        var json = HandJson();
        Assert.Matches(value, json);
        var e = Assert.Throws<LearnedModelFormatException>(() => LearnedModel.FromJson(value.Replace(json, $"\"{field}\":{bad},", 1)));
        Assert.Equal(field, e.Field);
    }

    [Fact]
    public void A_missing_lp_tolerance_is_named()
    {
        var value = new Regex("\"lpTolerance\":[^,]*,", RegexOptions.None, TimeSpan.FromSeconds(1));
        var json = HandJson();
        Assert.Matches(value, json);
        var e = Assert.Throws<LearnedModelFormatException>(() => LearnedModel.FromJson(value.Replace(json, string.Empty, 1)));
        Assert.Equal("lpTolerance", e.Field);
    }

    [Theory]
    [InlineData("\"future\":[[0],[1]],\"histories\":[[]]", "\"future\":[[0],[1,\"x\"]],\"histories\":[[]]", "cuts[0].future[1][1]")]
    [InlineData("\"future\":[[0],[1]],\"histories\":[[]]", "\"future\":[[0],[1,1,2]],\"histories\":[[]]", "cuts[0].future[1][2]")]
    [InlineData("\"histories\":[[0]]", "\"histories\":[[2]]", "cuts[1].histories[0][0]")]
    [InlineData("\"histories\":[[0]]", "\"histories\":[[-1]]", "cuts[1].histories[0][0]")]
    public void A_bad_token_is_named_with_its_indices(string find, string replace, string field)
    {
        var json = HandJson();
        Assert.Contains(find, json, StringComparison.Ordinal);
        var e = Assert.Throws<LearnedModelFormatException>(() => LearnedModel.FromJson(json.Replace(find, replace, StringComparison.Ordinal)));
        Assert.Equal(field, e.Field);
    }

    [Fact]
    public void The_fallback_name_is_case_sensitive()
    {
        var json = HandJson().Replace("\"fallback\":\"Uniform\"", "\"fallback\":\"uniform\"", StringComparison.Ordinal);
        Assert.Equal("fallback", Assert.Throws<LearnedModelFormatException>(() => LearnedModel.FromJson(json)).Field);
    }

    [Fact]
    public void A_zero_lp_tolerance_and_a_horizon_of_one_are_valid()
    {
        // An edited value needs a file without a checksum (version 1) to load at all: the reader's range is what is tested.
        var zeroTau = LearnedModelTests.AsVersion1(HandJson()).Replace("\"lpTolerance\":1E-06", "\"lpTolerance\":0", StringComparison.Ordinal);
        Assert.Equal(0, LearnedModel.FromJson(zeroTau).Options.LpTolerance);

        var schedule = new PracticalSchedule { MaxEpochs = 2, ValidationSamples = 4, SpannerSampleCount = 4 };
        var oneStep = new LogitRankLearner().Learn(new ModelOracle(TimeVaryingIsan.Random(2, 1, 1, seed: 1)), schedule, seed: 1).Model;
        Assert.Equal(1, oneStep.Horizon);
        var loaded = LearnedModel.FromJson(oneStep.ToJson());
        Assert.Equal(1, loaded.Horizon);
        Assert.Equal(oneStep.NextTokenLogits(Prefix.Empty).ToArray(), loaded.NextTokenLogits(Prefix.Empty).ToArray());
    }

    [Fact]
    public void Writer_and_reader_reject_null_by_parameter_name()
    {
        var model = LearnedModelTests.HandModel(FallbackPolicy.Uniform);
        Assert.Equal("stream", Assert.Throws<ArgumentNullException>(() => model.Save((Stream)null!)).ParamName);
        Assert.Equal("json", Assert.Throws<ArgumentNullException>(() => LearnedModel.FromJson(null!)).ParamName);
        Assert.Equal("stream", Assert.Throws<ArgumentNullException>(() => LearnedModel.Load(null!)).ParamName);
    }

    [Fact]
    public void Future_sets_that_break_the_rules_are_reported_under_the_future_field()
    {
        // Every token is in range (the per-token checks pass), but cut 0 lists the one-token words out of order, which
        // only FutureSets.FromFutureSets rejects; the reader reports it under the field "cuts[].future" with its message.
        var json = HandJson();
        const string Cut0 = "\"future\":[[0],[1]],\"histories\":[[]]";
        Assert.Contains(Cut0, json, StringComparison.Ordinal);
        var e = Assert.Throws<LearnedModelFormatException>(() => LearnedModel.FromJson(json.Replace(Cut0, "\"future\":[[1],[0]],\"histories\":[[]]", StringComparison.Ordinal)));
        Assert.Equal("cuts[].future", e.Field);
        Assert.IsType<ArgumentException>(e.InnerException);
        Assert.Contains("Invalid learned model field 'cuts[].future': F̂_0[0] is", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void More_histories_than_rows_are_reported_under_the_rows_of_the_cut()
    {
        // Cut 0 stores one history and one row; a second (empty) history without a row must be rejected by count.
        var json = HandJson();
        const string Cut0 = "\"histories\":[[]],";
        Assert.Contains(Cut0, json, StringComparison.Ordinal);
        var e = Assert.Throws<LearnedModelFormatException>(() => LearnedModel.FromJson(json.Replace(Cut0, "\"histories\":[[],[]],", StringComparison.Ordinal)));
        Assert.Equal("cuts[0].rows", e.Field);
        Assert.Contains("1 rows for 2 histories; expected one row per history.", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[1,2]", "$")]
    [InlineData("\"alphabetSize\":2", "\"alphabetSize\":1", "alphabetSize")]
    [InlineData("\"horizon\":3", "\"horizon\":0", "horizon")]
    [InlineData("\"lpTolerance\":1E-06", "\"lpTolerance\":-1", "lpTolerance")]
    [InlineData("\"fallback\":\"Uniform\"", "\"fallback\":\"Uniform\",\"solver\":[1]", "solver")]
    [InlineData("{\"cut\":2,\"future\":[[0],[1]],\"histories\":[],\"rows\":[]}", "7", "cuts[2]")]
    [InlineData("{\"cut\":1,", "{\"cut\":2,", "cuts[1].cut")]
    [InlineData("\"rows\":[[0.1,", "\"rows\":[7,[0.1,", "cuts[1].rows[0]")]
    [InlineData("\"histories\":[[]],\"rows\":[[0.5,-0.5,1,0.15,-1,-0.15]]", "\"histories\":[],\"rows\":[]", "cuts[0].histories")]
    [InlineData("\"horizon\":3", "\"horizon\":\"3\"", "horizon")]
    [InlineData("\"histories\":[[0]]", "\"histories\":[7]", "cuts[1].histories[0]")]
    public void Learned_model_json_errors_name_the_field(string find, string replace, string field = "")
    {
        var json = LearnedModelTests.HandModel(FallbackPolicy.Uniform).ToJson();
        string broken;
        if (field.Length == 0)
        {
            // Single-argument form: the whole document is replaced.
            broken = find;
            field = replace;
        }
        else
        {
            Assert.Contains(find, json, StringComparison.Ordinal);
            var at = json.IndexOf(find, StringComparison.Ordinal);
            broken = json[..at] + replace + json[(at + find.Length)..];
        }

        var e = Assert.Throws<LearnedModelFormatException>(() => LearnedModel.FromJson(broken));
        Assert.Equal(field, e.Field);
    }
}
