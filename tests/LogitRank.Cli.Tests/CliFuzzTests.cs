using System.Globalization;
using System.Text;
using System.Text.Json;
using LogitRank.Http;
using LogitRank.Http.Tests;
using LogitRank.Sequences;
using Xunit.Abstractions;

namespace LogitRank.Cli.Tests;

/// <summary>
/// A fuzz-style property over the whole tool (<see cref="Cli.Run(string[], TextWriter, TextWriter)"/>): seeded random and
/// mutated target specs, corrupted model and cache files, pre-existing (corrupt) output files, and an HTTP server that
/// injects faults (error statuses, malformed or truncated answers, delays). Every case must
/// <list type="bullet">
/// <item>end within <see cref="CaseLimit"/>;</item>
/// <item>exit 0 or with a documented code other than 1 ("unexpected": a bug), 130 and 141 (nothing cancels or closes stdout here);</item>
/// <item>on failure, print exactly one line on stderr (<c>error: ...</c>; every case runs with <c>--quiet</c>) and, with
/// <c>--json</c>, a JSON error object with the same code on stdout;</item>
/// <item>on failure, leave every pre-existing output file byte for byte as it was; on success, replace each written one whole.</item>
/// </list>
/// Size: <c>LOGITRANK_FUZZ_RUNS</c> cases (default <see cref="DefaultRuns"/>, CI-sized) from <c>LOGITRANK_FUZZ_SEED</c>
/// (default <see cref="DefaultSeed"/>); <c>LOGITRANK_FUZZ_CASE=i</c> replays case <c>i</c> alone. A failure prints the
/// command that replays it. Ten times larger: <c>LOGITRANK_FUZZ_RUNS=1000 dotnet test tests/LogitRank.Cli.Tests -c Release --filter FullyQualifiedName~CliFuzzTests</c>.
/// </summary>
public sealed class CliFuzzTests(ITestOutputHelper output) : IDisposable
{
    public const int DefaultRuns = 100;
    public const int DefaultSeed = 16;

    private static readonly TimeSpan CaseLimit = TimeSpan.FromSeconds(60);

    private static readonly HashSet<int> Allowed =
    [
        ExitCodes.Success, ExitCodes.Usage, ExitCodes.BadInputFile, ExitCodes.BudgetExhausted,
        ExitCodes.EnumerationTooLarge, ExitCodes.OracleFailed, ExitCodes.OutputFailed,
    ];

    private static readonly string[] Junk =
    [
        "-1", "0", "1", "2", "3", "7", "1000000000", "99999999999", "abc", "", "1.5", "1e400", "1e308", "1e-320",
        "NaN", "-0", "+3", " 2", "0x10", "∞", "2,", "=", "k=2",
    ];

    private static readonly string[] BadNumbers = ["-1", "1e999", "0", "99999999999"];

    private static readonly string[] Families = ["isn", "ISAN", "http", "onnx", "tabular", "", "hmm"];

    private readonly CliHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    [Fact]
    public void Every_case_ends_in_time_with_a_documented_code_one_error_line_and_untouched_outputs()
    {
        var runs = Setting("LOGITRANK_FUZZ_RUNS", DefaultRuns);
        var seed = Setting("LOGITRANK_FUZZ_SEED", DefaultSeed);
        var only = Environment.GetEnvironmentVariable("LOGITRANK_FUZZ_CASE") is { Length: > 0 } c ? int.Parse(c, CultureInfo.InvariantCulture) : (int?)null;
        var model = _harness.PathOf("valid-model.json");
        Assert.Equal(ExitCodes.Success, CliHarness.Run("learn", "isan:k=2,T=3,d=2,seed=5", "--out", model, "--quiet").Code);
        var cache = _harness.PathOf("valid-cache.db");
        Assert.Equal(ExitCodes.Success, CliHarness.Run("spectrum", "isan:k=2,T=3,d=2,seed=5", "--cache", cache, "--histories", "4", "--futures", "4", "--quiet").Code);
        var fixtures = new Fixtures(File.ReadAllBytes(model), File.ReadAllBytes(cache));

        var outcomes = new Dictionary<int, int>();
        var started = DateTime.UtcNow;
        for (var i = only ?? 0; i < (only + 1 ?? runs); i++)
        {
            var code = RunCase(seed, i, fixtures);
            outcomes[code] = outcomes.GetValueOrDefault(code) + 1;
        }

        output.WriteLine($"CLI fuzz: {(only is null ? runs : 1)} case(s), LOGITRANK_FUZZ_SEED={seed}, {(DateTime.UtcNow - started).TotalSeconds:0.0} s; exit codes: {string.Join(", ", outcomes.OrderBy(p => p.Key).Select(p => $"{p.Key}×{p.Value}"))}");
    }

