using System.Diagnostics;
using System.Text;

namespace LogitRank.Packaging.Tests;

/// <summary>The outcome of one child process: its command line, exit code and captured output.</summary>
internal sealed record ProcessResult(string Command, int ExitCode, string Stdout, string Stderr)
{
    /// <summary>A failure message naming the command, the exit code and the end of both streams.</summary>
    public string Describe(string what) =>
        $"{what}: '{Command}' exited with code {ExitCode}.\n--- stdout (end) ---\n{Tail(Stdout)}\n--- stderr (end) ---\n{Tail(Stderr)}";

    public static string Tail(string text, int chars = 4000) => text.Length <= chars ? text : "..." + text[^chars..];
}

/// <summary>
/// Runs the <c>dotnet</c> CLI (and the installed tool) as child processes with a timeout each. The child environment drops
/// the MSBuild variables that <c>dotnet test</c> leaves in the test host (they would point a nested build at the outer one's
/// MSBuild), and disables the build servers (MSBuild node reuse, the compiler server), which would otherwise outlive the
/// build holding our redirected output open.
/// </summary>
internal static class ProcessRunner
{
    /// <summary>The <c>dotnet</c> host running these tests (set by <c>dotnet test</c>), else <c>dotnet</c> on the PATH.</summary>
    public static string DotnetExe { get; } =
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    public static ProcessResult Dotnet(string workingDirectory, TimeSpan timeout, params string[] arguments) =>
        Run(DotnetExe, arguments, workingDirectory, timeout);

    public static ProcessResult Run(string fileName, IReadOnlyList<string> arguments, string workingDirectory, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(name);
        }

        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        start.Environment["DOTNET_CLI_DO_NOT_USE_MSBUILD_SERVER"] = "1";
        start.Environment["UseSharedCompilation"] = "false";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        // The installed tool's launcher finds the runtime through DOTNET_ROOT: point it at the host running the tests.
        if (Path.GetDirectoryName(DotnetExe) is { Length: > 0 } root)
        {
            start.Environment["DOTNET_ROOT"] = root;
        }

        var command = fileName + " " + string.Join(' ', arguments.Select(a => a.Contains(' ', StringComparison.Ordinal) ? $"\"{a}\"" : a));
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Append(stdout, e.Data);
        process.ErrorDataReceived += (_, e) => Append(stderr, e.Data);
        if (!process.Start())
        {
            throw new InvalidOperationException($"Could not start '{command}'.");
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!WaitAndDrain(process, timeout))
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // It exited between the timeout and the kill: nothing left to stop.
            }

            process.WaitForExit(TimeSpan.FromSeconds(10));
            throw new TimeoutException(
                $"'{command}' (in {workingDirectory}) did not finish within {timeout.TotalSeconds:0} s and was killed.\n" +
                $"--- stdout (end) ---\n{ProcessResult.Tail(Snapshot(stdout))}\n--- stderr (end) ---\n{ProcessResult.Tail(Snapshot(stderr))}");
        }

        return new ProcessResult(command, process.ExitCode, Snapshot(stdout), Snapshot(stderr));
    }

    /// <summary>
    /// Waits for the exit and for the end of both redirected streams (<c>WaitForExitAsync</c> awaits both; a bounded
    /// <c>WaitForExit(timeout)</c> does not drain them). False when the process is still running at the timeout; a process
    /// that exited but whose pipes a grandchild still holds counts as finished (its output so far is kept).
    /// </summary>
    private static bool WaitAndDrain(Process process, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            process.WaitForExitAsync(cancel.Token).GetAwaiter().GetResult();
            return true;
        }
        catch (OperationCanceledException)
        {
            return process.HasExited;
        }
    }

    private static void Append(StringBuilder buffer, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (buffer)
        {
            buffer.AppendLine(line);
        }
    }

    private static string Snapshot(StringBuilder buffer)
    {
        lock (buffer)
        {
            return buffer.ToString();
        }
    }
}
