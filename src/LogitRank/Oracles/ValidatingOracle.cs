using LogitRank.Numerics;
using LogitRank.Sequences;

namespace LogitRank.Oracles;

/// <summary>
/// A decorator that checks each request before forwarding it (lengths at most <c>T-1</c>, tokens in <c>0..k-1</c>) and
/// each answer after (one vector per prefix, length <c>k</c>, finite entries). Put it outermost so that a bad request
/// fails before it reaches a cache, a budget or a paid oracle. Thread-safe when the inner oracle is.
/// </summary>
public sealed class ValidatingOracle : ILogitOracle
{
    private readonly ILogitOracle _inner;

    /// <summary>Validates the traffic to and from <paramref name="inner"/>.</summary>
    public ValidatingOracle(ILogitOracle inner) => _inner = inner ?? throw new ArgumentNullException(nameof(inner));

    /// <inheritdoc/>
    public int AlphabetSize => _inner.AlphabetSize;

    /// <inheritdoc/>
    public int Horizon => _inner.Horizon;

    /// <summary>The decorated oracle.</summary>
    public ILogitOracle Inner => _inner;

    /// <inheritdoc/>
    /// <exception cref="InvalidQueryException">A prefix is null, longer than <c>T-1</c>, or has a token outside <c>0..k-1</c>; nothing was forwarded.</exception>
    /// <exception cref="InvalidOracleAnswerException">The inner oracle's answer has the wrong count, a null or wrong-length vector, or a non-finite entry.</exception>
    public IReadOnlyList<LogitVector> Query(IReadOnlyList<Prefix> prefixes, QueryPhase phase = QueryPhase.Other, CancellationToken cancellationToken = default)
    {
        OracleValidation.ValidateQuery(prefixes, AlphabetSize, Horizon);
        var answers = _inner.Query(prefixes, phase, cancellationToken);
        OracleValidation.ValidateAnswers(prefixes, answers, AlphabetSize);
        return answers;
    }
}
