using LogitRank.Numerics;
using LogitRank.Tests.Numerics;
using MathNet.Numerics.LinearAlgebra;

namespace LogitRank.Tests.Mutation;

/// <summary>
/// The documented recomputation of the basic values "from the original data every 64 pivots and at the end" of
/// <see cref="MinimaxLinearProgram.Solve"/> (proofs-notes/mutation.md). On well-conditioned instances the values the
/// simplex updates step by step are as accurate as recomputed ones, so nothing sees a missing recomputation. On
/// nearly parallel pairs of rows (a row and a copy perturbed by 10^-3 to 10^-9) the pivots divide by small entries
/// and the updated values drift by up to about 10^-5; only the final recomputation brings the solver's <c>r</c>
/// back to the residual of the returned point.
/// </summary>
public class MinimaxSimplexRecomputeMutationTests
{
    [Fact]
    public void Nearly_parallel_rows_end_with_r_equal_to_the_recomputed_residual()
    {
        var random = new Random(5);
        for (var seed = 0; seed < 40; seed++)
        {
            var m = 20 + (seed % 4 * 15);
            var n = 8 + (seed % 5 * 6);
            var (a, b, lower, upper, _) = LpReference.Planted(seed, m, n, rho: 0.3);
            for (var i = 1; i < m; i += 2)
            {
                var eps = Math.Pow(10, -random.Next(3, 10));
                for (var j = 0; j < n; j++)
                {
                    a[i, j] = a[i - 1, j] + (eps * ((2 * random.NextDouble()) - 1));
                }

                b[i] = b[i - 1] + (eps * ((2 * random.NextDouble()) - 1));
            }

            var context = $"instance {seed} (m {m}, n {n})";
            var result = MinimaxLinearProgram.Solve(a, b, lower, upper);
            Assert.True(result.Status == LpStatus.Optimal, $"{context}: {result.Status}");

            // The solver's r against max_i |(Ax - b)_i| of the returned point, with the tolerance of the
            // 'lp-constraints' runtime contract: 1e-8 · data scale · (1 + Σ|x_j|), the data scale being 2^(e+1) for
            // the power of two 2^e that the solver divides the data by (proofs-notes/runtime-contracts.md).
            // Recomputed values meet it on every instance here (the closest at under a tenth of it); values only
            // updated step by step miss it on some.
            var largest = Math.Max(b.Max(Math.Abs), a.Cast<double>().Max(Math.Abs));
            var tolerance = 1e-8 * Math.ScaleB(2.0, Math.ILogB(largest)) * (1 + result.Solution.Sum(Math.Abs));
            var difference = Math.Abs(result.Residual - result.CheckedResidual);
            Assert.True(difference <= tolerance, $"{context}: |r - recomputed residual| = {difference:E2} > {tolerance:E2}");

            // The dual certificate stays a valid lower bound (up to the rounding of its own sum).
            Assert.True(result.LowerBound <= result.CheckedResidual + 1e-12, $"{context}: lower bound {result.LowerBound} above {result.CheckedResidual}");
        }
    }

    /// <summary>
    /// <c>RecomputeValues</c> directly (internal): after some steps of the simplex every basic value is overwritten
    /// with garbage, and the recomputation must restore the values that solve the basis system from the original
    /// data, <c>Σ_j M[q, j] v_j = rhs_q</c> over all 2m rows (<c>M = [A' | -1 | I]</c> with the pairs
    /// <c>a_i·y - r + s_i = c_i</c>, <c>-a_i·y - r + s_{m+i} = -c_i</c>, <c>c = b - A·lower</c>), here solved
    /// independently as the full 2m×2m system with Math.NET. Nonbasic values are the fixed data of that system and
    /// must not change; in particular a nonbasic slack stays exactly at its bound 0 (the documented place of every
    /// nonbasic slack), not at the rounding noise of its row's residual. States are taken after 0, 1, 2, ... steps
    /// of seeded random instances, so they include a structural (or r) basic in row 0 and a slack basic in row 0
    /// (both counted and required below).
    /// </summary>
    [Fact]
    public void Recomputation_restores_every_basic_value_from_the_original_data()
    {
        var structuralInRowZero = 0;
        var slackInRowZero = 0;
        var states = 0;
        for (var seed = 0; seed < 6; seed++)
        {
            var m = 3 + seed;
            var n = 2 + (seed % 3);
            var (a, b, lower, upper, _) = LpReference.Planted(700 + seed, m, n, rho: 0.4);
            for (var steps = 0; steps <= 12; steps++)
            {
                var simplex = MinimaxSimplex.Start(a, b, lower, upper);
                var (status, taken) = simplex.Iterate(new LpOptions { MaxIterations = steps });
                if (taken < steps)
                {
                    break; // optimal before this many steps: no new state
                }

                var context = $"seed {seed}, after {steps} steps ({status})";
                var values = simplex.Values;
                var rowOf = simplex.RowOf;
                var cols = simplex.ColumnCount;
                var rows = simplex.RowCount;
                var before = (double[])values.Clone();
                for (var j = 0; j < cols; j++)
                {
                    if (rowOf[j] >= 0)
                    {
                        values[j] = 1e3 + j; // garbage in every basic value
                    }
                }

                simplex.RecomputeValues(out _);
                states++;
                structuralInRowZero += simplex.Basis[0] <= n ? 1 : 0;
                slackInRowZero += simplex.Basis[0] > n ? 1 : 0;

                var expected = SolveBasisSystem(a, b, lower, simplex.Basis, before, rowOf, n);
                for (var j = 0; j < cols; j++)
                {
                    if (rowOf[j] >= 0)
                    {
                        // Data of order 1 and well-conditioned random bases: 1e-9 is far above the rounding of a
                        // solve of at most 16 unknowns and far below the garbage offset 1e3.
                        Assert.True(Math.Abs(values[j] - expected[j]) <= 1e-9, $"{context}: basic column {j} = {values[j]}, expected {expected[j]}");
                    }
                    else
                    {
                        Assert.True(values[j] == before[j], $"{context}: nonbasic column {j} changed from {before[j]} to {values[j]}");
                    }
                }

                for (var q = 0; q < rows; q++)
                {
                    if (rowOf[n + 1 + q] < 0)
                    {
                        Assert.True(values[n + 1 + q] == 0.0, $"{context}: nonbasic slack {q} = {values[n + 1 + q]}, not its bound 0");
                    }
                }
            }
        }

        Assert.True(structuralInRowZero > 0 && slackInRowZero > 0, $"{states} states: {structuralInRowZero} with a structural in row 0, {slackInRowZero} with a slack there");
    }

