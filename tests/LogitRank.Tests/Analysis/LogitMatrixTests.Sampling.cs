using LogitRank.Analysis;
using LogitRank.Models;
using LogitRank.Numerics;
using LogitRank.Oracles;
using LogitRank.Sequences;
using LogitRank.Tests.Models;
using LogitRank.Tests.Oracles;

namespace LogitRank.Tests.Analysis;

/// <summary>
/// The documented choices of <see cref="LogitMatrix"/>: which side is sampled, how long the
/// drawn sequences are, the cap on sampled futures, the batch boundary at 16384 prefixes, the messages that name a bad
/// history or future by index, and the order of argument checks of the sampled overloads.
/// </summary>
public partial class LogitMatrixTests
{
    private static readonly ISequenceModel Isan = TimeVaryingIsan.Random(2, 6, 2, seed: 4);

    [Fact]
    public void A_token_outside_the_alphabet_names_the_history_or_future_by_index()
    {
        var oracle = new ModelOracle(TimeVaryingIsan.Random(3, 4, 2, seed: 5));
        var history = Assert.Throws<ArgumentOutOfRangeException>(() => LogitMatrix.Build(oracle, 1, [Prefix.Of(0), Prefix.Of(3)], [Prefix.Empty]));
        Assert.Equal("histories", history.ParamName);
        Assert.Contains("of history 1 = [3]", history.Message, StringComparison.Ordinal);

        var future = Assert.Throws<ArgumentOutOfRangeException>(() => LogitMatrix.Build(oracle, 1, [Prefix.Of(0)], [Prefix.Empty, Prefix.Of(1, 4)]));
        Assert.Equal("futures", future.ParamName);
        Assert.Contains("of future 1 = [1,4]", future.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Exactly_16384_distinct_prefixes_take_one_batch_and_more_take_a_second()
    {
        // k = 2, s = 14: the 2^14 = 16384 histories with the empty future are 16384 distinct prefixes. The oracle
        // answers the uniform vector (the entries are not the point here).
        var oracle = new SpyOracle(2, 15, batch => [.. batch.Select(_ => LogitVector.Uniform(2))]);
        var histories = SequenceSpace.All(2, 14).ToArray();
        var full = LogitMatrix.Build(oracle, 14, histories, [Prefix.Empty]);
        Assert.Equal(16384, full.RowCount);
        Assert.Equal([16384], oracle.Batches.Select(b => b.Batch.Length));

        // s = 13: 2^13 histories times 3 futures are 24576 distinct prefixes: a full batch, then the rest.
        var over = new SpyOracle(2, 15, batch => [.. batch.Select(_ => LogitVector.Uniform(2))]);
        LogitMatrix.Build(over, 13, [.. SequenceSpace.All(2, 13)], [Prefix.Empty, Prefix.Of(0), Prefix.Of(1)]);
        Assert.Equal([16384, 8192], over.Batches.Select(b => b.Batch.Length));
    }

    [Fact]
    public void The_model_overload_names_a_null_model_before_a_null_random()
    {
        Assert.Equal("model", Assert.Throws<ArgumentNullException>(() => LogitMatrix.Build((ISequenceModel)null!, 0, new LogitMatrixSampling(), null!)).ParamName);
    }

    [Fact]
    public void A_cancelled_token_stops_the_model_overload_before_it_draws()
    {
        // 2^3 = 8 > 2 histories at s = 3: the rows are sampled, so sequences would be drawn.
        var model = new SpyModel(Isan);
        using var cancellation = new CancellationTokenSource();
        cancellation.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => LogitMatrix.Build(model, 3, new LogitMatrixSampling { HistoryCount = 2 }, new Random(1), cancellation.Token));
        Assert.Equal(0, model.Samples);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(6)]
    [InlineData(9)]
    public void A_cut_outside_the_horizon_is_rejected_by_name_before_anything_is_drawn(int cut)
    {
        var model = new SpyModel(Isan);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => LogitMatrix.Build(model, cut, new LogitMatrixSampling { HistoryCount = 2, FutureCount = 2 }, new Random(1)));
        Assert.Equal("cut", e.ParamName);
        Assert.Contains($"Cut s = {cut} is outside 0..T-1 = 0..5", e.Message, StringComparison.Ordinal);
        Assert.Equal(0, model.Samples);
    }

    [Fact]
    public void Without_exhaustive_histories_the_rows_are_drawn_even_when_all_would_fit()
    {
        // k^s = 2 <= 8 histories and |Σ^{<=4}| = 31 <= 40 futures at s = 1: with ExhaustiveHistories off the 8 rows are
        // drawn (repeats kept); the futures are all of them, so exactly 8 sequences are drawn.
        var model = new SpyModel(Isan);
        var m = LogitMatrix.Build(model, 1, new LogitMatrixSampling { HistoryCount = 8, FutureCount = 40, ExhaustiveHistories = false }, new Random(3));
        Assert.Equal(8, m.RowCount);
        Assert.Equal(8, model.Samples);
        Assert.Equal(SequenceSpace.AllUpTo(2, 4), m.Futures);

        // With it on (the default) the two histories are used and nothing is drawn.
        var all = new SpyModel(Isan);
        var n = LogitMatrix.Build(all, 1, new LogitMatrixSampling { HistoryCount = 8, FutureCount = 40 }, new Random(3));
        Assert.Equal(SequenceSpace.All(2, 1), n.Histories);
        Assert.Equal(0, all.Samples);
    }

