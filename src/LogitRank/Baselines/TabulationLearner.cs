using LogitRank.Models;
using LogitRank.Numerics;
using LogitRank.Oracles;
using LogitRank.Sequences;

namespace LogitRank.Baselines;

/// <summary>
/// The trivial exact baseline: query the oracle at every prefix <c>h</c> with <c>|h| &lt;= T-1</c> and store the answers in
/// a <see cref="TabularModel"/>. With an exact oracle the result equals the target (TV = KL = 0); it costs exactly
/// <c>Σ_{t=0}^{T-1} k^t = (k^T - 1)/(k - 1)</c> queries, the count the low-logit-rank learner is compared against
/// (ALGORITHM.md section 5: "far fewer queries than tabulating").
/// </summary>
/// <remarks>Source: the folklore upper bound for learning with next-token (conditional) queries; see the comparison in
/// Golowich, Liu, Shetty, arXiv:2512.09892, and <c>proofs-notes/baselines.md</c>. Queries are sent in batches of at most
/// <see cref="BatchSize"/> prefixes, shortest prefixes first, in lexicographic order within a length.</remarks>
public sealed class TabulationLearner : IQueryLearner
{
    /// <summary>The default largest number of prefixes tabulated: <c>2^24</c>.</summary>
    public const long DefaultMaxPrefixes = 1L << 24;

    /// <summary>Creates a tabulation learner.</summary>
    /// <param name="batchSize">The largest number of prefixes per oracle batch, <c>&gt;= 1</c>.</param>
    /// <param name="maxPrefixes">The largest table accepted, <c>&gt;= 1</c>; a larger <c>(k^T-1)/(k-1)</c> is refused.</param>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is below 1.</exception>
    public TabulationLearner(int batchSize = 4096, long maxPrefixes = DefaultMaxPrefixes)
    {
        if (batchSize < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, $"Expected a batch size >= 1; got {batchSize}.");
        }

        if (maxPrefixes < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(maxPrefixes), maxPrefixes, $"Expected a prefix limit >= 1; got {maxPrefixes}.");
        }

        BatchSize = batchSize;
        MaxPrefixes = maxPrefixes;
    }

    /// <inheritdoc/>
    public string Name => "tabulation";

    /// <summary>The largest number of prefixes per oracle batch.</summary>
    public int BatchSize { get; }

    /// <summary>The largest number of prefixes <c>(k^T-1)/(k-1)</c> this learner agrees to tabulate.</summary>
    public long MaxPrefixes { get; }

    /// <summary>The number of queries tabulation needs: <c>(k^T - 1)/(k - 1)</c>, saturating at <see cref="long.MaxValue"/>.</summary>
    /// <param name="alphabetSize">The alphabet size <c>k &gt;= 2</c>.</param>
    /// <param name="horizon">The horizon <c>T &gt;= 1</c>.</param>
    public static long QueryCost(int alphabetSize, int horizon)
    {
        BaselineValidation.CheckShape(alphabetSize, horizon);
        long total = 0;
        long power = 1;
        for (var t = 0; t < horizon; t++)
        {
            if (total > long.MaxValue - power)
            {
                return long.MaxValue;
            }

            total += power;
            power = power > long.MaxValue / alphabetSize ? long.MaxValue : power * alphabetSize;
        }

        return total;
    }

    /// <summary>Tabulates the oracle (the seed is unused: tabulation makes no random choice).</summary>
    /// <inheritdoc cref="IQueryLearner.Learn"/>
    ISequenceModel IQueryLearner.Learn(ILogitOracle oracle, int seed, CancellationToken cancellationToken) => Learn(oracle, cancellationToken);

    /// <summary>Queries every prefix of length <c>0..T-1</c> once and returns the table.</summary>
    /// <param name="oracle">The oracle of the target.</param>
    /// <param name="cancellationToken">Cancels between batches.</param>
    /// <exception cref="ArgumentOutOfRangeException"><c>(k^T-1)/(k-1)</c> exceeds <see cref="MaxPrefixes"/>.</exception>
    /// <exception cref="InvalidOperationException">The oracle answered a batch with the wrong number of vectors.</exception>
    public TabularModel Learn(ILogitOracle oracle, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(oracle);
        var cost = QueryCost(oracle.AlphabetSize, oracle.Horizon);
        if (cost > MaxPrefixes)
        {
            throw new ArgumentOutOfRangeException(nameof(oracle), cost, $"Tabulating k = {oracle.AlphabetSize}, T = {oracle.Horizon} needs {cost} queries; the limit is {MaxPrefixes}.");
        }

        var table = new Dictionary<Prefix, LogitVector>((int)cost);
        var batch = new List<Prefix>(BatchSize);
        foreach (var prefix in SequenceSpace.AllUpTo(oracle.AlphabetSize, oracle.Horizon - 1))
        {
            batch.Add(prefix);
            if (batch.Count == BatchSize)
            {
                Flush(oracle, batch, table, cancellationToken);
            }
        }

        Flush(oracle, batch, table, cancellationToken);
        return new TabularModel(oracle.AlphabetSize, oracle.Horizon, table);
    }

    private static void Flush(ILogitOracle oracle, List<Prefix> batch, Dictionary<Prefix, LogitVector> table, CancellationToken cancellationToken)
    {
        if (batch.Count == 0)
        {
            return;
        }

        cancellationToken.ThrowIfCancellationRequested();
        var answers = oracle.Query(batch, QueryPhase.Other, cancellationToken);
        if (answers.Count != batch.Count)
        {
            throw new InvalidOperationException($"The oracle answered {answers.Count} vectors for a batch of {batch.Count} prefixes.");
        }

        for (var i = 0; i < batch.Count; i++)
        {
            table[batch[i]] = answers[i];
        }

        batch.Clear();
    }
}
