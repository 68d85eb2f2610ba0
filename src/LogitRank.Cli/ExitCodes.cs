namespace LogitRank.Cli;

/// <summary>
/// The process exit codes of <c>logitrank</c>, one per kind of failure (documented in <c>proofs-notes/cli.md</c>).
/// </summary>
public static class ExitCodes
{
    /// <summary>The command succeeded (a learned model that was not accepted, or a certificate that does not meet a target, is still a success).</summary>
    public const int Success = 0;

    /// <summary>An unexpected failure (a bug or an environment problem); <c>--verbose</c> prints the stack trace.</summary>
    public const int Unexpected = 1;

    /// <summary>Bad usage: unknown command or option, a missing or malformed argument, a bad target spec key or value.</summary>
    public const int Usage = 2;

    /// <summary>A bad input file: missing, unreadable, or not a valid saved model.</summary>
    public const int BadInputFile = 3;

    /// <summary>The oracle query budget (<c>--budget</c>) was exhausted.</summary>
    public const int BudgetExhausted = 4;

    /// <summary>Exact evaluation needs more sequences <c>k^T</c> than the enumeration limit (use <c>--samples</c>).</summary>
    public const int EnumerationTooLarge = 5;

    /// <summary>
    /// The target's oracle failed for good: an HTTP server could not be reached, timed out, answered with an error status
    /// or an invalid answer after its retries, or a cached answer disagrees with a fresh one.
    /// </summary>
    public const int OracleFailed = 6;

    /// <summary>
    /// An output could not be written: an output path (<c>--out</c>, <c>--report</c>, <c>--plot</c>, <c>--csv</c>) that is a
    /// directory, lies in a directory that cannot be created or written (both checked before any query is paid), or a
    /// write that failed (disk full); also stdout failing (a full disk). Existing files are left unchanged, and the
    /// human summary is still printed when the work was done.
    /// </summary>
    public const int OutputFailed = 7;

    /// <summary>Cancelled (Ctrl+C or SIGTERM).</summary>
    public const int Cancelled = 130;

    /// <summary>
    /// The reader of stdout went away (a broken pipe, e.g. <c>logitrank sample ... | head -1</c>): the command stops at
    /// once and prints nothing more. 141 = 128 + SIGPIPE, what a shell reports for a process a broken pipe ends.
    /// </summary>
    public const int BrokenPipe = 141;

    /// <summary>Every exit code with its name, in the order of the documentation.</summary>
    public static IReadOnlyList<(int Code, string Name)> All { get; } =
    [
        (Success, "ok"),
        (Unexpected, "unexpected"),
        (Usage, "usage"),
        (BadInputFile, "bad input file"),
        (BudgetExhausted, "budget exhausted"),
        (EnumerationTooLarge, "enumeration too large"),
        (OracleFailed, "oracle failed"),
        (OutputFailed, "output not written"),
        (Cancelled, "cancelled"),
        (BrokenPipe, "broken pipe"),
    ];

    /// <summary>The name of <paramref name="code"/> (<c>"unexpected"</c> for an unknown one).</summary>
    public static string Name(int code) => All.FirstOrDefault(c => c.Code == code).Name ?? "unexpected";
}

/// <summary>A failure with a one-line message and its exit code, reported by <see cref="Cli.Run(string[], TextWriter, TextWriter)"/>.</summary>
internal sealed class CliException : Exception
{
    public CliException(int exitCode, string message, Exception? innerException = null)
        : base(message, innerException) => ExitCode = exitCode;

    public int ExitCode { get; }

    /// <summary>Whether the command already printed its result (with the error, under <c>--json</c>) before failing.</summary>
    public bool ResultPrinted { get; init; }

    public static CliException Usage(string message) => new(ExitCodes.Usage, message);

    public static CliException BadFile(string message, Exception? inner = null) => new(ExitCodes.BadInputFile, message, inner);

    public static CliException Output(string message, Exception? inner = null) => new(ExitCodes.OutputFailed, message, inner);
}
