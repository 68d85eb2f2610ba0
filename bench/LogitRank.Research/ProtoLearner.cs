// RESEARCH PROTOTYPE (issue 14): a copy of Algorithm 1 (LogitRankLearner) with the adaptive knobs under study.
// Not production code: no budget exceptions, no report types, no ledger. It exists to measure which rules work.
// Differences from LogitRankLearner (when the knobs are at their "today" values it follows the same algorithm):
//  - rank tolerance per cut: fixed relative, or from the noise floor nu_s estimated on the spanner's sampled rows;
//  - LP tolerance: fixed relative, or tau = c_lp (1 + beta m) nu; min-residual fallback never abandons an epoch;
//  - witness threshold: fixed g, or a z-score against the residual's own noise (nu_s ||c_s||, nu_{s-1} ||c_{s-1}||);
//  - witness choice: the paper's single largest residual, per-cut largest, or residual x leverage (greedy per cut);
//  - stop rule: a cut whose residual quantile did not fall after its last witness gets no more witnesses;
//  - every epoch is a checkpoint (queries so far, model, validation TV), so a budget picks the best checkpoint.
using System.Diagnostics;
using System.Globalization;
using LogitRank.Learning;
using LogitRank.Numerics;
using LogitRank.Oracles;
using LogitRank.Sequences;
using MathNet.Numerics.LinearAlgebra;

namespace LogitRank.Research;

internal enum WitnessPolicy
{
    /// <summary>One witness per epoch: the largest residual over all cuts (the paper).</summary>
    Paper,

    /// <summary>The largest residual at each cut, up to WitnessesPerEpoch overall (today's W &gt; 1).</summary>
    PerCut,

    /// <summary>Greedy per cut by |res| · lev/(1+lev), with the leverage updated after each pick.</summary>
    Leverage,
}

internal sealed record ProtoOptions
{
    public int SpannerSamples { get; init; } = 32;
    public int ValidationSamples { get; init; } = 32;
    public int MaxEpochs { get; init; } = 20;
    public double Beta { get; init; } = 2.0;

    /// <summary>Knee detection: noise-based tolerance (and denoising) only where σ_r/σ_{r+1} &gt;= KneeRatio at the MP rank r; elsewhere 1e-9.</summary>
    public bool AutoRank { get; init; }
    public double KneeRatio { get; init; } = 1.5;

    /// <summary>Fixed relative rank tolerance; null = adaptive: RankFactor · nu_s · sqrt(m_eff) / max row norm.</summary>
    public double? RankTolerance { get; init; } = 1e-9;
    public double RankFactor { get; init; } = 2.0;

    /// <summary>Fixed relative LP tolerance (times max(1, max|R|)); null = adaptive: LpFactor · (1 + beta m_max) · nu_max.</summary>
    public double? LpRelativeTolerance { get; init; } = 1e-6;
    public double LpFactor { get; init; } = 1.0;
    public bool MinResidualFallback { get; init; }

    /// <summary>Fixed witness threshold g; null = z-score: |res| &gt; Z · nu-scaled noise of that residual.</summary>
    public double? WitnessThreshold { get; init; } = 1e-4;
    public double Z { get; init; } = 4.0;

    /// <summary>Adaptive g = GFactor · (1 + beta m_s) · nu_s (the spec's reconstruction floor), used when set.</summary>
    public double? GFactor { get; init; }

    public WitnessPolicy Policy { get; init; } = WitnessPolicy.Paper;
    public int WitnessesPerEpoch { get; init; } = 1;
    public int WitnessesPerCut { get; init; } = 1;
    public double LeverageMin { get; init; }
    public bool StopRule { get; init; }
    public double StopRatio { get; init; } = 0.8;

    /// <summary>Stop after the epoch that reaches this many queries (checkpoints above it are not eligible).</summary>
    public long? Budget { get; init; }

    /// <summary>Stop when the validation TV has not improved for this many epochs (null = never).</summary>
    public int? Patience { get; init; }

    /// <summary>Minimal noise floor (absolute, nats) for exact targets so that tolerances stay positive.</summary>
    public double NuFloor { get; init; } = 1e-12;

