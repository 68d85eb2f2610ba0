using LogitRank.Analysis;

namespace LogitRank.Tests.Analysis;

public partial class RankStrategyTests
{
    private static int Rank(RankStrategy strategy, params double[] values) => NumericalRank.Select(values, strategy).Rank;

    [Fact]
    public void Fixed_caps_at_the_number_of_values()
    {
        Assert.Equal(2, Rank(RankStrategy.Fixed(2), 3, 2, 1));
        Assert.Equal(3, Rank(RankStrategy.Fixed(5), 3, 2, 1));
        Assert.Equal(0, Rank(RankStrategy.Fixed(0), 3, 2, 1));
        Assert.Equal(0, Rank(RankStrategy.Fixed(4)));
    }

    [Fact]
    public void Absolute_threshold_counts_strictly_greater_values()
    {
        Assert.Equal(2, Rank(RankStrategy.AbsoluteThreshold(1.5), 3, 2, 1));
        Assert.Equal(2, Rank(RankStrategy.AbsoluteThreshold(1.0), 3, 2, 1)); // σ_3 = τ is not counted
        Assert.Equal(0, Rank(RankStrategy.AbsoluteThreshold(0), 0, 0));
        Assert.Equal(3, Rank(RankStrategy.AbsoluteThreshold(0.5), 2, 2, 2)); // ties all above
        Assert.Equal(1, Rank(RankStrategy.AbsoluteThreshold(0), 7));
    }

    [Fact]
    public void Relative_threshold_scales_by_the_largest_value()
    {
        Assert.Equal(2, Rank(RankStrategy.RelativeThreshold(0.25), 4, 2, 1, 0)); // 1 = 0.25·4 excluded
        Assert.Equal(3, Rank(RankStrategy.RelativeThreshold(0), 4, 2, 1, 0));
        Assert.Equal(0, Rank(RankStrategy.RelativeThreshold(0.1), 0, 0, 0));
        Assert.Equal(1, Rank(RankStrategy.RelativeThreshold(0.5), 5));
        Assert.Equal(3, Rank(RankStrategy.RelativeThreshold(0.99), 2, 2, 2));
        Assert.Equal(0, Rank(RankStrategy.RelativeThreshold(1), 2, 2, 2)); // nothing exceeds σ_1 itself
        Assert.Equal(0, Rank(RankStrategy.RelativeThreshold(0.5)));
    }

    [Fact]
    public void Energy_fraction_is_the_smallest_rank_reaching_the_fraction()
    {
        // σ = (4, 3): energies 16 and 9 of 25.
        Assert.Equal(1, Rank(RankStrategy.EnergyFraction(0.64), 4, 3)); // 16 >= 0.64·25 exactly
        Assert.Equal(2, Rank(RankStrategy.EnergyFraction(0.65), 4, 3));
        Assert.Equal(0, Rank(RankStrategy.EnergyFraction(0), 4, 3));
        Assert.Equal(2, Rank(RankStrategy.EnergyFraction(1), 4, 3));
        Assert.Equal(1, Rank(RankStrategy.EnergyFraction(1), 1, 0, 0)); // trailing zeros add nothing
        Assert.Equal(0, Rank(RankStrategy.EnergyFraction(0.9), 0, 0));
        Assert.Equal(2, Rank(RankStrategy.EnergyFraction(0.5), 1, 1, 1, 1)); // ties: half the energy at r = 2
        Assert.Equal(0, Rank(RankStrategy.EnergyFraction(1)));
    }

    [Fact]
    public void Largest_gap_finds_the_drop()
    {
        Assert.Equal(2, Rank(RankStrategy.LargestGap(), 10, 9, 1e-3, 1e-4)); // 9/1e-3 = 9000 is the largest ratio
        Assert.Equal(3, Rank(RankStrategy.LargestGap(), 5, 4, 3, 1e-15, 0)); // a drop into the negligible tail: 3/(1e-12·5)
        Assert.Equal(1, Rank(RankStrategy.LargestGap(), 4, 2, 1)); // ties (2 and 2): the smallest rank
        Assert.Equal(1, Rank(RankStrategy.LargestGap(), 5)); // a single non-zero value
        Assert.Equal(0, Rank(RankStrategy.LargestGap(), 0)); // a single zero
        Assert.Equal(0, Rank(RankStrategy.LargestGap(), 0, 0, 0));
        Assert.Equal(0, Rank(RankStrategy.LargestGap()));
        Assert.Equal(1, Rank(RankStrategy.LargestGap(), 1, 0)); // 1 / max(0, 1e-12) is finite
        Assert.Equal(2, Rank(RankStrategy.LargestGap(1e-3), 1, 0.5, 1e-4, 1e-5)); // 0.5/1e-3 = 500 beats 2; 1e-4 is negligible
    }

    [Fact]
    public void Selection_records_the_strategy_and_count()
    {
        var strategy = RankStrategy.RelativeThreshold(1e-9);
        var selection = NumericalRank.Select([3.0, 1.0, 0.0], strategy);
        Assert.Equal(new RankSelection(2, strategy, 3), selection);
        Assert.IsType<RelativeThresholdRank>(selection.Strategy);
        Assert.Equal(1e-9, ((RelativeThresholdRank)selection.Strategy).Tau);
    }

    [Fact]
    public void Bad_parameters_and_values_raise_typed_exceptions_naming_the_value()
    {
        Assert.Contains("-1", Assert.Throws<ArgumentOutOfRangeException>(() => RankStrategy.Fixed(-1)).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => RankStrategy.AbsoluteThreshold(-0.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => RankStrategy.AbsoluteThreshold(double.PositiveInfinity));
        Assert.Contains("1.5", Assert.Throws<ArgumentOutOfRangeException>(() => RankStrategy.RelativeThreshold(1.5)).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => RankStrategy.EnergyFraction(double.NaN));
        Assert.Throws<ArgumentOutOfRangeException>(() => RankStrategy.LargestGap(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => RankStrategy.LargestGap(1));
        var unordered = Assert.Throws<ArgumentException>(() => NumericalRank.Select([1.0, 2.0], RankStrategy.Fixed(1)));
        Assert.Contains("σ_2 = 2", unordered.Message, StringComparison.Ordinal);
        Assert.Contains("NaN", Assert.Throws<ArgumentException>(() => NumericalRank.Select([double.NaN], RankStrategy.Fixed(1))).Message, StringComparison.Ordinal);
    }
}
