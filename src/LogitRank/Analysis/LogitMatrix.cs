using LogitRank.Models;
using LogitRank.Numerics;
using LogitRank.Oracles;
using LogitRank.Sequences;
using MathNet.Numerics.LinearAlgebra;

namespace LogitRank.Analysis;

/// <summary>A column of a logit matrix: the word <c>w = f∘z</c>, a future <c>f</c> followed by one token <c>z</c>.</summary>
/// <param name="Future">The future <c>f</c>.</param>
/// <param name="Token">The last token <c>z ∈ 0..k-1</c>.</param>
public readonly record struct LogitWord(Prefix Future, int Token);

/// <summary>
/// A finite sub-matrix of the logit matrix of a model at cut <c>s</c> (ALGORITHM.md section 1; cuts are 0-based: rows are
/// histories <c>h</c> of length <c>s ∈ 0..T-1</c>). Columns are words <c>(f, z)</c> with <c>|f| &lt;= T-1-s</c>, grouped by
/// future: column <c>j</c> is <c>(Futures[j / k], j mod k)</c>. Entry <c>(i, j) = ℓ(h_i∘f)[z]</c>, centered logits in nats.
/// One query at <c>h∘f</c> gives the <c>k</c> entries of the future's block.
/// </summary>
public sealed class LogitMatrix
{
    private const int BatchSize = 16384;
    private readonly Matrix<double> _values;
    private readonly LogitWord[] _columns;

    private LogitMatrix(int cut, int alphabetSize, Prefix[] histories, Prefix[] futures, Matrix<double> values)
    {
        Cut = cut;
        AlphabetSize = alphabetSize;
        Histories = histories;
        Futures = futures;
        _values = values;
        _columns = new LogitWord[futures.Length * alphabetSize];
        for (var j = 0; j < _columns.Length; j++)
        {
            _columns[j] = new LogitWord(futures[j / alphabetSize], j % alphabetSize);
        }
    }

    /// <summary>The cut <c>s</c>: every row history has length <c>s</c>.</summary>
    public int Cut { get; }

    /// <summary>The alphabet size <c>k</c>.</summary>
    public int AlphabetSize { get; }

    /// <summary>The row histories <c>h_i</c> (row <c>i</c>); sampled histories may repeat.</summary>
    public IReadOnlyList<Prefix> Histories { get; }

    /// <summary>The distinct futures <c>f</c>; future <c>b</c> owns columns <c>b·k .. b·k + k - 1</c>.</summary>
    public IReadOnlyList<Prefix> Futures { get; }

    /// <summary>The column words: column <c>j</c> is <c>(Futures[j / k], j mod k)</c>.</summary>
    public IReadOnlyList<LogitWord> Columns => _columns;

    /// <summary>The number of rows.</summary>
    public int RowCount => _values.RowCount;

    /// <summary>The number of columns, <c>k·|Futures|</c>.</summary>
    public int ColumnCount => _values.ColumnCount;

    /// <summary>The entry <c>ℓ(h_row∘f)[z]</c> with <c>(f, z) = Columns[column]</c>.</summary>
    public double this[int row, int column] => _values[row, column];

    /// <summary>A copy of the entries as a dense MathNet matrix.</summary>
    public Matrix<double> ToMatrix() => _values.Clone();

    /// <summary>A copy of the entries as a rectangular array.</summary>
    public double[,] ToArray() => _values.ToArray();

