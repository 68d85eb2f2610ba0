using LogitRank.Numerics;

namespace LogitRank.Tests.Numerics;

public partial class MinimaxLinearProgramTests
{
    // Tolerance for optimal values of hand-solved and brute-forced instances with O(1) data: the simplex does
    // O(n + m) pivots on well-scaled data, so rounding stays many orders of magnitude below 1e-9.
    private const double Tol = 1e-9;

    private static double[,] Matrix(double[][] rows)
    {
        var m = rows.Length;
        var n = m == 0 ? 0 : rows[0].Length;
        var a = new double[m, n];
        for (var i = 0; i < m; i++)
        {
            for (var j = 0; j < n; j++)
            {
                a[i, j] = rows[i][j];
            }
        }

        return a;
    }

    private static void AssertConsistent(MinimaxResult result, double[,] a, double[] b, double[] lower, double[] upper)
    {
        Assert.Equal(a.GetLength(1), result.Solution.Length);
        for (var j = 0; j < result.Solution.Length; j++)
        {
            Assert.InRange(result.Solution[j], lower[j], upper[j]);
        }

        Assert.Equal(0.0, result.MaxBoxViolation);
        Assert.Equal(LpReference.Objective(a, b, result.Solution), result.CheckedResidual, 15);
        Assert.Equal(result.CheckedResidual, result.Residual, Tol * Math.Max(1.0, result.CheckedResidual));

        // Dual certificate: the bound recomputed independently from the weights matches the reported one, never
        // exceeds the objective (weak duality, any weights), and at an optimum closes the gap (strong duality).
        // 1e-9 relative to the data scale absorbs rounding in sums of O(m·n) products of O(1) values.
        Assert.Equal(a.GetLength(0), result.DualWeights.Length);
        var bound = LpReference.DualBound(a, b, lower, upper, result.DualWeights);
        var scale = Math.Max(1.0, result.CheckedResidual);
        Assert.Equal(bound, result.LowerBound, 1e-12 * scale);
        Assert.True(bound <= result.CheckedResidual + (Tol * scale), $"bound {bound} > r {result.CheckedResidual}");
        if (result.Status == LpStatus.Optimal)
        {
            Assert.True(bound >= result.CheckedResidual - (Tol * scale), $"gap: bound {bound} < r {result.CheckedResidual}");
        }
    }

    [Fact]
    public void Constant_Chebyshev_fit_is_the_midrange()
    {
        // min_c max_i |c - b_i| is attained at the midrange (min + max)/2 with value (max - min)/2.
        var a = Matrix([[1.0], [1.0], [1.0]]);
        double[] b = [0.0, 1.0, 5.0];
        var result = MinimaxLinearProgram.Solve(a, b, [-10.0], [10.0]);
        Assert.Equal(LpStatus.Optimal, result.Status);
        Assert.Equal(2.5, result.Solution[0], Tol);
        Assert.Equal(2.5, result.Residual, Tol);
        AssertConsistent(result, a, b, [-10.0], [10.0]);
    }

    [Fact]
    public void Linear_Chebyshev_fit_of_a_parabola_equioscillates()
    {
        // Fit c0 + c1 t to t^2 at t = 0, 1/2, 1. Equioscillation (errors h, -h, h) gives c1 = 1, c0 = -1/8, r = 1/8.
        var a = Matrix([[1.0, 0.0], [1.0, 0.5], [1.0, 1.0]]);
        double[] b = [0.0, 0.25, 1.0];
        double[] lower = [-5.0, -5.0];
        double[] upper = [5.0, 5.0];
        var result = MinimaxLinearProgram.Solve(a, b, lower, upper);
        Assert.Equal(LpStatus.Optimal, result.Status);
        Assert.Equal(-0.125, result.Solution[0], Tol);
        Assert.Equal(1.0, result.Solution[1], Tol);
        Assert.Equal(0.125, result.Residual, Tol);
        AssertConsistent(result, a, b, lower, upper);
    }

