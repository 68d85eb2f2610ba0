using System.Diagnostics;

namespace LogitRank.Cli.Tests;

/// <summary>
/// <see cref="Program.Main"/> as a real process: what only the console can show (signals, a closed pipe, a full device,
/// ONNX Runtime's own log output). These run the built tool with <c>dotnet LogitRank.Cli.dll</c> through <c>/bin/sh</c>,
/// so they need a POSIX system; elsewhere they return at once (CI runs on Linux).
/// </summary>
public sealed class ProgramTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    private static string Tool => $"dotnet \"{typeof(Cli).Assembly.Location}\"";

    [Fact]
    public void A_reader_that_closes_the_pipe_stops_sampling_with_141()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        // 10^8 sequences would take minutes; the first write after `head` exits fails with EPIPE and the tool stops.
        var (code, stdout, stderr) = Shell($"{Tool} sample isan:k=4,T=30,d=4 --count 100000000 | head -1; echo \"exit=${{PIPESTATUS[0]}}\"");
        Assert.Equal(0, code);
        var lines = stdout.TrimEnd().Split('\n');
        Assert.Equal(2, lines.Length);
        Assert.Equal(30, lines[0].Split(' ').Length);
        Assert.Equal($"exit={ExitCodes.BrokenPipe}", lines[1]);
        Assert.Equal(string.Empty, stderr);
    }

    [Fact]
    public void Stdout_on_a_full_device_is_one_error_line_and_exit_7()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        var (code, _, stderr) = Shell($"{Tool} sample isan:k=2,T=3,d=2 > /dev/full");
        Assert.Equal(ExitCodes.OutputFailed, code);
        Assert.Equal("error: Cannot write to stdout: No space left on device.", stderr.TrimEnd());
    }

    [Theory]
    [InlineData("INT")]
    [InlineData("TERM")] // what kill, systemd and container runtimes send: without a handler the runtime exits at once with 143
    public async Task Sigint_and_sigterm_cancel_an_exact_enumeration_with_130(string signal)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        // Issue 16: still running 60 s after SIGINT. 2^24 sequences take far longer than the wait for the first progress line.
        // exec: the signal goes to the tool itself, not to a shell waiting for it.
        using var process = Start("-c", $"exec {Tool} evaluate isan:k=2,T=24,d=2 isan:k=2,T=24,d=3 --max-sequences 100000000");
        using var timeout = new CancellationTokenSource(Limit);
        var firstLine = await process.StandardError.ReadLineAsync(timeout.Token);
        Assert.StartsWith("progress: exact KL and TV", firstLine, StringComparison.Ordinal);
        using (var kill = Process.Start("kill", ["-" + signal, process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync(timeout.Token);
        }

        var rest = await process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        Assert.Equal(ExitCodes.Cancelled, process.ExitCode);
        Assert.Equal("error: Cancelled.", rest.Split('\n', StringSplitOptions.RemoveEmptyEntries).Last(l => !l.StartsWith("progress:", StringComparison.Ordinal)));
    }

    [Fact]
    public void A_bos_id_outside_the_onnx_embedding_is_one_error_line_without_onnx_runtime_logging()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        var fixture = Path.Combine(AppContext.BaseDirectory, "Fixtures", "charlm-dev");
        var spec = Path.Combine(Path.GetTempPath(), $"badbos-{Guid.NewGuid():N}.json");
        File.WriteAllText(spec, File.ReadAllText(Path.Combine(fixture, "charlm-dev.json")).Replace("\"bos\": 32", "\"bos\": 1000", StringComparison.Ordinal));
        try
        {
            var (code, stdout, stderr) = Shell($"{Tool} sample onnx:path={Path.Combine(fixture, "charlm-dev.onnx")},T=4,spec={spec} --count 2");
            Assert.Equal(ExitCodes.BadInputFile, code);
            Assert.Equal(string.Empty, stdout);
            var line = Assert.Single(stderr.TrimEnd().Split('\n'));
            Assert.StartsWith("error: The ONNX model failed", line, StringComparison.Ordinal);
            Assert.Contains("outside the model's input vocabulary", line, StringComparison.Ordinal);
            Assert.DoesNotContain("\u001b[", stderr, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(spec);
        }
    }

    private static (int Code, string Stdout, string Stderr) Shell(string command)
    {
        using var process = Start("-c", command);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(Limit))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"'{command}' did not finish within {Limit.TotalSeconds} s.");
        }

        return (process.ExitCode, stdout.Result, stderr.Result);
    }

    private static Process Start(params string[] args)
    {
        var info = new ProcessStartInfo("/bin/bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        return Process.Start(info) ?? throw new InvalidOperationException("bash did not start");
    }
}
