using LogitRank.Numerics;

namespace LogitRank.Tests.Mutation;

/// <summary>
/// Soundness (never below the exact value), tightness and argument checks of <see cref="SoftmaxBounds"/> that the
/// existing tests left open to mutants (proofs-notes/mutation.md).
/// </summary>
public class SoftmaxBoundsMutationTests
{
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
