using LogitRank.Models;
using LogitRank.Numerics;
using LogitRank.Oracles;
using LogitRank.Sequences;

namespace LogitRank.Tests.Models;

/// <summary><see cref="TabularModel"/>: an oracle tabulated exactly, in batches, with progress, cancellation and a size guard; random tables within a size limit.</summary>
public partial class TabularModelTests
{
    /// <summary>Records the batches an oracle receives.</summary>
    private sealed class RecordingOracle(ILogitOracle inner) : ILogitOracle
    {
        public List<Prefix[]> Batches { get; } = [];

        public int AlphabetSize => inner.AlphabetSize;

        public int Horizon => inner.Horizon;

        public IReadOnlyList<LogitVector> Query(IReadOnlyList<Prefix> prefixes, QueryPhase phase = QueryPhase.Other, CancellationToken cancellationToken = default)
        {
            Batches.Add([.. prefixes]);
            return inner.Query(prefixes, phase, cancellationToken);
        }
    }

    /// <summary>Reports synchronously (<see cref="Progress{T}"/> would post to a thread pool).</summary>
    private sealed class ListProgress(Action<TabulationProgress>? onReport = null) : IProgress<TabulationProgress>
    {
        public List<TabulationProgress> Reports { get; } = [];

        public void Report(TabulationProgress value)
        {
            Reports.Add(value);
            onReport?.Invoke(value);
        }
    }

    [Fact]
    public void Tabulating_an_oracle_asks_every_prefix_once_in_batches_and_equals_the_model()
    {
        var model = TimeVaryingIsan.Random(3, 5, 2, seed: 8);
        var oracle = new RecordingOracle(new ModelOracle(model));
        var progress = new ListProgress();
        var table = TabularModel.Tabulate(oracle, new TabulationOptions { BatchSize = 7 }, progress);

        var total = SequenceSpace.CountUpTo(3, 4); // 121
        Assert.All(oracle.Batches[..^1], b => Assert.Equal(7, b.Length));
        Assert.Equal(total % 7, oracle.Batches[^1].Length);
        var asked = oracle.Batches.SelectMany(b => b).ToList();
        Assert.Equal(total, asked.Count);
        Assert.Equal(asked.Count, asked.Distinct().Count());
        Assert.Equal(SequenceSpace.AllUpTo(3, 4), asked); // length-then-lexicographic order
        Assert.All(SequenceSpace.AllUpTo(3, 4), h => Assert.Equal(model.NextTokenLogits(h).ToArray(), table.NextTokenLogits(h).ToArray()));

        Assert.Equal(new TabulationProgress(0, total), progress.Reports[0]);
        Assert.Equal(new TabulationProgress(total, total), progress.Reports[^1]);
        Assert.Equal(oracle.Batches.Count + 1, progress.Reports.Count);
        Assert.True(progress.Reports.Zip(progress.Reports.Skip(1), (a, b) => b.Done > a.Done).All(x => x));
    }

    [Fact]
    public void A_table_beyond_the_limit_is_refused_before_any_query_naming_the_limit()
    {
        var oracle = new RecordingOracle(new ModelOracle(TimeVaryingIsan.Random(4, 12, 2, seed: 1)));
        var e = Assert.Throws<TableTooLargeException>(() => TabularModel.Tabulate(oracle, new TabulationOptions { MaxPrefixes = 1000 }));
        Assert.Empty(oracle.Batches);
        Assert.Equal(1000, e.Limit);
        Assert.Equal(5592405, (long)e.Prefixes);
        Assert.Contains("5592405", e.Message, StringComparison.Ordinal);
        Assert.Contains("limit 1000", e.Message, StringComparison.Ordinal);
        // The default limit is 2^20: k = 4, T = 12 (5.6 M rows) is refused without options too.
        Assert.Throws<TableTooLargeException>(() => TabularModel.Tabulate(oracle));
        Assert.Empty(oracle.Batches);
    }

    [Fact]
    public void Cancellation_stops_between_batches()
    {
        var oracle = new RecordingOracle(new ModelOracle(TimeVaryingIsan.Random(2, 6, 2, seed: 2)));
        using var cancellation = new CancellationTokenSource();
        var progress = new ListProgress(p =>
        {
            if (p.Done > 0)
            {
                cancellation.Cancel(); // after the first batch is in
            }
        });
        Assert.ThrowsAny<OperationCanceledException>(() => TabularModel.Tabulate(oracle, new TabulationOptions { BatchSize = 10 }, progress, cancellation.Token));
        Assert.Single(oracle.Batches);
    }

    [Fact]
    public void Bad_answers_and_options_are_typed_errors()
    {
        var model = TimeVaryingIsan.Random(2, 3, 1, seed: 3);
        var shortAnswers = new DelegatingOracle(model, batch => [.. batch.Skip(1).Select(model.NextTokenLogits)]);
        Assert.Equal(AnswerProblem.WrongCount, Assert.Throws<InvalidOracleAnswerException>(() => TabularModel.Tabulate(shortAnswers)).Problem);
        var wrongLength = new DelegatingOracle(model, batch => [.. batch.Select(_ => LogitVector.FromLogits([0.0, 1.0, 2.0]))]);
        Assert.Equal(AnswerProblem.WrongLength, Assert.Throws<InvalidOracleAnswerException>(() => TabularModel.Tabulate(wrongLength)).Problem);
        Assert.Equal("BatchSize", Assert.Throws<ArgumentOutOfRangeException>(() => TabularModel.Tabulate(new ModelOracle(model), new TabulationOptions { BatchSize = 0 })).ParamName);
        Assert.Equal("MaxPrefixes", Assert.Throws<ArgumentOutOfRangeException>(() => TabularModel.Tabulate(new ModelOracle(model), new TabulationOptions { MaxPrefixes = 0 })).ParamName);
        Assert.Equal("oracle", Assert.Throws<ArgumentNullException>(() => TabularModel.Tabulate((ILogitOracle)null!)).ParamName);
    }

    private sealed class DelegatingOracle(ISequenceModel model, Func<IReadOnlyList<Prefix>, IReadOnlyList<LogitVector>> answer) : ILogitOracle
    {
        public int AlphabetSize => model.AlphabetSize;

        public int Horizon => model.Horizon;

        public IReadOnlyList<LogitVector> Query(IReadOnlyList<Prefix> prefixes, QueryPhase phase = QueryPhase.Other, CancellationToken cancellationToken = default) => answer(prefixes);
    }

    [Theory]
    [InlineData(2, 21, "2.097E+06")]
    [InlineData(10, 9, "1.111E+08")]
    [InlineData(1_000_000, 100_000_000, "Infinity")]
    public void Random_refuses_more_prefixes_than_the_limit_naming_the_count_and_the_limit(int k, int horizon, string count)
    {
        // Σ_{t<T} k^t prefixes: k = 2, T = 21 is the first over 2^20 = 1048576 for k = 2 (T = 20 has 2^20 - 1).
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => TabularModel.Random(k, horizon, 1));
        Assert.Equal("horizon", e.ParamName);
        Assert.Contains($"= {count} prefixes", e.Message, StringComparison.Ordinal);
        Assert.Contains($"at most MaxRandomPrefixes = {TabularModel.MaxRandomPrefixes}", e.Message, StringComparison.Ordinal);
        Assert.Equal((1 << 20) - 1, TabularModel.PrefixCount(2, 20));
    }
}
