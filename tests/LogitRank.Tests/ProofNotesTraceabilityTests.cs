using System.Reflection;
using System.Text.RegularExpressions;
using LogitRank.Sequences;

namespace LogitRank.Tests;

/// <summary>
/// Keeps proofs-notes/ honest (issue 4, item 2): every code symbol and every test that a note names in backticks must
/// exist, and every public type of the Learning and Certification namespaces must be named by some note.
/// </summary>
/// <remarks>
/// Conventions the notes follow: a code symbol is written in backticks as <c>Namespace.Type[.Member]</c> starting with
/// <c>LogitRank.</c>, or as <c>Type.Member</c> of a core type; a test as <c>ClassTests.Method</c> or
/// <c>ModuleProperties.property name</c> (F#), optionally <c>ClassTests.*</c> for a whole class.
/// </remarks>
public partial class ProofNotesTraceabilityTests
{
    private static readonly Assembly Core = typeof(Prefix).Assembly;
    private static readonly string[] SourceFolders = ["src", "tests", "bench"];

    internal static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "LogitRank.Verified.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException($"No LogitRank.Verified.sln above {AppContext.BaseDirectory}.");
    }

    private static IEnumerable<(string Note, string Token)> BacktickedTokens()
    {
        foreach (var file in Directory.GetFiles(Path.Combine(RepositoryRoot(), "proofs-notes"), "*.md"))
        {
            foreach (Match match in Backticks().Matches(File.ReadAllText(file)))
            {
                yield return (Path.GetFileName(file), match.Groups[1].Value.Trim());
            }
        }
    }

    private static bool IsTestReference(string token) => TestReference().IsMatch(token);

    private static bool IsCodeReference(string token) => !IsTestReference(token) && !FileName().IsMatch(token) && CodeReference().IsMatch(token);

    [Fact]
    public void Every_named_test_exists()
    {
        var sources = Directory.GetFiles(Path.Combine(RepositoryRoot(), "tests"), "*.*", SearchOption.AllDirectories)
            .Where(f => (f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith(".fs", StringComparison.Ordinal)) && !f.Contains("/obj/", StringComparison.Ordinal) && !f.Contains("/bin/", StringComparison.Ordinal))
            .Select(f => (Path: f, Text: File.ReadAllText(f)))
            .ToList();
        var missing = new List<string>();
        foreach (var (note, token) in BacktickedTokens().Where(t => IsTestReference(t.Token)))
        {
            var dot = token.IndexOf('.', StringComparison.Ordinal);
            var container = token[..dot];
            var member = token[(dot + 1)..];
            var declaring = sources.Where(s => Regex.IsMatch(s.Text, $@"\b(class|module)\s+(\w+\.)*{Regex.Escape(container)}\b")).ToList();
            var found = declaring.Count > 0 && (member == "*" || declaring.Any(s => s.Text.Contains(member.EndsWith("``", StringComparison.Ordinal) ? member : $"``{member}``", StringComparison.Ordinal) || Regex.IsMatch(s.Text, $@"\b{Regex.Escape(member)}\s*\(")));
            if (!found)
            {
                missing.Add($"{note}: `{token}`");
            }
        }

        Assert.True(missing.Count == 0, "Notes name tests that do not exist:\n" + string.Join("\n", missing));
    }

    [Fact]
    public void Every_named_code_symbol_exists()
    {
        var srcFiles = SourceFolders.SelectMany(d => Directory.GetFiles(Path.Combine(RepositoryRoot(), d), "*.*", SearchOption.AllDirectories))
            .Where(f => (f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith(".fs", StringComparison.Ordinal)) && !f.Contains("/obj/", StringComparison.Ordinal) && !f.Contains("/bin/", StringComparison.Ordinal))
            .Select(File.ReadAllText)
            .ToList();
        var missing = BacktickedTokens().Where(t => IsCodeReference(t.Token) && !Resolves(t.Token, srcFiles)).Select(t => $"{t.Note}: `{t.Token}`").ToList();
        Assert.True(missing.Count == 0, "Notes name code symbols that do not exist:\n" + string.Join("\n", missing));
    }

    [Fact]
    public void Every_public_learning_and_certification_type_is_named_by_a_note()
    {
        var text = string.Join("\n", Directory.GetFiles(Path.Combine(RepositoryRoot(), "proofs-notes"), "*.md").Select(File.ReadAllText));
        var unnamed = Core.GetExportedTypes()
            .Where(t => t.Namespace is "LogitRank.Learning" or "LogitRank.Certification")
            .Select(t => t.Name.Split('`')[0])
            .Where(name => !Regex.IsMatch(text, $@"\b{Regex.Escape(name)}\b"))
            .ToList();
        Assert.True(unnamed.Count == 0, "Public types named by no note: " + string.Join(", ", unnamed));
    }

    [Fact]
    public void The_checker_rejects_what_does_not_exist()
    {
        // The checks above must be able to fail: a made-up symbol and a made-up member do not resolve.
        Assert.False(Resolves("LogitRank.Learning.NoSuchType", []));
        Assert.False(Resolves("LogitRank.Sequences.Prefix.NoSuchMember", []));
        Assert.True(Resolves("LogitRank.Sequences.Prefix.Append", []));
        Assert.True(Resolves("Prefix.Append", []));
        Assert.True(Resolves("LogitRank.Learning", []));
        Assert.False(Resolves("LogitRank.NoSuchNamespace", []));
        Assert.True(IsTestReference("PipelineTests.Bad_arguments_are_typed_errors"));
        Assert.False(IsCodeReference("ℓ̂(y_{1:t})"));
        Assert.False(IsCodeReference("LogitRank.Verified.sln"));
    }

    private static bool Resolves(string token, IReadOnlyList<string> sourceTexts)
    {
        var parts = token.Split('(')[0].Split('.');
        if (Core.GetTypes().Any(t => t.Namespace == token))
        {
            return true; // a namespace of the core, e.g. LogitRank.Learning
        }

        // Fully qualified core symbol: longest prefix that is a type, then members (nested types included).
        for (var i = parts.Length; i >= 1; i--)
        {
            var type = Core.GetType(string.Join('.', parts[..i]));
            if (type is not null)
            {
                return MembersResolve(type, parts[i..]);
            }
        }

        // Short form Type.Member of a core type.
        var byName = Core.GetTypes().Where(t => t.Name.Split('`')[0] == parts[0]).ToList();
        if (byName.Count > 0)
        {
            return byName.Any(t => MembersResolve(t, parts[1..]));
        }

        // Another project (adapters, CLI, F#, test support): the type is declared in the sources and each member name
        // appears in them. A short form whose type is declared nowhere (a BCL type such as Parallel.For) is not ours.
        bool Declared(string name) => sourceTexts.Any(s => Regex.IsMatch(s, $@"\b(class|record|struct|interface|enum|module|type)\s+(\w+\.)*{Regex.Escape(name)}\b"));
        bool Mentioned(string name) => sourceTexts.Any(s => Regex.IsMatch(s, $@"\b{Regex.Escape(name)}\b"));
        if (parts[0] == "LogitRank")
        {
            var typeIndex = Array.FindLastIndex(parts, Declared);
            return typeIndex > 0 && parts[(typeIndex + 1)..].All(Mentioned);
        }

        return Declared(parts[0]) ? parts[1..].All(Mentioned) : !Core.GetTypes().Any(t => t.Name == parts[0]);
    }

    private static bool MembersResolve(Type type, string[] members)
    {
        var current = type;
        foreach (var name in members)
        {
            const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static;
            var found = current.GetMember(name, all);
            if (found.Length == 0)
            {
                return false;
            }

            if (found[0] is Type nested)
            {
                current = nested;
            }
        }

        return true;
    }

    [GeneratedRegex(@"\.(csproj|fsproj|sln|json|md|cs|fs|txt|onnx|xml|props|png|svg)$")]
    private static partial Regex FileName();

    [GeneratedRegex("`([^`\n]+)`")]
    private static partial Regex Backticks();

    [GeneratedRegex(@"^[A-Z][A-Za-z0-9]*(Tests|Properties)\.[^\s].*$")]
    private static partial Regex TestReference();

    [GeneratedRegex(@"^(LogitRank(\.[A-Za-z_][A-Za-z0-9_]*)+|[A-Z][A-Za-z0-9]*\.[A-Z][A-Za-z0-9_]*)(\(.*\))?$")]
    private static partial Regex CodeReference();
}
