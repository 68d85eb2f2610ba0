using LogitRank.Models;
using LogitRank.Numerics;
using LogitRank.Oracles;
using LogitRank.Sequences;
using LogitRank.Tests.Oracles;

namespace LogitRank.Tests.Oracles;

public partial class CountingOracleTests
{
    /// <summary>An empty batch counts as a batch with no queries: no phase appears in the counts.</summary>
    [Fact]
    public void An_empty_batch_is_a_batch_and_adds_no_phase()
    {
        var counting = new ModelOracle(TabularModel.Random(2, 3, 1, scale: 1.0)).Counting();
        Assert.Empty(counting.Query([], QueryPhase.Spanner));
        Assert.Equal(1, counting.Counts.Batches);
        Assert.Empty(counting.Counts.ByPhase);
    }
}
