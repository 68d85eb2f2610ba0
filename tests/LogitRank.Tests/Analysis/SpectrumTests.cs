using LogitRank.Analysis;
using MathNet.Numerics.LinearAlgebra;

namespace LogitRank.Tests.Analysis;

public partial class SpectrumTests
{
    [Theory]
    [InlineData(7, 13, 1)]
    [InlineData(13, 7, 2)]
    [InlineData(20, 20, 3)]
    [InlineData(1, 5, 4)]
    [InlineData(5, 1, 5)]
    [InlineData(40, 70, 6)]
    public void Gram_matches_the_full_svd_on_random_matrices(int m, int n, int seed)
    {
        var a = TestMatrices.Uniform(m, n, seed);
        var reference = TestMatrices.ReferenceSingularValues(a);
        var gram = Spectrum.Compute(a, new SpectrumOptions { Method = SpectrumMethod.Gram });
        Assert.Equal(SpectrumMethod.Gram, gram.Method);
        Assert.Equal(Math.Min(m, n), gram.Values.Count);
        var s1 = reference[0];

        // The Gram method computes σ_i² as eigenvalues of AAᵀ (or AᵀA); a backward-stable symmetric eigensolver and the
        // rounded product perturb them by about c·n·ε·σ_1² with n <= 70 here (≈ 1e-13·σ_1²). So we check the squares
        // to 1e-11·σ_1², and the values themselves only to sqrt(1e-11)·σ_1 ≈ 3e-6·σ_1 (the sqrt(ε) accuracy of small values).
        for (var i = 0; i < reference.Length; i++)
        {
            Assert.True(Math.Abs((gram.Values[i] * gram.Values[i]) - (reference[i] * reference[i])) <= 1e-11 * s1 * s1, $"σ_{i + 1}: gram {gram.Values[i]} vs svd {reference[i]}");
            Assert.True(Math.Abs(gram.Values[i] - reference[i]) <= 3.2e-6 * s1, $"σ_{i + 1}: gram {gram.Values[i]} vs svd {reference[i]}");
        }
    }

    [Theory]
    [InlineData(7, 13)]
    [InlineData(30, 20)]
    public void Full_matches_the_mathnet_svd_and_the_frobenius_norm(int m, int n)
    {
        var a = TestMatrices.Uniform(m, n, 11);
        var full = Spectrum.Compute(a, new SpectrumOptions { Method = SpectrumMethod.Full });
        // Full runs MathNet's SVD on A·2^-e (largest entry in [1, 2)); the SVD's convergence tests are absolute, so the
        // scaled run may stop at another sweep: both are backward stable, |σ̂_i - σ_i| <= c·max(m,n)·ε·σ_1 ≈ 30·1.1e-16·σ_1
        // for a modest c; 1e-13·σ_1 allows c = 30 (seen: 7e-16 relative).
        var reference = TestMatrices.ReferenceSingularValues(a);
        Assert.Equal(reference.Length, full.Values.Count);
        for (var i = 0; i < reference.Length; i++)
        {
            Assert.True(Math.Abs(full.Values[i] - reference[i]) <= 1e-13 * reference[0], $"σ_{i + 1}: {full.Values[i]} vs MathNet {reference[i]}");
        }

        Assert.True(full.IsComplete);

        // ||A||_F² = Σ σ_i² (unitary invariance); both sides are rounded sums of <= 600 terms: 1e-12 relative.
        var sumSquares = full.Values.Sum(v => v * v);
        Assert.Equal(1.0, full.FrobeniusNorm * full.FrobeniusNorm / sumSquares, 12);
        Assert.Equal(a.FrobeniusNorm(), full.FrobeniusNorm, 12);
    }

    [Theory]
    [InlineData(SpectrumMethod.Full, 1e-9)]
    [InlineData(SpectrumMethod.Gram, 1e-6)]
    public void Exactly_low_rank_matrices_have_their_rank_detected(SpectrumMethod method, double relativeThreshold)
    {
        // Rank-3 product: the trailing singular values are rounding noise, about ε·σ_1 for the SVD and about
        // sqrt(n·ε)·σ_1 ≈ 1e-7·σ_1 for the Gram method; the thresholds sit above each noise floor and far below σ_3.
        foreach (var (m, n) in new[] { (30, 50), (50, 30) })
        {
            var a = TestMatrices.LowRank(m, n, 3, 21);
            var spectrum = Spectrum.Compute(a, new SpectrumOptions { Method = method });
            Assert.Equal(3, NumericalRank.Select(spectrum, RankStrategy.RelativeThreshold(relativeThreshold)).Rank);
            Assert.Equal(3, NumericalRank.Select(spectrum, RankStrategy.LargestGap()).Rank);
        }
    }

