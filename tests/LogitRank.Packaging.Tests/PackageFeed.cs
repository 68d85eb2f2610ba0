using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace LogitRank.Packaging.Tests;

/// <summary>
/// A local folder feed of this repository's packages, shared by the packaging tests. By default the fixture packs the core
/// and the FsCheck package (and, on first use, the CLI tool for this machine's platform) into a fresh temporary folder
/// under a run-unique prerelease version, in the configuration these tests were built in, so the packs reuse that build.
/// Set <c>LOGITRANK_PACKAGES</c> to a folder of already packed packages (e.g. <c>artifacts/packages</c>) to test those
/// instead. A run-unique version keeps the shared NuGet cache (<c>~/.nuget/packages</c>, which restores use so that
/// MathNet.Numerics and the rest come from it quickly) from serving an older build of the same version; the entries this
/// run restored there are removed at the end (and, for a given folder's fixed version, also at the start).
/// </summary>
public sealed partial class PackageFeed : IDisposable
{
    public const string FolderVariable = "LOGITRANK_PACKAGES";
    public const string CorePackageId = "LogitRank.Verified";
    public const string FsCheckPackageId = "LogitRank.Verified.FsCheck";
    public const string CliPackageId = "LogitRank.Verified.Cli";

    /// <summary>Generous per-step limits: a loaded two-core machine packs the core in ~15 s, the CLI in ~60 s.</summary>
    public static readonly TimeSpan PackTimeout = TimeSpan.FromMinutes(5);

    private readonly Lock _cliLock = new();
    private bool _cliPacked;

    public PackageFeed()
    {
        RepositoryRoot = FindRepositoryRoot();
        WorkRoot = Directory.CreateTempSubdirectory("logitrank-packaging-").FullName;
        if (Environment.GetEnvironmentVariable(FolderVariable) is { Length: > 0 } given)
        {
            Folder = Path.GetFullPath(given, RepositoryRoot); // a relative path is taken from the repository root
            Version = FindCoreVersion(Folder);
            Reused = true;
            // A fixed version (0.1.0) may already sit in the shared cache from an earlier build of it; restore would take that.
            RemoveCachedVersions();
        }
        else
        {
            Folder = Path.Combine(WorkRoot, "feed");
            Directory.CreateDirectory(Folder);
            Version = $"0.1.0-pkgtest.{DateTime.UtcNow:yyyyMMddHHmmss}.{Environment.ProcessId}";
            Pack("src/LogitRank/LogitRank.csproj");
            Pack("src/LogitRank.FsCheck/LogitRank.FsCheck.fsproj");
        }
    }

    public string RepositoryRoot { get; }

    /// <summary>A temporary folder for this run (the feed when packing, the throwaway projects, the tool path).</summary>
    public string WorkRoot { get; }

    public string Folder { get; }

    public string Version { get; }

    public bool Reused { get; }

    /// <summary>The configuration these tests were built in; packs use it so that they reuse the build.</summary>
    public static string Configuration =>
#if DEBUG
        "Debug";
#else
        "Release";
#endif

    /// <summary>Makes sure the CLI tool packages (pointer and this platform's package) are in the feed.</summary>
    public void EnsureCliPacked()
    {
        lock (_cliLock)
        {
            if (_cliPacked || File.Exists(Path.Combine(Folder, $"{CliPackageId}.{Version}.nupkg")))
            {
                _cliPacked = true;
                return;
            }

            if (Reused)
            {
                throw new InvalidOperationException(
                    $"{FolderVariable} folder '{Folder}' has no {CliPackageId}.{Version}.nupkg: pack the whole solution into it, or unset {FolderVariable}.");
            }

            // Only this machine's platform: packing all four platform packages would take minutes.
            var rid = PortableRuntimeIdentifier();
            if (!ToolRuntimeIdentifiers.Contains(rid, StringComparer.Ordinal))
            {
                throw new PlatformNotSupportedException(
                    $"The CLI tool is packed for {string.Join(", ", ToolRuntimeIdentifiers)} (src/LogitRank.Cli RuntimeIdentifiers); this machine is {rid}.");
            }

            Pack("src/LogitRank.Cli/LogitRank.Cli.csproj", $"-p:ToolPackageRuntimeIdentifiers={rid}");
            _cliPacked = true;
        }
    }

