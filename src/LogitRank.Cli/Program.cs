namespace LogitRank.Cli;

/// <summary>The <c>logitrank</c> command-line tool.</summary>
public static class Program
{
    /// <summary>Entry point.</summary>
    public static int Main(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        return 0;
    }
}
