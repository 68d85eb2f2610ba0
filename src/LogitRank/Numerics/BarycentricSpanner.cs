namespace LogitRank.Numerics;

/// <summary>
/// The result of <see cref="BarycentricSpanner.Select"/>: indices of selected rows such that every input row is a
/// linear combination of them with all coefficients in <c>[-β, β]</c>.
/// </summary>
/// <param name="Selected">Indices (into the input list) of the selected rows, in the order of the basis.</param>
/// <param name="Coefficients"><c>Coefficients[i][j]</c>: coefficient of selected row <c>j</c> in the representation of input row <c>i</c> (least squares in the span of the selection; a selected row gets its unit vector).</param>
/// <param name="MaxCoefficient">The largest <c>|Coefficients[i][j]|</c> (0 when nothing is selected); at most <c>β</c> unless <see cref="StoppedEarly"/>.</param>
/// <param name="MaxRepresentationError">The largest <c>||row_i - Σ_j c_ij row_{Selected[j]}||_∞</c>, recomputed from the input rows (rows outside the numerical span show here).</param>
/// <param name="Swaps">The number of basis exchanges performed.</param>
public sealed record SpannerResult(IReadOnlyList<int> Selected, IReadOnlyList<double[]> Coefficients, double MaxCoefficient, double MaxRepresentationError, int Swaps)
{
    /// <summary>
    /// <see langword="true"/> when the exchange loop stopped before every coefficient was within <c>[-β, β]</c>: the
    /// swap cap was reached (see <see cref="BarycentricSpanner.Select"/>) or the selection became numerically
    /// singular. <see cref="MaxCoefficient"/> then reports how far from a <c>β</c>-spanner the selection is.
    /// </summary>
    public bool StoppedEarly { get; init; }
}

/// <summary>
/// A <c>β</c>-approximate barycentric spanner (Awerbuch–Kleinberg) of a finite set of row vectors, by basis exchange
/// (ALGORITHM.md section 3, SPANNER).
/// </summary>
/// <remarks>
/// <para>
/// Method (see <c>proofs-notes/barycentric-spanner.md</c>). (1) Greedy start: repeatedly select the row with the
/// largest Euclidean residual against the span of the rows selected so far (ties: smallest index), orthonormalising
/// (modified Gram–Schmidt with one re-orthogonalisation pass), until the largest residual is at most
/// <c>max(rankTolerance, 10^-13) · max_i ||row_i||_2</c>; the number selected is the numerical rank <c>d</c>. (2) Coordinates:
/// every row is replaced by its <c>d</c> coordinates in the orthonormal basis <c>Q</c> of that span, so the rest
/// costs <c>O(N d²)</c> per exchange whatever the row length. (3) Exchange: with <c>S</c> the <c>d×d</c> matrix of the
/// selected coordinates and <c>c_i</c> solving <c>S^T c_i = z_i</c>, while some <c>|c_ij| &gt; β</c>, the largest
/// such entry (ties: smallest <c>i</c>, then smallest <c>j</c>) swaps row <c>i</c> into position <c>j</c>. Each swap
/// multiplies <c>|det S|</c> by <c>|c_ij| &gt; β</c> (Cramer's rule), and <c>|det S|</c> is bounded (Hadamard), so the loop
/// ends; a cap of <c>⌈Σ_k log_β(max_i ||z_i|| / ρ_k)⌉ + 2d + 16</c> swaps (<c>ρ_k</c> the greedy residual norms, the
/// first term the determinant bound) guards against rounding.
/// </para>
/// <para>Deterministic: sequential arithmetic in a fixed order, so the same input gives a bit-identical result.</para>
/// </remarks>
public static class BarycentricSpanner
{
    /// <summary>
    /// The smallest relative rank tolerance used (<c>10^-13</c>, 10 times the singularity threshold of the LU
    /// factorisation): a row selected with a smaller relative residual would make the selected coordinate matrix
    /// numerically singular, so a smaller <c>rankTolerance</c> (including 0) acts as this value.
    /// </summary>
    internal const double MinimumRankTolerance = 10 * Tolerances.SingularPivot;

