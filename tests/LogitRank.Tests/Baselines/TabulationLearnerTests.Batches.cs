using LogitRank.Baselines;
using LogitRank.Oracles;
using LogitRank.Sequences;
using LogitRank.Tests.Evaluation;
using LogitRank.Tests.Oracles;

namespace LogitRank.Tests.Baselines;

/// <summary>
/// The tabulation baseline's documented batching (at most <c>BatchSize</c> prefixes per batch, shortest first, in
/// lexicographic order, no empty batch), its cancellation between batches, its check of the oracle's answer count, the
/// edges of its options and the saturation of <c>(k^T - 1)/(k - 1)</c>.
/// </summary>
public partial class TabulationLearnerTests
{
    private static SpyOracle Spy(int k, int horizon) => new(new ModelOracle(TestModels.FromNext(k, horizon, _ => [.. Enumerable.Repeat(1.0 / k, k)])));

    [Fact]
    public void Batches_hold_at_most_the_batch_size_in_order()
    {
        var spy = Spy(2, 3);
        new TabulationLearner(batchSize: 3).Learn(spy);
        var expected = SequenceSpace.AllUpTo(2, 2).ToArray(); // ε, 0, 1, 00, 01, 10, 11
        Assert.Equal([3, 3, 1], spy.Batches.Select(b => b.Batch.Length));
        Assert.Equal(expected, spy.Batches.SelectMany(b => b.Batch));
    }

    [Fact]
    public void A_table_that_fills_the_last_batch_sends_no_empty_batch()
    {
        var spy = Spy(2, 3);
        new TabulationLearner(batchSize: 7).Learn(spy);
        Assert.Equal([7], spy.Batches.Select(b => b.Batch.Length));
    }

    [Fact]
    public void The_smallest_options_are_valid()
    {
        var spy = Spy(2, 2);
        new TabulationLearner(batchSize: 1).Learn(spy);
        Assert.Equal([1, 1, 1], spy.Batches.Select(b => b.Batch.Length));

        var single = Spy(2, 1);
        var model = new TabulationLearner(maxPrefixes: 1).Learn(single);
        Assert.Equal(0.5, model.NextTokenLogits(Prefix.Empty).Probabilities()[0], 1e-15);
        Assert.Equal("tabulation", new TabulationLearner().Name);
    }

    [Fact]
    public void Cancellation_stops_before_the_next_batch()
    {
        using var source = new CancellationTokenSource();
        var spy = Spy(2, 3);
        spy.OnQuery = _ => source.Cancel();
        Assert.Throws<OperationCanceledException>(() => new TabulationLearner(batchSize: 3).Learn(spy, source.Token));
        Assert.Single(spy.Batches);
    }

    [Fact]
    public void A_wrong_number_of_answers_is_reported()
    {
        var inner = new ModelOracle(TestModels.Iid(3, 0.5, 0.5));
        var spy = new SpyOracle(2, 3, batch => [.. inner.Query(batch).Skip(1)]);
        var error = Assert.Throws<InvalidOperationException>(() => new TabulationLearner(batchSize: 3).Learn(spy));
        Assert.Contains("answered 2 vectors for a batch of 3 prefixes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_query_count_saturates_exactly_when_it_overflows()
    {
        // (4^32 - 1)/3 = 6,148,914,691,236,517,205 < 2^63 - 1 < (4^33 - 1)/3.
        Assert.Equal(6_148_914_691_236_517_205L, TabulationLearner.QueryCost(4, 32));
        Assert.Equal(long.MaxValue, TabulationLearner.QueryCost(4, 33));
        Assert.Equal(long.MaxValue, TabulationLearner.QueryCost(4, 100));
        Assert.Equal("horizon", Assert.Throws<ArgumentOutOfRangeException>(() => TabulationLearner.QueryCost(2, 0)).ParamName);
        Assert.Equal("alphabetSize", Assert.Throws<ArgumentOutOfRangeException>(() => TabulationLearner.QueryCost(1, 2)).ParamName);
    }
}
