using LogitRank.Numerics;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Factorization;

namespace LogitRank.Analysis;

/// <summary>
/// Singular values of a real <c>m×n</c> matrix <c>A = U Σ Vᵀ</c> (<c>σ_1 &gt;= ... &gt;= σ_{min(m,n)} &gt;= 0</c>) by a
/// chosen <see cref="SpectrumMethod"/>, and the top singular vectors of the smaller side used by
/// <see cref="LowRankError"/>.
/// </summary>
public static class Spectrum
{
    /// <summary>Computes the leading singular values of <paramref name="matrix"/>.</summary>
    /// <param name="matrix">An <c>m×n</c> matrix with <c>m, n &gt;= 1</c> and finite entries.</param>
    /// <param name="options">The method and its parameters; defaults when <see langword="null"/>.</param>
    /// <returns>The values in non-increasing order (all <c>min(m,n)</c>, or the top <see cref="SpectrumOptions.Rank"/>).</returns>
    /// <exception cref="ArgumentException">The matrix is empty or has a non-finite entry, or an option is out of range.</exception>
    public static SingularValueSpectrum Compute(Matrix<double> matrix, SpectrumOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        options ??= new SpectrumOptions();
        var columnMajor = ColumnMajor(matrix);
        var frobenius = ValidateAndNorm(columnMajor, matrix.RowCount, matrix.ColumnCount, nameof(matrix));
        ValidateOptions(options, nameof(options));
        var m = matrix.RowCount;
        var n = matrix.ColumnCount;
        var min = Math.Min(m, n);
        var wanted = Math.Min(options.Rank ?? min, min);
        var method = Resolve(options, m, n);

        // Every method is run on A·2^-e, whose largest entry is in [1, 2): the decompositions square entries (Gram
        // products, Householder norms), and unscaled entries near 1e154 overflow there (MathNet's SVD then iterates on
        // NaN without end). Scaling by a power of two is exact, singular values are homogeneous (σ(cA) = |c|σ(A)), so
        // σ_i = 2^e σ_i(A·2^-e) with no rounding of its own (see proofs-notes/logit-matrix-analysis.md).
        var exponent = ScaleExponent(columnMajor);
        var scaled = exponent == 0 ? columnMajor : ScaledCopy(columnMajor, -exponent);
        var values = method switch
        {
            SpectrumMethod.Full => FullValues(exponent == 0 ? matrix : Matrix<double>.Build.Dense(m, n, scaled)),
            SpectrumMethod.Gram => GramValues(scaled, m, n),
            _ => RandomizedValues(scaled, m, n, wanted, options),
        };

        var result = values.Take(wanted).Select(v => Math.ScaleB(v, exponent)).ToArray();
        return new SingularValueSpectrum(result, method, m, n, frobenius);
    }

    /// <summary>Computes the leading singular values of a rectangular array (see <see cref="Compute(Matrix{double}, SpectrumOptions?)"/>).</summary>
    public static SingularValueSpectrum Compute(double[,] matrix, SpectrumOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        if (matrix.GetLength(0) == 0 || matrix.GetLength(1) == 0)
        {
            throw new ArgumentException($"Expected a non-empty matrix; got {matrix.GetLength(0)}x{matrix.GetLength(1)}.", nameof(matrix));
        }

        return Compute(Matrix<double>.Build.DenseOfArray(matrix), options);
    }