    /// <summary>
    /// Builds the matrix on given rows and futures. All <c>|histories|·|futures|</c> prefixes <c>h∘f</c> are queried, each
    /// distinct prefix once, in batches of at most 16384 with <see cref="QueryPhase.Analysis"/>.
    /// </summary>
    /// <param name="oracle">The logit oracle of the model.</param>
    /// <param name="cut">The cut <c>s ∈ 0..T-1</c>.</param>
    /// <param name="histories">The row histories, each of length <c>s</c> with tokens in <c>0..k-1</c>; not empty.</param>
    /// <param name="futures">Distinct futures with <c>|f| &lt;= T-1-s</c> and tokens in <c>0..k-1</c>; not empty.</param>
    /// <param name="cancellationToken">Cancels between batches.</param>
    /// <exception cref="ArgumentOutOfRangeException">The cut is outside <c>0..T-1</c>, or a token is outside the alphabet.</exception>
    /// <exception cref="ArgumentException">No histories or futures, a history of the wrong length, a future too long, or a repeated future.</exception>
    /// <exception cref="InvalidOperationException">The oracle answered with the wrong number of vectors or a vector of the wrong length.</exception>
    public static LogitMatrix Build(ILogitOracle oracle, int cut, IReadOnlyList<Prefix> histories, IReadOnlyList<Prefix> futures, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(oracle);
        ArgumentNullException.ThrowIfNull(histories);
        ArgumentNullException.ThrowIfNull(futures);
        var k = oracle.AlphabetSize;
        var horizon = oracle.Horizon;
        ValidateCut(cut, horizon);
        if (histories.Count == 0)
        {
            throw new ArgumentException($"Expected at least one history of length s = {cut}; got none.", nameof(histories));
        }

        if (futures.Count == 0)
        {
            throw new ArgumentException($"Expected at least one future of length <= T-1-s = {horizon - 1 - cut}; got none.", nameof(futures));
        }

        for (var i = 0; i < histories.Count; i++)
        {
            var h = histories[i] ?? throw new ArgumentException($"History {i} is null.", nameof(histories));
            if (h.Length != cut)
            {
                throw new ArgumentException($"History {i} = {h} has length {h.Length}; expected s = {cut}.", nameof(histories));
            }

            ValidateTokens(h, k, $"history {i}", nameof(histories));
        }

        var seen = new HashSet<Prefix>();
        for (var b = 0; b < futures.Count; b++)
        {
            var f = futures[b] ?? throw new ArgumentException($"Future {b} is null.", nameof(futures));
            if (f.Length > horizon - 1 - cut)
            {
                throw new ArgumentException($"Future {b} = {f} has length {f.Length}; expected at most T-1-s = {horizon - 1 - cut} (T = {horizon}, s = {cut}).", nameof(futures));
            }

            ValidateTokens(f, k, $"future {b}", nameof(futures));
            if (!seen.Add(f))
            {
                throw new ArgumentException($"Future {b} = {f} repeats an earlier future; columns must be distinct.", nameof(futures));
            }
        }

        var hs = histories.ToArray();
        var fs = futures.ToArray();

        // Each distinct prefix h∘f is queried once.
        var index = new Dictionary<Prefix, int>();
        var distinct = new List<Prefix>();
        var slot = new int[hs.Length, fs.Length];
        for (var i = 0; i < hs.Length; i++)
        {
            for (var b = 0; b < fs.Length; b++)
            {
                var p = Prefix.Concatenate(hs[i], fs[b]);
                if (!index.TryGetValue(p, out var q))
                {
                    q = distinct.Count;
                    index.Add(p, q);
                    distinct.Add(p);
                }

                slot[i, b] = q;
            }
        }

        var answers = new LogitVector[distinct.Count];
        for (var start = 0; start < distinct.Count; start += BatchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var batch = distinct.GetRange(start, Math.Min(BatchSize, distinct.Count - start));
            var result = oracle.Query(batch, QueryPhase.Analysis, cancellationToken);
            if (result is null || result.Count != batch.Count)
            {
                throw new InvalidOperationException($"The oracle answered {result?.Count ?? 0} vectors to a batch of {batch.Count} prefixes.");
            }

            for (var q = 0; q < batch.Count; q++)
            {
                var v = result[q];
                if (v is null || v.Length != k)
                {
                    throw new InvalidOperationException($"The oracle answered a vector of length {v?.Length ?? 0} at prefix {batch[q]}; expected k = {k}.");
                }

                // No finiteness check: every LogitVector is finite by construction (FromLogits, FromCentered and
                // FromProbabilities reject non-finite values, and a centering that overflows fails its contract check).
                answers[start + q] = v;
            }
        }

        var values = Matrix<double>.Build.Dense(hs.Length, fs.Length * k);
        for (var i = 0; i < hs.Length; i++)
        {
            for (var b = 0; b < fs.Length; b++)
            {
                var v = answers[slot[i, b]].Values;
                for (var z = 0; z < k; z++)
                {
                    values[i, (b * k) + z] = v[z];
                }
            }
        }

        return new LogitMatrix(cut, k, hs, fs, values);
    }

    /// <summary>
    /// Builds the matrix on rows and futures chosen by <paramref name="sampling"/>, drawing sequences through
    /// <see cref="OracleSampler.Sample"/> (those queries are attributed to <see cref="QueryPhase.Sampling"/>; the matrix
    /// entries to <see cref="QueryPhase.Analysis"/>).
    /// </summary>
    /// <param name="oracle">The logit oracle of the model.</param>
    /// <param name="cut">The cut <c>s ∈ 0..T-1</c>.</param>
    /// <param name="sampling">How rows and futures are chosen.</param>
    /// <param name="random">The only source of randomness.</param>
    /// <param name="cancellationToken">Cancels between batches.</param>
    public static LogitMatrix Build(ILogitOracle oracle, int cut, LogitMatrixSampling sampling, Random random, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(oracle);
        ArgumentNullException.ThrowIfNull(random);
        return BuildSampled(oracle, cut, sampling, random, (count, length) => OracleSampler.Sample(oracle, count, length, random, QueryPhase.Sampling, cancellationToken), cancellationToken);
    }

