namespace LogitRank.Cli;

/// <summary><c>logitrank demo</c>: the built-in example (no files, no network).</summary>
internal static class DemoCommand
{
    public static CommandDefinition Definition { get; } = new(
        new CommandSpec("demo", "Built-in example: the logit-matrix spectra of a small random ISAN (k = 3, T = 8, d = 3).", [], []),
        Run);

    private static int Run(CommandContext context)
    {
        if (context.Json)
        {
            throw CliException.Usage("'demo' has no --json output yet.");
        }

        Demo.Run(context.Stdout, seed: context.Seed);
        return ExitCodes.Success;
    }
}
