using LogitRank.Certification;
using LogitRank.Learning;
using LogitRank.Models;
using LogitRank.Oracles;

namespace LogitRank.Tests.Mutation;

/// <summary>
/// Recomputes every term of the a priori ledger from the formulas of proofs-notes/validation-bound.md, written out
/// here with <see cref="Math"/> only (not through <c>SoftmaxBounds</c>), so that a changed sign, factor or index in
/// <see cref="APrioriCertificate.Build(LogitRank.Learning.LearnedModel, LogitRank.Learning.LearningReport, LogitRank.Learning.ILearningSchedule, double, double)"/> shows (proofs-notes/mutation.md).
/// </summary>
public class APrioriLedgerMutationTests
{
    private static readonly PracticalSchedule Schedule = new() { MaxEpochs = 30, ValidationSamples = 32, SpannerSampleCount = 24, WitnessThreshold = 1e-6 };

    private static readonly Lazy<LearningResult> Learned = new(() =>
        new LogitRankLearner().Learn(new ModelOracle(TimeVaryingIsan.Random(2, 5, 2, seed: 9)), Schedule, seed: 3));

    [Fact]
    public void Every_term_matches_the_closed_form_of_the_validation_bound()
    {
        var learned = Learned.Value;
        Assert.True(learned.Report.Accepted, "an exact-rank ISAN with d = 2 is accepted within 30 epochs");
        const double xi = 0.001, delta = 0.1;
        var certificate = APrioriCertificate.Build(learned.Model, learned.Report, Schedule, delta, xi);

        var horizon = learned.Model.Horizon;
        var k = learned.Model.AlphabetSize;
        var g = Schedule.WitnessThreshold;
        var beta = learned.Report.Schedule.Beta;
        var m = Math.Max(1, learned.Report.Cuts.Max(c => c.BasisSize));
        var logitBound = learned.Model.LogitBound;

        // e_t = ξ + (t-1)^+ (g + 2βmξ) for t = 0..T-1 (0-based step index, as in the code's loop); TV per step tanh(e/2)
        // (the sup-norm form of tanh(R/4) with R = 2e), KL per step B(2e).
        double tvWitness = 0, klWitness = 0, tvTotal = 0, klTotal = 0;
        for (var t = 0; t < horizon; t++)
        {
            var steps = Math.Max(0, t - 1);
            var exact = steps * g;
            var noisy = xi + (steps * (g + (2 * beta * m * xi)));
            tvWitness += Math.Tanh(exact / 2);
            klWitness += KlBound(2 * exact);
            tvTotal += Math.Tanh(noisy / 2);
            klTotal += KlBound(2 * noisy);
        }

        // Relative 1e-9: the code rounds each bound outward by 1e-14 relative and evaluates B(R) by a different but
        // equally accurate route; KlBound below loses ~1e-16/(R²/8) <= 1e-9 relative to cancellation for R >= 1e-3.
        var witness = certificate.Ledger["witness-threshold"];
        Assert.Equal(g, witness.Quantity);
        AssertRelative(tvWitness, witness.TotalVariation, 1e-9);
        AssertRelative(klWitness, witness.KullbackLeibler, 1e-9);

        var oracle = certificate.Ledger["oracle-accuracy"];
        Assert.Equal(xi, oracle.Quantity);
        AssertRelative(tvTotal - tvWitness, oracle.TotalVariation, 1e-9);
        AssertRelative(klTotal - klWitness, oracle.KullbackLeibler, 1e-9);

        var missMass = Math.Log(Schedule.MaxEpochs / delta) / Schedule.ValidationSamples;
        var miss = certificate.Ledger["validation-miss-mass"];
        AssertRelative(missMass, miss.Quantity, 1e-12);
        AssertRelative(horizon * missMass, miss.TotalVariation, 1e-12);
        AssertRelative(horizon * ((2 * logitBound) + Math.Log(k)) * missMass, miss.KullbackLeibler, 1e-12);

        var rounding = 64 * Math.Pow(2, -52) * Math.Max(1, logitBound) * ((2 * beta * m) + 1);
        var fp = certificate.Ledger["floating-point"];
        AssertRelative(rounding, fp.Quantity, 1e-12);
        AssertRelative(horizon * Math.Tanh(rounding / 2), fp.TotalVariation, 1e-9);
        // B(2ε) = (2ε)²/8 = ε²/2 for 2ε < 1e-3.
        AssertRelative(horizon * rounding * rounding / 2, fp.KullbackLeibler, 1e-9);

        var lp = certificate.Ledger["lp-residual"];
        Assert.Equal(learned.Report.LargestAcceptedLpResidual, lp.Quantity);
        Assert.Equal(0, lp.TotalVariation);
        Assert.Equal(0, lp.KullbackLeibler);
        Assert.Equal(0, certificate.Ledger["spanner-miss-mass"].Quantity);
        Assert.Equal(learned.Report.Epochs[^1].InfeasibleLps, certificate.Ledger["infeasible-lp-mass"].Quantity);

        Assert.True(certificate.Holds);
        Assert.Equal(delta, certificate.Delta);
        Assert.Null(certificate.TargetEpsilon);
        AssertRelative(Math.Min(1, certificate.Ledger.Terms.Sum(t => t.TotalVariation)), certificate.TotalVariation, 1e-15);
        AssertRelative(certificate.Ledger.Terms.Sum(t => t.KullbackLeibler), certificate.KullbackLeibler, 1e-15);
        Assert.Contains(certificate.Assumptions, a => a.Contains("ξ = 0.001", StringComparison.Ordinal));
        Assert.Contains(certificate.Assumptions, a => a.StartsWith("Practical schedule", StringComparison.Ordinal));
        Assert.DoesNotContain(certificate.Assumptions, a => a.Contains("did not accept", StringComparison.Ordinal));
    }

