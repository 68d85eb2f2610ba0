using System.Text.Json;

namespace LogitRank.Cli.Tests;

/// <summary>The result of one in-process run of <c>logitrank</c>.</summary>
public sealed record CliRun(int Code, string Out, string Err)
{
    public JsonElement Json()
    {
        using var document = JsonDocument.Parse(Out);
        return document.RootElement.Clone();
    }
}

/// <summary>Runs <see cref="Cli.Run(string[], TextWriter, TextWriter)"/> with captured writers, and owns a temp directory.</summary>
public sealed class CliHarness : IDisposable
{
    public CliHarness()
    {
        Directory = Path.Combine(Path.GetTempPath(), "logitrank-cli-tests-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
    }

    public string Directory { get; }

    public static CliRun Run(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = Cli.Run(args, stdout, stderr);
        return new CliRun(code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>Runs in <paramref name="environment"/> (e.g. a file system that fills up), with <paramref name="cancellationToken"/>.</summary>
    internal static CliRun RunIn(CliEnvironment environment, CancellationToken cancellationToken, params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = Cli.Run(args, stdout, stderr, interactive: false, environment, cancellationToken);
        return new CliRun(code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>Runs with the given stdout writer (e.g. one that fails like a closed pipe).</summary>
    public static CliRun RunTo(TextWriter stdout, params string[] args)
    {
        using var stderr = new StringWriter();
        var code = Cli.Run(args, stdout, stderr);
        return new CliRun(code, string.Empty, stderr.ToString());
    }

    public string PathOf(string name) => Path.Combine(Directory, name);

    /// <summary>The files in the temp directory (names only, sorted), to show that nothing was left behind.</summary>
    public string[] Files() => [.. System.IO.Directory.GetFiles(Directory).Select(Path.GetFileName).Order(StringComparer.Ordinal)!];

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp directory is harmless.
        }
    }
}
