using LogitRank.Analysis;
using LogitRank.Numerics;
using LogitRank.Tests.Analysis;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Factorization;

namespace LogitRank.Tests.Analysis;

/// <summary>
/// The documented method choice of <see cref="Spectrum.Resolve"/> at its edges and the empty-matrix check of
/// <see cref="Spectrum.Compute(double[,], SpectrumOptions?)"/>, a non-empty array, the null check of
/// <see cref="Spectrum.SmallerGram"/>, a rank of one, and the randomized method step by step against the range finder
/// it implements.
/// </summary>
public partial class SpectrumTests
{
    [Theory]
    [InlineData(0, 3)]
    [InlineData(3, 0)]
    [InlineData(0, 0)]
    public void An_empty_matrix_is_rejected_by_name(int rows, int columns)
    {
        var e = Assert.Throws<ArgumentException>(() => Spectrum.Compute(new double[rows, columns]));
        Assert.Equal("matrix", e.ParamName);
        Assert.Contains($"got {rows}x{columns}", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Auto_takes_the_full_SVD_up_to_the_limit_then_randomized_when_the_rank_is_small_enough_else_Gram()
    {
        var options = new SpectrumOptions { FullSvdLimit = 10, Oversampling = 2 };
        Assert.Equal(SpectrumMethod.Full, Spectrum.Resolve(options, 10, 50)); // min = limit: still full
        Assert.Equal(SpectrumMethod.Gram, Spectrum.Resolve(options, 11, 50)); // no rank given
        Assert.Equal(SpectrumMethod.Randomized, Spectrum.Resolve(options with { Rank = 1 }, 12, 50)); // 4·(1 + 2) = 12 <= 12
        Assert.Equal(SpectrumMethod.Gram, Spectrum.Resolve(options with { Rank = 1 }, 11, 50)); // 12 > 11
        Assert.Equal(SpectrumMethod.Gram, Spectrum.Resolve(options with { Method = SpectrumMethod.Gram }, 2, 2)); // explicit wins
    }

    [Fact]
    public void A_non_empty_array_is_accepted()
    {
        // diag(3, 4): singular values 4 and 3; the SVD of a diagonal matrix is exact up to one rounding (<= 4ε·4).
        var spectrum = Spectrum.Compute(new double[,] { { 3, 0 }, { 0, 4 } });
        Assert.Equal([4.0, 3.0], spectrum.Values.ToArray(), (x, y) => Math.Abs(x - y) <= 4e-15);
    }

    [Fact]
    public void Smaller_gram_rejects_a_null_matrix_by_name()
    {
        Assert.Equal("matrix", Assert.Throws<ArgumentNullException>(() => Spectrum.SmallerGram(null!, out _)).ParamName);
    }

    [Fact]
    public void A_rank_of_one_gives_the_largest_value_only()
    {
        var a = TestMatrices.Uniform(6, 9, 3);
        var spectrum = Spectrum.Compute(a, new SpectrumOptions { Method = SpectrumMethod.Full, Rank = 1 });
        Assert.Equal([TestMatrices.ReferenceSingularValues(a)[0]], spectrum.Values.ToArray()); // the same SVD: exact
        Assert.False(spectrum.IsComplete);
    }

    [Theory]
    [InlineData(15, 25, 15, 5)] // r = min(m, n), r + p above it: the sketch is capped at min(m, n) = 15 columns
    [InlineData(25, 15, 12, 10)] // r + p = 22 lies between min(m, n) = 15 and max(m, n) = 25
    public void A_sketch_wider_than_the_matrix_is_capped_and_exact(int m, int n, int rank, int oversampling)
    {
        // Capped at min(m, n) the sketch spans the whole column space: the values are the SVD's up to rounding, 1e-10·σ_1.
        var a = TestMatrices.Uniform(m, n, 41);
        var reference = TestMatrices.ReferenceSingularValues(a);
        var randomized = Spectrum.Compute(a, new SpectrumOptions { Method = SpectrumMethod.Randomized, Rank = rank, Oversampling = oversampling, PowerIterations = 0, Seed = 3 });
        Assert.Equal(rank, randomized.Values.Count);
        for (var i = 0; i < rank; i++)
        {
            Assert.True(Math.Abs(randomized.Values[i] - reference[i]) <= 1e-10 * reference[0], $"σ_{i + 1}: {randomized.Values[i]} vs {reference[i]}");
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void Randomized_follows_the_range_finder_with_the_given_number_of_power_iterations(int iterations)
    {
        // HMT Algorithms 4.4 and 5.1 with MathNet products: Ω (n×w) drawn column by column from Gaussian.Next(Random(seed))
        // (the draw order of Spectrum), Q = orth(AΩ), q times Q = orth(A·orth(AᵀQ)), then the singular values of the R
        // factor of AᵀQ. Only the summation order of the products differs, which moves the values by ~1e-15·σ_1
        // (conditioning of the thin QRs of a 40×6 sketch: small); we check 1e-9·σ_1, and that one power iteration more
        // or less moves them by far more than that on this slowly decaying random spectrum.
        var a = TestMatrices.Uniform(40, 60, 8);
        var options = new SpectrumOptions { Method = SpectrumMethod.Randomized, Rank = 4, Oversampling = 2, PowerIterations = iterations, Seed = 5 };
        var actual = Spectrum.Compute(a, options).Values;
        var expected = RangeFinder(a, 6, iterations, 5);
        var other = RangeFinder(a, 6, iterations + 1, 5);
        for (var i = 0; i < 4; i++)
        {
            Assert.True(Math.Abs(actual[i] - expected[i]) <= 1e-9 * expected[0], $"σ_{i + 1}: {actual[i]} vs {expected[i]}");
        }

        Assert.True(Enumerable.Range(0, 4).Max(i => Math.Abs(other[i] - expected[i])) > 1e-6 * expected[0], "one more power iteration should change the values");
    }

    private static double[] RangeFinder(Matrix<double> a, int width, int iterations, int seed)
    {
        var random = new Random(seed);
        var omega = Matrix<double>.Build.Dense(a.ColumnCount, width);
        for (var j = 0; j < width; j++)
        {
            for (var i = 0; i < a.ColumnCount; i++)
            {
                omega[i, j] = Gaussian.Next(random);
            }
        }

        var basis = (a * omega).QR(QRMethod.Thin).Q;
        for (var it = 0; it < iterations; it++)
        {
            var z = a.TransposeThisAndMultiply(basis).QR(QRMethod.Thin).Q;
            basis = (a * z).QR(QRMethod.Thin).Q;
        }

        var r = a.TransposeThisAndMultiply(basis).QR(QRMethod.Thin).R;
        return [.. r.Svd(computeVectors: false).S.OrderByDescending(v => v)];
    }
}
