using System.Text.Json.Nodes;
using LogitRank.Models;
using LogitRank.Oracles;
using LogitRank.Sequences;

namespace LogitRank.Cli;

/// <summary><c>logitrank sample &lt;model&gt;</c>: draws sequences, one per line.</summary>
internal static class SampleCommand
{
    public static CommandDefinition Definition { get; } = new(
        new CommandSpec(
            "sample",
            "Draw sequences y ~ M from a model (a target spec or a saved model JSON), one per line (tokens separated by spaces).",
            ["model"],
            [new("count", "N", "number of sequences (default 10)")]),
        Run);

    public static string Format(Prefix sequence, Alphabet? alphabet) =>
        alphabet?.Symbols is not null ? alphabet.Format(sequence) : string.Join(' ', sequence.ToArray());

    private static int Run(CommandContext context)
    {
        using var source = ModelSource.Resolve(context.Arguments.Positionals[0], "model");
        var count = context.Arguments.Int("count", 10, 0);
        var samples = source.Model is { } model
            ? model.SampleMany(count, context.Seed)
            : OracleSampler.Sample(source.Oracle, count, source.Horizon, new Random(context.Seed), cancellationToken: context.CancellationToken);
        context.Result(new JsonObject
        {
            ["command"] = "sample",
            ["model"] = source.Description,
            ["seed"] = context.Seed,
            ["samples"] = new JsonArray([.. samples.Select(s => (JsonNode)new JsonArray([.. s.ToArray().Select(t => (JsonNode)t)]))]),
            ["text"] = source.Alphabet?.Symbols is null ? null : new JsonArray([.. samples.Select(s => (JsonNode)Format(s, source.Alphabet))]),
        });
        foreach (var s in samples)
        {
            context.Out(Format(s, source.Alphabet));
        }

        return ExitCodes.Success;
    }
}
