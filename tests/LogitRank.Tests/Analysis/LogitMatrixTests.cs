using LogitRank.Analysis;
using LogitRank.Models;
using LogitRank.Numerics;
using LogitRank.Oracles;
using LogitRank.Sequences;

namespace LogitRank.Tests.Analysis;

public partial class LogitMatrixTests
{
    /// <summary>Records every batch (its size and phase) before answering exactly from the model.</summary>
    private sealed class RecordingOracle(ISequenceModel model) : ILogitOracle
    {
        public List<(int Size, QueryPhase Phase, List<Prefix> Prefixes)> Batches { get; } = [];

        public int AlphabetSize => model.AlphabetSize;

        public int Horizon => model.Horizon;

        public IReadOnlyList<LogitVector> Query(IReadOnlyList<Prefix> prefixes, QueryPhase phase = QueryPhase.Other, CancellationToken cancellationToken = default)
        {
            Batches.Add((prefixes.Count, phase, [.. prefixes]));
            return [.. prefixes.Select(model.NextTokenLogits)];
        }
    }

    /// <summary>Answers with a fixed (wrong) shape, to exercise the checks on oracle answers.</summary>
    private sealed class BrokenOracle(int k, int horizon, Func<IReadOnlyList<Prefix>, IReadOnlyList<LogitVector>> answer) : ILogitOracle
    {
        public int AlphabetSize => k;

        public int Horizon => horizon;

        public IReadOnlyList<LogitVector> Query(IReadOnlyList<Prefix> prefixes, QueryPhase phase = QueryPhase.Other, CancellationToken cancellationToken = default) => answer(prefixes);
    }

    [Fact]
    public void Entries_are_the_logits_at_history_then_future_and_columns_are_grouped_by_future()
    {
        var model = TimeVaryingIsan.Random(3, 4, 2, seed: 5);
        Prefix[] histories = [Prefix.Of(0), Prefix.Of(2), Prefix.Of(1)];
        Prefix[] futures = [Prefix.Empty, Prefix.Of(1), Prefix.Of(0, 2)];
        var matrix = LogitMatrix.Build(new ModelOracle(model), 1, histories, futures);

        Assert.Equal(1, matrix.Cut);
        Assert.Equal((3, 9), (matrix.RowCount, matrix.ColumnCount));
        Assert.Equal(histories, matrix.Histories);
        Assert.Equal(futures, matrix.Futures);
        for (var j = 0; j < matrix.ColumnCount; j++)
        {
            Assert.Equal(new LogitWord(futures[j / 3], j % 3), matrix.Columns[j]);
        }

        var array = matrix.ToArray();
        for (var i = 0; i < histories.Length; i++)
        {
            for (var j = 0; j < matrix.ColumnCount; j++)
            {
                var (f, z) = matrix.Columns[j];
                // The same deterministic computation: exact equality.
                var expected = model.NextTokenLogits(histories[i].Concat(f))[z];
                Assert.Equal(expected, matrix[i, j]);
                Assert.Equal(expected, array[i, j]);
            }
        }
    }

    [Fact]
    public void Distinct_prefixes_are_queried_once_in_one_analysis_batch()
    {
        var model = TimeVaryingIsan.Random(2, 4, 2, seed: 1);
        var oracle = new RecordingOracle(model);

        // Rows [0,1] twice and [1,0]; futures ε, [1]: 3·2 = 6 prefixes, 4 distinct.
        Prefix[] histories = [Prefix.Of(0, 1), Prefix.Of(1, 0), Prefix.Of(0, 1)];
        var matrix = LogitMatrix.Build(oracle, 2, histories, [Prefix.Empty, Prefix.Of(1)]);
        var batch = Assert.Single(oracle.Batches);
        Assert.Equal(QueryPhase.Analysis, batch.Phase);
        Assert.Equal(4, batch.Size);
        Assert.Equal(4, batch.Prefixes.Distinct().Count());
        Assert.Equal(matrix.ToMatrix().Row(0), matrix.ToMatrix().Row(2));
    }

    [Theory]
    [InlineData(3, 6, 2, 11)]
    [InlineData(2, 7, 3, 12)]
    [InlineData(3, 5, 1, 13)]
    public void Random_isan_has_numerical_rank_at_most_d_at_every_cut(int k, int horizon, int d, int seed)
    {
        var model = TimeVaryingIsan.Random(k, horizon, d, seed);

        // All histories and all futures (k^s <= 300 and |Σ^{<=T-1-s}| <= 400 at every cut here): the whole logit matrix.
        var sampling = new LogitMatrixSampling { HistoryCount = 300, FutureCount = 400 };
        var report = SpectrumReport.PerCut(model, sampling, RankStrategy.RelativeThreshold(1e-9), new Random(seed));
        Assert.Equal(horizon, report.Cuts.Count);
        Assert.All(report.Cuts, c => Assert.True(c.Rank.Rank <= d, $"cut {c.Cut}: rank {c.Rank.Rank} > d = {d}"));

        // Generically the rank is exactly d in the middle (the test would fail for garbage entries).
        Assert.Equal(d, report.MaxRank);
        Assert.Equal(1, report.Cuts[0].RowCount);
    }

