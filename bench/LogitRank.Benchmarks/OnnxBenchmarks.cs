using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using LogitRank.Onnx;
using LogitRank.Sequences;

namespace LogitRank.Benchmarks;

/// <summary>
/// Throughput of <see cref="OnnxLogitOracle"/> on the charlm-dev fixture: 128 distinct prefixes of length 6 per
/// invocation, run as batches of <see cref="BatchSize"/> (one intra-op thread). Reported time is per prefix
/// (<c>OperationsPerInvoke = 128</c>), so prefixes per second = 1 s / mean.
/// Run: <c>dotnet run -c Release --project bench/LogitRank.Benchmarks -- --filter '*OnnxBenchmarks*'</c>.
/// </summary>
/// <remarks>
/// Runs in process: BenchmarkDotNet's generated out-of-process project inherits the repository's strict
/// Directory.Build.props (CS1591 as an error) and does not build.
/// </remarks>
[Config(typeof(InProcessConfig))]
[MemoryDiagnoser]
public class OnnxBenchmarks : IDisposable
{
    private const int Prefixes = 128;
    private const int PrefixLength = 6;
    private OnnxLogitOracle? _oracle;
    private List<Prefix> _prefixes = [];

    [Params(1, 8, 32, 128)]
    public int BatchSize { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var directory = FindFixture();
        var spec = OnnxModelSpec.Load(Path.Combine(directory, "charlm-dev.json"));
        _oracle = new OnnxLogitOracle(spec.ToOptions(Path.Combine(directory, "charlm-dev.onnx"), horizon: 32) with { MaxBatchSize = BatchSize, IntraOpThreads = 1 });
        var random = new Random(6);
        _prefixes = Enumerable.Range(0, Prefixes)
            .Select(_ => Prefix.From(Enumerable.Range(0, PrefixLength).Select(_ => random.Next(spec.AlphabetSize))))
            .ToList();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _oracle?.Dispose();
        _oracle = null;
    }

    public void Dispose()
    {
        Cleanup();
        GC.SuppressFinalize(this);
    }

    [Benchmark(OperationsPerInvoke = Prefixes)]
    public int QueryPrefixes() => _oracle!.Query(_prefixes).Count;

    private static string FindFixture()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("LOGITRANK_CHARLM_DIR");
        if (!string.IsNullOrEmpty(fromEnvironment))
        {
            return fromEnvironment;
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "LogitRank.Onnx.Tests", "Fixtures", "charlm-dev");
            if (File.Exists(Path.Combine(candidate, "charlm-dev.onnx")))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException("charlm-dev fixture not found above " + AppContext.BaseDirectory + "; set LOGITRANK_CHARLM_DIR.");
    }

    private sealed class InProcessConfig : ManualConfig
    {
        public InProcessConfig() =>
            AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance).WithLaunchCount(1).WithWarmupCount(3).WithIterationCount(10));
    }
}
