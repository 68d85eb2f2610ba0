using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using LogitRank.Baselines;
using LogitRank.Experiments;
using LogitRank.Models;
using LogitRank.Oracles;
using LogitRank.Sequences;

// Side-by-side experiments: the low-logit-rank learner against tabulation, least squares (LINGEN-style), spectral and
// n-gram baselines under equal budgets; scaling curves; sampling speed. Writes bench/reports/experiments.md.
// Usage: dotnet run -c Release --project bench/LogitRank.Experiments -- [--quick] [--out PATH]
// The generator and learner speed report of issue 15: ... -- --generator [--label L] (bench/reports/generator.md).
if (args.Contains("--generator"))
{
    GeneratorReport.Run(args, FindRoot());
    return;
}

// Minimax LP against sequential least squares on the same learned bases (issue 14): ... -- --reconstruction [--eps 0.05].
if (args.Contains("--reconstruction"))
{
    ReconstructionReport.Run(args, FindRoot());
    return;
}

// The accuracy-query frontier of issue 14: ... -- --frontier [--quick] [--only TEXT] (bench/reports/frontier.md).
if (args.Contains("--frontier"))
{
    FrontierReport.Run(args, FindRoot());
    return;
}

var quick = args.Contains("--quick");
var outIndex = Array.IndexOf(args, "--out");
var root = FindRoot();
var reportPath = outIndex >= 0 && outIndex + 1 < args.Length
    ? args[outIndex + 1]
    : Path.Combine(root, "bench", "reports", quick ? "experiments-quick.md" : "experiments.md");
var total = Stopwatch.StartNew();
var md = new StringBuilder();
var csv = new StringBuilder("axis,value,k,T,d,tabulation_queries,least_squares_queries,least_squares_tv,learner_queries,learner_tv\n");
var mcSamples = quick ? 500 : 2000;
var headline = new List<string>();

void Log(string message) => Console.WriteLine($"[{total.Elapsed:mm\\:ss}] {message}");

md.AppendLine("# Experiments: the low-logit-rank learner against baselines");
md.AppendLine();
md.AppendLine(CultureInfo.InvariantCulture, $"Generated {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC by `dotnet run -c Release --project bench/LogitRank.Experiments{(quick ? " -- --quick" : string.Empty)}`.");
md.AppendLine();
md.AppendLine(CultureInfo.InvariantCulture, $"Machine: {Environment.ProcessorCount} logical cores (shared with other jobs while this ran, so wall times are noisy upper bounds), {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}, {RuntimeInformation.ProcessArchitecture}.");
md.AppendLine();
md.AppendLine(LearnerAdapter.Available
    ? "Learner: `LogitRankLearner` with a `PracticalSchedule` (settings per table)."
    : "**Learner: not available in this build** (`LogitRank.Learning` had not been merged when this report was generated); the learner column is empty and the baselines run at fixed budgets.");
md.AppendLine();
md.AppendLine("Conventions. KL is `KL(target || model)` in nats, TV is `TV(target, model)`; both exact by enumerating `Σ^T` when `k^T <= 2^20`, else Monte Carlo from " +
    $"{mcSamples} target samples: KL by the chain rule (mean ± 1.96 s.e.), TV by the unbiased estimator `E_P[(1 - Q(y)/P(y))^+]` with its empirical-Bernstein 95% interval, shown as `estimate [low, high]`. " +
    "Equal budgets: a query learner's budget is logit queries (distinct prefixes paid to the oracle); a sample learner gets as many complete samples as the learner spent queries (one query counted as one sample). " +
    "Least squares is run with the largest number of history samples `N` (powers of 2) whose query count stays within the budget. Wall times include evaluation-free learning only.");
md.AppendLine();

