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
}
