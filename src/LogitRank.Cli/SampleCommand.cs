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
            [new("count", "N", "number of sequences (default 10)"), Targets.CacheOption]),
        Run);

    public static string Format(Prefix sequence, Alphabet? alphabet) =>
        alphabet?.Symbols is not null ? alphabet.Format(sequence) : string.Join(' ', sequence.ToArray());

    /// <summary>Sequences an oracle-only target draws per batch (one query batch per position); a seed gives the same lines.</summary>
    public const int OracleChunk = 64;

    private static int Run(CommandContext context)
    {
        var count = context.Arguments.Int("count", 10, 0);
        using var source = Targets.Open(context, context.Arguments.Positionals[0], "model");

        // Lines are written as they are drawn, so a reader that stops early (`| head -1`) stops the sampling: the next
        // write fails with a broken pipe (exit code 141). With --json the result is one document, written at the end.
        var samples = context.Json ? new List<Prefix>(Math.Min(count, 1 << 16)) : null;
        foreach (var sequence in Draw(source, count, context))
        {
            if (samples is not null)
            {
                samples.Add(sequence);
            }
            else
            {
                context.Stdout.WriteLine(Format(sequence, source.Alphabet));
            }
        }

        if (source.CacheNote is { } note)
        {
            context.Note(note);
        }

        if (samples is not null)
        {
            var json = new JsonObject
            {
                ["command"] = "sample",
                ["model"] = source.Description,
                ["seed"] = context.Seed,
                ["samples"] = new JsonArray([.. samples.Select(s => (JsonNode)new JsonArray([.. s.ToArray().Select(t => (JsonNode)t)]))]),
                ["text"] = source.Alphabet?.Symbols is null ? null : new JsonArray([.. samples.Select(s => (JsonNode)Format(s, source.Alphabet))]),
            };
            Targets.AddCache(json, source);
            context.Result(json);
        }

        return ExitCodes.Success;
    }

    /// <summary>
    /// The draws, lazily: from a model the sequences of <see cref="SequenceModelExtensions.SampleMany(ISequenceModel, int, int)"/>
    /// (one <c>new Random(seed)</c> in order) on every core, a chunk at a time (<see cref="SequenceModelExtensions.SampleStream"/>);
    /// from an oracle-only target in chunks of <see cref="OracleChunk"/>.
    /// </summary>
    private static IEnumerable<Prefix> Draw(ModelSource source, int count, CommandContext context)
    {
        if (source.Model is { } model)
        {
            // The sequences of SampleMany (one Random(seed) in order), drawn on every core a chunk at a time.
            foreach (var sequence in model.SampleStream(count, context.Seed, Environment.ProcessorCount, context.CancellationToken))
            {
                yield return sequence;
            }

            yield break;
        }

        var random = new Random(context.Seed);

        for (var done = 0; done < count; done += OracleChunk)
        {
            var chunk = OracleSampler.Sample(source.Oracle, Math.Min(OracleChunk, count - done), source.Horizon, random, cancellationToken: context.CancellationToken);
            foreach (var sequence in chunk)
            {
                yield return sequence;
            }
        }
    }
}
