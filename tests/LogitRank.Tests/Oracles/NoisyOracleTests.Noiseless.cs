using LogitRank.Models;
using LogitRank.Numerics;
using LogitRank.Oracles;
using LogitRank.Sequences;
using LogitRank.Tests.Oracles;

namespace LogitRank.Tests.Oracles;

public partial class NoisyOracleTests
{
    /// <summary>With <c>ξ = 0</c> the perturbation is exactly zero: positive zeros, not the signed zeros of <c>0·(u - ū)</c>.</summary>
    [Fact]
    public void A_noiseless_perturbation_is_exactly_zero()
    {
        var noisy = new NoisyOracle(new ModelOracle(TabularModel.Random(2, 3, 1, scale: 1.0)), 0, seed: 3);
        foreach (var prefix in new[] { Prefix.Empty, Prefix.Of(1), Prefix.Of(0, 1) })
        {
            Assert.All(noisy.Perturbation(prefix), e => Assert.Equal(0L, BitConverter.DoubleToInt64Bits(e)));
        }
    }
}
