using LogitRank.Analysis;
using MathNet.Numerics.LinearAlgebra;

namespace LogitRank.Tests.Analysis;

public partial class SymmetricEigenvaluesTests
{
    private static double[] Reference(Matrix<double> g) => [.. g.Evd(Symmetricity.Symmetric).EigenValues.Select(c => c.Real).OrderBy(v => v)];

    private static double[] Ours(Matrix<double> g) => [.. SymmetricEigenvalues.Compute(g.ToRowMajorArray(), g.RowCount).OrderBy(v => v)];

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(3, 3)]
    [InlineData(10, 4)]
    [InlineData(57, 5)]
    [InlineData(250, 6)] // above the parallel threshold
    public void Matches_mathnet_on_random_symmetric_matrices(int n, int seed)
    {
        var b = TestMatrices.Uniform(n, n, seed);
        var g = b + b.Transpose();
        var expected = Reference(g);
        var actual = Ours(g);

        // Both are backward stable: each eigenvalue is off by at most c·n·ε·||G||₂ (≈ 1e-13·||G|| for n <= 250).
        var tolerance = 1e-11 * Math.Max(1.0, g.L2Norm());
        for (var i = 0; i < n; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance, $"λ_{i}: {actual[i]} vs {expected[i]}");
        }
    }

    [Fact]
    public void Handles_low_rank_gram_matrices_with_many_zero_eigenvalues()
    {
        var a = TestMatrices.LowRank(300, 500, 5, 2);
        var g = a * a.Transpose();
        var expected = Reference(g);
        var actual = Ours(g);
        var tolerance = 1e-11 * g.L2Norm();
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance, $"λ_{i}: {actual[i]} vs {expected[i]}");
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Handles_strongly_graded_matrices_in_either_direction(bool increasing)
    {
        // D·S·D with D = diag(10^{-8 i/n}) (or reversed): entries spanning 16 orders of magnitude.
        const int n = 120;
        var b = TestMatrices.Uniform(n, n, 9);
        var s = b + b.Transpose();
        var d = Matrix<double>.Build.DenseOfDiagonalArray([.. Enumerable.Range(0, n).Select(i => Math.Pow(10, -8.0 * (increasing ? n - 1 - i : i) / n))]);
        var g = d * s * d;
        var expected = Reference(g);
        var actual = Ours(g);
        var tolerance = 1e-11 * g.L2Norm(); // the normwise backward-stability bound, as above
        for (var i = 0; i < n; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance, $"λ_{i}: {actual[i]} vs {expected[i]}");
        }
    }

    [Fact]
    public void Diagonal_and_zero_matrices_are_exact()
    {
        Assert.Equal([-2.0, 0.0, 3.0, 5.0], Ours(Matrix<double>.Build.DenseOfDiagonalArray([3.0, -2.0, 5.0, 0.0])));
        Assert.Equal([0.0, 0.0, 0.0], Ours(Matrix<double>.Build.Dense(3, 3)));
    }
}