    [Fact]
    public void Box_active_optimum_two_by_two()
    {
        // A = I, b = (3, -3), box [-1, 1]^2: each residual |x_j - b_j| is minimised at the nearest box corner
        // (1, -1), both residuals equal 2, so r = 2 and the box is active in both coordinates.
        var a = Matrix([[1.0, 0.0], [0.0, 1.0]]);
        double[] b = [3.0, -3.0];
        double[] lower = [-1.0, -1.0];
        double[] upper = [1.0, 1.0];
        var result = MinimaxLinearProgram.Solve(a, b, lower, upper);
        Assert.Equal(LpStatus.Optimal, result.Status);
        Assert.Equal(1.0, result.Solution[0], Tol);
        Assert.Equal(-1.0, result.Solution[1], Tol);
        Assert.Equal(2.0, result.Residual, Tol);
    }

    [Fact]
    public void Box_active_optimum_with_coupled_rows()
    {
        // Rows x1 + x2 = 4 and x1 - x2 = 0 over [0, 1]^2: any x gives residual 4 - x1 - x2 >= 2 in row 1, equal to
        // 2 only at (1, 1), where row 2 has residual 0. So r = 2 at the unique optimum (1, 1).
        var a = Matrix([[1.0, 1.0], [1.0, -1.0]]);
        double[] b = [4.0, 0.0];
        var result = MinimaxLinearProgram.Solve(a, b, [0.0, 0.0], [1.0, 1.0]);
        Assert.Equal(LpStatus.Optimal, result.Status);
        Assert.Equal(1.0, result.Solution[0], Tol);
        Assert.Equal(1.0, result.Solution[1], Tol);
        Assert.Equal(2.0, result.Residual, Tol);
    }

    [Theory]
    [InlineData(1, 8, 3)]
    [InlineData(2, 20, 10)]
    [InlineData(3, 40, 40)]
    [InlineData(4, 60, 30)]
    public void Planted_exact_solution_gives_zero_residual(int seed, int m, int n)
    {
        // b = A x* with x* strictly inside the box: r = 0 is feasible, so the optimum is 0 (up to rounding,
        // |A x - b| <= n * |a| * |x| * eps ~ 1e-13 here). When m >= n, A has full column rank almost surely, so
        // x* is the unique zero-residual point and the solver must return it.
        var (a, b, lower, upper, planted) = LpReference.Planted(seed, m, n, rho: 0);
        var result = MinimaxLinearProgram.Solve(a, b, lower, upper);
        Assert.Equal(LpStatus.Optimal, result.Status);
        Assert.True(result.CheckedResidual <= 1e-10, $"r = {result.CheckedResidual}");
        AssertConsistent(result, a, b, lower, upper);
        if (m >= n)
        {
            for (var j = 0; j < n; j++)
            {
                Assert.Equal(planted[j], result.Solution[j], 1e-8);
            }
        }
    }

    [Theory]
    [InlineData(81, 40, 20, 5, 1.0)]
    [InlineData(82, 60, 30, 3, 100.0)]
    [InlineData(83, 30, 60, 10, 0.01)]
    [InlineData(84, 100, 40, 1, 5.0)]
    public void Rank_deficient_planted_instance_reaches_zero_residual(int seed, int m, int n, int rank, double scale)
    {
        // Learner-like data: A = L·R has rank `rank` < n (many optimal points, degenerate vertices), entries of
        // order `scale`, b = A x* with x* inside [-2, 2]^n, so the optimum is 0. Rounding: |A x - b| <= ~ n · scale ·
        // 2 · 1e-16 · (growth), well below 1e-10 · scale.
        var random = new Random(seed);
        var left = new double[m, rank];
        var right = new double[rank, n];
        for (var i = 0; i < m; i++)
        {
            for (var k = 0; k < rank; k++)
            {
                left[i, k] = 2 * random.NextDouble() - 1;
            }
        }

        for (var k = 0; k < rank; k++)
        {
            for (var j = 0; j < n; j++)
            {
                right[k, j] = scale * (2 * random.NextDouble() - 1);
            }
        }

        var a = new double[m, n];
        var planted = Enumerable.Range(0, n).Select(_ => 4 * random.NextDouble() - 2).ToArray();
        var b = new double[m];
        for (var i = 0; i < m; i++)
        {
            for (var j = 0; j < n; j++)
            {
                for (var k = 0; k < rank; k++)
                {
                    a[i, j] += left[i, k] * right[k, j];
                }

                b[i] += a[i, j] * planted[j];
            }
        }

        var lower = Enumerable.Repeat(-2.0, n).ToArray();
        var upper = Enumerable.Repeat(2.0, n).ToArray();
        var result = MinimaxLinearProgram.Solve(a, b, lower, upper);
        Assert.Equal(LpStatus.Optimal, result.Status);
        Assert.True(result.CheckedResidual <= 1e-10 * scale, $"r = {result.CheckedResidual}");
        AssertConsistent(result, a, b, lower, upper);
    }