    /// <summary>Store the basis rows projected on the top-r right singular subspace of the sampled rows (r = the MP rank).</summary>
    public bool Denoise { get; init; }

    /// <summary>Reuse the first epoch's spanner histories in every epoch (only new columns are paid).</summary>
    public bool ReuseSpannerSamples { get; init; }

    /// <summary>Use every history at cuts with k^s &lt;= this many (no miss mass there); 0 = off.</summary>
    public int ExhaustiveCutLimit { get; init; }

    /// <summary>Start with F̂_s = Σ ∪ Σ² at cuts 1..T-2 (all two-token words: k² more equations per cut).</summary>
    public bool TwoTokenFutures { get; init; }

    /// <summary>At cuts above TwoTokenMaxCut: add f∘Σ for the q most frequent tokens f at position s+1 of the spanner samples.</summary>
    public int TwoTokenGroups { get; init; }

    /// <summary>Largest cut that gets the two-token futures (k² · N_{s-1} queries each); default all.</summary>
    public int TwoTokenMaxCut { get; init; } = int.MaxValue;

    /// <summary>Least-squares reconstruction (ridge) instead of the minimax LP, in validation and in the model.</summary>
    public bool LeastSquares { get; init; }

    /// <summary>Sequential least squares (one small solve per prefix, memoised); implies LeastSquares-style prediction.</summary>
    public bool Sequential { get; init; }

    /// <summary>Minimum basis rank per cut (for hand-tuned runs); 0 = none.</summary>
    public int? FixedRank { get; init; }

    public string Text =>
        string.Create(CultureInfo.InvariantCulture, $"N_s={SpannerSamples} n={ValidationSamples} K={MaxEpochs} rank={(AutoRank ? $"auto(knee {KneeRatio})×{RankFactor}" : RankTolerance is { } r ? r.ToString("G2", CultureInfo.InvariantCulture) : $"adaptive×{RankFactor}")}{(FixedRank is { } fr ? $" fixed-rank={fr}" : "")} lp={(LpRelativeTolerance is { } l ? l.ToString("G2", CultureInfo.InvariantCulture) : $"adaptive×{LpFactor}")} fallback={(MinResidualFallback ? "min-r" : "uniform")} g={(WitnessThreshold is { } g ? g.ToString("G2", CultureInfo.InvariantCulture) : GFactor is { } gf ? $"{gf}×floor" : $"z{Z}")} {Policy} W={WitnessesPerEpoch}/cut{WitnessesPerCut} levmin={LeverageMin} stop={(StopRule ? StopRatio.ToString(CultureInfo.InvariantCulture) : "off")}{(Denoise ? " denoise" : "")}{(ReuseSpannerSamples ? " reuse" : "")}{(ExhaustiveCutLimit > 0 ? $" exhaustive<={ExhaustiveCutLimit}" : "")}{(LeastSquares ? (Sequential ? " L2seq" : " L2") : "")}{(TwoTokenFutures ? " F=Σ∪Σ²" : "")}");
}

internal sealed record Checkpoint(
    int Epoch, long Queries, long SpannerQueries, long ValidationQueries, FutureSets Futures, CutBasis[] Bases, double Tau, double[] Nu,
    double ValidationTv, double ValidationKl, double MaxResidual, int Witnesses, int[] BasisSizes, int[] FutureSizes, double[] ResidualQ90,
    double LpMedianOverFloor, double LpQ90OverFloor, double InfeasibleFraction, bool Accepted)
{
    public LogitRank.Models.SequenceModel Model(ProtoOptions o) => o.LeastSquares
        ? (o.Sequential ? new L2SeqModel(Futures, Bases, Nu.Max() * Nu.Max(), o.Beta) : new L2Model(Futures, Bases, Nu.Max() * Nu.Max(), o.Beta))
        : new LearnedModel(Futures, Bases, new LearnedModelOptions(o.Beta, Tau, o.MinResidualFallback ? FallbackPolicy.MinimumResidual : FallbackPolicy.Uniform));
}

internal sealed record WitnessCandidate(int Cut, Prefix Word, double Residual, double Noise, double[] Column)
{
    public double Leverage { get; set; }
    public double Score { get; set; }
}

