using LogitRank.Models;
using LogitRank.Oracles;
using LogitRank.Sequences;

namespace LogitRank.Cli;

/// <summary>
/// A model or target named on the command line: a target spec (a model, queried through a <see cref="ModelOracle"/>),
/// a saved learned model (JSON file), or an <c>onnx:</c> target (an oracle only: no exact probabilities).
/// </summary>
internal sealed class ModelSource : IDisposable
{
    private readonly IDisposable? _owned;

    public ModelSource(ISequenceModel? model, ILogitOracle oracle, string description, bool isFile, Alphabet? alphabet = null, IDisposable? owned = null)
    {
        Model = model;
        Oracle = oracle;
        Description = description;
        IsFile = isFile;
        Alphabet = alphabet;
        _owned = owned;
    }

    /// <summary>The model, or <see langword="null"/> for an oracle-only target (ONNX).</summary>
    public ISequenceModel? Model { get; }

    /// <summary>The logit oracle of the target (over <see cref="Model"/> when there is one).</summary>
    public ILogitOracle Oracle { get; }

    public string Description { get; }

    public bool IsFile { get; }

    /// <summary>Display symbols, when the target has them (ONNX character models).</summary>
    public Alphabet? Alphabet { get; }

    public int AlphabetSize => Oracle.AlphabetSize;

    public int Horizon => Oracle.Horizon;

    /// <summary>Resolves <paramref name="text"/>: a spec when it reads <c>family:...</c>, else a saved model file.</summary>
    public static ModelSource Resolve(string text, string argumentName)
    {
        if (TargetSpec.LooksLikeSpec(text))
        {
            var spec = TargetSpec.Parse(text);
            if (spec.Family == "onnx")
            {
                return OnnxTarget.Open(spec);
            }

            var model = spec.Build();
            return new ModelSource(model, new ModelOracle(model), spec.ToString(), isFile: false);
        }

        var loaded = ModelFiles.Load(text, argumentName);
        return new ModelSource(loaded, new ModelOracle(loaded), text, isFile: true);
    }

    /// <summary>The model; a usage error for an oracle-only target, saying what needs it.</summary>
    public ISequenceModel RequireModel(string what) =>
        Model ?? throw CliException.Usage($"{what} needs exact probabilities, which the oracle-only target {Description} does not have.");

    public void Dispose() => _owned?.Dispose();
}
