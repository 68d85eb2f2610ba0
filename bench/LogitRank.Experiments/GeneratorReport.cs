using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using LogitRank.Learning;
using LogitRank.Models;
using LogitRank.Oracles;
using LogitRank.Sequences;

namespace LogitRank.Experiments;

/// <summary>
/// The generator and learner speed harness of issue 15 (bench/reports/generator.md): learns an exact ISAN (k = 8,
/// T = 16, d = 8 by default) and reports the learner's wall time by phase with its queries and the SHA-256 of the model
/// JSON (so two builds can be compared for the same learned model); then the learned model's sampling speed as a ratio
/// to the target ISAN's own sampler measured in the same run; the heap growth over many sampled sequences (a fresh
/// model loaded from JSON, so its memo starts empty); and batch sampling (<c>SampleMany</c>, when the build has it) on
/// one and on all cores with a check that both give the same sequences.
/// </summary>
/// <remarks>
/// Usage: <c>dotnet run -c Release --project bench/LogitRank.Experiments -- --generator [--label L] [--k 8 --T 16 --d 8]
/// [--sample-seconds S] [--heap-sequences N] [--out FILE]</c>. The run appends one section to the report. (The
/// "before" column was measured with this harness minus the batch section, on commit 373677a.)
/// </remarks>
internal static class GeneratorReport
{
    public static void Run(string[] args, string root)
    {
        string Arg(string name, string fallback)
        {
            var i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
        }

        var label = Arg("--label", "current");
        var k = int.Parse(Arg("--k", "8"), CultureInfo.InvariantCulture);
        var horizon = int.Parse(Arg("--T", "16"), CultureInfo.InvariantCulture);
        var d = int.Parse(Arg("--d", "8"), CultureInfo.InvariantCulture);
        var sampleSeconds = double.Parse(Arg("--sample-seconds", "20"), CultureInfo.InvariantCulture);
        var heapSequences = long.Parse(Arg("--heap-sequences", "1000000"), CultureInfo.InvariantCulture);
        var output = Arg("--out", Path.Combine(root, "bench", "reports", "generator.md"));
        var md = new StringBuilder();
        void Line(string text)
        {
            Console.WriteLine(text);
            md.AppendLine(text);
        }

        var commit = Git(root, "rev-parse --short HEAD");
        Line(string.Create(CultureInfo.InvariantCulture, $"## {label} (commit {commit}, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC)"));
        Line(string.Empty);
        Line(string.Create(CultureInfo.InvariantCulture, $"Command: `dotnet run -c Release --project bench/LogitRank.Experiments -- {string.Join(' ', args)}`; {Environment.ProcessorCount} cores; load average at start {LoadAverage()}."));
        Line(string.Empty);

        // 1. Learning.
        var target = TimeVaryingIsan.Random(k, horizon, d, seed: 1);
        var schedule = new PracticalSchedule { MaxEpochs = 200, ValidationSamples = 16, SpannerSampleCount = 16, WitnessThreshold = 1e-6 };
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var result = new LogitRankLearner().Learn(new ModelOracle(target), schedule, seed: 1);
        clock.Stop();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        var r = result.Report;
        var json = result.Model.ToJson();
        var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(json)))[..16];
        Line(string.Create(CultureInfo.InvariantCulture, $"Target `TimeVaryingIsan.Random({k}, {horizon}, {d}, seed: 1)`, learner seed 1, `PracticalSchedule {{ MaxEpochs = 200, ValidationSamples = 16, SpannerSampleCount = 16, WitnessThreshold = 1e-6 }}`."));
        Line(string.Empty);
        Line("| learning | accepted | epochs | LPs | queries | model JSON SHA-256 (16 hex) | sampling | spanner | reconstruction LPs | witness search | total wall | process CPU |");
        Line("|---|---|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|");
        Line(string.Create(CultureInfo.InvariantCulture, $"| {label} | {r.Accepted} | {r.EpochsRun} | {r.LpCount:N0} | {r.Queries.Total:N0} | `{hash}` | {r.WallTime.Sampling.TotalSeconds:F2} s | {r.WallTime.Spanner.TotalSeconds:F2} s | {r.WallTime.Reconstruction.TotalSeconds:F2} s | {r.WallTime.WitnessSearch.TotalSeconds:F2} s | {clock.Elapsed.TotalSeconds:F2} s | {cpu.TotalSeconds:F2} s |"));
        Line(string.Empty);

        // 2. Sampling speed against the target's own sampler, each for about sampleSeconds.
        var targetRate = TokensPerSecond(target, horizon, sampleSeconds / 2, out var targetSequences);
        var model = LearnedModel.FromJson(json);
        var modelRate = TokensPerSecond(model, horizon, sampleSeconds, out var modelSequences);
        Line("| sampling | target ISAN tokens/s | learned model tokens/s (fresh model) | ratio | sequences drawn (target / model) |");
        Line("|---|---:|---:|---:|---|");
        Line(string.Create(CultureInfo.InvariantCulture, $"| {label} | {targetRate:N0} | {modelRate:N0} | {modelRate / targetRate:P2} | {targetSequences:N0} / {modelSequences:N0} |"));
        Line(string.Empty);

        // 3. Heap growth over many sequences from a fresh model (its memo starts empty).
        var fresh = LearnedModel.FromJson(json);
        var random = new Random(3);
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var heapClock = Stopwatch.StartNew();
        var drawn = 0L;
        var checkpoints = new List<string>();
        var budget = TimeSpan.FromSeconds(Math.Max(600, sampleSeconds * 6));
        for (; drawn < heapSequences && heapClock.Elapsed < budget; drawn++)
        {
            fresh.Sample(random);
            if ((drawn + 1) % Math.Max(1, heapSequences / 4) == 0)
            {
                checkpoints.Add(string.Create(CultureInfo.InvariantCulture, $"{drawn + 1:N0}: {(GC.GetTotalMemory(true) - before) / 1e6:F1} MB"));
            }
        }

        var after = GC.GetTotalMemory(forceFullCollection: true);
        GC.KeepAlive(fresh); // the model and its memo are part of what is measured
        GC.KeepAlive(result); // alive at both measurements, so its collection does not count as negative growth
        Line("| heap | sequences drawn (time cap) | heap growth | at checkpoints | tokens/s over the run |");
        Line("|---|---:|---:|---|---:|");
        Line(string.Create(CultureInfo.InvariantCulture, $"| {label} | {drawn:N0} of {heapSequences:N0} ({heapClock.Elapsed.TotalSeconds:F0} s, cap {budget.TotalSeconds:F0} s) | {(after - before) / 1e6:F1} MB | {string.Join("; ", checkpoints)} | {drawn * horizon / heapClock.Elapsed.TotalSeconds:N0} |"));
        Line(string.Empty);

        // 4. Batch sampling: SampleMany on one and on all cores (the sequences must not depend on the core count).
        {
            var count = Math.Max(1000, (int)(modelRate * sampleSeconds / horizon / 2));
            var timings = new List<string>();
            IReadOnlyList<Prefix>? reference = null;
            var identical = true;
            foreach (var cores in new[] { 1, Environment.ProcessorCount })
            {
                var batchModel = LearnedModel.FromJson(json);
                var sw = Stopwatch.StartNew();
                var sequences = batchModel.SampleMany(count, 11, cores);
                sw.Stop();
                timings.Add(string.Create(CultureInfo.InvariantCulture, $"{cores} core(s): {count * (double)horizon / sw.Elapsed.TotalSeconds:N0} tokens/s"));
                identical &= reference is null || reference.SequenceEqual(sequences);
                reference ??= sequences;
            }

            Line(string.Create(CultureInfo.InvariantCulture, $"Batch sampling `SampleMany({count:N0}, seed 11, cores)` on fresh models: {string.Join(", ", timings)}; same sequences on 1 and {Environment.ProcessorCount} cores: {identical}."));
        }

        Line(string.Empty);
        File.AppendAllText(output, md.ToString());
        Console.WriteLine($"Appended to {output}");
    }

    private static double TokensPerSecond(ISequenceModel model, int horizon, double seconds, out long sequences)
    {
        var random = new Random(7);
        var sw = Stopwatch.StartNew();
        sequences = 0;
        while (sw.Elapsed.TotalSeconds < seconds || sequences < 10)
        {
            model.Sample(random);
            sequences++;
        }

        return sequences * horizon / sw.Elapsed.TotalSeconds;
    }

    private static string LoadAverage()
    {
        try
        {
            return File.ReadAllText("/proc/loadavg").Split(' ')[0];
        }
        catch (IOException)
        {
            return "n/a";
        }
    }

    private static string Git(string root, string arguments)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo("git", arguments) { WorkingDirectory = root, RedirectStandardOutput = true })!;
            var text = process.StandardOutput.ReadToEnd().Trim();
            process.WaitForExit();
            return text;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "unknown";
        }
    }
}