internal sealed class ProtoLearner
{
    private readonly ProtoOptions _o;
    private readonly CountingOracle _counting;
    private readonly CachingOracle _oracle;
    private readonly int _k;
    private readonly int _horizon;
    private readonly int _seed;
    private readonly TextWriter? _log;

    public ProtoLearner(ILogitOracle oracle, ProtoOptions options, int seed, TextWriter? log = null)
    {
        _o = options;
        _counting = new CountingOracle(oracle);
        _oracle = new CachingOracle(_counting);
        _k = oracle.AlphabetSize;
        _horizon = oracle.Horizon;
        _seed = seed;
        _log = log;
    }

    public List<Checkpoint> Checkpoints { get; } = [];

    /// <summary>Per epoch and cut: (cut, |res| values on words outside F̂_s, LP residuals) for question 2 and 3.</summary>
    public List<(int Epoch, int Cut, double[] Residuals)> ResidualLog { get; } = [];

    public List<(int Epoch, double Residual, double Floor, int BasisTotal)> LpLog { get; } = [];

    public List<(int Epoch, WitnessCandidate W)> WitnessLog { get; } = [];

    public long Queries => _counting.Counts.Total;

    public Checkpoint Run()
    {
        var futures = FutureSets.Initial(_k, _horizon);
        if (_o.TwoTokenFutures)
        {
            var sets = new List<IReadOnlyList<Prefix>>();
            for (var s = 0; s < _horizon; s++)
            {
                var words = Enumerable.Range(0, _k).Select(a => Prefix.Of(a)).ToList();
                if (s >= 1 && s <= _horizon - 2 && s <= _o.TwoTokenMaxCut)
                {
                    for (var a = 0; a < _k; a++)
                    {
                        for (var z = 0; z < _k; z++)
                        {
                            words.Add(Prefix.Of(a, z));
                        }
                    }
                }

                sets.Add(words);
            }

            if (_o.TwoTokenGroups > 0 && _horizon >= 3)
            {
                var samples = OracleSampler.Sample(_oracle, _o.SpannerSamples, _horizon - 1, new Random(LogitRankLearner_DeriveSeed(_seed, 1, 0)), QueryPhase.Sampling);
                for (var s = Math.Max(1, _o.TwoTokenMaxCut + 1); s <= _horizon - 2; s++)
                {
                    var counts = new int[_k];
                    foreach (var y in samples)
                    {
                        counts[y[s]]++;
                    }

                    var words = (List<Prefix>)sets[s];
                    foreach (var f in Enumerable.Range(0, _k).OrderByDescending(z => counts[z]).Take(_o.TwoTokenGroups))
                    {
                        for (var z = 0; z < _k; z++)
                        {
                            words.Add(Prefix.Of(f, z));
                        }
                    }
                }
            }

            futures = FutureSets.FromFutureSets(_k, _horizon, sets);
        }

        var saturated = new bool[_horizon];
        var lastQ90 = new double[_horizon];
        var witnessedLastEpoch = new bool[_horizon];
        var bestTv = double.PositiveInfinity;
        var sinceBest = 0;
        for (var epoch = 1; epoch <= _o.MaxEpochs; epoch++)
        {
            var (bases, nu) = BuildBases(futures, epoch);
            var spannerQueries = Queries;
            var cp = Validate(futures, bases, nu, epoch, saturated, out var witnesses);
            Checkpoints.Add(cp);
            _log?.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  epoch {epoch}: q={cp.Queries} bases=[{string.Join(",", cp.BasisSizes)}] F=[{string.Join(",", cp.FutureSizes)}] valTV={cp.ValidationTv:G3} valKL={cp.ValidationKl:G3} maxres={cp.MaxResidual:G3} lp(med/floor)={cp.LpMedianOverFloor:G3} infeas={cp.InfeasibleFraction:P0} witnesses={witnesses.Count} nu=[{string.Join(",", nu.Select(x => x.ToString("G2", CultureInfo.InvariantCulture)))}]{(cp.Accepted ? " ACCEPTED" : "")}"));
            if (cp.Accepted)
            {
                break;
            }

            if (_o.StopRule)
            {
                for (var s = 1; s < _horizon; s++)
                {
                    if (witnessedLastEpoch[s] && lastQ90[s] > 0 && cp.ResidualQ90[s] > _o.StopRatio * lastQ90[s])
                    {
                        saturated[s] = true;
                    }
                }
            }

            Array.Copy(cp.ResidualQ90, lastQ90, _horizon);
            Array.Clear(witnessedLastEpoch);
            foreach (var w in witnesses)
            {
                futures = futures.WithWitness(w.Cut, w.Word);
                witnessedLastEpoch[w.Cut] = true;
                WitnessLog.Add((epoch, w));
            }

            if (cp.ValidationTv < bestTv - 1e-12)
            {
                bestTv = cp.ValidationTv;
                sinceBest = 0;
            }
            else
            {
                sinceBest++;
            }

            if (witnesses.Count == 0 && _o.RankTolerance is not null && !_o.MinResidualFallback)
            {
                // The same futures give the same kind of epoch again: keep going (new samples), as the learner does.
            }

            if (_o.Budget is { } b && Queries >= b)
            {
                break;
            }

            if (_o.Patience is { } p && sinceBest >= p)
            {
                break;
            }

            if (witnesses.Count == 0 && _o.WitnessThreshold is null && _o.MinResidualFallback)
            {
                // Nothing left to add under the adaptive rules: further epochs only resample.
                break;
            }
        }

        return Best(_o.Budget);
    }

