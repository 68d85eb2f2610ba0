using LogitRank.Models;
using LogitRank.Numerics;
using LogitRank.Oracles;
using LogitRank.Sequences;
using LogitRank.Tests.Oracles;

namespace LogitRank.Tests.Oracles;

public partial class CachingOracleTests
{
    [Fact]
    public void A_null_batch_is_named()
    {
        Assert.Equal("prefixes", Assert.Throws<ArgumentNullException>(() => new CachingOracle(new ModelOracle(TabularModel.Random(2, 3, 1, scale: 1.0))).Query(null!)).ParamName);
    }
}