    [Theory]
    [InlineData(11, 1, 1)]
    [InlineData(12, 2, 1)]
    [InlineData(13, 3, 1)]
    [InlineData(14, 2, 2)]
    [InlineData(15, 3, 2)]
    [InlineData(16, 4, 2)]
    [InlineData(17, 5, 2)]
    [InlineData(18, 1, 2)]
    public void Tiny_instances_match_vertex_enumeration(int seed, int m, int n)
    {
        for (var rep = 0; rep < 10; rep++)
        {
            // Large noise (rho = 3) so that box constraints are often active at the optimum.
            var (a, b, lower, upper, _) = LpReference.Planted(seed * 100 + rep, m, n, rho: 3.0, boxHalfWidth: 0.5);
            var expected = LpReference.BruteForceOptimum(a, b, lower, upper);
            var result = MinimaxLinearProgram.Solve(a, b, lower, upper);
            Assert.Equal(LpStatus.Optimal, result.Status);
            Assert.Equal(expected, result.CheckedResidual, Tol);
            AssertConsistent(result, a, b, lower, upper);
        }
    }

    [Theory]
    [InlineData(21, 10, 5, 0.1)]
    [InlineData(22, 40, 20, 0.01)]
    [InlineData(23, 100, 50, 1.0)]
    [InlineData(24, 30, 60, 0.5)]
    public void Planted_noisy_instance_has_residual_at_most_the_noise(int seed, int m, int n, double rho)
    {
        // x* is feasible with objective <= rho, so the optimum is <= rho (plus rounding, 1e-9).
        var (a, b, lower, upper, planted) = LpReference.Planted(seed, m, n, rho);
        var result = MinimaxLinearProgram.Solve(a, b, lower, upper);
        Assert.Equal(LpStatus.Optimal, result.Status);
        Assert.True(result.CheckedResidual <= LpReference.Objective(a, b, planted) + 1e-9);
        Assert.True(result.CheckedResidual <= rho + 1e-9);
        AssertConsistent(result, a, b, lower, upper);
    }

    [Theory]
    [InlineData(31, 6, 3)]
    [InlineData(32, 20, 8)]
    [InlineData(33, 50, 25)]
    public void No_random_box_point_beats_the_optimum(int seed, int m, int n)
    {
        // Weak duality check from the primal side: every box point x has objective >= r*. Relative slack 1e-9.
        var (a, b, lower, upper, _) = LpReference.Planted(seed, m, n, rho: 2.0);
        var result = MinimaxLinearProgram.Solve(a, b, lower, upper);
        var r = result.CheckedResidual;
        var random = new Random(seed);
        var x = new double[n];
        for (var s = 0; s < 1000; s++)
        {
            for (var j = 0; j < n; j++)
            {
                x[j] = lower[j] + (upper[j] - lower[j]) * random.NextDouble();
            }

            Assert.True(LpReference.Objective(a, b, x) >= r - 1e-9 * Math.Max(1, r));
        }
    }

