using LogitRank.Numerics;
using LogitRank.Sequences;

namespace LogitRank.Oracles;

/// <summary>An immutable snapshot of query counts by phase.</summary>
/// <param name="ByPhase">Queries (prefixes passed to the inner oracle) per phase; phases with no query may be absent.</param>
/// <param name="Batches">The number of <see cref="ILogitOracle.Query"/> calls.</param>
public sealed record QueryCounts(IReadOnlyDictionary<QueryPhase, long> ByPhase, long Batches)
{
    /// <summary>The total number of queries over all phases.</summary>
    public long Total => ByPhase.Values.Sum();

    /// <summary>The queries of one phase (0 when none).</summary>
    public long this[QueryPhase phase] => ByPhase.TryGetValue(phase, out var n) ? n : 0;
}

/// <summary>A decorator that counts the prefixes passed through it, by <see cref="QueryPhase"/>. Thread-safe.</summary>
public sealed class CountingOracle : ILogitOracle
{
    private readonly ILogitOracle _inner;

    /// <summary>Counts the queries made to <paramref name="inner"/>.</summary>
    public CountingOracle(ILogitOracle inner) => _inner = inner ?? throw new ArgumentNullException(nameof(inner));

    /// <inheritdoc/>
    public int AlphabetSize => _inner.AlphabetSize;

    /// <inheritdoc/>
    public int Horizon => _inner.Horizon;

    /// <summary>A snapshot of the counts so far.</summary>
    public QueryCounts Counts => throw new NotImplementedException("Lands with the oracles work item.");

    /// <inheritdoc/>
    public IReadOnlyList<LogitVector> Query(IReadOnlyList<Prefix> prefixes, QueryPhase phase = QueryPhase.Other, CancellationToken cancellationToken = default) =>
        throw new NotImplementedException("Lands with the oracles work item.");
}
