using MathNet.Numerics.LinearAlgebra;

namespace LogitRank.Tests.Analysis;

internal static class TestMatrices
{
    /// <summary>An m×n matrix of independent uniform entries in [-1, 1), seeded.</summary>
    public static Matrix<double> Uniform(int m, int n, int seed)
    {
        var random = new Random(seed);
        return Matrix<double>.Build.Dense(m, n, (_, _) => (2 * random.NextDouble()) - 1);
    }

    /// <summary>An exactly rank-r product B·C (B m×r, C r×n, uniform entries), seeded.</summary>
    public static Matrix<double> LowRank(int m, int n, int r, int seed) => Uniform(m, r, seed) * Uniform(r, n, seed + 1000);

    /// <summary>Singular values by MathNet's full SVD, non-increasing (the reference).</summary>
    public static double[] ReferenceSingularValues(Matrix<double> a) => [.. a.Svd(computeVectors: false).S.OrderByDescending(v => v)];
}
