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
    PracticalSchedule Schedule,
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
        new("epochs", "K", "epoch budget (default 20)"),
        new("validation-samples", "N", "validation samples per epoch (default 32)"),
        new("spanner-samples", "N", "spanner histories per cut (default 32)"),
        new("threshold", "G", "witness threshold g in nats (default 1e-4)"),
        new("budget", "Q", "oracle query budget for learning (default none; exit code 4 when exhausted)"),
        new("witnesses-per-epoch", "W", "witnesses added per epoch (default 1)"),
        new("fallback", "POLICY", "at an infeasible LP: 'uniform' (default, the analysis) or 'min-residual' (outside the analysis, reported)"),
        new("rank-tolerance", "TAU", "spanner's relative numerical-rank tolerance (default 1e-9; larger values give smaller bases on approximately low-rank targets)"),
        new("lp-tolerance", "TAU", "relative LP acceptance tolerance: r <= TAU * max(1, max|R|) counts as feasible (default 1e-6)"),
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

    public static PracticalSchedule Schedule(ParsedArguments args) => new()
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
    public static LearnOutcome Learn(CommandContext context, ModelSource target, PracticalSchedule schedule, CertificationOptions options, long exactLimit)
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
        context.Out($"Learning: {report.EpochsRun} epoch(s), {(report.Accepted ? "accepted" : "NOT accepted (epoch budget ran out)")}, {o.Witnesses} witness(es) added; basis sizes per cut: {string.Join(" ", report.Cuts.Select(x => x.BasisSize))}");
        context.Out($"Queries: {o.LearningQueries} learning + {o.Result.CertificationQueries} certification = {o.TotalQueries}; tabulating the target takes {F(o.TabulationQueries, "0")} ({F(o.TotalQueries / o.TabulationQueries, "0.0%")})");
        if (o.Exact is { } e)
        {
            context.Out($"Exact (enumerating all {F(Math.Pow(o.Target.AlphabetSize, o.Target.Horizon), "0")} sequences): KL(M||M^) = {F(e.KullbackLeibler, "0.000E+00")} nats, TV = {F(e.TotalVariation, "0.000E+00")}");
        }

        context.Out($"Certified (hold-out, {holdout.TotalVariation.Samples} samples, delta = {F(o.Options.Delta)}): KL <= {F(holdout.KullbackLeiblerUpper, "0.000E+00")} nats, TV <= {F(holdout.TotalVariationUpper, "0.000E+00")}; max logit error seen {F(holdout.MaxLogitError, "0.0E+00")}");
        context.Out(c.APriori.Holds
            ? $"A priori bound (validation, delta = {F(c.APriori.Delta)}): KL <= {F(c.APriori.KullbackLeibler, "0.000E+00")} nats, TV <= {F(c.APriori.TotalVariation, "0.000E+00")}"
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