    [Fact]
    public void Randomized_recovers_the_top_values_of_a_low_rank_matrix()
    {
        // The range of a rank-3 matrix is captured exactly by a sketch of width >= 3 (with probability 1), so the top
        // three values agree with the SVD up to rounding: 1e-10·σ_1.
        var a = TestMatrices.LowRank(60, 80, 3, 31);
        var reference = TestMatrices.ReferenceSingularValues(a);
        var randomized = Spectrum.Compute(a, new SpectrumOptions { Method = SpectrumMethod.Randomized, Rank = 3, Oversampling = 5, PowerIterations = 1, Seed = 7 });
        Assert.Equal(SpectrumMethod.Randomized, randomized.Method);
        Assert.Equal(3, randomized.Values.Count);
        Assert.False(randomized.IsComplete);
        for (var i = 0; i < 3; i++)
        {
            Assert.True(Math.Abs(randomized.Values[i] - reference[i]) <= 1e-10 * reference[0], $"σ_{i + 1}: {randomized.Values[i]} vs {reference[i]}");
        }
    }

    [Fact]
    public void Randomized_with_a_full_width_sketch_is_exact_on_a_random_matrix()
    {
        // r + p >= min(m,n): the sketch spans the whole column space, so all values agree with the SVD up to rounding.
        var a = TestMatrices.Uniform(15, 25, 41);
        var reference = TestMatrices.ReferenceSingularValues(a);
        var randomized = Spectrum.Compute(a, new SpectrumOptions { Method = SpectrumMethod.Randomized, Rank = 15, Oversampling = 0, PowerIterations = 0, Seed = 3 });
        for (var i = 0; i < reference.Length; i++)
        {
            Assert.True(Math.Abs(randomized.Values[i] - reference[i]) <= 1e-10 * reference[0], $"σ_{i + 1}: {randomized.Values[i]} vs {reference[i]}");
        }
    }

    [Fact]
    public void Randomized_is_reproducible_from_its_seed()
    {
        var a = TestMatrices.Uniform(40, 60, 5);
        var options = new SpectrumOptions { Method = SpectrumMethod.Randomized, Rank = 4, Seed = 99 };
        Assert.Equal(Spectrum.Compute(a, options).Values, Spectrum.Compute(a, options).Values);
    }

    [Fact]
    public void Rank_option_truncates_every_method_to_the_leading_values()
    {
        var a = TestMatrices.Uniform(9, 12, 8);
        var reference = TestMatrices.ReferenceSingularValues(a);
        var top = Spectrum.Compute(a, new SpectrumOptions { Method = SpectrumMethod.Full, Rank = 2 });
        Assert.Equal(reference.Take(2), top.Values);
        Assert.Equal(9, Spectrum.Compute(a, new SpectrumOptions { Rank = 50 }).Values.Count);
    }

    [Fact]
    public void Auto_picks_by_size()
    {
        var defaults = new SpectrumOptions();
        Assert.Equal(SpectrumMethod.Full, Spectrum.Resolve(defaults, 256, 10000));
        Assert.Equal(SpectrumMethod.Gram, Spectrum.Resolve(defaults, 257, 10000));
        Assert.Equal(SpectrumMethod.Randomized, Spectrum.Resolve(defaults with { Rank = 20 }, 1000, 6400));
        Assert.Equal(SpectrumMethod.Gram, Spectrum.Resolve(defaults with { Rank = 250 }, 1000, 6400)); // 4·(250 + 10) > 1000
        Assert.Equal(SpectrumMethod.Full, Spectrum.Compute(TestMatrices.Uniform(3, 4, 1)).Method);
    }

    [Theory]
    [InlineData(37, 1030)]
    [InlineData(70, 3)]
    [InlineData(1, 1)]
    [InlineData(3, 70)]
    public void Gram_kernel_matches_the_naive_product(int rows, int cols)
    {
        // Sizes straddle the 32-row tiles, 512-column chunks, 4-row micro-kernel and SIMD remainders.
        var a = TestMatrices.Uniform(rows, cols, 17);
        var actual = Spectrum.SmallerGram(a, out var rowSide);
        Assert.Equal(rows <= cols, rowSide);
        var expected = rowSide ? a * a.Transpose() : a.Transpose() * a;
        Assert.Equal(Math.Min(rows, cols), actual.RowCount);

        // Sums of <= 1030 products of numbers in [-1,1]: reordering changes them by <= 1030·ε·1030 ≈ 2e-10 at most.
        Assert.True((expected - actual).InfinityNorm() <= 1e-10, $"max error {(expected - actual).InfinityNorm()}");
    }

