namespace LogitRank.Cli.Tests;

/// <summary>Every exit code is documented: in the help text, in the README and in proofs-notes/cli.md.</summary>
public sealed class ExitCodesTests
{
    [Fact]
    public void Every_exit_code_is_in_the_help_the_readme_and_the_cli_note()
    {
        var root = RepositoryRoot();
        var readme = File.ReadAllText(Path.Combine(root, "README.md"));
        var note = File.ReadAllText(Path.Combine(root, "proofs-notes", "cli.md"));
        var help = CliHarness.Run("--help").Out;
        Assert.Equal(10, ExitCodes.All.Count);
        foreach (var (code, name) in ExitCodes.All)
        {
            Assert.Contains($"| {code} |", readme, StringComparison.Ordinal);
            Assert.Contains($"| {code} |", note, StringComparison.Ordinal);
            Assert.Contains($"{code} {name}", help, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Names_are_distinct_and_unknown_codes_read_as_unexpected()
    {
        Assert.Equal(ExitCodes.All.Count, ExitCodes.All.Select(c => c.Name).Distinct().Count());
        Assert.Equal("oracle failed", ExitCodes.Name(ExitCodes.OracleFailed));
        Assert.Equal("unexpected", ExitCodes.Name(42));
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "LogitRank.Verified.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("LogitRank.Verified.sln not found above " + AppContext.BaseDirectory);
    }
}
