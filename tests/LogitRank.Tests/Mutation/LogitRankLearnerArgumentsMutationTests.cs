using LogitRank.Learning;
using LogitRank.Models;
using LogitRank.Oracles;

namespace LogitRank.Tests.Mutation;

/// <summary>
/// <see cref="LogitRankLearner.Learn"/> checks its arguments by name and honours an already-cancelled token before it
/// reports any progress (proofs-notes/mutation.md).
/// </summary>
public class LogitRankLearnerArgumentsMutationTests
{
    private sealed class Recorder : IProgress<LearningProgress>
    {
        public int Reports { get; private set; }

        public void Report(LearningProgress value) => Reports++;
    }

    [Fact]
    public void Learn_rejects_null_oracle_and_schedule_by_name()
    {
        var oracle = new ModelOracle(TimeVaryingIsan.Random(2, 4, 1, seed: 1));
        Assert.Equal("oracle", Assert.Throws<ArgumentNullException>(() => new LogitRankLearner().Learn(null!, new PracticalSchedule(), 1)).ParamName);
        Assert.Equal("schedule", Assert.Throws<ArgumentNullException>(() => new LogitRankLearner().Learn(oracle, null!, 1)).ParamName);
    }

    [Fact]
    public void Schedule_summary_rejects_a_null_schedule_by_name() =>
        Assert.Equal("schedule", Assert.Throws<ArgumentNullException>(() => ScheduleSummary.From(null!)).ParamName);

    [Fact]
    public void A_cancelled_token_stops_learning_before_any_progress_report()
    {
        var oracle = new ModelOracle(TimeVaryingIsan.Random(2, 4, 1, seed: 1));
        var progress = new Recorder();
        Assert.ThrowsAny<OperationCanceledException>(() => new LogitRankLearner().Learn(oracle, new PracticalSchedule(), 1, progress, cancellationToken: new CancellationToken(true)));
        Assert.Equal(0, progress.Reports);
    }
}
