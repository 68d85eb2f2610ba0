using LogitRank.Certification;
using LogitRank.Models;
using LogitRank.Numerics;
using LogitRank.Oracles;
using LogitRank.Sequences;
using LogitRank.Statistics;
using LogitRank.Tests.Certification;
using LogitRank.Tests.Evaluation;

namespace LogitRank.Tests.Certification;

/// <summary>
/// Internal consistency of a hold-out certificate (proofs-notes/holdout-certificate.md): the per-step averages add up to
/// the path means, each confidence bound is the smaller of Hoeffding and empirical Bernstein at δ/2 over the stated range,
/// and the recorded sample count, δ and seed are the requested ones.
/// </summary>
public partial class HoldoutCertifierTests
{
    private const int Horizon = 4;

    private static HoldoutCertificate Certify(double accuracy = 0)
    {
        var target = TabularModel.Random(3, Horizon, seed: 11);
        var learned = TabularModel.Random(3, Horizon, seed: 12, scale: 0.5);
        return HoldoutCertifier.Certify(new ModelOracle(target), learned, HoldoutCertifierTests.LogitBound(learned), new HoldoutOptions { Samples = 64, Delta = 0.1, Seed = 7, OracleAccuracy = accuracy });
    }

    [Fact]
    public void Per_step_averages_add_up_to_the_path_means()
    {
        // A path's KL statistic is Σ_t KL_t and its hybrid statistic Σ_t TV_t (neither is clipped here: each step's KL is
        // far below 2B + ln k and Σ_t TV_t <= T), so averaging over paths commutes with the sum over t. 1e-12: rounding of
        // 64-term sums of numbers below 10.
        var c = Certify();
        Assert.Equal(Horizon, c.PerStepKullbackLeibler.Count);
        Assert.Equal(Horizon, c.PerStepTotalVariation.Count);
        Assert.Equal(c.PerStepKullbackLeibler.Sum(), c.KullbackLeibler.Mean, 1e-12);
        Assert.Equal(c.PerStepTotalVariation.Sum(), c.HybridTotalVariation.Mean, 1e-12);
        Assert.All(c.PerStepKullbackLeibler, v => Assert.True(v > 0));
        Assert.All(c.PerStepTotalVariation, v => Assert.True(v > 0 && v < 1));
        Assert.True(c.MaxLogitError > 0);
        Assert.Equal(7, c.Seed);
    }

    [Fact]
    public void Each_bound_is_the_smaller_of_hoeffding_and_bernstein_at_half_delta_over_its_range()
    {
        var c = Certify();
        var learned = TabularModel.Random(3, Horizon, seed: 12, scale: 0.5);
        var klRange = Horizon * ((2 * HoldoutCertifierTests.LogitBound(learned)) + Math.Log(3));
        AssertBound(c.KullbackLeibler, klRange);
        AssertBound(c.TotalVariation, 1.0);
        AssertBound(c.HybridTotalVariation, Horizon);
        Assert.Equal(Math.Min(1.0, c.TotalVariation.Upper), c.TotalVariationUpper);
        Assert.Equal(c.KullbackLeibler.Upper, c.KullbackLeiblerUpper);
    }

    [Fact]
    public void Oracle_accuracy_shifts_both_tv_bounds_by_T_xi_and_leaves_kl_alone()
    {
        var exact = Certify();
        var approx = Certify(accuracy: 0.01);
        Assert.Equal(exact.TotalVariation.Upper + (Horizon * 0.01), approx.TotalVariation.Upper, 12);
        Assert.Equal(exact.HybridTotalVariation.Upper + (Horizon * 0.01), approx.HybridTotalVariation.Upper, 12);
        Assert.Equal(exact.KullbackLeibler.Upper, approx.KullbackLeibler.Upper);
        Assert.Equal(exact.TotalVariation.Mean, approx.TotalVariation.Mean);
    }

