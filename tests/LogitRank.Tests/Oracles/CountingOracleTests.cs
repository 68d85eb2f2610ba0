using LogitRank.Models;
using LogitRank.Oracles;
using LogitRank.Sequences;

namespace LogitRank.Tests.Oracles;

public partial class CountingOracleTests
{
    private static readonly TabularModel Model = TabularModel.Random(3, 4, seed: 7);

    [Fact]
    public void Counts_every_prefix_by_phase_and_every_batch()
    {
        var counting = new ModelOracle(Model).Counting();
        counting.Query([Prefix.Empty, Prefix.Of(1), Prefix.Of(1)], QueryPhase.Sampling);
        counting.Query([Prefix.Of(2, 0)], QueryPhase.Spanner);
        counting.Query([], QueryPhase.Validation);
        counting.Query([Prefix.Of(0)]);

        var counts = counting.Counts;
        Assert.Equal(3, counts[QueryPhase.Sampling]); // duplicates count: the counter sees what is passed through
        Assert.Equal(1, counts[QueryPhase.Spanner]);
        Assert.Equal(0, counts[QueryPhase.Validation]);
        Assert.Equal(1, counts[QueryPhase.Other]);
        Assert.Equal(0, counts[QueryPhase.Certification]);
        Assert.Equal(5, counts.Total);
        Assert.Equal(4, counts.Batches);
    }

    [Fact]
    public void Counts_is_a_snapshot_that_later_queries_do_not_change()
    {
        var counting = new ModelOracle(Model).Counting();
        counting.Query([Prefix.Empty], QueryPhase.Sampling);
        var before = counting.Counts;
        counting.Query([Prefix.Of(1), Prefix.Of(2)], QueryPhase.Sampling);
        Assert.Equal(1, before.Total);
        Assert.Equal(1, before.Batches);
        Assert.Equal(3, counting.Counts.Total);
    }

    [Fact]
    public void Reset_returns_the_old_counts_and_zeroes()
    {
        var counting = new ModelOracle(Model).Counting();
        counting.Query([Prefix.Empty, Prefix.Of(0)], QueryPhase.Analysis);
        var old = counting.Reset();
        Assert.Equal(2, old[QueryPhase.Analysis]);
        Assert.Equal(0, counting.Counts.Total);
        Assert.Equal(0, counting.Counts.Batches);
    }

    [Fact]
    public void A_batch_the_inner_oracle_rejects_is_not_counted()
    {
        var counting = new ModelOracle(Model).WithBudget(1).Counting();
        Assert.Throws<QueryBudgetExceededException>(() => counting.Query([Prefix.Empty, Prefix.Of(0)]));
        Assert.Equal(0, counting.Counts.Total);
        Assert.Equal(0, counting.Counts.Batches);
    }

    [Fact]
    public void Concurrent_batches_are_all_counted()
    {
        var counting = new ModelOracle(Model).Counting();
        Prefix[] batch = [Prefix.Empty, Prefix.Of(1), Prefix.Of(2, 2)];
        Parallel.For(0, 200, i => counting.Query(batch, i % 2 == 0 ? QueryPhase.Spanner : QueryPhase.Validation));
        Assert.Equal(300, counting.Counts[QueryPhase.Spanner]);
        Assert.Equal(300, counting.Counts[QueryPhase.Validation]);
        Assert.Equal(200, counting.Counts.Batches);
    }

    [Fact]
    public void Answers_are_the_inner_answers()
    {
        var counting = new ModelOracle(Model).Counting();
        Assert.Equal(Model.NextTokenLogits(Prefix.Of(2, 1)), counting.Query(Prefix.Of(2, 1)));
    }

    [Fact]
    public void QueryCounts_compare_by_value_ignoring_zero_phases()
    {
        var a = new QueryCounts(new Dictionary<QueryPhase, long> { [QueryPhase.Sampling] = 3, [QueryPhase.Spanner] = 0 }, 2);
        var b = new QueryCounts(new Dictionary<QueryPhase, long> { [QueryPhase.Sampling] = 3 }, 2);
        var c = new QueryCounts(new Dictionary<QueryPhase, long> { [QueryPhase.Sampling] = 4 }, 2);
        var d = new QueryCounts(new Dictionary<QueryPhase, long> { [QueryPhase.Sampling] = 3 }, 3);
        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, c);
        Assert.NotEqual(a, d);
        Assert.Equal("total=3 batches=2 (Sampling=3)", a.ToString());
    }
}
