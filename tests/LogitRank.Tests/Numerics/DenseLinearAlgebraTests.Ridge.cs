using LogitRank.Numerics;
using MathNet.Numerics.LinearAlgebra;

namespace LogitRank.Tests.Numerics;

/// <content>
/// The ridge projector <c>P = (AᵀA + λI)⁻¹Aᵀ</c> (<see cref="DenseLinearAlgebra.RidgeProjector"/>) and the Householder QR
/// behind it, checked against MathNet's dense inverse and by their defining identities.
/// </content>
public partial class DenseLinearAlgebraTests
{
    private static double[,] RandomMatrix(int rows, int columns, int seed, double scale = 1.0)
    {
        var random = new Random(seed);
        var a = new double[rows, columns];
        for (var i = 0; i < rows; i++)
        {
            for (var j = 0; j < columns; j++)
            {
                a[i, j] = scale * ((2 * random.NextDouble()) - 1);
            }
        }

        return a;
    }

    /// <summary>
    /// Tall (primal QR) and wide (dual QR) matrices, ridges from 1e-6 to 10: <c>P</c> equals MathNet's
    /// <c>(AᵀA + λI)⁻¹Aᵀ</c>. Tolerance 1e-9 of the largest entry of <c>P</c>: the normal equations' condition number is
    /// at most <c>(σ_max² + λ)/λ ≈ 1e7</c> here, times rounding 1e-16.
    /// </summary>
    [Theory]
    [InlineData(7, 3, 1e-6)]
    [InlineData(7, 3, 10.0)]
    [InlineData(3, 7, 1e-6)]
    [InlineData(3, 7, 0.5)]
    [InlineData(4, 4, 1e-3)]
    [InlineData(1, 5, 0.1)]
    public void The_ridge_projector_is_the_regularised_pseudo_inverse(int rows, int columns, double lambda)
    {
        var a = RandomMatrix(rows, columns, seed: (rows * 31) + columns);
        var p = DenseLinearAlgebra.RidgeProjector(a, lambda);
        var m = Matrix<double>.Build.DenseOfArray(a);
        var expected = (m.TransposeThisAndMultiply(m) + (lambda * Matrix<double>.Build.DenseIdentity(columns))).Inverse() * m.Transpose();
        Assert.Equal(columns, p.GetLength(0));
        Assert.Equal(rows, p.GetLength(1));
        var largest = expected.Enumerate().Max(Math.Abs);
        for (var i = 0; i < columns; i++)
        {
            for (var j = 0; j < rows; j++)
            {
                Assert.Equal(expected[i, j], p[i, j], 1e-9 * largest);
            }
        }
    }

    /// <summary>
    /// Two identical columns and a ridge of 1e-12 of their squared norm: the minimum-norm solution splits the weight
    /// equally, and the projector must find that to 1e-8 relative. The normal equations would amplify rounding by
    /// <c>1/λ ≈ 1e12</c> along the null direction (MathNet's Cholesky of <c>AᵀA + λI</c> errs by 5e-6 on this instance); the
    /// QR of <c>[A; √λ I]</c> only by <c>1/√λ</c> (4e-13 here).
    /// </summary>
    [Fact]
    public void A_tiny_ridge_on_a_rank_deficient_matrix_gives_the_minimum_norm_solution()
    {
        var random = new Random(3);
        var a = new double[6, 3];
        for (var i = 0; i < 6; i++)
        {
            a[i, 0] = a[i, 1] = (2 * random.NextDouble()) - 1;
            a[i, 2] = (2 * random.NextDouble()) - 1;
        }

        var norm = Enumerable.Range(0, 6).Sum(i => a[i, 0] * a[i, 0]);
        var p = DenseLinearAlgebra.RidgeProjector(a, 1e-12 * norm);
        var b = Enumerable.Range(0, 6).Select(i => (0.7 * a[i, 0]) - (0.3 * a[i, 2])).ToArray(); // = A (0.35, 0.35, -0.3)
        var x = new double[3];
        for (var i = 0; i < 3; i++)
        {
            for (var j = 0; j < 6; j++)
            {
                x[i] += p[i, j] * b[j];
            }
        }

        Assert.Equal(0.35, x[0], 1e-8);
        Assert.Equal(0.35, x[1], 1e-8);
        Assert.Equal(-0.3, x[2], 1e-8);
    }

