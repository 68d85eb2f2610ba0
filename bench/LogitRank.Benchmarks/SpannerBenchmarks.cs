using BenchmarkDotNet.Attributes;
using LogitRank.Numerics;

namespace LogitRank.Benchmarks;

/// <summary>
/// <see cref="BarycentricSpanner.Select"/> on Rows × Columns rows of rank Rank: (Rows × Rank uniform [-1, 1]) times
/// (Rank × Columns uniform [-1, 1]).
/// </summary>
[MemoryDiagnoser]
public class SpannerBenchmarks
{
    private double[][] _rows = [];

    [Params(1000)]
    public int Rows { get; set; }

    [Params(100)]
    public int Columns { get; set; }

    [Params(10)]
    public int Rank { get; set; }

    [Params(2.0, 1.1)]
    public double Beta { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(54321);
        var left = Enumerable.Range(0, Rows).Select(_ => Enumerable.Range(0, Rank).Select(_ => 2 * random.NextDouble() - 1).ToArray()).ToArray();
        var right = Enumerable.Range(0, Rank).Select(_ => Enumerable.Range(0, Columns).Select(_ => 2 * random.NextDouble() - 1).ToArray()).ToArray();
        _rows = left.Select(l => Enumerable.Range(0, Columns).Select(k => Enumerable.Range(0, Rank).Sum(r => l[r] * right[r][k])).ToArray()).ToArray();
    }

    [Benchmark]
    public int Select() => BarycentricSpanner.Select(_rows, Beta).Selected.Count;
}
