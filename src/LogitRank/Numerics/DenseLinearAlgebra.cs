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

    /// <summary>
    /// The ridge projector <c>P = (AᵀA + λI)⁻¹Aᵀ = Aᵀ(AAᵀ + λI)⁻¹</c> (<c>n × m</c>) of the <c>m × n</c> matrix
    /// <paramref name="a"/>: <c>P b = argmin_x ||A x - b||_2² + λ ||x||_2²</c>. Computed by a Householder QR of the augmented
    /// matrix <c>[A; √λ I_n]</c> when <c>n &lt;= m</c> (then <c>P = R⁻¹Q_1ᵀ</c>), else of <c>[Aᵀ; √λ I_m]</c> (then
    /// <c>P = Q_1R⁻ᵀ</c>), whichever has fewer columns: the same matrix as the normal equations' but with the condition
    /// number of <c>R</c>, the square root of theirs, so a tiny ridge on a rank-deficient <c>A</c> does not amplify rounding
    /// by <c>1/λ</c>. Computed on <c>A · 2^-e</c> (largest entry in <c>[1, 2)</c>, exact) and scaled back exactly.
    /// Deterministic (sequential loops). An all-zero <paramref name="a"/> gives the zero matrix (the minimum-norm solution
    /// for every <c>λ &gt;= 0</c>); otherwise <paramref name="lambda"/> must be positive, which makes <c>R</c> nonsingular.
    /// </summary>
    /// <param name="a">The matrix (finite entries).</param>
    /// <param name="lambda">The ridge <c>λ</c>.</param>
    /// <exception cref="ArgumentException">An entry of <paramref name="a"/> is not finite.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="lambda"/> is not finite and <c>&gt;= 0</c>, or is 0 while <paramref name="a"/> is not all zero.</exception>
    internal static double[,] RidgeProjector(double[,] a, double lambda)
    {
        var m = a.GetLength(0);
        var n = a.GetLength(1);
        if (!(lambda >= 0) || !double.IsFinite(lambda))
        {
            throw new ArgumentOutOfRangeException(nameof(lambda), lambda, $"The ridge is {lambda}; expected a finite λ >= 0.");
        }

        var largest = 0.0;
        foreach (var v in a)
        {
            if (!double.IsFinite(v))
            {
                throw new ArgumentException($"A matrix entry is {v}; the ridge projector needs finite entries.", nameof(a));
            }

            largest = Math.Max(largest, Math.Abs(v));
        }

        var result = new double[n, m];
        if (m == 0 || n == 0 || !(largest > 0))
        {
            return result;
        }

        if (!(lambda > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(lambda), lambda, "The ridge is 0 on a non-zero matrix; expected λ > 0 (the projector of a rank-deficient matrix is not defined without it).");
        }

        // A' = 2^-e A, λ' = 2^-2e λ: P' = (A'ᵀA' + λ'I)⁻¹A'ᵀ = 2^e P.
        var exponent = Math.ILogB(largest);
        var rootLambda = Math.ScaleB(Math.Sqrt(lambda), -exponent);
        var primal = n <= m;
        var rows = primal ? m : n;       // rows of the block above √λ' I
        var columns = primal ? n : m;    // columns of the augmented matrix (and size of √λ' I)
        var augmented = new double[rows + columns, columns];
        for (var i = 0; i < rows; i++)
        {
            for (var j = 0; j < columns; j++)
            {
                augmented[i, j] = Math.ScaleB(primal ? a[i, j] : a[j, i], -exponent);
            }
        }

        for (var j = 0; j < columns; j++)
        {
            augmented[rows + j, j] = rootLambda;
        }

        var (q, r) = HouseholderQr(augmented);

        // X = R⁻¹ Q_1ᵀ (columns × rows), Q_1 the first `rows` rows of Q: back substitution per column of Q_1ᵀ.
        var x = new double[columns, rows];
        for (var col = 0; col < rows; col++)
        {
            for (var i = columns - 1; i >= 0; i--)
            {
                var sum = q[col, i];
                for (var j = i + 1; j < columns; j++)
                {
                    sum -= r[i, j] * x[j, col];
                }

                x[i, col] = sum / r[i, i];
            }
        }

        // Primal: P = X (n × m). Dual: P = Q_1 R⁻ᵀ = Xᵀ (n × m, with n = rows, m = columns). Scale back: P = 2^-e P'.
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < m; j++)
            {
                result[i, j] = Math.ScaleB(primal ? x[i, j] : x[j, i], -exponent);
            }
        }

        return result;
    }

    /// <summary>
    /// The thin Householder QR <c>M = Q R</c> of a <c>p × q</c> matrix with <c>p &gt;= q</c>: <c>Q</c> (<c>p × q</c>) with
    /// orthonormal columns and <c>R</c> (<c>q × q</c>) upper triangular. Reflections <c>H_k = I - 2vvᵀ/(vᵀv)</c> with
    /// <c>v = x - α e_1</c>, <c>α = -sign(x_1) ||x||</c> (no cancellation); a zero column is skipped (<c>H_k = I</c>).
    /// </summary>
    internal static (double[,] Q, double[,] R) HouseholderQr(double[,] matrix)
    {
        var p = matrix.GetLength(0);
        var q = matrix.GetLength(1);
        var work = (double[,])matrix.Clone();
        var vectors = new double[q][];
        for (var k = 0; k < q; k++)
        {
            var norm = 0.0;
            for (var i = k; i < p; i++)
            {
                norm += work[i, k] * work[i, k];
            }

            norm = Math.Sqrt(norm);
            if (!(norm > 0))
            {
                vectors[k] = [];
                continue;
            }

            var alpha = work[k, k] >= 0 ? -norm : norm;
            var v = new double[p - k];
            for (var i = k; i < p; i++)
            {
                v[i - k] = work[i, k];
            }

            v[0] -= alpha;
            var vv = 0.0;
            foreach (var vi in v)
            {
                vv += vi * vi;
            }

            vectors[k] = v;
            for (var j = k; j < q; j++)
            {
                var dot = 0.0;
                for (var i = k; i < p; i++)
                {
                    dot += v[i - k] * work[i, j];
                }

                var f = 2 * dot / vv;
                for (var i = k; i < p; i++)
                {
                    work[i, j] -= f * v[i - k];
                }
            }
        }

        var r = new double[q, q];
        for (var i = 0; i < q; i++)
        {
            for (var j = i; j < q; j++)
            {
                r[i, j] = work[i, j];
            }
        }

        // Q = H_0 H_1 ... H_{q-1} [I_q; 0], applied right to left.
        var thin = new double[p, q];
        for (var j = 0; j < q; j++)
        {
            thin[j, j] = 1;
        }

        for (var k = q - 1; k >= 0; k--)
        {
            var v = vectors[k];
            if (v.Length == 0)
            {
                continue;
            }

            var vv = 0.0;
            foreach (var vi in v)
            {
                vv += vi * vi;
            }

            for (var j = 0; j < q; j++)
            {
                var dot = 0.0;
                for (var i = k; i < p; i++)
                {
                    dot += v[i - k] * thin[i, j];
                }

                var f = 2 * dot / vv;
                for (var i = k; i < p; i++)
                {
                    thin[i, j] -= f * v[i - k];
                }
            }
        }

        return (thin, r);
    }
}
