// RESEARCH PROTOTYPE (issue 14). Targets for the measurements: perturbed ISANs (with their base, so the true noise is
// known), exact ISANs, HMMs and charlm-dev through ONNX (tabulated when small).
using System.Collections.Concurrent;
using System.Globalization;
using LogitRank.Models;
using LogitRank.Numerics;
using LogitRank.Onnx;
using LogitRank.Oracles;
using LogitRank.Sequences;

namespace LogitRank.Research;

/// <summary>A model that memoises the logits of another model or an oracle (thread-safe).</summary>
internal sealed class MemoModel : SequenceModel
{
    private readonly Func<Prefix, LogitVector> _compute;
    private readonly ConcurrentDictionary<Prefix, LogitVector> _memo = new();

    public MemoModel(ISequenceModel inner) : base(inner.AlphabetSize, inner.Horizon) => _compute = inner.NextTokenLogits;

    public MemoModel(ILogitOracle oracle) : base(oracle.AlphabetSize, oracle.Horizon) => _compute = p => oracle.Query([p])[0];

    public int Count => _memo.Count;

    protected override LogitVector ComputeLogits(Prefix prefix) => _memo.GetOrAdd(prefix, _compute);
}

/// <summary>A target: the model (exact probabilities when available), its oracle, and, for perturbed ISANs, the base.</summary>
internal sealed class Target
{
    public required string Name { get; init; }
    public required ILogitOracle Oracle { get; init; }
    public ISequenceModel? Model { get; init; }
    public ISequenceModel? Base { get; init; }

    /// <summary>The model without memoisation (for query-hungry baselines).</summary>
    public ISequenceModel? Raw { get; init; }
    public double Epsilon { get; init; }
    public int? TrueRank { get; init; }
    public int K => Oracle.AlphabetSize;
    public int T => Oracle.Horizon;
    public double Tabulation => (Math.Pow(K, T) - 1) / (K - 1);

    public static Target Parse(string spec)
    {
        var colon = spec.IndexOf(':', StringComparison.Ordinal);
        var family = colon < 0 ? spec : spec[..colon];
        var p = (colon < 0 ? string.Empty : spec[(colon + 1)..]).Split(',', StringSplitOptions.RemoveEmptyEntries)
            .Select(kv => kv.Split('=')).ToDictionary(kv => kv[0], kv => kv[1]);
        int I(string key, int d) => p.TryGetValue(key, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : d;
        double D(string key, double d) => p.TryGetValue(key, out var v) ? double.Parse(v, CultureInfo.InvariantCulture) : d;
        switch (family)
        {
            case "perturbed":
            {
                var m = PerturbedModel.RandomIsan(I("k", 4), I("T", 8), I("d", 4), D("eps", 0.05), I("seed", 1), D("scale", 1.0));
                var memo = new MemoModel(m);
                return new Target { Name = spec, Model = memo, Raw = m, Oracle = new ModelOracle(memo), Base = new MemoModel(m.Base), Epsilon = m.Epsilon, TrueRank = I("d", 4) };
            }
            case "isan":
            {
                var memo = new MemoModel(TimeVaryingIsan.Random(I("k", 4), I("T", 8), I("d", 4), I("seed", 1), D("scale", 1.0)));
                return new Target { Name = spec, Model = memo, Oracle = new ModelOracle(memo), TrueRank = I("d", 4) };
            }
            case "hmm":
            {
                var memo = new MemoModel(HiddenMarkovModel.Random(I("states", 4), I("k", 3), I("T", 8), I("seed", 1), D("concentration", 1.0), D("smoothing", 1e-3)));
                return new Target { Name = spec, Model = memo, Oracle = new ModelOracle(memo) };
            }
            case "charlm":
            {
                var path = "/work/shared/data/charlm-dev/charlm-dev.onnx";
                var horizon = I("T", 4);
                var onnx = new OnnxLogitOracle(OnnxModelSpec.Load(Path.ChangeExtension(path, ".json")).ToOptions(path, horizon) with { MaxBatchSize = 32 });
                var shared = new CachingOracle(onnx);
                var memo = new MemoModel(shared);
                // Exact probabilities are available through the (memoised) oracle; enumeration is only affordable at T <= 4.
                return new Target { Name = spec, Model = memo, Oracle = shared };
            }
            default:
                throw new ArgumentException($"Unknown family '{family}' in '{spec}'.");
        }
    }
}
