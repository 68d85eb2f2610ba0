using LogitRank.Learning;
using LogitRank.Sequences;

namespace LogitRank.Tests.Learning;

/// <summary>
/// The <see cref="LearnedModel"/> constructor's option checks: null arguments by name, β must be finite and &gt; 1
/// (1 and +∞ rejected), τ_lp finite and &gt;= 0 (0 accepted, +∞ rejected), the fallback and the bases.
/// </summary>
public partial class LearnedModelTests
{
    // T = 1, k = 2: the single cut 0 holds the empty history, stored on F̃_0 = F̂_0 = Σ (width 2).
    private static readonly FutureSets OneStepFutures = FutureSets.Initial(2, 1);
    private static readonly CutBasis[] OneStepBases = [new CutBasis(0, 2, [Prefix.Empty], [[0.5, -0.5]])];

    [Fact]
    public void Constructor_rejects_null_bases_and_options_by_name()
    {
        Assert.Equal("bases", Assert.Throws<ArgumentNullException>(() => new LearnedModel(OneStepFutures, null!, new LearnedModelOptions(2, 0, FallbackPolicy.Uniform))).ParamName);
        Assert.Equal("options", Assert.Throws<ArgumentNullException>(() => new LearnedModel(OneStepFutures, OneStepBases, null!)).ParamName);
    }

    [Theory]
    [InlineData(1.0, 0.0)]                       // β = 1 is not > 1
    [InlineData(double.PositiveInfinity, 0.0)]   // β must be finite
    [InlineData(2.0, double.PositiveInfinity)]   // τ_lp must be finite
    [InlineData(2.0, -1e-300)]                   // τ_lp must be >= 0
    public void Constructor_rejects_beta_or_tolerance_outside_the_documented_range(double beta, double tau)
    {
        var e = Assert.Throws<ArgumentException>(() => new LearnedModel(OneStepFutures, OneStepBases, new LearnedModelOptions(beta, tau, FallbackPolicy.Uniform)));
        Assert.Equal("options", e.ParamName);
    }

    [Fact]
    public void Constructor_accepts_zero_tolerance_and_beta_just_above_one()
    {
        var model = new LearnedModel(OneStepFutures, OneStepBases, new LearnedModelOptions(Math.BitIncrement(1.0), 0, FallbackPolicy.Uniform));
        // T = 1: the prediction at the empty prefix is the stored row itself.
        Assert.Equal(0.5, model.NextTokenLogits(Prefix.Empty)[0], 15);
    }

    [Fact]
    public void A_null_basis_is_named_with_its_cut()
    {
        var e = Assert.Throws<ArgumentException>(() => new LearnedModel(OneStepFutures, [null!], new LearnedModelOptions(2, 0, FallbackPolicy.Uniform)));
        Assert.Equal("bases", e.ParamName);
        Assert.Contains("The basis of cut 0 is null.", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_rejects_an_unknown_fallback_and_bases_of_the_wrong_count_or_order()
    {
        // β and τ_lp outside their ranges: Constructor_rejects_beta_or_tolerance_outside_the_documented_range.
        var model = HandModel(FallbackPolicy.Uniform);
        var futures = model.FutureSets;
        var bases = model.Bases.ToArray();
        var good = new LearnedModelOptions(2.0, 1e-6, FallbackPolicy.Uniform);
        Assert.Equal("options", Assert.Throws<ArgumentException>(() => new LearnedModel(futures, bases, good with { Fallback = (FallbackPolicy)9 })).ParamName);
        Assert.Equal("bases", Assert.Throws<ArgumentException>(() => new LearnedModel(futures, bases[..2], good)).ParamName);
        Assert.Equal("bases", Assert.Throws<ArgumentException>(() => new LearnedModel(futures, [bases[0], bases[2], bases[1]], good)).ParamName);
        Assert.Equal(3, new LearnedModel(futures, bases, good with { LpTolerance = 0 }).Horizon);
    }
}
