using LogitRank.Certification;
using LogitRank.Statistics;

namespace LogitRank.Tests.Statistics;

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

    // The textbook formulas below are evaluated in a different order from the code; Tolerance (1e-14 absolute) covers
    // that for values <= 1.
    private static readonly double[] Samples = [0.1, 0.4, 0.4, 0.7, 0.9, 0.3];

    [Fact]
    public void Sample_overloads_use_the_sample_mean_and_count()
    {
        var n = Samples.Length;
        var mean = Samples.Sum() / n;
        var radius = Math.Sqrt(Math.Log(1 / 0.2) / (2.0 * n));
        Assert.Equal(mean + radius, ConcentrationBounds.HoeffdingUpper(Samples, 1.0, 0.2), Tolerance);
        Assert.Equal(mean - radius, ConcentrationBounds.HoeffdingLower(Samples, 1.0, 0.2), Tolerance);
        var twoSidedRadius = Math.Sqrt(Math.Log(2 / 0.2) / (2.0 * n));
        var interval = ConcentrationBounds.HoeffdingTwoSided(Samples, 1.0, 0.2);
        Assert.Equal(mean - twoSidedRadius, interval.Lower, Tolerance);
        Assert.Equal(mean + twoSidedRadius, interval.Upper, Tolerance);
    }

    [Fact]
    public void Empirical_Bernstein_lower_bound_matches_the_formula()
    {
        // Values in [0, 10]: mean 5, V = Σ(x - 5)²/(n-1); the lower bound subtracts sqrt(2V ln(2/δ)/n) + 7R ln(2/δ)/(3(n-1)).
        double[] values = [4, 5, 6, 5, 4, 6, 5, 5, 4, 6, 5, 5];
        var n = values.Length;
        var variance = values.Sum(v => (v - 5) * (v - 5)) / (n - 1);
        Assert.Equal(variance, ConcentrationBounds.SampleVariance(values), Tolerance);
        var logTerm = Math.Log(2 / 0.5);
        var radius = Math.Sqrt(2 * variance * logTerm / n) + (7 * 10 * logTerm / (3.0 * (n - 1)));
        Assert.Equal(5 - radius, ConcentrationBounds.EmpiricalBernsteinLower(values, 10.0, 0.5), 10 * Tolerance);
        Assert.Equal(5 + radius, ConcentrationBounds.EmpiricalBernsteinUpper(values, 10.0, 0.5), 10 * Tolerance);
    }

    [Fact]
    public void Sample_variance_rejects_fewer_than_two_values_and_a_null_list()
    {
        var e = Assert.Throws<ArgumentException>(() => ConcentrationBounds.SampleVariance([1.0]));
        Assert.Contains("n = 1", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentNullException>(() => ConcentrationBounds.SampleVariance(null!));
        Assert.Throws<ArgumentNullException>(() => ConcentrationBounds.HoeffdingUpper(null!, 1.0, 0.1));
        Assert.Equal(0.5, ConcentrationBounds.SampleVariance([0.0, 1.0]), Tolerance);
    }

    [Fact]
    public void A_sample_exactly_at_either_end_of_the_range_is_accepted()
    {
        // [0, R] is closed: 0 and R are valid samples, and a mean equal to R is a valid mean.
        Assert.Equal(1.0, ConcentrationBounds.HoeffdingUpper([0.0, 1.0, 1.0], 1.0, 0.1));
        Assert.Equal(1.0, ConcentrationBounds.HoeffdingUpper(1.0, 5, 1.0, 0.1));
        Assert.Equal(0.0, ConcentrationBounds.HoeffdingLower(0.0, 5, 1.0, 0.1));
        Assert.Equal(1.0, ConcentrationBounds.HoeffdingUpper(0.5, 1, 1.0, 0.1));
        var nan = Assert.Throws<ArgumentOutOfRangeException>(() => ConcentrationBounds.HoeffdingUpper([double.NaN, 0.5], 1.0, 0.1));
        Assert.Contains("Sample 0", nan.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => ConcentrationBounds.HoeffdingUpper(double.NaN, 5, 1.0, 0.1));
        Assert.Throws<ArgumentOutOfRangeException>(() => ConcentrationBounds.HoeffdingUpper(-0.1, 5, 1.0, 0.1));
        Assert.Throws<ArgumentOutOfRangeException>(() => ConcentrationBounds.HoeffdingUpper(0.5, 5, double.NaN, 0.1));
    }

    [Fact]
    public void Interval_membership_is_closed_at_both_ends()
    {
        var interval = new MeanConfidenceInterval(0.25, 0.75, 0.1);
        Assert.True(interval.Contains(0.25));
        Assert.True(interval.Contains(0.75));
        Assert.True(interval.Contains(0.5));
        Assert.False(interval.Contains(0.2));
        Assert.False(interval.Contains(0.8));
        Assert.False(interval.Contains(double.NaN));
    }

    [Fact]
    public void Two_sided_intervals_are_clipped_to_the_range()
    {
        var hoeffding = ConcentrationBounds.HoeffdingTwoSided(0.95, 3, 1.0, 0.1);
        Assert.Equal(1.0, hoeffding.Upper);
        Assert.True(hoeffding.Lower > 0 && hoeffding.Lower < 0.95);
        var low = ConcentrationBounds.HoeffdingTwoSided(0.05, 3, 1.0, 0.1);
        Assert.Equal(0.0, low.Lower);
        var bernstein = ConcentrationBounds.EmpiricalBernsteinTwoSided([0.0, 1.0, 0.0], 1.0, 0.1);
        Assert.Equal(0.0, bernstein.Lower);
        Assert.Equal(1.0, bernstein.Upper);
    }

    [Fact]
    public void Messages_say_what_was_expected()
    {
        var count = Assert.Throws<ArgumentOutOfRangeException>(() => ConcentrationBounds.HoeffdingUpper(0.5, 0, 1.0, 0.1));
        Assert.Contains("n >= 1", count.Message, StringComparison.Ordinal);
        var range = Assert.Throws<ArgumentOutOfRangeException>(() => ConcentrationBounds.HoeffdingUpper(0.5, 3, -1.0, 0.1));
        Assert.Contains("positive, finite range", range.Message, StringComparison.Ordinal);
    }
}
