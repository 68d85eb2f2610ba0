using LogitRank.Learning;
using LogitRank.Sequences;

namespace LogitRank.Tests.Learning;

/// <summary>
/// <see cref="ReconstructionCache"/>: a bounded least-recently-used memo. It holds exactly its capacity, evicts the
/// least recently used prefix (a hit refreshes recency), ignores a repeated store, and rejects a negative capacity.
/// </summary>
public class ReconstructionCacheTests
{
    private static readonly Prefix P = Prefix.Of(0);
    private static readonly Prefix Q = Prefix.Of(1);
    private static readonly Prefix R = Prefix.Of(0, 1);

    private static ReconstructionResult Result(int length) => new(length, [], 0.0, feasible: true, status: null, iterations: 0);

    [Fact]
    public void A_negative_capacity_is_rejected_by_parameter_name()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new ReconstructionCache(-1));
        Assert.Equal("capacity", e.ParamName);
    }

    [Fact]
    public void The_memo_holds_exactly_its_capacity_and_evicts_the_least_recently_used()
    {
        var cache = new ReconstructionCache(2);
        cache.Add(P, Result(1));
        cache.Add(Q, Result(1));
        Assert.Equal(2, cache.Count);
        Assert.True(cache.TryGet(P, out _)); // P is now more recently used than Q.

        cache.Add(R, Result(2));
        Assert.Equal(2, cache.Count);
        Assert.False(cache.TryGet(Q, out _));
        Assert.True(cache.TryGet(P, out _));
        Assert.True(cache.TryGet(R, out _));
    }

    [Fact]
    public void A_repeated_store_does_not_leave_a_stale_entry_that_evicts_a_live_one()
    {
        var cache = new ReconstructionCache(2);
        var first = Result(1);
        cache.Add(P, first);
        cache.Add(P, Result(1));
        cache.Add(Q, Result(1));
        Assert.Equal(2, cache.Count);
        Assert.True(cache.TryGet(P, out var hit)); // P most recently used, Q least.
        Assert.Same(first, hit);

        cache.Add(R, Result(2));
        Assert.True(cache.TryGet(P, out _));
        Assert.False(cache.TryGet(Q, out _));
        Assert.Equal(2, cache.Count);
    }
}