    /// <summary>The checkpoint with the lowest validation TV among those within the budget (the last one if none fits).</summary>
    public Checkpoint Best(long? budget)
    {
        var eligible = Checkpoints.Where(c => budget is null || c.Queries <= budget).ToList();
        return eligible.Count == 0 ? Checkpoints[0] : eligible.OrderBy(c => c.ValidationTv).ThenBy(c => c.Queries).First();
    }

    private IReadOnlyList<LogitVector> Query(List<Prefix> prefixes, QueryPhase phase) => prefixes.Count == 0 ? [] : _oracle.Query(prefixes, phase);

    private (CutBasis[] Bases, double[] Nu) BuildBases(FutureSets futures, int epoch)
    {
        var bases = new CutBasis[_horizon];
        var nu = new double[_horizon];
        var rows0 = RowsOn(futures, 0, [Prefix.Empty]);
        bases[0] = new CutBasis(0, futures.Extended(0).Count, [Prefix.Empty], rows0);
        if (_horizon >= 2)
        {
            bases[_horizon - 1] = new CutBasis(_horizon - 1, futures.Extended(_horizon - 1).Count, [], []);
        }

        if (_horizon < 3)
        {
            return (bases, nu);
        }

        var random = new Random(LogitRankLearner_DeriveSeed(_seed, _o.ReuseSpannerSamples ? 1 : epoch, 0));
        var samples = OracleSampler.Sample(_oracle, _o.SpannerSamples, _horizon - 2, random, QueryPhase.Sampling);
        var allRows = new double[_horizon][][];
        var allHistories = new List<Prefix>[_horizon];
        var estimates = new FloorEstimate?[_horizon];
        var effective = new int[_horizon];
        var norms = new double[_horizon];
        var kneeAt = new bool[_horizon];
        for (var s = 1; s <= _horizon - 2; s++)
        {
            var seen = new HashSet<Prefix>();
            var histories = new List<Prefix>();
            if (_o.ExhaustiveCutLimit > 0 && Math.Pow(_k, s) <= _o.ExhaustiveCutLimit)
            {
                histories.AddRange(LogitRank.Sequences.SequenceSpace.All(_k, s));
            }
            else
            {
                foreach (var y in samples)
                {
                    var h = y.Take(s);
                    if (seen.Add(h))
                    {
                        histories.Add(h);
                    }
                }
            }

            var rows = RowsOn(futures, s, histories);
            var words = futures.Extended(s);
            var groups = words.Select(w => w.Take(w.Length - 1)).Distinct().Count();
            effective[s] = Math.Max(1, words.Count - groups);
            norms[s] = rows.Max(r => Math.Sqrt(r.Sum(v => v * v)));
            allRows[s] = rows;
            allHistories[s] = histories;
            estimates[s] = rows.Length >= 2 && norms[s] > 1e-10 ? NoiseFloor.Estimate(rows, effective[s]) : null;
            nu[s] = estimates[s] is { Valid: true } e ? Math.Max(_o.NuFloor, e.Nu) : 0;
        }

        // Cuts with too few rows to estimate: borrow the median estimate of the others.
        var valid = nu.Where(x => x > 0).OrderBy(x => x).ToArray();
        var fallbackNu = valid.Length == 0 ? _o.NuFloor : valid[valid.Length / 2];
        for (var s = 1; s <= _horizon - 2; s++)
        {
            if (nu[s] <= 0)
            {
                nu[s] = fallbackNu;
            }

            var rows = allRows[s];
            var histories = allHistories[s];
            var width = futures.Extended(s).Count;
            if (norms[s] <= 1e-10)
            {
                bases[s] = new CutBasis(s, width, [], []);
                continue;
            }

            var est = estimates[s];
            double tolerance;
            if (_o.FixedRank is { } fixedRank)
            {
                // Hand-tuned rank: bisect the relative tolerance (log scale) until the greedy selection has min(r, N') rows.
                var want = Math.Min(fixedRank, rows.Length);
                double lo = Math.Log(1e-9), hi = Math.Log(0.99);
                tolerance = 1e-9;
                for (var iteration = 0; iteration < 40; iteration++)
                {
                    var mid = 0.5 * (lo + hi);
                    var count = BarycentricSpanner.Select(rows, _o.Beta, Math.Exp(mid)).Selected.Count;
                    if (count >= want)
                    {
                        lo = mid;
                        tolerance = Math.Exp(mid);
                        if (count == want)
                        {
                            break;
                        }
                    }
                    else
                    {
                        hi = mid;
                    }
                }
            }
            else if (_o.AutoRank)
            {
                var knee = est is { Valid: true } e2 && e2.MpRank >= 1 && e2.MpRank < e2.Sigma.Length && e2.Sigma[e2.MpRank - 1] >= _o.KneeRatio * e2.Sigma[e2.MpRank];
                kneeAt[s] = knee;
                tolerance = knee ? Math.Clamp(_o.RankFactor * nu[s] * Math.Sqrt(effective[s]) / norms[s], 1e-9, 0.99) : 1e-9;
            }
            else if (_o.RankTolerance is { } fixedTol)
            {
                tolerance = fixedTol;
            }
            else
            {
                tolerance = Math.Clamp(_o.RankFactor * nu[s] * Math.Sqrt(effective[s]) / norms[s], 1e-9, 0.99);
            }

            var selection = BarycentricSpanner.Select(rows, _o.Beta, tolerance);
            var stored = selection.Selected.Select(i => rows[i]).ToArray();
            if (_o.Denoise && est is not null && rows.Length >= 2 && (!_o.AutoRank || kneeAt[s]))
            {
                var r = Math.Max(selection.Selected.Count, 1);
                stored = Project(rows, selection.Selected, r);
            }

            bases[s] = new CutBasis(s, width, [.. selection.Selected.Select(i => histories[i])], [.. stored.Select(x => (IReadOnlyList<double>)x)]);
        }

        nu[0] = nu[Math.Min(1, _horizon - 1)];
        if (_horizon >= 2)
        {
            nu[_horizon - 1] = nu[Math.Max(_horizon - 2, 0)];
        }

        return (bases, nu);
    }