    /// <summary>Selects a <paramref name="beta"/>-approximate barycentric spanner of <paramref name="rows"/>.</summary>
    /// <param name="rows">The row vectors, all of the same length (possibly zero rows, duplicates, an empty list).</param>
    /// <param name="beta">The coefficient bound <c>β &gt; 1</c> (the learner uses 2).</param>
    /// <param name="rankTolerance">Relative numerical-rank tolerance in <c>[0, 1)</c>: a row whose residual against the current span is at most <c>max(rankTolerance, 10^-13) · max row norm</c> counts as dependent (below the floor the selected rows would be numerically singular).</param>
    /// <returns>The selection (empty when every row is zero or the list is empty), coefficients for every input row and the a posteriori checks.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="rows"/> or one of its rows is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">Rows differ in length or hold a non-finite entry (the message names it).</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="beta"/> is not a finite number above 1, or <paramref name="rankTolerance"/> is outside <c>[0, 1)</c>.</exception>
    public static SpannerResult Select(IReadOnlyList<double[]> rows, double beta = 2.0, double rankTolerance = Tolerances.SpannerRank) =>
        SelectWithCap(rows, beta, rankTolerance, swapCapOverride: null);

    /// <summary>
    /// <see cref="Select"/> with the swap cap replaced by
    /// <paramref name="swapCapOverride"/> when it is not <see langword="null"/> (tests reach the cap with it; the public
    /// entry point always uses <see cref="SwapCap"/>), and the solve after each exchange replaced by
    /// <paramref name="exchangeSolve"/> when it is not <see langword="null"/>. An exchange multiplies <c>|det S|</c> by
    /// <c>|c| &gt; β</c>, so in exact arithmetic the exchanged selection is never singular; whether an LU pivot of
    /// <see cref="Solve"/> can still fall below its threshold is not proved for <c>d &gt;= 3</c>, so the loop keeps a
    /// defensive exit (the previous selection, <see cref="SpannerResult.StoppedEarly"/>), which tests reach through
    /// <paramref name="exchangeSolve"/>.
    /// </summary>
    internal static SpannerResult SelectWithCap(IReadOnlyList<double[]> rows, double beta, double rankTolerance, int? swapCapOverride, Func<double[][], List<int>, double[][]?>? exchangeSolve = null)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (!(beta > 1) || !double.IsFinite(beta))
        {
            throw new ArgumentOutOfRangeException(nameof(beta), beta, "Expected a finite coefficient bound β > 1.");
        }

        if (!(rankTolerance >= 0 && rankTolerance < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(rankTolerance), rankTolerance, "Expected a relative rank tolerance in [0, 1).");
        }

        var count = rows.Count;
        var length = count == 0 ? 0 : (rows[0] ?? throw new ArgumentNullException(nameof(rows), "Row 0 is null.")).Length;
        for (var i = 0; i < count; i++)
        {
            var row = rows[i] ?? throw new ArgumentNullException(nameof(rows), $"Row {i} is null.");
            if (row.Length != length)
            {
                throw new ArgumentException($"Row {i} has length {row.Length}; expected {length} (the length of row 0).", nameof(rows));
            }

            for (var j = 0; j < length; j++)
            {
                if (!double.IsFinite(row[j]))
                {
                    throw new ArgumentException($"rows[{i}][{j}] is {row[j]}; every entry must be finite.", nameof(rows));
                }
            }
        }

        // The greedy selection squares entries, which underflows (|entry| around 1e-160) or overflows (1e160) far inside
        // the range of finite input. Everything below is scale-free, and scaling by a power of two is exact, so the
        // selection runs on rows scaled to a largest entry in [1, 2): bit for bit the result of the unscaled rows
        // wherever those squares stay in the normal range. The representation error is measured on the input rows.
        var work = ScaledToUnitRange(rows, length);
        var (selected, basis, residualNorms) = GreedyIndependentSet(work, length, rankTolerance);
        var z = Coordinates(work, basis);

        var swapCap = swapCapOverride ?? SwapCap(z, residualNorms, beta);

        var swaps = 0;
        var stoppedEarly = false;
        var coefficients = Solve(z, selected) ?? throw new InvalidOperationException("The greedy selection is numerically singular; this contradicts its construction.");
        while (true)
        {
            var (bi, bj, bv) = LargestCoefficient(coefficients);
            if (!(bv > beta))
            {
                break;
            }

            if (swaps >= swapCap)
            {
                stoppedEarly = true;
                break;
            }

            var previous = selected[bj];
            selected[bj] = bi;
            var next = exchangeSolve is null ? Solve(z, selected) : exchangeSolve(z, selected);
            if (next is null)
            {
                selected[bj] = previous;
                stoppedEarly = true;
                break;
            }

            coefficients = next;
            swaps++;
        }

        var maxCoefficient = LargestCoefficient(coefficients).Value;
        var maxError = RepresentationError(rows, selected, coefficients, length);
        var result = new SpannerResult(selected.ToArray(), coefficients, maxCoefficient, maxError, swaps) { StoppedEarly = stoppedEarly };