    private int RunCase(int seed, int index, Fixtures fixtures)
    {
        var random = new Random(Mix(seed, index));
        var directory = Path.Combine(_harness.Directory, $"case{index}");
        Directory.CreateDirectory(directory);
        var kind = random.Next(4);
        using var server = kind == 3 ? FaultyServer(random.Next()) : null;
        var args = kind switch
        {
            0 => SpecCase(random, directory, fixtures, server),
            1 => ModelFileCase(random, directory, fixtures),
            2 => CacheFileCase(random, directory, fixtures),
            _ => SpecCase(random, directory, fixtures, server),
        };
        if (random.Next(3) == 0)
        {
            args.Add("--json");
        }

        args.Add("--quiet");

        // Every output path starts as a file with sentinel (possibly corrupt) contents.
        var outputs = OutputPaths(args).ToDictionary(p => p, p => SentinelBytes(random));
        foreach (var (path, bytes) in outputs)
        {
            File.WriteAllBytes(path, bytes);
        }

        var replay = $"LOGITRANK_FUZZ_SEED={seed} LOGITRANK_FUZZ_CASE={index} dotnet test tests/LogitRank.Cli.Tests -c Release --filter FullyQualifiedName~CliFuzzTests  (args: {string.Join(' ', args.Select(a => $"'{a}'"))})";
        using var cancellation = new CancellationTokenSource();
        var run = Task.Run(() => CliHarness.RunIn(CliEnvironment.Default, cancellation.Token, [.. args]));
        if (!run.Wait(CaseLimit))
        {
            cancellation.Cancel();
            Assert.Fail($"Case {index} did not end within {CaseLimit.TotalSeconds} s. Replay: {replay}");
        }

        var result = run.Result;
        var context = $"Case {index} exited {result.Code}.\nstderr: {result.Err}\nReplay: {replay}";
        Assert.True(Allowed.Contains(result.Code), context);
        if (result.Code != ExitCodes.Success)
        {
            var lines = result.Err.TrimEnd().Split('\n');
            Assert.True(lines.Length == 1 && lines[0].StartsWith("error: ", StringComparison.Ordinal), context);
            foreach (var (path, bytes) in outputs)
            {
                Assert.True(bytes.AsSpan().SequenceEqual(File.ReadAllBytes(path)), $"{path} changed. {context}");
            }

            if (args.Contains("--json"))
            {
                using var json = JsonDocument.Parse(result.Out);
                Assert.Equal(result.Code, json.RootElement.GetProperty("error").GetProperty("exitCode").GetInt32());
            }
        }
        else
        {
            foreach (var path in outputs.Keys.Where(p => p.EndsWith(".json", StringComparison.Ordinal) && !outputs[p].AsSpan().SequenceEqual(File.ReadAllBytes(p))))
            {
                using var written = JsonDocument.Parse(File.ReadAllBytes(path)); // replaced whole: valid JSON
            }
        }

        Assert.Empty(Directory.GetFiles(directory, "*.tmp"));
        return result.Code;
    }

