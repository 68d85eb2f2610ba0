using MathNet.Numerics.LinearAlgebra;

namespace LogitRank.Analysis;

/// <summary>
/// Errors of the best rank-<c>r</c> approximation <c>A_r = Σ_{i&lt;=r} σ_i u_i v_iᵀ</c> of a matrix (Eckart–Young):
/// the relative Frobenius error curve from singular values, and the mean absolute entry error
/// <c>(1/mn) Σ_ij |A - A_r|_ij</c>, an estimate of <c>ε_avg</c> when the rows and columns are drawn as in the
/// definition of approximate logit rank.
/// </summary>
public static class LowRankError
{
    /// <summary>
    /// The relative Frobenius errors <c>e_r = sqrt(Σ_{i&gt;r} σ_i²) / ||A||_F</c>. For a complete spectrum the curve has
    /// <c>min(m,n) + 1</c> entries (<c>r = 0..min(m,n)</c>), uses <c>||A||_F² = Σ_i σ_i²</c> (so <c>e_0 = 1</c> and
    /// <c>e_{min(m,n)} = 0</c> exactly) and sums the tails from the smallest value up. For a truncated spectrum of <c>p</c>
    /// values it has <c>p + 1</c> entries with <c>e_r = sqrt(max(0, ||A||_F² - Σ_{i&lt;=r} σ_i²)) / ||A||_F</c>.
    /// The curve is non-increasing. For the zero matrix every entry is 0.
    /// </summary>
    public static IReadOnlyList<double> RelativeFrobeniusCurve(SingularValueSpectrum spectrum)
    {
        ArgumentNullException.ThrowIfNull(spectrum);
        var s = spectrum.Values;
        var p = s.Count;
        var curve = new double[p + 1];
        if (spectrum.IsComplete)
        {
            var tails = new double[p + 1];
            for (var r = p - 1; r >= 0; r--)
            {
                tails[r] = tails[r + 1] + (s[r] * s[r]);
            }

            var total = tails[0];
            for (var r = 0; r <= p; r++)
            {
                curve[r] = total == 0 ? 0.0 : Math.Sqrt(tails[r] / total);
            }

            return curve;
        }

        var norm2 = spectrum.FrobeniusNorm * spectrum.FrobeniusNorm;
        var head = 0.0;
        for (var r = 0; r <= p; r++)
        {
            curve[r] = norm2 == 0 ? 0.0 : Math.Sqrt(Math.Max(0.0, norm2 - head) / norm2);
            if (r < p)
            {
                head += s[r] * s[r];
            }

            if (r > 0)
            {
                curve[r] = Math.Min(curve[r], curve[r - 1]);
            }
        }

        return curve;
    }

    /// <summary>
    /// The mean absolute entry error <c>(1/(m n)) Σ_ij |A_ij - (A_r)_ij|</c> of the best rank-<c>r</c> approximation for each
    /// requested <c>r</c>. <c>A_r</c> is the projection of <c>A</c> onto its top <c>r</c> singular vectors of the smaller side
    /// (<c>U_r U_rᵀ A</c> when <c>m &lt;= n</c>, else <c>A V_r V_rᵀ</c>), taken from the full SVD or, for large matrices, from
    /// the eigenvectors of the smaller Gram matrix (accurate for the leading vectors; see the note on the Gram method).
    /// </summary>
    /// <remarks>
    /// The valid ranks are <c>0..min(m,n)</c>, and the behaviour at the top of that range is deliberate: the best rank-<c>r</c>
    /// approximation of a matrix of rank <c>ρ &lt;= r</c> is the matrix itself (all its singular triplets are kept), so the
    /// error is mathematically 0 for <c>r &gt;= ρ</c>; in particular for <c>r = min(m,n) &gt;= ρ</c> the method returns exactly
    /// <c>0.0</c> without computing (not a rounding residue). A rank above <c>min(m,n)</c> has no meaning (there are only
    /// <c>min(m,n)</c> singular values) and is a typed error, never a silent 0 (proofs-notes/logit-matrix-analysis.md).
    /// </remarks>
    /// <param name="matrix">An <c>m×n</c> matrix with finite entries.</param>
    /// <param name="ranks">The ranks <c>r ∈ 0..min(m,n)</c>, in any order, repeats allowed; the result is aligned with them.</param>
    /// <param name="method"><see cref="SpectrumMethod.Full"/>, <see cref="SpectrumMethod.Gram"/>, or <see cref="SpectrumMethod.Auto"/> (full SVD up to <c>min(m,n) = 256</c>, else Gram).</param>
    /// <exception cref="ArgumentOutOfRangeException">A rank is negative or above <c>min(m,n)</c>; the message names it and the range.</exception>
    /// <exception cref="ArgumentException">Empty or non-finite matrix, no ranks, or the randomized method.</exception>
    public static IReadOnlyList<double> MeanAbsoluteErrors(Matrix<double> matrix, IReadOnlyList<int> ranks, SpectrumMethod method = SpectrumMethod.Auto)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        ArgumentNullException.ThrowIfNull(ranks);
        Spectrum.ValidateMatrix(matrix, nameof(matrix));
        var m = matrix.RowCount;
        var n = matrix.ColumnCount;
        var min = Math.Min(m, n);
        if (ranks.Count == 0)
        {
            throw new ArgumentException("Expected at least one rank; got none.", nameof(ranks));
        }