    [Fact]
    public void Without_exhaustive_futures_the_futures_are_drawn_even_when_all_would_fit()
    {
        // At s = 4 (T = 6) there are 2^4 = 16 <= 16 histories (all used) and |Σ^{<=1}| = 3 <= 5 futures; with
        // ExhaustiveFutures off, FutureCount = 5 sequences are drawn to choose them.
        var model = new SpyModel(Isan);
        var m = LogitMatrix.Build(model, 4, new LogitMatrixSampling { HistoryCount = 16, FutureCount = 5, ExhaustiveFutures = false }, new Random(3));
        Assert.Equal(5, model.Samples);
        Assert.Equal(SequenceSpace.All(2, 4), m.Histories);
        Assert.Equal(Prefix.Empty, m.Futures[0]);
        Assert.All(m.Futures, f => Assert.InRange(f.Length, 0, 1));

        // At the last cut the only future is ε even when sampled: L is uniform on 0..T-1-s = {0}.
        var last = LogitMatrix.Build(Isan, 5, new LogitMatrixSampling { HistoryCount = 40, FutureCount = 5, ExhaustiveFutures = false }, new Random(3));
        Assert.Equal([Prefix.Empty], last.Futures);
    }

    [Fact]
    public void Sampled_histories_alone_draw_prefixes_of_length_s_through_the_oracle()
    {
        // k^s = 16 > 4 rows at s = 4: histories are sampled; the futures are given. OracleSampler queries one batch per
        // drawn token, so drawing length-s prefixes takes s = 4 sampling batches, each of the 4 prefixes, none longer
        // than s - 1 = 3.
        var spy = new SpyOracle(new ModelOracle(Isan));
        var m = LogitMatrix.Build(spy, 4, new LogitMatrixSampling { HistoryCount = 4, Futures = [Prefix.Empty, Prefix.Of(1)] }, new Random(2));
        Assert.Equal(4, m.RowCount);
        var sampling = spy.Batches.Where(b => b.Phase == QueryPhase.Sampling).ToList();
        Assert.Equal(4, sampling.Count);
        Assert.All(sampling, b => Assert.Equal(4, b.Batch.Length));
        Assert.All(sampling.SelectMany(b => b.Batch), p => Assert.InRange(p.Length, 0, 3));
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(1, 2)]
    [InlineData(2, 3)]
    [InlineData(3, 4)]
    public void Sampled_futures_are_capped_at_the_future_count(int futureCount, int seed)
    {
        // T = 8, s = 0: continuations of length L uniform on 0..7 over k = 3 tokens are almost always new, so without the
        // cap the list (which starts with ε) would reach futureCount + 1.
        var model = TimeVaryingIsan.Random(3, 8, 2, seed: 6);
        var m = LogitMatrix.Build(model, 0, new LogitMatrixSampling { HistoryCount = 1, FutureCount = futureCount }, new Random(seed));
        Assert.Equal(Prefix.Empty, m.Futures[0]);
        Assert.InRange(m.Futures.Count, 1, futureCount);
        if (futureCount == 1)
        {
            Assert.Equal([Prefix.Empty], m.Futures);
        }
    }

    [Fact]
    public void Sampled_future_lengths_reach_T_minus_1_minus_s()
    {
        // T = 7, s = 3, k = 3: |Σ^{<=3}| = 40 > 30, so futures are sampled with L uniform on 0..3. Among 30 draws the
        // probability that no length-3 continuation appears is (3/4)^30 < 2e-4; the seed is fixed, so this is a
        // deterministic check that the longest allowed length occurs.
        var model = TimeVaryingIsan.Random(3, 7, 2, seed: 8);
        var m = LogitMatrix.Build(model, 3, new LogitMatrixSampling { HistoryCount = 5, FutureCount = 30 }, new Random(11));
        Assert.Equal(3, m.Futures.Max(f => f.Length));
        Assert.Contains(m.Futures, f => f.Length == 2);
    }

    [Fact]
    public void A_count_that_overflows_a_long_is_more_than_any_limit()
    {
        // With 4^35 = 2^70 histories, SequenceSpace.Count overflows: the count must then read as "more than HistoryCount"
        // so that rows are sampled. Tested on the helper directly: an end-to-end test would make a mutant that reads an
        // overflow as "fits" enumerate 2^70 histories until memory runs out.
        Assert.False(LogitMatrix.CountAtMost(() => SequenceSpace.Count(4, 35), int.MaxValue));
        Assert.False(LogitMatrix.CountAtMost(() => throw new OverflowException(), 1));
        Assert.True(LogitMatrix.CountAtMost(() => SequenceSpace.Count(4, 3), 64));
        Assert.False(LogitMatrix.CountAtMost(() => SequenceSpace.Count(4, 3), 63));
    }

    [Fact]
    public void A_history_count_of_one_is_valid()
    {
        var matrix = LogitMatrix.Build(TabularModel.Random(2, 3, 1, scale: 1.0), 1, new LogitMatrixSampling { HistoryCount = 1, ExhaustiveHistories = false }, new Random(1));
        Assert.Equal(1, matrix.RowCount);
    }

    [Fact]
    public void The_oracle_overload_stops_on_a_cancelled_token()
    {
        using var cancellation = new CancellationTokenSource();
        cancellation.Cancel();
        // The spy forwards without the token (it ignores cancellation) and records every batch.
        var oracle = new SpyOracle(new ModelOracle(TabularModel.Random(2, 3, 1, scale: 1.0)));
        Assert.ThrowsAny<OperationCanceledException>(() => LogitMatrix.Build(oracle, 1, [Prefix.Of([0])], [Prefix.Of([1])], cancellation.Token));
        Assert.Empty(oracle.Batches);
    }
}