    /// <summary>Entries near the ends of the double range neither overflow nor underflow: <c>P(cA, c²λ) = P(A, λ)/c</c> exactly for powers of two.</summary>
    [Theory]
    [InlineData(1e150)]
    [InlineData(1e-150)]
    public void The_ridge_projector_is_scale_equivariant(double scale)
    {
        var c = Math.ScaleB(1.0, Math.ILogB(scale));
        var a = RandomMatrix(5, 3, seed: 11);
        var scaled = RandomMatrix(5, 3, seed: 11, scale: c);
        var p = DenseLinearAlgebra.RidgeProjector(a, 0.01);
        var q = DenseLinearAlgebra.RidgeProjector(scaled, 0.01 * c * c);
        for (var i = 0; i < 3; i++)
        {
            for (var j = 0; j < 5; j++)
            {
                Assert.True(double.IsFinite(q[i, j]));
                Assert.Equal(p[i, j], q[i, j] * c, 1e-12 * Math.Abs(p[i, j]) + 1e-300);
            }
        }
    }

    [Fact]
    public void The_ridge_projector_of_a_zero_or_empty_matrix_is_zero_and_a_bad_ridge_is_named()
    {
        Assert.All(DenseLinearAlgebra.RidgeProjector(new double[3, 2], 0).Cast<double>(), v => Assert.Equal(0.0, v));
        Assert.Equal(new double[2, 0], DenseLinearAlgebra.RidgeProjector(new double[0, 2], 1));
        Assert.Equal(new double[0, 3], DenseLinearAlgebra.RidgeProjector(new double[3, 0], 1));
        var a = RandomMatrix(3, 2, seed: 1);
        Assert.Contains("expected λ > 0", Assert.Throws<ArgumentOutOfRangeException>(() => DenseLinearAlgebra.RidgeProjector(a, 0)).Message, StringComparison.Ordinal);
        Assert.Equal("lambda", Assert.Throws<ArgumentOutOfRangeException>(() => DenseLinearAlgebra.RidgeProjector(a, -1)).ParamName);
        Assert.Equal("lambda", Assert.Throws<ArgumentOutOfRangeException>(() => DenseLinearAlgebra.RidgeProjector(a, double.NaN)).ParamName);
        a[1, 1] = double.PositiveInfinity;
        Assert.Equal("a", Assert.Throws<ArgumentException>(() => DenseLinearAlgebra.RidgeProjector(a, 1)).ParamName);
    }

    /// <summary>The thin QR: <c>QR = M</c>, <c>QᵀQ = I</c>, <c>R</c> upper triangular (1e-14: rounding of 6-term sums), also with a zero column.</summary>
    [Fact]
    public void Householder_qr_factors_the_matrix()
    {
        var m = RandomMatrix(6, 4, seed: 5);
        for (var i = 0; i < 6; i++)
        {
            m[i, 2] = 0; // a zero column: its reflection is skipped
        }

        var (q, r) = DenseLinearAlgebra.HouseholderQr(m);
        for (var i = 0; i < 6; i++)
        {
            for (var j = 0; j < 4; j++)
            {
                var product = 0.0;
                for (var k = 0; k < 4; k++)
                {
                    product += q[i, k] * r[k, j];
                }

                Assert.Equal(m[i, j], product, 1e-14);
            }
        }

        for (var j = 0; j < 4; j++)
        {
            for (var k = 0; k < 4; k++)
            {
                var dot = Enumerable.Range(0, 6).Sum(i => q[i, j] * q[i, k]);
                Assert.Equal(j == k ? 1.0 : 0.0, dot, 1e-14);
                if (k < j)
                {
                    Assert.Equal(0.0, r[j, k]);
                }
            }
        }
    }
}