        foreach (var r in ranks)
        {
            if (r < 0 || r > min)
            {
                throw new ArgumentOutOfRangeException(nameof(ranks), r, $"Rank {r} is outside 0..{min} = 0..min(m,n) for a {m}x{n} matrix (it has only {min} singular values).");
            }
        }

        if (method == SpectrumMethod.Randomized || !Enum.IsDefined(method))
        {
            throw new ArgumentException($"MeanAbsoluteErrors supports Full, Gram or Auto; got {method}.", nameof(method));
        }

        if (method == SpectrumMethod.Auto)
        {
            method = min <= new SpectrumOptions().FullSvdLimit ? SpectrumMethod.Full : SpectrumMethod.Gram;
        }

        // Computed on A·2^-e (largest entry in [1, 2)), as Spectrum does, and scaled back: exact, and the products and
        // sums below cannot overflow for entries near the top of the double range.
        var columnMajor = matrix.AsColumnMajorArray() ?? matrix.ToColumnMajorArray();
        var exponent = Spectrum.ScaleExponent(columnMajor);
        if (exponent != 0)
        {
            matrix = Matrix<double>.Build.Dense(m, n, Spectrum.ScaledCopy(columnMajor, -exponent));
        }

        // r = min(m,n) keeps every singular triplet: A_r = A exactly, so its error is 0 by definition, not by computation.
        var maxRank = ranks.Where(r => r < min).DefaultIfEmpty(0).Max();
        var errors = new Dictionary<int, double> { [0] = MeanAbs(matrix), [min] = 0.0 };
        if (maxRank > 0)
        {
            var vectors = Spectrum.TopVectorsOfSmallerSide(matrix, maxRank, method, out var left);
            var approx = Matrix<double>.Build.Dense(m, n);
            var wanted = new HashSet<int>(ranks);
            for (var r = 1; r <= maxRank; r++)
            {
                var w = vectors.Column(r - 1);
                if (left)
                {
                    // A_r = A_{r-1} + u_r (u_rᵀ A)
                    approx += w.OuterProduct(matrix.TransposeThisAndMultiply(w));
                }
                else
                {
                    // A_r = A_{r-1} + (A v_r) v_rᵀ
                    approx += (matrix * w).OuterProduct(w);
                }

                if (wanted.Contains(r))
                {
                    errors[r] = MeanAbs(matrix - approx);
                }
            }
        }

        return ranks.Select(r => Math.ScaleB(errors[r], exponent)).ToArray();
    }

    private static double MeanAbs(Matrix<double> a)
    {
        var sum = 0.0;
        foreach (var v in a.Enumerate())
        {
            sum += Math.Abs(v);
        }

        return sum / ((double)a.RowCount * a.ColumnCount);
    }
}
