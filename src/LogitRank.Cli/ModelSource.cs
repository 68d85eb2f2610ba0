using System.Runtime.ExceptionServices;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using LogitRank.Models;
using LogitRank.Numerics;
using LogitRank.Oracles;
using LogitRank.Persistence;
using LogitRank.Sequences;
using Microsoft.Data.Sqlite;

namespace LogitRank.Cli;

/// <summary>
/// A model or target named on the command line: a target spec (a model, queried through a <see cref="ModelOracle"/>),
/// a saved learned model (JSON file), or an <c>onnx:</c> or <c>http:</c> target (an oracle only: no exact
/// probabilities). With <c>--cache FILE</c> its oracle answers through a <see cref="SqliteQueryCache"/>.
/// </summary>
internal sealed class ModelSource : IDisposable
{
    private readonly List<IDisposable> _owned = [];
    private SqliteQueryCache? _cache;

    public ModelSource(ISequenceModel? model, ILogitOracle oracle, string description, bool isFile, Alphabet? alphabet = null, IDisposable? owned = null)
    {
        Model = model;
        Oracle = oracle;
        Approximation = oracle as IApproximationReport;
        Description = description;
        IsFile = isFile;
        Alphabet = alphabet;
        if (owned is not null)
        {
            _owned.Add(owned);
        }
    }

    /// <summary>The model, or <see langword="null"/> for an oracle-only target (ONNX, HTTP).</summary>
    public ISequenceModel? Model { get; }

    /// <summary>The logit oracle of the target (over <see cref="Model"/> when there is one; behind the cache with <c>--cache</c>).</summary>
    public ILogitOracle Oracle { get; private set; }

    /// <summary>
    /// The target oracle's approximation report (an <c>http:</c> target with top-N answers), captured before any
    /// decorator such as <c>--cache</c> wraps the oracle, so that certificates still cover the approximation
    /// (proofs-notes/oracle-approximation.md); <see langword="null"/> for exact oracles.
    /// </summary>
    public IApproximationReport? Approximation { get; }

    public string Description { get; }

    public bool IsFile { get; }

    /// <summary>Display symbols, when the target has them (ONNX character models, an HTTP vocabulary file).</summary>
    public Alphabet? Alphabet { get; }

    public int AlphabetSize => Oracle.AlphabetSize;

    public int Horizon => Oracle.Horizon;

    /// <summary>Resolves <paramref name="text"/>: a spec when it reads <c>family:...</c>, else a saved model file.</summary>
    public static ModelSource Resolve(string text, string argumentName, CliEnvironment? environment = null)
    {
        if (TargetSpec.LooksLikeSpec(text))
        {
            var spec = TargetSpec.Parse(text);
            switch (spec.Family)
            {
                case "onnx":
                    return OnnxTarget.Open(spec);
                case "http":
                    return HttpTarget.Open(spec, environment ?? CliEnvironment.Default);
            }

            var model = spec.Build();
            return new ModelSource(model, new ModelOracle(model), spec.ToString(), isFile: false);
        }

        var loaded = ModelFiles.Load(text, argumentName);
        return new ModelSource(loaded, new ModelOracle(loaded), text, isFile: true);
    }

    /// <summary>
    /// Puts the persistent query cache <paramref name="path"/> in front of the oracle (created if missing; a file made
    /// for another target is refused). Its identity is the canonical target spec, with the SHA-256 of the model file
    /// for an <c>onnx:</c> target.
    /// </summary>
    public void UseCache(string path)
    {
        var identity = Description;
        if (TargetSpec.LooksLikeSpec(Description) && TargetSpec.Parse(Description) is { Family: "onnx" } onnx)
        {
            identity += ",sha256=" + Sha256(onnx.Parameters["path"]);
        }

        try
        {
            _cache = new SqliteQueryCache(path, new InnerOracle(Oracle), identity);
        }
        catch (Exception e) when (IsCacheFailure(e))
        {
            throw CliException.BadFile($"The --cache file '{path}' could not be opened: {Cli.OneLine(e.Message)}", e);
        }

        _owned.Add(_cache);
        Oracle = new CacheGuard(_cache, path);
    }

