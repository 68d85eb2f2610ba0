using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using LogitRank.Learning;
using LogitRank.Models;
using LogitRank.Oracles;

namespace LogitRank.Benchmarks;

/// <summary>
/// In-process, monitoring strategy (each invocation is a long, whole operation): the out-of-process generated project
/// does not build under the repository's strict Directory.Build.props (CS1591 in BenchmarkDotNet's generated code).
/// </summary>
internal sealed class LearnerBenchConfig : ManualConfig
{
    public LearnerBenchConfig() =>
        AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance).WithStrategy(RunStrategy.Monitoring).WithLaunchCount(1).WithWarmupCount(1).WithIterationCount(3));
}

/// <summary>The targets and schedule of the learner benchmarks (bench/reports/learner.md).</summary>
internal static class LearnerCases
{
    public static PracticalSchedule Schedule => new() { MaxEpochs = 200, ValidationSamples = 16, SpannerSampleCount = 16, WitnessThreshold = 1e-6 };

    public static TimeVaryingIsan Isan(int k, int horizon, int d) => TimeVaryingIsan.Random(k, horizon, d, seed: 1);

    /// <summary>Learns once and prints queries and wall time per phase (one line per case, in the benchmark log).</summary>
    public static LearningResult LearnAndDescribe(int k, int horizon, int d)
    {
        var result = new LogitRankLearner().Learn(new ModelOracle(Isan(k, horizon, d)), Schedule, seed: 1);
        var r = result.Report;
        var tabulation = (Math.Pow(k, horizon) - 1) / (k - 1);
        Console.WriteLine(
            $"LEARNER k={k} T={horizon} d={d}: accepted={r.Accepted} epochs={r.EpochsRun} LPs={r.LpCount} queries total={r.Queries.Total} " +
            $"sampling={r.Queries.Sampling} spanner={r.Queries.Spanner} validation={r.Queries.Validation} batches={r.Queries.Batches} " +
            $"tabulation={tabulation:G6} ratio={r.Queries.Total / tabulation:G3} | wall sampling={r.WallTime.Sampling.TotalSeconds:F2}s " +
            $"spanner={r.WallTime.Spanner.TotalSeconds:F2}s reconstruction={r.WallTime.Reconstruction.TotalSeconds:F2}s " +
            $"witness={r.WallTime.WitnessSearch.TotalSeconds:F2}s total={r.WallTime.Total.TotalSeconds:F2}s " +
            $"bases=[{string.Join(",", r.Cuts.Select(c => c.BasisSize))}]");
        return result;
    }
}

/// <summary>
/// Wall time of a whole learning run (ISAN targets, exact oracle, <see cref="LearnerCases.Schedule"/>). Each iteration is
/// one full run from a fresh cache, so it includes the oracle's own work. Queries per phase are printed by the setup.
/// </summary>
[Config(typeof(LearnerBenchConfig))]
[MemoryDiagnoser]
public class LearnerBenchmarks
{
    /// <summary>The case: <c>"k,T,d"</c>.</summary>
    [Params("4,12,4", "2,16,8")]
    public string Case { get; set; } = "4,12,4";

    private (int K, int T, int D) Parsed => Case.Split(',').Select(int.Parse).ToArray() is [var k, var t, var d] ? (k, t, d) : throw new InvalidOperationException(Case);

    [GlobalSetup]
    public void Setup() => LearnerCases.LearnAndDescribe(Parsed.K, Parsed.T, Parsed.D);

    [Benchmark(Description = "Learn ISAN (one full run)")]
    public long Learn()
    {
        var (k, t, d) = Parsed;
        return new LogitRankLearner().Learn(new ModelOracle(LearnerCases.Isan(k, t, d)), LearnerCases.Schedule, seed: 1).Report.Queries.Total;
    }
}

/// <summary>
/// Generator speed (Algorithm 2): sampling complete sequences from a learned ISAN model (k = 2, T = 16, d = 8). Each
/// benchmark invocation draws 100 sequences = 1600 tokens from a fresh model (cold: every prefix solves its LP) or from
/// one warmed model (memoised LPs for prefixes seen before). Tokens/s = 1600 / mean time.
/// </summary>
[Config(typeof(LearnerBenchConfig))]
[MemoryDiagnoser]
public class GeneratorBenchmarks
{
    private LearnedModel _trained = null!;
    private string _json = null!;
    private int _round;

    [GlobalSetup]
    public void Setup()
    {
        _trained = LearnerCases.LearnAndDescribe(2, 16, 8).Model;
        _json = _trained.ToJson();
    }

    [Benchmark(Description = "Sample 100 x T=16 (cold model, fresh LPs)")]
    public int SampleCold()
    {
        var model = LearnedModel.FromJson(_json);
        var random = new Random(_round++);
        var total = 0;
        for (var i = 0; i < 100; i++)
        {
            total += model.Sample(random)[15];
        }

        return total;
    }

    [Benchmark(Description = "Sample 100 x T=16 (warm model, memoised LPs)")]
    public int SampleWarm()
    {
        var random = new Random(_round++);
        var total = 0;
        for (var i = 0; i < 100; i++)
        {
            total += _trained.Sample(random)[15];
        }

        return total;
    }
}
