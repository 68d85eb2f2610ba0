using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using LogitRank.Certification;
using LogitRank.Oracles;
using static LogitRank.Cli.CommandContext;

namespace LogitRank.Cli;

/// <summary><c>logitrank certify &lt;model.json&gt; &lt;target&gt;</c>: the hold-out certificate of a saved learned model.</summary>
internal static class CertifyCommand
{
    private static readonly JsonSerializerOptions RecordJson = new() { NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };

    public static CommandDefinition Definition { get; } = new(
        new CommandSpec(
            "certify",
            "Hold-out certificate of a saved learned model against a target spec: upper confidence bounds on KL(M||M^) and TV(M,M^) from fresh samples of the target.",
            ["model", "target"],
            [
                new("holdout-samples", "N", "hold-out samples (default 1000)"),
                new("delta", "D", "failure probability of each bound (default 0.05)"),
                new("report", "FILE", "write the certificate JSON"),
                Targets.CacheOption,
            ]),
        Run);

    private static int Run(CommandContext context)
    {
        var args = context.Arguments;
        if (TargetSpec.LooksLikeSpec(args.Positionals[0]))
        {
            throw CliException.Usage($"'certify' expects a saved learned model file as <model>, got the spec '{args.Positionals[0]}'; use 'evaluate' to compare two specs.");
        }

        if (!TargetSpec.LooksLikeSpec(args.Positionals[1]))
        {
            throw CliException.Usage($"'certify' needs a target spec (family:key=value,...) as <target>, got the file '{args.Positionals[1]}'.");
        }

        var reportFile = context.Outputs.Declare("--report", args.String("report"));
        var options = new HoldoutOptions
        {
            Samples = args.Int("holdout-samples", 1000, 2),
            Delta = args.Double("delta", 0.05, 0, 1, minExclusive: true, maxExclusive: true),
            Seed = context.Seed,
        };
        var modelPath = args.Positionals[0];
        context.Outputs.DeclareInput("<model>", modelPath);
        var model = ModelFiles.Load(modelPath, "model");
        using var target = Targets.Open(context, args.Positionals[1], "target");
        if (model.AlphabetSize != target.AlphabetSize || model.Horizon != target.Horizon)
        {
            throw CliException.Usage($"The model '{modelPath}' has k = {model.AlphabetSize}, T = {model.Horizon} but the target {target.Description} has k = {target.AlphabetSize}, T = {target.Horizon}; expected the same.");
        }

        // The hold-out sampler queries one batch of all samples per position: T batches.
        var progress = context.Progress("certify");
        options = options with { Approximation = target.Approximation };
        var oracle = new CountingOracle(new ProgressOracle(target.Oracle, progress, target.Horizon));
        HoldoutCertificate certificate;
        try
        {
            certificate = HoldoutCertifier.Certify(oracle, model, model.LogitBound, options, context.CancellationToken);
        }
        finally
        {
            progress.Finish();
        }

        var json = new JsonObject
        {
            ["command"] = "certify",
            ["model"] = modelPath,
            ["target"] = target.Description,
            ["seed"] = context.Seed,
            ["delta"] = options.Delta,
            ["samples"] = options.Samples,
            ["kullbackLeiblerUpper"] = Number(certificate.KullbackLeiblerUpper),
            ["totalVariationUpper"] = Number(certificate.TotalVariationUpper),
            ["queries"] = oracle.Counts.Total,
            ["holdout"] = JsonSerializer.SerializeToNode(certificate, RecordJson),
        };
        Targets.AddCache(json, target);
        if (reportFile is not null && context.Outputs.Write("--report", json.ToJsonString(JsonOptions)))
        {
            context.Note($"Wrote the certificate to {reportFile}.");
        }

        if (target.CacheNote is { } note)
        {
            context.Note(note);
        }

        return context.Complete(json, () =>
        {
            context.Out($"Model {modelPath} against {target.Description}: hold-out certificate, {options.Samples} samples, seed {context.Seed}, {oracle.Counts.Total} queries");
            context.Out($"  KL(M||M^) <= {F(certificate.KullbackLeiblerUpper, "0.000E+00")} nats  (mean {F(certificate.KullbackLeibler.Mean, "0.000E+00")}, range {F(certificate.KullbackLeibler.Range, "0.00")})");
            context.Out($"  TV(M,M^)  <= {F(certificate.TotalVariationUpper, "0.000E+00")}       (mean {F(certificate.TotalVariation.Mean, "0.000E+00")})");
            context.Out($"  each with probability >= 1 - {F(options.Delta)}; largest logit error seen {F(certificate.MaxLogitError, "0.0E+00")} nats");
        });
    }
}