    /// <summary>
    /// The <c>infeasible-lp-mass</c> term records the infeasible LPs of the last epoch, the one whose bases the model
    /// keeps (earlier epochs' counts do not matter). An accepted run usually ends with none, so the report's last
    /// epoch is given 7 and an earlier one 5: the term must read 7.
    /// </summary>
    [Fact]
    public void The_infeasible_lp_term_counts_the_last_epoch()
    {
        var learned = Learned.Value;
        var epochs = learned.Report.Epochs;
        Assert.True(epochs.Count >= 2, "the run takes more than one epoch");
        var report = learned.Report with { Epochs = [epochs[0] with { InfeasibleLps = 5 }, .. epochs.Skip(1).SkipLast(1), epochs[^1] with { InfeasibleLps = 7 }] };

        var certificate = APrioriCertificate.Build(learned.Model, report, Schedule, delta: 0.1);

        Assert.Equal(7, certificate.Ledger["infeasible-lp-mass"].Quantity);
        Assert.Equal(0, certificate.Ledger["infeasible-lp-mass"].TotalVariation);
    }

    [Fact]
    public void Oracle_accuracy_and_delta_are_validated()
    {
        var learned = Learned.Value;
        Assert.Throws<ArgumentOutOfRangeException>(() => APrioriCertificate.Build(learned.Model, learned.Report, Schedule, delta: 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => APrioriCertificate.Build(learned.Model, learned.Report, Schedule, delta: double.NaN));
        var inf = Assert.Throws<ArgumentOutOfRangeException>(() => APrioriCertificate.Build(learned.Model, learned.Report, Schedule, delta: 0.1, oracleAccuracy: double.PositiveInfinity));
        Assert.Equal("oracleAccuracy", inf.ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => APrioriCertificate.Build(learned.Model, learned.Report, Schedule, delta: 0.1, oracleAccuracy: double.NaN));
        Assert.Throws<ArgumentNullException>(() => APrioriCertificate.Build(null!, learned.Report, Schedule, 0.1));
        Assert.Throws<ArgumentNullException>(() => APrioriCertificate.Build(learned.Model, null!, Schedule, 0.1));
        Assert.Throws<ArgumentNullException>(() => APrioriCertificate.Build(learned.Model, learned.Report, null!, 0.1));
    }

    /// <summary>B(R) = ln((e^R - 1)/R) + R/(e^R - 1) - 1, capped by R²/8 (proofs-notes/softmax-perturbation-bounds.md).</summary>
    private static double KlBound(double r)
    {
        if (r < 1e-3)
        {
            return r * r / 8;
        }

        var em1 = Math.Exp(r) - 1;
        return Math.Min(r * r / 8, Math.Log(em1 / r) + (r / em1) - 1);
    }

    private static void AssertRelative(double expected, double actual, double relative) =>
        Assert.True(Math.Abs(expected - actual) <= (relative * Math.Abs(expected)) + 1e-300, $"expected {expected:R}, got {actual:R} (relative tolerance {relative})");
}
