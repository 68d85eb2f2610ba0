using LogitRank.Numerics;

namespace LogitRank.Tests.Numerics;

public partial class SoftmaxBoundsTests
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

    // B(R) = ln((e^R - 1)/R) + R/(e^R - 1) - 1 evaluated with Python's decimal module at 60 significant digits.
    public static TheoryData<double, double> ExactKlBound => new()
    {
        { 0.5, 3.114209226115587786365e-02 },
        { 1, 1.233015614822445399357e-01 },
        { 2, 4.744746470705269447699e-01 },
        { 3, 1.007505619862956613986e+00 },
        { 5, 2.417719612647932336813e+00 },
        { 8, 4.922907541018816779399e+00 },
        { 13, 9.435077766555210132537e+00 },
        { 20, 1.600426776560792774262e+01 },
        { 29.9, 2.550214151960634723082e+01 },
        { 30.5, 2.608227331638831003602e+01 },
        { 35, 3.044465193851060647035e+01 },
        { 50, 4.508797699457185359506e+01 },
        { 80, 7.461797336532612234805e+01 },
        { 200, 1.937016826334519521424e+02 },
        { 700, 6.924489196649566338237e+02 },
    };

    [Theory]
    [MemberData(nameof(ExactKlBound))]
    public void KL_bound_is_never_below_the_exact_B_R_and_is_tight(double r, double exact)
    {
        // Sound: the computed bound must be >= B(R) (the class rounds outward precisely so that it is). Tight: within
        // 1e-13·max(1, R) above it (ten times the documented outward slack 1e-14·max(1, R)). The decimal value, rounded
        // to a double, is within half an ulp of B(R), far below the slack.
        var bound = SoftmaxBounds.KullbackLeiblerBound(r);
        Assert.True(bound >= exact, $"B({r}) computed as {bound:R} is below the exact {exact:R}");
        Assert.True(bound - exact <= 1e-13 * Math.Max(1, r), $"B({r}) computed as {bound:R} is far above the exact {exact:R}");
    }

    [Fact]
    public void TV_bound_is_never_negative_even_at_zero()
    {
        // tanh(0) = 0; the outward rounding may only move it up.
        Assert.True(SoftmaxBounds.TotalVariationBound(0) >= 0);
        Assert.True(SoftmaxBounds.TotalVariationBoundFromSupNorm(0) >= 0);
        Assert.True(SoftmaxBounds.TotalVariationBound(1e-300) >= 1e-300 / 4);
    }

    [Fact]
    public void Sup_norm_forms_name_their_own_argument()
    {
        var tv = Assert.Throws<ArgumentOutOfRangeException>(() => SoftmaxBounds.TotalVariationBoundFromSupNorm(-1));
        Assert.Equal("supNorm", tv.ParamName);
        var kl = Assert.Throws<ArgumentOutOfRangeException>(() => SoftmaxBounds.KullbackLeiblerBoundFromSupNorm(-0.5));
        Assert.Equal("supNorm", kl.ParamName);
        Assert.Contains("non-negative", kl.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Pair_functions_reject_null_and_mismatched_vectors_with_typed_errors()
    {
        var u = LogitVector.FromLogits([0.0, 1.0, 2.0]);
        var v = LogitVector.FromLogits([0.0, 1.0]);
        var e = Assert.Throws<ArgumentException>(() => SoftmaxBounds.Oscillation(u, v));
        Assert.Contains("3 and 2", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => SoftmaxBounds.Oscillation(v, u));
        Assert.Throws<ArgumentNullException>(() => SoftmaxBounds.Oscillation(null!, u));
        Assert.Throws<ArgumentNullException>(() => SoftmaxBounds.Oscillation(u, null!));
        Assert.Throws<ArgumentNullException>(() => SoftmaxBounds.KullbackLeibler(null!, u));
        Assert.Throws<ArgumentNullException>(() => SoftmaxBounds.TotalVariation(u, null!));
    }

    [Fact]
    public void Oscillation_is_max_minus_min_of_the_difference()
    {
        // e = u - v = (1, -2, 0.5) after centering both; R = 1 - (-2) = 3 is invariant to the centering shift.
        var u = LogitVector.FromLogits([1.0, -2.0, 0.5]);
        var v = LogitVector.Uniform(3);
        Assert.Equal(3.0, SoftmaxBounds.Oscillation(u, v), 1e-15);
        Assert.Equal(3.0, SoftmaxBounds.Oscillation(v, u), 1e-15);
        Assert.Equal(0.0, SoftmaxBounds.Oscillation(u, u));
    }
}
