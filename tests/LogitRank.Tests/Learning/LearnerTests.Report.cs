using LogitRank.Learning;
using LogitRank.Models;
using LogitRank.Oracles;

namespace LogitRank.Tests.Learning;

/// <summary>
/// Bookkeeping of <see cref="LogitRankLearner"/> that the end-to-end tests do not read: the per-cut witness counts of
/// the report agree with the witnesses listed epoch by epoch.
/// </summary>
public partial class LearnerTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void Per_cut_witness_counts_equal_the_witnesses_listed_by_the_epochs(int witnessesPerEpoch)
    {
        var schedule = new PracticalSchedule { MaxEpochs = 30, ValidationSamples = 32, SpannerSampleCount = 24, WitnessThreshold = 1e-6, WitnessesPerEpoch = witnessesPerEpoch };
        var report = new LogitRankLearner().Learn(new ModelOracle(TimeVaryingIsan.Random(3, 6, 3, seed: 4)), schedule, seed: 2).Report;
        var listed = report.Epochs.SelectMany(e => e.Witnesses).ToArray();
        Assert.True(listed.Length >= 2, $"the run found {listed.Length} witnesses; the check needs some");
        Assert.Equal(report.Cuts.Count, report.Cuts.Select(c => c.Cut).Distinct().Count());
        foreach (var cut in report.Cuts)
        {
            Assert.Equal(listed.Count(w => w.Cut == cut.Cut), cut.Witnesses);
        }

        // Each cut contributes its largest residual, and the epoch keeps the largest of those: so the epoch's largest
        // witness residual is the largest residual the search saw (ALGORITHM.md, the witness step).
        foreach (var epoch in report.Epochs.Where(e => e.Witnesses.Count > 0))
        {
            Assert.Equal(epoch.MaxResidual, epoch.Witnesses.Max(w => Math.Abs(w.Residual)));
            Assert.True(epoch.Witnesses.Count <= witnessesPerEpoch);
            Assert.Equal(epoch.Witnesses.Count, epoch.Witnesses.Select(w => w.Cut).Distinct().Count());
        }
    }

    [Fact]
    public void Lp_residual_statistics_are_consistent_with_the_feasibility_counts()
    {
        // A random tabular target is far from low rank, so some reconstruction LPs are infeasible (r > τ_lp) and feasible
        // ones have small positive residuals.
        var schedule = new PracticalSchedule { MaxEpochs = 3, ValidationSamples = 16, SpannerSampleCount = 6, LpRelativeTolerance = 1e-3 };
        var report = new LogitRankLearner().Learn(new ModelOracle(TabularModel.Random(3, 5, seed: 5, scale: 1.0)), schedule, seed: 1).Report;
        Assert.Contains(report.Epochs, e => e.InfeasibleLps > 0);
        foreach (var e in report.Epochs)
        {
            if (e.InfeasibleLps > 0)
            {
                Assert.True(e.MaxLpResidual > e.LpTolerance, $"epoch {e.Epoch}: {e.InfeasibleLps} infeasible LPs but max residual {e.MaxLpResidual} <= τ_lp {e.LpTolerance}");
            }
            else
            {
                Assert.True(e.MaxLpResidual <= e.LpTolerance, $"epoch {e.Epoch}: no infeasible LP but max residual {e.MaxLpResidual} > τ_lp {e.LpTolerance}");
            }
        }

        // The largest residual of an accepted (feasible) LP is at most the largest τ_lp, positive here, and below the max.
        var maxTau = report.Epochs.Max(e => e.LpTolerance);
        Assert.True(report.LargestAcceptedLpResidual <= maxTau, $"largest accepted residual {report.LargestAcceptedLpResidual} above τ_lp {maxTau}");
        Assert.True(report.LargestAcceptedLpResidual > 0, "feasible LPs of a full-rank target have positive residuals");
        Assert.True(report.LargestAcceptedLpResidual <= report.Epochs.Max(e => e.MaxLpResidual));
    }
}
