using System.Collections.Concurrent;
using LogitRank.Numerics;
using LogitRank.Oracles;
using LogitRank.Sequences;

namespace LogitRank.Tests.Oracles;

/// <summary>A test double that records every batch it receives and forwards it (or answers through a custom function).</summary>
internal sealed class SpyOracle : ILogitOracle
{
    private readonly Func<IReadOnlyList<Prefix>, IReadOnlyList<LogitVector>> _answer;
    private readonly List<(Prefix[] Batch, QueryPhase Phase)> _batches = [];
    private readonly Lock _gate = new();

    public SpyOracle(ILogitOracle inner)
        : this(inner.AlphabetSize, inner.Horizon, batch => inner.Query(batch))
    {
    }

    public SpyOracle(int alphabetSize, int horizon, Func<IReadOnlyList<Prefix>, IReadOnlyList<LogitVector>> answer)
    {
        AlphabetSize = alphabetSize;
        Horizon = horizon;
        _answer = answer;
    }

    public int AlphabetSize { get; }

    public int Horizon { get; }

    /// <summary>Called with each batch after it is recorded and before it is answered (to throw, or to widen a race window).</summary>
    public Action<IReadOnlyList<Prefix>>? OnQuery { get; set; }

    public ConcurrentDictionary<Prefix, int> TimesQueried { get; } = new();

    public IReadOnlyList<(Prefix[] Batch, QueryPhase Phase)> Batches
    {
        get
        {
            lock (_gate)
            {
                return [.. _batches];
            }
        }
    }

    public int TotalQueries => Batches.Sum(b => b.Batch.Length);

    public IReadOnlyList<LogitVector> Query(IReadOnlyList<Prefix> prefixes, QueryPhase phase = QueryPhase.Other, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            _batches.Add(([.. prefixes], phase));
        }

        foreach (var p in prefixes)
        {
            TimesQueried.AddOrUpdate(p, 1, (_, n) => n + 1);
        }

        OnQuery?.Invoke(prefixes);
        return _answer(prefixes);
    }
}