// ---------------------------------------------------------------------------------------------------------------
// 1. Equal-budget comparison
// ---------------------------------------------------------------------------------------------------------------
var targets = new List<Target>
{
    new("ISAN exact rank", "k=3, T=6, d=3", TimeVaryingIsan.Random(3, 6, 3, 101, 2.0), 3, 2_000),
    new("perturbed ISAN", "k=3, T=6, d=3, ε=0.05", PerturbedModel.RandomIsan(3, 6, 3, 0.05, 103, 2.0), 3, 2_000),
    new("noisy parity", "n=7 (T=8), ν=0.1", NoisyParity.Random(7, 0.1, 104), 1, 2_000),
    new("HMM", "S=3, k=3, T=6", HiddenMarkovModel.Random(3, 3, 6, 106, 1.0, 0.05), 3, 2_000),
};
if (!quick)
{
    targets =
    [
        new("ISAN exact rank", "k=3, T=8, d=3", TimeVaryingIsan.Random(3, 8, 3, 101, 2.0), 3, 2_000),
        new("ISAN exact rank", "k=2, T=12, d=4", TimeVaryingIsan.Random(2, 12, 4, 102, 2.0), 4, 2_000),
        new("perturbed ISAN", "k=2, T=12, d=4, ε=0.01", PerturbedModel.RandomIsan(2, 12, 4, 0.01, 103, 2.0), 4, 2_000),
        new("perturbed ISAN", "k=2, T=12, d=4, ε=0.05", PerturbedModel.RandomIsan(2, 12, 4, 0.05, 103, 2.0), 4, 2_000),
        new("perturbed ISAN", "k=2, T=12, d=4, ε=0.2", PerturbedModel.RandomIsan(2, 12, 4, 0.2, 103, 2.0), 4, 2_000),
        new("perturbed ISAN", "k=3, T=8, d=3, ε=0.05", PerturbedModel.RandomIsan(3, 8, 3, 0.05, 108, 2.0), 3, 2_000),
        new("noisy parity", "n=11 (T=12), ν=0.1", NoisyParity.Random(11, 0.1, 105), 1, 2_000),
        new("noisy parity", "n=13 (T=14), ν=0.2", NoisyParity.Random(13, 0.2, 109), 1, 2_000),
        new("HMM", "S=3, k=3, T=8", HiddenMarkovModel.Random(3, 3, 8, 106, 1.0, 0.05), 3, 2_000),

        // Larger targets where the budget is far below tabulation (Monte Carlo evaluation).
        new("perturbed ISAN", "k=4, T=11, d=4, ε=0.05", PerturbedModel.RandomIsan(4, 11, 4, 0.05, 110, 2.0), 4, 20_000),
        new("perturbed ISAN", "k=4, T=11, d=4, ε=0.2", PerturbedModel.RandomIsan(4, 11, 4, 0.2, 110, 2.0), 4, 20_000),
        new("noisy parity", "n=21 (T=22), ν=0.1", NoisyParity.Random(21, 0.1, 111), 1, 20_000),
        new("ISAN exact rank (headline)", "k=4, T=12, d=4", TimeVaryingIsan.Random(4, 12, 4, 107, 2.0), 4, 20_000),
    ];
}

var onlyIndex = Array.IndexOf(args, "--only");
if (onlyIndex >= 0 && onlyIndex + 1 < args.Length)
{
    targets = targets.Where(t => $"{t.Family} {t.Size}".Contains(args[onlyIndex + 1], StringComparison.Ordinal)).ToList();
}

var skipScaling = args.Contains("--skip-scaling");
var skipSpeed = args.Contains("--skip-speed");

md.AppendLine("## 1. Equal budgets");
md.AppendLine();
// K = 60 rather than the schedule's default 20: with one witness per epoch and T-1 cuts that each need a few witnesses
// when d > k-1 (ALGORITHM.md section 6), 20 epochs end before acceptance at T = 12.
var comparisonSettings = new LearnerSettings(MaxEpochs: 60);
md.AppendLine(CultureInfo.InvariantCulture, $"Learner settings in this table: {comparisonSettings.Text}.");
md.AppendLine();
md.AppendLine("| target | size | learner | budget | used | KL (nats) | TV | wall ms | notes |");
md.AppendLine("|---|---|---|---|---|---|---|---|---|");
var klWins = new List<string>();
var variantWins = new List<bool>();

