using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace LogitRank.Cli;

/// <summary>What a command runs with: its parsed arguments, the writers, the progress mode, cancellation and its output files.</summary>
internal sealed class CommandContext(ParsedArguments arguments, TextWriter stdout, TextWriter stderr, bool interactive, CliEnvironment environment, CancellationToken cancellationToken)
{
    public static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true };

    public static CultureInfo Culture => CultureInfo.InvariantCulture;

    public ParsedArguments Arguments { get; } = arguments;

    public TextWriter Stdout { get; } = stdout;

    public TextWriter Stderr { get; } = stderr;

    /// <summary>Whether stderr is an interactive terminal (progress bars) rather than redirected (progress lines).</summary>
    public bool Interactive { get; } = interactive;

    public CancellationToken CancellationToken { get; } = cancellationToken;

    public CliEnvironment Environment { get; } = environment;

    /// <summary>The files the command writes, declared and checked before its work (<see cref="OutputFiles"/>).</summary>
    public OutputFiles Outputs { get; } = new(environment);

    public bool Json => Arguments.Json;

    public bool Quiet => Arguments.Quiet;

    public int Seed => Arguments.Seed;

    /// <summary>A note on stderr (not with <c>--quiet</c>).</summary>
    public void Note(string message)
    {
        if (!Quiet)
        {
            Stderr.WriteLine(message);
        }
    }

    /// <summary>Human text on stdout (not with <c>--json</c>, whose stdout carries only the JSON result).</summary>
    public void Out(string line = "")
    {
        if (!Json)
        {
            Stdout.WriteLine(line);
        }
    }

    /// <summary>With <c>--json</c>, writes <paramref name="result"/> as the only thing on stdout.</summary>
    public void Result(JsonObject result)
    {
        if (Json)
        {
            Stdout.WriteLine(result.ToJsonString(JsonOptions));
        }
    }

    /// <summary>A progress display on stderr for a long step (nothing with <c>--quiet</c>).</summary>
    public StepProgress Progress(string step) => new(Stderr, Interactive, Quiet, step);

    /// <summary>
    /// Ends a command whose work is done: prints <paramref name="json"/> (with <c>--json</c>) and the human summary, and
    /// succeeds, or, when an output file failed to be written, prints both all the same (the JSON result then carries
    /// an <c>error</c> member) and throws the failure (<see cref="ExitCodes.OutputFailed"/>).
    /// </summary>
    public int Complete(JsonObject json, Action printHuman)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(printHuman);
        var failure = Outputs.Failure;
        if (failure is not null)
        {
            json["error"] = Cli.ErrorBody(failure.ExitCode, Cli.OneLine(failure.Message));
        }

        Result(json);
        printHuman();
        if (failure is not null)
        {
            throw new CliException(failure.ExitCode, failure.Message, failure.InnerException) { ResultPrinted = true };
        }

        return ExitCodes.Success;
    }

    public static string F(double value, string format = "G6") => value.ToString(format, Culture);

    /// <summary>A JSON number, or null for a non-finite value (JSON has no NaN or infinity).</summary>
    public static JsonNode? Number(double value) => double.IsFinite(value) ? JsonValue.Create(value) : null;

    public static JsonArray Numbers(IEnumerable<double> values) => [.. values.Select(Number)];
}
