using LogitRank.Numerics;

namespace LogitRank.Tests.Numerics;

/// <summary>
/// The final verification of <see cref="MinimaxSimplex.Verify"/> (proofs-notes/lp-reconstruction.md, L4 and L8): when
/// the dual certificate does not close the gap, the verdict comes from fresh reduced costs. A slack of an active row
/// with a negative multiplier, or a nonbasic column that may move in a direction lowering r by more than
/// <see cref="LpOptions.OptimalityTolerance"/>, makes the basis not optimal; anything within the tolerance, a positive
/// multiplier however small, and a fixed column (<c>lower = upper</c>) never do. Checked through the verdict and
/// through what <see cref="MinimaxSimplex.Run"/> returns, on hand-computed one-row and two-row instances.
/// </summary>
public partial class MinimaxSimplexTests
{
    /// <summary>
    /// min |2x - 2| on [0, 2] from a start point with r basic and nothing iterated: increasing x from 0 (at its lower
    /// bound), decreasing it from 2 (at its upper bound) or moving it from the interior start 1/2 lowers r at rate 2 (the
    /// reduced cost is the coefficient 2 itself), beyond the tolerance 1, so the start basis is not optimal, whatever
    /// place the column is at.
    /// </summary>
    [Theory]
    [InlineData(0.0)]
    [InlineData(2.0)]
    [InlineData(0.5)]
    public void Verify_finds_a_column_that_lowers_r_beyond_the_tolerance_at_any_place(double start)
    {
        double[,] a = { { 2.0 } };
        var options = new LpOptions { OptimalityTolerance = 1.0 };
        var simplex = MinimaxSimplex.Start(a, [2.0], [0.0], [2.0], [start]);
        var (outcome, steps) = simplex.Iterate(options with { MaxIterations = 0 });
        Assert.Equal((MinimaxSimplex.Outcome.IterationLimit, 0), (outcome, steps));
        Assert.Equal(MinimaxSimplex.Verdict.NotOptimal, simplex.Verify(options));
    }

    /// <summary>
    /// min max(|x - 1|, |x/2|) on [0, 4] from x = 4: r = x - 1 = 3 falls along x until x/2 = r at x = 2, a vertex where both
    /// rows are active and x is basic (one pivot). There the multipliers solve λ₀ + λ₁/2 = 0, λ₀ + λ₁ = 1: λ₀ = -1 for
    /// the row x - 1 &lt;= r. Releasing that row (its slack entering) lowers r towards the optimum 1/3 at x = 2/3, so the
    /// basis is not optimal although no nonbasic x_j is left to price.
    /// </summary>
    [Fact]
    public void Verify_finds_an_active_row_with_a_negative_multiplier()
    {
        double[,] a = { { 1.0 }, { 0.5 } };
        var options = new LpOptions();
        var simplex = MinimaxSimplex.Start(a, [1.0, 0.0], [0.0], [4.0], [4.0]);
        var (outcome, steps) = simplex.Iterate(options with { MaxIterations = 1 });
        Assert.Equal((MinimaxSimplex.Outcome.IterationLimit, 1), (outcome, steps));
        Assert.Equal(MinimaxSimplex.Verdict.NotOptimal, simplex.Verify(options));
    }

    /// <summary>
    /// min |x₀/4 + 4x₁ - b| with x₀ ∈ [0, 2] and x₁ fixed at 0, under the coarse optimality tolerance 1/2: from x₀ at its
    /// lower bound (b = 1), at its upper bound (b = -1) or inside the box (b = 1, x₀ = 1), moving x₀ lowers r at rate
    /// 1/4 only, within the tolerance, and the fixed x₁ (reduced cost of magnitude 4) cannot move. The start basis is
    /// then accepted as optimal (L4) with nothing iterated, r the start point's residual. The dual lower bound of the
    /// returned weights stays below r (the certificate does not close), so the verdict does come from the reduced
    /// costs.
    /// </summary>
    [Theory]
    [InlineData(1.0, 0.0, 1.0)]
    [InlineData(-1.0, 2.0, 1.5)]
    [InlineData(1.0, 1.0, 0.75)]
    public void Reduced_costs_within_the_tolerance_and_fixed_columns_leave_a_basis_optimal(double b0, double x0, double residual)
    {
        double[,] a = { { 0.25, 4.0 } };
        double[] b = [b0], lower = [0.0, 0.0], upper = [2.0, 0.0];
        var options = new LpOptions { OptimalityTolerance = 0.5 };
        var (status, x, r, weights, iterations, restarts) = MinimaxSimplex.Run(a, b, lower, upper, options, [x0, 0.0]);
        Assert.Equal(LpStatus.Optimal, status);
        Assert.Equal((0, 0), (iterations, restarts));
        Assert.Equal([x0, 0.0], x);
        Assert.Equal(residual, r, 1e-15);
        Assert.True(MinimaxLinearProgram.DualLowerBound(a, b, lower, upper, weights) < r - 0.1, "the dual certificate closed the gap: the reduced costs were not consulted");
    }

    /// <summary>
    /// min max(|x₀ + 0.3x₁ - 1|, |x₀/2|) with x₀ ∈ [0, 4], x₁ ∈ [0, 2], tolerance 1/2: x₀ enters (rate 1) and stops at
    /// x₀ = 2/3 where x₀/2 = 1 - x₀ = r = 1/3. The multipliers there solve -λ₀ + λ₁/2 = 0, λ₀ + λ₁ = 1: λ = (1/3, 2/3),
    /// both positive but the first below the tolerance; x₁ would lower r at rate λ₀·0.3 = 0.1, within it. A positive
    /// multiplier never makes a row's slack improving, so the vertex is optimal after one step (and the certificate,
    /// weights (-1/3, 2/3), does not close: x₁ = 2 would reach r = 0.2).
    /// </summary>
    [Fact]
    public void A_positive_multiplier_below_the_tolerance_is_not_an_improving_slack()
    {
        double[,] a = { { 1.0, 0.3 }, { 0.5, 0.0 } };
        double[] b = [1.0, 0.0], lower = [0.0, 0.0], upper = [4.0, 2.0];
        var options = new LpOptions { OptimalityTolerance = 0.5 };
        var (status, x, r, weights, iterations, restarts) = MinimaxSimplex.Run(a, b, lower, upper, options);
        Assert.Equal(LpStatus.Optimal, status);
        Assert.Equal((1, 0), (iterations, restarts));
        Assert.Equal(2.0 / 3, x[0], 1e-15);
        Assert.Equal(0.0, x[1]);
        Assert.Equal(1.0 / 3, r, 1e-15);
        Assert.Equal(-1.0 / 3, weights[0], 1e-15);
        Assert.Equal(2.0 / 3, weights[1], 1e-15);
        Assert.True(MinimaxLinearProgram.DualLowerBound(a, b, lower, upper, weights) < r - 0.1, "the dual certificate closed the gap: the reduced costs were not consulted");
    }
}
