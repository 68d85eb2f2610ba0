using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using LogitRank.Learning;
using LogitRank.Sequences;

namespace LogitRank.Tests.Learning;

/// <content>The checksum of saved models (proofs-notes/persistence-checksums.md).</content>
public partial class LearnedModelTests
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    private static readonly Regex ChecksumField = new(",\"checksum\":\"[^\"]*\"", RegexOptions.None, TimeSpan.FromSeconds(1));

    /// <summary>The same model as a version 1 file (no checksum), as 0.1.0 wrote it.</summary>
    internal static string AsVersion1(string json) =>
        ChecksumField.Replace(json, string.Empty).Replace("\"version\":2", "\"version\":1", StringComparison.Ordinal);

    [Fact]
    public void A_saved_model_carries_the_sha256_of_its_canonical_payload()
    {
        var json = HandModel(FallbackPolicy.Uniform).ToJson();
        Assert.EndsWith("\"}", json, StringComparison.Ordinal);
        var match = Regex.Match(json, ",\"checksum\":\"sha256:([0-9a-f]{64})\"}$", RegexOptions.None, TimeSpan.FromSeconds(1));
        Assert.True(match.Success, json);
        // The payload is the file without the checksum field: hash it independently of the library.
        var payload = json[..match.Index] + "}";
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(payload))), match.Groups[1].Value);
        Assert.Contains("\"version\":2,", json, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[0.1,-0.1,0.2,0.4,-0.2,-0.4]", "[0.1,-0.1,0.2,0.4,-0.2,-0.41]")] // one number of a row
    [InlineData("\"beta\":2", "\"beta\":3")]                                          // an option, still in range
    [InlineData("\"histories\":[[0]]", "\"histories\":[[1]]")]                         // a token, still in range
    public void An_edited_value_that_keeps_the_file_well_formed_fails_the_checksum(string find, string replace)
    {
        var json = HandModel(FallbackPolicy.Uniform).ToJson();
        Assert.Contains(find, json, StringComparison.Ordinal);
        var edited = json.Replace(find, replace, StringComparison.Ordinal);
        // The edit alone is a valid model (it loads as a version 1 file, which has no checksum) ...
        _ = LearnedModel.FromJson(AsVersion1(edited));
        // ... but the checksum refuses it, naming the field and both hashes.
        var e = Assert.Throws<LearnedModelFormatException>(() => LearnedModel.FromJson(edited));
        Assert.Equal("checksum", e.Field);
        Assert.Contains("changed after it was saved", e.Message, StringComparison.Ordinal);
        Assert.Contains(LearnedModel.ChecksumPrefix, e.Message, StringComparison.Ordinal);
        Assert.Null(e.FilePath);
    }

    [Fact]
    public void Loading_an_edited_file_names_the_file_and_the_field()
    {
        var path = Path.Combine(Path.GetTempPath(), $"learned-{Guid.NewGuid():N}.json");
        try
        {
            var json = HandModel(FallbackPolicy.Uniform).ToJson();
            File.WriteAllText(path, json.Replace("[0.1,-0.1,0.2,0.4,-0.2,-0.4]", "[0.1,-0.1,0.2,0.4,-0.2,-0.5]", StringComparison.Ordinal));
            var e = Assert.Throws<LearnedModelFormatException>(() => LearnedModel.LoadFile(path));
            Assert.Equal("checksum", e.Field);
            Assert.Equal(path, e.FilePath);
            Assert.Contains($"'{path}'", e.Message, StringComparison.Ordinal);
            Assert.Contains("field 'checksum'", e.Message, StringComparison.Ordinal);

            // A bad field is named with the file too.
            File.WriteAllText(path, json.Replace("\"beta\":2", "\"beta\":1", StringComparison.Ordinal));
            var field = Assert.Throws<LearnedModelFormatException>(() => LearnedModel.LoadFile(path));
            Assert.Equal("beta", field.Field);
            Assert.Equal(path, field.FilePath);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Reformatting_does_not_change_the_payload()
    {
        // Indentation and a different spelling of the same double leave the content, and so the checksum, intact.
        var model = HandModel(FallbackPolicy.MinimumResidual);
        var json = model.ToJson();
        using var document = JsonDocument.Parse(json);
        var indented = JsonSerializer.Serialize(document.RootElement, Indented).Replace("\"beta\": 2", "\"beta\": 2.000", StringComparison.Ordinal);
        Assert.Contains("\"beta\": 2.000", indented, StringComparison.Ordinal);
        Assert.Equal(json, LearnedModel.FromJson(indented).ToJson());
    }

    [Fact]
    public void Version_1_files_load_without_a_checksum_and_version_2_files_need_one()
    {
        var model = HandModel(FallbackPolicy.Uniform);
        var json = model.ToJson();
        var legacy = AsVersion1(json);
        Assert.DoesNotContain("checksum", legacy, StringComparison.Ordinal);
        var loaded = LearnedModel.FromJson(legacy);
        Assert.Equal(model.NextTokenLogits(Prefix.Of(1)).ToArray(), loaded.NextTokenLogits(Prefix.Of(1)).ToArray());
        Assert.Equal(json, loaded.ToJson()); // saved again, it is a version 2 file with its checksum

        var missing = Assert.Throws<LearnedModelFormatException>(() => LearnedModel.FromJson(ChecksumField.Replace(json, string.Empty)));
        Assert.Equal("checksum", missing.Field);
        Assert.Contains("missing", missing.Message, StringComparison.Ordinal);

        foreach (var bad in new[] { "\"sha256:abc\"", "\"md5:" + new string('0', 64) + "\"", "\"sha256:" + new string('A', 64) + "\"", "42" })
        {
            var e = Assert.Throws<LearnedModelFormatException>(() => LearnedModel.FromJson(ChecksumField.Replace(json, ",\"checksum\":" + bad)));
            Assert.Equal("checksum", e.Field);
            Assert.Contains("64 lower-case hex digits", e.Message, StringComparison.Ordinal);
        }
    }
}
