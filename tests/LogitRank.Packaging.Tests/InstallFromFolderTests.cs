using System.Runtime.InteropServices;
using System.Security;
using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace LogitRank.Packaging.Tests;

/// <summary>
/// Installs the packed packages from a local folder feed, as a user would: the core into a throwaway console project that
/// runs the README's C# example, and the CLI as a .NET tool that runs <c>logitrank demo</c>.
/// </summary>
[Collection(PackagingGroup.Name)]
[Trait("Category", "Packaging")]
public sealed partial class InstallFromFolderTests(PackageFeed feed, ITestOutputHelper log)
{
    private static readonly TimeSpan RestoreTimeout = TimeSpan.FromMinutes(3);
    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(3);
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(2);

    [Fact]
    public void CorePackageRunsTheReadmeExample()
    {
        var project = Directory.CreateDirectory(Path.Combine(feed.WorkRoot, "readme-example")).FullName;
        IsolateFromEnclosingFolders(project);
        WriteNuGetConfig(project);
        File.WriteAllText(Path.Combine(project, "ReadmeExample.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
                <Nullable>enable</Nullable>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="{PackageFeed.CorePackageId}" Version="{feed.Version}" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(project, "Program.cs"), ReadmeCSharpExample(feed.RepositoryRoot));

        Step(project, RestoreTimeout, "Restoring the README example against the folder feed", "restore", "-nodeReuse:false");
        Step(project, BuildTimeout, "Building the README example", "build", "--no-restore", "-c", "Release", "-o", "out", "-nodeReuse:false");
        var run = Step(project, RunTimeout, "Running the README example", Path.Combine("out", "ReadmeExample.dll"));

        log.WriteLine(run.Stdout);
        var lines = Lines(run.Stdout);
        // The example prints these two lines (README "Use it from C#"); the numbers are the library's, not checked here.
        Assert.Contains(lines, l => QueriesLine().IsMatch(l));
        Assert.Contains(lines, l => CertifiedLine().IsMatch(l));
        // ...and saves the learned model: a non-empty JSON document.
        var model = new FileInfo(Path.Combine(project, "model.json"));
        Assert.True(model.Exists && model.Length > 0, $"The README example did not write {model.FullName}.");
        Assert.StartsWith("{", File.ReadAllText(model.FullName).TrimStart(), StringComparison.Ordinal);
    }

    [Fact]
    public void CliToolInstallsFromTheFolderAndRunsTheDemo()
    {
        feed.EnsureCliPacked();
        var work = Directory.CreateDirectory(Path.Combine(feed.WorkRoot, "tool")).FullName;
        IsolateFromEnclosingFolders(work);
        WriteNuGetConfig(work);
        var toolPath = Path.Combine(work, "bin");

        Step(work, RestoreTimeout, "Installing the CLI tool from the folder feed",
            "tool", "install", "--tool-path", toolPath, "--add-source", feed.Folder, PackageFeed.CliPackageId, "--version", feed.Version);
        var launcher = Path.Combine(toolPath, RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? "logitrank.exe" : "logitrank");
        Assert.True(File.Exists(launcher), $"'dotnet tool install' did not create the command {launcher}.");

        var run = ProcessRunner.Run(launcher, ["demo", "--quiet"], work, RunTimeout);
        Assert.True(run.ExitCode == 0, run.Describe("'logitrank demo --quiet' from the installed tool failed"));
        log.WriteLine(run.Stdout);
        var lines = Lines(run.Stdout);
        // The summary of `logitrank demo` (LearnCommand.PrintSummary): target, learning outcome, queries, certificates.
        Assert.Contains(lines, l => l.StartsWith("Target: ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("Learning (", StringComparison.Ordinal) && l.Contains(", accepted,", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("Queries: ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("Certified (hold-out", StringComparison.Ordinal) && l.Contains("TV <= ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("A priori bound (validation", StringComparison.Ordinal));
    }

    /// <summary>The first <c>```csharp</c> block of the repository README, verbatim: the README's example is what is tested.</summary>
    internal static string ReadmeCSharpExample(string repositoryRoot)
    {
        var readme = File.ReadAllText(Path.Combine(repositoryRoot, "README.md")).ReplaceLineEndings("\n");
        var match = CSharpBlock().Match(readme);
        return match.Success ? match.Groups[1].Value : throw new InvalidOperationException("README.md has no ```csharp block.");
    }

    private static ProcessResult Step(string directory, TimeSpan timeout, string what, params string[] arguments)
    {
        var result = ProcessRunner.Dotnet(directory, timeout, arguments);
        Assert.True(result.ExitCode == 0, result.Describe(what + " failed"));
        return result;
    }

    /// <summary>
    /// A nuget.config whose sources are the folder feed and the sources this machine has configured (normally nuget.org,
    /// for MathNet.Numerics and the other dependencies), copied from <c>dotnet nuget list source</c>.
    /// </summary>
    private void WriteNuGetConfig(string directory)
    {
        var list = ProcessRunner.Dotnet(directory, TimeSpan.FromMinutes(1), "nuget", "list", "source", "--format", "short");
        Assert.True(list.ExitCode == 0, list.Describe("Listing the configured NuGet sources failed"));
        var sources = Lines(list.Stdout)
            .Select(l => EnabledSource().Match(l))
            .Where(m => m.Success)
            .Select(m => m.Groups[1].Value.Trim())
            .Where(s => !string.Equals(Path.GetFullPath(s, directory), feed.Folder, StringComparison.Ordinal))
            .ToList();
        var adds = string.Join("\n", sources.Select((s, i) => $"""    <add key="configured{i}" value="{SecurityElement.Escape(s)}" />"""));
        File.WriteAllText(Path.Combine(directory, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="logitrank-local" value="{SecurityElement.Escape(feed.Folder)}" />
            {adds}
              </packageSources>
            </configuration>
            """);
    }

    /// <summary>
    /// MSBuild and the SDK look upwards for these files (and global.json); empty ones stop the search at the throwaway
    /// project, so nothing in the temporary folder's parents changes its build. global.json pins this repository's SDK.
    /// </summary>
    private void IsolateFromEnclosingFolders(string directory)
    {
        foreach (var name in new[] { "Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props" })
        {
            File.WriteAllText(Path.Combine(directory, name), "<Project />\n");
        }

        File.Copy(Path.Combine(feed.RepositoryRoot, "global.json"), Path.Combine(directory, "global.json"), overwrite: true);
    }

    private static List<string> Lines(string text) => [.. text.ReplaceLineEndings("\n").Split('\n')];

    [GeneratedRegex(@"^```csharp[ \t]*\n(.*?)^```", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex CSharpBlock();

    [GeneratedRegex(@"^\s*E\s+(\S.*)$")]
    private static partial Regex EnabledSource();

    [GeneratedRegex(@"^queries: \d+, accepted: (True|False)$")]
    private static partial Regex QueriesLine();

    [GeneratedRegex(@"^certified TV <= \S+ \(95%\)$")]
    private static partial Regex CertifiedLine();
}
