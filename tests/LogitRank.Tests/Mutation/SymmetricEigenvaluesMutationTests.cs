using LogitRank.Analysis;

namespace LogitRank.Tests.Mutation;

/// <summary>
/// <see cref="SymmetricEigenvalues"/> on matrices whose eigenvalues are known exactly (proofs-notes/mutation.md):
/// tridiagonal Toeplitz matrices (equal diagonal entries: the QL shift starts from g = 0), a rank-one matrix with a
/// repeated eigenvalue, a row far below the others (the Householder scaling), a matrix on which a Givens rotation
/// underflows to r = 0 (the recovery branch), every 2×2 matrix of small subnormal integers, and a NaN entry (the
/// sweep limit). Tolerances come from backward stability: each computed eigenvalue is exact for a matrix within
/// c·n·ε·||A||₂ of A.
/// </summary>
public class SymmetricEigenvaluesMutationTests
{
    private const double Epsilon = 2.220446049250313e-16;

    private static double[] Tridiagonal(double[] d, double[] e)
    {
        var n = d.Length;
        var a = new double[n * n];
        for (var i = 0; i < n; i++)
        {
            a[(i * n) + i] = d[i];
            if (i + 1 < n)
            {
                a[(i * n) + i + 1] = e[i];
                a[((i + 1) * n) + i] = e[i];
            }
        }

        return a;
    }

    private static double[] Sorted(double[] a, int n) => [.. SymmetricEigenvalues.Compute(a, n).OrderBy(v => v)];

    private static void AssertClose(double[] expected, double[] actual, double tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        var sorted = expected.OrderBy(v => v).ToArray();
        for (var i = 0; i < sorted.Length; i++)
        {
            Assert.True(Math.Abs(sorted[i] - actual[i]) <= tolerance, $"λ_{i}: {actual[i]} vs exact {sorted[i]} (tolerance {tolerance})");
        }
    }

    [Theory]
    [InlineData(1e-200)]
    [InlineData(1e-160)]
    [InlineData(1e-300)]
    public void A_row_far_below_the_rest_is_reduced_without_overflow(double t)
    {
        // [[0, t, 0], [t, 0, 2], [0, 2, -3]]: the block [[0, 2], [2, -3]] has eigenvalues 1 and -4 exactly, and the
        // t-entries perturb the eigenvalues {1, -4, 0} of t = 0 by at most t (Weyl). The Householder step of the first
        // row sees ||x|| = t; unscaled, ||x||² underflowed to 0. ||A||₂ = 4, n = 3: c·n·ε·||A|| with c = 2 is 5.4e-15.
        var a = Tridiagonal([0, 0, -3], [t, 2]);
        AssertClose([-4, 0, 1], Sorted(a, 3), (2 * 3 * Epsilon * 4) + t);
    }
}
