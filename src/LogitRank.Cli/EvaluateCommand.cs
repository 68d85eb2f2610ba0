using System.Text.Json.Nodes;
using LogitRank.Certification;
using LogitRank.Evaluation;
using LogitRank.Models;
using LogitRank.Oracles;
using LogitRank.Statistics;
using static LogitRank.Cli.CommandContext;

namespace LogitRank.Cli;

/// <summary><c>logitrank evaluate &lt;p&gt; &lt;q&gt;</c>: KL(P||Q) and TV(P,Q), exactly by enumeration or by Monte Carlo.</summary>
internal static class EvaluateCommand
{
    public static CommandDefinition Definition { get; } = new(
        new CommandSpec(
            "evaluate",
            "KL(P||Q) and TV(P,Q) between two models (each a target spec or a saved model JSON): exact by enumerating k^T sequences, or Monte Carlo with --samples.",
            ["p", "q"],
            [
                new("samples", "N", "Monte Carlo with N samples y ~ P instead of enumeration"),
                new("delta", "D", "failure probability of the Monte Carlo upper bounds (default 0.05)"),
                new("max-sequences", "N", $"largest k^T enumerated exactly (default {ExactDivergence.DefaultMaxSequences})"),
                Targets.CacheOption,
            ]),
        Run);

    private static int Run(CommandContext context)
    {
        var args = context.Arguments;
        var samples = args.Has("samples") ? args.Int("samples", 0, 2) : (int?)null;
        var delta = args.Double("delta", 0.05, 0, 1, minExclusive: true, maxExclusive: true);
        var maxSequences = args.Long("max-sequences", 1) ?? ExactDivergence.DefaultMaxSequences;

        // Only P is ever queried through its oracle (Monte Carlo of an oracle-only P); the cache is P's.
        using var p = Targets.Open(context, args.Positionals[0], "p");
        using var q = Targets.Open(context, args.Positionals[1], "q", cache: false);
        if (p.AlphabetSize != q.AlphabetSize || p.Horizon != q.Horizon)
        {
            throw CliException.Usage($"The models differ: p has k = {p.AlphabetSize}, T = {p.Horizon} but q has k = {q.AlphabetSize}, T = {q.Horizon}; expected the same alphabet size and horizon.");
        }
        var json = new JsonObject
        {
            ["command"] = "evaluate",
            ["p"] = p.Description,
            ["q"] = q.Description,
            ["alphabetSize"] = p.AlphabetSize,
            ["horizon"] = p.Horizon,
        };
        var qModel = q.RequireModel("Evaluating against <q>");
        if (samples is null)
        {
            var pModelExact = p.RequireModel("Exact evaluation (without --samples)");
            var enumeration = context.Progress("exact KL and TV");
            SequenceDivergence exact;
            try
            {
                exact = ExactDivergence.SequenceLevel(pModelExact, qModel, maxSequences, enumeration, context.CancellationToken);
            }
            finally
            {
                enumeration.Finish();
            }

            json["method"] = "exact";
            json["kullbackLeibler"] = Number(exact.KullbackLeibler);
            json["totalVariation"] = Number(exact.TotalVariation);
            context.Result(json);
            context.Out($"P = {p.Description}");
            context.Out($"Q = {q.Description}");
            context.Out($"Exact, by enumerating all {p.AlphabetSize}^{p.Horizon} sequences:");
            context.Out($"  KL(P||Q) = {F(exact.KullbackLeibler)} nats");
            context.Out($"  TV(P,Q)  = {F(exact.TotalVariation)}");
            return ExitCodes.Success;
        }

        MonteCarloDivergenceResult mc;
        double[] ratio;
        if (p.Model is { } pModel)
        {
            var draws = pModel.SampleMany(samples.Value, context.Seed);
            mc = MonteCarloDivergence.Estimate(pModel, qModel, draws, delta);
            // Likelihood-ratio statistic (1 - Q(y)/P(y))_+ ∈ [0,1], unbiased for TV(P,Q) (proofs-notes/holdout-certificate.md).
            ratio = [.. draws.Select(y => Math.Max(0.0, 1.0 - Math.Exp(qModel.LogProbability(y) - pModel.LogProbability(y))))];
        }
        else
        {
            // An oracle-only P: draw through the oracle (cached, so the estimate re-reads the same answers).
            var progress = context.Progress("sampling P");
            var cached = new CachingOracle(new ProgressOracle(p.Oracle, progress, p.Horizon));
            IReadOnlyList<SampledPath> paths;
            try
            {
                paths = OracleSampler.SampleWithLogits(cached, samples.Value, p.Horizon, new Random(context.Seed), cancellationToken: context.CancellationToken);
            }
            finally
            {
                progress.Finish();
            }

            mc = MonteCarloDivergence.Estimate(cached, qModel, [.. paths.Select(x => x.Sequence)], delta, cancellationToken: context.CancellationToken);
            ratio = [.. paths.Select(x => Math.Max(0.0, 1.0 - Math.Exp(qModel.LogProbability(x.Sequence) - x.LogProbability())))];
        }

        var tv = ConfidenceBound.FromSamples(ratio, 1.0, delta);
        json["method"] = "monteCarlo";
        json["samples"] = samples.Value;
        json["seed"] = context.Seed;
        json["delta"] = delta;
        json["kullbackLeibler"] = new JsonObject { ["mean"] = Number(mc.KullbackLeibler.Mean) };
        json["totalVariation"] = new JsonObject { ["mean"] = Number(tv.Mean), ["upper"] = Number(Math.Min(1.0, tv.Upper)) };
        json["hybridTotalVariation"] = new JsonObject { ["mean"] = Number(mc.HybridTotalVariation.Mean), ["upper"] = mc.HybridTotalVariation.BernsteinUpper is { } b ? Number(Math.Min(b, mc.HybridTotalVariation.HoeffdingUpper ?? b)) : null };
        Targets.AddCache(json, p);
        if (p.CacheNote is { } note)
        {
            context.Note(note);
        }

        context.Result(json);
        context.Out($"P = {p.Description}");
        context.Out($"Q = {q.Description}");
        context.Out($"Monte Carlo, {samples} samples y ~ P (seed {context.Seed}); upper bounds hold with probability >= 1 - {F(delta)}:");
        context.Out($"  KL(P||Q) ~ {F(mc.KullbackLeibler.Mean)} nats (chain-rule estimate, unbiased)");
        context.Out($"  TV(P,Q)  ~ {F(tv.Mean)}, upper bound {F(Math.Min(1.0, tv.Upper))} (likelihood ratio)");
        context.Out($"  hybrid TV bound ~ {F(mc.HybridTotalVariation.Mean)}");
        return ExitCodes.Success;
    }
}
