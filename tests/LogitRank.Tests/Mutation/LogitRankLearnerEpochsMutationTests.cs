using LogitRank.Learning;
using LogitRank.Models;
using LogitRank.Oracles;

namespace LogitRank.Tests.Mutation;

/// <summary>
/// The epoch loop of <see cref="LogitRankLearner"/>: it stops at the first accepting epoch, runs exactly
/// <c>MaxEpochs</c> epochs when none accepts, reports every epoch it ran, numbered 1.., rebuilds the bases only when not accepted, and flags options outside the
/// analysis only when used (proofs-notes/mutation.md).
/// </summary>
public class LogitRankLearnerEpochsMutationTests
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
}