    /// <summary>
    /// Failures of the SQLite layer itself: a damaged file can surface as a raw <see cref="SqliteException"/>, a NULL
    /// or mistyped column (<see cref="InvalidOperationException"/>, <see cref="InvalidCastException"/>,
    /// <see cref="FormatException"/>) or an I/O error, none of which names the file.
    /// </summary>
    internal static bool IsCacheFailure(Exception e) =>
        e is SqliteException or IOException or UnauthorizedAccessException or InvalidOperationException or InvalidCastException or FormatException or IndexOutOfRangeException;

    /// <summary>Marks the target oracle's own failures, so that <see cref="CacheGuard"/> passes them on unchanged.</summary>
    internal sealed class InnerOracle(ILogitOracle inner) : ILogitOracle
    {
        public int AlphabetSize => inner.AlphabetSize;

        public int Horizon => inner.Horizon;

        public IReadOnlyList<LogitVector> Query(IReadOnlyList<Prefix> prefixes, QueryPhase phase = QueryPhase.Other, CancellationToken cancellationToken = default)
        {
            try
            {
                return inner.Query(prefixes, phase, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                throw new InnerFailure(e);
            }
        }
    }

    /// <summary>
    /// The cache as the commands see it: the target's failures come out as they were thrown; failures of the cache
    /// file itself (damage found mid-run) become a bad-input-file error naming the file.
    /// </summary>
    internal sealed class CacheGuard(ILogitOracle cache, string path) : ILogitOracle
    {
        public int AlphabetSize => cache.AlphabetSize;

        public int Horizon => cache.Horizon;

        public IReadOnlyList<LogitVector> Query(IReadOnlyList<Prefix> prefixes, QueryPhase phase = QueryPhase.Other, CancellationToken cancellationToken = default)
        {
            try
            {
                return cache.Query(prefixes, phase, cancellationToken);
            }
            catch (InnerFailure f)
            {
                ExceptionDispatchInfo.Throw(f.InnerException!);
                throw;
            }
            catch (Exception e) when (IsCacheFailure(e))
            {
                throw CliException.BadFile($"The --cache file '{path}' is damaged or unusable: {Cli.OneLine(e.Message)}", e);
            }
        }
    }

    /// <summary>A failure of the target oracle, carried through the cache (<see cref="InnerOracle"/>).</summary>
    private sealed class InnerFailure(Exception inner) : Exception(inner.Message, inner);

    /// <summary>A note on the cache (stored answers, answers read from the file, answers paid), or <see langword="null"/> without <c>--cache</c>.</summary>
    public string? CacheNote =>
        _cache is { } c ? $"Cache {c.FilePath}: {c.Count} answers stored; this run read {c.StoreHits} from the file and paid {c.Misses} new queries." : null;

    /// <summary>The cache statistics as JSON, or <see langword="null"/> without <c>--cache</c>.</summary>
    public JsonObject? CacheJson =>
        _cache is { } c ? new JsonObject { ["file"] = c.FilePath, ["entries"] = c.Count, ["readFromFile"] = c.StoreHits, ["paid"] = c.Misses } : null;

    /// <summary>The model; a usage error for an oracle-only target, saying what needs it.</summary>
    public ISequenceModel RequireModel(string what) =>
        Model ?? throw CliException.Usage($"{what} needs exact probabilities, which the oracle-only target {Description} does not have.");

    public void Dispose()
    {
        for (var i = _owned.Count - 1; i >= 0; i--)
        {
            _owned[i].Dispose();
        }

        _owned.Clear();
    }

    private static string Sha256(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            return Convert.ToHexStringLower(SHA256.HashData(stream));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw CliException.BadFile($"ONNX model '{path}' could not be read to key the --cache file: {Cli.OneLine(e.Message)}", e);
        }
    }
}
