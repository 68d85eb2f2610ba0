using LogitRank.Numerics;
using LogitRank.Sequences;

namespace LogitRank.Oracles;

/// <summary>An immutable snapshot of query counts by phase.</summary>
/// <param name="ByPhase">Queries (prefixes passed to the inner oracle) per phase; phases with no query may be absent.</param>
/// <param name="Batches">The number of <see cref="ILogitOracle.Query"/> calls.</param>
public sealed record QueryCounts(IReadOnlyDictionary<QueryPhase, long> ByPhase, long Batches)
{
    /// <summary>No query and no batch.</summary>
    public static QueryCounts Zero { get; } = new(new Dictionary<QueryPhase, long>(), 0);

    /// <summary>The total number of queries over all phases.</summary>
    public long Total => ByPhase.Values.Sum();

    /// <summary>The queries of one phase (0 when none).</summary>
    public long this[QueryPhase phase] => ByPhase.TryGetValue(phase, out var n) ? n : 0;

    /// <summary>Value equality: the same batch count and the same non-zero count for every phase.</summary>
    public bool Equals(QueryCounts? other) =>
        other is not null
        && Batches == other.Batches
        && Enum.GetValues<QueryPhase>().Concat(ByPhase.Keys).Concat(other.ByPhase.Keys).All(p => this[p] == other[p]);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = Batches.GetHashCode();
        foreach (var (phase, count) in ByPhase.Where(p => p.Value != 0).OrderBy(p => p.Key))
        {
            hash = (hash * 31) + ((int)phase * 17) + count.GetHashCode();
        }

        return hash;
    }

    /// <summary>Formats as <c>total=N batches=B (Phase=n, ...)</c>, phases in enum order.</summary>
    public override string ToString() =>
        $"total={Total} batches={Batches} (" + string.Join(", ", ByPhase.Where(p => p.Value != 0).OrderBy(p => p.Key).Select(p => $"{p.Key}={p.Value}")) + ")";
}

/// <summary>
/// A decorator that counts the prefixes passed through it, by <see cref="QueryPhase"/>, and the batches
/// (<see cref="ILogitOracle.Query"/> calls). Thread-safe.
/// </summary>
/// <remarks>
/// A batch is counted once the inner oracle has answered it: a batch on which the inner oracle throws (for instance a
/// <see cref="QueryBudgetExceededException"/> from a budget placed inside) is not counted. Every prefix of a batch
/// counts, duplicates included; place the counter inside a <see cref="CachingOracle"/>
/// (<c>new CachingOracle(new CountingOracle(o))</c>) to count only distinct queries that reached <c>o</c>, or outside
/// to count what the caller asked for. An empty batch counts as a batch with no queries.
/// </remarks>
public sealed class CountingOracle : ILogitOracle
{
    private readonly ILogitOracle _inner;
    private readonly Lock _gate = new();
    private readonly Dictionary<QueryPhase, long> _byPhase = [];
    private long _batches;

    /// <summary>Counts the queries made to <paramref name="inner"/>.</summary>
    public CountingOracle(ILogitOracle inner) => _inner = inner ?? throw new ArgumentNullException(nameof(inner));

    /// <inheritdoc/>
    public int AlphabetSize => _inner.AlphabetSize;

    /// <inheritdoc/>
    public int Horizon => _inner.Horizon;

    /// <summary>The decorated oracle.</summary>
    public ILogitOracle Inner => _inner;

    /// <summary>A snapshot of the counts so far (later queries do not change it); only phases with at least one query appear in <see cref="QueryCounts.ByPhase"/>.</summary>
    public QueryCounts Counts
    {
        get
        {
            lock (_gate)
            {
                return new QueryCounts(new Dictionary<QueryPhase, long>(_byPhase), _batches);
            }
        }
    }

    /// <summary>Sets every count back to zero and returns the counts it had.</summary>
    public QueryCounts Reset()
    {
        lock (_gate)
        {
            var before = new QueryCounts(new Dictionary<QueryPhase, long>(_byPhase), _batches);
            _byPhase.Clear();
            _batches = 0;
            return before;
        }
    }

    /// <inheritdoc/>
    public IReadOnlyList<LogitVector> Query(IReadOnlyList<Prefix> prefixes, QueryPhase phase = QueryPhase.Other, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prefixes);
        var answers = _inner.Query(prefixes, phase, cancellationToken);
        lock (_gate)
        {
            _batches++;
            if (prefixes.Count > 0)
            {
                _byPhase[phase] = _byPhase.GetValueOrDefault(phase) + prefixes.Count;
            }
        }

        return answers;
    }
}
