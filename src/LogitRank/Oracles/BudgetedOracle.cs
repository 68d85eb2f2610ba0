using LogitRank.Numerics;
using LogitRank.Sequences;

namespace LogitRank.Oracles;

/// <summary>
/// A decorator that forwards at most <see cref="Budget"/> queries (prefixes) to the inner oracle. Thread-safe.
/// </summary>
/// <remarks>
/// <para>
/// All or nothing per batch: when forwarding a batch of <c>n</c> prefixes would bring the queries used to more than
/// the budget, the call throws <see cref="QueryBudgetExceededException"/> before the inner oracle is called, so no
/// part of the rejected batch is sent or paid for, and <see cref="Used"/> is unchanged. A batch that fits is reserved
/// (added to <see cref="Used"/>) before it is sent and stays counted even if the inner oracle then fails: a query
/// that was sent may have been paid for. An empty batch always passes.
/// </para>
/// <para>
/// Composition decides what costs: inside a cache (<c>oracle.WithBudget(n).Cached()</c>) only cache misses reach the
/// budget, so repeated queries are free; outside (<c>oracle.Cached().WithBudget(n)</c>) every requested prefix
/// counts, cached or not.
/// </para>
/// </remarks>
public sealed class BudgetedOracle : ILogitOracle
{
    private readonly ILogitOracle _inner;
    private readonly Lock _gate = new();
    private readonly Dictionary<QueryPhase, long> _byPhase = [];
    private long _used;
    private long _batches;

    /// <summary>Limits the queries forwarded to <paramref name="inner"/> to <paramref name="budget"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="budget"/> is negative.</exception>
    public BudgetedOracle(ILogitOracle inner, long budget)
    {
        _inner = inner ?? throw new ArgumentNullException(nameof(inner));
        if (budget < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(budget), budget, "Expected a query budget >= 0.");
        }

        Budget = budget;
    }

    /// <inheritdoc/>
    public int AlphabetSize => _inner.AlphabetSize;

    /// <inheritdoc/>
    public int Horizon => _inner.Horizon;

    /// <summary>The decorated oracle.</summary>
    public ILogitOracle Inner => _inner;

    /// <summary>The most queries this decorator forwards.</summary>
    public long Budget { get; }

    /// <summary>The queries forwarded so far (reserved batches included).</summary>
    public long Used
    {
        get
        {
            lock (_gate)
            {
                return _used;
            }
        }
    }

    /// <summary><c>Budget - Used</c>.</summary>
    public long Remaining => Budget - Used;

    /// <summary>The queries forwarded so far, by phase (only phases with at least one query appear), and the forwarded batches.</summary>
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

    /// <inheritdoc/>
    /// <exception cref="QueryBudgetExceededException">The batch does not fit in the remaining budget; nothing was forwarded.</exception>
    public IReadOnlyList<LogitVector> Query(IReadOnlyList<Prefix> prefixes, QueryPhase phase = QueryPhase.Other, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prefixes);
        long n = prefixes.Count;
        lock (_gate)
        {
            if (n > Budget - _used)
            {
                throw new QueryBudgetExceededException(Budget, _used, n, phase, new QueryCounts(new Dictionary<QueryPhase, long>(_byPhase), _batches));
            }

            _used += n;
            _batches++;
            if (n > 0)
            {
                _byPhase[phase] = _byPhase.GetValueOrDefault(phase) + n;
            }
        }

        return _inner.Query(prefixes, phase, cancellationToken);
    }
}