foreach (var target in targets)
{
    Log($"{target.Family} {target.Size}");
    var rows = new List<(string Learner, string Kind, long Used, Divergence D, TimeSpan Wall, string Notes)>();
    var model = target.Model;
    var k = model.AlphabetSize;
    var horizon = model.Horizon;
    long budget = target.DefaultBudget;
    LearnerRun? learnerRun = null;
    if (LearnerAdapter.Available)
    {
        learnerRun = LearnerAdapter.Run(model, seed: 1, comparisonSettings);
        budget = learnerRun.Queries;
        rows.Add(("**logit-rank learner**", "queries", learnerRun.Queries, Divergences.Measure(model, learnerRun.Model, mcSamples, 7), learnerRun.Wall,
            $"accepted={learnerRun.Accepted}, epochs={learnerRun.Epochs}, bases {learnerRun.Bases}"));
    }

    LearnerRun? variantRun = null;
    if (LearnerAdapter.Available && (target.Family.StartsWith("perturbed", StringComparison.Ordinal) || target.Family.StartsWith("HMM", StringComparison.Ordinal)))
    {
        // The option ALGORITHM.md section 6 suggests for KL on approximately low-rank targets; outside the analysis.
        variantRun = LearnerAdapter.Run(model, seed: 1, comparisonSettings with { MinimumResidualFallback = true });
        rows.Add(("learner, min-residual fallback (outside the analysis)", "queries", variantRun.Queries, Divergences.Measure(model, variantRun.Model, mcSamples, 7), variantRun.Wall,
            $"accepted={variantRun.Accepted}, epochs={variantRun.Epochs}, bases {variantRun.Bases}"));
    }

    var tabulationCost = TabulationLearner.QueryCost(k, horizon);
    if (tabulationCost <= 1 << 16)
    {
        var counting = new CountingOracle(new ModelOracle(model));
        TabularModel? table = null;
        var wall = Fmt.Time(() => table = new TabulationLearner().Learn(counting));
        rows.Add(("tabulation", "queries", counting.Counts.Total, Divergences.Measure(model, table!, mcSamples, 7), wall, "exact, needs every prefix"));
    }
    else
    {
        rows.Add(("tabulation", "queries", tabulationCost, new Divergence(0, 0, true), TimeSpan.Zero, "not run: exact by construction, cost (k^T-1)/(k-1)"));
    }

    var (ls, lsQueries, lsN, lsWall) = BaselineRuns.LeastSquaresWithin(model, budget);
    if (ls is not null)
    {
        rows.Add(("least squares (LINGEN-style)", "queries", lsQueries, Divergences.Measure(model, ls.Model, mcSamples, 7), lsWall,
            $"N={lsN}, bases {string.Join(",", ls.BasisSizes)}, max ‖A‖∞={Fmt.Num(ls.MaxTransitionNorm)}"));
    }
    else
    {
        rows.Add(("least squares (LINGEN-style)", "queries", 0, new Divergence(double.NaN, double.NaN, true), TimeSpan.Zero, "budget below the cost of N=1"));
    }

    var samples = model.SampleMany((int)Math.Min(budget, int.MaxValue), seed: 11);
    SpectralResult? spectral = null;
    var spectralWall = Fmt.Time(() => spectral = new SpectralLearner().Learn(k, horizon, samples));
    rows.Add(("spectral WFA", "samples", samples.Count, Divergences.Measure(model, spectral!.Model, mcSamples, 7), spectralWall, $"rank {spectral.Rank}, L_p={spectral.PrefixBasisLength}, L_s={spectral.SuffixBasisLength}"));
    ISequenceModel? ngram = null;
    var ngramWall = Fmt.Time(() => ngram = new NGramLearner(3).Learn(k, horizon, samples));
    rows.Add(("3-gram (abs. discounting, positional)", "samples", samples.Count, Divergences.Measure(model, ngram!, mcSamples, 7), ngramWall, "D=0.75"));

    foreach (var r in rows)
    {
        md.AppendLine(CultureInfo.InvariantCulture, $"| {target.Family} | {target.Size} | {r.Learner} | {r.Kind} | {Fmt.Int(r.Used)} | {r.D.KLText} | {r.D.TVText} | {Fmt.Ms(r.Wall)} | {r.Notes} |");
    }

    if (learnerRun is not null && (target.Family.StartsWith("perturbed", StringComparison.Ordinal) || target.Family.StartsWith("noisy", StringComparison.Ordinal)))
    {
        var learnerKl = rows[0].D.KL;
        var others = rows.Where(r => r.Learner is not "tabulation" && !r.Learner.Contains("learner", StringComparison.Ordinal) && !double.IsNaN(r.D.KL)).ToList();
        var beaten = others.All(r => learnerKl < r.D.KL);
        var variantKl = variantRun is null ? learnerKl : rows[1].D.KL;
        var variant = variantRun is null ? string.Empty : $"; min-residual variant (outside the analysis) KL {Fmt.Num(variantKl)} → {(others.All(r => variantKl < r.D.KL) ? "lower" : "NOT lower")}";
        variantWins.Add(others.All(r => variantKl < r.D.KL));
        klWins.Add($"{target.Family} {target.Size}: learner KL {Fmt.Num(learnerKl)} vs best baseline {Fmt.Num(others.Min(r => r.D.KL))} ({others.MinBy(r => r.D.KL).Learner}) → {(beaten ? "lower" : "NOT lower")}{variant}");
    }

    if (target.Family.Contains("headline", StringComparison.Ordinal) && learnerRun is not null)
    {
        // The default schedule, then larger spanner and validation samples: the first setting that meets both targets.
        var attempts = new List<(LearnerSettings Settings, LearnerRun Run, Divergence D)> { (comparisonSettings, learnerRun, rows[0].D) };
        foreach (var (ns, nv) in new[] { (40, 40), (48, 48), (64, 64), (32, 128) })
        {
            if (attempts[^1].D.TVUpper <= 0.05 && (double)tabulationCost / attempts[^1].Run.Queries >= 100)
            {
                break;
            }

            var settings = comparisonSettings with { SpannerSamples = ns, ValidationSamples = nv };
            var run = LearnerAdapter.Run(model, seed: 1, settings);
            attempts.Add((settings, run, Divergences.Measure(model, run.Model, 2 * mcSamples, 8)));
        }

        foreach (var (settings, run, d) in attempts)
        {
            var ratio = (double)tabulationCost / run.Queries;
            var met = d.TVUpper <= 0.05 && ratio >= 100;
            headline.Add($"Exact-rank ISAN (k=4, T=12, d=4), schedule {settings.Text}: TV {d.TVText} (target ≤ 0.05 at the upper end of the 95% interval), KL {d.KLText}, queries {Fmt.Int(run.Queries)} vs tabulation {Fmt.Int(tabulationCost)} = {ratio:0.#}× fewer (target ≥ 100×) → **{(met ? "met" : "not met")}**. Accepted={run.Accepted} after {run.Epochs} epochs; phases: {run.Phases}.");
        }
    }
}

