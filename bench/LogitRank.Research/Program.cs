// RESEARCH PROTOTYPE (issue 14): measurements of the approximate regime. Usage:
//   dotnet bench/LogitRank.Research/bin/Release/net10.0/LogitRank.Research.dll floors "<spec>;<spec>" [N=32,128] [extra=0] [seed=1]
//   ... learn <spec> [key=value ...]        prototype learner (see ProtoOptions; eval=exact|mc|none, budgets=0.01,0.1)
//   ... lp <spec> [key=value ...]           question 2: LP residuals vs (1 + beta m) nu, uniform vs min-residual KL
using System.Diagnostics;
using System.Globalization;
using LogitRank.Learning;
using LogitRank.Models;
using LogitRank.Research;

var ci = CultureInfo.InvariantCulture;
if (args.Length < 2)
{
    Console.Error.WriteLine("usage: floors|learn|lp <spec> [key=value ...]");
    return 2;
}

var kv = args.Skip(2).Select(a => a.Split('=', 2)).ToDictionary(a => a[0], a => a.Length > 1 ? a[1] : "true");
string S(string key, string d) => kv.TryGetValue(key, out var v) ? v : d;
int I(string key, int d) => kv.TryGetValue(key, out var v) ? int.Parse(v, ci) : d;
double D(string key, double d) => kv.TryGetValue(key, out var v) ? double.Parse(v, ci) : d;
double? ND(string key, double? d) => kv.TryGetValue(key, out var v) ? (v == "adaptive" ? null : double.Parse(v, ci)) : d;

ProtoOptions Options() => new()
{
    SpannerSamples = I("Ns", 32),
    ValidationSamples = I("n", 32),
    MaxEpochs = I("K", 20),
    Beta = D("beta", 2.0),
    RankTolerance = S("rank", "") == "auto" ? null : ND("rank", 1e-9),
    AutoRank = S("rank", "") == "auto",
    KneeRatio = D("knee", 1.5),
    RankFactor = D("rankf", 2.0),
    LpRelativeTolerance = ND("lp", 1e-6),
    LpFactor = D("lpf", 1.0),
    MinResidualFallback = S("fallback", "uniform") == "min-r",
    WitnessThreshold = ND("g", 1e-4),
    Z = D("z", 4.0),
    GFactor = kv.ContainsKey("gf") ? D("gf", 1) : null,
    Policy = Enum.Parse<WitnessPolicy>(S("policy", "Paper"), ignoreCase: true),
    WitnessesPerEpoch = I("W", 1),
    WitnessesPerCut = I("Wc", 1),
    LeverageMin = D("levmin", 0),
    StopRule = S("stop", "off") != "off",
    StopRatio = D("stopratio", 0.8),
    Budget = kv.ContainsKey("budget") ? (long)D("budget", 0) : null,
    Patience = kv.ContainsKey("patience") ? I("patience", 3) : null,
    FixedRank = kv.ContainsKey("fixedrank") ? I("fixedrank", 4) : null,
    Denoise = S("denoise", "off") != "off",
    ReuseSpannerSamples = S("reuse", "off") != "off",
    ExhaustiveCutLimit = I("exhaustive", 0),
    LeastSquares = S("recon", "lp") is "l2" or "l2seq",
    Sequential = S("recon", "lp") == "l2seq",
    TwoTokenFutures = S("f2", "off") != "off",
    TwoTokenMaxCut = I("f2max", int.MaxValue),
    TwoTokenGroups = I("f2groups", 0),
};

