namespace LogitRank.Cli;

/// <summary><c>logitrank learn &lt;target&gt;</c>.</summary>
internal static class LearnCommand
{
    public static CommandDefinition Definition { get; } = new(
        new CommandSpec("learn", "Learn a model of a target from logit queries (needs the learner).", ["target"], []),
        _ => throw new CliException(ExitCodes.Unexpected, "'learn' needs the learner, which is not merged yet."));
}
