namespace LogitRank.Analysis;

/// <summary>
/// Leading singular values <c>σ_1 &gt;= σ_2 &gt;= ... &gt;= 0</c> of an <c>m×n</c> matrix <c>A</c> (index 0 of
/// <see cref="Values"/> holds <c>σ_1</c>), with the Frobenius norm <c>||A||_F</c> computed directly from the entries.
/// </summary>
public sealed record SingularValueSpectrum
{
    private readonly double[] _values;

    /// <summary>Creates a spectrum (the values are copied; they must be finite, non-negative and non-increasing).</summary>
    /// <param name="values">The leading singular values in non-increasing order, at most <c>min(m,n)</c> of them.</param>
    /// <param name="method">The method that produced them.</param>
    /// <param name="rowCount">The number of rows <c>m &gt;= 1</c>.</param>
    /// <param name="columnCount">The number of columns <c>n &gt;= 1</c>.</param>
    /// <param name="frobeniusNorm">The Frobenius norm <c>||A||_F &gt;= 0</c>.</param>
    /// <exception cref="ArgumentException">A value is negative, non-finite or out of order, or there are too many.</exception>
    public SingularValueSpectrum(IReadOnlyList<double> values, SpectrumMethod method, int rowCount, int columnCount, double frobeniusNorm)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentOutOfRangeException.ThrowIfLessThan(rowCount, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(columnCount, 1);
        if (values.Count > Math.Min(rowCount, columnCount))
        {
            throw new ArgumentException($"Got {values.Count} singular values; an {rowCount}x{columnCount} matrix has at most {Math.Min(rowCount, columnCount)}.", nameof(values));
        }

        if (!(frobeniusNorm >= 0) || !double.IsFinite(frobeniusNorm))
        {
            throw new ArgumentOutOfRangeException(nameof(frobeniusNorm), frobeniusNorm, "Expected a finite, non-negative Frobenius norm.");
        }

        _values = SingularValues.Validate(values, nameof(values));
        Method = method;
        RowCount = rowCount;
        ColumnCount = columnCount;
        FrobeniusNorm = frobeniusNorm;
    }

    /// <summary>The leading singular values, non-increasing; index <c>i</c> holds <c>σ_{i+1}</c>.</summary>
    public IReadOnlyList<double> Values => _values;

    /// <summary>The method that produced the values (never <see cref="SpectrumMethod.Auto"/> when built by <see cref="Spectrum"/>).</summary>
    public SpectrumMethod Method { get; }

    /// <summary>The number of rows <c>m</c>.</summary>
    public int RowCount { get; }

    /// <summary>The number of columns <c>n</c>.</summary>
    public int ColumnCount { get; }

    /// <summary>The Frobenius norm <c>||A||_F = sqrt(Σ_ij A_ij²)</c>, computed from the entries.</summary>
    public double FrobeniusNorm { get; }

    /// <summary>Whether all <c>min(m,n)</c> singular values are present.</summary>
    public bool IsComplete => _values.Length == Math.Min(RowCount, ColumnCount);

    /// <summary>The largest singular value <c>σ_1</c> (0 when no value is present).</summary>
    public double Largest => _values.Length > 0 ? _values[0] : 0.0;
}

/// <summary>Validation shared by the analysis types that take a list of singular values.</summary>
internal static class SingularValues
{
    /// <summary>Copies <paramref name="values"/> after checking that they are finite, non-negative and non-increasing.</summary>
    public static double[] Validate(IReadOnlyList<double> values, string parameterName)
    {
        ArgumentNullException.ThrowIfNull(values, parameterName);
        var copy = values.ToArray();
        for (var i = 0; i < copy.Length; i++)
        {
            if (!double.IsFinite(copy[i]) || copy[i] < 0)
            {
                throw new ArgumentException($"Singular value σ_{i + 1} = {copy[i]} is not finite and non-negative.", parameterName);
            }

            if (i > 0 && copy[i] > copy[i - 1])
            {
                throw new ArgumentException($"Singular values must be non-increasing; σ_{i + 1} = {copy[i]} > σ_{i} = {copy[i - 1]}.", parameterName);
            }
        }

        return copy;
    }
}
