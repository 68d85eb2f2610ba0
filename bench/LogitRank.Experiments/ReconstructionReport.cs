using System.Diagnostics;
using System.Globalization;
using System.Text;
using LogitRank.Evaluation;
using LogitRank.Learning;
using LogitRank.Models;
using LogitRank.Oracles;
using LogitRank.Sequences;

namespace LogitRank.Experiments;

/// <summary>
/// Minimax LP against sequential least-squares reconstruction on the same learned futures and bases (issue 14,
/// proofs-notes/lp-reconstruction.md, L11): learns a perturbed ISAN once with the practical schedule and the
/// minimum-residual fallback, rebuilds the model from its future sets and bases under each reconstruction, and reports
/// the exact KL and TV of each (enumerating <c>Σ^T</c>) with its residuals over every prefix.
/// </summary>
/// <remarks>
/// Usage: <c>dotnet run -c Release --project bench/LogitRank.Experiments -- --reconstruction [--k 4 --T 8 --d 4]
/// [--eps 0.05[,0.2...]] [--seed 1] [--rank-tolerance 1e-9] [--out FILE]</c>. The target is the CLI's <c>perturbed:k=..,T=..,d=..,eps=..,seed=..</c>
/// (logit scale 1). Without <c>--out</c> nothing is written; the table goes to the console.
/// </remarks>
internal static class ReconstructionReport
{
    public static void Run(string[] args, string root)
    {
        string Arg(string name, string fallback)
        {
            var i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
        }

        var k = int.Parse(Arg("--k", "4"), CultureInfo.InvariantCulture);
        var horizon = int.Parse(Arg("--T", "8"), CultureInfo.InvariantCulture);
        var d = int.Parse(Arg("--d", "4"), CultureInfo.InvariantCulture);
        var seed = int.Parse(Arg("--seed", "1"), CultureInfo.InvariantCulture);
        var epsilons = Arg("--eps", "0.05").Split(',').Select(e => double.Parse(e, CultureInfo.InvariantCulture)).ToArray();
        var output = Arg("--out", string.Empty);
        var rankTolerance = double.Parse(Arg("--rank-tolerance", "1e-9"), CultureInfo.InvariantCulture);
        var md = new StringBuilder();
        void Line(string text)
        {
            Console.WriteLine(text);
            md.AppendLine(text);
        }

        Line(string.Create(CultureInfo.InvariantCulture, $"Command: `dotnet run -c Release --project bench/LogitRank.Experiments -- {string.Join(' ', args)}` ({DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, commit {Git(root, "rev-parse --short HEAD")})."));
        Line(string.Empty);
        foreach (var eps in epsilons)
        {
            var target = PerturbedModel.RandomIsan(k, horizon, d, eps, seed);
            var spec = string.Create(CultureInfo.InvariantCulture, $"perturbed:k={k},T={horizon},d={d},eps={eps},seed={seed}");
            var schedule = new PracticalSchedule { Fallback = FallbackPolicy.MinimumResidual, SpannerRankTolerance = rankTolerance };
            var clock = Stopwatch.StartNew();
            var result = new LogitRankLearner().Learn(new ModelOracle(target), schedule, seed: 1);
            clock.Stop();
            var learned = result.Model;
            var report = result.Report;
            Line(string.Create(CultureInfo.InvariantCulture, $"### `{spec}`"));
            Line(string.Empty);
            Line(string.Create(CultureInfo.InvariantCulture, $"Learned once with `PracticalSchedule {{ Fallback = MinimumResidual, SpannerRankTolerance = {rankTolerance} }}` (other settings default), learner seed 1: accepted {report.Accepted}, {report.EpochsRun} epochs, {report.Queries.Total:N0} queries ({clock.Elapsed.TotalSeconds:F1} s), bases {string.Join(",", learned.Bases.Select(b => b.Size))}, |F̂_s| {string.Join(",", Enumerable.Range(0, horizon).Select(s => learned.FutureSets.Future(s).Count))}, β = {learned.Options.Beta}, τ_lp = {learned.Options.LpTolerance:G3}. Rank-d floor KL(M‖base) = {ExactDivergence.KullbackLeibler(target, target.Base):G3}."));
            Line(string.Empty);
            Line("| reconstruction | β | ridge λ_s | exact KL (nats) | exact TV | max r | mean r | prefixes with r ≤ τ_lp | eval s |");
            Line("|---|---|---|---|---|---|---|---|---|");
            var ridgeHalf = 0.25 * eps * eps;
            var variants = new (string Name, LearnedModelOptions Options, string Ridge)[]
            {
                ("minimax LP, uniform fallback (analysed)", learned.Options with { Fallback = FallbackPolicy.Uniform }, "–"),
                ("minimax LP, min-residual", learned.Options, "–"),
                ("least squares", learned.Options with { Method = ReconstructionMethod.LeastSquares }, "floor only"),
                ("least squares", learned.Options with { Method = ReconstructionMethod.LeastSquares, Ridge = Enumerable.Repeat(0.0625 * eps * eps, horizon).ToArray() }, "(0.25ε)²"),
                ("least squares", learned.Options with { Method = ReconstructionMethod.LeastSquares, Ridge = Enumerable.Repeat(ridgeHalf, horizon).ToArray() }, "(0.5ε)²"),
                ("least squares", learned.Options with { Method = ReconstructionMethod.LeastSquares, Ridge = Enumerable.Repeat(eps * eps, horizon).ToArray() }, "ε²"),
                ("least squares", learned.Options with { Method = ReconstructionMethod.LeastSquares, Beta = 1000, Ridge = Enumerable.Repeat(ridgeHalf, horizon).ToArray() }, "(0.5ε)²"),
            };
            foreach (var (name, options, ridge) in variants)
            {
                var model = new LearnedModel(learned.FutureSets, learned.Bases, options);
                var watch = Stopwatch.StartNew();
                var divergence = ExactDivergence.SequenceLevel(target, model);
                var residuals = SequenceSpace.AllUpTo(k, horizon - 1).Where(p => p.Length >= 2).Select(model.LpResidual).ToArray();
                watch.Stop();
                var feasible = residuals.Count(r => r <= options.LpTolerance);
                Line(string.Create(CultureInfo.InvariantCulture, $"| {name} | {options.Beta} | {ridge} | {divergence.KullbackLeibler:G3} | {divergence.TotalVariation:G3} | {residuals.Max():G3} | {residuals.Average():G3} | {feasible:N0} / {residuals.Length:N0} | {watch.Elapsed.TotalSeconds:F1} |"));
            }

            Line(string.Empty);
        }

        if (output.Length > 0)
        {
            File.AppendAllText(output, md.ToString());
        }
    }

    private static string Git(string root, string arguments)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo("git", arguments) { WorkingDirectory = root, RedirectStandardOutput = true, UseShellExecute = false });
            return process?.StandardOutput.ReadToEnd().Trim() ?? "?";
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "?";
        }
    }
}
