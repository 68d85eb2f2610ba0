using LogitRank.Analysis;

namespace LogitRank.Tests.Analysis;

/// <summary>
/// The rank strategies' range errors state the interval expected, with its open and closed ends, and the largest-gap
/// floor scales with the largest value.
/// </summary>
public partial class RankStrategyTests
{
    [Fact]
    public void Range_errors_state_the_interval_with_its_ends()
    {
        Assert.Contains("expected a value in [0, 1].", Assert.Throws<ArgumentOutOfRangeException>(() => RankStrategy.RelativeThreshold(1.5)).Message, StringComparison.Ordinal);
        Assert.Contains("expected a value in [0, 1].", Assert.Throws<ArgumentOutOfRangeException>(() => RankStrategy.EnergyFraction(-0.1)).Message, StringComparison.Ordinal);
        Assert.Contains("expected a value in (0, 1).", Assert.Throws<ArgumentOutOfRangeException>(() => RankStrategy.LargestGap(1.0)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_largest_gap_floor_is_tau_times_the_largest_value()
    {
        // τ = 0.1, σ = (100, 90, 0.5, 0.001): the floor τ·σ_1 = 10 makes 0.5 negligible, so the ratios are 100/90 and
        // 90/max(0.5, 10) = 9 and the rank is 2. (A floor of τ/σ_1 = 0.001 would let 0.5/0.001 = 500 win: rank 3.)
        Assert.Equal(2, NumericalRank.Select([100, 90, 0.5, 0.001], RankStrategy.LargestGap(0.1)).Rank);
    }
}
