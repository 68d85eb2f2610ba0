using System.Reflection;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using LogitRank.FsCheck.Fluent;
using LogitRank.Sequences;

namespace LogitRank.Tests;

/// <summary>
/// Keeps proofs-notes/ honest (issue 4, item 2): every code symbol and every test that a note names in backticks must
/// exist, and every public type of the Learning, Certification and Statistics namespaces must be named by some note.
/// </summary>
/// <remarks>
/// Conventions the notes follow: a code symbol is written in backticks as <c>Namespace.Type[.Member]</c> starting with
/// <c>LogitRank.</c>, or as <c>Type.Member</c>; a test as <c>ClassTests.Method</c> or
/// <c>ModuleProperties.property name</c> (F#), optionally <c>ClassTests.*</c> for a whole class.
/// A code symbol resolves by reflection, never by searching source text: in the repository's assemblies (the core, the
/// FsCheck generators and this test assembly, loaded; the HTTP, ONNX and persistence adapters and the CLI, read from
/// their built files with a <see cref="MetadataLoadContext"/>), and a short form whose type is none of ours in the
/// assemblies those reference (MathNet, the BCL, logging, xunit). A name that resolves nowhere fails.
/// </remarks>
public partial class ProofNotesTraceabilityTests
{
    private static readonly Assembly Core = typeof(Prefix).Assembly;

