using LogitRank.Analysis;
using LogitRank.Tests.Analysis;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Factorization;

namespace LogitRank.Tests.Analysis;

/// <summary>
/// <see cref="LowRankError.RelativeFrobeniusCurve"/> against its closed form <c>sqrt(Σ_{i&gt;r} σ_i² / ||M||_F²)</c>
///: from a complete spectrum the tails are summed directly; from a truncated one the
/// Frobenius norm supplies the total; a zero matrix gives the zero curve. <see cref="LowRankError.MeanAbsoluteErrors"/>:
/// the null check, rank 0 alone, square matrices, the full SVD kept for a spectrum that the Gram matrix cannot resolve,
/// and the Auto choice at the 256 limit (the same numbers as the method it stands for, bit for bit).
/// </summary>
public partial class LowRankErrorTests
{
    [Fact]
    public void Complete_spectrum_gives_the_relative_tail_norms()
    {
        var curve = LowRankError.RelativeFrobeniusCurve(new SingularValueSpectrum([3.0, 2.0, 1.0], SpectrumMethod.Full, 3, 3, Math.Sqrt(14.0)));
        Assert.Equal([1.0, Math.Sqrt(5.0 / 14), Math.Sqrt(1.0 / 14), 0.0], curve.ToArray(), (x, y) => Math.Abs(x - y) <= 1e-15);
    }

    [Fact]
    public void Truncated_spectrum_takes_the_total_from_the_Frobenius_norm()
    {
        var curve = LowRankError.RelativeFrobeniusCurve(new SingularValueSpectrum([3.0, 2.0], SpectrumMethod.Gram, 3, 3, Math.Sqrt(14.0)));
        Assert.Equal([1.0, Math.Sqrt(5.0 / 14), Math.Sqrt(1.0 / 14)], curve.ToArray(), (x, y) => Math.Abs(x - y) <= 1e-15);
    }

    [Fact]
    public void A_zero_matrix_has_the_zero_curve()
    {
        var curve = LowRankError.RelativeFrobeniusCurve(new SingularValueSpectrum([0.0], SpectrumMethod.Gram, 2, 2, 0.0));
        Assert.Equal([0.0, 0.0], curve.ToArray());
    }

    [Fact]
    public void Null_ranks_are_rejected_by_name()
    {
        var a = TestMatrices.Uniform(3, 4, 1);
        Assert.Equal("ranks", Assert.Throws<ArgumentNullException>(() => LowRankError.MeanAbsoluteErrors(a, null!)).ParamName);
    }

    [Theory]
    [InlineData(SpectrumMethod.Full)]
    [InlineData(SpectrumMethod.Gram)]
    [InlineData(SpectrumMethod.Auto)]
    public void Rank_zero_alone_is_the_mean_absolute_entry(SpectrumMethod method)
    {
        var a = TestMatrices.Uniform(5, 7, 2);
        Assert.Equal([LowRankErrorTests.MeanAbs(a)], LowRankError.MeanAbsoluteErrors(a, [0, 0], method).Distinct()); // A_0 = 0, summed the same way
    }

    [Theory]
    [InlineData(SpectrumMethod.Full)]
    [InlineData(SpectrumMethod.Gram)]
    public void A_square_matrix_is_projected_onto_its_left_vectors(SpectrumMethod method)
    {
        // m = n: the smaller side is the row side (left vectors u_i ∈ R^m, A_r = U_r U_rᵀ A). A random 12×12 matrix has
        // well separated values, so Gram eigenvectors are accurate to ~ε·σ_1²/gap² ≪ 1e-8; entries are O(1).
        var a = TestMatrices.Uniform(12, 12, 6);
        int[] ranks = [1, 3, 6, 11];
        var errors = LowRankError.MeanAbsoluteErrors(a, ranks, method);
        for (var i = 0; i < ranks.Length; i++)
        {
            var direct = LowRankErrorTests.MeanAbs(a - LowRankErrorTests.Truncated(a, ranks[i]));
            Assert.True(Math.Abs(direct - errors[i]) <= 1e-8, $"r = {ranks[i]}: {errors[i]} vs {direct}");
        }
    }

    [Fact]
    public void Full_keeps_the_accuracy_of_the_SVD_where_the_Gram_matrix_cannot_resolve_the_spectrum()
    {
        // A = Q_1 diag(1, 1e-4, 1e-7, 1e-10, 1e-13, 0) Q_2ᵀ (6×9, random orthonormal factors). The Gram matrix has the
        // eigenvalues σ_i² = 1, 1e-8, 1e-14, 1e-20, ...: below its rounding level ε·σ_1² ≈ 2e-16 the eigenvectors are
        // not determined, so a Gram projection at r = 3 is off by ~1e-9. The SVD's U_3 is accurate to ε·σ_1/(σ_3 - σ_4)
        // ≈ 2e-9 in angle, which moves the residual (entries <= 1e-10) by ~ε·σ_1 per entry: 1e-13 covers both sides.
        double[] sigma = [1, 1e-4, 1e-7, 1e-10, 1e-13, 0];
        var q1 = TestMatrices.Uniform(6, 6, 12).QR(QRMethod.Full).Q;
        var q2 = TestMatrices.Uniform(9, 9, 13).QR(QRMethod.Full).Q;
        var a = q1 * Matrix<double>.Build.Dense(6, 9, (i, j) => i == j ? sigma[i] : 0) * q2.Transpose();
        int[] ranks = [1, 2, 3, 4];
        var errors = LowRankError.MeanAbsoluteErrors(a, ranks, SpectrumMethod.Full);
        for (var i = 0; i < ranks.Length; i++)
        {
            var direct = LowRankErrorTests.MeanAbs(a - LowRankErrorTests.Truncated(a, ranks[i]));
            Assert.True(Math.Abs(direct - errors[i]) <= 1e-13, $"r = {ranks[i]}: {errors[i]} vs {direct}");
        }
    }

    [Theory]
    [InlineData(8, 11, SpectrumMethod.Full)]
    [InlineData(256, 258, SpectrumMethod.Full)] // min(m, n) = 256: still the full SVD
    [InlineData(257, 258, SpectrumMethod.Gram)] // one above the limit
    public void Auto_gives_the_numbers_of_the_method_it_stands_for(int m, int n, SpectrumMethod method)
    {
        // The same computation twice is deterministic, so the results agree bit for bit. The matrix has rank 3 exactly, so
        // its rank-3 residual is rounding, which the SVD's and the Gram matrix's vectors leave differently: the other
        // method's number differs (checked), and a wrong choice would show.
        var a = TestMatrices.LowRank(m, n, 3, 14);
        int[] ranks = [3];
        var expected = LowRankError.MeanAbsoluteErrors(a, ranks, method);
        Assert.Equal(expected, LowRankError.MeanAbsoluteErrors(a, ranks, SpectrumMethod.Auto));
        var other = method == SpectrumMethod.Full ? SpectrumMethod.Gram : SpectrumMethod.Full;
        Assert.NotEqual(expected, LowRankError.MeanAbsoluteErrors(a, ranks, other));
    }
}