md.AppendLine();

// ---------------------------------------------------------------------------------------------------------------
// 2. Scaling curves: queries to reach TV <= 0.05
// ---------------------------------------------------------------------------------------------------------------
Log("scaling");
md.AppendLine("## 2. Scaling: queries to reach TV ≤ 0.05 on exact-rank ISANs");
md.AppendLine();
md.AppendLine("Exact TV by enumeration. Tabulation: `(k^T-1)/(k-1)` (always exact). Least squares: the smallest `N ∈ {1, 2, 4, ...}` (up to 1024) whose model has TV ≤ 0.05. " +
    (LearnerAdapter.Available ? "Learner: the practical schedule with `N_s = n` doubled from 8 until TV ≤ 0.05 (up to 256)." : "Learner: not available."));
md.AppendLine();
md.AppendLine("| axis | k | T | d | tabulation | least squares (TV) | learner (TV) |");
md.AppendLine("|---|---|---|---|---|---|---|");
var axes = new List<(string Axis, int K, int T, int D)>();
foreach (var t in quick ? new[] { 4, 6, 8 } : [4, 6, 8, 10, 12])
{
    axes.Add(("T", 2, t, 3));
}

foreach (var kk in quick ? new[] { 2, 3 } : [2, 3, 4, 5])
{
    axes.Add(("k", kk, 5, 3));
}