        // Runtime contract (proofs-notes/runtime-contracts.md): O(N · length), below the cost of the representation error.
        // It is checked on the rows the selection ran on: on scaled rows its norms neither underflow nor overflow.
        Contracts.CheckSpanner(ReferenceEquals(work, rows) ? result : result with { MaxRepresentationError = RepresentationError(work, selected, coefficients, length) }, work, beta, rankTolerance);
        return result;
    }

    /// <summary>
    /// The cap on basis exchanges: <c>⌈Σ_k log_β(max(1, max_i ||z_i||_2 / ρ_k))⌉ + 2d + 16</c> with <c>d</c> the number of
    /// greedy residual norms <c>ρ_k</c>. The first term bounds the swaps in exact arithmetic: the greedy start has
    /// <c>|det S| = Π_k ρ_k</c> (its coordinates are triangular with diagonal <c>ρ_k</c>), every swap multiplies
    /// <c>|det S|</c> by more than <c>β</c>, and Hadamard's inequality bounds <c>|det S| &lt;= (max_i ||z_i||)^d</c>. The
    /// <c>max(1, ·)</c> guards a rounding <c>ρ_k</c> slightly above the largest norm; the first term is clamped to
    /// <c>int.MaxValue / 2</c> so that the sum cannot overflow.
    /// </summary>
    /// <param name="coordinates">The coordinates <c>z_i</c> of every row in the orthonormal basis of the greedy span.</param>
    /// <param name="residualNorms">The greedy residual norms <c>ρ_k &gt; 0</c>, one per selected row.</param>
    /// <param name="beta">The coefficient bound <c>β &gt; 1</c>.</param>
    internal static int SwapCap(IReadOnlyList<double[]> coordinates, IReadOnlyList<double> residualNorms, double beta)
    {
        var maxCoordinateNorm = 0.0;
        foreach (var zi in coordinates)
        {
            maxCoordinateNorm = Math.Max(maxCoordinateNorm, Norm(zi));
        }

        var determinantBound = 0.0;
        foreach (var rho in residualNorms)
        {
            determinantBound += Math.Log(Math.Max(1.0, maxCoordinateNorm / rho)) / Math.Log(beta);
        }

        return (int)Math.Min(int.MaxValue / 2, Math.Ceiling(determinantBound)) + (2 * residualNorms.Count) + 16;
    }

    /// <summary>
    /// Greedy maximal independent subset: the row of largest residual norm joins while that norm exceeds
    /// <c>rankTolerance · max ||row_i||_2</c>. Returns the indices, the orthonormal basis of their span (in selection
    /// order) and the residual norm of each selected row at selection time.
    /// </summary>
    internal static (List<int> Selected, List<double[]> Basis, List<double> ResidualNorms) GreedyIndependentSet(IReadOnlyList<double[]> rows, int length, double rankTolerance)
    {
        var count = rows.Count;
        var residuals = new double[count][];
        var norms = new double[count];
        var maxNorm = 0.0;
        for (var i = 0; i < count; i++)
        {
            residuals[i] = (double[])rows[i].Clone();
            norms[i] = Norm(residuals[i]);
            maxNorm = Math.Max(maxNorm, norms[i]);
        }

        var selected = new List<int>();
        var basis = new List<double[]>();
        var residualNorms = new List<double>();
        // With the floor, every greedy residual norm exceeds 1e-13 · max ||row||; the selected coordinates form a
        // triangular matrix whose entries right of the diagonal are at most the diagonal entry of their row (largest
        // residual first), so the LU pivots are these residual norms up to rounding and stay above its 1e-14 threshold
        // (the rounding of the k earlier eliminations moves a pivot by about k · 1e-16 · max ||row||).
        var threshold = Math.Max(rankTolerance, MinimumRankTolerance) * maxNorm;
        var isSelected = new bool[count];
        while (basis.Count < length)
        {
            var best = -1;
            for (var i = 0; i < count; i++)
            {
                if (!isSelected[i] && (best < 0 || norms[i] > norms[best]))
                {
                    best = i;
                }
            }

            if (best < 0 || !(norms[best] > threshold) || norms[best] == 0)
            {
                break;
            }

            // Re-orthogonalise the chosen residual once more against the basis (twice is enough), then normalise.
            var q = residuals[best];
            foreach (var e in basis)
            {
                var dot = Dot(q, e);
                for (var k = 0; k < length; k++)
                {
                    q[k] -= dot * e[k];
                }
            }

            var qn = Norm(q);
            if (!(qn > threshold) || qn == 0)
            {
                break;
            }

            for (var k = 0; k < length; k++)
            {
                q[k] /= qn;
            }

            isSelected[best] = true;
            selected.Add(best);
            basis.Add(q);
            residualNorms.Add(qn);
            for (var i = 0; i < count; i++)
            {
                if (isSelected[i])
                {
                    continue;
                }

                var r = residuals[i];
                var dot = Dot(r, q);
                if (dot != 0)
                {
                    for (var k = 0; k < length; k++)
                    {
                        r[k] -= dot * q[k];
                    }
                }

                norms[i] = Norm(r);
            }
        }

        return (selected, basis, residualNorms);
    }

    /// <summary>
    /// The rows multiplied by the power of two <c>2^-e</c> that brings the largest absolute entry into <c>[1, 2)</c>
    /// (exact); the rows themselves when that factor is 1 or every entry is 0.
    /// </summary>
    private static IReadOnlyList<double[]> ScaledToUnitRange(IReadOnlyList<double[]> rows, int length)
    {
        var largest = 0.0;
        foreach (var row in rows)
        {
            for (var j = 0; j < length; j++)
            {
                largest = Math.Max(largest, Math.Abs(row[j]));
            }
        }

        var exponent = largest > 0 ? Math.ILogB(largest) : 0;
        if (exponent == 0)
        {
            return rows;
        }

        var scaled = new double[rows.Count][];
        for (var i = 0; i < rows.Count; i++)
        {
            scaled[i] = new double[length];
            for (var j = 0; j < length; j++)
            {
                scaled[i][j] = Math.ScaleB(rows[i][j], -exponent);
            }
        }

        return scaled;
    }

    /// <summary>The coordinates <c>z_i = Q row_i</c> of every row in the orthonormal basis.</summary>
    private static double[][] Coordinates(IReadOnlyList<double[]> rows, List<double[]> basis)
    {
        var z = new double[rows.Count][];
        for (var i = 0; i < rows.Count; i++)
        {
            z[i] = new double[basis.Count];
            for (var j = 0; j < basis.Count; j++)
            {
                z[i][j] = Dot(rows[i], basis[j]);
            }
        }

        return z;
    }

    /// <summary>Solves <c>S^T c_i = z_i</c> for every row (<c>S</c>: the selected coordinates); <see langword="null"/> when <c>S</c> is numerically singular (internal for tests).</summary>
    internal static double[][]? Solve(double[][] z, List<int> selected)
    {
        var d = selected.Count;
        var lu = new double[d, d];
        for (var r = 0; r < d; r++)
        {
            for (var c = 0; c < d; c++)
            {
                lu[r, c] = z[selected[c]][r];
            }
        }

        var permutation = new int[d];
        if (!DenseLinearAlgebra.TryLuDecompose(lu, permutation))
        {
            return null;
        }

        var position = new Dictionary<int, int>(d);
        for (var j = 0; j < d; j++)
        {
            position[selected[j]] = j;
        }

        var coefficients = new double[z.Length][];
        for (var i = 0; i < z.Length; i++)
        {
            coefficients[i] = new double[d];
            if (position.TryGetValue(i, out var j))
            {
                coefficients[i][j] = 1.0;
            }
            else
            {
                DenseLinearAlgebra.LuSolve(lu, permutation, z[i], coefficients[i]);
            }
        }

        return coefficients;
    }

    /// <summary>The entry of largest magnitude (first in row-major order on ties).</summary>
    private static (int Row, int Column, double Value) LargestCoefficient(double[][] coefficients)
    {
        var (bi, bj, bv) = (-1, -1, 0.0);
        for (var i = 0; i < coefficients.Length; i++)
        {
            for (var j = 0; j < coefficients[i].Length; j++)
            {
                var v = Math.Abs(coefficients[i][j]);
                if (v > bv)
                {
                    (bi, bj, bv) = (i, j, v);
                }
            }
        }

        return (bi, bj, bv);
    }

    private static double RepresentationError(IReadOnlyList<double[]> rows, List<int> selected, double[][] coefficients, int length)
    {
        var worst = 0.0;
        var combination = new double[length];
        for (var i = 0; i < rows.Count; i++)
        {
            Array.Clear(combination);
            for (var j = 0; j < selected.Count; j++)
            {
                var c = coefficients[i][j];
                if (c == 0)
                {
                    continue;
                }

                var s = rows[selected[j]];
                for (var k = 0; k < length; k++)
                {
                    combination[k] += c * s[k];
                }
            }

            var row = rows[i];
            for (var k = 0; k < length; k++)
            {
                worst = Math.Max(worst, Math.Abs(row[k] - combination[k]));
            }
        }

        return worst;
    }

    private static double Dot(double[] x, double[] y)
    {
        var s = 0.0;
        for (var k = 0; k < x.Length; k++)
        {
            s += x[k] * y[k];
        }

        return s;
    }

    private static double Norm(double[] x) => Math.Sqrt(Dot(x, x));
}