    /// <summary>The platforms the CLI tool is packed for: <c>RuntimeIdentifiers</c> in src/LogitRank.Cli/LogitRank.Cli.csproj.</summary>
    public static IReadOnlyList<string> ToolRuntimeIdentifiers { get; } = ["linux-x64", "linux-arm64", "osx-arm64", "win-x64"];

    /// <summary>
    /// This machine's portable runtime identifier (linux-x64, osx-arm64, ...). Not <c>RuntimeInformation.RuntimeIdentifier</c>:
    /// a distribution's source-built .NET reports its own identifier there (e.g. ubuntu.24.04-x64), for which nothing is restored.
    /// </summary>
    public static string PortableRuntimeIdentifier()
    {
        var os = OperatingSystem.IsWindows() ? "win" : OperatingSystem.IsMacOS() ? "osx" : "linux";
        return os + "-" + RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant();
    }

    public IEnumerable<string> Packages(string extension) =>
        Directory.EnumerateFiles(Folder, $"LogitRank.Verified*.{Version}.{extension}").Order(StringComparer.Ordinal);

    public void Dispose()
    {
        // Ours or given, the version this run restored must not outlive it in the shared cache: a later restore of the
        // same version would silently take these bits.
        RemoveCachedVersions();

        try
        {
            Directory.Delete(WorkRoot, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temporary folder left behind is harmless.
        }
        catch (UnauthorizedAccessException)
        {
            // As above.
        }
    }

    private void Pack(string project, params string[] extra)
    {
        // --no-restore: building this test project restored (and built) these projects already, and a restore with a
        // different PackageVersion would rewrite their assets files under the feet of the normal build.
        string[] arguments =
        [
            "pack", Path.Combine(RepositoryRoot, project), "-c", Configuration, "-o", Folder, "--no-restore",
            $"-p:PackageVersion={Version}", "-nodeReuse:false", .. extra,
        ];
        var result = ProcessRunner.Dotnet(RepositoryRoot, PackTimeout, arguments);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException(result.Describe($"Packing {project} failed"));
        }
    }

    /// <summary>Deletes this run's version of our package ids from the shared NuGet cache (nothing else uses them).</summary>
    private void RemoveCachedVersions()
    {
        var cache = GlobalPackagesFolder();
        if (cache is null || !Directory.Exists(cache))
        {
            return;
        }

        foreach (var id in Directory.EnumerateDirectories(cache, "logitrank.verified*"))
        {
            var versionDirectory = Path.Combine(id, Version.ToLowerInvariant());
            if (Directory.Exists(versionDirectory))
            {
                Directory.Delete(versionDirectory, recursive: true);
            }
        }
    }

    private string? GlobalPackagesFolder()
    {
        if (Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured)
        {
            return configured;
        }

        var result = ProcessRunner.Dotnet(WorkRoot, TimeSpan.FromMinutes(1), "nuget", "locals", "global-packages", "--list");
        var match = GlobalPackagesLine().Match(result.Stdout);
        return result.ExitCode == 0 && match.Success ? match.Groups[1].Value.Trim() : null;
    }

    private static string FindCoreVersion(string folder)
    {
        if (!Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException($"{FolderVariable} is '{folder}', which is not a folder.");
        }

        var versions = Directory.EnumerateFiles(folder, "*.nupkg")
            .Select(f => CorePackageName().Match(Path.GetFileName(f)))
            .Where(m => m.Success)
            .Select(m => m.Groups[1].Value)
            .Distinct(StringComparer.Ordinal)
            .ToList();
        return versions.Count == 1
            ? versions[0]
            : throw new InvalidOperationException(
                $"{FolderVariable} folder '{folder}' must hold exactly one version of {CorePackageId}; found [{string.Join(", ", versions)}].");
    }

    internal static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "LogitRank.Verified.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No LogitRank.Verified.sln above '{AppContext.BaseDirectory}'.");
    }

    [GeneratedRegex(@"^LogitRank\.Verified\.(\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?)\.nupkg$")]
    private static partial Regex CorePackageName();

    [GeneratedRegex(@"global-packages:\s*(.+)")]
    private static partial Regex GlobalPackagesLine();
}

[CollectionDefinition(Name)]
public sealed class PackagingGroup : ICollectionFixture<PackageFeed>
{
    public const string Name = "Packaging";
}