foreach (var dd in quick ? new[] { 2, 3 } : [1, 2, 3, 4, 6])
{
    axes.Add(("d", 3, 6, dd));
}

var curve = new List<(string Axis, int Value, long Tab, long? Ls, long? Learner)>();
foreach (var (axis, kk, tt, dd) in skipScaling ? [] : axes)
{
    var model = TimeVaryingIsan.Random(kk, tt, dd, 200 + (kk * 100) + (tt * 10) + dd, 2.0);
    var tab = TabulationLearner.QueryCost(kk, tt);
    (long Q, double TV)? lsHit = null;
    for (var n = 1; n <= 1024 && lsHit is null; n *= 2)
    {
        var counting = new CountingOracle(new ModelOracle(model));
        var result = new LeastSquaresLearner(historySamples: n).Learn(counting, seed: 1);
        var tv = Divergences.Exact(model, result.Model).TV;
        if (tv <= 0.05)
        {
            lsHit = (counting.Counts.Total, tv);
        }
    }

    (long Q, double TV)? learnerHit = null;
    if (LearnerAdapter.Available)
    {
        for (var n = 8; n <= 256 && learnerHit is null; n *= 2)
        {
            var run = LearnerAdapter.Run(model, seed: 1, new LearnerSettings(SpannerSamples: n, ValidationSamples: n));
            var tv = Divergences.Exact(model, run.Model).TV;
            if (tv <= 0.05)
            {
                learnerHit = (run.Queries, tv);
            }
        }
    }

    var value = axis switch { "T" => tt, "k" => kk, _ => dd };
    curve.Add((axis, value, tab, lsHit?.Q, learnerHit?.Q));
    md.AppendLine(CultureInfo.InvariantCulture, $"| {axis} | {kk} | {tt} | {dd} | {Fmt.Int(tab)} | {(lsHit is { } l ? $"{Fmt.Int(l.Q)} ({Fmt.Num(l.TV)})" : "not reached")} | {(learnerHit is { } h ? $"{Fmt.Int(h.Q)} ({Fmt.Num(h.TV)})" : LearnerAdapter.Available ? "not reached" : "–")} |");
    csv.AppendLine(CultureInfo.InvariantCulture, $"{axis},{value},{kk},{tt},{dd},{tab},{lsHit?.Q},{lsHit?.TV},{learnerHit?.Q},{learnerHit?.TV}");
}

md.AppendLine();
var csvPath = Path.ChangeExtension(reportPath, null) + "-scaling.csv";
var svgPath = Path.ChangeExtension(reportPath, null) + "-scaling-T.svg";
File.WriteAllText(csvPath, csv.ToString());
File.WriteAllText(svgPath, Svg.LogPlot("Queries to reach TV ≤ 0.05 vs T (k=2, d=3)", "T", curve.Where(c => c.Axis == "T").Select(c => ((double)c.Value, (double)c.Tab, c.Ls, c.Learner)).ToList()));
md.AppendLine(CultureInfo.InvariantCulture, $"Data: [`{Path.GetFileName(csvPath)}`]({Path.GetFileName(csvPath)}); plot against T: ![queries vs T]({Path.GetFileName(svgPath)})");
md.AppendLine();