    private static List<string> SpecCase(Random random, string directory, Fixtures fixtures, FakeCompletionsServer? server)
    {
        var baseSpec = BaseSpec(random, server);
        var spec = Mutate(random, baseSpec);
        var other = Mutate(random, random.Next(2) == 0 ? baseSpec : BaseSpec(random, server));
        var o = Path.Combine(directory, "out.json");
        var r = Path.Combine(directory, "report.json");
        return random.Next(6) switch
        {
            0 => ["sample", spec, "--count", "3"],
            1 => ["spectrum", spec, "--histories", "8", "--futures", "6", "--max-rank", "2", "--csv", Path.Combine(directory, "s.csv"), "--out", o],
            2 => ["evaluate", spec, other, "--max-sequences", "4096"],
            3 => ["evaluate", spec, other, "--samples", "20"],
            4 => ["learn", spec, "--epochs", "3", "--budget", random.Next(3) == 0 ? "50" : "3000", "--validation-samples", "4", "--spanner-samples", "4", "--holdout-samples", "20", "--exact-limit", "1024", "--out", o, "--report", r],
            _ => ["certify", WriteModel(directory, fixtures.Model), spec, "--holdout-samples", "20", "--report", r],
        };
    }

    private static List<string> ModelFileCase(Random random, string directory, Fixtures fixtures)
    {
        var model = Path.Combine(directory, "model.json");
        File.WriteAllBytes(model, Corrupt(random, fixtures.Model, text: true));
        return random.Next(3) switch
        {
            0 => ["sample", model, "--count", "3"],
            1 => ["certify", model, "isan:k=2,T=3,d=2,seed=5", "--holdout-samples", "20", "--report", Path.Combine(directory, "report.json")],
            _ => ["evaluate", model, "isan:k=2,T=3,d=2,seed=5"],
        };
    }

    private static List<string> CacheFileCase(Random random, string directory, Fixtures fixtures)
    {
        var cache = Path.Combine(directory, "cache.db");
        File.WriteAllBytes(cache, Corrupt(random, fixtures.Cache, text: false));
        return ["spectrum", "isan:k=2,T=3,d=2,seed=5", "--cache", cache, "--histories", "4", "--futures", "4", "--out", Path.Combine(directory, "out.json")];
    }

    private static string BaseSpec(Random random, FakeCompletionsServer? server)
    {
        string[] specs =
        [
            "isan:k=3,T=4,d=2,seed=1", "parity:n=4,noise=0.1", "hmm:k=2,T=4,states=3,seed=2",
            "perturbed:k=2,T=4,d=2,eps=0.05", "tabular:k=2,T=4,seed=3", "isan:k=2,T=5,d=3,scale=2", "isan:k=4,T=7,d=2",
            $"onnx:path={Path.Combine(AppContext.BaseDirectory, "Fixtures", "charlm-dev", "charlm-dev.onnx")},T=3",
        ];
        return server is not null && random.Next(4) != 0
            ? $"http:url={server.BaseAddress},T=4,bos=1,tokens=10-12,retries={random.Next(2)},backoff=1,timeout=5"
            : specs[random.Next(specs.Length)];
    }

    /// <summary>0 to 3 seeded edits of a spec: a value replaced by junk, a pair dropped, repeated or added, a family or character changed.</summary>
    private static string Mutate(Random random, string spec)
    {
        var edits = random.Next(4);
        for (var e = 0; e < edits; e++)
        {
            var colon = spec.IndexOf(':', StringComparison.Ordinal);
            var family = colon < 0 ? spec : spec[..colon];
            var pairs = colon < 0 ? [] : spec[(colon + 1)..].Split(',').ToList();
            switch (random.Next(7))
            {
                case 0 when pairs.Count > 0:
                    var i = random.Next(pairs.Count);
                    var eq = pairs[i].IndexOf('=', StringComparison.Ordinal);
                    pairs[i] = (eq < 0 ? pairs[i] : pairs[i][..eq]) + "=" + Junk[random.Next(Junk.Length)];
                    break;
                case 1 when pairs.Count > 0:
                    pairs.RemoveAt(random.Next(pairs.Count));
                    break;
                case 2 when pairs.Count > 0:
                    pairs.Add(pairs[random.Next(pairs.Count)]);
                    break;
                case 3:
                    pairs.Add($"zz{random.Next(9)}=1");
                    break;
                case 4:
                    family = Families[random.Next(Families.Length)];
                    break;
                case 5 when spec.Length > 0:
                    var at = random.Next(spec.Length);
                    spec = spec[..at] + ",=:+- x\t"[random.Next(8)] + spec[(at + 1)..];
                    continue;
                default:
                    pairs = [.. pairs.Select(p => p.ToUpperInvariant())];
                    break;
            }

            spec = $"{family}:{string.Join(',', pairs)}";
        }

        return spec;
    }

