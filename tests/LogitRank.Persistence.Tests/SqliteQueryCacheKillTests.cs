using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;

namespace LogitRank.Persistence.Tests;

/// <summary>
/// Kill and resume: the ResumeWorker program (a seeded learning run, or seeded sampling rounds, through a
/// <see cref="SqliteQueryCache"/> over a seeded ISAN) is SIGKILLed part-way and rerun; the rerun must pay only for the
/// queries the killed run did not store, and produce exactly the output (learned model JSON, or samples with their
/// log-probabilities) of an uninterrupted run.
/// </summary>
public class SqliteQueryCacheKillTests(ITestOutputHelper log)
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(30);

    /// <param name="workload">learn: LogitRankLearner (about 13 000 queries in 280 paid batches); sample: OracleSampler rounds (1047 queries).</param>
    /// <param name="delayMs">The pause before each paid batch of the run that is killed, so that the kill lands part-way.</param>
    [Theory]
    [InlineData("learn", 10)]
    [InlineData("sample", 40)]
    public void A_killed_run_resumes_paying_only_for_the_missing_queries_and_gives_the_same_result(string workload, int delayMs)
    {
        using var dir = new TempDirectory();

        // 1. Uninterrupted reference run on a fresh file.
        var reference = RunToCompletion(dir.File("reference.db"), dir.File("reference.out"), workload);
        var total = SqliteQueryCache.Inspect(dir.File("reference.db"), verifyEntries: true).Entries;
        Assert.Equal(total, reference.Inner); // each distinct prefix is paid for once
        Assert.True(total > 300, $"The workload should make several hundred distinct queries; it made {total}.");

        // 2. The same run, slowed down (a pause before each paid batch), killed once a third of the answers are stored.
        var db = dir.File("resumed.db");
        var output = dir.File("resumed.out");
        long storedAtKill;
        using (var victim = Start(db, output, workload, delayMs))
        {
            var deadline = Stopwatch.StartNew();
            while (Entries(db) < total / 3)
            {
                Assert.False(victim.HasExited, $"The worker finished before it could be killed (exit code {(victim.HasExited ? victim.ExitCode : 0)}, {Entries(db)} of {total} entries).");
                Assert.True(deadline.Elapsed < RunTimeout, $"The worker stored only {Entries(db)} of {total} answers in {RunTimeout.TotalSeconds} s.");
                Thread.Sleep(20);
            }

            victim.Kill(entireProcessTree: true); // SIGKILL on Linux: no finalizers, no Dispose
            Assert.True(victim.WaitForExit(10_000), "The killed worker did not exit within 10 s.");
        }

        Assert.False(File.Exists(output), "The killed worker must not have finished.");
        storedAtKill = SqliteQueryCache.Inspect(db, verifyEntries: true).Entries;
        Assert.InRange(storedAtKill, total / 3, total - 1);

        // 3. Rerun to completion on the same file.
        var resumed = RunToCompletion(db, output, workload);
        Assert.Equal(total - storedAtKill, resumed.Inner);
        Assert.Equal(reference.Output, resumed.Output);
        Assert.Equal(total, SqliteQueryCache.Inspect(db, verifyEntries: true).Entries);
        log.WriteLine($"{workload}: distinct queries {total}; stored at kill {storedAtKill}; paid on resume {resumed.Inner}; output {reference.Output.Length} chars, identical");
    }

    [Fact]
    public void Two_processes_sharing_one_file_both_finish_with_the_reference_result()
    {
        using var dir = new TempDirectory();
        var reference = RunToCompletion(dir.File("reference.db"), dir.File("reference.out"), "sample");
        var db = dir.File("shared.db");
        using var first = Start(db, dir.File("first.out"), "sample", delayMs: 5);
        using var second = Start(db, dir.File("second.out"), "sample", delayMs: 5);
        var inner = Finish(first) + Finish(second);
        Assert.Equal(reference.Output, File.ReadAllText(dir.File("first.out")));
        Assert.Equal(reference.Output, File.ReadAllText(dir.File("second.out")));
        Assert.Equal(reference.Inner, SqliteQueryCache.Inspect(db, verifyEntries: true).Entries);

        // Each prefix is paid for at least once; a prefix both fetched at the same moment is paid for twice (at most).
        Assert.InRange(inner, reference.Inner, 2 * reference.Inner);
        log.WriteLine($"distinct queries {reference.Inner}; paid by the two processes together {inner}");
    }

    private static (long Inner, string Output) RunToCompletion(string db, string output, string workload)
    {
        using var process = Start(db, output, workload, delayMs: 0);
        var inner = Finish(process);
        return (inner, File.ReadAllText(output));
    }

    private static long Finish(Process process)
    {
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit((int)RunTimeout.TotalMilliseconds))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"The worker did not finish within {RunTimeout.TotalSeconds} s.");
        }

        Assert.True(stdout.Wait(RunTimeout) && stderr.Wait(RunTimeout));
        Assert.True(process.ExitCode == 0, $"The worker failed (exit code {process.ExitCode}): {stderr.Result}");
        var line = stdout.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Single(l => l.StartsWith("inner=", StringComparison.Ordinal));
        return long.Parse(line["inner=".Length..], CultureInfo.InvariantCulture);
    }

    private static Process Start(string db, string output, string workload, int delayMs)
    {
        var worker = Path.Combine(AppContext.BaseDirectory, "LogitRank.Persistence.ResumeWorker.dll");
        Assert.True(File.Exists(worker), $"The worker {worker} is missing (the test project references it so that it is copied).");
        var info = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { worker, "--db", db, "--out", output, "--workload", workload, "--delay-ms", delayMs.ToString(CultureInfo.InvariantCulture) })
        {
            info.ArgumentList.Add(argument);
        }

        return Process.Start(info) ?? throw new InvalidOperationException("The worker did not start.");
    }

    private static string DotnetHost()
    {
        var current = Environment.ProcessPath;
        if (current is not null && Path.GetFileNameWithoutExtension(current) == "dotnet")
        {
            return current;
        }

        return Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
    }

    /// <summary>The number of stored answers, or 0 while the worker has not created the file yet.</summary>
    private static long Entries(string db)
    {
        if (!File.Exists(db))
        {
            return 0;
        }

        try
        {
            return SqliteQueryCache.Inspect(db).Entries;
        }
        catch (Exception e) when (e is CacheCorruptException { Problem: CacheCorruption.ForeignApplication } or SqliteException or IOException)
        {
            return 0; // the worker is still creating the file
        }
    }
}
