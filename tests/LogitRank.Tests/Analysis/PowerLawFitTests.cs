using LogitRank.Analysis;

namespace LogitRank.Tests.Analysis;

public partial class PowerLawFitTests
{
    [Theory]
    [InlineData(3.0, 0.7, 50)]
    [InlineData(0.01, 2.5, 2)]
    [InlineData(100.0, 0.0, 10)]
    public void Recovers_a_planted_power_law(double c, double a, int count)
    {
        var values = Enumerable.Range(1, count).Select(i => c * Math.Pow(i, -a)).ToArray();
        var fit = PowerLawFit.Fit(values);

        // log σ_i is exactly linear in log i; only rounding of log/pow perturbs it (≈ 1e-15 per point).
        Assert.Equal(a, fit.Exponent, 10);
        Assert.Equal(1.0, fit.Constant / c, 10);
        Assert.Equal(1.0, fit.RSquared, 10);
        Assert.Equal((1, count), (fit.First, fit.Last));
    }

    [Fact]
    public void Fits_only_the_chosen_index_range()
    {
        // σ_i = 2·i^{-1.3} except the first five values, which are spoiled; fitting 6..40 ignores them.
        var values = Enumerable.Range(1, 40).Select(i => i <= 5 ? 100.0 : 2 * Math.Pow(i, -1.3)).ToArray();
        var fit = PowerLawFit.Fit(values, first: 6, last: 40);
        Assert.Equal(1.3, fit.Exponent, 10);
        Assert.Equal(1.0, fit.Constant / 2, 10);
        Assert.True(PowerLawFit.Fit(values).RSquared < 0.99);
    }

    [Fact]
    public void RSquared_is_below_one_for_a_noisy_law()
    {
        var random = new Random(3);
        var values = Enumerable.Range(1, 30).Select(i => Math.Pow(i, -1.0) * Math.Exp(0.3 * (random.NextDouble() - 0.5))).OrderByDescending(v => v).ToArray();
        var fit = PowerLawFit.Fit(values);
        Assert.InRange(fit.RSquared, 0.5, 1.0 - 1e-6);
        Assert.InRange(fit.Exponent, 0.8, 1.2);
    }

    [Fact]
    public void Bad_ranges_and_values_raise_typed_exceptions_naming_the_value()
    {
        double[] values = [4, 2, 1, 0];
        Assert.Contains("σ_4 = 0", Assert.Throws<ArgumentException>(() => PowerLawFit.Fit(values)).Message, StringComparison.Ordinal);
        Assert.Equal(3, PowerLawFit.Fit(values, last: 3).Last); // the zero is outside the range, so the fit goes through
        Assert.Contains("0", Assert.Throws<ArgumentOutOfRangeException>(() => PowerLawFit.Fit(values, first: 0)).Message, StringComparison.Ordinal);
        Assert.Contains("9", Assert.Throws<ArgumentOutOfRangeException>(() => PowerLawFit.Fit(values, last: 9)).Message, StringComparison.Ordinal);
        Assert.Contains("2..2", Assert.Throws<ArgumentException>(() => PowerLawFit.Fit(values, first: 2, last: 2)).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => PowerLawFit.Fit([]));
        Assert.Throws<ArgumentException>(() => PowerLawFit.Fit([1.0, double.PositiveInfinity]));
    }
}
