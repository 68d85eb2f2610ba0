using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace LogitRank.Cli;

/// <summary>What a command runs with: its parsed arguments, the writers, the progress mode and cancellation.</summary>
internal sealed class CommandContext(ParsedArguments arguments, TextWriter stdout, TextWriter stderr, bool interactive, CancellationToken cancellationToken)
{
    public static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true };

    public static CultureInfo Culture => CultureInfo.InvariantCulture;

    public ParsedArguments Arguments { get; } = arguments;

    public TextWriter Stdout { get; } = stdout;

    public TextWriter Stderr { get; } = stderr;

    /// <summary>Whether stderr is an interactive terminal (progress bars) rather than redirected (progress lines).</summary>
    public bool Interactive { get; } = interactive;

    public CancellationToken CancellationToken { get; } = cancellationToken;

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

    /// <summary>Writes <paramref name="text"/> to <paramref name="path"/>, creating its directory; failures are bad-file errors naming the path.</summary>
    public static void WriteFile(string path, string text, string option)
    {
        try
        {
            var directory = Path.GetDirectoryName(Path.GetFullPath(path));
            if (!string.IsNullOrEmpty(directory))
            {
                Directory.CreateDirectory(directory);
            }

            File.WriteAllText(path, text);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            throw CliException.BadFile($"Cannot write {option} file '{path}': {Cli.OneLine(e.Message)}", e);
        }
    }

    public static string F(double value, string format = "G6") => value.ToString(format, Culture);

    /// <summary>A JSON number, or null for a non-finite value (JSON has no NaN or infinity).</summary>
    public static JsonNode? Number(double value) => double.IsFinite(value) ? JsonValue.Create(value) : null;

    public static JsonArray Numbers(IEnumerable<double> values) => [.. values.Select(Number)];
}