var spec = args[1];
var sw = Stopwatch.StartNew();
switch (args[0])
{
    case "floors":
    {
        var ns = S("N", "32,128").Split(',').Select(x => int.Parse(x, ci)).ToArray();
        FloorExperiment.Run(spec.Split(';'), ns, I("extra", 0), I("seed", 1), Console.Out);
        break;
    }

    case "floorgrid":
    {
        // spec is a template: perturbed:k={k},T={T},d={d},eps={eps},seed=1 expanded over the lists given.
        var specs = new List<string>();
        foreach (var k in S("k", "3,4,8").Split(','))
        foreach (var t in S("T", "8,10,12").Split(','))
        foreach (var d in S("d", "3,4").Split(','))
        foreach (var e in S("eps", "0.01,0.05,0.2").Split(','))
        {
            specs.Add(spec.Replace("{k}", k).Replace("{T}", t).Replace("{d}", d).Replace("{eps}", e));
        }

        var ns = S("N", "32,128").Split(',').Select(x => int.Parse(x, ci)).ToArray();
        FloorGrid.Run(specs, ns, I("extra", 0), I("seed", 1), Console.Out);
        break;
    }

    case "profile":
    {
        var ns = S("N", "32,128,512").Split(',').Select(x => int.Parse(x, ci)).ToArray();
        FloorProfile.Run(spec, ns, I("seed", 1), Console.Out);
        break;
    }

    case "baselines":
    {
        // Least squares (largest N within the budget), spectral WFA and a positional 3-gram (as many samples as queries).
        var target = Target.Parse(spec);
        var budget = kv.ContainsKey("budget") ? (long)D("budget", 0) : (long)(D("fraction", 0.1) * target.Tabulation);
        var model = target.Model!;
        Console.WriteLine(FormattableString.Invariant($"# baselines on {spec} at budget {budget:N0} ({budget / target.Tabulation:P1} of tabulation)"));
        LogitRank.Baselines.LeastSquaresResult? best = null;
        long bestQ = 0;
        var bestN = 0;
        for (var nn = 1; nn <= I("lsmax", 4096); nn *= 2)
        {
            var counting = new LogitRank.Oracles.CountingOracle(target.Raw is { } raw ? new LogitRank.Oracles.ModelOracle(raw) : target.Oracle);
            var result = new LogitRank.Baselines.LeastSquaresLearner(historySamples: nn, rankTolerance: D("lsrank", 1e-8)).Learn(counting, seed: 1);
            if (counting.Counts.Total > budget)
            {
                break;
            }

            var same = best is not null && counting.Counts.Total == bestQ;
            (best, bestQ, bestN) = (result, counting.Counts.Total, nn);
            if (same)
            {
                break;
            }
        }

        string E(LogitRank.Models.ISequenceModel q) => Eval.Measure(model, q, (long)D("exactlimit", 1 << 20), I("mc", 2000)).ToString();
        if (best is not null)
        {
            Console.WriteLine(FormattableString.Invariant($"least squares: N={bestN}, queries {bestQ:N0}, bases [{string.Join(",", best.BasisSizes)}]; {E(best.Model)}"));
        }

        var samples = model.SampleMany((int)Math.Min(budget, I("maxsamples", 200_000)), seed: 11);
        var spectral = new LogitRank.Baselines.SpectralLearner().Learn(target.K, target.T, samples);
        Console.WriteLine($"spectral WFA: {samples.Count:N0} samples, rank {spectral.Rank}; {E(spectral.Model)}");
        var ngram = new LogitRank.Baselines.NGramLearner(3).Learn(target.K, target.T, samples);
        Console.WriteLine($"3-gram: {samples.Count:N0} samples; {E(ngram)}");
        break;
    }

    case "basekl":
    {
        var target = Target.Parse(spec);
        Console.WriteLine($"{spec}: KL(perturbed || base) {Eval.Measure(target.Model!, target.Base!, (long)D("exactlimit", 1 << 20), I("mc", 2000))}; T·eps² = {target.T * target.Epsilon * target.Epsilon}");
        break;
    }

    case "charlm4":
    {
        int[] L(string key, string d) => S(key, d).Split(',').Select(x => int.Parse(x, ci)).ToArray();
        CharlmOracle.Run(L("m", "16,31,64,128,200"), L("q", "0,1,2,4"), S("ridge", "1e-6,1,10").Split(',').Select(x => double.Parse(x, ci)).ToArray(), D("beta", 2), Console.Out);
        break;
    }

    case "learn":
    {
        var target = Target.Parse(spec);
        var o = Options();
        Console.WriteLine($"# {spec}  (k^T = {Math.Pow(target.K, target.T):G4}, tabulation {target.Tabulation:N0} queries)  {o.Text}");
        var learner = new ProtoLearner(target.Oracle, o, I("seed", 1), Console.Out);
        var best = learner.Run();
        var last = learner.Checkpoints[^1];
        var evalMode = S("eval", "auto");
        void Report(string label, Checkpoint cp)
        {
            var line = FormattableString.Invariant($"{label}: epoch {cp.Epoch}, queries {cp.Queries:N0} ({cp.Queries / target.Tabulation:P2} of tabulation; spanner {cp.SpannerQueries:N0}, validation {cp.ValidationQueries:N0}), bases [{string.Join(",", cp.BasisSizes)}], |F| [{string.Join(",", cp.FutureSizes)}], valTV {cp.ValidationTv:G3}");
            if (evalMode != "none" && target.Model is { } model)
            {
                var m = cp.Model(o);
                var div = evalMode == "mc" ? Eval.MonteCarlo(model, m, I("mc", 2000), 7) : Eval.Measure(model, m, (long)D("exactlimit", 1 << 20), I("mc", 2000));
                line += $"; {div}";
                if (target.Epsilon > 0)
                {
                    line += FormattableString.Invariant($"; T·eps² = {target.T * target.Epsilon * target.Epsilon:G3}");
                }
            }

            Console.WriteLine(line);
        }

        Report("last", last);
        if (kv.ContainsKey("cert"))
        {
            // The assumption-free hold-out certificate (section 5) of the last checkpoint's model, on fresh samples.
            var certified = kv.ContainsKey("budget") ? best : last;
            Console.WriteLine($"certifying the checkpoint of epoch {certified.Epoch} ({certified.Queries:N0} queries)");
            var model = certified.Model(o);
            var bound = 1e-9 + certified.Bases.Max(b => o.Beta * Math.Max(1, b.Size) * (b.Size == 0 ? 0 : Enumerable.Range(0, b.Size).Max(i => Enumerable.Range(0, b.Width).Max(j => Math.Abs(b[i, j])))));
            var counting = new LogitRank.Oracles.CountingOracle(target.Oracle);
            var cert = LogitRank.Certification.HoldoutCertifier.Certify(counting, model, 2 * bound + 10, new LogitRank.Certification.HoldoutOptions { Samples = I("cert", 1000), Delta = 0.05, Seed = 12345 });
            Console.WriteLine(FormattableString.Invariant($"hold-out certificate ({I("cert", 1000)} samples, delta 0.05): TV <= {cert.TotalVariationUpper:G4} (mean {cert.TotalVariation.Mean:G4}), KL <= {cert.KullbackLeiblerUpper:G4} (mean {cert.KullbackLeibler.Mean:G4}); per-step TV [{string.Join(", ", cert.PerStepTotalVariation.Select(x => x.ToString("G3", ci)))}]; certification queries {counting.Counts.Total:N0}"));
        }

        if (kv.ContainsKey("l2") && target.Model is { } tm)
        {
            foreach (var ridge in new[] { 1e-8, 1e-3, 1e-1 })
            {
                var l2 = new L2Model(last.Futures, last.Bases, ridge, o.Beta);
                Console.WriteLine(FormattableString.Invariant($"last with least-squares reconstruction (ridge {ridge:G2}): {(evalMode == "mc" ? Eval.MonteCarlo(tm, l2, I("mc", 2000), 7) : Eval.Measure(tm, l2, (long)D("exactlimit", 1 << 20), I("mc", 2000)))}"));
                var seq = new L2SeqModel(last.Futures, last.Bases, ridge, o.Beta);
                Console.WriteLine(FormattableString.Invariant($"last with sequential least-squares reconstruction (ridge {ridge:G2}): {(evalMode == "mc" ? Eval.MonteCarlo(tm, seq, I("mc", 2000), 7) : Eval.Measure(tm, seq, (long)D("exactlimit", 1 << 20), I("mc", 2000)))}"));
            }
        }

        if (!ReferenceEquals(best, last))
        {
            Report("best-by-validation", best);
        }

        foreach (var f in S("budgets", string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var budget = (long)(double.Parse(f, ci) * target.Tabulation);
            Report(FormattableString.Invariant($"best within {double.Parse(f, ci):P0} ({budget:N0})"), learner.Best(budget));
        }

        if (kv.ContainsKey("witnesslog"))
        {
            foreach (var (epoch, w) in learner.WitnessLog)
            {
                Console.WriteLine(FormattableString.Invariant($"    witness e{epoch} cut {w.Cut} word {w.Word} res {w.Residual:G3} noise {w.Noise:G3} lev {w.Leverage:G3}"));
            }
        }

        break;
    }

    case "lp":
    {
        var target = Target.Parse(spec);
        var o = Options();
        Console.WriteLine($"# {spec}  {o.Text}");
        var learner = new ProtoLearner(target.Oracle, o, I("seed", 1), Console.Out);
        learner.Run();
        var cp = learner.Checkpoints[^1];
        var epochLp = learner.LpLog.Where(x => x.Epoch == cp.Epoch).ToList();
        var floor = epochLp[0].Floor;
        var r = epochLp.Select(x => x.Residual).OrderBy(x => x).ToArray();
        double Q(double f) => r[(int)Math.Floor(f * (r.Length - 1))];
        var mMax = cp.BasisSizes.Max();
        var nuMax = cp.Nu.Max();
        Console.WriteLine(FormattableString.Invariant($"LP residuals / nu_max: 10% {Q(0.1) / nuMax:G3} 50% {Q(0.5) / nuMax:G3} 90% {Q(0.9) / nuMax:G3} 99% {Q(0.99) / nuMax:G3} max {r[^1] / nuMax:G3}; r / eps: 50% {Q(0.5) / target.Epsilon:G3} 90% {Q(0.9) / target.Epsilon:G3} max {r[^1] / target.Epsilon:G3}"));
        Console.WriteLine(FormattableString.Invariant($"LP residuals at epoch {cp.Epoch} ({r.Length} prefixes): floor (1+beta m_max) nu_max = {floor:G3} (m_max {mMax}, nu_max {cp.Nu.Max():G3}); quantiles r/floor: 10% {Q(0.1) / floor:G3} 50% {Q(0.5) / floor:G3} 90% {Q(0.9) / floor:G3} 99% {Q(0.99) / floor:G3} max {r[^1] / floor:G3}; per-entry eps {target.Epsilon}"));
        if (target.Model is { } model)
        {
            foreach (var c in new[] { 0.0, 0.1, 0.2, 0.35, 0.5, 1 })
            {
                var tau = c == 0 ? cp.Tau : c * floor;
                var mUniform = new LearnedModel(cp.Futures, cp.Bases, new LearnedModelOptions(o.Beta, tau, FallbackPolicy.Uniform));
                var accepted = r.Count(x => x <= tau) / (double)r.Length;
                var div = Eval.Measure(model, mUniform, (long)D("exactlimit", 1 << 20), I("mc", 2000));
                Console.WriteLine(FormattableString.Invariant($"  uniform fallback, tau = {(c == 0 ? "run's" : c + "×floor")} = {tau:G3}: validation prefixes accepted {accepted:P1}; {div}"));
            }

            var mMin = new LearnedModel(cp.Futures, cp.Bases, new LearnedModelOptions(o.Beta, cp.Tau, FallbackPolicy.MinimumResidual));
            Console.WriteLine($"  min-residual fallback: {Eval.Measure(model, mMin, (long)D("exactlimit", 1 << 20), I("mc", 2000))}");
        }

        break;
    }

    default:
        Console.Error.WriteLine($"unknown command {args[0]}");
        return 2;
}

Console.WriteLine(FormattableString.Invariant($"(wall {sw.Elapsed.TotalSeconds:F1} s)"));
return 0;
