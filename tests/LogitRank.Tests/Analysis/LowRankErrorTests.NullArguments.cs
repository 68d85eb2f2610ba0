using LogitRank.Analysis;
using MathNet.Numerics.LinearAlgebra;

namespace LogitRank.Tests.Analysis;

/// <summary>
/// <see cref="LowRankError.RelativeFrobeniusCurve"/> and <see cref="LowRankError.MeanAbsoluteErrors"/> reject a null
/// spectrum or matrix with <see cref="ArgumentNullException"/> under the parameter's name.
/// </summary>
public partial class LowRankErrorTests
{
    /// <summary>A null spectrum is named <c>spectrum</c>.</summary>
    [Fact]
    public void A_null_spectrum_is_rejected_by_name()
    {
        Assert.Equal("spectrum", Assert.Throws<ArgumentNullException>(() => LowRankError.RelativeFrobeniusCurve(null!)).ParamName);
    }

    /// <summary>A null matrix is named <c>matrix</c>, whatever the ranks.</summary>
    [Fact]
    public void A_null_matrix_is_rejected_by_name()
    {
        Assert.Equal("matrix", Assert.Throws<ArgumentNullException>(() => LowRankError.MeanAbsoluteErrors((Matrix<double>)null!, [0])).ParamName);
    }
}
