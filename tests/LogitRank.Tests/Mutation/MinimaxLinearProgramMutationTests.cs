using LogitRank.Numerics;

namespace LogitRank.Tests.Mutation;

/// <summary>
/// Degenerate inputs, the dual lower bound on an asymmetric box, the box-violation report and option validation of
/// <see cref="MinimaxLinearProgram.Solve"/> (proofs-notes/mutation.md). Expected optima are worked out by hand.
/// </summary>
public class MinimaxLinearProgramMutationTests
{
    [Fact]
    public void Infeasible_box_has_an_infinite_lower_bound()
    {
        var result = MinimaxLinearProgram.Solve(new double[1, 2], [1.0], [0.0, 3.0], [1.0, 2.0]);
        Assert.Equal(LpStatus.Infeasible, result.Status);
        Assert.Equal(double.PositiveInfinity, result.LowerBound);
        Assert.Equal(1.0, result.MaxBoxViolation);
        Assert.Empty(result.Solution);
    }

    [Fact]
    public void No_rows_returns_the_box_point_closest_to_zero()
    {
        // m = 0: r = 0 and x = clip(0) coordinate-wise: [1, 2] -> 1, [-3, -1] -> -1, [-1, 1] -> 0.
        var result = MinimaxLinearProgram.Solve(new double[0, 3], [], [1.0, -3.0, -1.0], [2.0, -1.0, 1.0]);
        Assert.Equal(LpStatus.Optimal, result.Status);
        Assert.Equal([1.0, -1.0, 0.0], result.Solution);
        Assert.Equal(0.0, result.Residual);
        Assert.Equal(0.0, result.MaxBoxViolation);
    }

    [Fact]
    public void Dual_lower_bound_is_exact_when_the_box_is_active_and_asymmetric()
    {
        // min_{x ∈ [0, 2]} |x - 5| = 3 at x = 2 (the upper bound is active). The dual weight is w = -1 on the single row:
        // Σ w (Ax - b) = 5 - x, whose minimum over [0, 2] is 3 = the optimum.
        var result = MinimaxLinearProgram.Solve(new double[,] { { 1.0 } }, [5.0], [0.0], [2.0]);
        Assert.Equal(LpStatus.Optimal, result.Status);
        Assert.Equal(2.0, result.Solution[0], 1e-12);
        Assert.Equal(3.0, result.CheckedResidual, 1e-12);
        Assert.Equal(3.0, result.LowerBound, 1e-12);

        // Two rows, box [1, 10] not active: min max(|x - 3|, |x - 7|) = 2 at x = 5; the bound is again the optimum.
        var two = MinimaxLinearProgram.Solve(new double[,] { { 1.0 }, { 1.0 } }, [3.0, 7.0], [1.0], [10.0]);
        Assert.Equal(5.0, two.Solution[0], 1e-12);
        Assert.Equal(2.0, two.CheckedResidual, 1e-12);
        Assert.Equal(2.0, two.LowerBound, 1e-12);
        Assert.True(two.DualWeights.Sum(Math.Abs) <= 1 + 1e-12);
    }

    [Fact]
    public void A_solution_strictly_inside_the_box_has_zero_box_violation()
    {
        // Optimum x = 1.5 (fit of the rows x = 1 and x = 2) strictly inside [1, 4]: the violation is 0, not negative.
        var result = MinimaxLinearProgram.Solve(new double[,] { { 1.0 }, { 1.0 } }, [1.0, 2.0], [1.0], [4.0]);
        Assert.Equal(1.5, result.Solution[0], 1e-12);
        Assert.Equal(0.0, result.MaxBoxViolation);
    }

    [Fact]
    public void Options_are_validated_and_named()
    {
        double[,] a = { { 1.0 } };
        var pivot = Assert.Throws<ArgumentException>(() => MinimaxLinearProgram.Solve(a, [1.0], [0.0], [1.0], new LpOptions { PivotTolerance = 0 }));
        Assert.Contains("PivotTolerance is 0", pivot.Message, StringComparison.Ordinal);
        var optimality = Assert.Throws<ArgumentException>(() => MinimaxLinearProgram.Solve(a, [1.0], [0.0], [1.0], new LpOptions { OptimalityTolerance = 0 }));
        Assert.Contains("OptimalityTolerance is 0", optimality.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => MinimaxLinearProgram.Solve(a, [1.0], [0.0], [1.0], new LpOptions { OptimalityTolerance = double.PositiveInfinity }));
        Assert.Throws<ArgumentException>(() => MinimaxLinearProgram.Solve(a, [1.0], [0.0], [1.0], new LpOptions { PivotTolerance = double.PositiveInfinity }));
        var iterations = Assert.Throws<ArgumentException>(() => MinimaxLinearProgram.Solve(a, [1.0], [0.0], [1.0], new LpOptions { MaxIterations = -1 }));
        Assert.Contains("MaxIterations is -1", iterations.Message, StringComparison.Ordinal);

        // MaxIterations = 0 is allowed: the solver stops at its start point (x = clip(0) = 0, r = |0 - 5| = 5) and says so.
        var stopped = MinimaxLinearProgram.Solve(a, [5.0], [0.0], [10.0], new LpOptions { MaxIterations = 0 });
        Assert.Equal(LpStatus.IterationLimit, stopped.Status);
        Assert.Equal(0, stopped.Iterations);
        Assert.Equal(5.0, stopped.CheckedResidual, 1e-12);
    }
}
