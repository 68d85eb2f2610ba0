using System.Text.RegularExpressions;
using LogitRank.Learning;
using LogitRank.Numerics;

namespace LogitRank.Tests.Learning;

/// <summary>
/// The JSON reader of <see cref="LearnedModel"/> names the exact nested field it rejects inside <c>solver</c> and inside a
/// cut (missing, of the wrong JSON kind, or out of range), accepts the edge <c>maxIterations = 0</c>, and reports a
/// malformed checksum as malformed (not as a content mismatch).
/// </summary>
public partial class LearnedModelTests
{
    private static LearnedModel HandModelWithSolver(LpOptions solver)
    {
        var hand = HandModel(FallbackPolicy.Uniform);
        return new LearnedModel(hand.FutureSets, hand.Bases, hand.Options with { Solver = solver });
    }

    /// <summary>Replaces the first match of <paramref name="pattern"/> at or after the first <paramref name="anchor"/>.</summary>
    private static string EditAfter(string json, string anchor, string pattern, string replacement)
    {
        var at = json.IndexOf(anchor, StringComparison.Ordinal);
        Assert.True(at >= 0, $"'{anchor}' not found in {json}");
        var regex = new Regex(pattern, RegexOptions.None, TimeSpan.FromSeconds(1));
        var tail = json[at..];
        Assert.Matches(regex, tail);
        return json[..at] + regex.Replace(tail, replacement, 1);
    }

    [Theory]
    [InlineData("\"pivotTolerance\":", "\"pivotToleranceX\":", "solver.pivotTolerance")]
    [InlineData("\"optimalityTolerance\":", "\"optimalityToleranceX\":", "solver.optimalityTolerance")]
    [InlineData("\"maxIterations\":", "\"maxIterationsX\":", "solver.maxIterations")]
    public void A_missing_solver_field_is_named_with_its_path(string find, string replace, string field)
    {
        var json = HandModelWithSolver(new LpOptions()).ToJson();
        var e = Assert.Throws<LearnedModelFormatException>(() => LearnedModel.FromJson(EditAfter(json, "\"solver\":{", Regex.Escape(find), replace)));
        Assert.Equal(field, e.Field);
        Assert.Contains("missing.", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("pivotTolerance", "1e400")]      // a JSON number that is not a finite double
    [InlineData("optimalityTolerance", "1e400")] // a JSON number that is not a finite double
    [InlineData("optimalityTolerance", "0")]     // the solver needs a positive tolerance
    [InlineData("maxIterations", "1.5")]         // not an integer
    public void A_bad_solver_value_is_named_with_its_path(string name, string bad)
    {
        var json = HandModelWithSolver(new LpOptions()).ToJson();
        var e = Assert.Throws<LearnedModelFormatException>(() => LearnedModel.FromJson(EditAfter(json, "\"solver\":{", $"\"{name}\":[^,}}]*", $"\"{name}\":{bad}")));
        Assert.Equal("solver." + name, e.Field);
    }

    [Fact]
    public void A_solver_with_zero_iterations_is_saved_and_loaded()
    {
        // MaxIterations = 0 is a valid solver option (no simplex step), so the reader must accept it.
        var model = HandModelWithSolver(new LpOptions { MaxIterations = 0 });
        var loaded = LearnedModel.FromJson(model.ToJson());
        Assert.Equal(model.Options, loaded.Options);
        Assert.Equal(0, loaded.Options.Solver!.MaxIterations);
    }

    [Theory]
    [InlineData("\"cut\":", "\"cutX\":", "cuts[1].cut", "missing.")]
    [InlineData("\"cut\":1,", "\"cut\":1.5,", "cuts[1].cut", "32-bit integer")]
    [InlineData("\"future\":", "\"futureX\":", "cuts[1].future", "missing.")]
    [InlineData("\"histories\":", "\"historiesX\":", "cuts[1].histories", "missing.")]
    [InlineData("\"rows\":", "\"rowsX\":", "cuts[1].rows", "missing.")]
    [InlineData("\"rows\":", "\"rows\":7,\"rowsX\":", "cuts[1].rows", "expected a JSON Array")]
    public void A_bad_cut_field_is_named_with_its_path(string find, string replace, string field, string detail)
    {
        var json = HandModel(FallbackPolicy.Uniform).ToJson();
        var e = Assert.Throws<LearnedModelFormatException>(() => LearnedModel.FromJson(EditAfter(json, "{\"cut\":1,", Regex.Escape(find), replace)));
        Assert.Equal(field, e.Field);
        Assert.Contains(detail, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)] // the right hash, in upper case
    [InlineData(true)]  // the right length, another prefix
    public void A_malformed_checksum_is_reported_as_malformed(bool otherPrefix)
    {
        var json = HandModel(FallbackPolicy.Uniform).ToJson();
        var stated = new Regex("\"checksum\":\"sha256:([0-9a-f]{64})\"", RegexOptions.None, TimeSpan.FromSeconds(1)).Match(json);
        Assert.True(stated.Success, json);
        var hex = stated.Groups[1].Value;
        Assert.Contains(hex, c => c is >= 'a' and <= 'f'); // SHA-256 hex has letters with probability 1 - (10/16)^64.
        var edited = otherPrefix ? $"\"checksum\":\"sha257:{hex}\"" : $"\"checksum\":\"sha256:{hex.ToUpperInvariant()}\"";
        var e = Assert.Throws<LearnedModelFormatException>(() => LearnedModel.FromJson(json.Replace(stated.Value, edited, StringComparison.Ordinal)));
        Assert.Equal("checksum", e.Field);
        Assert.Contains("64 lower-case hex digits", e.Message, StringComparison.Ordinal);
    }
}
