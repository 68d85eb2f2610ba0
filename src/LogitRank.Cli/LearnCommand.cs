using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using LogitRank.Certification;
using LogitRank.Evaluation;
using LogitRank.Learning;
using LogitRank.Models;
using LogitRank.Oracles;
using static LogitRank.Cli.CommandContext;

namespace LogitRank.Cli;

/// <summary>The outcome of learning and certifying one target.</summary>
internal sealed record LearnOutcome(
    ModelSource Target,
    ILearningSchedule Schedule,
    CertificationOptions Options,
    int Seed,
    CertifiedModel Result,
    SequenceDivergence? Exact,
    IReadOnlyDictionary<int, long> QueriesAtEpochEnd)
{
    /// <summary>The number of distinct prefixes <c>Σ_{t&lt;T} k^t</c>: the queries needed to tabulate the target.</summary>
    public double TabulationQueries
    {
        get
        {
            var total = 0.0;
            for (var t = 0; t < Target.Horizon; t++)
            {
                total += Math.Pow(Target.AlphabetSize, t);
            }

            return total;
        }
    }

    public long LearningQueries => Result.Report.Queries.Total;

    public long TotalQueries => LearningQueries + Result.CertificationQueries;

    public int Witnesses => Result.Report.Epochs.Sum(e => e.Witnesses.Count);
}

/// <summary><c>logitrank learn &lt;target&gt;</c>: learns a model from logit queries to a target, then certifies it.</summary>
internal static class LearnCommand
{
    public const long DefaultExactLimit = 100_000;

