using LogitRank.Certification;
using LogitRank.Statistics;

namespace LogitRank.Tests.Mutation;

/// <summary>
/// The sample-list overloads, the lower empirical Bernstein bound and the interval membership of
/// <see cref="ConcentrationBounds"/>, checked against the textbook formulas written out here (proofs-notes/mutation.md).
/// </summary>
public class ConcentrationBoundsMutationTests
{
    // The formulas below are evaluated in a different order from the code; 1e-14 absolute covers that for values <= 1.
    private const double Tolerance = 1e-14;

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
