using System.Globalization;
using LogitRank.Numerics;
using LogitRank.Oracles;
using LogitRank.Sequences;

namespace LogitRank.Models;

/// <summary>
/// A model given by an explicit table of next-token logits, one centered vector per prefix of length
/// <c>0..T-1</c> (<c>(k^T - 1)/(k - 1)</c> entries). For small exact examples and as the exact
/// tabulation of any other model.
/// </summary>
public sealed class TabularModel : SequenceModel
{
    /// <summary>
    /// The default largest number of rows <c>Σ_{t&lt;T} k^t</c> of a table built by <see cref="Tabulate(ILogitOracle, TabulationOptions?, IProgress{TabulationProgress}?, CancellationToken)"/>
    /// or read by <see cref="TargetTable.Load"/>: <c>2^20</c> (about 1 M vectors; with <c>k</c> doubles each, tens of MB for small <c>k</c>).
    /// </summary>
    public const long DefaultMaxPrefixes = 1L << 20;

    private readonly Dictionary<Prefix, LogitVector> _table;

    /// <summary>Creates a tabular model from a complete table.</summary>
    /// <exception cref="ArgumentException">A prefix of length <c>&lt;= T-1</c> is missing, a vector has the wrong length, or a key is too long or outside the alphabet.</exception>
    public TabularModel(int alphabetSize, int horizon, IReadOnlyDictionary<Prefix, LogitVector> table)
        : base(alphabetSize, horizon)
    {
        ArgumentNullException.ThrowIfNull(table);
        _table = new Dictionary<Prefix, LogitVector>(table.Count);
        foreach (var (prefix, logits) in table)
        {
            ValidatePrefix(prefix, horizon - 1, nameof(table));
            if (logits.Length != alphabetSize)
            {
                throw new ArgumentException($"The logit vector of prefix {prefix} has length {logits.Length}; expected k = {alphabetSize}.", nameof(table));
            }

            _table[prefix] = logits;
        }

        foreach (var prefix in SequenceSpace.AllUpTo(alphabetSize, horizon - 1))
        {
            if (!_table.ContainsKey(prefix))
            {
                throw new ArgumentException($"The table has no entry for prefix {prefix}; a tabular model needs every prefix of length 0..{horizon - 1}.", nameof(table));
            }
        }
    }

    /// <summary>Tabulates <paramref name="model"/>: the result has identical next-token logits at every prefix.</summary>
    public static TabularModel Tabulate(ISequenceModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var table = SequenceSpace.AllUpTo(model.AlphabetSize, model.Horizon - 1).ToDictionary(p => p, model.NextTokenLogits);
        return new TabularModel(model.AlphabetSize, model.Horizon, table);
    }

    /// <summary>
    /// Tabulates the model behind a logit oracle exactly: queries every prefix of length <c>0..T-1</c> once, in batches
    /// of <see cref="TabulationOptions.BatchSize"/> in length-then-lexicographic order, so an ONNX model or a server can be
    /// evaluated exactly (for example by <c>ExactDivergence</c>) when <c>Σ_{t&lt;T} k^t</c> is small enough.
    /// </summary>
    /// <param name="oracle">The oracle (answers are checked: one finite vector of length <c>k</c> per prefix).</param>
    /// <param name="options">Batch size, row limit and query phase; null for the defaults.</param>
    /// <param name="progress">Receives the rows done after each batch, if wanted.</param>
    /// <param name="cancellationToken">Cancels between batches (and is passed to the oracle).</param>
    /// <returns>The model whose next-token logits are the oracle's answers.</returns>
    /// <exception cref="TableTooLargeException">The table needs more than <see cref="TabulationOptions.MaxPrefixes"/> rows; nothing is queried.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    /// <exception cref="InvalidOracleAnswerException">The oracle returned a wrong count, a null, wrong-length or non-finite answer.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static TabularModel Tabulate(ILogitOracle oracle, TabulationOptions? options = null, IProgress<TabulationProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(oracle);
        options ??= new TabulationOptions();
        options.Validate();
        var k = oracle.AlphabetSize;
        var horizon = oracle.Horizon;
        var total = CheckSize(k, horizon, options.MaxPrefixes);
        var table = new Dictionary<Prefix, LogitVector>((int)total);
        var batch = new List<Prefix>(options.BatchSize);
        progress?.Report(new TabulationProgress(0, total));
        foreach (var prefix in SequenceSpace.AllUpTo(k, horizon - 1))
        {
            batch.Add(prefix);
            if (batch.Count == options.BatchSize)
            {
                Flush();
            }
        }

        Flush();
        return new TabularModel(k, horizon, table);

