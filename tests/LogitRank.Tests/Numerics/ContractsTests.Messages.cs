using LogitRank.Numerics;
using LogitRank.Sequences;

namespace LogitRank.Tests.Numerics;

/// <summary>
/// The detail each contract violation's message carries beyond the measured value and the tolerance (which the
/// exception's own prefix prints): the numbers that explain the violation, so that a report from the field can be
/// read without a debugger (proofs-notes/runtime-contracts.md; the project's standard for bad input).
/// </summary>
public partial class ContractsTests
{
    [Fact]
    public void A_box_violation_message_names_the_violation_the_status_and_the_dimension()
    {
        var e = AssertViolation(Contracts.LpConstraints, 0.25, 0, () => Contracts.CheckLp(new MinimaxResult(LpStatus.Optimal, [2.25, 0.0], 0, 0, 0.25, 1), 1.0, false));
        Assert.Contains("leaves its box by 0.25 (status Optimal, n = 2)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_infinite_solution_entry_is_an_lp_constraints_violation_naming_the_sum_of_magnitudes()
    {
        // x = (∞, 1): Σ|x_j| = ∞. The residual check could not see it (its tolerance 1e-8 · scale · (1 + Σ|x_j|) is
        // infinite), so the finiteness check must report it, with the infinite size as the measured value.
        var e = AssertViolation(Contracts.LpConstraints, double.PositiveInfinity, 0, () => Contracts.CheckLp(new MinimaxResult(LpStatus.IterationLimit, [double.PositiveInfinity, 1.0], 0, 0, 0, 7), 1.0, false));
        Assert.Contains("non-finite entry (sum of |x_j| = Infinity, status IterationLimit)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_residual_disagreement_message_names_both_residuals_the_status_and_the_iterations()
    {
        var bad = new MinimaxResult(LpStatus.Optimal, [0.5], 1.0, 0.5, 0.0, 3);
        var e = AssertViolation(Contracts.LpConstraints, 0.5, 1e-8 * 1.5, () => Contracts.CheckLp(bad, 1.0, expensive: false));
        Assert.Contains("residual 1 differs from the recomputed max_i |(Ax - b)_i| = 0.5 (status Optimal, 3 iterations)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_duality_gap_message_names_the_residual_and_the_lower_bound()
    {
        var bad = new MinimaxResult(LpStatus.Optimal, [0.0], 0.5, 0.5, 0.0, 2) { LowerBound = 0.125 };
        var e = AssertViolation(Contracts.LpOptimality, 0.375, 1e-6, () => Contracts.CheckLp(bad, 1.0, expensive: true));
        Assert.Contains("CheckedResidual - LowerBound = 0.5 - 0.125", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_spanner_coefficient_message_names_the_coefficient_beta_and_the_swaps()
    {
        double[][] rows = [[1, 0], [3, 0]];
        var bad = new SpannerResult([0], [[1.0], [3.0]], 3.0, 0.0, 4);
        var e = AssertViolation(Contracts.SpannerCoefficients, 3.0, 2.0, () => Contracts.CheckSpanner(bad, rows, 2.0, 1e-9));
        Assert.Contains("magnitude 3 exceeds beta = 2 although the exchange loop reported convergence (4 swaps)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_centered_sum_message_names_the_length_the_sum_and_the_scale()
    {
        var e = AssertViolation(Contracts.CenteredSum, 1.5, 8 * 2 * U * 4.0, () => Contracts.CheckCentered([1.5, 0.0], 4.0));
        Assert.Contains("length k = 2 sums to 1.5, not 0 (scale of the raw scores 4)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_zero_probability_message_names_its_index_its_logit_and_the_largest_logit()
    {
        var e = AssertViolation(Contracts.ProbabilitiesNormalised, 0.0, 0.0, () => Contracts.CheckDistribution([0.5, -1.5, 0.25], [0.5, 0.0, 0.5]));
        Assert.Contains("Probability 1 of a next-token distribution over k = 3 tokens is 0 (logit -1.5, largest logit 0.5)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_determinism_message_names_where_the_lengths_and_the_difference()
    {
        var e = AssertViolation(Contracts.LpDeterminism, 0.5, 0, () => Contracts.CheckSameSolution([1.0, 2.0], [1.0, 2.5], Prefix.Of(0, 1)));
        Assert.Contains($"LP of {Prefix.Of(0, 1)} again gave a different solution (lengths 2 and 2, largest difference 0.5)", e.Message, StringComparison.Ordinal);
    }
}
