namespace LogitRank.Cli;

/// <summary><c>logitrank certify &lt;model&gt; &lt;target&gt;</c>.</summary>
internal static class CertifyCommand
{
    public static CommandDefinition Definition { get; } = new(
        new CommandSpec("certify", "Hold-out certificate of a saved learned model against a target (needs the learner).", ["model", "target"], []),
        _ => throw new CliException(ExitCodes.Unexpected, "'certify' needs the learner, which is not merged yet."));
}
