using LogitRank.Numerics;
using LogitRank.Sequences;

namespace LogitRank.Oracles;

/// <summary>
/// A decorator that remembers every answer in a prefix trie: a repeated query returns the identical
/// <see cref="LogitVector"/> instance and does not reach the inner oracle (ALGORITHM.md: "repeating a query MUST
/// return the same answer"). Thread-safe.
/// </summary>
public sealed class CachingOracle : ILogitOracle
{
    private readonly ILogitOracle _inner;

    /// <summary>Caches the answers of <paramref name="inner"/>.</summary>
    public CachingOracle(ILogitOracle inner) => _inner = inner ?? throw new ArgumentNullException(nameof(inner));

    /// <inheritdoc/>
    public int AlphabetSize => _inner.AlphabetSize;

    /// <inheritdoc/>
    public int Horizon => _inner.Horizon;

    /// <inheritdoc/>
    public IReadOnlyList<LogitVector> Query(IReadOnlyList<Prefix> prefixes, QueryPhase phase = QueryPhase.Other, CancellationToken cancellationToken = default) =>
        throw new NotImplementedException("Lands with the oracles work item.");
}
