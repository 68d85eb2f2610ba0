using LogitRank.Analysis;

namespace LogitRank.Tests.Mutation;

/// <summary>
/// <see cref="PowerLawFit.RSquared"/> against the squared correlation of the log–log points (an independent formula:
/// for a least-squares line R² = s_xy²/(s_xx·s_yy)), and the "equal up to rounding" rule measured in ulps of the
/// largest |log σ| (proofs-notes/mutation.md).
/// </summary>
public class PowerLawFitMutationTests
{
    [Theory]
    [InlineData(new[] { 5.0, 1.0, 2.0, 0.5 })]
    [InlineData(new[] { 1e6, 3e5, 2e5, 9e4, 1e4 })] // log σ far from 0: the centring matters
    public void RSquared_is_the_squared_correlation_of_the_log_log_points(double[] values)
    {
        var xs = Enumerable.Range(1, values.Length).Select(i => Math.Log(i)).ToArray();
        var ys = values.Select(v => Math.Log(v)).ToArray();
        double mx = xs.Average(), my = ys.Average();
        var sxy = xs.Zip(ys).Sum(p => (p.First - mx) * (p.Second - my));
        var sxx = xs.Sum(x => (x - mx) * (x - mx));
        var syy = ys.Sum(y => (y - my) * (y - my));

        // Both are rounded sums of <= 5 terms of size O(10): agreement to 1e-12 (R² is O(1) here and well below 1).
        var fit = PowerLawFit.Fit(values);
        Assert.True(Math.Abs(fit.RSquared - (sxy * sxy / (sxx * syy))) <= 1e-12, $"R² = {fit.RSquared} vs {sxy * sxy / (sxx * syy)}");
        Assert.InRange(fit.RSquared, 0.05, 0.99);
    }

    [Fact]
    public void Log_values_a_few_ulps_apart_far_from_zero_are_a_constant_law()
    {
        // σ = (1e300, 1e300·(1 + 5e-13), 1e300): log σ ≈ 690.8, and the middle one is ~4.5 ulps (ulp(690.8) ≈ 1.1e-13)
        // above the others, below the 8·ε·690.8 ≈ 1.2e-12 rounding level of the rule, so the law is constant: R² = 1.
        var fit = PowerLawFit.Fit([1e300, 1e300 * (1 + 5e-13), 1e300]);
        Assert.Equal(1.0, fit.RSquared);
        Assert.True(Math.Abs(fit.Exponent) <= 1e-11, $"exponent {fit.Exponent}"); // a slope of a few ulps over log 3
    }
}
