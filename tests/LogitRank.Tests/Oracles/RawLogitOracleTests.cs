using LogitRank.Models;
using LogitRank.Numerics;
using LogitRank.Oracles;
using LogitRank.Sequences;
using LogitRank.Tests.Oracles;

namespace LogitRank.Tests.Oracles;

/// <summary><see cref="RawLogitOracle"/>: the shape it needs.</summary>
public partial class RawLogitOracleTests
{
    [Fact]
    public void A_raw_logit_oracle_needs_two_tokens_and_a_horizon_of_one()
    {
        static IReadOnlyList<double[]> Scores(IReadOnlyList<Prefix> batch) => batch.Select(_ => (double[])[0.0, 1.0]).ToArray();
        Assert.Equal("alphabetSize", Assert.Throws<ArgumentOutOfRangeException>(() => new DelegateOracle(1, 3, Scores)).ParamName);
        Assert.Equal("horizon", Assert.Throws<ArgumentOutOfRangeException>(() => new DelegateOracle(2, 0, Scores)).ParamName);
        Assert.Equal(2, new DelegateOracle(2, 1, Scores).Query(Prefix.Empty).Length);
    }
}
