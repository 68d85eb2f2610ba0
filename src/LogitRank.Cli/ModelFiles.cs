using System.Text.Json;
using LogitRank.Learning;

namespace LogitRank.Cli;

/// <summary>Saved learned models (the JSON format of <see cref="LearnedModel.Save(Stream)"/>).</summary>
internal static class ModelFiles
{
    /// <summary>Loads a saved learned model; every failure is a bad-input-file error naming the path and the problem.</summary>
    public static LearnedModel Load(string path, string argumentName)
    {
        if (!File.Exists(path))
        {
            throw CliException.BadFile($"{argumentName} '{path}' is neither a target spec (family:key=value,...; families: {string.Join(", ", TargetSpec.FamilyNames)}) nor an existing model file.");
        }

        try
        {
            return LearnedModel.LoadFile(path);
        }
        catch (LearnedModelFormatException e)
        {
            throw CliException.BadFile($"{argumentName} '{path}' is not a valid saved model: field '{e.Field}': {Cli.OneLine(e.Message)}", e);
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException or FormatException or ArgumentException or InvalidOperationException)
        {
            throw CliException.BadFile($"{argumentName} '{path}' could not be read as a saved model: {Cli.OneLine(e.Message)}", e);
        }
    }
}
