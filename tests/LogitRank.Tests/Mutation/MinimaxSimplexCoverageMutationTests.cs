using LogitRank.Numerics;
using LogitRank.Tests.Numerics;

namespace LogitRank.Tests.Mutation;

/// <summary>
/// Branches of the internal <c>MinimaxSimplex</c> (reached through <see cref="MinimaxLinearProgram.Solve"/>) that no
/// other test reaches (Stryker "no coverage"): the start of a coordinate whose box lies at or below 0 (at its upper
/// bound), and the switch to Bland's rule after a run of degenerate steps on a highly degenerate instance. Expected
/// values are closed forms. See proofs-notes/mutation.md.
/// </summary>
public class MinimaxSimplexCoverageMutationTests
{
    [Fact]
    public void A_coordinate_boxed_below_zero_that_the_residual_ignores_stays_at_its_upper_bound()
    {
        // Column 1 of A is zero, so x_1 never changes the residual; documented: such a coordinate keeps its start
        // value clip(0), which for the box [-3, -1] is the upper bound -1 (not the lower bound -3). Column 0 fits
        // x_0 = 0.5 exactly (r = 0) inside [-1, 1]. Column 2 (box [-5, -2], coefficient 1 in row 1) must reach
        // x_2 = -2 from b_1 = -2: its start clip(0) = -2 is already optimal.
        var a = new double[,] { { 1.0, 0.0, 0.0 }, { 0.0, 0.0, 1.0 } };
        var result = MinimaxLinearProgram.Solve(a, [0.5, -2.0], [-1.0, -3.0, -5.0], [1.0, -1.0, -2.0]);
        Assert.Equal(LpStatus.Optimal, result.Status);
        Assert.Equal(0.5, result.Solution[0], 1e-15);
        Assert.Equal(-1.0, result.Solution[1]);
        Assert.Equal(-2.0, result.Solution[2], 1e-15);
        Assert.Equal(0.0, result.CheckedResidual, 1e-15);
    }

    [Fact]
    public void Highly_degenerate_instance_that_switches_to_Bland_reaches_the_optimum()
    {
        // Rows come in pairs a_i, -a_i with b = 1 for both: max(|a_i x - 1|, |-a_i x - 1|) = 1 + |a_i x| >= 1, with
        // equality at x = 0 (inside the box), so the optimum is exactly 1. At the start x = clip(0) = 0 all 100 upper
        // inequalities are active (residual 1 in every row), so the simplex takes a long run of degenerate pivots
        // (with this seed more than DegenerateRunBeforeBland = 50, which switches the entering rule to Bland's: 4 of its
        // 54 steps, checked by instrumenting the switch; the Harris ratio test of the LP-defect fix shortened the run
        // of the earlier instance, 30 columns with seed 100, to 32 steps). Tolerance 1e-12: r is a difference of sums
        // of 60 products of magnitude <= 1 (rounding ~60 ulp ≈ 1.3e-14), and the dual bound is such a sum as well.
        const int pairs = 100;
        const int n = 60;
        var random = new Random(107);
        var a = new double[2 * pairs, n];
        var b = new double[2 * pairs];
        for (var i = 0; i < pairs; i++)
        {
            for (var j = 0; j < n; j++)
            {
                var v = (2 * random.NextDouble()) - 1;
                a[i, j] = v;
                a[pairs + i, j] = -v;
            }

            b[i] = 1;
            b[pairs + i] = 1;
        }

        var lower = Enumerable.Repeat(-1.0, n).ToArray();
        var upper = Enumerable.Repeat(1.0, n).ToArray();
        var result = MinimaxLinearProgram.Solve(a, b, lower, upper);
        Assert.Equal(LpStatus.Optimal, result.Status);
        Assert.True(result.Iterations > MinimaxSimplex.DegenerateRunBeforeBland, $"only {result.Iterations} steps: the instance no longer reaches Bland's rule");
        Assert.Equal(1.0, result.CheckedResidual, 1e-12);
        Assert.Equal(1.0, result.Residual, 1e-12);
        Assert.Equal(1.0, result.LowerBound, 1e-12);
    }

    [Fact]
    public void A_numerically_unbounded_ray_stops_with_iteration_limit_at_a_feasible_point()
    {
        // Regression test. With the (valid, if unwise) pivot tolerance 1.5 on data scaled into [1, 2), every entry of
        // an entering slack's column falls below the tolerance after a few steps, so no row limits the step: the
        // documented "numerically unbounded ray" exit (status IterationLimit, the last point returned). A slack has no
        // upper bound, so toBound = ∞ = bestRatio made this a "bound flip" that indexed the bound array with the
        // slack's column and threw IndexOutOfRangeException. (Instance found by a seeded search over small integer
        // tenths; the expected values are not taken from the solver.)
        var a = new double[,] { { 1.7, -1.0 }, { -1.9, -1.9 }, { -0.3, 0.2 } };
        double[] b = [-0.2, 0.0, 1.3];
        double[] lower = [-2.0, -2.0];
        double[] upper = [1.0, 1.0];
        var result = MinimaxLinearProgram.Solve(a, b, lower, upper, new LpOptions { PivotTolerance = 1.5 });
        Assert.Equal(LpStatus.IterationLimit, result.Status);
        Assert.Equal(0.0, result.MaxBoxViolation);

        // The simplex objective never increases from the start point clip(0) = (0, 0), whose residual is max |b_i| = 1.3;
        // the returned point is no better than the exact optimum (vertex enumeration); 1e-12 covers the rounding of
        // two-term sums of magnitude <= 10. The dual bound is valid whatever the status.
        var optimum = LpReference.BruteForceOptimum(a, b, lower, upper);
        Assert.InRange(result.CheckedResidual, optimum - 1e-12, 1.3 + 1e-12);
        Assert.True(result.LowerBound <= optimum + 1e-12, $"lower bound {result.LowerBound} above the optimum {optimum}");
    }
}