    private static readonly JsonSerializerOptions RecordJson = new()
    {
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter() },
    };

    public static IReadOnlyList<OptionSpec> ScheduleOptions { get; } =
    [
        new("schedule", "KIND", "'adaptive' (the default: noise-aware, measures the target's approximation level) or 'practical' (the analysed rules with the knobs below; chosen automatically when one of --threshold, --witnesses-per-epoch, --fallback, --rank-tolerance, --lp-tolerance is given)"),
        new("epochs", "K", "epoch budget (default 30 adaptive, 20 practical)"),
        new("validation-samples", "N", "validation samples per epoch (default 32)"),
        new("spanner-samples", "N", "spanner histories per cut (default 32; the adaptive schedule doubles it at cuts without a spectral knee)"),
        new("budget", "Q", "oracle query budget for learning (default none); when it runs out the best validated model is returned (see --on-budget)"),
        new("on-budget", "POLICY", "when --budget runs out: 'best' (default: return the best model validated so far) or 'stop' (no model, exit code 4)"),
        new("threshold", "G", "practical: witness threshold g in nats (default 1e-4)"),
        new("witnesses-per-epoch", "W", "practical: witnesses added per epoch (default 1)"),
        new("fallback", "POLICY", "practical: at an infeasible LP: 'uniform' (default, the analysis) or 'min-residual' (outside the analysis, reported)"),
        new("rank-tolerance", "TAU", "practical: spanner's relative numerical-rank tolerance (default 1e-9; larger values give smaller bases on approximately low-rank targets)"),
        new("lp-tolerance", "TAU", "practical: relative LP acceptance tolerance: r <= TAU * max(1, max|R|) counts as feasible (default 1e-6)"),
        new("holdout-samples", "N", "hold-out certificate samples (default 1000)"),
        new("delta", "D", "failure probability of each certificate (default 0.05)"),
    ];

    public static CommandDefinition Definition { get; } = new(
        new CommandSpec(
            "learn",
            "Learn a model of a target spec from logit queries, certify it with the hold-out certificate, and save the model and the report.",
            ["target"],
            [
                .. ScheduleOptions,
                new("exact-limit", "N", $"compute exact KL/TV by enumeration when k^T <= N (default {DefaultExactLimit}; 0 never)"),
                new("out", "FILE", "write the learned model JSON"),
                new("report", "FILE", "write the learning report and the certificates (JSON)"),
                new("plot", "PREFIX", "write PREFIX.png and PREFIX.svg: error against queries spent"),
                Targets.CacheOption,
            ]),
        Run);

    /// <summary>The options that only the practical schedule has; giving one selects it when --schedule is absent.</summary>
    public static IReadOnlyList<string> PracticalOnly { get; } = ["threshold", "witnesses-per-epoch", "fallback", "rank-tolerance", "lp-tolerance"];

    /// <summary>
    /// The schedule of a learn-like command: <c>--schedule adaptive</c> (the default) or <c>practical</c>; without
    /// <c>--schedule</c>, a practical-only option selects the practical schedule (the README's hand-tuned commands).
    /// </summary>
    public static ILearningSchedule Schedule(ParsedArguments args)
    {
        var practicalGiven = PracticalOnly.Where(args.Has).ToArray();
        var kind = args.String("schedule") ?? (practicalGiven.Length > 0 ? "practical" : "adaptive");
        var policy = args.String("on-budget") switch
        {
            null or "best" => BudgetPolicy.ReturnBest,
            "stop" => BudgetPolicy.Throw,
            var other => throw CliException.Usage($"Invalid value '{other}' for --on-budget; expected 'best' or 'stop'."),
        };
        switch (kind)
        {
            case "adaptive":
                if (practicalGiven.Length > 0)
                {
                    throw CliException.Usage($"--{practicalGiven[0]} is an option of the practical schedule; the adaptive schedule sets it from its measurements. Use --schedule practical to set it by hand.");
                }

                return new AdaptiveSchedule
                {
                    MaxEpochs = args.Int("epochs", 30, 1),
                    ValidationSamples = args.Int("validation-samples", 32, 1),
                    SpannerSampleCount = args.Int("spanner-samples", 32, 1, 1 << 20),
                    MaxSpannerSampleCount = Math.Max(512, args.Int("spanner-samples", 32, 1, 1 << 20)),
                    QueryBudget = args.Long("budget", 1),
                    OnBudgetExhausted = policy,
                };
            case "practical":
                return Practical(args) with { OnBudgetExhausted = policy };
            default:
                throw CliException.Usage($"Invalid value '{kind}' for --schedule; expected 'adaptive' or 'practical'.");
        }
    }

    private static PracticalSchedule Practical(ParsedArguments args) => new()
    {
        MaxEpochs = args.Int("epochs", 20, 1),
        ValidationSamples = args.Int("validation-samples", 32, 1),
        SpannerSampleCount = args.Int("spanner-samples", 32, 1),
        WitnessThreshold = args.Double("threshold", 1e-4, 0, double.PositiveInfinity, minExclusive: true),
        WitnessesPerEpoch = args.Int("witnesses-per-epoch", 1, 1),
        QueryBudget = args.Long("budget", 1),
        SpannerRankTolerance = args.Double("rank-tolerance", 1e-9, 0, 1, minExclusive: true, maxExclusive: true),
        LpRelativeTolerance = args.Double("lp-tolerance", 1e-6, 0, double.PositiveInfinity, minExclusive: true),
        Fallback = args.String("fallback") switch
        {
            null or "uniform" => FallbackPolicy.Uniform,
            "min-residual" => FallbackPolicy.MinimumResidual,
            var other => throw CliException.Usage($"Invalid value '{other}' for --fallback; expected 'uniform' or 'min-residual'."),
        },
    };

    public static CertificationOptions Certification(ParsedArguments args) => new()
    {
        HoldoutSamples = args.Int("holdout-samples", 1000, 2),
        Delta = args.Double("delta", 0.05, 0, 1, minExclusive: true, maxExclusive: true),
    };

    /// <summary>Learns and certifies <paramref name="target"/>, with progress on stderr; exact divergences when <c>k^T &lt;= exactLimit</c>.</summary>
    public static LearnOutcome Learn(CommandContext context, ModelSource target, ILearningSchedule schedule, CertificationOptions options, long exactLimit)
    {
        var progress = new ProgressDisplay(context.Stderr, context.Interactive, context.Quiet);
        CertifiedModel result;
        try
        {
            options = options with { Approximation = options.Approximation ?? target.Approximation };
            result = LogitRankPipeline.LearnAndCertify(target.Oracle, schedule, options, context.Seed, progress, cancellationToken: context.CancellationToken);
        }
        finally
        {
            progress.Finish();
        }

        SequenceDivergence? exact = null;
        if (target.Model is { } targetModel && Math.Pow(target.AlphabetSize, target.Horizon) <= exactLimit)
        {
            context.Note($"Computing exact KL and TV by enumerating {target.AlphabetSize}^{target.Horizon} sequences...");
            var enumeration = context.Progress("exact KL and TV");
            try
            {
                exact = ExactDivergence.SequenceLevel(targetModel, result.Model, exactLimit, enumeration, context.CancellationToken);
            }
            finally
            {
                enumeration.Finish();
            }
        }

        return new LearnOutcome(target, schedule, options, context.Seed, result, exact, progress.QueriesAtEpochEnd);
    }

    public static JsonObject ToJson(LearnOutcome o, string command)
    {
        var certificate = o.Result.Certificate;
        return new JsonObject
        {
            ["command"] = command,
            ["target"] = o.Target.Description,
            ["alphabetSize"] = o.Target.AlphabetSize,
            ["horizon"] = o.Target.Horizon,
            ["seed"] = o.Seed,
            ["accepted"] = o.Result.Report.Accepted,
            ["epochs"] = o.Result.Report.EpochsRun,
            ["witnesses"] = o.Witnesses,
            ["queries"] = new JsonObject
            {
                ["learning"] = o.LearningQueries,
                ["certification"] = o.Result.CertificationQueries,
                ["total"] = o.TotalQueries,
                ["tabulation"] = o.TabulationQueries,
                ["queriesAtEpochEnd"] = new JsonArray([.. o.QueriesAtEpochEnd.OrderBy(p => p.Key).Select(p => (JsonNode)new JsonObject { ["epoch"] = p.Key, ["queries"] = p.Value })]),
            },
            ["exact"] = o.Exact is { } e ? new JsonObject { ["kullbackLeibler"] = Number(e.KullbackLeibler), ["totalVariation"] = Number(e.TotalVariation) } : null,
            ["certificate"] = new JsonObject
            {
                ["delta"] = o.Options.Delta,
                ["kullbackLeiblerUpper"] = Number(certificate.KullbackLeiblerUpper),
                ["totalVariationUpper"] = Number(certificate.TotalVariationUpper),
                // The two upper bounds above are the minimum of the a priori and hold-out bounds: each holds at 1-δ, the minimum at 1-2δ.
                ["confidence"] = certificate.TotalVariationBound.Confidence,
                ["holdout"] = JsonSerializer.SerializeToNode(certificate.APosteriori, RecordJson),
                ["aPriori"] = JsonSerializer.SerializeToNode(certificate.APriori, RecordJson),
            },
            ["learningReport"] = JsonNode.Parse(o.Result.Report.ToJson()),
        };
    }

    public static void PrintSummary(CommandContext context, LearnOutcome o)
    {
        var report = o.Result.Report;
        var c = o.Result.Certificate;
        var holdout = c.APosteriori;
        context.Out($"Target: {o.Target.Description} (k = {o.Target.AlphabetSize}, T = {o.Target.Horizon}), seed {o.Seed}");
        var stop = report.StoppedBy switch
        {
            LearningStop.Accepted => "accepted",
            LearningStop.Budget when report.ReturnedUnvalidated => $"NOT accepted (query budget ran out before any epoch was validated; returned epoch {report.ReturnedEpoch}'s bases, unvalidated)",
            LearningStop.Budget => $"NOT accepted (query budget ran out; returned epoch {report.ReturnedEpoch}, the best validated)",
            LearningStop.Patience => $"NOT accepted (validation error stopped improving; returned epoch {report.ReturnedEpoch}, the best validated)",
            _ => report.ReturnedEpoch > 0 && report.ReturnedEpoch != report.EpochsRun ? $"NOT accepted (epoch budget ran out; returned epoch {report.ReturnedEpoch}, the best validated)" : "NOT accepted (epoch budget ran out)",
        };
        context.Out($"Learning ({report.Schedule.Kind} schedule): {report.EpochsRun} epoch(s), {stop}, {o.Witnesses} witness(es) added; basis sizes per cut: {string.Join(" ", report.Cuts.Select(x => x.BasisSize))}");
        if (report.NoiseFloors.Count > 0)
        {
            var last = report.NoiseFloors.Where(n => n.Epoch == (report.ReturnedEpoch > 0 ? report.ReturnedEpoch : report.EpochsRun)).ToArray();
            context.Out($"Noise floor per cut (nats): {string.Join(" ", last.Select(n => F(n.NoiseFloor, "0.0E+00") + (n.Knee ? "" : "*")))} (* no spectral knee: every sampled history kept); LP tolerance {F(report.LpTolerance, "0.0E+00")}");
        }

        var returnedEpoch = report.ReturnedEpoch > 0 ? report.ReturnedEpoch : report.EpochsRun;
        if (report.TailChoices.FirstOrDefault(t => t.Epoch == returnedEpoch) is { } tail)
        {
            // proofs-notes/adaptive-schedule.md, A8: the rows beyond the knees, kept or not by validation.
            context.Out($"Tails beyond the knees: {(report.ReturnedTail ? "kept" : "not kept")} (validation TV {F(tail.TailValidationTotalVariation, "0.0E+00")} with them, {F(tail.SignalValidationTotalVariation, "0.0E+00")} without); basis sizes with them: {string.Join(" ", tail.TailBasisSizes)}");
        }
        context.Out($"Queries: {o.LearningQueries} learning + {o.Result.CertificationQueries} certification = {o.TotalQueries}; tabulating the target takes {F(o.TabulationQueries, "0")} ({F(o.TotalQueries / o.TabulationQueries, "0.0%")})");
        if (o.Exact is { } e)
        {
            context.Out($"Exact (enumerating all {F(Math.Pow(o.Target.AlphabetSize, o.Target.Horizon), "0")} sequences): KL(M||M^) = {F(e.KullbackLeibler, "0.000E+00")} nats, TV = {F(e.TotalVariation, "0.000E+00")}");
        }

        context.Out($"Certified (hold-out, {holdout.TotalVariation.Samples} samples, delta = {F(o.Options.Delta)}): KL <= {F(holdout.KullbackLeiblerUpper, "0.000E+00")} nats, TV <= {F(holdout.TotalVariationUpper, "0.000E+00")}; max logit error seen {F(holdout.MaxLogitError, "0.0E+00")}");
        context.Out(c.APriori.Holds
            ? $"A priori bound (validation, delta = {F(c.APriori.Delta)}): KL <= {F(c.APriori.KullbackLeibler, "0.000E+00")} nats, TV <= {F(c.APriori.TotalVariation, "0.000E+00")}"
            : report.Accepted && report.ReturnedTail
                ? "A priori bound: does not apply (the model keeps the tails beyond the knees, whose residuals the witness search did not check; the hold-out bound covers it)."
                : "A priori bound: does not apply (the run was not accepted).");
    }

    private static int Run(CommandContext context)
    {
        var args = context.Arguments;

        // Every argument is checked, and every output declared, before the target is opened or any query is paid.
        var outFile = context.Outputs.Declare("--out", args.String("out"));
        var reportFile = context.Outputs.Declare("--report", args.String("report"));
        var plot = context.Outputs.Declare("--plot", args.String("plot"), ".png", ".svg");
        var schedule = Schedule(args);
        var options = Certification(args);
        var exactLimit = args.Long("exact-limit", 0) ?? DefaultExactLimit;
        if (TargetSpec.LooksLikeSpec(args.Positionals[0]) is false)
        {
            throw CliException.Usage($"'learn' needs a target spec (family:key=value,...), not a saved model file '{args.Positionals[0]}'.");
        }

        using var target = Targets.Open(context, args.Positionals[0], "target");
        var outcome = Learn(context, target, schedule, options, exactLimit);
        var json = ToJson(outcome, "learn");
        Targets.AddCache(json, target);
        if (outFile is not null && context.Outputs.Write("--out", outcome.Result.Model.ToJson()))
        {
            context.Note($"Wrote the learned model to {outFile}.");
            json["model"] = outFile;
        }

        if (reportFile is not null && context.Outputs.Write("--report", json.ToJsonString(JsonOptions)))
        {
            context.Note($"Wrote the report and certificate to {reportFile}.");
        }

        if (plot is not null && Plots.ErrorAgainstQueries(ErrorSeries(outcome), $"Learning {target.Description}", context.Outputs, "--plot") is { Count: > 0 } files)
        {
            context.Note($"Wrote {string.Join(" and ", files)}.");
        }

        if (target.CacheNote is { } note)
        {
            context.Note(note);
        }

        return context.Complete(json, () => PrintSummary(context, outcome));
    }

    /// <summary>
    /// The series of the learn plot: the largest validation logit error of each epoch at the queries paid by its end, and the
    /// final certified TV bound (and exact TV, when computed) at the total queries.
    /// </summary>
    public static IReadOnlyList<ErrorSeries> ErrorSeries(LearnOutcome o)
    {
        // Abandoned epochs validated nothing (their error field is 0, not a measurement): left out.
        var epochs = o.Result.Report.Epochs.Where(e => e.ValidatedSamples > 0 && o.QueriesAtEpochEnd.ContainsKey(e.Epoch)).ToArray();
        var series = new List<ErrorSeries>
        {
            new("max validation logit error (nats), per epoch", [.. epochs.Select(e => (double)o.QueriesAtEpochEnd[e.Epoch])], [.. epochs.Select(e => e.MaxLogitError)]),
            new("certified TV bound (hold-out, 1-delta)", [o.TotalQueries], [o.Result.Certificate.APosteriori.TotalVariationUpper]),
        };
        if (o.Exact is { } exact)
        {
            series.Add(new("exact TV", [o.LearningQueries], [exact.TotalVariation]));
        }

        return series;
    }
}
