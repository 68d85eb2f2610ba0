using MathNet.Numerics.LinearAlgebra;

namespace LogitRank.Numerics;

/// <summary>
/// Small deterministic dense kernels (Gaussian elimination with partial pivoting) shared by
/// <see cref="MinimaxLinearProgram"/> and <see cref="BarycentricSpanner"/>. Sequential loops only, so results are
/// bit-reproducible for the same input.
/// </summary>
internal static class DenseLinearAlgebra
{
    /// <summary>
    /// Solves the square system <c>M z = rhs</c> in place (<paramref name="matrix"/> is destroyed, the solution
    /// replaces <paramref name="rhs"/>). Partial pivoting; row ties go to the smaller index.
    /// </summary>
    /// <returns><see langword="false"/> when a pivot is at most <see cref="Tolerances.SingularPivot"/> times the largest entry of <paramref name="matrix"/>.</returns>
    internal static bool TrySolveInPlace(double[,] matrix, double[] rhs)
    {
        var permutation = new int[rhs.Length];
        if (!TryLuDecompose(matrix, permutation))
        {
            return false;
        }

        var solution = new double[rhs.Length];
        LuSolve(matrix, permutation, rhs, solution);
        solution.CopyTo(rhs, 0);
        return true;
    }

    /// <summary>
    /// LU factorisation with partial pivoting, in place: afterwards <paramref name="matrix"/> holds <c>L</c> (unit
    /// diagonal, below) and <c>U</c> (on and above the diagonal) of <c>P M = L U</c>, and <paramref name="permutation"/>
    /// the row order (row ties go to the smaller index).
    /// </summary>
    /// <returns><see langword="false"/> when a pivot is at most <see cref="Tolerances.SingularPivot"/> times the largest entry.</returns>
    internal static bool TryLuDecompose(double[,] matrix, int[] permutation)
    {
        var k = permutation.Length;
        var scale = 0.0;
        for (var i = 0; i < k; i++)
        {
            permutation[i] = i;
            for (var j = 0; j < k; j++)
            {
                scale = Math.Max(scale, Math.Abs(matrix[i, j]));
            }
        }

        if (k == 0)
        {
            return true;
        }

        if (!(scale > 0))
        {
            return false;
        }

        for (var col = 0; col < k; col++)
        {
            var piv = col;
            for (var i = col + 1; i < k; i++)
            {
                if (Math.Abs(matrix[i, col]) > Math.Abs(matrix[piv, col]))
                {
                    piv = i;
                }
            }

            if (!(Math.Abs(matrix[piv, col]) > Tolerances.SingularPivot * scale))
            {
                return false;
            }

            if (piv != col)
            {
                for (var j = 0; j < k; j++)
                {
                    (matrix[col, j], matrix[piv, j]) = (matrix[piv, j], matrix[col, j]);
                }

                (permutation[col], permutation[piv]) = (permutation[piv], permutation[col]);
            }

            var d = matrix[col, col];
            for (var i = col + 1; i < k; i++)
            {
                var f = matrix[i, col] / d;
                matrix[i, col] = f;
                if (f == 0)
                {
                    continue;
                }

                for (var j = col + 1; j < k; j++)
                {
                    matrix[i, j] -= f * matrix[col, j];
                }
            }
        }

        return true;
    }

    /// <summary>Solves <c>M z = rhs</c> with the factors from <see cref="TryLuDecompose"/>; writes <c>z</c> into <paramref name="result"/>.</summary>
    internal static void LuSolve(double[,] lu, int[] permutation, ReadOnlySpan<double> rhs, Span<double> result)
    {
        var k = permutation.Length;
        for (var i = 0; i < k; i++)
        {
            var s = rhs[permutation[i]];
            for (var j = 0; j < i; j++)
            {
                s -= lu[i, j] * result[j];
            }

            result[i] = s;
        }

        for (var i = k - 1; i >= 0; i--)
        {
            var s = result[i];
            for (var j = i + 1; j < k; j++)
            {
                s -= lu[i, j] * result[j];
            }

            result[i] = s / lu[i, i];
        }
    }

    /// <summary>
    /// The Moore-Penrose pseudo-inverse <c>A⁺ = V Σ⁺ Uᵀ</c> (<c>n × m</c>) of the <c>m × n</c> matrix <paramref name="a"/>,
    /// singular values at most <paramref name="relativeThreshold"/> times the largest treated as 0, so <c>A⁺ b</c> is the
    /// minimum-norm least-squares solution of <c>A x ≈ b</c> on the numerical range. Computed on <c>A · 2^-e</c> (largest
    /// entry in <c>[1, 2)</c>, exact) with MathNet's SVD and scaled back, so entries near the ends of the double range
    /// neither overflow nor underflow. Deterministic (a sequential managed SVD). An all-zero matrix gives the zero matrix.
    /// </summary>
    /// <exception cref="ArgumentException">An entry is not finite.</exception>
    /// <param name="a">The matrix.</param>
    /// <param name="relativeThreshold">Singular values at most this fraction of the largest count as 0.</param>
    /// <param name="rank">The numerical rank: the number of singular values kept.</param>
    internal static double[,] PseudoInverse(double[,] a, double relativeThreshold, out int rank)
    {
        rank = 0;
        var m = a.GetLength(0);
        var n = a.GetLength(1);
        var largest = 0.0;
        foreach (var v in a)
        {
            if (!double.IsFinite(v))
            {
                throw new ArgumentException($"A matrix entry is {v}; the pseudo-inverse needs finite entries.", nameof(a));
            }

            largest = Math.Max(largest, Math.Abs(v));
        }

        var result = new double[n, m];
        if (m == 0 || n == 0 || !(largest > 0))
        {
            return result;
        }

        var exponent = Math.ILogB(largest);
        var scaled = Matrix<double>.Build.Dense(m, n, (i, j) => Math.ScaleB(a[i, j], -exponent));
        var svd = scaled.Svd(computeVectors: true);
        var sigma = svd.S;
        var cutoff = relativeThreshold * sigma[0];
        for (var r = 0; r < sigma.Count; r++)
        {
            if (!(sigma[r] > cutoff))
            {
                break;
            }

            rank++;
            var inverse = 1.0 / sigma[r];
            for (var j = 0; j < n; j++)
            {
                var vjr = svd.VT[r, j] * inverse;
                for (var i = 0; i < m; i++)
                {
                    result[j, i] += vjr * svd.U[i, r];
                }
            }
        }

        // A⁺ of A·2^-e is 2^e A⁺: scale back exactly.
        for (var j = 0; j < n; j++)
        {
            for (var i = 0; i < m; i++)
            {
                result[j, i] = Math.ScaleB(result[j, i], -exponent);
            }
        }

        return result;
    }
}