    [Theory]
    [InlineData(41, 30, 10)]
    [InlineData(42, 80, 40)]
    public void Optimum_is_invariant_under_row_permutation_sign_flip_and_scaling(int seed, int m, int n)
    {
        // The optimal VALUE is a function of the set of constraints {|a_i x - b_i| <= r}: permuting rows or negating
        // a row (a_i, b_i) -> (-a_i, -b_i) leaves it unchanged, and scaling (A, b) by 2 doubles it.
        var (a, b, lower, upper, _) = LpReference.Planted(seed, m, n, rho: 1.0);
        var reference = MinimaxLinearProgram.Solve(a, b, lower, upper).CheckedResidual;
        var perm = Enumerable.Range(0, m).Reverse().ToArray();
        var a2 = new double[m, n];
        var b2 = new double[m];
        var a3 = new double[m, n];
        var b3 = new double[m];
        for (var i = 0; i < m; i++)
        {
            var sign = i % 2 == 0 ? 1.0 : -1.0;
            for (var j = 0; j < n; j++)
            {
                a2[i, j] = sign * a[perm[i], j];
                a3[i, j] = 2 * a[i, j];
            }

            b2[i] = sign * b[perm[i]];
            b3[i] = 2 * b[i];
        }

        Assert.Equal(reference, MinimaxLinearProgram.Solve(a2, b2, lower, upper).CheckedResidual, 1e-9);
        Assert.Equal(2 * reference, MinimaxLinearProgram.Solve(a3, b3, lower, upper).CheckedResidual, 1e-9);
    }

    [Fact]
    public void Solve_is_bit_identical_on_repeated_calls()
    {
        var (a, b, lower, upper, _) = LpReference.Planted(51, 60, 30, rho: 0.5);
        var first = MinimaxLinearProgram.Solve(a, b, lower, upper);
        var second = MinimaxLinearProgram.Solve((double[,])a.Clone(), (double[])b.Clone(), (double[])lower.Clone(), (double[])upper.Clone());
        Assert.Equal(first.Iterations, second.Iterations);
        Assert.Equal(BitConverter.DoubleToInt64Bits(first.Residual), BitConverter.DoubleToInt64Bits(second.Residual));
        Assert.Equal(
            first.Solution.Select(BitConverter.DoubleToInt64Bits),
            second.Solution.Select(BitConverter.DoubleToInt64Bits));
    }

    [Theory]
    [InlineData(-40)]
    [InlineData(-3)]
    [InlineData(1)]
    [InlineData(30)]
    public void Power_of_two_scaling_of_the_data_scales_the_result_exactly(int k)
    {
        // The solver normalises (A, b) by a power of two, which is exact; so (2^k A, 2^k b) must give the same point
        // bit for bit and r multiplied by exactly 2^k (the optimal value is homogeneous of degree 1 in (A, b)).
        var (a, b, lower, upper, _) = LpReference.Planted(53, 50, 20, rho: 0.3);
        var scaledA = new double[50, 20];
        for (var i = 0; i < 50; i++)
        {
            for (var j = 0; j < 20; j++)
            {
                scaledA[i, j] = Math.ScaleB(a[i, j], k);
            }
        }

        var first = MinimaxLinearProgram.Solve(a, b, lower, upper);
        var scaled = MinimaxLinearProgram.Solve(scaledA, b.Select(v => Math.ScaleB(v, k)).ToArray(), lower, upper);
        Assert.Equal(first.Iterations, scaled.Iterations);
        Assert.Equal(first.Solution.Select(BitConverter.DoubleToInt64Bits), scaled.Solution.Select(BitConverter.DoubleToInt64Bits));
        Assert.Equal(Math.ScaleB(first.Residual, k), scaled.Residual);
        AssertConsistent(scaled, scaledA, b.Select(v => Math.ScaleB(v, k)).ToArray(), lower, upper);
    }

    [Fact]
    public void Solve_does_not_modify_its_inputs()
    {
        var (a, b, lower, upper, _) = LpReference.Planted(52, 10, 4, rho: 0.5);
        var (a0, b0, l0, u0) = ((double[,])a.Clone(), (double[])b.Clone(), (double[])lower.Clone(), (double[])upper.Clone());
        _ = MinimaxLinearProgram.Solve(a, b, lower, upper);
        Assert.Equal(a0, a);
        Assert.Equal(b0, b);
        Assert.Equal(l0, lower);
        Assert.Equal(u0, upper);
    }

    [Fact]
    public void No_rows_gives_zero_residual_and_the_box_point_closest_to_zero()
    {
        var result = MinimaxLinearProgram.Solve(new double[0, 3], [], [-1.0, 1.0, -3.0], [1.0, 2.0, -2.0]);
        Assert.Equal(LpStatus.Optimal, result.Status);
        Assert.Equal([0.0, 1.0, -2.0], result.Solution);
        Assert.Equal(0.0, result.Residual);
        Assert.Equal(0.0, result.CheckedResidual);
        Assert.Equal(0.0, result.MaxBoxViolation);
    }

