using LogitRank.Numerics;
using LogitRank.Sequences;

namespace LogitRank.Oracles;

/// <summary>
/// The one oracle of a run: a <see cref="CachingOracle"/> over a <see cref="CountingOracle"/> over the user's oracle,
/// created once per run and passed down to every phase that queries (the learner's SPANNER, validation and witness
/// search, then the hold-out certifier). Every distinct prefix is paid once, charged to the <see cref="QueryPhase"/> of
/// the call that first asked for it; a repeated prefix is answered with the identical <see cref="LogitVector"/>, in
/// whichever phase it comes back (proofs-notes/oracle-decorators.md, section 1).
/// </summary>
/// <remarks>
/// <para>The query phase already tags every call, so one cache and one counter serve all phases: a consumer reads what it
/// paid as the difference of two <see cref="Paid"/> snapshots (<see cref="PaidSince"/>), instead of wrapping the oracle
/// in a counter and a cache of its own.</para>
/// <para>A budget (<see cref="LimitPaidQueries"/>) applies to the queries paid while it is open: while open, forwarded
/// batches go through a <see cref="BudgetedOracle"/> placed between the cache and the counter
/// (<c>Caching(Budgeted(Counting(oracle), budget))</c>), so repeats stay free and a batch that would pass the budget
/// throws <see cref="QueryBudgetExceededException"/> before reaching the oracle, with the counts paid under the budget.
/// The learner opens one for its schedule's <c>QueryBudget</c>; the certification that follows is not budgeted.</para>
/// </remarks>
internal sealed class PhaseCountingCache : ILogitOracle
{
    private readonly CountingOracle _paid;
    private readonly CachingOracle _cache;
    private readonly Lock _gate = new();
    private BudgetedOracle? _budget;

    /// <summary>The run's cache over <paramref name="oracle"/>; nothing is queried yet.</summary>
    public PhaseCountingCache(ILogitOracle oracle)
    {
        ArgumentNullException.ThrowIfNull(oracle);
        _paid = new CountingOracle(oracle);
        _cache = new CachingOracle(new Forwarder(this));
    }

    /// <inheritdoc/>
    public int AlphabetSize => _paid.AlphabetSize;

    /// <inheritdoc/>
    public int Horizon => _paid.Horizon;

    /// <summary>The queries paid so far (distinct prefixes forwarded to the oracle), by the phase that first asked, and the forwarded batches.</summary>
    public QueryCounts Paid => _paid.Counts;

    /// <inheritdoc/>
    public IReadOnlyList<LogitVector> Query(IReadOnlyList<Prefix> prefixes, QueryPhase phase = QueryPhase.Other, CancellationToken cancellationToken = default) =>
        _cache.Query(prefixes, phase, cancellationToken);

    /// <summary>
    /// Asks for a batch on behalf of a phase: checks <paramref name="cancellationToken"/> first, and asks nothing for an
    /// empty batch.
    /// </summary>
    public IReadOnlyList<LogitVector> Ask(IReadOnlyList<Prefix> prefixes, QueryPhase phase, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return prefixes.Count == 0 ? [] : _cache.Query(prefixes, phase, cancellationToken);
    }

    /// <summary>The queries and batches paid since <paramref name="start"/> (an earlier <see cref="Paid"/> snapshot), by phase.</summary>
    public QueryCounts PaidSince(QueryCounts start)
    {
        ArgumentNullException.ThrowIfNull(start);
        var now = Paid;
        var byPhase = new Dictionary<QueryPhase, long>();
        foreach (var phase in now.ByPhase.Keys)
        {
            var paid = now[phase] - start[phase];
            if (paid != 0)
            {
                byPhase[phase] = paid;
            }
        }

        return new QueryCounts(byPhase, now.Batches - start.Batches);
    }

    /// <summary>
    /// Limits the queries paid until the returned scope is disposed to <paramref name="budget"/> (see the remarks).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="budget"/> is negative.</exception>
    /// <exception cref="InvalidOperationException">A budget is already open.</exception>
    public IDisposable LimitPaidQueries(long budget)
    {
        var limited = new BudgetedOracle(_paid, budget);
        lock (_gate)
        {
            if (_budget is not null)
            {
                throw new InvalidOperationException($"A query budget of {_budget.Budget} is already open on this run's cache.");
            }

            _budget = limited;
        }

        return new BudgetScope(this, limited);
    }

    private ILogitOracle Target()
    {
        lock (_gate)
        {
            return (ILogitOracle?)_budget ?? _paid;
        }
    }

    /// <summary>What the cache forwards its misses to: the counter, through the open budget if any.</summary>
    private sealed class Forwarder(PhaseCountingCache owner) : ILogitOracle
    {
        public int AlphabetSize => owner._paid.AlphabetSize;

        public int Horizon => owner._paid.Horizon;

        public IReadOnlyList<LogitVector> Query(IReadOnlyList<Prefix> prefixes, QueryPhase phase = QueryPhase.Other, CancellationToken cancellationToken = default) =>
            owner.Target().Query(prefixes, phase, cancellationToken);
    }

    private sealed class BudgetScope(PhaseCountingCache owner, BudgetedOracle budget) : IDisposable
    {
        public void Dispose()
        {
            lock (owner._gate)
            {
                if (ReferenceEquals(owner._budget, budget))
                {
                    owner._budget = null;
                }
            }
        }
    }
}