    [Fact]
    public void Random_tabular_model_exceeds_small_rank_so_the_rank_test_can_fail()
    {
        var model = TabularModel.Random(2, 5, seed: 3);
        var report = SpectrumReport.PerCut(model, new LogitMatrixSampling { HistoryCount = 100, FutureCount = 100 }, RankStrategy.RelativeThreshold(1e-9), new Random(1));
        Assert.True(report.MaxRank > 3, $"max rank {report.MaxRank}");
    }

    [Fact]
    public void Sampled_rows_and_futures_have_the_right_shapes_and_are_reproducible()
    {
        var model = TimeVaryingIsan.Random(3, 7, 2, seed: 8);
        var sampling = new LogitMatrixSampling { HistoryCount = 10, FutureCount = 15 };
        var a = LogitMatrix.Build(model, 3, sampling, new Random(4));
        var b = LogitMatrix.Build(model, 3, sampling, new Random(4));

        // 3^3 = 27 > 10 histories and |Σ^{<=3}| = 40 > 15 futures: both sampled.
        Assert.Equal(10, a.RowCount);
        Assert.All(a.Histories, h => Assert.Equal(3, h.Length));
        Assert.Equal(Prefix.Empty, a.Futures[0]);
        Assert.InRange(a.Futures.Count, 2, 15);
        Assert.Equal(a.Futures.Count, a.Futures.Distinct().Count());
        Assert.All(a.Futures, f => Assert.InRange(f.Length, 0, 3));
        Assert.Equal(a.Histories, b.Histories);
        Assert.Equal(a.Futures, b.Futures);
        Assert.Equal(a.ToMatrix(), b.ToMatrix());
    }

