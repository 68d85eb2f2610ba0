using LogitRank.Analysis;
using MathNet.Numerics.LinearAlgebra;

namespace LogitRank.Tests.Analysis;

public partial class LowRankErrorTests
{
    /// <summary>A_r = U_r Σ_r V_rᵀ from MathNet's SVD: the independent reference (Eckart–Young).</summary>
    internal static Matrix<double> Truncated(Matrix<double> a, int r)
    {
        var svd = a.Svd(computeVectors: true);
        var result = Matrix<double>.Build.Dense(a.RowCount, a.ColumnCount);
        for (var i = 0; i < r; i++)
        {
            result += svd.S[i] * svd.U.Column(i).OuterProduct(svd.VT.Row(i));
        }

        return result;
    }

    /// <summary>The mean absolute entry of <paramref name="a"/>.</summary>
    internal static double MeanAbs(Matrix<double> a) => a.Enumerate().Sum(Math.Abs) / (a.RowCount * a.ColumnCount);

    [Theory]
    [InlineData(8, 12)]
    [InlineData(12, 8)]
    public void Frobenius_curve_runs_from_one_to_zero_and_matches_the_truncated_svd(int m, int n)
    {
        var a = TestMatrices.Uniform(m, n, 4);
        var curve = LowRankError.RelativeFrobeniusCurve(Spectrum.Compute(a, new SpectrumOptions { Method = SpectrumMethod.Full }));
        Assert.Equal(Math.Min(m, n) + 1, curve.Count);
        Assert.Equal(1.0, curve[0]); // exact: the tail at r = 0 is the total
        Assert.Equal(0.0, curve[^1]); // exact: the empty tail
        for (var r = 1; r < curve.Count; r++)
        {
            Assert.True(curve[r] <= curve[r - 1], $"curve increases at r = {r}");

            // Eckart–Young: ||A - A_r||_F = sqrt(Σ_{i>r} σ_i²); both sides rounded, entries O(1): 1e-10.
            var direct = (a - Truncated(a, r)).FrobeniusNorm() / a.FrobeniusNorm();
            Assert.True(Math.Abs(direct - curve[r]) <= 1e-10, $"r = {r}: curve {curve[r]} vs direct {direct}");
        }
    }

    [Fact]
    public void Truncated_spectrum_curve_uses_the_frobenius_norm_of_the_entries()
    {
        var a = TestMatrices.Uniform(10, 15, 9);
        var complete = LowRankError.RelativeFrobeniusCurve(Spectrum.Compute(a));
        var truncated = LowRankError.RelativeFrobeniusCurve(Spectrum.Compute(a, new SpectrumOptions { Rank = 3 }));
        Assert.Equal(4, truncated.Count);
        Assert.Equal(1.0, truncated[0]);
        for (var r = 0; r < truncated.Count; r++)
        {
            // ||A||_F² - Σ_{i<=r} σ_i² vs Σ_{i>r} σ_i²: equal up to rounding of sums of O(150) terms; 1e-10.
            Assert.True(Math.Abs(truncated[r] - complete[r]) <= 1e-10, $"r = {r}");
        }
    }

    [Fact]
    public void Zero_matrix_has_a_zero_curve()
    {
        var curve = LowRankError.RelativeFrobeniusCurve(Spectrum.Compute(Matrix<double>.Build.Dense(3, 4)));
        Assert.All(curve, e => Assert.Equal(0.0, e));
    }

    [Theory]
    [InlineData(SpectrumMethod.Full, 10, 14)]
    [InlineData(SpectrumMethod.Gram, 10, 14)]
    [InlineData(SpectrumMethod.Full, 14, 10)]
    [InlineData(SpectrumMethod.Gram, 14, 10)]
    public void Mean_absolute_error_matches_the_truncated_svd(SpectrumMethod method, int m, int n)
    {
        var a = TestMatrices.Uniform(m, n, 12);
        int[] ranks = [3, 0, 1, 3, Math.Min(m, n)];
        var errors = LowRankError.MeanAbsoluteErrors(a, ranks, method);
        Assert.Equal(ranks.Length, errors.Count);
        Assert.Equal(MeanAbs(a), errors[1]); // r = 0: A itself, computed the same way
        Assert.Equal(errors[0], errors[3]);
        for (var i = 0; i < ranks.Length; i++)
        {
            // Projections onto the top singular vectors; Gram eigenvectors of a random matrix with well separated values
            // are accurate to about ε·σ_1²/gap² ≪ 1e-8; entries are O(1).
            var direct = MeanAbs(a - Truncated(a, ranks[i]));
            Assert.True(Math.Abs(direct - errors[i]) <= 1e-8, $"r = {ranks[i]}: {errors[i]} vs {direct}");
        }

        Assert.True(errors[^1] <= 1e-12, "the full-rank approximation is A itself");
    }

