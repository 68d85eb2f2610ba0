using LogitRank.Numerics;
using LogitRank.Sequences;

namespace LogitRank.Oracles;

/// <summary>
/// Base class for adapters whose engine returns raw scores (any additive constant, e.g. an LM's output logits):
/// validates the request, calls <see cref="QueryRaw"/>, validates the raw answers (count, length <c>k</c>, NaN, ±∞,
/// each failure naming the prefix) and centers them into <see cref="LogitVector"/>s.
/// </summary>
public abstract class RawLogitOracle : ILogitOracle
{
    /// <summary>Initialises an oracle over <c>Σ^T</c>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><c>k &lt; 2</c> or <c>T &lt; 1</c>.</exception>
    protected RawLogitOracle(int alphabetSize, int horizon)
    {
        SequenceGuard.AlphabetSize(alphabetSize);
        SequenceGuard.Horizon(horizon);

        AlphabetSize = alphabetSize;
        Horizon = horizon;
    }

    /// <inheritdoc/>
    public int AlphabetSize { get; }

    /// <inheritdoc/>
    public int Horizon { get; }

    /// <inheritdoc/>
    /// <exception cref="InvalidQueryException">A prefix is null, longer than <c>T-1</c>, or has a token outside <c>0..k-1</c>.</exception>
    /// <exception cref="InvalidOracleAnswerException">The raw answers have the wrong count, or a null, wrong-length or non-finite vector.</exception>
    public IReadOnlyList<LogitVector> Query(IReadOnlyList<Prefix> prefixes, QueryPhase phase = QueryPhase.Other, CancellationToken cancellationToken = default)
    {
        OracleValidation.ValidateQuery(prefixes, AlphabetSize, Horizon);
        if (prefixes.Count == 0)
        {
            return [];
        }

        return OracleValidation.ToLogitVectors(prefixes, QueryRaw(prefixes, phase, cancellationToken), AlphabetSize);
    }

    /// <summary>Returns raw scores for an already validated, non-empty batch: element <c>i</c> has <c>k</c> entries for <c>prefixes[i]</c>.</summary>
    protected abstract IReadOnlyList<double[]> QueryRaw(IReadOnlyList<Prefix> prefixes, QueryPhase phase, CancellationToken cancellationToken);
}

/// <summary>A <see cref="RawLogitOracle"/> backed by a function from a batch of prefixes to raw scores.</summary>
public sealed class DelegateOracle : RawLogitOracle
{
    private readonly Func<IReadOnlyList<Prefix>, CancellationToken, IReadOnlyList<double[]>> _scores;

    /// <summary>An oracle over <c>Σ^T</c> whose raw scores come from <paramref name="rawScores"/>.</summary>
    /// <param name="alphabetSize">The alphabet size <c>k</c>.</param>
    /// <param name="horizon">The horizon <c>T</c>.</param>
    /// <param name="rawScores">Given a validated batch, returns one array of <c>k</c> raw scores per prefix.</param>
    public DelegateOracle(int alphabetSize, int horizon, Func<IReadOnlyList<Prefix>, IReadOnlyList<double[]>> rawScores)
        : base(alphabetSize, horizon)
    {
        ArgumentNullException.ThrowIfNull(rawScores);
        _scores = (prefixes, _) => rawScores(prefixes);
    }

    /// <summary>An oracle over <c>Σ^T</c> whose raw scores come from a cancellable <paramref name="rawScores"/>.</summary>
    /// <param name="alphabetSize">The alphabet size <c>k</c>.</param>
    /// <param name="horizon">The horizon <c>T</c>.</param>
    /// <param name="rawScores">Given a validated batch and a cancellation token, returns one array of <c>k</c> raw scores per prefix.</param>
    public DelegateOracle(int alphabetSize, int horizon, Func<IReadOnlyList<Prefix>, CancellationToken, IReadOnlyList<double[]>> rawScores)
        : base(alphabetSize, horizon) =>
        _scores = rawScores ?? throw new ArgumentNullException(nameof(rawScores));

    /// <inheritdoc/>
    protected override IReadOnlyList<double[]> QueryRaw(IReadOnlyList<Prefix> prefixes, QueryPhase phase, CancellationToken cancellationToken) =>
        _scores(prefixes, cancellationToken);
}
