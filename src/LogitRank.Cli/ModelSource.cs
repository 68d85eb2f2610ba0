using LogitRank.Models;

namespace LogitRank.Cli;

/// <summary>A model named on the command line: a target spec, or a saved learned model (JSON file).</summary>
/// <param name="Model">The model.</param>
/// <param name="Description">The spec (canonical) or the file path.</param>
/// <param name="IsFile">Whether it came from a saved model file.</param>
internal sealed record ModelSource(ISequenceModel Model, string Description, bool IsFile)
{
    /// <summary>Resolves <paramref name="text"/>: a spec when it reads <c>family:...</c>, else a saved model file.</summary>
    public static ModelSource Resolve(string text, string argumentName)
    {
        if (TargetSpec.LooksLikeSpec(text))
        {
            var spec = TargetSpec.Parse(text);
            return new ModelSource(spec.Build(), spec.ToString(), IsFile: false);
        }

        return new ModelSource(ModelFiles.Load(text, argumentName), text, IsFile: true);
    }
}
