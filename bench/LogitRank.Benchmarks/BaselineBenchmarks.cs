using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using LogitRank.Baselines;
using LogitRank.Learning;
using LogitRank.Models;
using LogitRank.Oracles;
using LogitRank.Sequences;

namespace LogitRank.Benchmarks;

/// <summary>
/// A short in-process job (the generated out-of-process project would inherit the strict build and fail on its missing XML
/// docs): 1 launch, 3 warm-up and 5 measured iterations. Run:
/// <c>dotnet run -c Release --project bench/LogitRank.Benchmarks -- --filter '*CachingOracleHit*' '*SamplingBenchmarks*'</c>.
/// </summary>
internal sealed class ShortInProcessConfig : ManualConfig
{
    public ShortInProcessConfig() =>
        AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance).WithLaunchCount(1).WithWarmupCount(3).WithIterationCount(5));
}

/// <summary>
/// The hit path of <see cref="CachingOracle"/>: every prefix of the batch is already cached (1024 random prefixes of
/// length 12 over 4 tokens, preloaded), so a query only walks the cache; batches of 1 and of 64 prefixes.
/// </summary>
[Config(typeof(ShortInProcessConfig))]
[MemoryDiagnoser]
public class CachingOracleHitBenchmarks
{
    private CachingOracle _cache = null!;
    private Prefix[] _one = null!;
    private Prefix[] _batch = null!;

    [GlobalSetup]
    public void Setup()
    {
        var model = TimeVaryingIsan.Random(4, 13, 4, 1);
        _cache = new CachingOracle(new ModelOracle(model));
        var random = new Random(2);
        var prefixes = Enumerable.Range(0, 1024).Select(_ => Prefix.From(Enumerable.Range(0, 12).Select(_ => random.Next(4)))).ToArray();
        _cache.Query(prefixes);
        _one = [prefixes[17]];
        _batch = prefixes.Take(64).ToArray();
    }

    [Benchmark(Description = "cache hit, batch of 1")]
    public int HitOne() => _cache.Query(_one).Count;

    [Benchmark(Description = "cache hit, batch of 64")]
    public int HitBatch() => _cache.Query(_batch).Count;
}

/// <summary>
/// One <see cref="ISequenceModel.Sample"/> call (a sequence of T = 16 tokens, k = 4) for the learned model and the
/// baselines, all fitted to the same ISAN target with state dimension d = 8 (the sampling-speed target of issue 7:
/// at least 10,000 tokens/s, i.e. at most 1.6 ms per sequence).
/// </summary>
[Config(typeof(ShortInProcessConfig))]
[MemoryDiagnoser]
public class SamplingBenchmarks
{
    private TimeVaryingIsan _target = null!;
    private LearnedModel _learned = null!;
    private ISequenceModel _leastSquares = null!;
    private ISequenceModel _spectral = null!;
    private ISequenceModel _ngram = null!;
    private Random _random = null!;

    [GlobalSetup]
    public void Setup()
    {
        _target = TimeVaryingIsan.Random(4, 16, 8, 300, 2.0);
        _learned = new LogitRankLearner().Learn(new ModelOracle(_target), new PracticalSchedule(), seed: 1).Model;
        _leastSquares = new LeastSquaresLearner(historySamples: 64).Learn(new ModelOracle(_target), seed: 1).Model;
        var samples = _target.SampleMany(20_000, seed: 3);
        _spectral = new SpectralLearner().Learn(4, 16, samples).Model;
        _ngram = new NGramLearner(3).Learn(4, 16, samples);
        _random = new Random(5);
    }

    [Benchmark(Baseline = true, Description = "target ISAN (closed form)")]
    public int Target() => _target.Sample(_random).Length;

    [Benchmark(Description = "learned model (LP per token)")]
    public int Learned() => _learned.Sample(_random).Length;

    [Benchmark(Description = "least squares (linear recurrence)")]
    public int LeastSquares() => _leastSquares.Sample(_random).Length;

    [Benchmark(Description = "spectral WFA")]
    public int Spectral() => _spectral.Sample(_random).Length;

    [Benchmark(Description = "3-gram")]
    public int NGram() => _ngram.Sample(_random).Length;
}
