using LogitRank.Numerics;
using LogitRank.Sequences;

namespace LogitRank.Tests.Numerics;

/// <summary>
/// The tolerances of the runtime contracts as documented (proofs-notes/runtime-contracts.md, the remarks of
/// <see cref="Contracts"/>): how each grows with the data scale and the solution size, where its boundary lies, and the
/// documented exceptions (an underflowed probability, a NaN difference).
/// </summary>
public partial class ContractsTests
{
    [Fact]
    public void Lp_duality_gap_tolerance_grows_with_the_data_scale_and_the_solution_size()
    {
        // Documented: gap within 1e-6 · dataScale · (1 + Σ|x_j|). With dataScale 2 and x = (1) that is 1e-6 · 2 · 2 = 4e-6
        // (products with powers of two are exact, so the boundary is the double nearest 4e-6). A gap of 3e-6 passes,
        // a gap of exactly 4e-6 passes, the next double above fails.
        static MinimaxResult WithGap(double gap) => new(LpStatus.Optimal, [1.0], gap, gap, 0.0, 1) { LowerBound = 0.0 };
        Contracts.CheckLp(WithGap(3e-6), 2.0, expensive: true);
        Contracts.CheckLp(WithGap(4e-6), 2.0, expensive: true);
        AssertViolation(Contracts.LpOptimality, Math.BitIncrement(4e-6), 4e-6, () => Contracts.CheckLp(WithGap(Math.BitIncrement(4e-6)), 2.0, expensive: true));
    }

    [Fact]
    public void Spanner_representation_tolerance_scales_with_the_largest_row_norm()
    {
        // Documented: error at most (1 + B d)(rankTolerance + 1e-9) · max ||row||_2. Rows of norm 1 (0.6, 0.8) and
        // (0, 1), one selected row, B = β = 2, d = 1: tolerance 3 · 2e-9 = 6e-9. An error of 4e-9 passes, 8e-9 fails.
        // The same configuration in units 1000 times larger (rows and error scaled) must give the same verdicts.
        foreach (var unit in new[] { 1.0, 1000.0 })
        {
            double[][] rows = [[0.6 * unit, 0.8 * unit], [0.0, unit]];
            Contracts.CheckSpanner(new SpannerResult([0], [[1.0], [1.0]], 1.0, 4e-9 * unit, 0), rows, 2.0, 1e-9);
            var e = Assert.Throws<ContractViolationException>(() => Contracts.CheckSpanner(new SpannerResult([0], [[1.0], [1.0]], 1.0, 8e-9 * unit, 0), rows, 2.0, 1e-9));
            Assert.Equal(Contracts.SpannerCoefficients, e.Invariant);

            // 6e-9 · unit up to the rounding of the norm and of three products: 1e-15 relative.
            Assert.Equal(6e-9 * unit, e.Tolerance, 1e-15 * 6e-9 * unit);
        }
    }

    [Fact]
    public void All_negative_probabilities_are_reported_by_the_first_negative_entry()
    {
        // Every entry negative (the sum, -1, is also wrong): the entry check comes first and names entry 0.
        var e = AssertViolation(Contracts.ProbabilitiesNormalised, -0.25, 0, () => Contracts.CheckDistribution([0.0, 0.0], [-0.25, -0.75]));
        Assert.Contains("Probability 0 of", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_zero_probability_exactly_700_nats_below_the_largest_logit_is_not_an_underflow()
    {
        // Documented: p_z may be 0 only when ℓ[z] < max ℓ - 700 (strictly). exp(-700) ≈ 9.9e-305 is a normal double, so
        // a 0 there is not an underflow. 700 - 700 = 0 is exact, so the logit 0 sits exactly on the boundary.
        var e = AssertViolation(Contracts.ProbabilitiesNormalised, 0.0, 0.0, () => Contracts.CheckDistribution([700.0, 0.0], [1.0, 0.0]));
        Assert.Contains("Probability 1", e.Message, StringComparison.Ordinal);

        // One ulp further below, the 0 is allowed.
        Contracts.CheckDistribution([700.0, Math.BitDecrement(0.0)], [1.0, 0.0]);
    }

    [Fact]
    public void A_distribution_sum_deviation_equal_to_the_tolerance_passes()
    {
        // Documented: |Σ p - 1| <= 8u (k + 4 (1 + max|ℓ| + log k)). For k = 1 and ℓ = (1) that is 8u (1 + 4 · 2) = 72u,
        // a multiple of u = 2^-53; above 1 the doubles are 2u apart, so 1 + 72u is a double and (1 + 72u) - 1 = 72u
        // exactly. 72u is above the fast path's 8u (k + 4) = 40u, so the full tolerance decides.
        Contracts.CheckDistribution([1.0], [1 + (72 * U)]);
        AssertViolation(Contracts.ProbabilitiesNormalised, 74 * U, 72 * U, () => Contracts.CheckDistribution([1.0], [1 + (74 * U)]));
    }

    [Fact]
    public void A_nan_difference_between_two_solutions_is_reported_as_infinite()
    {
        // A NaN entry against a number: their difference is NaN, which the check reports as the largest possible
        // difference, +∞ (a NaN measured value would be no number at all for the reader of the report).
        AssertViolation(Contracts.LpDeterminism, double.PositiveInfinity, 0, () => Contracts.CheckSameSolution([double.NaN], [1.0], Prefix.Empty));
        AssertViolation(Contracts.LpDeterminism, double.PositiveInfinity, 0, () => Contracts.CheckSameSolution([1.0], [double.NaN], Prefix.Empty));
    }

    [Fact]
    public void An_optimality_claim_without_a_dual_certificate_is_an_lp_optimality_violation_when_checks_are_on()
    {
        // min_{x ∈ [0, 10]} |x - 5|. An optimality tolerance of 1e300 (finite and positive, so valid) makes every reduced
        // cost count as zero: the solver stops at its start x = 0 with r = 5 and claims optimality. The dual certificate of
        // that basis bounds the optimum below by only -5 (w = -1: min over the box of 5 - x), so the gap is 10, far above
        // 1e-6 · 8 (the data scale: the power of two above max|A, b| = 5) · (1 + 0). With the opt-in checks off the claim
        // is returned as is; with them on, Solve must run the check on its own result and throw.
        var options = new LpOptions { OptimalityTolerance = 1e300 };
        var unverified = MinimaxLinearProgram.Solve(new double[,] { { 1.0 } }, [5.0], [0.0], [10.0], options);
        Assert.Equal(LpStatus.Optimal, unverified.Status);
        Assert.Equal(5.0, unverified.CheckedResidual);

        AppContext.SetSwitch(Contracts.ExpensiveChecksSwitch, true);
        try
        {
            AssertViolation(Contracts.LpOptimality, 10.0, 8e-6, () => MinimaxLinearProgram.Solve(new double[,] { { 1.0 } }, [5.0], [0.0], [10.0], options));
        }
        finally
        {
            AppContext.SetSwitch(Contracts.ExpensiveChecksSwitch, false);
        }
    }
}