// ---------------------------------------------------------------------------------------------------------------
// 3. Sampling speed
// ---------------------------------------------------------------------------------------------------------------
Log("sampling speed");
md.AppendLine("## 3. Sampling speed (k=4, T=16, d=8)");
md.AppendLine();
md.AppendLine("Tokens per second of `ISequenceModel.Sample` on one thread (sequences × T / wall time, after one warm-up sequence).");
md.AppendLine();
md.AppendLine("| model | sequences | tokens/s | notes |");
md.AppendLine("|---|---|---|---|");
{
    var target = TimeVaryingIsan.Random(4, 16, 8, 300, 2.0);
    var models = new List<(string Name, ISequenceModel Model, string Notes)> { ("target ISAN (reference)", target, "closed form") };
    if (LearnerAdapter.Available && !skipSpeed)
    {
        foreach (var settings in new[] { new LearnerSettings(), new LearnerSettings(MaxEpochs: 60, WitnessesPerEpoch: 4) })
        {
            var run = LearnerAdapter.Run(target, seed: 1, settings);
            var speedDivergence = Divergences.Measure(target, run.Model, mcSamples, 7);
            models.Add(($"**learned model** ({settings.Text})", run.Model, $"accepted={run.Accepted}, queries {Fmt.Int(run.Queries)}, bases {run.Bases}, TV {speedDivergence.TVText}; learning phases: {run.Phases}"));
        }
    }

    var ls = new LeastSquaresLearner(historySamples: 64).Learn(new ModelOracle(target), seed: 1);
    models.Add(("least squares", ls.Model, $"bases {string.Join(",", ls.BasisSizes)}"));
    var samples = target.SampleMany(quick ? 5_000 : 20_000, seed: 3);
    models.Add(("spectral WFA", new SpectralLearner().Learn(4, 16, samples).Model, "rank auto"));
    models.Add(("3-gram", new NGramLearner(3).Learn(4, 16, samples), "positional"));
    foreach (var (name, m, notes) in skipSpeed ? [] : models)
    {
        var random = new Random(5);
        m.Sample(random);
        var count = 0;
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed < TimeSpan.FromSeconds(quick ? 0.5 : 2) || count < 10)
        {
            m.Sample(random);
            count++;
        }

        var rate = count * 16 / sw.Elapsed.TotalSeconds;
        md.AppendLine(CultureInfo.InvariantCulture, $"| {name} | {count} | {rate:N0} | {notes} |");
        if (name.Contains("learned", StringComparison.Ordinal))
        {
            // Fresh random prefixes (the learned model memoises RECONSTRUCT per prefix): warm the shorter prefixes as sampling
            // does, then time the one LP of the full prefix.
            var probeRandom = new Random(17);
            var perLength = new List<string>();
            foreach (var t in new[] { 2, 4, 8, 12, 15 })
            {
                var reps = 0;
                var timed = TimeSpan.Zero;
                while (timed < TimeSpan.FromMilliseconds(300) && reps < 200)
                {
                    var prefix = Prefix.From(Enumerable.Range(0, t).Select(_ => probeRandom.Next(4)));
                    m.NextTokenLogits(prefix.Take(t - 1));
                    var timer = Stopwatch.StartNew();
                    m.NextTokenLogits(prefix);
                    timed += timer.Elapsed;
                    reps++;
                }

                perLength.Add($"t={t}: {timed.TotalMilliseconds / reps:0.###} ms");
            }

            md.AppendLine(CultureInfo.InvariantCulture, $"| (same model: one `NextTokenLogits` at a fresh prefix of length t, shorter prefixes already solved) | | | {string.Join(", ", perLength)} |");
            headline.Add($"Learned-model sampling (k=4, T=16, d=8), {name.Replace("**", string.Empty, StringComparison.Ordinal)}: {rate:N0} tokens/s (target ≥ 10,000) → **{(rate >= 10_000 ? "met" : "not met")}**.");
        }
    }
}

md.AppendLine();

// ---------------------------------------------------------------------------------------------------------------
// 4. Headline targets, micro-benchmarks
// ---------------------------------------------------------------------------------------------------------------
if (klWins.Count > 0)
{
    var wins = klWins.Count(w => w.Contains("→ lower", StringComparison.Ordinal) && !w.Split(';')[0].Contains("NOT lower", StringComparison.Ordinal));
    headline.Add($"Equal budgets, perturbed ISANs and noisy parities: the learner (analysed uniform fallback) has lower KL than least squares, spectral and n-gram on {wins}/{klWins.Count} targets → **{(wins == klWins.Count ? "met" : "not met")}**; with the min-residual fallback (outside the analysis) on {variantWins.Count(w => w)}/{variantWins.Count}:<br>" + string.Join("<br>", klWins));
}

if (!LearnerAdapter.Available)
{
    headline.Add("All three learner targets: **not evaluated** — the learner was not in this build.");
}

var head = new StringBuilder();
head.AppendLine("## Headline targets");
head.AppendLine();
foreach (var h in headline)
{
    head.AppendLine(CultureInfo.InvariantCulture, $"- {h}");
}

