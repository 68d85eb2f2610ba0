using LogitRank.Certification;
using LogitRank.Statistics;

namespace LogitRank.Tests.Evaluation;

public class ConcentrationBoundsTests
{
    // Expected values are the textbook formulas evaluated independently (Python, math.log/math.sqrt), printed to 17
    // digits; the tolerance 1e-14 covers the different order of floating-point operations.
    private const double Tolerance = 1e-14;

    [Fact]
    public void Hoeffding_matches_the_formula_mean_plus_R_sqrt_log_over_2n()
    {
        // 0.5 ± sqrt(ln(20)/200): n = 100, R = 1, δ = 0.05.
        Assert.Equal(0.6223873415340408, ConcentrationBounds.HoeffdingUpper(0.5, 100, 1.0, 0.05), Tolerance);
        Assert.Equal(0.37761265846595915, ConcentrationBounds.HoeffdingLower(0.5, 100, 1.0, 0.05), Tolerance);

        // Two-sided: radius sqrt(ln(40)/200) = 0.13581015157406195.
        var interval = ConcentrationBounds.HoeffdingTwoSided(0.5, 100, 1.0, 0.05);
        Assert.Equal(0.5 - 0.13581015157406195, interval.Lower, Tolerance);
        Assert.Equal(0.5 + 0.13581015157406195, interval.Upper, Tolerance);
        Assert.Equal(0.05, interval.Delta);
    }

    [Fact]
    public void Hoeffding_scales_linearly_with_the_range()
    {
        // Values in [0, 4] are 4 times values in [0, 1].
        Assert.Equal(4 * 0.6223873415340408, ConcentrationBounds.HoeffdingUpper(2.0, 100, 4.0, 0.05), 4 * Tolerance);
    }

    [Fact]
    public void Bounds_are_clipped_to_the_range()
    {
        Assert.Equal(1.0, ConcentrationBounds.HoeffdingUpper(0.9, 2, 1.0, 0.01));
        Assert.Equal(0.0, ConcentrationBounds.HoeffdingLower(0.1, 2, 1.0, 0.01));
        var values = new[] { 0.0, 1.0, 0.0, 1.0 };
        Assert.Equal(1.0, ConcentrationBounds.EmpiricalBernsteinUpper(values, 1.0, 0.1));
        Assert.Equal(0.0, ConcentrationBounds.EmpiricalBernsteinLower(values, 1.0, 0.1));
    }

    [Fact]
    public void Empirical_Bernstein_matches_Maurer_Pontil_theorem_4()
    {
        // 100 alternating 0/1 values: mean 0.5, V = 100·0.25/99; δ = 0.05, so ln(2/δ) = ln 40:
        // 0.5 + sqrt(2·V·ln(40)/100) + 7·ln(40)/(3·99) = 0.5 + 0.22343762482531582.
        var values = Enumerable.Range(0, 100).Select(i => (double)(i % 2)).ToArray();
        Assert.Equal(100 * 0.25 / 99, ConcentrationBounds.SampleVariance(values), Tolerance);
        Assert.Equal(0.5 + 0.22343762482531582, ConcentrationBounds.EmpiricalBernsteinUpper(values, 1.0, 0.05), Tolerance);

        // Two-sided: each side at δ/2, radius sqrt(2·V·ln(80)/100) + 7·ln(80)/(3·99) = 0.2520465087982955.
        var interval = ConcentrationBounds.EmpiricalBernsteinTwoSided(values, 1.0, 0.05);
        Assert.Equal(0.5 - 0.2520465087982955, interval.Lower, Tolerance);
        Assert.Equal(0.5 + 0.2520465087982955, interval.Upper, Tolerance);
    }

    [Fact]
    public void Empirical_Bernstein_beats_Hoeffding_for_low_variance_samples()
    {
        // Constant samples: V = 0, so only the 7R ln(2/δ)/(3(n-1)) term remains, which is O(1/n) instead of O(1/sqrt n).
        var values = Enumerable.Repeat(0.01, 10_000).ToArray();
        var bernstein = ConcentrationBounds.EmpiricalBernsteinUpper(values, 1.0, 0.05);
        var hoeffding = ConcentrationBounds.HoeffdingUpper(values, 1.0, 0.05);
        Assert.Equal(0.01 + (7 * Math.Log(40) / (3.0 * 9_999)), bernstein, 1e-12);
        Assert.True(bernstein < hoeffding, $"Bernstein {bernstein} should beat Hoeffding {hoeffding} on constant samples.");
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    [InlineData(-0.1)]
    [InlineData(double.NaN)]
    public void Delta_outside_the_open_unit_interval_is_rejected(double delta)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => ConcentrationBounds.HoeffdingUpper(0.5, 10, 1.0, delta));
        Assert.Equal("delta", ex.ParamName);
        Assert.Contains("(0, 1)", ex.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => ConcentrationBounds.EmpiricalBernsteinUpper([0.1, 0.2], 1.0, delta));
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1.0)]
    [InlineData(double.PositiveInfinity)]
    public void Non_positive_or_infinite_range_is_rejected(double range)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => ConcentrationBounds.HoeffdingTwoSided(0.0, 10, range, 0.1));
        Assert.Equal("range", ex.ParamName);
    }

    [Fact]
    public void A_sample_outside_the_range_is_rejected_and_named()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => ConcentrationBounds.EmpiricalBernsteinUpper([0.2, 1.5, 0.3], 1.0, 0.1));
        Assert.Contains("Sample 1 is 1.5", ex.Message, StringComparison.Ordinal);
        Assert.Contains("[0, 1]", ex.Message, StringComparison.Ordinal);
        var negative = Assert.Throws<ArgumentOutOfRangeException>(() => ConcentrationBounds.HoeffdingUpper([-0.25], 1.0, 0.1));
        Assert.Contains("-0.25", negative.Message, StringComparison.Ordinal);
        var mean = Assert.Throws<ArgumentOutOfRangeException>(() => ConcentrationBounds.HoeffdingLower(2.5, 4, 2.0, 0.1));
        Assert.Contains("2.5", mean.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Sample_counts_below_the_minimum_are_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ConcentrationBounds.HoeffdingUpper(0.5, 0, 1.0, 0.1));
        Assert.Throws<ArgumentException>(() => ConcentrationBounds.HoeffdingUpper([], 1.0, 0.1));
        var ex = Assert.Throws<ArgumentException>(() => ConcentrationBounds.EmpiricalBernsteinUpper([0.5], 1.0, 0.1));
        Assert.Contains("n = 1", ex.Message, StringComparison.Ordinal);
        Assert.Contains("n = 2", ex.Message, StringComparison.Ordinal);
    }
}