    [Fact]
    public void No_variables_gives_the_largest_absolute_right_hand_side()
    {
        var result = MinimaxLinearProgram.Solve(new double[3, 0], [1.0, -4.0, 2.0], [], []);
        Assert.Equal(LpStatus.Optimal, result.Status);
        Assert.Empty(result.Solution);
        Assert.Equal(4.0, result.Residual, Tol);
        Assert.Equal(4.0, result.CheckedResidual);
    }

    [Fact]
    public void Zero_rows_contribute_their_right_hand_side()
    {
        // Row 0 is zero with b = 3: residual 3 whatever x is; row 1 can be fitted exactly. So r = 3.
        var a = Matrix([[0.0, 0.0], [1.0, 1.0]]);
        var result = MinimaxLinearProgram.Solve(a, [3.0, 1.0], [-1.0, -1.0], [1.0, 1.0]);
        Assert.Equal(LpStatus.Optimal, result.Status);
        Assert.Equal(3.0, result.CheckedResidual, Tol);
    }

    [Fact]
    public void All_zero_matrix_and_right_hand_side_is_solved_at_the_start()
    {
        var a = new double[4, 3];
        var result = MinimaxLinearProgram.Solve(a, new double[4], [-1.0, -1.0, -1.0], [1.0, 1.0, 1.0]);
        Assert.Equal(LpStatus.Optimal, result.Status);
        Assert.Equal(0.0, result.CheckedResidual);
    }

    [Fact]
    public void Duplicate_and_opposite_rows_are_handled()
    {
        // Rows x = 1 (three times, once negated as -x = -1) and x = 3: midrange fit, r = 1 at x = 2.
        var a = Matrix([[1.0], [1.0], [-1.0], [1.0]]);
        var result = MinimaxLinearProgram.Solve(a, [1.0, 1.0, -1.0, 3.0], [-10.0], [10.0]);
        Assert.Equal(LpStatus.Optimal, result.Status);
        Assert.Equal(2.0, result.Solution[0], Tol);
        Assert.Equal(1.0, result.CheckedResidual, Tol);
    }

    [Fact]
    public void Fixed_variables_stay_at_their_value()
    {
        // x0 is fixed at 0.5 (lower = upper); the fit of x0 + x1 = 2 and x1 = 1 then gives x1 = 1.25, r = 0.25.
        var a = Matrix([[1.0, 1.0], [0.0, 1.0]]);
        var result = MinimaxLinearProgram.Solve(a, [2.0, 1.0], [0.5, -5.0], [0.5, 5.0]);
        Assert.Equal(LpStatus.Optimal, result.Status);
        Assert.Equal(0.5, result.Solution[0]);
        Assert.Equal(1.25, result.Solution[1], Tol);
        Assert.Equal(0.25, result.CheckedResidual, Tol);
    }

