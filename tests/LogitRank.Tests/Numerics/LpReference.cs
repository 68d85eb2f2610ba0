using MathNet.Numerics.LinearAlgebra;

namespace LogitRank.Tests.Numerics;

/// <summary>
/// Independent reference computations for the minimax LP (no code shared with the solver): random instances,
/// the direct objective, and an exact brute force by vertex enumeration for tiny instances.
/// </summary>
internal static class LpReference
{
    /// <summary>A random instance: entries of A uniform in [-scale, scale], box [-boxHalfWidth, boxHalfWidth]^n, planted x* inside the box, b = A x* + noise with |noise| &lt;= rho.</summary>
    public static (double[,] A, double[] B, double[] Lower, double[] Upper, double[] Planted) Planted(int seed, int m, int n, double rho, double scale = 1.0, double boxHalfWidth = 2.0)
    {
        var random = new Random(seed);
        var a = new double[m, n];
        for (var i = 0; i < m; i++)
        {
            for (var j = 0; j < n; j++)
            {
                a[i, j] = scale * (2 * random.NextDouble() - 1);
            }
        }

        var lower = new double[n];
        var upper = new double[n];
        var planted = new double[n];
        for (var j = 0; j < n; j++)
        {
            lower[j] = -boxHalfWidth;
            upper[j] = boxHalfWidth;
            planted[j] = boxHalfWidth * (2 * random.NextDouble() - 1);
        }

        var b = new double[m];
        for (var i = 0; i < m; i++)
        {
            var s = 0.0;
            for (var j = 0; j < n; j++)
            {
                s += a[i, j] * planted[j];
            }

            b[i] = s + rho * (2 * random.NextDouble() - 1);
        }

        return (a, b, lower, upper, planted);
    }

    /// <summary>max_i |(Ax - b)_i|, computed directly.</summary>
    public static double Objective(double[,] a, double[] b, double[] x)
    {
        var worst = 0.0;
        for (var i = 0; i < a.GetLength(0); i++)
        {
            var s = -b[i];
            for (var j = 0; j < a.GetLength(1); j++)
            {
                s += a[i, j] * x[j];
            }

            worst = Math.Max(worst, Math.Abs(s));
        }

        return worst;
    }

    /// <summary>
    /// Weak-duality bound of weights w with Σ|w_i| &lt;= 1: for x in the box, max_i |e_i| >= Σ_i w_i e_i (a weighted
    /// average of the |e_i| with weights |w_i|, then |e_i| >= sign(w_i) e_i), and Σ_i w_i e_i = g·x - w·b with
    /// g = Aᵀw is minimised over the box coordinate-wise at lower_j (g_j >= 0) or upper_j (g_j &lt; 0).
    /// </summary>
    public static double DualBound(double[,] a, double[] b, double[] lower, double[] upper, double[] w)
    {
        var total = w.Sum(Math.Abs);
        Assert.True(total <= 1 + 1e-12, $"Σ|w| = {total}");
        var bound = 0.0;
        for (var i = 0; i < w.Length; i++)
        {
            bound -= w[i] * b[i];
        }

        for (var j = 0; j < a.GetLength(1); j++)
        {
            var g = 0.0;
            for (var i = 0; i < w.Length; i++)
            {
                g += a[i, j] * w[i];
            }

            bound += g >= 0 ? g * lower[j] : g * upper[j];
        }

        return bound;
    }

    /// <summary>
    /// The exact optimum by vertex enumeration. The feasible set in (x, r) ∈ R^{n+1} is a polyhedron given by the
    /// 2m residual inequalities ±(a_i x - b_i) - r &lt;= 0 and the 2n box inequalities; it has a vertex (the box is
    /// bounded and r &gt;= 0) and the linear objective r, bounded below, attains its minimum at a vertex. Every vertex
    /// is the solution of n+1 linearly independent active inequalities, so the minimum over all feasible solutions
    /// of all nonsingular (n+1)-subsets is the optimum. Exponential; only for tiny instances.
    /// </summary>
    public static double BruteForceOptimum(double[,] a, double[] b, double[] lower, double[] upper)
    {
        var m = a.GetLength(0);
        var n = a.GetLength(1);
        var rows = new List<(double[] Coef, double Rhs)>();
        for (var i = 0; i < m; i++)
        {
            for (var sign = -1; sign <= 1; sign += 2)
            {
                var coef = new double[n + 1];
                for (var j = 0; j < n; j++)
                {
                    coef[j] = sign * a[i, j];
                }

                coef[n] = -1;
                rows.Add((coef, sign * b[i]));
            }
        }

        for (var j = 0; j < n; j++)
        {
            var up = new double[n + 1];
            up[j] = 1;
            rows.Add((up, upper[j]));
            var low = new double[n + 1];
            low[j] = -1;
            rows.Add((low, -lower[j]));
        }

        var best = double.PositiveInfinity;
        foreach (var subset in Subsets(rows.Count, n + 1))
        {
            var mat = Matrix<double>.Build.Dense(n + 1, n + 1, (r, c) => rows[subset[r]].Coef[c]);
            var rhs = Vector<double>.Build.Dense(n + 1, r => rows[subset[r]].Rhs);
            if (Math.Abs(mat.Determinant()) < 1e-12)
            {
                continue;
            }

            var z = mat.Solve(rhs);
            var feasible = rows.All(row =>
            {
                var s = 0.0;
                for (var c = 0; c <= n; c++)
                {
                    s += row.Coef[c] * z[c];
                }

                return s <= row.Rhs + 1e-9;
            });
            if (feasible)
            {
                best = Math.Min(best, z[n]);
            }
        }

        return best;
    }

    private static IEnumerable<int[]> Subsets(int count, int size)
    {
        var idx = Enumerable.Range(0, size).ToArray();
        if (size > count)
        {
            yield break;
        }

        while (true)
        {
            yield return (int[])idx.Clone();
            var p = size - 1;
            while (p >= 0 && idx[p] == count - size + p)
            {
                p--;
            }

            if (p < 0)
            {
                yield break;
            }

            idx[p]++;
            for (var q = p + 1; q < size; q++)
            {
                idx[q] = idx[q - 1] + 1;
            }
        }
    }
}
