using LogitRank.Sequences;

namespace LogitRank.Learning;

/// <summary>
/// A bounded, thread-safe least-recently-used memo of RECONSTRUCT results keyed by prefix (one per
/// <see cref="Reconstructor"/>). It only saves work: a result is a pure function of its prefix (the chain of
/// <see cref="Reconstructor.Extend"/> from the empty prefix), so an evicted entry is recomputed bit for bit, and the
/// model's probabilities do not depend on what the memo holds.
/// </summary>
/// <remarks>
/// One lock guards a dictionary and a recency list; a hit moves its entry to the front, an insertion beyond the
/// capacity drops the least recently used entry. The lock is held for O(1) work only (never while an LP is solved), so
/// batch sampling on several cores contends only briefly.
/// </remarks>
internal sealed class ReconstructionCache
{
    private readonly Dictionary<Prefix, LinkedListNode<(Prefix Key, ReconstructionResult Value)>> _map = [];
    private readonly LinkedList<(Prefix Key, ReconstructionResult Value)> _order = new();
    private readonly Lock _lock = new();

    /// <summary>Creates a memo holding at most <paramref name="capacity"/> results (0: nothing is kept).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="capacity"/> is negative.</exception>
    public ReconstructionCache(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(capacity);
        Capacity = capacity;
    }

    /// <summary>The largest number of results kept.</summary>
    public int Capacity { get; }

    /// <summary>The number of results held now.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _map.Count;
            }
        }
    }

    /// <summary>The cached result of <paramref name="prefix"/>, marking it most recently used.</summary>
    public bool TryGet(Prefix prefix, out ReconstructionResult result)
    {
        lock (_lock)
        {
            if (_map.TryGetValue(prefix, out var node))
            {
                _order.Remove(node);
                _order.AddFirst(node);
                result = node.Value.Value;
                return true;
            }
        }

        result = null!;
        return false;
    }

    /// <summary>Stores <paramref name="result"/> for <paramref name="prefix"/> (a second store of an equal result is ignored).</summary>
    public void Add(Prefix prefix, ReconstructionResult result)
    {
        if (Capacity == 0)
        {
            return;
        }

        lock (_lock)
        {
            if (_map.ContainsKey(prefix))
            {
                return;
            }

            _map[prefix] = _order.AddFirst((prefix, result));
            if (_map.Count > Capacity)
            {
                var last = _order.Last!;
                _order.RemoveLast();
                _map.Remove(last.Value.Key);
            }
        }
    }
}
