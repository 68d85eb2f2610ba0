namespace LogitRank.Onnx.Tests;

public sealed class OnnxModelSpecTests
{
    [Fact]
    public void Loads_the_fixture_interface()
    {
        var spec = CharLm.Spec;
        Assert.Equal(" !',.?abcdefghijklmnopqrstuvwxyz", spec.Alphabet);
        Assert.Equal(32, spec.AlphabetSize);
        Assert.Equal(32, spec.BosId);
        Assert.Equal("tokens", spec.InputName);
        Assert.Equal("logits", spec.OutputName);
        Assert.Equal(32, spec.MaxContext);
        // Letters start at alphabet position 6 (after " !',.?"): t = 6 + 19, h = 6 + 7, e = 6 + 4, space = 0.
        Assert.Equal([25, 13, 10, 0], spec.Encode("the "));
    }

    [Fact]
    public void Encode_rejects_characters_outside_the_alphabet()
    {
        var e = Assert.Throws<ArgumentException>(() => CharLm.Spec.Encode("The"));
        Assert.Contains("'T' at position 0", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not json", "not valid JSON")]
    [InlineData("[1]", "JSON object")]
    [InlineData("{\"bos\": 1, \"input\": \"a\", \"output\": \"b\"}", "'alphabet'")]
    [InlineData("{\"alphabet\": \"ab\", \"input\": 3, \"output\": \"b\"}", "'input'")]
    [InlineData("{\"alphabet\": \"ab\", \"input\": \"a\", \"output\": \"b\", \"bos\": \"x\"}", "'bos'")]
    [InlineData("{\"alphabet\": \"aa\", \"input\": \"a\", \"output\": \"b\"}", "'alphabet'")]
    public void Malformed_specs_name_the_field(string json, string expected)
    {
        var e = Assert.Throws<FormatException>(() => OnnxModelSpec.Parse(json, "test"));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_spec_file_is_reported()
    {
        Assert.Throws<FileNotFoundException>(() => OnnxModelSpec.Load(Path.Combine(Path.GetTempPath(), $"missing-{Guid.NewGuid():N}.json")));
    }
}
