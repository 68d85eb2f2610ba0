using LogitRank.Certification;

namespace LogitRank.Cli;

/// <summary><c>logitrank demo</c>: the built-in example (no files, no network): learn and certify a small random ISAN.</summary>
internal static class DemoCommand
{
    public const string DefaultTarget = "isan:k=4,T=8,d=3,seed=1";

    public static CommandDefinition Definition { get; } = new(
        new CommandSpec(
            "demo",
            $"Built-in example: learn the random ISAN {DefaultTarget} from logit queries, certify it, and compare with the exact KL and TV.",
            [],
            [new("spectrum", null, "print the per-cut logit-matrix spectra of the demo target instead (the earlier demo)")]),
        Run);

    private static int Run(CommandContext context)
    {
        if (context.Arguments.Has("spectrum"))
        {
            if (context.Json)
            {
                throw CliException.Usage("'demo --spectrum' has no --json output; use 'logitrank spectrum " + DefaultTarget + " --json'.");
            }

            Demo.Run(context.Stdout, seed: context.Seed);
            return ExitCodes.Success;
        }

        using var target = ModelSource.Resolve(DefaultTarget, "target");
        var outcome = LearnCommand.Learn(context, target, new Learning.PracticalSchedule(), new CertificationOptions(), LearnCommand.DefaultExactLimit);
        context.Result(LearnCommand.ToJson(outcome, "demo"));
        LearnCommand.PrintSummary(context, outcome);
        return ExitCodes.Success;
    }
}
