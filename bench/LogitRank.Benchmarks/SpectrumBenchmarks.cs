using BenchmarkDotNet.Attributes;
using LogitRank.Analysis;
using MathNet.Numerics.LinearAlgebra;

namespace LogitRank.Benchmarks;

/// <summary>Seeded low-rank-plus-noise test matrices: <c>B·C + ν·N</c> with Gaussian <c>B</c> (m×r), <c>C</c> (r×n), <c>N</c> (m×n).</summary>
internal static class LowRankPlusNoise
{
    public static Matrix<double> Create(int m, int n, int rank, double noise, int seed)
    {
        var random = new Random(seed);
        var b = Matrix<double>.Build.Dense(m, rank, (_, _) => Normal(random));
        var c = Matrix<double>.Build.Dense(rank, n, (_, _) => Normal(random));
        var a = b * c;
        a.MapInplace(v => v + (noise * Normal(random)));
        return a;
    }

    private static double Normal(Random random)
    {
        var u1 = 1.0 - random.NextDouble();
        var u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }
}

/// <summary>
/// Singular values of a 1000 × 6400 rank-20-plus-noise matrix (the size of a logit matrix with 1000 histories and
/// 3200 futures over a binary alphabet): Gram method, its Gram product alone, and the randomized top-20.
/// </summary>
[MemoryDiagnoser]
public class SpectrumLargeBenchmarks
{
    private Matrix<double> _matrix = null!;

    [GlobalSetup]
    public void Setup() => _matrix = LowRankPlusNoise.Create(1000, 6400, 20, 1e-3, 1);

    [Benchmark(Description = "Gram 1000x6400 (all values)")]
    public double Gram() => Spectrum.Compute(_matrix, new SpectrumOptions { Method = SpectrumMethod.Gram }).Largest;

    [Benchmark(Description = "Gram product only 1000x6400 -> 1000x1000")]
    public double GramProduct() => Spectrum.SmallerGram(_matrix, out _)[0, 0];

    [Benchmark(Description = "Randomized top-20 1000x6400 (p=10, q=2)")]
    public double Randomized() => Spectrum.Compute(_matrix, new SpectrumOptions { Method = SpectrumMethod.Randomized, Rank = 20, Oversampling = 10, PowerIterations = 2, Seed = 1 }).Largest;
}

/// <summary>The three methods on a 200 × 1280 rank-20-plus-noise matrix, where the full SVD is still affordable.</summary>
[MemoryDiagnoser]
public class SpectrumSmallBenchmarks
{
    private Matrix<double> _matrix = null!;

    [GlobalSetup]
    public void Setup() => _matrix = LowRankPlusNoise.Create(200, 1280, 20, 1e-3, 2);

    [Benchmark(Baseline = true, Description = "Full SVD 200x1280")]
    public double Full() => Spectrum.Compute(_matrix, new SpectrumOptions { Method = SpectrumMethod.Full }).Largest;

    [Benchmark(Description = "Gram 200x1280")]
    public double Gram() => Spectrum.Compute(_matrix, new SpectrumOptions { Method = SpectrumMethod.Gram }).Largest;

    [Benchmark(Description = "Randomized top-20 200x1280 (p=10, q=2)")]
    public double Randomized() => Spectrum.Compute(_matrix, new SpectrumOptions { Method = SpectrumMethod.Randomized, Rank = 20, Oversampling = 10, PowerIterations = 2, Seed = 1 }).Largest;
}