    [Fact]
    public void Given_histories_combine_with_sampled_futures_and_vice_versa()
    {
        var model = TimeVaryingIsan.Random(3, 7, 2, seed: 8);
        Prefix[] histories = [Prefix.Of(0, 1, 2), Prefix.Of(2, 2, 2)];
        var a = LogitMatrix.Build(model, 3, new LogitMatrixSampling { Histories = histories, FutureCount = 12 }, new Random(5));
        Assert.Equal(histories, a.Histories);
        Assert.InRange(a.Futures.Count, 2, 12); // |Σ^{<=3}| = 40 > 12: sampled
        Assert.All(a.Futures, f => Assert.InRange(f.Length, 0, 3));

        Prefix[] futures = [Prefix.Of(1), Prefix.Empty];
        var b = LogitMatrix.Build(model, 3, new LogitMatrixSampling { Futures = futures, HistoryCount = 6 }, new Random(5));
        Assert.Equal(futures, b.Futures);
        Assert.Equal(6, b.RowCount); // 27 > 6: sampled
        Assert.Equal(model.NextTokenLogits(b.Histories[0].Append(1))[2], b[0, 2]);

        var bad = Assert.Throws<ArgumentException>(() => LogitMatrix.Build(model, 3, new LogitMatrixSampling { Histories = [Prefix.Of(0)] }, new Random(5)));
        Assert.Contains("s = 3", bad.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Small_cuts_use_every_history_and_future()
    {
        var model = TimeVaryingIsan.Random(2, 4, 2, seed: 8);
        var m = LogitMatrix.Build(model, 1, new LogitMatrixSampling { HistoryCount = 2, FutureCount = 7 }, new Random(1));
        Assert.Equal(SequenceSpace.All(2, 1), m.Histories);
        Assert.Equal(SequenceSpace.AllUpTo(2, 2), m.Futures);

        var last = LogitMatrix.Build(model, 3, new LogitMatrixSampling { HistoryCount = 8, FutureCount = 1 }, new Random(1));
        Assert.Equal(8, last.RowCount);
        Assert.Equal([Prefix.Empty], last.Futures); // at the last cut the only future is ε
    }

    [Fact]
    public void Oracle_overload_needs_no_sampler_when_every_row_and_future_is_used()
    {
        // k^s = 4 <= 10 histories and |Σ^{<=1}| = 3 <= 10 futures: no sequence is drawn, so this does not reach
        // OracleSampler (a stub until the oracles work item lands) and must equal the model overload.
        var model = TimeVaryingIsan.Random(2, 4, 2, seed: 3);
        var oracle = new RecordingOracle(model);
        var sampling = new LogitMatrixSampling { HistoryCount = 10, FutureCount = 10 };
        var viaOracle = LogitMatrix.Build(oracle, 2, sampling, new Random(1));
        var viaModel = LogitMatrix.Build(model, 2, sampling, new Random(1));
        Assert.Equal(viaModel.ToMatrix(), viaOracle.ToMatrix());
        Assert.All(oracle.Batches, b => Assert.Equal(QueryPhase.Analysis, b.Phase));
        Assert.Equal(4 * 3, oracle.Batches.Sum(b => b.Size));
    }

    [Fact]
    public void Error_paths_raise_typed_exceptions_naming_the_value()
    {
        var model = TimeVaryingIsan.Random(3, 4, 2, seed: 5);
        var oracle = new ModelOracle(model);
        Prefix[] ok = [Prefix.Of(0)];
        Prefix[] eps = [Prefix.Empty];

        Assert.Contains("-1", Assert.Throws<ArgumentOutOfRangeException>(() => LogitMatrix.Build(oracle, -1, ok, eps)).Message, StringComparison.Ordinal);
        var tooLate = Assert.Throws<ArgumentOutOfRangeException>(() => LogitMatrix.Build(oracle, 4, ok, eps));
        Assert.Contains("s = 4", tooLate.Message, StringComparison.Ordinal);
        Assert.Contains("0..3", tooLate.Message, StringComparison.Ordinal);

        var wrongLength = Assert.Throws<ArgumentException>(() => LogitMatrix.Build(oracle, 1, [Prefix.Of(0), Prefix.Of(1, 1)], eps));
        Assert.Contains("[1,1]", wrongLength.Message, StringComparison.Ordinal);
        Assert.Contains("s = 1", wrongLength.Message, StringComparison.Ordinal);

        var longFuture = Assert.Throws<ArgumentException>(() => LogitMatrix.Build(oracle, 1, ok, [Prefix.Of(0, 0, 0)]));
        Assert.Contains("[0,0,0]", longFuture.Message, StringComparison.Ordinal);
        Assert.Contains("T-1-s = 2", longFuture.Message, StringComparison.Ordinal);

        Assert.Contains("history", Assert.Throws<ArgumentException>(() => LogitMatrix.Build(oracle, 1, [], eps)).Message, StringComparison.Ordinal);
        Assert.Contains("future", Assert.Throws<ArgumentException>(() => LogitMatrix.Build(oracle, 1, ok, [])).Message, StringComparison.Ordinal);
        Assert.Contains("repeats", Assert.Throws<ArgumentException>(() => LogitMatrix.Build(oracle, 1, ok, [Prefix.Of(1), Prefix.Of(1)])).Message, StringComparison.Ordinal);
        Assert.Contains("Token 3", Assert.Throws<ArgumentOutOfRangeException>(() => LogitMatrix.Build(oracle, 1, [Prefix.Of(3)], eps)).Message, StringComparison.Ordinal);
        Assert.Contains("Token 5", Assert.Throws<ArgumentOutOfRangeException>(() => LogitMatrix.Build(oracle, 1, ok, [Prefix.Of(5)])).Message, StringComparison.Ordinal);

        Assert.Contains("HistoryCount = 0", Assert.Throws<ArgumentOutOfRangeException>(() => LogitMatrix.Build(model, 1, new LogitMatrixSampling { HistoryCount = 0 }, new Random(1))).Message, StringComparison.Ordinal);
        Assert.Contains("FutureCount = -2", Assert.Throws<ArgumentOutOfRangeException>(() => LogitMatrix.Build(model, 1, new LogitMatrixSampling { FutureCount = -2 }, new Random(1))).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => LogitMatrix.Build(model, 9, new LogitMatrixSampling(), new Random(1)));
    }

    [Fact]
    public void Malformed_oracle_answers_raise_invalid_operation()
    {
        var tooFew = new BrokenOracle(2, 3, _ => []);
        Assert.Contains("0 vectors", Assert.Throws<InvalidOperationException>(() => LogitMatrix.Build(tooFew, 0, [Prefix.Empty], [Prefix.Empty])).Message, StringComparison.Ordinal);
        var wrongK = new BrokenOracle(2, 3, p => [.. p.Select(_ => LogitVector.Uniform(3))]);
        Assert.Contains("length 3", Assert.Throws<InvalidOperationException>(() => LogitMatrix.Build(wrongK, 0, [Prefix.Empty], [Prefix.Empty])).Message, StringComparison.Ordinal);
    }
}
