using LogitRank.Models;
using LogitRank.Numerics;
using LogitRank.Oracles;
using LogitRank.Sequences;
using LogitRank.Tests.Oracles;

namespace LogitRank.Tests.Oracles;

/// <summary><see cref="QueryCounts"/>.</summary>
public partial class QueryCountsTests
{
    [Fact]
    public void Query_counts_format_their_non_zero_phases_in_enum_order()
    {
        var counts = new QueryCounts(new Dictionary<QueryPhase, long> { [QueryPhase.Spanner] = 2, [QueryPhase.Validation] = 0, [QueryPhase.Sampling] = 3 }, 2);
        Assert.Equal("total=5 batches=2 (Sampling=3, Spanner=2)", counts.ToString());
    }

    /// <summary>Equality compares every phase counted on either side: a phase present on one side only makes the counts differ, a zero count equals an absent phase.</summary>
    [Fact]
    public void Counts_with_a_phase_on_one_side_only_differ()
    {
        var sampled = new QueryCounts(new Dictionary<QueryPhase, long> { [QueryPhase.Sampling] = 5 }, 1);
        var none = new QueryCounts(new Dictionary<QueryPhase, long>(), 1);
        Assert.False(sampled.Equals(none));
        Assert.False(none.Equals(sampled));
        var withZero = new QueryCounts(new Dictionary<QueryPhase, long> { [QueryPhase.Sampling] = 5, [QueryPhase.Spanner] = 0 }, 1);
        Assert.True(sampled.Equals(withZero));
        Assert.True(withZero.Equals(sampled));
        Assert.Equal(sampled.GetHashCode(), withZero.GetHashCode());
    }
}
