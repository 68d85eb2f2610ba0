using LogitRank.Certification;
using LogitRank.Learning;
using LogitRank.Models;
using LogitRank.Oracles;
using LogitRank.Sequences;

namespace LogitRank.Tests.Certification;

/// <summary>
/// The a priori certificate of an adaptive run (proofs-notes/adaptive-schedule.md, A6): acceptance means "no residual
/// significant against its noise", so the witness-threshold term uses g_eff, the largest residual measured on the
/// accepting epoch; the LP-residual term carries the largest residual of any validation prefix (minimum-residual
/// solutions included); the noise floor that set the tolerances is a ledger line; the assumptions say what no longer applies.
/// </summary>
public partial class APrioriCertificateTests
{
    private static readonly Lazy<LearningResult> AdaptiveLearned = new(() =>
        new LogitRankLearner().Learn(new ModelOracle(PerturbedModel.RandomIsan(3, 6, 2, 0.05, seed: 4, logitScale: 2.0)), new AdaptiveSchedule(), seed: 1));

    [Fact]
    public void An_accepted_adaptive_run_bounds_with_the_largest_measured_residual_not_with_g()
    {
        var learned = AdaptiveLearned.Value;
        Assert.True(learned.Report.Accepted);
        var certificate = APrioriCertificate.Build(learned.Model, learned.Report, new AdaptiveSchedule(), 0.05);
        var measured = learned.Report.Epochs[^1].MaxResidual;
        Assert.True(measured > new AdaptiveSchedule().WitnessThreshold, $"the accepting epoch's largest residual {measured} is not above g");
        Assert.Equal(measured, certificate.Ledger["witness-threshold"].Quantity);

        // The same report read as a practical run would use g itself: the adaptive reading is the larger, honest one.
        var practical = APrioriCertificate.Build(learned.Model, learned.Report, new PracticalSchedule(), 0.05);
        Assert.Equal(learned.Report.Schedule.WitnessThreshold, practical.Ledger["witness-threshold"].Quantity);
        Assert.True(certificate.Ledger["witness-threshold"].TotalVariation > practical.Ledger["witness-threshold"].TotalVariation);
    }

    [Fact]
    public void An_adaptive_ledger_carries_every_residual_and_the_noise_floor()
    {
        var learned = AdaptiveLearned.Value;
        var certificate = APrioriCertificate.Build(learned.Model, learned.Report, new AdaptiveSchedule(), 0.05);
        Assert.Equal(learned.Report.Epochs.Max(e => e.MaxLpResidual), certificate.Ledger["lp-residual"].Quantity);
        var epoch = learned.Report.ReturnedEpoch > 0 ? learned.Report.ReturnedEpoch : learned.Report.EpochsRun;
        var floor = certificate.Ledger["noise-floor"];
        Assert.Equal(learned.Report.NoiseFloors.Where(n => n.Epoch == epoch).Max(n => n.NoiseFloor), floor.Quantity);
        Assert.Equal(0, floor.TotalVariation);
        Assert.Contains("knee", floor.Explanation, StringComparison.Ordinal);
        var assumption = Assert.Single(certificate.Assumptions, a => a.StartsWith("Adaptive schedule", StringComparison.Ordinal));
        Assert.Contains("g_eff", assumption, StringComparison.Ordinal);
        Assert.Contains("do not apply", assumption, StringComparison.Ordinal);

        // A practical run has no noise-floor line.
        Assert.DoesNotContain(APrioriCertificate.Build(Learned.Value.Model, Learned.Value.Report, Schedule, 0.05).Ledger.Terms, t => t.Name == "noise-floor");
    }

    [Fact]
    public void An_accepted_run_that_returns_kept_tails_has_no_a_priori_bound()
    {
        // A8: the witness search checked the truncated bases; a model that keeps the tails is not the checked one.
        var learned = AdaptiveLearned.Value;
        Assert.True(learned.Report.Accepted);
        var truncated = learned.Report with { ReturnedTail = false };
        var withTails = learned.Report with { ReturnedTail = true };
        var holds = APrioriCertificate.Build(learned.Model, truncated, new AdaptiveSchedule(), 0.05);
        var none = APrioriCertificate.Build(learned.Model, withTails, new AdaptiveSchedule(), 0.05);
        Assert.True(holds.Holds);
        Assert.True(double.IsFinite(holds.KullbackLeibler), $"KL bound {holds.KullbackLeibler}");
        Assert.False(none.Holds);
        Assert.Equal(1.0, none.TotalVariation);
        Assert.Equal(double.PositiveInfinity, none.KullbackLeibler);
        Assert.Contains(none.Assumptions, a => a.Contains("keeps the tails", StringComparison.Ordinal) && a.Contains("hold-out", StringComparison.Ordinal));
        Assert.DoesNotContain(holds.Assumptions, a => a.Contains("keeps the tails", StringComparison.Ordinal));
    }
}
