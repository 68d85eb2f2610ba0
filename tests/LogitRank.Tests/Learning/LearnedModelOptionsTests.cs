using LogitRank.Learning;
using LogitRank.Numerics;

namespace LogitRank.Tests.Learning;

/// <summary>
/// <see cref="LearnedModelOptions"/>: its hash code is defined for the default (null) ridge and depends on every option,
/// so options that differ in any one of them land in different hash buckets.
/// </summary>
public class LearnedModelOptionsTests
{
    private static readonly LearnedModelOptions Baseline = new(2.0, 1e-6, FallbackPolicy.MinimumResidual) { Ridge = [0.1, 0.2] };

    [Fact]
    public void Hash_code_of_options_without_a_ridge_is_defined_and_equal_for_equal_options()
    {
        var a = new LearnedModelOptions(2.0, 1e-6, FallbackPolicy.Uniform);
        var b = new LearnedModelOptions(2.0, 1e-6, FallbackPolicy.Uniform);
        Assert.Null(a.Ridge);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
    }

    public static TheoryData<string, LearnedModelOptions> OneOptionChanged() => new()
    {
        { "beta", Baseline with { Beta = 3.0 } },
        { "lpTolerance", Baseline with { LpTolerance = 1e-3 } },
        { "fallback", new LearnedModelOptions(2.0, 1e-6, FallbackPolicy.Uniform) { Ridge = [0.1, 0.2] } },
        { "solver", Baseline with { Solver = new LpOptions { MaxIterations = 7 } } },
        { "method", Baseline with { Method = ReconstructionMethod.LeastSquares } },
        { "ridge present", Baseline with { Ridge = null } },
        { "ridge entry", Baseline with { Ridge = [0.1, 0.3] } },
    };

    [Theory]
    [MemberData(nameof(OneOptionChanged))]
    public void Options_that_differ_in_one_option_have_different_hash_codes(string changed, LearnedModelOptions other)
    {
        Assert.NotEqual(Baseline, other);
        // HashCode mixes every added value with a per-process random seed, so two different inputs collide with
        // probability about 2^-32 per pair: a failure here means the option was left out of the hash, not bad luck.
        Assert.True(Baseline.GetHashCode() != other.GetHashCode(), $"Changing {changed} did not change the hash code.");
    }
}
