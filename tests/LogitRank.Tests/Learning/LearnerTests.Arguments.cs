using LogitRank.Learning;
using LogitRank.Models;
using LogitRank.Oracles;

namespace LogitRank.Tests.Learning;

/// <summary>
/// <see cref="LogitRankLearner.Learn"/> checks its arguments by name (the oracle's k and T, a schedule without spanner
/// samples) before any query, and a cancellation observed at the first phase boundary reaches no oracle.
/// </summary>
public partial class LearnerTests
{
    [Fact]
    public void Learn_rejects_null_oracle_and_schedule_by_name()
    {
        var oracle = new ModelOracle(TimeVaryingIsan.Random(2, 4, 1, seed: 1));
        Assert.Equal("oracle", Assert.Throws<ArgumentNullException>(() => new LogitRankLearner().Learn(null!, new PracticalSchedule(), 1)).ParamName);
        Assert.Equal("schedule", Assert.Throws<ArgumentNullException>(() => new LogitRankLearner().Learn(oracle, null!, 1)).ParamName);
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
    public void A_schedule_asking_for_no_spanner_samples_is_rejected()
    {
        var oracle = new ModelOracle(TimeVaryingIsan.Random(2, 4, 1, seed: 1));
        var e = Assert.Throws<InvalidOperationException>(() => new LogitRankLearner().Learn(oracle, new NoSpannerSamples(), seed: 1));
        Assert.Contains("N_1 = 0", e.Message, StringComparison.Ordinal);
    }

    private sealed class NoSpannerSamples : ILearningSchedule
    {
        private readonly PracticalSchedule _inner = new();

        public string Kind => "test";

        public int MaxEpochs => _inner.MaxEpochs;

        public int ValidationSamples => _inner.ValidationSamples;

        public double WitnessThreshold => _inner.WitnessThreshold;

        public int WitnessesPerEpoch => _inner.WitnessesPerEpoch;

        public long? QueryBudget => _inner.QueryBudget;

        public double Beta => _inner.Beta;

        public double LpRelativeTolerance => _inner.LpRelativeTolerance;

        public FallbackPolicy Fallback => _inner.Fallback;

        public double SpannerRankTolerance => _inner.SpannerRankTolerance;

        public double ZeroRowTolerance => _inner.ZeroRowTolerance;

        public int SpannerSamples(int cut, int extendedFutureSize) => 0;
    }

    [Theory]
    [InlineData(1, 3)] // k < 2
    [InlineData(2, 0)] // T < 1
    public void An_oracle_with_a_bad_alphabet_or_horizon_is_rejected_by_name(int k, int horizon)
    {
        var oracle = new LogitRank.Tests.Oracles.SpyOracle(k, horizon, _ => throw new InvalidOperationException("must not be queried"));
        var e = Assert.Throws<ArgumentException>(() => new LogitRankLearner().Learn(oracle, new PracticalSchedule(), seed: 1));
        Assert.Equal("oracle", e.ParamName);
        Assert.Contains($"The oracle reports k = {k}, T = {horizon}; expected k >= 2 and T >= 1.", e.Message, StringComparison.Ordinal);
        Assert.Empty(oracle.Batches);
    }

    [Fact]
    public void Learning_through_a_null_cache_is_rejected_by_parameter_name()
    {
        var e = Assert.Throws<ArgumentNullException>(() => new LogitRankLearner().LearnThrough(null!, new PracticalSchedule(), 1));
        Assert.Equal("oracle", e.ParamName);
    }
}
