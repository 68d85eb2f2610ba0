using LogitRank.Analysis;
using MathNet.Numerics.LinearAlgebra;

namespace LogitRank.Tests.Analysis;

/// <summary>
/// <see cref="SymmetricEigenvalues"/> on matrices whose eigenvalues are known exactly:
/// tridiagonal Toeplitz matrices (equal diagonal entries: the QL shift starts from g = 0), a rank-one matrix with a
/// repeated eigenvalue, a row far below the others (the Householder scaling), a matrix on which a Givens rotation
/// underflows to r = 0 (the recovery branch), every 2×2 matrix of small subnormal integers, a subnormal matrix that
/// needs exactly the 60 sweeps allowed, and a NaN entry (the sweep limit). Tolerances come from backward stability:
/// each computed eigenvalue is exact for a matrix within c·n·ε·||A||₂ of A (plus absolute multiples of the smallest
/// subnormal δ where the arithmetic is gradual underflow).
/// </summary>
public partial class SymmetricEigenvaluesTests
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
    [InlineData(2.0, -1.0)] // the second-difference matrix
    [InlineData(0.0, 1.0)] // eigenvalues in ± pairs
    [InlineData(5.0, 0.5)]
    public void Tridiagonal_toeplitz_matrices_have_the_closed_form_eigenvalues(double diagonal, double offDiagonal)
    {
        // λ_k = a + 2b·cos(kπ/(n+1)), k = 1..n. The equal diagonal entries make the first shift computation start from
        // g = (d_1 - d_0)/(2e_0) = 0. ||T||₂ <= |a| + 2|b| <= 6 and n = 40: c·n·ε·||T|| with c = 2 is 1.1e-13.
        const int n = 40;
        var a = Tridiagonal([.. Enumerable.Repeat(diagonal, n)], [.. Enumerable.Repeat(offDiagonal, n - 1)]);
        var exact = Enumerable.Range(1, n).Select(k => diagonal + (2 * offDiagonal * Math.Cos(k * Math.PI / (n + 1)))).ToArray();
        AssertClose(exact, Sorted(a, n), 2 * n * Epsilon * 6);
    }

    [Fact]
    public void A_rank_one_matrix_has_one_eigenvalue_n_and_a_repeated_zero()
    {
        // J = 1·1ᵀ (n = 30): eigenvalues n (once) and 0 (n - 1 times). ||J||₂ = 30; c = 2.
        const int n = 30;
        var a = Enumerable.Repeat(1.0, n * n).ToArray();
        var exact = Enumerable.Repeat(0.0, n - 1).Append(n).ToArray();
        AssertClose(exact, Sorted(a, n), 2 * n * Epsilon * n);
    }

    [Theory]
    [InlineData(1e-200)]
    [InlineData(1e-160)]
    [InlineData(1e-300)]
    public void A_row_far_below_the_rest_is_reduced_without_underflow(double t)
    {
        // [[0, t, 0], [t, 0, 2], [0, 2, -3]]: the block [[0, 2], [2, -3]] has eigenvalues 1 and -4 exactly, and the
        // t-entries perturb the eigenvalues {1, -4, 0} of t = 0 by at most t (Weyl). The Householder step of the first
        // row sees ||x|| = t; unscaled, ||x||² underflowed to 0. ||A||₂ = 4, n = 3: c·n·ε·||A|| with c = 2 is 5.4e-15.
        var a = Tridiagonal([0, 0, -3], [t, 2]);
        AssertClose([-4, 0, 1], Sorted(a, 3), (2 * 3 * Epsilon * 4) + t);
    }

    [Fact]
    public void A_rotation_that_underflows_to_zero_splits_the_matrix_and_the_iteration_recovers()
    {
        // T = tridiag(d = [0, 0, 0, a], e = [1, δ, b]) with a = -2^60, b = 2^33 and δ = 2^-1074, the smallest subnormal.
        // In the first QL sweep the rotation of the last pair gives c = -1 exactly and g = 0; the next one sees
        // f = s·δ = 0 and g = 0, so r = hypot(0, 0) = 0: the "underflow, the matrix splits" branch. Up to δ (Weyl) the
        // eigenvalues are ±1 (the block [[0, 1], [1, 0]]) and (a ± sqrt(a² + 4b²))/2 (the block [[0, b], [b, a]]).
        // ||T||₂ <= 2^60 + 2^34, n = 4: c·n·ε·||T|| with c = 2 (the small eigenvalues are checked only to that level).
        var a = -Math.Pow(2, 60);
        var b = Math.Pow(2, 33);
        var t = Tridiagonal([0, 0, 0, a], [1, double.Epsilon, b]);
        var large = (a / 2) - Math.Sqrt((a * a / 4) + (b * b));
        var small = -b * b / large; // the product of the two eigenvalues of [[0, b], [b, a]] is -b²
        var actual = Sorted(t, 4);
        Assert.All(actual, v => Assert.True(double.IsFinite(v), $"{v} is not finite"));
        AssertClose([large, -1, 1, small], actual, 2 * 4 * Epsilon * (-a + (2 * b)));
    }

    [Fact]
    public void Every_2x2_matrix_of_small_subnormal_integers_converges_to_its_rounded_eigenvalues()
    {
        // A = δ·[[p, q], [q, r]] with δ = 2^-1074 and p, q, r in -12..12 (15 625 matrices): the arithmetic is gradual
        // underflow, exact up to an absolute δ/2 per operation. The exact eigenvalues are δ times those of the integer
        // matrix B (computed in the normal range, relative error ~ε); each computed value comes out of a few additions
        // and a square root rounded to multiples of δ, so it is within 2δ of the exact one. The QL shift must keep the
        // iteration converging on all of them (a 2×2 block needs one sweep with the right shift).
        var delta = double.Epsilon;
        for (var p = -12; p <= 12; p++)
        {
            for (var q = -12; q <= 12; q++)
            {
                for (var r = -12; r <= 12; r++)
                {
                    var actual = Sorted([p * delta, q * delta, q * delta, r * delta], 2);
                    var mean = (p + r) / 2.0;
                    var radius = Math.Sqrt((((p - r) / 2.0) * ((p - r) / 2.0)) + (q * (double)q));
                    var (lower, upper) = (actual[0] / delta, actual[1] / delta); // exact: subnormals are integer multiples of δ
                    Assert.True(Math.Abs(lower - (mean - radius)) <= 2 && Math.Abs(upper - (mean + radius)) <= 2, $"[[{p}, {q}], [{q}, {r}]]·δ: ({lower}, {upper})·δ vs ({mean - radius}, {mean + radius})·δ");
                }
            }
        }
    }

    [Fact]
    public void A_matrix_that_needs_all_60_sweeps_still_converges()
    {
        // T = δ·tridiag(d = [-190541, 178151, 136226], e = [-99708, 131437]), δ = 2^-1074: in gradual underflow the
        // rotations are rounded to absolute multiples of δ and the first eigenvalue takes exactly 60 sweeps (found by a
        // search over such matrices; IEEE 754 fixes every bit of it). The 60th sweep is allowed. Reference: δ times the
        // eigenvalues of the integer matrix (MathNet, normal range). Each sweep may leave an absolute error of about δ in
        // each entry: 60δ.
        double[] d = [-190541, 178151, 136226];
        double[] e = [-99708, 131437];
        var delta = double.Epsilon;
        var actual = Sorted(Tridiagonal([.. d.Select(v => v * delta)], [.. e.Select(v => v * delta)]), 3);
        var integer = Matrix<double>.Build.DenseOfArray(new double[,] { { d[0], e[0], 0 }, { e[0], d[1], e[1] }, { 0, e[1], d[2] } });
        var exact = integer.Evd(Symmetricity.Symmetric).EigenValues.Select(c => c.Real).OrderBy(v => v).ToArray();
        for (var i = 0; i < 3; i++)
        {
            Assert.True(Math.Abs((actual[i] / delta) - exact[i]) <= 60, $"λ_{i}: {actual[i] / delta}·δ vs {exact[i]}·δ");
        }
    }

    [Fact]
    public void An_iteration_that_cannot_converge_stops_at_the_sweep_limit()
    {
        // A NaN off-diagonal entry never passes the convergence test |e_m| <= ε(|d_m| + |d_m+1|): after 60 sweeps the
        // iteration gives up with InvalidOperationException (Spectrum then falls back to MathNet) instead of looping.
        var a = new[] { 1.0, double.NaN, double.NaN, 2.0 };
        var e = Assert.Throws<InvalidOperationException>(() => SymmetricEigenvalues.Compute(a, 2));
        Assert.Contains("did not converge", e.Message, StringComparison.Ordinal);
        Assert.Contains("after 60 sweeps", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_permuted_diagonal_with_repeated_values_is_exact()
    {
        // P·diag(3, 3, -1, 3, 0)·Pᵀ for a permutation P is diagonal again: no rotation is needed and the values are exact.
        var values = new[] { 3.0, 3.0, -1.0, 3.0, 0.0 };
        int[] permutation = [3, 0, 4, 1, 2];
        var d = Matrix<double>.Build.DenseOfDiagonalArray([.. permutation.Select(i => values[i])]);
        Assert.Equal(values.OrderBy(v => v), Sorted(d.ToRowMajorArray(), 5));
    }
}