        void Flush()
        {
            if (batch.Count == 0)
            {
                return;
            }

            cancellationToken.ThrowIfCancellationRequested();
            var answers = oracle.Query(batch, options.Phase, cancellationToken);
            OracleValidation.ValidateAnswers(batch, answers, k);
            for (var i = 0; i < batch.Count; i++)
            {
                table[batch[i]] = answers[i];
            }

            batch.Clear();
            progress?.Report(new TabulationProgress(table.Count, total));
        }
    }

    /// <summary>The row count <c>Σ_{t&lt;T} k^t</c>, or <see cref="TableTooLargeException"/> when it exceeds <paramref name="maxPrefixes"/>.</summary>
    internal static long CheckSize(int alphabetSize, int horizon, long maxPrefixes)
    {
        var rows = TableTooLargeException.Rows(alphabetSize, horizon);
        return rows > maxPrefixes ? throw new TableTooLargeException(alphabetSize, horizon, maxPrefixes) : (long)rows;
    }

    /// <summary>
    /// The largest number of table rows <c>Σ_{t&lt;T} k^t</c> (prefixes of length <c>0..T-1</c>) that <see cref="Random"/>
    /// generates (<c>2^20</c>): a larger request fails at once instead of exhausting memory.
    /// </summary>
    public const long MaxRandomPrefixes = 1L << 20;

    /// <summary>The number of prefixes <c>Σ_{t&lt;T} k^t</c> of length <c>0..T-1</c>, as a double (no overflow).</summary>
    internal static double PrefixCount(int alphabetSize, int horizon)
    {
        var total = 0.0;
        var power = 1.0;
        for (var t = 0; t < horizon && double.IsFinite(total); t++)
        {
            total += power;
            power *= alphabetSize;
        }

        return total;
    }

    /// <summary>
    /// A random tabular model: every logit drawn uniformly from <c>[-scale, scale]</c>, then centered.
    /// </summary>
    /// <param name="alphabetSize">The alphabet size <c>k &gt;= 2</c>.</param>
    /// <param name="horizon">The horizon <c>T &gt;= 1</c>.</param>
    /// <param name="seed">The seed of the only randomness used.</param>
    /// <param name="scale">The logit range; must be positive and finite.</param>
    /// <exception cref="ArgumentOutOfRangeException"><c>k &lt; 2</c>, <c>T &lt; 1</c>, or the scale is not positive and finite.</exception>
    public static TabularModel Random(int alphabetSize, int horizon, int seed, double scale = 2.0)
    {
        if (alphabetSize < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(alphabetSize), alphabetSize, $"Expected an alphabet size k >= 2; got {alphabetSize}.");
        }

        if (horizon < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(horizon), horizon, $"Expected a horizon T >= 1; got {horizon}.");
        }

        if (!(scale > 0) || !double.IsFinite(scale))
        {
            throw new ArgumentOutOfRangeException(nameof(scale), scale, "Expected a positive, finite logit scale.");
        }

        var prefixes = PrefixCount(alphabetSize, horizon);
        if (prefixes > MaxRandomPrefixes)
        {
            throw new ArgumentOutOfRangeException(
                nameof(horizon),
                horizon,
                string.Create(CultureInfo.InvariantCulture, $"A random tabular model with k = {alphabetSize}, T = {horizon} has Σ_{{t<T}} k^t = {prefixes:G4} prefixes; expected at most MaxRandomPrefixes = {MaxRandomPrefixes}: lower k or T."));
        }

        var random = new Random(seed);
        var table = new Dictionary<Prefix, LogitVector>();
        var raw = new double[alphabetSize];
        foreach (var prefix in SequenceSpace.AllUpTo(alphabetSize, horizon - 1))
        {
            for (var z = 0; z < alphabetSize; z++)
            {
                raw[z] = scale * ((2 * random.NextDouble()) - 1);
            }

            table[prefix] = LogitVector.FromLogits(raw);
        }

        return new TabularModel(alphabetSize, horizon, table);
    }

    /// <inheritdoc/>
    protected override LogitVector ComputeLogits(Prefix prefix) => _table[prefix];
}

/// <summary>Options of <see cref="TabularModel.Tabulate(ILogitOracle, TabulationOptions?, IProgress{TabulationProgress}?, CancellationToken)"/>.</summary>
public sealed record TabulationOptions
{
    /// <summary>Prefixes per oracle call (default 256); a remote or ONNX oracle answers a batch concurrently or in one run.</summary>
    public int BatchSize { get; init; } = 256;

    /// <summary>The largest number of rows <c>Σ_{t&lt;T} k^t</c> (default <see cref="TabularModel.DefaultMaxPrefixes"/>); larger tables are refused before any query.</summary>
    public long MaxPrefixes { get; init; } = TabularModel.DefaultMaxPrefixes;

    /// <summary>The phase the queries are attributed to (default <see cref="QueryPhase.Other"/>).</summary>
    public QueryPhase Phase { get; init; } = QueryPhase.Other;

    /// <summary>Throws unless every option is in range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The batch size or the row limit is below 1; the message names it.</exception>
    public void Validate()
    {
        if (BatchSize < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "Expected a batch size of at least 1.");
        }

        if (MaxPrefixes < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxPrefixes), MaxPrefixes, "Expected a row limit of at least 1.");
        }
    }
}

/// <summary>Progress of a tabulation: <paramref name="Done"/> of <paramref name="Total"/> prefixes answered.</summary>
/// <param name="Done">The prefixes answered so far.</param>
/// <param name="Total">All prefixes of length <c>0..T-1</c>.</param>
public readonly record struct TabulationProgress(long Done, long Total);
