using LogitRank.Numerics;

namespace LogitRank.Tests.Numerics;

/// <summary>
/// The outward rounding of the Kullback–Leibler bound (<see cref="SoftmaxBounds"/> remarks): the closed form of
/// <c>B(R)</c> is raised by the documented slack <c>1e-14·max(1, R)</c>, no more and no less, so the bound stays above
/// the exact <c>B(R)</c> whatever the rounding of its evaluation and is otherwise as tight as the evaluation allows.
/// </summary>
public partial class SoftmaxBoundsTests
{
    /// <summary>
    /// Against the exact values of <see cref="ExactKlBound"/> (60-digit decimal evaluation, half an ulp once rounded):
    /// the computed bound exceeds B(R) by the slack 1e-14·max(1, R) up to the rounding of the closed form, a few ulps of
    /// max(1, R) (under 1e-15·max(1, R)); the window [0.5, 1.25] of the slack leaves room for that rounding and nothing
    /// else. Above R = 30 the closed form runs on e^{-R} corrections of size up to 1e-13 (at R = 30.5, 2e^{-R} = 1.1e-13,
    /// a third of the slack), which the upper end of the window would notice if they were misapplied.
    /// </summary>
    [Theory]
    [MemberData(nameof(ExactKlBound))]
    public void KL_bound_exceeds_the_exact_B_R_by_the_documented_outward_slack(double r, double exact)
    {
        var slack = 1e-14 * Math.Max(1, r);
        var excess = SoftmaxBounds.KullbackLeiblerBound(r) - exact;
        Assert.True(excess >= 0.5 * slack, $"B({r}) is only {excess:R} above the exact value; the slack is {slack:R}");
        Assert.True(excess <= 1.25 * slack, $"B({r}) is {excess:R} above the exact value; the slack is {slack:R}");
    }

    /// <summary>A null logit vector is reported under the name of the argument that was null.</summary>
    [Fact]
    public void Oscillation_names_the_null_argument()
    {
        var u = LogitVector.FromLogits([0.0, 1.0]);
        Assert.Equal("u", Assert.Throws<ArgumentNullException>(() => SoftmaxBounds.Oscillation(null!, u)).ParamName);
        Assert.Equal("v", Assert.Throws<ArgumentNullException>(() => SoftmaxBounds.Oscillation(u, null!)).ParamName);
    }
}