    [Fact]
    public void Columns_the_residual_does_not_use_stay_at_the_box_point_closest_to_zero()
    {
        // Only x0 enters the residual (x0 = 1 fits exactly). x1 and x2 have zero columns: the documented canonical
        // choice keeps them at clip(0): 0 for the box [-2, 2] and 0.5 for the box [0.5, 1].
        var a = Matrix([[1.0, 0.0, 0.0], [2.0, 0.0, 0.0]]);
        var result = MinimaxLinearProgram.Solve(a, [1.0, 2.0], [-2.0, -2.0, 0.5], [2.0, 2.0, 1.0]);
        Assert.Equal(LpStatus.Optimal, result.Status);
        Assert.Equal(1.0, result.Solution[0], Tol);
        Assert.Equal(0.0, result.Solution[1]);
        Assert.Equal(0.5, result.Solution[2]);
        Assert.Equal(0.0, result.CheckedResidual, Tol);

        // Boxes at or below 0: clip(0) is the upper bound for [-3, -1] (not the lower bound -3) and 0 for [-2, 0].
        var below = MinimaxLinearProgram.Solve(a, [1.0, 2.0], [-2.0, -3.0, -2.0], [2.0, -1.0, 0.0]);
        Assert.Equal(LpStatus.Optimal, below.Status);
        Assert.Equal(1.0, below.Solution[0], 1e-12); // exact fit, 1e-12 for the last bit of the pivot
        Assert.Equal(-1.0, below.Solution[1]);
        Assert.Equal(0.0, below.Solution[2]);
        Assert.Equal(0.0, below.CheckedResidual, 1e-12);

        // Column 1 is unused in the box [-3, -1]: it keeps -1. Column 0 fits x_0 = 0.5 exactly inside [-1, 1]; column 2
        // (box [-5, -2], coefficient 1 in row 1) must reach x_2 = -2 from b_1 = -2, and its start clip(0) = -2 (its
        // upper bound) is already optimal.
        var used = MinimaxLinearProgram.Solve(new double[,] { { 1.0, 0.0, 0.0 }, { 0.0, 0.0, 1.0 } }, [0.5, -2.0], [-1.0, -3.0, -5.0], [1.0, -1.0, -2.0]);
        Assert.Equal(LpStatus.Optimal, used.Status);
        Assert.Equal(0.5, used.Solution[0], 1e-15);
        Assert.Equal(-1.0, used.Solution[1]);
        Assert.Equal(-2.0, used.Solution[2], 1e-15);
        Assert.Equal(0.0, used.CheckedResidual, 1e-15);
    }

    [Fact]
    public void Exact_fit_has_a_zero_dual_bound()
    {
        // Regression: with r* = 0 both inequalities of the row are active, λ_0 ≈ λ_1 and w ≈ 0; normalising w by
        // Σ|w| once turned rounding noise into w = -1 and a bound of -0.28. The bound must be 0 (to rounding).
        var a = Matrix([[-0.8978678453238066]]);
        double[] b = [0.16808823932609487];
        var result = MinimaxLinearProgram.Solve(a, b, [-0.5], [0.5]);
        Assert.Equal(0.0, result.CheckedResidual, 1e-15);
        Assert.Equal(0.0, result.LowerBound, 1e-15);
        AssertConsistent(result, a, b, [-0.5], [0.5]);
    }

    [Fact]
    public void Interior_start_variable_can_move_down()
    {
        // x starts at clip(0) = 0, strictly inside [-3, 3]; the fit x = -2 needs it to decrease from its start.
        var result = MinimaxLinearProgram.Solve(Matrix([[1.0]]), [-2.0], [-3.0], [3.0]);
        Assert.Equal(-2.0, result.Solution[0], Tol);
        Assert.Equal(0.0, result.CheckedResidual, Tol);
    }

    [Fact]
    public void Highly_degenerate_instance_terminates_at_the_optimum()
    {
        // Many rows through the same point (b = A x* with small integer A) make every vertex near x* degenerate;
        // the anti-cycling rule must still terminate with r = 0.
        var random = new Random(61);
        const int m = 60;
        const int n = 12;
        var a = new double[m, n];
        var b = new double[m];
        for (var i = 0; i < m; i++)
        {
            for (var j = 0; j < n; j++)
            {
                a[i, j] = random.Next(-1, 2);
                b[i] += a[i, j] * (j % 3 - 1) * 0.5;
            }
        }

        var lower = Enumerable.Repeat(-0.5, n).ToArray();
        var upper = Enumerable.Repeat(0.5, n).ToArray();
        var result = MinimaxLinearProgram.Solve(a, b, lower, upper);
        Assert.Equal(LpStatus.Optimal, result.Status);
        Assert.True(result.CheckedResidual <= 1e-12, $"r = {result.CheckedResidual}");
    }

    [Fact]
    public void Iteration_limit_returns_a_feasible_point_and_its_true_residual()
    {
        var (a, b, lower, upper, _) = LpReference.Planted(71, 40, 20, rho: 0.1);
        var optimal = MinimaxLinearProgram.Solve(a, b, lower, upper);
        Assert.True(optimal.Iterations > 3);
        var limited = MinimaxLinearProgram.Solve(a, b, lower, upper, new LpOptions { MaxIterations = 3 });
        Assert.Equal(LpStatus.IterationLimit, limited.Status);
        Assert.Equal(3, limited.Iterations);
        AssertConsistent(limited, a, b, lower, upper);
        Assert.True(limited.CheckedResidual >= optimal.CheckedResidual - 1e-12);
    }

