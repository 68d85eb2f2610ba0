using LogitRank.Analysis;

namespace LogitRank.Tests.Analysis;

/// <summary>
/// <see cref="PowerLawFit.RSquared"/> against the squared correlation of the log–log points (an independent formula:
/// for a least-squares line R² = s_xy²/(s_xx·s_yy)), and the "equal up to rounding" rule measured in ulps of the
/// largest |log σ|.
/// </summary>
public partial class PowerLawFitTests
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

    private const double Epsilon = 2.220446049250313e-16;

    /// <summary>
    /// The documented rule restated: s_yy = Σ (log σ_i - mean)² against count·(8ε·max(L, 1))², with L the largest |log σ|
    /// (and, for comparison, the smallest). At the boundary only the bits matter, so the sums are formed in the order
    /// of the fit (mean by Average, then the squares in index order).
    /// </summary>
    private static (double Syy, double Threshold, double ThresholdOfSmallest) Rule(double[] values)
    {
        var ys = values.Select(v => Math.Log(v)).ToArray();
        var my = ys.Average();
        var syy = 0.0;
        foreach (var y in ys)
        {
            var dy = y - my;
            syy += dy * dy;
        }

        var level = 8 * Epsilon * Math.Max(ys.Max(Math.Abs), 1.0);
        var levelOfSmallest = 8 * Epsilon * Math.Max(ys.Min(Math.Abs), 1.0);
        return (syy, values.Length * level * level, values.Length * levelOfSmallest * levelOfSmallest);
    }

    [Fact]
    public void A_spread_exactly_at_the_rounding_level_is_still_a_constant_law()
    {
        // σ = (1 + a, 1 - b, 1 + a, 1 - b) with a, b a few ulps: |log σ| < 1, so the level is 8ε and the threshold
        // 4·(8ε)² = 2^-96; some a, b put s_yy exactly on it, and the rule is inclusive there.
        double[]? boundary = null;
        for (var k = 1; k <= 32 && boundary is null; k++)
        {
            for (var l = 1; l <= 32 && boundary is null; l++)
            {
                double[] values = [1 + (k * Epsilon), 1 - (l * Epsilon / 2), 1 + (k * Epsilon), 1 - (l * Epsilon / 2)];
                var (syy, threshold, _) = Rule(values);
                if (syy == threshold)
                {
                    boundary = values;
                }
            }
        }

        Assert.NotNull(boundary);
        Assert.Equal(1.0, PowerLawFit.Fit(boundary).RSquared);
    }

    [Fact]
    public void The_rounding_level_is_that_of_the_largest_log_value()
    {
        // Three to five values whose logs lie within a few ulps of M (1 < M < 500): a seeded search finds a spread with
        // s_yy between the threshold of the smallest |log σ| and that of the largest, where only the largest counts.
        var random = new Random(2);
        double[]? between = null;
        for (var trial = 0; trial < 4_000_000 && between is null; trial++)
        {
            var count = 3 + random.Next(3);
            var m = Math.ScaleB(Math.Sqrt(1 + random.Next(2000)) / 24 * (1 + ((random.NextDouble() - 0.5) * 1e-13)), 1 + random.Next(8));
            var ulp = Math.ScaleB(1.0, Math.ILogB(m) - 52);
            var values = Enumerable.Range(0, count).Select(_ => Math.Exp(m - (random.Next(40) * ulp))).ToArray();
            var (syy, threshold, thresholdOfSmallest) = Rule(values);
            if (thresholdOfSmallest < syy && syy <= threshold)
            {
                between = values;
            }
        }

        Assert.NotNull(between);
        Assert.Equal(1.0, PowerLawFit.Fit(between).RSquared);
    }
}
