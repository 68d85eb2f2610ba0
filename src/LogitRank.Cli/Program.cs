namespace LogitRank.Cli;

/// <summary>The <c>logitrank</c> command-line tool.</summary>
public static class Program
{
    /// <summary>Entry point. <c>logitrank demo</c> prints the logit-matrix spectra of a small random ISAN.</summary>
    public static int Main(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Length > 0 && args[0] == "demo")
        {
            Demo.Run(Console.Out);
            return 0;
        }

        Console.Error.WriteLine("Usage: logitrank demo");
        return args.Length == 0 ? 0 : 2;
    }
}
