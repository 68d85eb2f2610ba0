using LogitRank.Learning;
using LogitRank.Models;
using LogitRank.Oracles;

namespace LogitRank.Tests.Learning;

/// <summary>
/// The epoch loop of <see cref="LogitRankLearner"/>: it stops at the first accepting epoch, runs exactly
/// <c>MaxEpochs</c> epochs when none accepts, reports every epoch it ran, numbered 1.., rebuilds the bases only when not accepted, and flags options outside the
/// analysis only when used.
/// </summary>
public partial class LearnerTests
{
    [Fact]
    public void Learning_stops_at_the_first_accepting_epoch()
    {
        var schedule = new PracticalSchedule { MaxEpochs = 40, ValidationSamples = 12, SpannerSampleCount = 12, WitnessThreshold = 1e-6 };
        var report = new LogitRankLearner().Learn(new ModelOracle(TimeVaryingIsan.Random(2, 5, 2, seed: 3)), schedule, seed: 1).Report;
        Assert.True(report.Accepted);
        Assert.Equal(report.Epochs.Count, report.EpochsRun);
        Assert.True(report.EpochsRun < 40);
        Assert.Equal(Enumerable.Range(1, report.EpochsRun), report.Epochs.Select(e => e.Epoch));
        Assert.True(report.Epochs[^1].Accepted);
        Assert.All(report.Epochs.Take(report.EpochsRun - 1), e => Assert.False(e.Accepted));
        Assert.False(report.BasesRebuilt); // accepted: the model is the accepting epoch's
        // One witness per epoch and the uniform fallback are the analysis settings (the PracticalSchedule defaults).
        Assert.False(report.OutsideAnalysis);
        Assert.Empty(report.OutsideAnalysisReasons);
    }

    [Fact]
    public void Without_acceptance_exactly_max_epochs_run()
    {
        // A random tabular target is far from low rank: with g = 1e-6 and few samples no epoch accepts.
        var schedule = new PracticalSchedule { MaxEpochs = 3, ValidationSamples = 8, SpannerSampleCount = 4, WitnessThreshold = 1e-6, LpRelativeTolerance = 100 };
        var report = new LogitRankLearner().Learn(new ModelOracle(TabularModel.Random(3, 5, seed: 5, scale: 1.0)), schedule, seed: 1).Report;
        Assert.False(report.Accepted);
        Assert.Equal(3, report.EpochsRun);
        Assert.Equal([1, 2, 3], report.Epochs.Select(e => e.Epoch));
        // Not accepted: the bases are rebuilt exactly when the last epoch's witnesses changed the future sets.
        Assert.NotEmpty(report.Epochs[^1].Witnesses);
        Assert.True(report.BasesRebuilt);
    }

    /// <summary>Throws (ending the run) on a progress report whose epoch is outside 1..K, except K + 1 from the Rebuild report on (the rebuild's own spanner phase).</summary>
    private sealed class EpochRangeGuard(int maxEpochs) : IProgress<LearningProgress>
    {
        private bool _rebuilding;

        public List<int> Epochs { get; } = [];

        public void Report(LearningProgress value)
        {
            _rebuilding |= value.Phase == LearningPhase.Rebuild;
            var ok = value.Epoch >= 1 && (value.Epoch <= maxEpochs || (value.Epoch == maxEpochs + 1 && _rebuilding));
            if (!ok)
            {
                throw new InvalidOperationException($"Progress for epoch {value.Epoch} ({value.Phase}) with K = {maxEpochs}.");
            }

            Epochs.Add(value.Epoch);
        }
    }

    [Theory]
    [InlineData(3, false)]   // a random tabular target: no epoch accepts, the bases are rebuilt at K + 1
    [InlineData(40, true)]   // an exact-rank ISAN: an early epoch accepts
    public void Progress_epochs_stay_within_the_epoch_budget(int maxEpochs, bool accepts)
    {
        ISequenceModel target = accepts ? TimeVaryingIsan.Random(2, 5, 2, seed: 3) : TabularModel.Random(3, 5, seed: 5, scale: 1.0);
        var schedule = new PracticalSchedule { MaxEpochs = maxEpochs, ValidationSamples = 12, SpannerSampleCount = 8, WitnessThreshold = 1e-6, LpRelativeTolerance = 100 };
        var guard = new EpochRangeGuard(maxEpochs);
        var report = new LogitRankLearner().Learn(new ModelOracle(target), schedule, seed: 1, guard).Report;
        Assert.Equal(accepts, report.Accepted);
        Assert.Equal(Enumerable.Range(1, report.EpochsRun), guard.Epochs.Distinct().Where(e => e <= maxEpochs));
    }

    [Fact]
    public void Horizon_two_validates_every_sample()
    {
        var schedule = new PracticalSchedule { ValidationSamples = 7 };
        var report = new LogitRankLearner().Learn(new ModelOracle(TabularModel.Random(3, 2, seed: 6)), schedule, seed: 2).Report;
        Assert.True(report.Accepted);
        Assert.Equal(7, Assert.Single(report.Epochs).ValidatedSamples);
    }
}
