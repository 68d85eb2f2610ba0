using LogitRank.Numerics;

namespace LogitRank.Tests.Numerics;

/// <summary>
/// The <see cref="Contracts.CenteredSum"/> check decides on the compensated sum whenever the naive sum is above the
/// tolerance (remarks of <c>Contracts.CheckCentered</c>: "only when that is above the tolerance is the sum recomputed
/// with compensation ..., and only that decides"; the compensated sum "measures it to within 2u of itself").
/// </summary>
/// <remarks>
/// The vectors cancel badly on purpose. With <c>S = 2^52</c>, hundreds of entries <c>S</c> build partial sums of
/// <c>2^58</c> and more, against which an entry <c>±15</c> is lost entirely (half an ulp there is at least 32), in any
/// summation order that adds the small entries after most of the large ones; the large entries then cancel exactly, and
/// one final entry undoes the small ones. So the exact sum is known by construction (and recomputed below in integer
/// arithmetic), while a naive floating-point sum is off by the 200 lost entries, 3000. The scale passed is the largest
/// magnitude <c>S</c>, as for a real centred vector, so the tolerance <c>8 k u S = 4k</c> is a few thousand.
/// </remarks>
public partial class ContractsTests
{
    private const double S = 4503599627370496.0; // 2^52

    /// <summary>The sum of the entries, exactly: every entry is a multiple of 1/4 below 2^53 in magnitude, so 4x is an exact integer.</summary>
    private static double ExactSum(double[] values)
    {
        long quarters = 0;
        foreach (var v in values)
        {
            quarters = checked(quarters + (long)(4 * v));
        }

        return quarters / 4.0;
    }

    /// <summary>The naive left-to-right sum, the way the check's fast path cannot be trusted to sum.</summary>
    private static double NaiveSum(double[] values)
    {
        var s = 0.0;
        foreach (var v in values)
        {
            s += v;
        }

        return s;
    }

    private static double[] Cancelling(double first, double small, double last) =>
        [first, .. Enumerable.Repeat(S, 256), .. Enumerable.Repeat(small, 200), .. Enumerable.Repeat(-S, 256), last];

    [Fact]
    public void A_vector_that_sums_to_zero_passes_even_when_its_naive_sum_cancels_badly()
    {
        // (S/2, S × 255, 15 × 200, -S × 255, -S/2, -3000): exact sum 0; the naive sum is -3000, beyond the tolerance
        // 8 · 713 · u · S = 2852. The S/2 entry makes the compensated sum meet a larger entry than its running sum once.
        double[] v = [S / 2, .. Enumerable.Repeat(S, 255), .. Enumerable.Repeat(15.0, 200), .. Enumerable.Repeat(-S, 255), -S / 2, -3000.0];
        var tolerance = 8 * v.Length * U * S;
        Assert.Equal(0.0, ExactSum(v));
        Assert.True(Math.Abs(NaiveSum(v)) > tolerance, $"premise: the naive sum {NaiveSum(v)} should exceed {tolerance}");
        Contracts.CheckCentered(v, S);
    }

    [Fact]
    public void A_compensated_sum_equal_to_the_tolerance_passes_and_one_more_fails()
    {
        // (0, S × 256, -15 × 200, -S × 256, 3000 + 2856): exact sum 2856 = 8 · 714 · u · S (exactly: 8 · 714 · 2^-53 ·
        // 2^52 = 2856); the naive sum is about 5856 (the lost -15s), so the compensated sum decides. It is exact here
        // (every rounding error is an integer the compensation holds exactly), so the boundary is hit exactly; 2857 is
        // one unit beyond it.
        var atTolerance = Cancelling(0.0, -15.0, 3000 + 2856.0);
        var tolerance = 8 * atTolerance.Length * U * S;
        Assert.Equal(2856.0, tolerance);
        Assert.Equal(2856.0, ExactSum(atTolerance));
        Assert.True(Math.Abs(NaiveSum(atTolerance)) > tolerance, $"premise: the naive sum {NaiveSum(atTolerance)} should exceed {tolerance}");
        Contracts.CheckCentered(atTolerance, S);

        var beyond = Cancelling(0.0, -15.0, 3000 + 2857.0);
        AssertViolation(Contracts.CenteredSum, 2857.0, 2856.0, () => Contracts.CheckCentered(beyond, S));
    }

    [Fact]
    public void A_violation_reports_the_exact_sum_not_the_naive_one()
    {
        // (0.75, S × 256, -15 × 200, -S × 256, 3000 + 5712 - 0.75): exact sum 5712, twice the tolerance 8 · 714 · u · S =
        // 2856; the naive sum is about 8711. Adding S to 0.75 rounds (to S + 1), which the compensation must account for
        // from the side of the larger entry. Documented: the compensated sum is within 2u of the exact one, relative.
        var v = Cancelling(0.75, -15.0, 3000 + 5712 - 0.75);
        Assert.Equal(5712.0, ExactSum(v));
        var e = Assert.Throws<ContractViolationException>(() => Contracts.CheckCentered(v, S));
        Assert.Equal(Contracts.CenteredSum, e.Invariant);
        Assert.Equal(2856.0, e.Tolerance);
        Assert.Equal(5712.0, e.Value, 2 * U * 5712.0);
        Assert.Contains("k = 714 sums to 5712, not 0", e.Message, StringComparison.Ordinal);
    }
}
