using LogitRank.Analysis;
using MathNet.Numerics.LinearAlgebra;

namespace LogitRank.Tests.Analysis;

/// <summary>
/// Every public entry point of <see cref="Spectrum"/> rejects a null argument with <see cref="ArgumentNullException"/>
/// under the parameter's name.
/// </summary>
public partial class SpectrumTests
{
    /// <summary>A null matrix is named <c>matrix</c> by both <c>Compute</c> overloads and by <c>FrobeniusNorm</c>.</summary>
    [Fact]
    public void A_null_matrix_is_rejected_by_name()
    {
        Assert.Equal("matrix", Assert.Throws<ArgumentNullException>(() => Spectrum.Compute((Matrix<double>)null!)).ParamName);
        Assert.Equal("matrix", Assert.Throws<ArgumentNullException>(() => Spectrum.Compute((double[,])null!)).ParamName);
        Assert.Equal("matrix", Assert.Throws<ArgumentNullException>(() => Spectrum.FrobeniusNorm(null!)).ParamName);
    }

    /// <summary>Null options given to <c>Resolve</c> are named <c>options</c>.</summary>
    [Fact]
    public void Resolve_rejects_null_options_by_name()
    {
        Assert.Equal("options", Assert.Throws<ArgumentNullException>(() => Spectrum.Resolve(null!, 2, 2)).ParamName);
    }
}
