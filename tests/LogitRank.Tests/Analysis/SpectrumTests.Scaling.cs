using LogitRank.Analysis;
using MathNet.Numerics.LinearAlgebra;

namespace LogitRank.Tests.Analysis;

/// <summary>
/// The power-of-two scaling behind <see cref="Spectrum"/>: the scale exponent puts the largest entry in <c>[1, 2)</c>
/// and is 0 for a zero matrix, and the top singular vectors of the smaller side do not depend on the scale of the
/// matrix, even where the unscaled products underflow.
/// </summary>
public partial class SpectrumTests
{
    /// <summary>
    /// The exponent <c>e</c> has the largest absolute entry in <c>[2^e, 2^(e+1))</c>, and it is 0 for a zero (or empty)
    /// matrix, which has no largest entry to scale.
    /// </summary>
    [Fact]
    public void The_scale_exponent_brackets_the_largest_entry_and_is_zero_for_a_zero_matrix()
    {
        Assert.Equal(0, Spectrum.ScaleExponent([0.0, 0.0, -0.0]));
        Assert.Equal(0, Spectrum.ScaleExponent([]));
        Assert.Equal(0, Spectrum.ScaleExponent([1.0, -0.5]));
        Assert.Equal(-1, Spectrum.ScaleExponent([0.75, 0.0]));
        Assert.Equal(1, Spectrum.ScaleExponent([0.5, -3.0]));
        Assert.Equal(-1074, Spectrum.ScaleExponent([double.Epsilon]));
    }

    /// <summary>
    /// The top vectors of <c>A·2^-600</c> (entries near 1e-181, whose products underflow to 0) are those of <c>A</c>, bit
    /// for bit: both are computed on the same <c>A·2^-e</c>, whose largest entry is in <c>[1, 2)</c>. They are the
    /// singular vectors of <c>A</c>: each agrees with MathNet's SVD of <c>A</c> up to sign within 1e-10 (the leading
    /// singular values of a random 8×11 matrix are separated by far more than the ~1e-15 rounding, so the vectors are
    /// well conditioned; the Gram method squares the conditioning, still far below 1e-10 here).
    /// </summary>
    [Theory]
    [InlineData(SpectrumMethod.Full)]
    [InlineData(SpectrumMethod.Gram)]
    public void Top_vectors_do_not_depend_on_the_scale_even_where_products_underflow(SpectrumMethod method)
    {
        var a = TestMatrices.Uniform(8, 11, 17);
        var tiny = a * Math.ScaleB(1.0, -600);
        var reference = Spectrum.TopVectorsOfSmallerSide(a, 3, method, out var left);
        var scaled = Spectrum.TopVectorsOfSmallerSide(tiny, 3, method, out var scaledLeft);
        Assert.True(left);
        Assert.True(scaledLeft);
        Assert.Equal(reference.ToColumnMajorArray(), scaled.ToColumnMajorArray());

        var u = a.Svd(computeVectors: true).U;
        for (var i = 0; i < 3; i++)
        {
            var cosine = Math.Abs(scaled.Column(i).DotProduct(u.Column(i)));
            Assert.True(Math.Abs(cosine - 1) <= 1e-10, $"u_{i + 1}: |cos| = {cosine}");
        }
    }
}
