using BenchmarkDotNet.Attributes;
using LogitRank.Numerics;

namespace LogitRank.Benchmarks;

/// <summary>
/// <see cref="MinimaxLinearProgram.Solve"/> on random planted instances: A uniform in [-1, 1]^{m×n}, box [-2, 2]^n,
/// b = A x* + noise (|noise| &lt;= 0.5), m = RowsPerVariable · n.
/// </summary>
[MemoryDiagnoser]
public class LpBenchmarks
{
    private double[,] _a = new double[0, 0];
    private double[] _b = [];
    private double[] _lower = [];
    private double[] _upper = [];

    [Params(10, 50, 200)]
    public int Variables { get; set; }

    [Params(2, 5)]
    public int RowsPerVariable { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var n = Variables;
        var m = RowsPerVariable * n;
        var random = new Random(12345);
        _a = new double[m, n];
        _b = new double[m];
        _lower = Enumerable.Repeat(-2.0, n).ToArray();
        _upper = Enumerable.Repeat(2.0, n).ToArray();
        var planted = Enumerable.Range(0, n).Select(_ => 4 * random.NextDouble() - 2).ToArray();
        for (var i = 0; i < m; i++)
        {
            for (var j = 0; j < n; j++)
            {
                _a[i, j] = 2 * random.NextDouble() - 1;
                _b[i] += _a[i, j] * planted[j];
            }

            _b[i] += random.NextDouble() - 0.5;
        }
    }

    [Benchmark]
    public double Solve() => MinimaxLinearProgram.Solve(_a, _b, _lower, _upper).Residual;
}