head.AppendLine();
var text = md.ToString();
var insertAt = text.IndexOf("## 1.", StringComparison.Ordinal);
text = text.Insert(insertAt, head.ToString());
text += """
## Discussion: why targets are missed and what would change them

No profiler (`dotnet-counters`, `dotnet-trace`) is available on this machine; the breakdowns come from Stopwatch timings
per phase in the learner's `LearningReport.WallTime` and from timing `NextTokenLogits` per prefix length.

- **Query efficiency on the headline ISAN.** The default schedule (`N_s = n = 32`) is accepted with about 125× fewer
  queries than tabulation, but 32 validation paths are few: the model is exact on the likely prefixes and wrong on some
  rare ones, so its Monte Carlo TV sits near 0.05 and the upper end of the 95% interval is above it (KL, which weighs rare
  errors more, shows it clearly). Larger schedules reach TV ≈ 1e-14, at a query cost that the table reports. Most of the
  queries are paid in the spanner and witness phases, i.e. rows of `N_s` histories on `F̃_s` at every cut, repeated
  per epoch for the new words: a cheaper acceptance test (more validation paths, fewer spanner samples) or adding several
  witnesses per epoch (outside the analysis) is what would move the trade-off.
- **Equal budgets.** The budgets are the learner's own query counts. On the small targets they are close to the
  tabulation cost `(k^T-1)/(k-1)`, and least squares with many history samples has then queried most prefixes (its
  internal cache saturates) and is close to a complete table. On the perturbed ISANs the analysed learner often ends
  without acceptance (one witness per epoch, 60 epochs, bases growing towards the perturbed rank), and then the
  analysed fallback — uniform predictions from the first prefix whose LP residual exceeds `τ_lp` — is safe for TV but
  expensive for KL; this is where least squares beats it (k=3, T=8 and k=4, T=11 at ε=0.05). The min-residual fallback
  (an explicit option, outside the analysis, ALGORITHM.md section 6) removes that loss and has the lowest KL on every
  perturbed target here. What would change the analysed learner's result: more epochs or several witnesses per epoch
  (so that it is accepted), a larger validation sample, or a looser `τ_lp` carried into the ledger. Where fixed short
  futures cannot see the state (k=2 with d=4: rows on words of length <= 2 have rank <= 3; noisy parity: all-zero rows
  before the label) least squares fails however many queries it gets, while the learner's witnesses find the
  informative words. Spectral learning is misspecified on the time-varying ISANs (a homogeneous WFA of small rank
  cannot represent them) and loses the parity to the same short-basis blindness; its KL is inflated further by the
  probability floor. The n-gram sees only the last two tokens.
- **Sampling speed.** The generator (Algorithm 2) re-solves RECONSTRUCT for the whole prefix at every token: the LP at
  length `t` has `(t-1)·m` coefficients, so one sequence costs `Σ_t LP(t)`, and the per-length timings above grow
  super-linearly in `t` (and with the basis size `m = d = 8`). The linear-recurrence baselines sample millions of tokens
  per second because they solve one small system per token. What would change it: warm-starting each LP from the
  previous token's optimal basis (the constraints of length `t-1` are a subset of those at length `t`), a cheaper
  dedicated solver for the box-constrained minimax problem, or a one-step (greedy) reconstruction with its residual
  carried into the ledger; memoisation already makes repeated prefixes free.

""";
var benchmarks = Path.Combine(root, "bench", "reports", "baseline-benchmarks.md");
if (File.Exists(benchmarks))
{
    text += "## 4. Micro-benchmarks (BenchmarkDotNet)\n\n" + File.ReadAllText(benchmarks) + "\n";
}

text += $"\nTotal run time: {total.Elapsed.TotalSeconds:0} s.\n";
File.WriteAllText(reportPath, text);
Log($"wrote {reportPath}");

static string FindRoot()
{
    var dir = new DirectoryInfo(AppContext.BaseDirectory);
    while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "LogitRank.Verified.sln")))
    {
        dir = dir.Parent;
    }

    return dir?.FullName ?? Directory.GetCurrentDirectory();
}

internal sealed record Target(string Family, string Size, ISequenceModel Model, int Rank, long DefaultBudget);
