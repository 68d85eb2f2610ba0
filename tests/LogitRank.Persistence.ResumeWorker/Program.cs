// A deterministic, seeded workload run through a persistent query cache, for the kill-and-resume tests
// (SqliteQueryCacheKillTests). Usage:
//   LogitRank.Persistence.ResumeWorker --db FILE --out FILE [--workload learn|sample] [--delay-ms N] [--rounds R] [--count C]
// Prints "inner=N" (queries that reached the model) and, when done, writes to --out either the learned model's JSON
// (learn: LogitRankLearner on a seeded ISAN) or the samples with their log-probabilities under the answers in
// round-trip format (sample: seeded OracleSampler rounds).
using System.Globalization;
using System.Text;
using LogitRank.Learning;
using LogitRank.Models;
using LogitRank.Numerics;
using LogitRank.Oracles;
using LogitRank.Persistence;
using LogitRank.Sequences;

var options = new Dictionary<string, string>(StringComparer.Ordinal);
for (var i = 0; i + 1 < args.Length; i += 2)
{
    options[args[i]] = args[i + 1];
}

string Get(string key, string? fallback = null) =>
    options.TryGetValue(key, out var v) ? v : fallback ?? throw new ArgumentException($"Missing {key}.");

var db = Get("--db");
var output = Get("--out");
var delay = TimeSpan.FromMilliseconds(int.Parse(Get("--delay-ms", "0"), CultureInfo.InvariantCulture));
var rounds = int.Parse(Get("--rounds", "6"), CultureInfo.InvariantCulture);
var count = int.Parse(Get("--count", "30"), CultureInfo.InvariantCulture);
var learn = Get("--workload", "learn") switch
{
    "learn" => true,
    "sample" => false,
    var other => throw new ArgumentException($"Unknown workload '{other}'; expected learn or sample."),
};

var workload = ResumeWorkload.Create(delay);
using (var cache = new SqliteQueryCache(db, workload.Inner, ResumeWorkload.Identity))
{
    var text = learn ? ResumeWorkload.Learn(cache) : ResumeWorkload.Run(cache, rounds, count);
    var temporary = output + ".tmp";
    File.WriteAllText(temporary, text);
    File.Move(temporary, output, overwrite: true);
}

Console.WriteLine($"inner={workload.Counter.Counts.Total}");
Console.WriteLine($"batches={workload.Counter.Counts.Batches}");
return 0;

/// <summary>The workload: its model, its identity, the seeded sampling rounds.</summary>
internal sealed record ResumeWorkload(CountingOracle Counter, ILogitOracle Inner)
{
    public const int K = 4;
    public const int T = 10;
    public const int D = 4;
    public const int Seed = 1;
    public const string Identity = "isan:k=4,T=10,d=4,seed=1";

    public static ResumeWorkload Create(TimeSpan delay)
    {
        var counter = new CountingOracle(new ModelOracle(TimeVaryingIsan.Random(K, T, D, Seed)));
        return new ResumeWorkload(counter, delay > TimeSpan.Zero ? new SlowOracle(counter, delay) : counter);
    }

    /// <summary>A seeded learning run; the result is the learned model's JSON (no wall times in it).</summary>
    public static string Learn(ILogitOracle oracle)
    {
        var schedule = new PracticalSchedule { MaxEpochs = 30, ValidationSamples = 16, SpannerSampleCount = 16, WitnessThreshold = 1e-6 };
        var (model, report) = new LogitRankLearner().Learn(oracle, schedule, seed: 3);
        return report.Accepted ? model.ToJson() : throw new InvalidOperationException("The learner did not accept a model.");
    }

    public static string Run(ILogitOracle oracle, int rounds, int count)
    {
        var text = new StringBuilder();
        for (var r = 0; r < rounds; r++)
        {
            foreach (var path in OracleSampler.SampleWithLogits(oracle, count, T, new Random(1000 * Seed + r)))
            {
                text.Append(CultureInfo.InvariantCulture, $"{r} {string.Join(",", path.Sequence.ToArray())} {path.LogProbability():R}\n");
            }
        }

        return text.ToString();
    }
}

/// <summary>Waits before each batch that reaches the model, so that a test can kill the run part-way.</summary>
internal sealed class SlowOracle(ILogitOracle inner, TimeSpan delay) : ILogitOracle
{
    public int AlphabetSize => inner.AlphabetSize;

    public int Horizon => inner.Horizon;

    public IReadOnlyList<LogitVector> Query(IReadOnlyList<Prefix> prefixes, QueryPhase phase = QueryPhase.Other, CancellationToken cancellationToken = default)
    {
        Thread.Sleep(delay);
        return inner.Query(prefixes, phase, cancellationToken);
    }
}