    [Fact]
    public void Options_are_validated()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new HoldoutOptions { OracleAccuracy = -0.1 }.Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => new HoldoutOptions { OracleAccuracy = double.PositiveInfinity }.Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => new HoldoutOptions { Delta = 0 }.Validate());
        new HoldoutOptions { Samples = 2, Delta = 0.5, OracleAccuracy = 0 }.Validate();
        var target = TabularModel.Random(2, 3, seed: 1);
        var wrongK = TabularModel.Random(3, 3, seed: 1);
        var e = Assert.Throws<ArgumentException>(() => HoldoutCertifier.Certify(new ModelOracle(target), wrongK, 10, new HoldoutOptions()));
        Assert.Contains("k = 2", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => HoldoutCertifier.Certify(new ModelOracle(target), target, -1, new HoldoutOptions()));
        Assert.Throws<ArgumentException>(() => HoldoutCertifier.Certify(new ModelOracle(target), target, double.PositiveInfinity, new HoldoutOptions()));
    }

    private static void AssertBound(ConfidenceBound bound, double range)
    {
        Assert.Equal(64, bound.Samples);
        Assert.Equal(0.1, bound.Delta);
        Assert.Equal(range, bound.Range, 12);
        var hoeffding = ConcentrationBounds.HoeffdingUpper(bound.Mean, 64, range, 0.05);
        Assert.Equal(hoeffding, bound.Hoeffding, 12);
        Assert.True(bound.EmpiricalBernstein > bound.Mean);
        Assert.Equal(Math.Min(bound.Hoeffding, bound.EmpiricalBernstein), bound.Upper);
    }

    /// <summary>The option errors say what was expected, not only which option.</summary>
    [Fact]
    public void Option_errors_state_the_expected_range()
    {
        Assert.Contains("needs at least 2 samples", Assert.Throws<ArgumentOutOfRangeException>(() => new HoldoutOptions { Samples = 1 }.Validate()).Message, StringComparison.Ordinal);
        Assert.Contains("δ in (0, 1)", Assert.Throws<ArgumentOutOfRangeException>(() => new HoldoutOptions { Delta = 1.0 }.Validate()).Message, StringComparison.Ordinal);
        Assert.Contains("ξ >= 0", Assert.Throws<ArgumentOutOfRangeException>(() => new HoldoutOptions { OracleAccuracy = -1.0 }.Validate()).Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// The logit-bound check allows rounding: it fires when the sup norm of the learned logits exceeds
    /// <c>B(1 + 10⁻⁹) + 10⁻¹²</c> and accepts a sup norm equal to it. With <c>B = 0</c> the threshold is the double
    /// <c>1e-12</c> itself, and the centered vector <c>(1e-12, -1e-12)</c> has that sup norm exactly (it is stored bit for bit),
    /// so the boundary is hit exactly; the next double up is rejected.
    /// </summary>
    [Fact]
    public void A_learned_logit_exactly_at_the_slackened_bound_is_accepted_and_one_ulp_above_is_rejected()
    {
        static TabularModel OneStep(double x) => new(2, 1, new Dictionary<Prefix, LogitVector> { [Prefix.Empty] = LogitVector.FromCentered([x, -x]) });
        var target = new ModelOracle(TestModels.Iid(1, 0.5, 0.5));
        var options = new HoldoutOptions { Samples = 2, Delta = 0.1, Seed = 3 };

        var atBound = HoldoutCertifier.Certify(target, OneStep(1e-12), 0, options);
        Assert.Equal(1e-12, atBound.MaxLogitError); // the target is uniform (centered logits 0), so the error is the learned sup norm

        var e = Assert.Throws<InvalidOperationException>(() => HoldoutCertifier.Certify(target, OneStep(Math.BitIncrement(1e-12)), 0, options));
        Assert.Contains("exceeds the stated bound B = 0", e.Message, StringComparison.Ordinal);
    }
}
