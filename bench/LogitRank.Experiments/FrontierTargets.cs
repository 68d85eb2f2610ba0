using LogitRank.Baselines;
using LogitRank.Models;
using LogitRank.Onnx;
using LogitRank.Oracles;
using LogitRank.Sequences;

namespace LogitRank.Experiments;

/// <summary>
/// One target of the frontier report: a synthetic model (the CLI's target families, by the same constructors and
/// defaults) or the charlm-dev transformer behind its ONNX oracle.
/// </summary>
internal sealed class FrontierTarget : IDisposable
{
    private readonly IDisposable? _owner;

    private FrontierTarget(string family, string spec, ISequenceModel? model, ILogitOracle oracle, int? rank, double? epsilon, IDisposable? owner)
    {
        Family = family;
        Spec = spec;
        Model = model;
        Oracle = oracle;
        Rank = rank;
        Epsilon = epsilon;
        _owner = owner;
    }

    /// <summary>The family, for grouping (one plot per family).</summary>
    public string Family { get; }

    /// <summary>The target as a CLI spec (<c>logitrank learn --target SPEC</c> builds the same model).</summary>
    public string Spec { get; }

    /// <summary>The model with exact probabilities, or null for an oracle-only target (charlm-dev).</summary>
    public ISequenceModel? Model { get; }

    /// <summary>The target's logit oracle. For charlm-dev a shared cache over ONNX Runtime (so repeated prefixes cost no inference; every method still counts its own queries).</summary>
    public ILogitOracle Oracle { get; }

    /// <summary>The nominal logit rank (the ISAN's d, the HMM's state count, 1 for the parity), or null when unknown.</summary>
    public int? Rank { get; }

    /// <summary>The perturbation size ε of a perturbed ISAN.</summary>
    public double? Epsilon { get; }

    public int K => Oracle.AlphabetSize;

    public int T => Oracle.Horizon;

    /// <summary><c>k^T</c>.</summary>
    public long Sequences => SequenceSpace.Count(K, T);

    /// <summary>Tabulation's query count <c>(k^T - 1)/(k - 1)</c>.</summary>
    public long TabulationCost => TabulationLearner.QueryCost(K, T);

    /// <summary>Whether KL and TV are computed exactly (<c>k^T &lt;= 2^20</c>).</summary>
    public bool ExactEvaluation => Sequences > 0 && Sequences <= Divergences.ExactLimit;

    public static FrontierTarget Perturbed(int k, int horizon, int d, double epsilon, int seed) =>
        new("perturbed ISAN", $"perturbed:k={k},T={horizon},d={d},eps={epsilon.ToString(System.Globalization.CultureInfo.InvariantCulture)},seed={seed}", PerturbedModel.RandomIsan(k, horizon, d, epsilon, seed), null, d, epsilon);

    public static FrontierTarget Hmm(int states, int k, int horizon, int seed) =>
        new("HMM", $"hmm:states={states},k={k},T={horizon},seed={seed}", HiddenMarkovModel.Random(states, k, horizon, seed), null, states, null);

    public static FrontierTarget Parity(int bits, double noise, int seed) =>
        new("noisy parity", $"parity:n={bits},noise={noise.ToString(System.Globalization.CultureInfo.InvariantCulture)},seed={seed}", NoisyParity.Random(bits, noise, seed), null, 1, null);

    /// <summary>charlm-dev at horizon <paramref name="horizon"/>: ONNX Runtime on one intra-op thread, batches of 32.</summary>
    public static FrontierTarget CharLm(string directory, int horizon)
    {
        var spec = OnnxModelSpec.Load(Path.Combine(directory, "charlm-dev.json"));
        var path = Path.Combine(directory, "charlm-dev.onnx");
        var onnx = new OnnxLogitOracle(spec.ToOptions(path, horizon) with { MaxBatchSize = 32, IntraOpThreads = 1 });
        return new FrontierTarget("charlm-dev", $"onnx:path=charlm-dev.onnx,T={horizon}", null, new CachingOracle(onnx), null, null, onnx);
    }

    private FrontierTarget(string family, string spec, ISequenceModel model, ILogitOracle? oracle, int? rank, double? epsilon)
        : this(family, spec, model, oracle ?? new ModelOracle(model), rank, epsilon, null)
    {
    }

    /// <summary>The charlm-dev fixture directory: <c>LOGITRANK_CHARLM_DIR</c>, else the test fixture under the repository root.</summary>
    public static string? FindCharLm(string root)
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("LOGITRANK_CHARLM_DIR");
        var candidate = !string.IsNullOrEmpty(fromEnvironment) ? fromEnvironment : Path.Combine(root, "tests", "LogitRank.Onnx.Tests", "Fixtures", "charlm-dev");
        return File.Exists(Path.Combine(candidate, "charlm-dev.onnx")) ? candidate : null;
    }

    public void Dispose() => _owner?.Dispose();
}
