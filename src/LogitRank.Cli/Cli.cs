using System.Text.Json;
using System.Text.Json.Nodes;
using LogitRank.Evaluation;
using LogitRank.Http;
using LogitRank.Learning;
using LogitRank.Onnx;
using LogitRank.Oracles;
using LogitRank.Persistence;
using Microsoft.Data.Sqlite;

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
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr, bool interactive, CancellationToken cancellationToken) =>
        Run(args, stdout, stderr, interactive, CliEnvironment.Default, cancellationToken);

    /// <summary>
    /// Runs <c>logitrank</c> in <paramref name="environment"/>. On failure: one line <c>error: ...</c> on stderr (plus the
    /// stack trace with <c>--verbose</c>), and with <c>--json</c> a JSON object <c>{"error": {"exitCode", "kind",
    /// "message"}}</c> on stdout (added to the result when the work was done but an output failed). A broken pipe on
    /// stdout ends the run silently with <see cref="ExitCodes.BrokenPipe"/>.
    /// </summary>
    internal static int Run(string[] args, TextWriter stdout, TextWriter stderr, bool interactive, CliEnvironment environment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        ArgumentNullException.ThrowIfNull(environment);
        var verbose = ParsedArguments.HasVerbose(args);
        var json = ParsedArguments.HasJson(args);
        var output = new StdoutWriter(stdout);
        try
        {
            var code = Dispatch(args, output, stderr, interactive, environment, cancellationToken);
            output.Flush();
            return code;
        }
        catch (Exception e) when (Unwrap(e) is BrokenPipeException)
        {
            // The reader of stdout went away (`| head`): nothing is left to tell it, and stderr stays quiet as for SIGPIPE.
            return ExitCodes.BrokenPipe;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            var failure = Unwrap(e);
            var (code, message) = Classify(failure);
            var line = code == ExitCodes.Unexpected
                ? $"unexpected {failure.GetType().Name}: {message}{(verbose ? string.Empty : " (run with --verbose for the stack trace)")}"
                : message;
            if (json && failure is not CliException { ResultPrinted: true })
            {
                TryWrite(output, ErrorJson(code, message).ToJsonString(CommandContext.JsonOptions));
            }

            stderr.WriteLine($"error: {line}");
            if (verbose)
            {
                stderr.WriteLine(e.ToString());
            }

            return code;
        }
    }

    /// <summary>The JSON error object: <c>{"error": {"exitCode": n, "kind": "...", "message": "..."}}</c>.</summary>
    internal static JsonObject ErrorJson(int code, string message) => new()
    {
        ["error"] = ErrorBody(code, message),
    };

    /// <summary>The body of <see cref="ErrorJson"/>.</summary>
    internal static JsonObject ErrorBody(int code, string message) => new()
    {
        ["exitCode"] = code,
        ["kind"] = ExitCodes.Name(code),
        ["message"] = message,
    };

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
        OracleHttpException h => (ExitCodes.OracleFailed, $"The HTTP oracle failed: {OneLine(h.Message)}"),
        CacheConflictException c => (ExitCodes.OracleFailed, $"{OneLine(c.Message)} The oracle is not deterministic; rerun with a new --cache file."),
        PersistentCacheException c => (ExitCodes.BadInputFile, $"The --cache file is not usable: {OneLine(c.Message)}"),
        SqliteException q => (ExitCodes.BadInputFile, $"The --cache file is not usable: {OneLine(q.Message)}"),
        OnnxOracleException o => (ExitCodes.BadInputFile, $"The ONNX model failed: {OneLine(o.Message)}{OnnxHint(o)}"),
        InvalidOracleAnswerException a => (ExitCodes.OracleFailed, $"The oracle gave an invalid answer: {OneLine(a.Message)}"),
        LearnedModelFormatException f => (ExitCodes.BadInputFile, $"Not a valid saved model: field '{f.Field}': {OneLine(f.Message)}"),
        _ => (ExitCodes.Unexpected, OneLine(e.Message)),
    };

    private static string OnnxHint(OnnxOracleException e) =>
        e.Message.Contains("Gather", StringComparison.Ordinal) && e.Message.Contains("out of data bounds", StringComparison.Ordinal)
            ? " (an input id, such as the interface file's \"bos\", is outside the model's input vocabulary)"
            : string.Empty;

    private static int Dispatch(string[] args, TextWriter stdout, TextWriter stderr, bool interactive, CliEnvironment environment, CancellationToken cancellationToken)
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

        var context = new CommandContext(parsed, stdout, stderr, interactive, environment, cancellationToken);
        return command.Run(context);
    }

    private static void TryWrite(TextWriter output, string text)
    {
        try
        {
            output.WriteLine(text);
            output.Flush();
        }
        catch (Exception e) when (e is IOException or CliException)
        {
            // Stdout itself is what failed; the error line on stderr still says so.
        }
    }

    /// <summary>The one exception behind single-exception wrappers (an aggregate from tasks, a type initialiser).</summary>
    private static Exception Unwrap(Exception e)
    {
        while ((e is AggregateException { InnerExceptions.Count: 1 } || e is TypeInitializationException) && e.InnerException is not null)
        {
            e = e.InnerException;
        }

        return e;
    }

    /// <summary>The first line of <paramref name="message"/>, without the " (Parameter 'x')" suffix of argument exceptions.</summary>
    internal static string OneLine(string message)
    {
        var i = message.IndexOf('\n', StringComparison.Ordinal);
        var line = (i < 0 ? message : message[..i]).TrimEnd();
        var p = line.LastIndexOf(" (Parameter '", StringComparison.Ordinal);
        return p > 0 && line.EndsWith("')", StringComparison.Ordinal) ? line[..p] : line;
    }
}
