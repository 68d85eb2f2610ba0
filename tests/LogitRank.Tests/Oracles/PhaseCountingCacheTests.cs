using LogitRank.Models;
using LogitRank.Oracles;
using LogitRank.Sequences;

namespace LogitRank.Tests.Oracles;

public class PhaseCountingCacheTests
{
    private static readonly TabularModel Model = TabularModel.Random(2, 5, seed: 3);

    [Fact]
    public void Each_distinct_prefix_is_paid_once_by_the_phase_that_first_asked_and_repeats_are_identical_in_any_phase()
    {
        var spy = new SpyOracle(new ModelOracle(Model));
        var cache = new PhaseCountingCache(spy);
        var first = cache.Query([Prefix.Empty, Prefix.Of(0), Prefix.Of(0)], QueryPhase.Sampling);
        var again = cache.Query([Prefix.Of(0), Prefix.Of(1)], QueryPhase.Certification);

        Assert.Same(first[1], again[0]); // the identical instance, although another phase asked
        Assert.Same(first[1], first[2]);
        Assert.Equal(3, spy.TotalQueries); // ∅, 0, 1: each reached the oracle once
        Assert.Equal(2, cache.Paid[QueryPhase.Sampling]);
        Assert.Equal(1, cache.Paid[QueryPhase.Certification]);
        Assert.Equal(3, cache.Paid.Total);
        Assert.Equal(2, cache.Paid.Batches);

        // A batch of repeats reaches no oracle and pays nothing.
        cache.Query([Prefix.Empty, Prefix.Of(1)], QueryPhase.Validation);
        Assert.Equal(2, spy.Batches.Count);
        Assert.Equal(0, cache.Paid[QueryPhase.Validation]);
    }

    [Fact]
    public void Paid_since_a_snapshot_is_what_was_paid_after_it_by_phase()
    {
        var cache = new PhaseCountingCache(new ModelOracle(Model));
        cache.Query([Prefix.Empty, Prefix.Of(0)], QueryPhase.Spanner);
        var start = cache.Paid;
        cache.Query([Prefix.Of(0), Prefix.Of(1), Prefix.Of(1, 1)], QueryPhase.Spanner); // one repeat, two new
        cache.Query([Prefix.Of(0, 0)], QueryPhase.Certification);

        var since = cache.PaidSince(start);
        Assert.Equal(2, since[QueryPhase.Spanner]);
        Assert.Equal(1, since[QueryPhase.Certification]);
        Assert.Equal(3, since.Total);
        Assert.Equal(2, since.Batches);
        Assert.Equal(QueryCounts.Zero, cache.PaidSince(cache.Paid));
    }

    [Fact]
    public void A_budget_limits_only_the_queries_paid_while_it_is_open_and_repeats_stay_free()
    {
        var spy = new SpyOracle(new ModelOracle(Model));
        var cache = new PhaseCountingCache(spy);
        cache.Query([Prefix.Empty, Prefix.Of(0), Prefix.Of(1)], QueryPhase.Other); // paid before the budget opens
        using (cache.LimitPaidQueries(2))
        {
            cache.Query([Prefix.Empty, Prefix.Of(0, 0)], QueryPhase.Spanner); // one repeat (free), one paid
            var ex = Assert.Throws<QueryBudgetExceededException>(() => cache.Query([Prefix.Of(0, 1), Prefix.Of(1, 0)], QueryPhase.Validation));
            Assert.Equal(2, ex.Budget);
            Assert.Equal(1, ex.Used);
            Assert.Equal(2, ex.Requested);
            Assert.Equal(1, ex.UsedByPhase[QueryPhase.Spanner]); // the counts paid under the budget only
            Assert.Equal(1, ex.UsedByPhase.Total);
            Assert.Equal(4, spy.TotalQueries); // the rejected batch reached nothing

            // Only one budget at a time.
            Assert.Throws<InvalidOperationException>(() => cache.LimitPaidQueries(5));
        }

        // Closed: the same batch is paid in full (the certifier after the learner is not budgeted).
        cache.Query([Prefix.Of(0, 1), Prefix.Of(1, 0)], QueryPhase.Certification);
        Assert.Equal(6, spy.TotalQueries);
        Assert.Equal(2, cache.Paid[QueryPhase.Certification]);
        Assert.Throws<ArgumentOutOfRangeException>(() => cache.LimitPaidQueries(-1));
    }

    [Fact]
    public void Ask_checks_cancellation_first_and_asks_nothing_for_an_empty_batch()
    {
        var spy = new SpyOracle(new ModelOracle(Model));
        var cache = new PhaseCountingCache(spy);
        Assert.Empty(cache.Ask([], QueryPhase.Spanner, CancellationToken.None));
        Assert.Equal(0, cache.Paid.Batches);
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.Throws<OperationCanceledException>(() => cache.Ask([Prefix.Empty], QueryPhase.Spanner, cancelled.Token));
        Assert.Empty(spy.Batches);
        Assert.Equal(2, cache.Ask([Prefix.Empty, Prefix.Of(1)], QueryPhase.Spanner, CancellationToken.None).Count);
        Assert.Throws<ArgumentNullException>(() => new PhaseCountingCache(null!));
    }

    [Fact]
    public void A_null_oracle_and_a_null_snapshot_are_named()
    {
        Assert.Equal("oracle", Assert.Throws<ArgumentNullException>(() => new PhaseCountingCache(null!)).ParamName);
        var cache = new PhaseCountingCache(new ModelOracle(Model));
        cache.Query([Prefix.Empty], QueryPhase.Spanner);
        Assert.Equal("start", Assert.Throws<ArgumentNullException>(() => cache.PaidSince(null!)).ParamName);
    }
}
