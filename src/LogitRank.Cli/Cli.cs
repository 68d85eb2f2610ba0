using System.Text.Json;
using LogitRank.Evaluation;
using LogitRank.Oracles;

namespace LogitRank.Cli;

/// <summary>
/// The <c>logitrank</c> command-line tool as a function of its arguments and output writers, so that it runs in-process
/// (tests) exactly as from the shell. Exit codes: <see cref="ExitCodes"/>.
/// </summary>
public static class Cli
{
    /// <summary>Runs <c>logitrank</c> with <paramref name="args"/>, writing results to <paramref name="stdout"/> and errors, notes and progress to <paramref name="stderr"/>.</summary>
    /// <param name="args">The arguments, without the program name (e.g. <c>["spectrum", "isan:k=3,T=6,d=2"]</c>).</param>
    /// <param name="stdout">The result (human text, or JSON with <c>--json</c>).</param>
    /// <param name="stderr">One-line errors, notes and progress.</param>
    /// <returns>The exit code (<see cref="ExitCodes"/>).</returns>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr) => Run(args, stdout, stderr, interactive: false, CancellationToken.None);

    /// <summary>Runs <c>logitrank</c>; <paramref name="interactive"/> selects progress bars (a terminal) over line-based progress.</summary>
    /// <param name="args">The arguments, without the program name.</param>
    /// <param name="stdout">The result.</param>
    /// <param name="stderr">Errors, notes and progress.</param>
    /// <param name="interactive">Whether <paramref name="stderr"/> is an interactive terminal (progress bars redraw in place).</param>
    /// <param name="cancellationToken">Cancels long work (Ctrl+C); exit code <see cref="ExitCodes.Cancelled"/>.</param>
    /// <returns>The exit code (<see cref="ExitCodes"/>).</returns>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr, bool interactive, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        var verbose = ParsedArguments.HasVerbose(args);
        try
        {
            if (args.Length == 0 || args[0] is "--help" or "-h" or "help")
            {
                stdout.Write(Commands.HelpText());
                return ExitCodes.Success;
            }

            if (args[0] == "--version")
            {
                stdout.WriteLine(typeof(Cli).Assembly.GetName().Version?.ToString(3) ?? "0.0.0");
                return ExitCodes.Success;
            }

            var command = Commands.Find(args[0])
                ?? throw CliException.Usage($"Unknown command '{args[0]}'; expected one of {string.Join(", ", Commands.All.Select(c => c.Spec.Name))} (see 'logitrank --help').");
            var parsed = ParsedArguments.Parse(command.Spec, args[1..]);
            if (parsed.Help)
            {
                stdout.Write(Commands.HelpText(command.Spec));
                return ExitCodes.Success;
            }

            var context = new CommandContext(parsed, stdout, stderr, interactive, cancellationToken);
            return command.Run(context);
        }
        catch (Exception e) when (Classify(e) is var (code, message) && code != ExitCodes.Unexpected)
        {
            stderr.WriteLine($"error: {message}");
            if (verbose)
            {
                stderr.WriteLine(e.ToString());
            }

            return code;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            stderr.WriteLine($"error: unexpected {e.GetType().Name}: {OneLine(e.Message)}{(verbose ? string.Empty : " (run with --verbose for the stack trace)")}");
            if (verbose)
            {
                stderr.WriteLine(e.ToString());
            }

            return ExitCodes.Unexpected;
        }
    }

    /// <summary>The exit code and one-line message of a failure.</summary>
    internal static (int Code, string Message) Classify(Exception e) => e switch
    {
        CliException c => (c.ExitCode, OneLine(c.Message)),
        TargetSpecException t => (ExitCodes.Usage, OneLine(t.Message)),
        QueryBudgetExceededException b => (ExitCodes.BudgetExhausted, $"{OneLine(b.Message)} Raise --budget."),
        EnumerationTooLargeException n => (ExitCodes.EnumerationTooLarge, $"Exact evaluation needs k^T = {n.Sequences} sequences (k = {n.AlphabetSize}, T = {n.Horizon}), more than the limit {n.Limit}; use --samples N for a Monte Carlo estimate, or raise --max-sequences."),
        IncompatibleModelsException i => (ExitCodes.Usage, OneLine(i.Message)),
        OperationCanceledException => (ExitCodes.Cancelled, "Cancelled."),
        JsonException j => (ExitCodes.BadInputFile, $"Invalid JSON: {OneLine(j.Message)}"),
        _ => (ExitCodes.Unexpected, OneLine(e.Message)),
    };

    /// <summary>The first line of <paramref name="message"/>, without the " (Parameter 'x')" suffix of argument exceptions.</summary>
    internal static string OneLine(string message)
    {
        var i = message.IndexOf('\n', StringComparison.Ordinal);
        var line = (i < 0 ? message : message[..i]).TrimEnd();
        var p = line.LastIndexOf(" (Parameter '", StringComparison.Ordinal);
        return p > 0 && line.EndsWith("')", StringComparison.Ordinal) ? line[..p] : line;
    }
}