    /// <summary>The selected rows projected on the top-r right singular vectors of all sampled rows.</summary>
    private static double[][] Project(double[][] rows, IReadOnlyList<int> selected, int r)
    {
        var n = rows.Length;
        var m = rows[0].Length;
        var a = Matrix<double>.Build.Dense(n, m, (i, j) => rows[i][j]);
        var svd = a.Svd(true);
        var vt = svd.VT; // m x m
        r = Math.Min(r, Math.Min(n, m));
        var v = vt.SubMatrix(0, r, 0, m); // r x m
        var result = new double[selected.Count][];
        for (var idx = 0; idx < selected.Count; idx++)
        {
            var x = Vector<double>.Build.Dense(rows[selected[idx]]);
            var coords = v * x;
            result[idx] = (v.Transpose() * coords).ToArray();
        }

        return result;
    }

    private static int LogitRankLearner_DeriveSeed(int seed, int epoch, int stream)
    {
        var z = unchecked((ulong)(uint)seed * 0x9E3779B97F4A7C15UL) ^ ((ulong)(uint)epoch << 32) ^ (ulong)(uint)stream;
        z = unchecked(z + 0x9E3779B97F4A7C15UL);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        z ^= z >> 31;
        return (int)(z & 0x7FFFFFFF);
    }