    private static readonly Lazy<SymbolSpace> Symbols = new(SymbolSpace.Build);

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
        var missing = BacktickedTokens().Where(t => IsCodeReference(t.Token) && !Resolves(t.Token)).Select(t => $"{t.Note}: `{t.Token}`").ToList();
        Assert.True(missing.Count == 0, "Notes name code symbols that do not exist:\n" + string.Join("\n", missing));
    }

    [Fact]
    public void Every_public_learning_and_certification_type_is_named_by_a_note()
    {
        var text = string.Join("\n", Directory.GetFiles(Path.Combine(RepositoryRoot(), "proofs-notes"), "*.md").Select(File.ReadAllText));
        var unnamed = Core.GetExportedTypes()
            .Where(t => t.Namespace is "LogitRank.Learning" or "LogitRank.Certification" or "LogitRank.Statistics")
            .Select(t => t.Name.Split('`')[0])
            .Where(name => !Regex.IsMatch(text, $@"\b{Regex.Escape(name)}\b"))
            .ToList();
        Assert.True(unnamed.Count == 0, "Public types named by no note: " + string.Join(", ", unnamed));
    }

    [Fact]
    public void The_checker_rejects_what_does_not_exist()
    {
        // The checks above must be able to fail: a made-up symbol and a made-up member do not resolve.
        Assert.False(Resolves("LogitRank.Learning.NoSuchType"));
        Assert.False(Resolves("LogitRank.Sequences.Prefix.NoSuchMember"));
        Assert.True(Resolves("LogitRank.Sequences.Prefix.Append"));
        Assert.True(Resolves("Prefix.Append"));
        Assert.True(Resolves("LogitRank.Learning"));
        Assert.False(Resolves("LogitRank.NoSuchNamespace"));
        Assert.True(IsTestReference("PipelineTests.Bad_arguments_are_typed_errors"));
        Assert.False(IsCodeReference("ℓ̂(y_{1:t})"));
        Assert.False(IsCodeReference("LogitRank.Verified.sln"));
    }

    [Fact]
    public void The_checker_resolves_names_outside_the_core_by_reflection_and_rejects_made_up_ones()
    {
        // A short form whose type is declared nowhere in the repository used to pass unchecked; now it must be a type
        // of a referenced assembly with that member.
        Assert.False(Resolves("NoSuchTypeAnywhere.Member"));
        Assert.False(Resolves("Paralel.For"));
        Assert.False(Resolves("Parallel.Forr"));
        Assert.True(Resolves("Parallel.For"));
        Assert.True(Resolves("Math.Abs(_sum) < Math.Abs(value)"));
        Assert.True(Resolves("SpecialFunctions.Expm1")); // MathNet
        Assert.False(Resolves("SpecialFunctions.Expm2"));
        Assert.True(Resolves("Assert.Same")); // xunit, referenced by this assembly

        // Adapters and the CLI, read from their built assemblies: members are checked, not just mentioned somewhere.
        Assert.True(Resolves("OnnxLogitOracle.IsFullVocabulary"));
        Assert.False(Resolves("OnnxLogitOracle.IsFullVocabularyy"));
        Assert.True(Resolves("SqliteQueryCacheOptions.BusyTimeout"));
        Assert.False(Resolves("SqliteQueryCacheOptions.Query")); // a member of another type of the same package
        Assert.True(Resolves("LogitRank.Cli.Cli.Run(string[] args, TextWriter stdout, TextWriter stderr)"));
        Assert.False(Resolves("LogitRank.Cli.Cli.Runn"));
        Assert.True(Resolves("LogitRank.Http.MissingTokenPolicy.FloorAtMinimum"));
        Assert.False(Resolves("LogitRank.Http.NoSuchType"));

        // The FsCheck generators (F# modules are static classes) and this test assembly.
        Assert.True(Resolves("LogitRank.FsCheck.Generators.isanSpecWith"));
        Assert.False(Resolves("LogitRank.FsCheck.Generators.isanSpecWithout"));
        Assert.True(Resolves($"{typeof(ModelGen).FullName}.{nameof(ModelGen.SampleModels)}"));
        Assert.True(Resolves("ModelTestSupport.NumericalRank"));
        Assert.False(Resolves("ModelTestSupport.NumericalRanks"));

        // A short name of one of our types is resolved among our types only: a BCL type of the same name cannot rescue
        // a misspelt member (System.Range has no Select; NumericalRank does).
        Assert.True(Resolves("NumericalRank.Select"));
        Assert.False(Resolves("Range.Select"));
    }

    private static bool Resolves(string token)
    {
        var symbols = Symbols.Value;
        var parts = token.Split('(')[0].Split('.');
        if (parts[0] == "LogitRank")
        {
            if (symbols.Namespaces.Contains(token))
            {
                return true; // a namespace of ours, e.g. LogitRank.Learning
            }

            // Fully qualified: the longest prefix that is a type of one of our assemblies, then members (nested types
            // included).
            for (var i = parts.Length; i >= 1; i--)
            {
                var name = string.Join('.', parts[..i]);
                var types = symbols.Repository.Select(a => a.GetType(name)).OfType<Type>().ToList();
                if (types.Count > 0)
                {
                    return types.Any(t => MembersResolve(t, parts[i..]));
                }
            }

            return false;
        }

        // Short form Type.Member: among our types if one has that name, else among the referenced assemblies' types.
        var candidates = symbols.RepositoryTypes.TryGetValue(parts[0], out var ours) ? ours
            : symbols.ReferencedTypes.TryGetValue(parts[0], out var theirs) ? theirs
            : [];
        return candidates.Any(t => MembersResolve(t, parts[1..]));
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

    /// <summary>Every type a note may name: ours (loaded or read from metadata) and those of the assemblies we reference.</summary>
    private sealed class SymbolSpace
    {
        public required IReadOnlyList<Assembly> Repository { get; init; }

        public required HashSet<string> Namespaces { get; init; }

        public required Dictionary<string, List<Type>> RepositoryTypes { get; init; }

        public required Dictionary<string, List<Type>> ReferencedTypes { get; init; }

        public static SymbolSpace Build()
        {
            var loaded = new[] { Core, typeof(ModelGen).Assembly, typeof(ProofNotesTraceabilityTests).Assembly };

            // The adapters and the CLI: built before this project (ProjectReference without ReferenceOutputAssembly), their
            // paths embedded by LogitRank.Tests.csproj. Read as metadata: their native dependencies are not loaded.
            var paths = typeof(ProofNotesTraceabilityTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
                .Where(a => a.Key == "TraceabilityAssembly")
                .Select(a => a.Value ?? "")
                .ToList();
            Assert.True(paths.Count == 4 && paths.All(File.Exists), "The adapter and CLI assemblies are not built where LogitRank.Tests.csproj says: " + string.Join(", ", paths));
            var resolverPaths = Directory.GetFiles(RuntimeEnvironment.GetRuntimeDirectory(), "*.dll")
                .Concat(Directory.GetFiles(AppContext.BaseDirectory, "*.dll"))
                .Concat(paths);
            var context = new MetadataLoadContext(new PathAssemblyResolver(resolverPaths));
            var read = paths.Select(context.LoadFromAssemblyPath).ToList();
            var repository = loaded.Concat(read).ToList();

            var referenced = new Dictionary<string, Assembly>(StringComparer.Ordinal);
            var pending = new Queue<Assembly>(loaded);
            while (pending.Count > 0)
            {
                foreach (var name in pending.Dequeue().GetReferencedAssemblies())
                {
                    if (referenced.ContainsKey(name.Name!) || repository.Any(a => a.GetName().Name == name.Name))
                    {
                        continue;
                    }

                    var assembly = Assembly.Load(name);
                    referenced[name.Name!] = assembly;
                    pending.Enqueue(assembly);
                }
            }

            return new SymbolSpace
            {
                Repository = repository,
                Namespaces = repository.SelectMany(AllTypes).Select(t => t.Namespace).OfType<string>().ToHashSet(StringComparer.Ordinal),
                RepositoryTypes = BySimpleName(repository.SelectMany(AllTypes)),
                ReferencedTypes = BySimpleName(referenced.Values.SelectMany(PublicTypes)),
            };
        }

        private static Dictionary<string, List<Type>> BySimpleName(IEnumerable<Type> types) =>
            types.GroupBy(t => t.Name.Split('`')[0], StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Distinct().ToList(), StringComparer.Ordinal);

        private static Type[] AllTypes(Assembly assembly) => assembly.GetTypes();

        /// <summary>Public types, including those a facade (System.Runtime) forwards to their implementation.</summary>
        private static IEnumerable<Type> PublicTypes(Assembly assembly) =>
            assembly.GetExportedTypes().Concat(assembly.GetForwardedTypes().Where(t => t.IsPublic || t.IsNestedPublic));
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