    [Fact]
    public void Zero_matrix_has_zero_spectrum_under_every_method()
    {
        var zero = Matrix<double>.Build.Dense(4, 6);
        foreach (var method in new[] { SpectrumMethod.Full, SpectrumMethod.Gram })
        {
            var s = Spectrum.Compute(zero, new SpectrumOptions { Method = method });
            Assert.All(s.Values, v => Assert.Equal(0.0, v));
            Assert.Equal(0.0, s.FrobeniusNorm);
        }
    }

    [Fact]
    public void Bad_input_raises_typed_exceptions_naming_the_value()
    {
        var empty = Assert.Throws<ArgumentException>(() => Spectrum.Compute(new double[0, 3]));
        Assert.Contains("0x3", empty.Message, StringComparison.Ordinal);

        var a = TestMatrices.Uniform(3, 3, 1);
        a[1, 2] = double.NaN;
        var nan = Assert.Throws<ArgumentException>(() => Spectrum.Compute(a));
        Assert.Contains("(1,2)", nan.Message, StringComparison.Ordinal);
        Assert.Contains("NaN", nan.Message, StringComparison.Ordinal);

        var b = TestMatrices.Uniform(3, 3, 1);
        var noRank = Assert.Throws<ArgumentException>(() => Spectrum.Compute(b, new SpectrumOptions { Method = SpectrumMethod.Randomized }));
        Assert.Contains("Rank", noRank.Message, StringComparison.Ordinal);
        var zeroRank = Assert.Throws<ArgumentOutOfRangeException>(() => Spectrum.Compute(b, new SpectrumOptions { Rank = 0 }));
        Assert.Contains("Rank = 0", zeroRank.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => Spectrum.Compute(b, new SpectrumOptions { Oversampling = -1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => Spectrum.Compute(b, new SpectrumOptions { PowerIterations = -2 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => Spectrum.Compute(b, new SpectrumOptions { Method = (SpectrumMethod)42 }));
    }

    [Theory]
    [InlineData(SpectrumMethod.Full, 600)]
    [InlineData(SpectrumMethod.Full, 1000)]
    [InlineData(SpectrumMethod.Full, -1000)]
    [InlineData(SpectrumMethod.Gram, 1000)]
    [InlineData(SpectrumMethod.Gram, -1000)]
    [InlineData(SpectrumMethod.Randomized, 1000)]
    public void Values_scale_exactly_with_a_power_of_two_even_near_the_ends_of_the_double_range(SpectrumMethod method, int exponent)
    {
        // Every method decomposes A·2^-e with its largest entry in [1, 2), so A and A·2^k are decomposed from the same
        // array and σ(A·2^k) = 2^k σ(A) bit for bit. Unscaled, entries of 2^600 ≈ 4e180 overflow the SVD's squares (it
        // spun without end on the ISAN scale = 1e154 of issue 16), and 2^-1000 ≈ 1e-301 underflows them.
        var a = TestMatrices.Uniform(9, 14, 5);
        var options = new SpectrumOptions { Method = method, Rank = method == SpectrumMethod.Randomized ? 2 : null };
        var reference = Spectrum.Compute(a, options);
        var scaled = Spectrum.Compute(a * Math.ScaleB(1.0, exponent), options);
        Assert.Equal(reference.Values.Select(v => Math.ScaleB(v, exponent)), scaled.Values);
        Assert.All(scaled.Values, v => Assert.True(double.IsFinite(v) && v > 0, $"σ = {v}"));
    }

    [Fact]
    public void Matrix_whose_frobenius_norm_overflows_is_rejected_naming_the_norm()
    {
        // Entries of 1.5e308 are finite, but ||A||_F = 1.5e308·sqrt(6) is not a double: no singular value σ_1 >= ||A||_F/sqrt(2) is.
        var a = Matrix<double>.Build.Dense(2, 3, 1.5e308);
        var e = Assert.Throws<ArgumentException>(() => Spectrum.Compute(a));
        Assert.Contains("Frobenius norm", e.Message, StringComparison.Ordinal);
        Assert.Contains("2x3", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Spectrum_record_rejects_unordered_or_negative_values()
    {
        var up = Assert.Throws<ArgumentException>(() => new SingularValueSpectrum([1.0, 2.0], SpectrumMethod.Full, 2, 2, 3));
        Assert.Contains("σ_2 = 2", up.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new SingularValueSpectrum([-1.0], SpectrumMethod.Full, 2, 2, 1));
        Assert.Throws<ArgumentException>(() => new SingularValueSpectrum([3.0, 2.0, 1.0], SpectrumMethod.Full, 2, 5, 4));
    }
}
