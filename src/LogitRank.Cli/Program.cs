namespace LogitRank.Cli;

/// <summary>The <c>logitrank</c> command-line tool.</summary>
public static class Program
{
    /// <summary>Entry point: <see cref="Cli.Run(string[], TextWriter, TextWriter, bool, CancellationToken)"/> on the console; Ctrl+C cancels.</summary>
    /// <param name="args">The arguments.</param>
    /// <returns>The exit code (<see cref="ExitCodes"/>).</returns>
    public static int Main(string[] args)
    {
        using var cancellation = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancellation.Cancel();
        };
        return Cli.Run(args, Console.Out, Console.Error, interactive: !Console.IsErrorRedirected, cancellation.Token);
    }
}
