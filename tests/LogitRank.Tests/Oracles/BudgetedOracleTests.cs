using LogitRank.Models;
using LogitRank.Oracles;
using LogitRank.Sequences;

namespace LogitRank.Tests.Oracles;

public partial class BudgetedOracleTests
{
    private static readonly TabularModel Model = TabularModel.Random(2, 5, seed: 3);

    [Fact]
    public void Throws_before_forwarding_the_batch_that_would_exceed_the_budget()
    {
        var spy = new SpyOracle(new ModelOracle(Model));
        var budgeted = spy.WithBudget(10);
        budgeted.Query([Prefix.Empty, Prefix.Of(0), Prefix.Of(1), Prefix.Of(0, 0)], QueryPhase.Sampling);
        budgeted.Query([Prefix.Of(0, 1), Prefix.Of(1, 0), Prefix.Of(1, 1), Prefix.Of(0, 0, 0)], QueryPhase.Spanner);

        var ex = Assert.Throws<QueryBudgetExceededException>(() =>
            budgeted.Query([Prefix.Of(1, 1, 1), Prefix.Of(0, 1, 1), Prefix.Of(1, 0, 1)], QueryPhase.Validation));

        Assert.Equal(10, ex.Budget);
        Assert.Equal(8, ex.Used);
        Assert.Equal(3, ex.Requested);
        Assert.Equal(QueryPhase.Validation, ex.Phase);
        Assert.Equal(4, ex.UsedByPhase[QueryPhase.Sampling]);
        Assert.Equal(4, ex.UsedByPhase[QueryPhase.Spanner]);
        Assert.Equal(0, ex.UsedByPhase[QueryPhase.Validation]);
        Assert.Contains("budget of 10", ex.Message, StringComparison.Ordinal);
        Assert.Contains("8 used", ex.Message, StringComparison.Ordinal);

        // No partial batch: the inner oracle saw only the two accepted batches, and nothing was charged.
        Assert.Equal(2, spy.Batches.Count);
        Assert.Equal(8, spy.TotalQueries);
        Assert.Equal(8, budgeted.Used);
        Assert.Equal(2, budgeted.Remaining);

        // A batch that exactly fills the budget passes; then even one more query fails, an empty batch does not.
        budgeted.Query([Prefix.Of(1, 1, 1), Prefix.Of(0, 1, 1)], QueryPhase.Validation);
        Assert.Equal(10, budgeted.Used);
        Assert.Throws<QueryBudgetExceededException>(() => budgeted.Query(Prefix.Empty));
        Assert.Empty(budgeted.Query([]));
        Assert.Equal(10, spy.TotalQueries);
        Assert.Equal(2, budgeted.Counts[QueryPhase.Validation]);
    }

    [Fact]
    public void Inside_a_cache_repeated_queries_are_free()
    {
        var budgeted = new ModelOracle(Model).WithBudget(2);
        var cache = budgeted.Cached();
        cache.Query([Prefix.Empty, Prefix.Of(1)]);
        for (var i = 0; i < 5; i++)
        {
            cache.Query([Prefix.Of(1), Prefix.Empty, Prefix.Of(1)]);
        }

        Assert.Equal(2, budgeted.Used);
        Assert.Throws<QueryBudgetExceededException>(() => cache.Query(Prefix.Of(0)));
    }

    [Fact]
    public void Outside_a_cache_every_requested_prefix_is_charged()
    {
        var budgeted = new ModelOracle(Model).Cached().WithBudget(5);
        budgeted.Query([Prefix.Empty, Prefix.Of(1)]);
        budgeted.Query([Prefix.Empty, Prefix.Of(1)]);
        Assert.Equal(4, budgeted.Used);
        var ex = Assert.Throws<QueryBudgetExceededException>(() => budgeted.Query([Prefix.Empty, Prefix.Empty]));
        Assert.Equal(4, ex.Used);
    }

    [Fact]
    public void Zero_budget_allows_only_empty_batches_and_negative_budget_is_rejected()
    {
        var budgeted = new ModelOracle(Model).WithBudget(0);
        Assert.Empty(budgeted.Query([]));
        Assert.Throws<QueryBudgetExceededException>(() => budgeted.Query(Prefix.Empty));
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new ModelOracle(Model).WithBudget(-1));
        Assert.Contains("-1", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Concurrent_batches_never_exceed_the_budget()
    {
        var spy = new SpyOracle(new ModelOracle(Model));
        var budgeted = spy.WithBudget(100);
        var rejected = 0;
        Parallel.For(0, 60, _ =>
        {
            try
            {
                budgeted.Query([Prefix.Empty, Prefix.Of(0), Prefix.Of(1)]);
            }
            catch (QueryBudgetExceededException)
            {
                Interlocked.Increment(ref rejected);
            }
        });

        // 33 batches of 3 fit in 100 (99 queries); the other 27 are rejected whole.
        Assert.Equal(99, spy.TotalQueries);
        Assert.Equal(27, rejected);
        Assert.Equal(99, budgeted.Used);
    }
}
