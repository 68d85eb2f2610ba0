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

    /// <summary>Cancelled (Ctrl+C).</summary>
    public const int Cancelled = 130;
}

/// <summary>A failure with a one-line message and its exit code, reported by <see cref="Cli.Run(string[], TextWriter, TextWriter)"/>.</summary>
internal sealed class CliException : Exception
{
    public CliException(int exitCode, string message, Exception? innerException = null)
        : base(message, innerException) => ExitCode = exitCode;

    public int ExitCode { get; }

    public static CliException Usage(string message) => new(ExitCodes.Usage, message);

    public static CliException BadFile(string message, Exception? inner = null) => new(ExitCodes.BadInputFile, message, inner);
}
