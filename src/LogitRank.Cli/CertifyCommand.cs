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
            ]),
        Run);

    private static int Run(CommandContext context)
    {
        var args = context.Arguments;
        if (TargetSpec.LooksLikeSpec(args.Positionals[0]))
        {
            throw CliException.Usage($"'certify' expects a saved learned model file as <model>, got the spec '{args.Positionals[0]}'; use 'evaluate' to compare two specs.");
        }

        var modelPath = args.Positionals[0];
        var model = ModelFiles.Load(modelPath, "model");
        using var target = ModelSource.Resolve(args.Positionals[1], "target");
        if (target.IsFile)
        {
            throw CliException.Usage($"'certify' needs a target spec (family:key=value,...) as <target>, got the file '{target.Description}'.");
        }

        if (model.AlphabetSize != target.AlphabetSize || model.Horizon != target.Horizon)
        {
            throw CliException.Usage($"The model '{modelPath}' has k = {model.AlphabetSize}, T = {model.Horizon} but the target {target.Description} has k = {target.AlphabetSize}, T = {target.Horizon}; expected the same.");
        }

        var options = new HoldoutOptions
        {
            Samples = args.Int("holdout-samples", 1000, 2),
            Delta = args.Double("delta", 0.05, 0, 1, minExclusive: true, maxExclusive: true),
            Seed = context.Seed,
        };
        var oracle = new CountingOracle(target.Oracle);
        var certificate = HoldoutCertifier.Certify(oracle, model, model.LogitBound, options, context.CancellationToken);
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
        var reportFile = args.String("report");
        if (reportFile is not null)
        {
            WriteFile(reportFile, json.ToJsonString(JsonOptions), "--report");
            context.Note($"Wrote the certificate to {reportFile}.");
        }

        context.Result(json);
        context.Out($"Model {modelPath} against {target.Description}: hold-out certificate, {options.Samples} samples, seed {context.Seed}, {oracle.Counts.Total} queries");
        context.Out($"  KL(M||M^) <= {F(certificate.KullbackLeiblerUpper, "0.000E+00")} nats  (mean {F(certificate.KullbackLeibler.Mean, "0.000E+00")}, range {F(certificate.KullbackLeibler.Range, "0.00")})");
        context.Out($"  TV(M,M^)  <= {F(certificate.TotalVariationUpper, "0.000E+00")}       (mean {F(certificate.TotalVariation.Mean, "0.000E+00")})");
        context.Out($"  each with probability >= 1 - {F(options.Delta)}; largest logit error seen {F(certificate.MaxLogitError, "0.0E+00")} nats");
        return ExitCodes.Success;
    }
}