    /// <summary>The method <see cref="Compute(Matrix{double}, SpectrumOptions?)"/> uses for an <c>m×n</c> matrix under <paramref name="options"/>.</summary>
    public static SpectrumMethod Resolve(SpectrumOptions options, int rowCount, int columnCount)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Method != SpectrumMethod.Auto)
        {
            return options.Method;
        }

        var min = Math.Min(rowCount, columnCount);
        if (min <= options.FullSvdLimit)
        {
            return SpectrumMethod.Full;
        }

        return options.Rank is int r && 4 * (r + options.Oversampling) <= min ? SpectrumMethod.Randomized : SpectrumMethod.Gram;
    }

    /// <summary>The Frobenius norm <c>sqrt(Σ_ij A_ij²)</c>, accumulated with rescaling so that it cannot overflow.</summary>
    public static double FrobeniusNorm(Matrix<double> matrix)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        return Norm(ColumnMajor(matrix));
    }

    /// <summary>
    /// The Gram matrix of the smaller side: <c>A Aᵀ</c> (<c>m×m</c>) when <c>m &lt;= n</c>, else <c>Aᵀ A</c> (<c>n×n</c>),
    /// computed by a blocked, vectorised, parallel kernel. Its eigenvalues are the squared singular values of <c>A</c>.
    /// </summary>
    /// <param name="matrix">The matrix <c>A</c>.</param>
    /// <param name="rowSide"><see langword="true"/> when the result is <c>A Aᵀ</c>.</param>
    public static Matrix<double> SmallerGram(Matrix<double> matrix, out bool rowSide)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        var size = Math.Min(matrix.RowCount, matrix.ColumnCount);
        var g = SmallerGramArray(ColumnMajor(matrix), matrix.RowCount, matrix.ColumnCount, out rowSide);
        return Matrix<double>.Build.Dense(size, size, g); // symmetric: row-major = column-major
    }

    /// <summary>
    /// The top <paramref name="count"/> singular vectors of the smaller side, as the columns of the returned matrix in order
    /// of non-increasing singular value: left vectors <c>u_i ∈ R^m</c> when <c>m &lt;= n</c> (<paramref name="left"/> true),
    /// else right vectors <c>v_i ∈ R^n</c>. <see cref="SpectrumMethod.Full"/> takes them from the SVD,
    /// <see cref="SpectrumMethod.Gram"/> from the eigenvectors of the smaller Gram matrix.
    /// </summary>
    internal static Matrix<double> TopVectorsOfSmallerSide(Matrix<double> matrix, int count, SpectrumMethod method, out bool left)
    {
        var m = matrix.RowCount;
        var n = matrix.ColumnCount;
        left = m <= n;

        // Singular vectors do not depend on the scale of A: decompose A·2^-e (largest entry in [1, 2)), as Compute does.
        var columnMajor = ColumnMajor(matrix);
        var exponent = ScaleExponent(columnMajor);
        if (exponent != 0)
        {
            matrix = Matrix<double>.Build.Dense(m, n, ScaledCopy(columnMajor, -exponent));
        }

        if (method == SpectrumMethod.Full)
        {
            var svd = matrix.Svd(computeVectors: true);
            return left ? svd.U.SubMatrix(0, m, 0, count) : svd.VT.SubMatrix(0, count, 0, n).Transpose();
        }

        var gram = SmallerGram(matrix, out _);
        var evd = gram.Evd(Symmetricity.Symmetric);
        var size = gram.RowCount;
        var order = Enumerable.Range(0, size).OrderByDescending(i => evd.EigenValues[i].Real).ToArray();
        var result = Matrix<double>.Build.Dense(size, count);
        for (var c = 0; c < count; c++)
        {
            result.SetColumn(c, evd.EigenVectors.Column(order[c]));
        }

        return result;
    }

    internal static void ValidateMatrix(Matrix<double> matrix, string parameterName) =>
        ValidateAndNorm(ColumnMajor(matrix), matrix.RowCount, matrix.ColumnCount, parameterName);

    /// <summary>The column-major entries: the storage itself for a dense matrix (not copied, not to be modified), else a copy.</summary>
    private static double[] ColumnMajor(Matrix<double> matrix) => matrix.AsColumnMajorArray() ?? matrix.ToColumnMajorArray();

    /// <summary>Checks that the matrix is non-empty with finite entries, and returns its Frobenius norm.</summary>
    private static double ValidateAndNorm(double[] columnMajor, int rows, int cols, string parameterName)
    {
        if (rows == 0 || cols == 0)
        {
            throw new ArgumentException($"Expected a non-empty matrix; got {rows}x{cols}.", parameterName);
        }

        for (var q = 0; q < columnMajor.Length; q++)
        {
            if (!double.IsFinite(columnMajor[q]))
            {
                throw new ArgumentException($"Entry ({q % rows},{q / rows}) = {columnMajor[q]} is not finite.", parameterName);
            }
        }

        var norm = Norm(columnMajor);
        if (!double.IsFinite(norm))
        {
            throw new ArgumentException($"The {rows}x{cols} matrix has the Frobenius norm sqrt(Σ A_ij²) > {double.MaxValue:G3} (largest |entry| {columnMajor.Max(Math.Abs):G3}): its singular values are not representable as doubles; expected a norm below {double.MaxValue:G3} (rescale the matrix).", parameterName);
        }

        return norm;
    }

    /// <summary>
    /// The exponent <c>e</c> with the largest absolute entry in <c>[2^e, 2^(e+1))</c> (0 for a zero matrix), so that
    /// <c>A·2^-e</c> has its largest entry in <c>[1, 2)</c>. Entries must be finite.
    /// </summary>
    internal static int ScaleExponent(double[] values)
    {
        var largest = 0.0;
        foreach (var v in values)
        {
            largest = Math.Max(largest, Math.Abs(v));
        }

        return largest > 0 ? Math.ILogB(largest) : 0;
    }

    /// <summary>A copy of <paramref name="values"/> multiplied by <c>2^exponent</c> (exact unless the result leaves the normal range).</summary>
    internal static double[] ScaledCopy(double[] values, int exponent)
    {
        var copy = new double[values.Length];
        for (var q = 0; q < values.Length; q++)
        {
            copy[q] = Math.ScaleB(values[q], exponent);
        }

        return copy;
    }

    private static double Norm(double[] values)
    {
        var scale = 0.0;
        foreach (var v in values)
        {
            scale = Math.Max(scale, Math.Abs(v));
        }

        if (scale == 0 || !double.IsFinite(scale))
        {
            return scale;
        }

        var inverse = 1.0 / scale;
        var sum = 0.0;
        foreach (var v in values)
        {
            var x = v * inverse;
            sum += x * x;
        }

        return scale * Math.Sqrt(sum);
    }

    private static double[] SmallerGramArray(double[] columnMajor, int m, int n, out bool rowSide)
    {
        // The kernel wants the vectors whose pairwise dot products form G as contiguous rows. Column-major storage
        // already holds the columns of A contiguously (the rows of Aᵀ); the rows of A need a transposed copy.
        rowSide = m <= n;
        return rowSide
            ? GramKernel.RowGram(GramKernel.ColumnMajorToRowMajor(columnMajor, m, n), m, n)
            : GramKernel.RowGram(columnMajor, n, m);
    }

    private static void ValidateOptions(SpectrumOptions options, string parameterName)
    {
        if (options.Rank is int r && r < 1)
        {
            throw new ArgumentOutOfRangeException(parameterName, r, $"SpectrumOptions.Rank = {r}; expected at least 1 (or null for all values).");
        }

        if (options.Oversampling < 0)
        {
            throw new ArgumentOutOfRangeException(parameterName, options.Oversampling, $"SpectrumOptions.Oversampling = {options.Oversampling}; expected at least 0.");
        }

        if (options.PowerIterations < 0)
        {
            throw new ArgumentOutOfRangeException(parameterName, options.PowerIterations, $"SpectrumOptions.PowerIterations = {options.PowerIterations}; expected at least 0.");
        }

        if (options.Method == SpectrumMethod.Randomized && options.Rank is null)
        {
            throw new ArgumentException("SpectrumMethod.Randomized needs SpectrumOptions.Rank (the number r of leading values); got null.", parameterName);
        }

        if (!Enum.IsDefined(options.Method))
        {
            throw new ArgumentOutOfRangeException(parameterName, options.Method, $"Unknown SpectrumMethod {options.Method}.");
        }
    }

    private static double[] FullValues(Matrix<double> matrix)
    {
        var s = matrix.Svd(computeVectors: false).S;
        return Sorted(s.Select(v => Math.Max(v, 0.0)));
    }

    private static double[] GramValues(double[] columnMajor, int m, int n)
    {
        var size = Math.Min(m, n);
        var gram = SmallerGramArray(columnMajor, m, n, out _);
        double[] eigenvalues;
        try
        {
            eigenvalues = SymmetricEigenvalues.Compute((double[])gram.Clone(), size);
        }
        catch (InvalidOperationException)
        {
            // The QL iteration hit its sweep limit (not seen in tests): fall back to MathNet's symmetric EVD (slower: it forms vectors).
            var evd = Matrix<double>.Build.Dense(size, size, gram).Evd(Symmetricity.Symmetric);
            eigenvalues = [.. evd.EigenValues.Select(c => c.Real)];
        }

        return Sorted(eigenvalues.Select(e => Math.Sqrt(Math.Max(e, 0.0))));
    }

    private static double[] RandomizedValues(double[] columnMajor, int m, int n, int rank, SpectrumOptions options)
    {
        var width = Math.Min(rank + options.Oversampling, Math.Min(m, n));
        var random = new Random(options.Seed);

        // Ωᵀ (width×n, row-major) with independent standard normal entries.
        var omegaT = new double[width * n];
        for (var q = 0; q < omegaT.Length; q++)
        {
            omegaT[q] = Gaussian.Next(random);
        }

        // Every product is a cross product of contiguous rows: A·M = rows(A)·colsᵀ(M) and Aᵀ·M = cols(A)·colsᵀ(M),
        // where the columns of a column-major M (its storage) are the rows of Mᵀ.
        var rows = GramKernel.ColumnMajorToRowMajor(columnMajor, m, n);
        Matrix<double> TimesA(double[] mT) => Matrix<double>.Build.Dense(m, width, GramKernel.CrossDot(rows, m, mT, width, n));
        Matrix<double> TimesAT(double[] mT) => Matrix<double>.Build.Dense(n, width, GramKernel.CrossDot(columnMajor, n, mT, width, m));

        // Range finder with re-orthonormalised subspace iteration (HMT Algorithm 4.4).
        var basis = Orthonormalize(TimesA(omegaT));
        for (var it = 0; it < options.PowerIterations; it++)
        {
            var z = Orthonormalize(TimesAT(basis.ToColumnMajorArray()));
            basis = Orthonormalize(TimesA(z.ToColumnMajorArray()));
        }

        // B = Qᵀ A (width×n) approximates the top of A's spectrum (HMT Algorithm 5.1). σ(B) = σ(Bᵀ) = σ(R) for the
        // thin QR Bᵀ = Q'R, and Bᵀ = Aᵀ Q: one more product and a width×width SVD.
        var bT = TimesAT(basis.ToColumnMajorArray());
        return FullValues(bT.QR(QRMethod.Thin).R);
    }

    private static Matrix<double> Orthonormalize(Matrix<double> y) => y.QR(QRMethod.Thin).Q;

    private static double[] Sorted(IEnumerable<double> values)
    {
        var array = values.ToArray();
        Array.Sort(array);
        Array.Reverse(array);
        return array;
    }
}
