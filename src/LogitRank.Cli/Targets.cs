using System.Text.Json.Nodes;

namespace LogitRank.Cli;

/// <summary>Opening the targets of a command: their input files, the <c>--cache</c> option, the cache note.</summary>
internal static class Targets
{
    /// <summary>The <c>--cache FILE</c> option of every oracle-backed command.</summary>
    public static OptionSpec CacheOption { get; } = new(
        "cache",
        "FILE",
        "persistent SQLite query cache of the target's answers: each answer is stored as it is paid, and rerunning the same command on the same file (after a crash, kill or Ctrl+C) reads them back instead of querying again");

    /// <summary>
    /// Declares the files <paramref name="text"/> reads (a saved model, an <c>onnx:</c> model and interface file, an
    /// <c>http:</c> vocabulary file) so that no output may overwrite them. Call after declaring the outputs.
    /// </summary>
    public static void DeclareInputs(OutputFiles outputs, string argument, string text)
    {
        if (!TargetSpec.LooksLikeSpec(text))
        {
            outputs.DeclareInput(argument, text);
            return;
        }

        TargetSpec spec;
        try
        {
            spec = TargetSpec.Parse(text);
        }
        catch (TargetSpecException)
        {
            return; // Reported when the target is opened.
        }

        foreach (var key in new[] { "path", "spec", "vocab" })
        {
            if (spec.Parameters.TryGetValue(key, out var path))
            {
                outputs.DeclareInput($"{argument} ({key}=)", path);
            }
        }

        if (spec.Family == "onnx" && !spec.Parameters.ContainsKey("spec"))
        {
            outputs.DeclareInput($"{argument} (interface file)", Path.ChangeExtension(spec.Parameters["path"], ".json"));
        }
    }

    /// <summary>
    /// Opens the target <paramref name="text"/> (after the outputs were declared), behind the <c>--cache</c> file when
    /// <paramref name="cache"/> is set and the command was given one.
    /// </summary>
    public static ModelSource Open(CommandContext context, string text, string argumentName, bool cache = true)
    {
        var cachePath = cache ? context.Arguments.String("cache") : null;
        DeclareInputs(context.Outputs, $"<{argumentName}>", text);
        if (cachePath is not null)
        {
            context.Outputs.DeclareInput("--cache", cachePath);
        }

        var source = ModelSource.Resolve(text, argumentName, context.Environment);
        try
        {
            if (cachePath is not null)
            {
                source.UseCache(cachePath);
            }
        }
        catch
        {
            source.Dispose();
            throw;
        }

        return source;
    }

    /// <summary>Adds the cache statistics of <paramref name="source"/> to <paramref name="json"/> as <c>cache</c>, when it has a cache.</summary>
    public static void AddCache(JsonObject json, ModelSource source)
    {
        if (source.CacheJson is { } cache)
        {
            json["cache"] = cache;
        }
    }
}
