using System.IO.Compression;
using System.Reflection.Metadata;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace LogitRank.Packaging.Tests;

/// <summary>
/// What every package in the feed carries: an MIT license expression, the README, a repository element with the commit,
/// and symbols (a .snupkg whose portable PDBs hold Source Link maps to that commit).
/// </summary>
[Collection(PackagingGroup.Name)]
[Trait("Category", "Packaging")]
public sealed partial class PackageContentTests(PackageFeed feed)
{
    /// <summary>The Source Link custom debug information kind in a portable PDB (Portable PDB format specification).</summary>
    private static readonly Guid SourceLinkKind = new("CC110556-A091-4D38-9FEC-25AB9A351A6A");

    [Fact]
    public void EveryPackageHasLicenseReadmeRepositoryCommitAndSourceLinkedSymbols()
    {
        var packages = feed.Packages("nupkg").ToList();
        Assert.Contains(packages, p => Path.GetFileName(p) == $"{PackageFeed.CorePackageId}.{feed.Version}.nupkg");
        Assert.Contains(packages, p => Path.GetFileName(p) == $"{PackageFeed.FsCheckPackageId}.{feed.Version}.nupkg");

        foreach (var package in packages)
        {
            var name = Path.GetFileName(package);
            using var zip = ZipFile.OpenRead(package);
            var nuspec = Nuspec(zip, name);
            var ns = nuspec.Root!.Name.Namespace;
            var metadata = nuspec.Root.Element(ns + "metadata") ?? throw new InvalidDataException($"{name}: nuspec has no <metadata>.");

            var license = metadata.Element(ns + "license");
            Assert.True(license is not null && (string?)license.Attribute("type") == "expression" && license.Value == "MIT", $"{name}: license is not the MIT expression.");
            Assert.False(string.IsNullOrWhiteSpace(metadata.Element(ns + "description")?.Value), $"{name}: no description.");

            var readme = metadata.Element(ns + "readme")?.Value;
            Assert.True(readme is not null && zip.GetEntry(readme) is { Length: > 0 }, $"{name}: no readme, or the readme file '{readme}' is not in the package.");

            var repository = metadata.Element(ns + "repository");
            var url = (string?)repository?.Attribute("url");
            var commit = (string?)repository?.Attribute("commit");
            Assert.True(url is not null && url.StartsWith("https://", StringComparison.Ordinal), $"{name}: <repository> has no https url.");
            Assert.True(commit is not null && CommitId().IsMatch(commit), $"{name}: <repository> has no commit id (got '{commit}').");

            var binaries = zip.Entries.Where(e => e.FullName.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)).ToList();
            var symbolsPath = Path.ChangeExtension(package, ".snupkg");
            if (binaries.Count == 0)
            {
                // The CLI tool's pointer package: it only names the platform packages, so it has no symbols of its own,
                // and every platform package it names must be in the feed beside it.
                Assert.False(File.Exists(symbolsPath), $"{name} holds no binaries but has a symbol package.");
                var named = PlatformPackages(zip, name);
                Assert.NotEmpty(named);
                Assert.All(named, id => Assert.True(
                    File.Exists(Path.Combine(feed.Folder, $"{id}.{feed.Version}.nupkg")), $"{name} names {id}, which is not in the feed."));
                continue;
            }

            Assert.True(File.Exists(symbolsPath), $"{name}: no symbol package {Path.GetFileName(symbolsPath)} beside it.");
            using var symbols = ZipFile.OpenRead(symbolsPath);
            var pdbs = symbols.Entries.Where(e => e.FullName.EndsWith(".pdb", StringComparison.OrdinalIgnoreCase)).ToList();
            Assert.NotEmpty(pdbs);
            // The library's own assemblies (lib/) each have their PDB in the symbol package.
            foreach (var dll in binaries.Where(e => e.FullName.StartsWith("lib/", StringComparison.Ordinal)))
            {
                var pdb = Path.ChangeExtension(dll.FullName, ".pdb");
                Assert.True(symbols.GetEntry(pdb) is not null, $"{name}: {dll.FullName} has no {pdb} in the symbol package.");
            }

            // GitHub's Source Link convention: raw.githubusercontent.com/<owner>/<repo>/<commit>/<path>.
            var expectedPrefix = "https://raw.githubusercontent.com/" + new Uri(url!).AbsolutePath.Trim('/') + "/" + commit + "/";
            foreach (var pdb in pdbs)
            {
                var map = SourceLinkDocuments(pdb);
                Assert.True(map.Count > 0, $"{name}: {pdb.FullName} has no Source Link map.");
                Assert.All(map.Values, target => Assert.StartsWith(expectedPrefix, target, StringComparison.Ordinal));
            }
        }
    }

    [Fact]
    public void TheToolPlatformListMatchesTheCliProject()
    {
        var project = XDocument.Load(Path.Combine(feed.RepositoryRoot, "src", "LogitRank.Cli", "LogitRank.Cli.csproj"));
        var declared = project.Descendants("RuntimeIdentifiers").Single().Value.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(declared, PackageFeed.ToolRuntimeIdentifiers);
    }

    /// <summary>The platform package ids a tool pointer package names (its DotnetToolSettings.xml).</summary>
    private static List<string> PlatformPackages(ZipArchive zip, string name)
    {
        var entry = zip.Entries.SingleOrDefault(e => e.FullName.EndsWith("/DotnetToolSettings.xml", StringComparison.Ordinal))
            ?? throw new InvalidDataException($"{name}: holds no binaries and no DotnetToolSettings.xml.");
        using var stream = entry.Open();
        return [.. XDocument.Load(stream).Descendants("RuntimeIdentifierPackage").Select(e => (string?)e.Attribute("Id") ?? "")];
    }

    private static XDocument Nuspec(ZipArchive zip, string name)
    {
        var entry = zip.Entries.SingleOrDefault(e => !e.FullName.Contains('/', StringComparison.Ordinal) && e.FullName.EndsWith(".nuspec", StringComparison.OrdinalIgnoreCase))
            ?? throw new InvalidDataException($"{name}: no .nuspec at the package root.");
        using var stream = entry.Open();
        return XDocument.Load(stream);
    }

    /// <summary>The "documents" map of the Source Link JSON embedded in a portable PDB (empty when there is none).</summary>
    private static Dictionary<string, string> SourceLinkDocuments(ZipArchiveEntry pdb)
    {
        using var buffer = new MemoryStream();
        using (var stream = pdb.Open())
        {
            stream.CopyTo(buffer);
        }

        buffer.Position = 0;
        using var provider = MetadataReaderProvider.FromPortablePdbStream(buffer);
        var reader = provider.GetMetadataReader();
        foreach (var handle in reader.CustomDebugInformation)
        {
            var info = reader.GetCustomDebugInformation(handle);
            if (reader.GetGuid(info.Kind) != SourceLinkKind)
            {
                continue;
            }

            var json = Encoding.UTF8.GetString(reader.GetBlobBytes(info.Value));
            using var document = JsonDocument.Parse(json);
            return document.RootElement.GetProperty("documents").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? "");
        }

        return [];
    }

    [GeneratedRegex("^[0-9a-f]{40}$")]
    private static partial Regex CommitId();
}
