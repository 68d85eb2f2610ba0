using System.Globalization;
using LogitRank.Learning;
using LogitRank.Sequences;

namespace LogitRank.Tests.Learning;

/// <content>
/// The options <see cref="LearnedModelOptions.Method"/> and <see cref="LearnedModelOptions.Ridge"/>: their checks, their
/// value equality, and their persistence (written only when not the defaults, so older files and checksums are unchanged;
/// covered by the checksum when written). The reconstruction itself: <c>ReconstructorTests.LeastSquares</c>.
/// </content>
public partial class LearnedModelTests
{
    /// <summary>The hand model (k = 2, T = 3) under least squares with the ridge <c>(0, 0.25, 0.5)</c>.</summary>
    private static LearnedModel LeastSquaresHandModel()
    {
        var m = HandModel(FallbackPolicy.MinimumResidual);
        return new LearnedModel(m.FutureSets, m.Bases, m.Options with { Method = ReconstructionMethod.LeastSquares, Ridge = [0, 0.25, 0.5] });
    }

    [Fact]
    public void The_defaults_are_the_minimax_lp_without_a_ridge()
    {
        var options = new LearnedModelOptions(2, 0, FallbackPolicy.Uniform);
        Assert.Equal(ReconstructionMethod.MinimaxLp, options.Method);
        Assert.Null(options.Ridge);
        Assert.Equal(0, (int)ReconstructionMethod.MinimaxLp);
    }

