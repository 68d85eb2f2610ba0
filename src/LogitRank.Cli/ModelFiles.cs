using LogitRank.Models;

namespace LogitRank.Cli;

/// <summary>Saved learned models (JSON).</summary>
internal static class ModelFiles
{
    public static ISequenceModel Load(string path, string argumentName)
    {
        if (!File.Exists(path))
        {
            throw CliException.BadFile($"{argumentName} '{path}' is neither a target spec (family:key=value,...; families: {string.Join(", ", TargetSpec.FamilyNames)}) nor an existing model file.");
        }

        throw CliException.BadFile($"{argumentName} '{path}': saved learned models cannot be read until the learner is merged.");
    }
}