    /// <summary>
    /// Builds the matrix of <paramref name="model"/> (queried through a <see cref="ModelOracle"/>) on rows and futures chosen
    /// by <paramref name="sampling"/>, drawing sequences with <see cref="ISequenceModel.Sample(Random)"/>.
    /// </summary>
    /// <param name="model">The model.</param>
    /// <param name="cut">The cut <c>s ∈ 0..T-1</c>.</param>
    /// <param name="sampling">How rows and futures are chosen.</param>
    /// <param name="random">The only source of randomness.</param>
    /// <param name="cancellationToken">Cancels between batches.</param>
    public static LogitMatrix Build(ISequenceModel model, int cut, LogitMatrixSampling sampling, Random random, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(random);
        return BuildSampled(
            new ModelOracle(model),
            cut,
            sampling,
            random,
            (count, length) =>
            {
                var result = new Prefix[count];
                for (var i = 0; i < count; i++)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    result[i] = model.Sample(random).Take(length);
                }

                return result;
            },
            cancellationToken);
    }

    private static LogitMatrix BuildSampled(ILogitOracle oracle, int cut, LogitMatrixSampling sampling, Random random, Func<int, int, IReadOnlyList<Prefix>> draw, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sampling);
        sampling.Validate(nameof(sampling));
        var k = oracle.AlphabetSize;
        var horizon = oracle.Horizon;
        ValidateCut(cut, horizon);
        var maxFuture = horizon - 1 - cut;
        var givenHistories = sampling.Histories is not null;
        var givenFutures = sampling.Futures is not null;
        var allHistories = !givenHistories && sampling.ExhaustiveHistories && CountAtMost(() => SequenceSpace.Count(k, cut), sampling.HistoryCount);
        var allFutures = !givenFutures && sampling.ExhaustiveFutures && CountAtMost(() => SequenceSpace.CountUpTo(k, maxFuture), sampling.FutureCount);
        var sampleHistories = !givenHistories && !allHistories;
        var sampleFutures = !givenFutures && !allFutures;

        IReadOnlyList<Prefix> sequences = [];
        var drawCount = Math.Max(sampleHistories ? sampling.HistoryCount : 0, sampleFutures ? sampling.FutureCount : 0);
        if (drawCount > 0)
        {
            sequences = draw(drawCount, sampleFutures ? horizon : cut);
        }

        IReadOnlyList<Prefix> histories = sampling.Histories
            ?? (allHistories ? SequenceSpace.All(k, cut).ToArray() : sequences.Take(sampling.HistoryCount).Select(y => y.Take(cut)).ToArray());

        IReadOnlyList<Prefix> futures;
        if (sampling.Futures is not null)
        {
            futures = sampling.Futures;
        }
        else if (allFutures)
        {
            futures = SequenceSpace.AllUpTo(k, maxFuture).ToArray();
        }
        else
        {
            var set = new HashSet<Prefix> { Prefix.Empty };
            var list = new List<Prefix> { Prefix.Empty };
            foreach (var y in sequences.Take(sampling.FutureCount))
            {
                if (list.Count >= sampling.FutureCount)
                {
                    break;
                }

                var f = y.Slice(cut, random.Next(0, maxFuture + 1));
                if (set.Add(f))
                {
                    list.Add(f);
                }
            }

            futures = [.. list];
        }

        return Build(oracle, cut, histories, futures, cancellationToken);
    }

    /// <summary>Whether <c>count() &lt;= limit</c>; a count that overflows a <see cref="long"/> is more than any limit.</summary>
    internal static bool CountAtMost(Func<long> count, int limit)
    {
        try
        {
            return count() <= limit;
        }
        catch (OverflowException)
        {
            return false;
        }
    }

    private static void ValidateCut(int cut, int horizon)
    {
        if (cut < 0 || cut > horizon - 1)
        {
            throw new ArgumentOutOfRangeException(nameof(cut), cut, $"Cut s = {cut} is outside 0..T-1 = 0..{horizon - 1}.");
        }
    }

    private static void ValidateTokens(Prefix sequence, int k, string what, string parameterName)
    {
        for (var t = 0; t < sequence.Length; t++)
        {
            if (sequence[t] >= k)
            {
                throw new ArgumentOutOfRangeException(parameterName, sequence[t], $"Token {sequence[t]} at position {t} of {what} = {sequence} is outside the alphabet 0..{k - 1}.");
            }
        }
    }
}