    [Fact]
    public void Least_squares_with_the_uniform_fallback_is_rejected()
    {
        var m = HandModel(FallbackPolicy.Uniform);
        var e = Assert.Throws<ArgumentException>(() => new LearnedModel(m.FutureSets, m.Bases, m.Options with { Method = ReconstructionMethod.LeastSquares }));
        Assert.Equal("options", e.ParamName);
        Assert.Contains("Method = LeastSquares with Fallback = Uniform", e.Message, StringComparison.Ordinal);
        Assert.Contains("expected Fallback = MinimumResidual", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_undefined_method_and_a_ridge_of_the_wrong_length_are_rejected_by_name()
    {
        var m = HandModel(FallbackPolicy.MinimumResidual);
        var e = Assert.Throws<ArgumentException>(() => new LearnedModel(m.FutureSets, m.Bases, m.Options with { Method = (ReconstructionMethod)5 }));
        Assert.Equal("options", e.ParamName);
        Assert.Contains("Method = 5 is not a defined ReconstructionMethod", e.Message, StringComparison.Ordinal);
        e = Assert.Throws<ArgumentException>(() => new LearnedModel(m.FutureSets, m.Bases, m.Options with { Method = ReconstructionMethod.LeastSquares, Ridge = [0, 1] }));
        Assert.Equal("options", e.ParamName);
        Assert.Contains("Ridge has 2 entries; expected one per cut, T = 3", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-1e-300)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void A_bad_ridge_entry_is_rejected_with_its_index_and_value(double bad)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new LearnedModelOptions(2, 0, FallbackPolicy.MinimumResidual) { Ridge = [0, 1, bad] });
        Assert.Equal("Ridge", e.ParamName);
        Assert.Equal(bad, e.ActualValue);
        Assert.Contains(string.Create(CultureInfo.CurrentCulture, $"Ridge[2] = {bad}; expected a finite ridge λ_2 >= 0."), e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_ridge_is_copied_and_compared_by_value()
    {
        double[] source = [0, 0.25, 0.5];
        var a = new LearnedModelOptions(2, 0, FallbackPolicy.MinimumResidual) { Method = ReconstructionMethod.LeastSquares, Ridge = source };
        source[1] = 7;
        Assert.Equal([0, 0.25, 0.5], a.Ridge!);
        var b = new LearnedModelOptions(2, 0, FallbackPolicy.MinimumResidual) { Method = ReconstructionMethod.LeastSquares, Ridge = [0, 0.25, 0.5] };
        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, b with { Ridge = [0, 0.25, 0.75] });
        Assert.NotEqual(a, b with { Ridge = null });
        Assert.NotEqual(a, b with { Method = ReconstructionMethod.MinimaxLp });
        Assert.NotEqual(a, b with { Beta = 3 });
        Assert.NotEqual(a, b with { Solver = new LogitRank.Numerics.LpOptions() });
        Assert.False(a.Equals(null));
    }

    [Fact]
    public void Method_and_ridge_survive_a_round_trip_with_bit_identical_probabilities()
    {
        var m = LeastSquaresHandModel();
        var json = m.ToJson();
        Assert.Contains("\"fallback\":\"MinimumResidual\",\"method\":\"LeastSquares\",\"ridge\":[0,0.25,0.5],\"cuts\":", json, StringComparison.Ordinal);
        var loaded = LearnedModel.FromJson(json);
        Assert.Equal(m.Options, loaded.Options);
        Assert.Equal(ReconstructionMethod.LeastSquares, loaded.Options.Method);
        foreach (var h in LearningTestSupport.AllPrefixes(m))
        {
            Assert.Equal(m.NextTokenLogits(h).Probabilities(), loaded.NextTokenLogits(h).Probabilities());
            Assert.Equal(m.LpResidual(h), loaded.LpResidual(h));
        }

        Assert.Equal(json, loaded.ToJson());

        // The method changes the model: at [0, 0] least squares gives c = 0.2 / (0.02 + 0.25) ≈ 0.74 (ridge 0.25), the LP the clipped 2.
        Assert.NotEqual(HandModel(FallbackPolicy.MinimumResidual).NextTokenLogits(Prefix.Of(0, 0)).ToArray(), m.NextTokenLogits(Prefix.Of(0, 0)).ToArray());
    }

    [Fact]
    public void A_file_without_method_or_ridge_is_the_minimax_lp_and_its_payload_is_unchanged()
    {
        // The defaults are not written, so a minimax-LP model has the payload (and checksum) it had before these fields.
        var json = HandModel(FallbackPolicy.Uniform).ToJson();
        Assert.DoesNotContain("\"method\"", json, StringComparison.Ordinal);
        Assert.DoesNotContain("\"ridge\"", json, StringComparison.Ordinal);
        var loaded = LearnedModel.FromJson(json);
        Assert.Equal(ReconstructionMethod.MinimaxLp, loaded.Options.Method);
        Assert.Null(loaded.Options.Ridge);

        // A ridge is persisted under the LP too (where it is unused), and an explicit "MinimaxLp" is read.
        var m = HandModel(FallbackPolicy.Uniform);
        var withRidge = new LearnedModel(m.FutureSets, m.Bases, m.Options with { Ridge = [1, 2, 3] });
        Assert.Equal(withRidge.Options, LearnedModel.FromJson(withRidge.ToJson()).Options);
        var explicitLp = AsVersion1(json).Replace("\"fallback\":\"Uniform\",", "\"fallback\":\"Uniform\",\"method\":\"MinimaxLp\",", StringComparison.Ordinal);
        Assert.Equal(ReconstructionMethod.MinimaxLp, LearnedModel.FromJson(explicitLp).Options.Method);
    }

    [Theory]
    [InlineData("\"ridge\":[0,0.25,0.5]", "\"ridge\":[0,0.25,0.51]")]      // a ridge value
    [InlineData("\"method\":\"LeastSquares\",", "")]                        // the method, back to the LP
    [InlineData("\"ridge\":[0,0.25,0.5],", "")]                             // the ridge, back to the floor
    public void An_edited_method_or_ridge_fails_the_checksum(string find, string replace)
    {
        var json = LeastSquaresHandModel().ToJson();
        Assert.Contains(find, json, StringComparison.Ordinal);
        var edited = json.Replace(find, replace, StringComparison.Ordinal);
        _ = LearnedModel.FromJson(AsVersion1(edited)); // a valid model without the checksum
        Assert.Equal("checksum", Assert.Throws<LearnedModelFormatException>(() => LearnedModel.FromJson(edited)).Field);
    }

    [Theory]
    [InlineData("\"method\":\"LeastSquares\"", "\"method\":\"leastSquares\"", "method")]
    [InlineData("\"method\":\"LeastSquares\"", "\"method\":\"1\"", "method")]
    [InlineData("\"method\":\"LeastSquares\"", "\"method\":1", "method")]
    [InlineData("\"fallback\":\"MinimumResidual\"", "\"fallback\":\"Uniform\"", "method")]
    [InlineData("\"ridge\":[0,0.25,0.5]", "\"ridge\":[0,0.25]", "ridge")]
    [InlineData("\"ridge\":[0,0.25,0.5]", "\"ridge\":\"0.25\"", "ridge")]
    [InlineData("\"ridge\":[0,0.25,0.5]", "\"ridge\":[0,-0.25,0.5]", "ridge[1]")]
    [InlineData("\"ridge\":[0,0.25,0.5]", "\"ridge\":[0,0.25,1e400]", "ridge[2]")]
    [InlineData("\"ridge\":[0,0.25,0.5]", "\"ridge\":[0,\"x\",0.5]", "ridge[1]")]
    public void A_bad_method_or_ridge_field_is_named(string find, string replace, string field)
    {
        var json = LeastSquaresHandModel().ToJson();
        Assert.Contains(find, json, StringComparison.Ordinal);
        var e = Assert.Throws<LearnedModelFormatException>(() => LearnedModel.FromJson(AsVersion1(json).Replace(find, replace, StringComparison.Ordinal)));
        Assert.Equal(field, e.Field);
    }
}
