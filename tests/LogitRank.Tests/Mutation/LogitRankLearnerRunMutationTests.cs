using LogitRank.Learning;
using LogitRank.Models;
using LogitRank.Oracles;
using LogitRank.Tests.Learning;
using ScriptedOracle = LogitRank.Tests.Oracles.SpyOracle;

namespace LogitRank.Tests.Mutation;

/// <summary>
/// The run loop of <see cref="LogitRankLearner"/>: progress epochs stay in <c>1..K</c> (<c>K + 1</c> only for the
/// rebuild), so a loop that ran past <c>K</c> or counted down fails fast instead of hanging; a cancellation observed
/// at a phase boundary reaches no oracle; <c>T = 2</c> validates its samples; an oracle reporting <c>k &lt; 2</c> or
/// <c>T &lt; 1</c> is rejected as the oracle argument (proofs-notes/mutation.md).
/// </summary>
public class LogitRankLearnerRunMutationTests
{
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
    public void A_cancellation_at_the_first_phase_reaches_no_oracle()
    {
        var spy = new SpyOracle(new ModelOracle(TimeVaryingIsan.Random(2, 5, 2, seed: 1)));
        using var cts = new CancellationTokenSource();
        var progress = new ListProgress(p =>
        {
            if (p.Phase == LearningPhase.Spanner)
            {
                cts.Cancel();
            }
        });
        Assert.ThrowsAny<OperationCanceledException>(() => new LogitRankLearner().Learn(spy, new PracticalSchedule(), 1, progress, cancellationToken: cts.Token));
        Assert.Equal(0, spy.Queries);
    }

    [Fact]
    public void Horizon_two_validates_every_sample()
    {
        var schedule = new PracticalSchedule { ValidationSamples = 7 };
        var report = new LogitRankLearner().Learn(new ModelOracle(TabularModel.Random(3, 2, seed: 6)), schedule, seed: 2).Report;
        Assert.True(report.Accepted);
        Assert.Equal(7, Assert.Single(report.Epochs).ValidatedSamples);
    }

    [Theory]
    [InlineData(1, 3)]
    [InlineData(2, 0)]
    public void An_oracle_with_k_below_2_or_T_below_1_is_rejected_as_the_oracle_argument(int k, int horizon)
    {
        var e = Assert.Throws<ArgumentException>(() => new LogitRankLearner().Learn(new ScriptedOracle(k, horizon, _ => throw new InvalidOperationException("The learner must reject this oracle before querying it.")), new PracticalSchedule(), 1));
        Assert.Equal("oracle", e.ParamName);
    }
}
