using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace LogitRank.Cli;

/// <summary>The <c>logitrank</c> command-line tool.</summary>
public static class Program
{
    /// <summary>How long a cancelled command may take to stop before the process exits anyway (exit code 130).</summary>
    private static readonly TimeSpan CancelGrace = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Entry point: <see cref="Cli.Run(string[], TextWriter, TextWriter, bool, CancellationToken)"/> on the console.
    /// The first Ctrl+C (SIGINT) or SIGTERM cancels the command's token: long work (learning, enumeration, sampling,
    /// analysis) stops at its next check and the command exits with <see cref="ExitCodes.Cancelled"/>; a second signal,
    /// or a command still running 10 s later, exits at once with the same code.
    /// </summary>
    /// <param name="args">The arguments.</param>
    /// <returns>The exit code (<see cref="ExitCodes"/>).</returns>
    public static int Main(string[] args)
    {
        using var cancellation = new CancellationTokenSource();
        var presses = 0;
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            Cancel();
        };

        // SIGTERM (what `kill`, systemd and container runtimes send) stops the command as Ctrl+C does, so answers already
        // paid are stored (--cache) and outputs are not left half-written; without this the runtime would exit at once.
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            Cancel();
        });

        using var stdout = OpenStdout();
        return Cli.Run(args, stdout, Console.Error, interactive: !Console.IsErrorRedirected, cancellation.Token);

        void Cancel()
        {
            if (Interlocked.Increment(ref presses) > 1)
            {
                Console.Error.WriteLine("error: Cancelled.");
                Environment.Exit(ExitCodes.Cancelled);
            }

            cancellation.Cancel();
            _ = Task.Delay(CancelGrace).ContinueWith(
                _ =>
                {
                    Console.Error.WriteLine($"error: Cancelled (the command did not stop within {CancelGrace.TotalSeconds:0} s).");
                    Environment.Exit(ExitCodes.Cancelled);
                },
                TaskScheduler.Default);
        }
    }

    /// <summary>
    /// Stdout as a plain file stream on descriptor 1 (Unix): unlike <see cref="Console.Out"/>, which ignores a broken
    /// pipe, its writes fail with <c>EPIPE</c> when the reader has gone and with <c>ENOSPC</c> on a full disk, so the
    /// tool can stop (<see cref="ExitCodes.BrokenPipe"/>) or report it (<see cref="ExitCodes.OutputFailed"/>).
    /// </summary>
    private static StreamWriter OpenStdout()
    {
        var stream = OperatingSystem.IsWindows()
            ? Console.OpenStandardOutput()
            : new FileStream(new SafeFileHandle(1, ownsHandle: false), FileAccess.Write, bufferSize: 0);
        return new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), bufferSize: 4096) { AutoFlush = true };
    }
}
