using LogitRank.Analysis;

namespace LogitRank.Tests.Analysis;

/// <summary>
/// The constructor checks of <see cref="SingularValueSpectrum"/>, each by its parameter name, and
/// <see cref="SingularValueSpectrum.Largest"/> with and without values.
/// </summary>
public partial class SingularValueSpectrumTests
{
    [Fact]
    public void Null_values_are_rejected_by_name()
    {
        Assert.Equal("values", Assert.Throws<ArgumentNullException>(() => new SingularValueSpectrum(null!, SpectrumMethod.Full, 2, 2, 1)).ParamName);
    }

    [Theory]
    [InlineData(0, 3, "rowCount")]
    [InlineData(3, 0, "columnCount")]
    [InlineData(-1, 3, "rowCount")]
    public void Row_and_column_counts_below_one_are_rejected_by_name(int rows, int columns, string name)
    {
        Assert.Equal(name, Assert.Throws<ArgumentOutOfRangeException>(() => new SingularValueSpectrum([], SpectrumMethod.Full, rows, columns, 0)).ParamName);
    }

    [Theory]
    [InlineData(-1.0)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NaN)]
    public void A_negative_or_non_finite_Frobenius_norm_is_rejected_by_name(double norm)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new SingularValueSpectrum([1.0], SpectrumMethod.Full, 2, 2, norm));
        Assert.Equal("frobeniusNorm", e.ParamName);
        Assert.Contains("finite, non-negative Frobenius norm", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Largest_is_the_first_value_or_zero_when_there_is_none()
    {
        Assert.Equal(3.0, new SingularValueSpectrum([3.0, 2.0], SpectrumMethod.Full, 2, 4, 4).Largest);
        Assert.Equal(0.0, new SingularValueSpectrum([], SpectrumMethod.Randomized, 2, 4, 4).Largest);
    }
}
