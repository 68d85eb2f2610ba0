using LogitRank.Analysis;

namespace LogitRank.Tests.Mutation;

/// <summary>The rank strategies' range errors state the interval expected, with its open and closed ends (proofs-notes/mutation.md).</summary>
public class RankStrategyMutationTests
{
    [Fact]
    public void Range_errors_state_the_interval_with_its_ends()
    {
        Assert.Contains("expected a value in [0, 1].", Assert.Throws<ArgumentOutOfRangeException>(() => RankStrategy.RelativeThreshold(1.5)).Message, StringComparison.Ordinal);
        Assert.Contains("expected a value in [0, 1].", Assert.Throws<ArgumentOutOfRangeException>(() => RankStrategy.EnergyFraction(-0.1)).Message, StringComparison.Ordinal);
        Assert.Contains("expected a value in (0, 1).", Assert.Throws<ArgumentOutOfRangeException>(() => RankStrategy.LargestGap(1.0)).Message, StringComparison.Ordinal);
    }
}
