using LogitRank.Analysis;

namespace LogitRank.Tests.Analysis;

/// <summary>
/// <see cref="NoiseFloorEstimate.KneeRatio"/>: <c>σ_r̂ / σ_{r̂+1}</c> at the signal rank, 1 when <c>r̂ = 0</c> or no value
/// follows it, and +∞ when <c>σ_{r̂+1} = 0</c> (whatever <c>σ_r̂</c> is).
/// </summary>
public class NoiseFloorEstimateTests
{
    private static double Knee(int rank, params double[] values) => new NoiseFloorEstimate(8, 8, 8, values, 0.1, rank, true).KneeRatio;

    /// <summary>The ratio of the values either side of the rank; exact here (powers of two).</summary>
    [Fact]
    public void The_knee_ratio_is_the_value_at_the_rank_over_the_next_one()
    {
        Assert.Equal(2.0, Knee(1, 4, 2, 1));
        Assert.Equal(4.0, Knee(2, 4, 4, 1, 1));
        Assert.Equal(1.0, Knee(1, 2, 2));
    }

    /// <summary>Rank 0 and a rank with no value after it give 1.</summary>
    [Fact]
    public void Rank_zero_or_a_rank_without_a_next_value_gives_one()
    {
        Assert.Equal(1.0, Knee(0, 4, 2, 1));
        Assert.Equal(1.0, Knee(3, 4, 2, 1));
        Assert.Equal(1.0, Knee(0));
    }

    /// <summary>A zero value after the rank gives +∞, also when the value at the rank is itself zero.</summary>
    [Fact]
    public void A_zero_next_value_gives_infinity()
    {
        Assert.Equal(double.PositiveInfinity, Knee(1, 4, 0));
        Assert.Equal(double.PositiveInfinity, Knee(2, 3, 0, 0));
    }
}