    [Fact]
    public void Empty_box_is_reported_as_infeasible()
    {
        var result = MinimaxLinearProgram.Solve(Matrix([[1.0, 1.0]]), [1.0], [0.0, 2.0], [1.0, 1.5]);
        Assert.Equal(LpStatus.Infeasible, result.Status);
        Assert.Empty(result.Solution);
        Assert.Equal(0.5, result.MaxBoxViolation);
        Assert.Equal(double.PositiveInfinity, result.Residual);
        Assert.Equal(double.PositiveInfinity, result.LowerBound);

        // A zero matrix does not make an empty box feasible; the violation is the largest lower_j - upper_j.
        var zero = MinimaxLinearProgram.Solve(new double[1, 2], [1.0], [0.0, 3.0], [1.0, 2.0]);
        Assert.Equal(LpStatus.Infeasible, zero.Status);
        Assert.Equal(double.PositiveInfinity, zero.LowerBound);
        Assert.Equal(1.0, zero.MaxBoxViolation);
        Assert.Empty(zero.Solution);
    }

    [Fact]
    public void Null_arguments_throw()
    {
        double[] one = [1.0];
        var a = new double[1, 1];
        Assert.Throws<ArgumentNullException>("a", () => MinimaxLinearProgram.Solve(null!, one, one, one));
        Assert.Throws<ArgumentNullException>("b", () => MinimaxLinearProgram.Solve(a, null!, one, one));
        Assert.Throws<ArgumentNullException>("lower", () => MinimaxLinearProgram.Solve(a, one, null!, one));
        Assert.Throws<ArgumentNullException>("upper", () => MinimaxLinearProgram.Solve(a, one, one, null!));
    }