    private double[][] RowsOn(FutureSets futures, int cut, List<Prefix> histories)
    {
        var extended = futures.Extended(cut);
        var fs = futures.ExtendedFutures(cut);
        var batch = new List<Prefix>(histories.Count * fs.Count);
        var position = new Dictionary<Prefix, int>();
        foreach (var h in histories)
        {
            foreach (var f in fs)
            {
                var p = h.Concat(f);
                if (position.TryAdd(p, batch.Count))
                {
                    batch.Add(p);
                }
            }
        }

        var answers = Query(batch, QueryPhase.Spanner);
        var rows = new double[histories.Count][];
        for (var i = 0; i < histories.Count; i++)
        {
            var row = new double[extended.Count];
            for (var j = 0; j < extended.Count; j++)
            {
                var w = extended[j];
                row[j] = answers[position[histories[i].Concat(w.Take(w.Length - 1))]][w[^1]];
            }

            rows[i] = row;
        }

        return rows;
    }

    private double Tolerance(CutBasis[] bases, double[] nu)
    {
        if (_o.LpRelativeTolerance is { } rel)
        {
            return rel * Math.Max(1.0, bases.Max(b => b.MaxAbsEntry));
        }

        var mMax = bases.Max(b => b.Size);
        return _o.LpFactor * (1 + (_o.Beta * mMax)) * nu.Max();
    }

