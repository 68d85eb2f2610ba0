using LogitRank.Numerics;

namespace LogitRank.Tests.Numerics;

/// <summary>The seeded normal sampler and random orthogonal matrices of <see cref="Gaussian"/>.</summary>
public partial class GaussianTests
{
    [Fact]
    public void Samples_have_the_moments_of_a_standard_normal()
    {
        // N = 40000 seeded draws. Standard errors: mean 1/sqrt(N) = 0.005, variance sqrt(2/N) = 0.007, E[X⁴] sqrt(96/N) = 0.05,
        // P(|X| < 1) sqrt(0.68·0.32/N) = 0.0023. Tolerances are ~5 standard errors; the draws are fixed by the seed.
        var random = new Random(2024);
        var x = Gaussian.Vector(random, 40_000);
        Assert.All(x, v => Assert.True(double.IsFinite(v)));
        var mean = x.Average();
        var variance = x.Average(v => v * v);
        var fourth = x.Average(v => v * v * v * v);
        var inside = x.Count(v => Math.Abs(v) < 1) / (double)x.Length;
        Assert.InRange(mean, -0.025, 0.025);
        Assert.InRange(variance, 0.965, 1.035);
        Assert.InRange(fourth, 2.75, 3.25);
        Assert.InRange(inside, 0.6827 - 0.012, 0.6827 + 0.012);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(6)]
    public void Orthogonal_matrices_have_orthonormal_columns(int d)
    {
        // QᵀQ = I up to rounding of Gram–Schmidt on d <= 6 normal vectors: 1e-12.
        var q = Gaussian.Orthogonal(new Random(d), d);
        for (var a = 0; a < d; a++)
        {
            for (var b = 0; b < d; b++)
            {
                var dot = 0.0;
                for (var i = 0; i < d; i++)
                {
                    dot += q[i, a] * q[i, b];
                }

                Assert.Equal(a == b ? 1.0 : 0.0, dot, 1e-12);
            }
        }
    }

    [Fact]
    public void Normalize_scales_to_the_requested_norm_and_handles_zero()
    {
        double[] v = [3.0, 4.0];
        Gaussian.Normalize(v, 10);
        Assert.Equal(6.0, v[0], 1e-14);
        Assert.Equal(8.0, v[1], 1e-14);
        double[] zero = [0.0, 0.0, 0.0];
        Gaussian.Normalize(zero, 2.5);
        Assert.Equal([2.5, 0.0, 0.0], zero);
    }
}