    [Fact]
    public void Dimension_mismatches_throw_naming_the_argument()
    {
        var a = new double[2, 3];
        double[] b = [0.0, 0.0];
        double[] box = [0.0, 0.0, 0.0];
        Assert.Contains("b has length 3", Assert.Throws<ArgumentException>("b", () => MinimaxLinearProgram.Solve(a, box, box, box)).Message);
        Assert.Contains("lower has length 2", Assert.Throws<ArgumentException>("lower", () => MinimaxLinearProgram.Solve(a, b, b, box)).Message);
        Assert.Contains("upper has length 2", Assert.Throws<ArgumentException>("upper", () => MinimaxLinearProgram.Solve(a, b, box, b)).Message);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void Non_finite_entries_throw_naming_the_entry(double bad)
    {
        double[] b = [0.0, 0.0];
        double[] lower = [0.0, 0.0];
        double[] upper = [1.0, 1.0];
        var a = new double[2, 2];
        a[1, 0] = bad;
        Assert.Contains("a[1, 0]", Assert.Throws<ArgumentException>("a", () => MinimaxLinearProgram.Solve(a, b, lower, upper)).Message);
        Assert.Contains("b[1]", Assert.Throws<ArgumentException>("b", () => MinimaxLinearProgram.Solve(new double[2, 2], [0.0, bad], lower, upper)).Message);
        Assert.Contains("lower[0]", Assert.Throws<ArgumentException>("lower", () => MinimaxLinearProgram.Solve(new double[2, 2], b, [bad, 0.0], upper)).Message);
        Assert.Contains("upper[1]", Assert.Throws<ArgumentException>("upper", () => MinimaxLinearProgram.Solve(new double[2, 2], b, lower, [1.0, bad])).Message);
    }

    [Fact]
    public void Invalid_options_throw()
    {
        var a = new double[1, 1];
        double[] one = [1.0];
        Assert.Contains("PivotTolerance is 0", Assert.Throws<ArgumentException>("options", () => MinimaxLinearProgram.Solve(a, one, one, one, new LpOptions { PivotTolerance = 0 })).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>("options", () => MinimaxLinearProgram.Solve(a, one, one, one, new LpOptions { PivotTolerance = double.PositiveInfinity }));
        Assert.Throws<ArgumentException>("options", () => MinimaxLinearProgram.Solve(a, one, one, one, new LpOptions { OptimalityTolerance = double.NaN }));
        Assert.Contains("OptimalityTolerance is 0", Assert.Throws<ArgumentException>("options", () => MinimaxLinearProgram.Solve(a, one, one, one, new LpOptions { OptimalityTolerance = 0 })).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>("options", () => MinimaxLinearProgram.Solve(a, one, one, one, new LpOptions { OptimalityTolerance = double.PositiveInfinity }));
        Assert.Contains("MaxIterations is -1", Assert.Throws<ArgumentException>("options", () => MinimaxLinearProgram.Solve(a, one, one, one, new LpOptions { MaxIterations = -1 })).Message, StringComparison.Ordinal);

        // MaxIterations = 0 is allowed: the solver stops at its start point (x = clip(0) = 0, r = |0 - 5| = 5) and says so.
        var stopped = MinimaxLinearProgram.Solve(new double[,] { { 1.0 } }, [5.0], [0.0], [10.0], new LpOptions { MaxIterations = 0 });
        Assert.Equal(LpStatus.IterationLimit, stopped.Status);
        Assert.Equal(0, stopped.Iterations);
        Assert.Equal(5.0, stopped.CheckedResidual, 1e-12);
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

    /// <summary>
    /// Regression: with a large pivot tolerance, a slack can be the entering variable while no row passes the ratio
    /// test (the numerically unbounded ray of the documentation). The bound-flip test compared its distance to a
    /// bound (+∞ for a slack, which has no upper bound) with the best ratio (+∞ when no row qualifies), took the step
    /// as a "flip" of infinite length and indexed the structural bounds with the slack's column: Solve threw
    /// IndexOutOfRangeException. It must stop with <see cref="LpStatus.IterationLimit"/> and the last (feasible) point.
    /// Two instances found by seeded searches (pivot tolerances 1.2 and 1.5, valid if unwise, on data scaled into
    /// [1, 2)); the expected values are not taken from the solver.
    /// </summary>
    [Fact]
    public void A_numerically_unbounded_ray_stops_with_iteration_limit_at_a_feasible_point()
    {
        var planted = LpReference.Planted(880, 2, 1, rho: 2.0, boxHalfWidth: 1.0);
        var tenths = (A: new double[,] { { 1.7, -1.0 }, { -1.9, -1.9 }, { -0.3, 0.2 } }, B: new double[] { -0.2, 0.0, 1.3 }, Lower: new double[] { -2.0, -2.0 }, Upper: new double[] { 1.0, 1.0 });
        foreach (var (a, b, lower, upper, pivotTolerance) in new[] { (planted.A, planted.B, planted.Lower, planted.Upper, 1.2), (tenths.A, tenths.B, tenths.Lower, tenths.Upper, 1.5) })
        {
            var result = MinimaxLinearProgram.Solve(a, b, lower, upper, new LpOptions { PivotTolerance = pivotTolerance });
            Assert.Equal(LpStatus.IterationLimit, result.Status);
            Assert.Equal(0.0, result.MaxBoxViolation);
            for (var j = 0; j < lower.Length; j++)
            {
                Assert.InRange(result.Solution[j], lower[j], upper[j]);
            }

            // The returned point is the simplex's last one: its reported r is its residual, the objective never
            // increased from the start point clip(0) = 0 (residual max |b_i|), the point is no better than the exact
            // optimum (vertex enumeration), and the dual bound stays a lower bound (valid whatever the status).
            // 1e-12: sums of two products of numbers of magnitude <= 10.
            var optimum = LpReference.BruteForceOptimum(a, b, lower, upper);
            Assert.Equal(LpReference.Objective(a, b, result.Solution), result.CheckedResidual, 1e-12);
            Assert.Equal(result.CheckedResidual, result.Residual, 1e-12);
            Assert.InRange(result.CheckedResidual, optimum - 1e-12, b.Max(Math.Abs) + 1e-12);
            Assert.True(result.LowerBound <= result.CheckedResidual + 1e-12);
            Assert.True(result.LowerBound <= optimum + 1e-12, $"lower bound {result.LowerBound} above the optimum {optimum}");
        }
    }
}