    [Fact]
    public void Exactly_low_rank_matrix_has_zero_error_at_its_rank()
    {
        var a = TestMatrices.LowRank(20, 30, 2, 5);
        var errors = LowRankError.MeanAbsoluteErrors(a, [1, 2], SpectrumMethod.Gram);
        Assert.True(errors[0] > 1e-3);

        // The residual after projecting onto the exact 2-dimensional range is rounding: the Gram eigenvectors span it to
        // about sqrt(ε)-level accuracy only in the tail, but the residual A - U_2U_2ᵀA is ~ ε·||A|| since A's range is U_2's.
        Assert.True(errors[1] <= 1e-9 * MeanAbs(a), $"error at rank 2 is {errors[1]}");
    }

    [Theory]
    [InlineData(SpectrumMethod.Full, 1000)]
    [InlineData(SpectrumMethod.Full, -1000)]
    [InlineData(SpectrumMethod.Gram, 1000)]
    public void Errors_scale_exactly_with_a_power_of_two_even_near_the_ends_of_the_double_range(SpectrumMethod method, int exponent)
    {
        // The errors are computed on A·2^-e (largest entry in [1, 2)) and scaled back, so A and A·2^k give the same
        // computation: errors(A·2^k) = 2^k errors(A) bit for bit, with no overflow of the products at 2^1000 ≈ 1e301.
        var a = TestMatrices.Uniform(6, 9, 3);
        int[] ranks = [0, 1, 2, 3];
        var reference = LowRankError.MeanAbsoluteErrors(a, ranks, method);
        var scaled = LowRankError.MeanAbsoluteErrors(a * Math.ScaleB(1.0, exponent), ranks, method);
        Assert.Equal(reference.Select(v => Math.ScaleB(v, exponent)), scaled);
        Assert.All(scaled, v => Assert.True(double.IsFinite(v) && v > 0, $"error {v}"));
    }

    [Fact]
    public void Bad_input_raises_typed_exceptions_naming_the_value()
    {
        var a = TestMatrices.Uniform(4, 5, 1);
        Assert.Contains("Rank 5", Assert.Throws<ArgumentOutOfRangeException>(() => LowRankError.MeanAbsoluteErrors(a, [5])).Message, StringComparison.Ordinal);
        Assert.Contains("Rank -1", Assert.Throws<ArgumentOutOfRangeException>(() => LowRankError.MeanAbsoluteErrors(a, [-1])).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => LowRankError.MeanAbsoluteErrors(a, []));
        Assert.Contains("Randomized", Assert.Throws<ArgumentException>(() => LowRankError.MeanAbsoluteErrors(a, [1], SpectrumMethod.Randomized)).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => LowRankError.MeanAbsoluteErrors(Matrix<double>.Build.Dense(0, 2), [0]));
    }

    [Theory]
    [InlineData(4, 5)]
    [InlineData(6, 3)]
    public void The_rank_min_m_n_has_error_exactly_zero_and_a_rank_above_it_is_a_typed_error(int m, int n)
    {
        // Decision (proofs-notes/logit-matrix-analysis.md): A_{min(m,n)} = A, so 0 is the right value there, returned
        // exactly rather than as a rounding residue; min(m,n) + 1 has no singular value and is refused, never 0.
        var a = TestMatrices.Uniform(m, n, 4);
        var min = Math.Min(m, n);
        foreach (var method in new[] { SpectrumMethod.Full, SpectrumMethod.Gram, SpectrumMethod.Auto })
        {
            var errors = LowRankError.MeanAbsoluteErrors(a, [min, min - 1, min], method);
            Assert.Equal(0.0, errors[0]);
            Assert.Equal(0.0, errors[2]);
            Assert.True(errors[1] > 1e-3, $"rank {min - 1} of a random {m}x{n} matrix leaves an error");
            var e = Assert.Throws<ArgumentOutOfRangeException>(() => LowRankError.MeanAbsoluteErrors(a, [1, min + 1], method));
            Assert.Equal(min + 1, e.ActualValue);
            Assert.Contains($"Rank {min + 1} is outside 0..{min}", e.Message, StringComparison.Ordinal);
            Assert.Contains($"only {min} singular values", e.Message, StringComparison.Ordinal);
        }
    }
}
