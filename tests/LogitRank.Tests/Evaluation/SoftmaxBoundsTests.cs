using LogitRank.Numerics;

namespace LogitRank.Tests.Evaluation;

public class SoftmaxBoundsTests
{
    [Theory]
    [InlineData(0.01)]
    [InlineData(0.5)]
    [InlineData(1.0)]
    [InlineData(4.0)]
    [InlineData(20.0)]
    public void TV_bound_tanh_R_over_4_is_attained_by_the_two_token_extremal_pair(double r)
    {
        // proofs-notes/softmax-perturbation-bounds.md: p = softmax(R/4, -R/4), q = softmax(-R/4, R/4) has e = (R/2, -R/2),
        // oscillation R and TV = σ(R/2) - σ(-R/2) = tanh(R/4). Rounding: a few ulps of numbers <= 1, so 1e-13.
        var u = LogitVector.FromLogits([r / 4, -r / 4]);
        var v = LogitVector.FromLogits([-r / 4, r / 4]);
        Assert.Equal(r, SoftmaxBounds.Oscillation(u, v), 1e-13);
        Assert.Equal(Math.Tanh(r / 4), SoftmaxBounds.TotalVariation(u, v), 1e-13);
        Assert.True(SoftmaxBounds.TotalVariation(u, v) <= SoftmaxBounds.TotalVariationBound(u, v));
    }

    [Theory]
    [InlineData(0.01)]
    [InlineData(0.5)]
    [InlineData(1.0)]
    [InlineData(4.0)]
    [InlineData(20.0)]
    [InlineData(60.0)]
    public void KL_bound_B_R_is_attained_by_the_two_token_extremal_pair(double r)
    {
        // The maximiser of the note: ratio p/q takes the values a = e^{-s*} and b = a·e^R with s* = R - ln((e^R - 1)/R),
        // q = (w, 1 - w) with w = (1 - a)/(b - a), p = (w·b, (1 - w)·a). Its KL is then B(R) (the chord is attained).
        // Built from the definition of the maximiser, not from the closed form; 1e-12 relative covers the rounding in
        // forming p and q (the closed form for small R is replaced by R²/8, whose gap to B(R) is ~R⁴/576 <= 2e-11 here).
        var s = r - Math.Log(SoftmaxBounds.ExpMinusOne(r) / r);
        var a = Math.Exp(-s);
        var b = a * Math.Exp(r);
        var w = (1 - a) / (b - a);
        var q = LogitVector.FromProbabilities([w, 1 - w]);
        var p = LogitVector.FromProbabilities([w * b, (1 - w) * a]);
        Assert.Equal(r, SoftmaxBounds.Oscillation(p, q), 1e-9 * Math.Max(1, r));
        var kl = SoftmaxBounds.KullbackLeibler(p, q);
        var bound = SoftmaxBounds.KullbackLeiblerBound(r);
        Assert.True(kl <= bound * (1 + 1e-9), $"KL {kl} exceeds B({r}) = {bound}");
        Assert.True(kl >= bound * (1 - 1e-9) - 1e-12, $"KL {kl} is not close to B({r}) = {bound}: the bound is not tight");
    }

    [Fact]
    public void Bounds_imply_the_specification_bounds()
    {
        // TV <= tanh(R/4) <= ||e||_∞ and KL <= B(R) <= min(R, R²/8).
        foreach (var r in new[] { 1e-6, 1e-3, 0.1, 1, 2, 8, 10, 100, 1e4 })
        {
            Assert.True(SoftmaxBounds.TotalVariationBound(r) <= r / 4 * (1 + 1e-13) + 1e-300);
            var b = SoftmaxBounds.KullbackLeiblerBound(r);
            Assert.True(b <= r, $"B({r}) = {b} > R");
            Assert.True(b <= r * r / 8 * (1 + 1e-13), $"B({r}) = {b} > R²/8");
        }

        Assert.Equal(0.0, SoftmaxBounds.KullbackLeiblerBound(0));
        Assert.Equal(1.0, SoftmaxBounds.TotalVariationBound(double.PositiveInfinity));
        Assert.Equal(0.0, SoftmaxBounds.TotalVariationBound(0), 1e-300);
    }

    [Fact]
    public void KL_bound_matches_its_asymptotics()
    {
        // B(R) = R²/8 - R⁴/576 + O(R⁶) near 0 (Taylor expansion in the note) and B(R) = R - ln R - 1 + O(R e^{-R}) for large R.
        Assert.Equal((0.5 * 0.5 / 8) - (Math.Pow(0.5, 4) / 576), SoftmaxBounds.KullbackLeiblerBound(0.5), 2e-6);
        Assert.Equal(100 - Math.Log(100) - 1, SoftmaxBounds.KullbackLeiblerBound(100), 1e-10);
    }

    [Fact]
    public void Large_logits_do_not_overflow()
    {
        // p = softmax(800, -800) is a point mass up to e^{-1600}: KL(p||uniform) = ln 2, TV(p, uniform) = 1/2.
        var p = LogitVector.FromLogits([800, -800]);
        var uniform = LogitVector.Uniform(2);
        Assert.Equal(Math.Log(2), SoftmaxBounds.KullbackLeibler(p, uniform), 1e-15);
        Assert.Equal(0.5, SoftmaxBounds.TotalVariation(p, uniform), 1e-15);

        // Opposite point masses: KL = 1600 (log q of p's atom is -1600), TV = 1; both within the bounds for R = 3200.
        var flipped = LogitVector.FromLogits([-800, 800]);
        Assert.Equal(1600, SoftmaxBounds.KullbackLeibler(p, flipped), 1e-9);
        Assert.Equal(1.0, SoftmaxBounds.TotalVariation(p, flipped));
        Assert.True(SoftmaxBounds.KullbackLeibler(p, flipped) <= SoftmaxBounds.KullbackLeiblerBound(p, flipped));
    }

    [Fact]
    public void Sup_norm_forms_use_oscillation_twice_epsilon()
    {
        // The bound is rounded outward by a relative 1e-14.
        Assert.Equal(Math.Tanh(0.5 / 2), SoftmaxBounds.TotalVariationBoundFromSupNorm(0.5), 1e-14);
        Assert.Equal(SoftmaxBounds.KullbackLeiblerBound(1.0), SoftmaxBounds.KullbackLeiblerBoundFromSupNorm(0.5));
    }

    [Fact]
    public void Bad_arguments_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => SoftmaxBounds.KullbackLeibler(LogitVector.Uniform(2), LogitVector.Uniform(3)));
        Assert.Throws<ArgumentException>(() => SoftmaxBounds.TotalVariation(LogitVector.Uniform(2), LogitVector.Uniform(3)));
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => SoftmaxBounds.KullbackLeiblerBound(-1.0));
        Assert.Contains("-1", ex.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => SoftmaxBounds.TotalVariationBound(double.NaN));
    }

    [Theory]
    [InlineData(0.01, 0.0100501670841680575421654569029)]
    [InlineData(1e-5, 0.0000100000500001666670833341666681)]
    [InlineData(-0.3, -0.259181779318282133933126220682)]
    [InlineData(0.49, 0.632316219955378970122418131334)]
    public void ExpMinusOne_is_accurate_to_a_few_ulps(double x, double expected)
    {
        // Regression: MathNet.Numerics 5.0 SpecialFunctions.Expm1 was off by ~1e-10 relative near 0.01, which made the
        // closed form of B(R) fall below the attained KL. Expected values from mpmath at 30 digits; 4 ulps relative.
        Assert.Equal(expected, SoftmaxBounds.ExpMinusOne(x), Math.Abs(expected) * 1e-15);
    }
}