    private Checkpoint Validate(FutureSets futures, CutBasis[] bases, double[] nu, int epoch, bool[] saturated, out List<WitnessCandidate> witnesses)
    {
        var tau = Tolerance(bases, nu);
        var model = new LearnedModel(futures, bases, new LearnedModelOptions(_o.Beta, tau, _o.MinResidualFallback ? FallbackPolicy.MinimumResidual : FallbackPolicy.Uniform));
        var l2 = _o.LeastSquares && !_o.Sequential ? new L2Model(futures, bases, nu.Max() * nu.Max(), _o.Beta) : null;
        var l2seq = _o.LeastSquares && _o.Sequential ? new L2SeqModel(futures, bases, nu.Max() * nu.Max(), _o.Beta) : null;
        LogitRank.Models.ISequenceModel predictor = l2seq is not null ? l2seq : l2 is not null ? l2 : model;
        var random = new Random(LogitRankLearner_DeriveSeed(_seed, epoch, 1));
        var samples = OracleSampler.Sample(_oracle, _o.ValidationSamples, _horizon - 1, random, QueryPhase.Sampling);
        var candidates = new List<WitnessCandidate>();
        var perCut = Enumerable.Range(0, _horizon).Select(_ => new List<double>()).ToArray();
        var maxResidual = 0.0;
        var tvSum = 0.0;
        var klSum = 0.0;
        var lps = 0;
        var infeasible = 0;
        var lpOverFloor = new List<double>();
        var mMax = bases.Max(b => b.Size);
        var floor = (1 + (_o.Beta * mMax)) * nu.Max();
        var memoLp = new HashSet<Prefix>();
        foreach (var y in samples)
        {
            // Queries of the witness search: every basis history at cut s followed by y_{s+1:t}.
            var batch = new List<Prefix>();
            var position = new Dictionary<Prefix, int>();
            for (var t = 1; t <= _horizon - 1; t++)
            {
                for (var s = 0; s <= t - 1; s++)
                {
                    var path = y.Slice(s, t - s);
                    foreach (var h in bases[s].Histories)
                    {
                        var p = h.Concat(path);
                        if (position.TryAdd(p, batch.Count))
                        {
                            batch.Add(p);
                        }
                    }
                }
            }

            var answers = Query(batch, QueryPhase.Validation);

            // Per-step TV/KL of the model as it is (fallback included) on this validation path, t = 1..T-1.
            for (var t = 1; t <= _horizon - 1; t++)
            {
                var prefix = y.Take(t);
                var truth = answers[position[prefix]];
                var predicted = predictor.NextTokenLogits(prefix);
                var p = truth.Probabilities();
                var q = predicted.Probabilities();
                var lq = predicted.LogProbabilities();
                var lp = truth.LogProbabilities();
                var tv = 0.0;
                var kl = 0.0;
                for (var a = 0; a < _k; a++)
                {
                    tv += 0.5 * Math.Abs(p[a] - q[a]);
                    kl += p[a] * (lp[a] - lq[a]);
                }

                tvSum += tv;
                klSum += kl;
            }

            for (var t = 1; t <= _horizon - 1; t++)
            {
                var prefix = y.Take(t);
                double[][] blocksOf;
                double residualOf;
                bool feasibleOf;
                if (l2seq is not null)
                {
                    blocksOf = Enumerable.Range(0, Math.Max(t, 1)).Select(s0 => l2seq.Coefficients(prefix.Take(s0 + 1))).ToArray();
                    residualOf = 0;
                    feasibleOf = true;
                }
                else if (l2 is not null)
                {
                    (blocksOf, residualOf) = l2.Solve(prefix);
                    feasibleOf = residualOf <= tau;
                }
                else
                {
                    var result = model.Reconstruct(prefix);
                    blocksOf = Enumerable.Range(0, Math.Max(t, 1)).Select(result.CoefficientsAt).ToArray();
                    residualOf = result.Residual;
                    feasibleOf = result.Feasible;
                }

                if (t >= 2 && memoLp.Add(prefix))
                {
                    lps++;
                    if (!feasibleOf)
                    {
                        infeasible++;
                    }

                    lpOverFloor.Add(residualOf / Math.Max(floor, 1e-300));
                    LpLog.Add((epoch, residualOf, floor, bases.Sum(b => b.Size)));
                }

                var previous = new double[_k];
                var previousNorm = 0.0;
                for (var s = 0; s <= t - 1; s++)
                {
                    var current = new double[_k];
                    var path = y.Slice(s, t - s);
                    var c = blocksOf[s];
                    var basis = bases[s];
                    var norm = 0.0;
                    for (var i = 0; i < basis.Size; i++)
                    {
                        norm += c[i] * c[i];
                        var answer = answers[position[basis.Histories[i].Concat(path)]];
                        for (var a = 0; a < _k; a++)
                        {
                            current[a] += c[i] * answer[a];
                        }
                    }

                    if (s >= 1)
                    {
                        var noise = Math.Sqrt((nu[s] * nu[s] * norm) + (nu[s - 1] * nu[s - 1] * previousNorm));
                        for (var a = 0; a < _k; a++)
                        {
                            var res = current[a] - previous[a];
                            var magnitude = Math.Abs(res);
                            var word = path.Append(a);
                            if (futures.ContainsFuture(s, word))
                            {
                                continue;
                            }

                            perCut[s].Add(magnitude);
                            maxResidual = Math.Max(maxResidual, magnitude);
                            var g = _o.WitnessThreshold ?? Math.Max(1e-8, _o.GFactor is { } gf ? gf * (1 + (_o.Beta * bases[s].Size)) * nu[s] : _o.Z * noise);
                            if (magnitude > g)
                            {
                                var column = new double[basis.Size];
                                for (var i = 0; i < basis.Size; i++)
                                {
                                    column[i] = answers[position[basis.Histories[i].Concat(path)]][a];
                                }

                                candidates.Add(new WitnessCandidate(s, word, res, noise, column) { Score = _o.WitnessThreshold is null && _o.GFactor is null ? magnitude / Math.Max(noise, 1e-300) : magnitude });
                            }
                        }
                    }

                    previous = current;
                    previousNorm = norm;
                }
            }
        }

        var q90 = new double[_horizon];
        for (var s = 1; s < _horizon; s++)
        {
            if (perCut[s].Count > 0)
            {
                var sorted = perCut[s].OrderBy(v => v).ToArray();
                q90[s] = sorted[(int)Math.Floor(0.9 * (sorted.Length - 1))];
                ResidualLog.Add((epoch, s, sorted));
            }
        }

        witnesses = Choose(candidates, futures, bases, nu, saturated);
        var accepted = candidates.Count == 0 && (_o.MinResidualFallback || infeasible == 0);
        var counts = _counting.Counts;
        lpOverFloor.Sort();
        double Q(double f) => lpOverFloor.Count == 0 ? 0 : lpOverFloor[(int)Math.Floor(f * (lpOverFloor.Count - 1))];
        return new Checkpoint(
            epoch, counts.Total, counts[QueryPhase.Spanner], counts[QueryPhase.Validation], futures, bases, tau, nu,
            tvSum / samples.Count, klSum / samples.Count, maxResidual, witnesses.Count,
            bases.Select(b => b.Size).ToArray(), Enumerable.Range(0, _horizon).Select(s => futures.Future(s).Count).ToArray(), q90,
            Q(0.5), Q(0.9), lps == 0 ? 0 : (double)infeasible / lps, accepted);
    }