    /// <summary>The basic values of the full system <c>M v = rhs</c> (all 2m rows) for the given basis, nonbasic values fixed.</summary>
    private static double[] SolveBasisSystem(double[,] a, double[] b, double[] lower, int[] basis, double[] values, int[] rowOf, int n)
    {
        var m = a.GetLength(0);
        var rows = 2 * m;
        var cols = n + 1 + rows;
        double Coefficient(int q, int j)
        {
            var i = q % m;
            var sign = q < m ? 1.0 : -1.0;
            return j < n ? sign * a[i, j] : j == n ? -1.0 : (j - n - 1 == q ? 1.0 : 0.0);
        }

        var matrix = Matrix<double>.Build.Dense(rows, rows);
        var rhs = Vector<double>.Build.Dense(rows);
        for (var q = 0; q < rows; q++)
        {
            var i = q % m;
            var c = b[i];
            for (var j = 0; j < n; j++)
            {
                c -= a[i, j] * lower[j];
            }

            var s = q < m ? c : -c;
            for (var j = 0; j < cols; j++)
            {
                if (rowOf[j] < 0)
                {
                    s -= Coefficient(q, j) * values[j];
                }
            }

            rhs[q] = s;
            for (var e = 0; e < rows; e++)
            {
                matrix[q, e] = Coefficient(q, basis[e]);
            }
        }

        var solution = matrix.Solve(rhs);
        var result = new double[cols];
        for (var e = 0; e < rows; e++)
        {
            result[basis[e]] = solution[e];
        }

        return result;
    }

    /// <summary>
    /// "Keeps the current values when that system is numerically singular": a basis set by hand (through the live
    /// arrays) whose square system is exactly singular, the two copies of the same row a = (1) with y and r basic and
    /// both of their slacks nonbasic, so the system is [[1, -1], [1, -1]]. Every value, basic or not, stays bit for bit.
    /// As a control, the same hand-set basis on rows (1) and (2) is regular and the recomputation does move r (from its
    /// start value 0 to the solution y = 2, r = 1 of y - r = 1, 2y - r = 3, where c = b - a·lower = (1, 3)).
    /// </summary>
    [Fact]
    public void A_singular_basis_system_keeps_every_value()
    {
        static (MinimaxSimplex Simplex, double[] Before) HandSetBasis(double second)
        {
            // m = 2, n = 1: columns y = 0, r = 1, slacks 2..5; rows q0, q1 (a_i·y - r + s_i = c_i) and q2, q3.
            var simplex = MinimaxSimplex.Start(new double[,] { { 1.0 }, { second } }, [0.0, 1.0], [-1.0], [1.0]);
            Assert.Equal(1, simplex.StructuralCount);
            simplex.Basis[0] = 0;
            simplex.Basis[1] = 1;
            simplex.RowOf[0] = 0;
            simplex.RowOf[1] = 1;
            simplex.RowOf[2] = -1;
            simplex.RowOf[3] = -1;
            return (simplex, (double[])simplex.Values.Clone());
        }

        var (singular, before) = HandSetBasis(1.0);
        Assert.Equal(0.0, before[1]); // r starts at 0
        singular.RecomputeValues(out _);
        Assert.Equal(before, singular.Values);

        var (regular, start) = HandSetBasis(2.0);
        regular.RecomputeValues(out _);
        Assert.NotEqual(start, regular.Values);
        // A 2x2 solve with small integer data: 1e-12 is far above its rounding and far below the change it checks.
        Assert.Equal(2.0, regular.Values[0], 12);
        Assert.Equal(1.0, regular.Values[1], 12);
    }
}