    /// <summary>Byte-level damage: overwritten bytes, a truncation, or (for text) a number replaced by an impossible one.</summary>
    private static byte[] Corrupt(Random random, byte[] valid, bool text)
    {
        var bytes = (byte[])valid.Clone();
        switch (random.Next(text ? 4 : 3))
        {
            case 0:
                for (var n = random.Next(1, 4); n > 0; n--)
                {
                    bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
                }

                return bytes;
            case 1:
                return bytes[..random.Next(bytes.Length)];
            case 2:
                return random.Next(2) == 0 ? [] : [.. bytes, .. Encoding.UTF8.GetBytes("garbage")];
            default:
                var json = Encoding.UTF8.GetString(bytes);
                var digits = Enumerable.Range(0, json.Length).Where(k => char.IsDigit(json[k])).ToArray();
                var k = digits[random.Next(digits.Length)];
                return Encoding.UTF8.GetBytes(json[..k] + BadNumbers[random.Next(BadNumbers.Length)] + json[(k + 1)..]);
        }
    }

    /// <summary>A server whose answer to each (prefix, attempt) is a fault drawn from a hash of the case's seed (thread-safe, reproducible).</summary>
    private static FakeCompletionsServer FaultyServer(int caseSeed)
    {
        Fault[] faults =
        [
            Fault.Error(500), Fault.Error(400), Fault.RateLimited("0"), Fault.Malformed("{}"), Fault.Malformed("not json"),
            Fault.Malformed("{\"choices\":[]}"), Fault.Truncated(1), Fault.Slow(20),
            Fault.Malformed("{\"choices\":[{\"logprobs\":{\"top_logprobs\":[{\"token_id:10\":0,\"token_id:11\":0,\"token_id:12\":0}]}}]}"),
            Fault.Malformed("{\"choices\":[{\"logprobs\":{\"top_logprobs\":[{\"token_id:10\":-1,\"token_id:11\":\"x\",\"token_id:12\":-2}]}}]}"),
        ];
        var faultRate = new Random(caseSeed).Next(4) switch { 0 => 0.0, 1 => 0.02, 2 => 0.2, _ => 1.0 };
        return HttpTargetTests.Server(faults: (prefix, attempt) =>
        {
            var h = new Random(Mix(Mix(caseSeed, Checksum(prefix)), attempt));
            return h.NextDouble() < faultRate ? faults[h.Next(faults.Length)] : Fault.Ok;
        });
    }

    private static int Checksum(Prefix prefix) => prefix.ToArray().Aggregate(17 + prefix.Length, (a, t) => unchecked((a * 31) + t + 1));

    /// <summary>A deterministic mix of two ints (HashCode is randomised per process, so it cannot replay a seed).</summary>
    private static int Mix(int a, int b) => unchecked((int)((((uint)a * 2654435761u) ^ ((uint)b + 0x9E3779B9u + ((uint)a << 6) + ((uint)a >> 2))) & 0x7FFFFFFF));

    private static string WriteModel(string directory, byte[] model)
    {
        var path = Path.Combine(directory, "model.json");
        File.WriteAllBytes(path, model);
        return path;
    }

    /// <summary>The values of the output options in <paramref name="args"/>.</summary>
    private static IEnumerable<string> OutputPaths(List<string> args)
    {
        for (var i = 0; i + 1 < args.Count; i++)
        {
            if (args[i] is "--out" or "--report" or "--csv")
            {
                yield return args[i + 1];
            }
        }
    }

    private static byte[] SentinelBytes(Random random) =>
        random.Next(2) == 0 ? Encoding.UTF8.GetBytes("previous contents\n") : [0x7B, 0x22, 0xFF, 0x00, 0x0A];

    private static int Setting(string name, int defaultValue) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } text ? int.Parse(text, CultureInfo.InvariantCulture) : defaultValue;

    private sealed record Fixtures(byte[] Model, byte[] Cache);
}