    private List<WitnessCandidate> Choose(List<WitnessCandidate> candidates, FutureSets futures, CutBasis[] bases, double[] nu, bool[] saturated)
    {
        // Distinct words per cut, keeping the largest |res|.
        var distinct = candidates.GroupBy(c => (c.Cut, c.Word)).Select(g => g.OrderByDescending(c => Math.Abs(c.Residual)).First()).ToList();
        switch (_o.Policy)
        {
            case WitnessPolicy.Paper:
                return distinct.Where(c => !saturated[c.Cut]).OrderByDescending(c => c.Score).ThenBy(c => c.Cut).Take(1).ToList();
            case WitnessPolicy.PerCut:
                return distinct.Where(c => !saturated[c.Cut]).GroupBy(c => c.Cut).Select(g => g.OrderByDescending(c => c.Score).First())
                    .OrderByDescending(c => c.Score).ThenBy(c => c.Cut).Take(_o.WitnessesPerEpoch).ToList();
            default:
            {
                var chosen = new List<WitnessCandidate>();
                foreach (var group in distinct.Where(c => !saturated[c.Cut]).GroupBy(c => c.Cut))
                {
                    var s = group.Key;
                    var basis = bases[s];
                    var m = basis.Size;
                    if (m == 0)
                    {
                        continue;
                    }

                    // Columns already in F̂_s: the stored rows' entries on those words.
                    var gram = Matrix<double>.Build.Dense(m, m);
                    var futureWords = futures.Future(s);
                    foreach (var f in futureWords)
                    {
                        var j = futures.IndexInExtended(s, f);
                        var v = Vector<double>.Build.Dense(m, i => basis[i, j]);
                        gram += v.OuterProduct(v);
                    }

                    var lambda = Math.Max(nu[s] * nu[s] * Math.Max(1, futureWords.Count), 1e-12);
                    var pool = group.ToList();
                    for (var pick = 0; pick < _o.WitnessesPerCut && pool.Count > 0; pick++)
                    {
                        var inverse = (gram + (lambda * Matrix<double>.Build.DenseIdentity(m))).Inverse();
                        foreach (var c in pool)
                        {
                            var v = Vector<double>.Build.Dense(c.Column);
                            c.Leverage = v * (inverse * v);
                            var magnitude = _o.WitnessThreshold is null && _o.GFactor is null ? Math.Abs(c.Residual) / Math.Max(c.Noise, 1e-300) : Math.Abs(c.Residual);
                            c.Score = magnitude * c.Leverage / (1 + c.Leverage);
                        }

                        var best = pool.Where(c => c.Leverage >= _o.LeverageMin).OrderByDescending(c => c.Score).FirstOrDefault();
                        if (best is null)
                        {
                            break;
                        }

                        chosen.Add(best);
                        pool.Remove(best);
                        var bv = Vector<double>.Build.Dense(best.Column);
                        gram += bv.OuterProduct(bv);
                    }
                }

                return chosen.OrderByDescending(c => c.Score).Take(_o.WitnessesPerEpoch).ToList();
            }
        }
    }
}
