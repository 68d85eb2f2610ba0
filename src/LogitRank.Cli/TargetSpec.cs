using System.Globalization;
using LogitRank.Models;

namespace LogitRank.Cli;

/// <summary>
/// A target spec string names one of the built-in model families and its parameters, <c>family:key=value,...</c>:
/// <list type="bullet">
/// <item><c>isan:k=4,T=12,d=4,seed=1[,scale=1]</c> — <see cref="TimeVaryingIsan.Random"/>(k, T, d, seed, scale).</item>
/// <item><c>parity:n=20,noise=0.1[,seed=1]</c> — <see cref="NoisyParity.Random"/>(n, noise, seed) (k = 2, T = n + 1).</item>
/// <item><c>hmm:k=3,T=8,states=4,seed=1[,concentration=1,smoothing=0.001]</c> — <see cref="HiddenMarkovModel.Random"/>.</item>
/// <item><c>perturbed:k=3,T=8,d=3,eps=0.05,seed=1[,scale=1]</c> — <see cref="PerturbedModel.RandomIsan"/>.</item>
/// <item><c>tabular:k=2,T=6,seed=1[,scale=2]</c> — <see cref="TabularModel.Random"/>.</item>
/// <item><c>table:path=target.json</c> — an exact target in the <c>logitrank-target/1</c> table format (<see cref="TargetTable.LoadFile"/>); the path may not contain a comma.</item>
/// <item><c>onnx:path=model.onnx,T=8[,spec=model.json,batch=32]</c> — an oracle over an ONNX causal LM (no model: <see cref="Build"/> refuses it).</item>
/// <item><c>http:url=URL,T=8,bos=ID,tokens=IDS|vocab=FILE[,...]</c> — an oracle over a completions server (no model; keys in <c>HttpTarget</c>).</item>
/// </list>
/// Keys are matched case-insensitively; <c>seed</c> defaults to 1 everywhere.
/// </summary>
/// <param name="Family">The family name (lower case).</param>
/// <param name="Parameters">The given parameters, by canonical key.</param>
public sealed record TargetSpec(string Family, IReadOnlyDictionary<string, string> Parameters)
{
    /// <summary>The largest number of table entries <c>Σ_{t&lt;T} k^t</c> a <c>tabular</c> target may have.</summary>
    public const long MaxTabularPrefixes = TabularModel.MaxRandomPrefixes;

    private static readonly Dictionary<string, FamilyInfo> Families = new Dictionary<string, FamilyInfo>(StringComparer.Ordinal)
    {
        ["isan"] = new(["k", "T", "d"], ["seed", "scale"]),
        ["parity"] = new(["n", "noise"], ["seed"]),
        ["hmm"] = new(["k", "T", "states"], ["seed", "concentration", "smoothing"]),
        ["perturbed"] = new(["k", "T", "d", "eps"], ["seed", "scale"]),
        ["tabular"] = new(["k", "T"], ["seed", "scale"]),
        ["table"] = new(["path"], []),
        ["onnx"] = new(["path", "T"], ["spec", "batch"]),
        ["http"] = new(["url", "T", "bos"], ["tokens", "vocab", "dialect", "endpoint", "model", "topn", "missing", "concurrency", "timeout", "retries", "backoff"]),
    };

    /// <summary>The family names, in documentation order.</summary>
    public static IReadOnlyList<string> FamilyNames { get; } = ["isan", "parity", "hmm", "perturbed", "tabular", "table", "onnx", "http"];

    /// <summary>
    /// Whether <paramref name="text"/> is written as a spec (<c>family:...</c> with a family name of two or more ASCII
    /// letters, so a Windows drive letter <c>C:</c> is a path) rather than a file path.
    /// </summary>
    /// <param name="text">The command-line argument.</param>
    public static bool LooksLikeSpec(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        return colon >= 2 && text[..colon].All(char.IsAsciiLetter);
    }

    /// <summary>Parses <c>family:key=value,key=value,...</c>.</summary>
    /// <param name="text">The spec.</param>
    /// <exception cref="TargetSpecException">Unknown family, unknown, repeated or missing key, or a malformed pair; the message names it and lists the valid ones.</exception>
    public static TargetSpec Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        var family = (colon < 0 ? text : text[..colon]).Trim().ToLowerInvariant();
        if (!Families.TryGetValue(family, out var info))
        {
            throw new TargetSpecException(family, null, null, $"Unknown target family '{family}' in '{text}'; expected one of {string.Join(", ", FamilyNames)} (e.g. isan:k=4,T=12,d=4,seed=1).");
        }

        var valid = info.Required.Concat(info.Optional).ToArray();
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        var body = colon < 0 ? string.Empty : text[(colon + 1)..];
        foreach (var raw in body.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = raw.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                throw new TargetSpecException(family, raw, null, $"Malformed parameter '{raw}' in target spec '{text}': expected key=value with a key among {string.Join(", ", valid)}.");
            }

            var key = raw[..eq].Trim();
            var value = raw[(eq + 1)..].Trim();
            var canonical = valid.FirstOrDefault(v => string.Equals(v, key, StringComparison.OrdinalIgnoreCase))
                ?? throw new TargetSpecException(family, key, value, $"Unknown key '{key}' for target family '{family}'; valid keys: {string.Join(", ", valid)}.");
            if (!parameters.TryAdd(canonical, value))
            {
                throw new TargetSpecException(family, canonical, value, $"Key '{canonical}' is given twice in target spec '{text}'.");
            }
        }

        var missing = info.Required.Where(r => !parameters.ContainsKey(r)).ToArray();
        if (missing.Length > 0)
        {
            throw new TargetSpecException(family, missing[0], null, $"Missing key '{missing[0]}' for target family '{family}'; required: {string.Join(", ", info.Required)}; optional: {string.Join(", ", info.Optional)}.");
        }

        return new TargetSpec(family, parameters);
    }

    /// <summary>Builds the model with the family's constructor or generator.</summary>
    /// <exception cref="TargetSpecException">A value is malformed or out of range; the message names the key, the value and the expected range.</exception>
    /// <exception cref="CliException">A <c>table</c> file is missing, unreadable or not a valid table (exit code 3, naming the file and field).</exception>
    public ISequenceModel Build()
    {
        if (Family == "table")
        {
            return LoadTable(Parameters["path"]);
        }

        var seed = Integer("seed", 1, int.MinValue, int.MaxValue);
        try
        {
            switch (Family)
            {
                case "isan":
                    return TimeVaryingIsan.Random(Integer("k", 0, 2), Integer("T", 0, 1), Integer("d", 0, 1), seed, Real("scale", 1.0, 0, exclusiveMin: true));
                case "parity":
                    return NoisyParity.Random(Integer("n", 0, 1), Real("noise", 0, 0, exclusiveMin: true, max: 0.5, exclusiveMax: true), seed);
                case "hmm":
                    return HiddenMarkovModel.Random(
                        Integer("states", 0, 1),
                        Integer("k", 0, 2),
                        Integer("T", 0, 1),
                        seed,
                        Real("concentration", 1.0, 0, exclusiveMin: true),
                        Real("smoothing", 1e-3, 0, exclusiveMin: true, max: 1));
                case "onnx" or "http":
                    throw new TargetSpecException(Family, null, null, $"Target '{this}' is an oracle, not a model with exact probabilities.");
                case "perturbed":
                    return PerturbedModel.RandomIsan(Integer("k", 0, 2), Integer("T", 0, 1), Integer("d", 0, 1), Real("eps", 0, 0), seed, Real("scale", 1.0, 0, exclusiveMin: true));
                default:
                    // The size limit is the library's (TabularModel.MaxRandomPrefixes), with the limit in its message.
                    return TabularModel.Random(Integer("k", 0, 2), Integer("T", 0, 1), seed, Real("scale", 2.0, 0, exclusiveMin: true));
            }
        }
        catch (ArgumentException e) when (e is not TargetSpecException)
        {
            // A constructor's own range check (e.g. the ISAN's d <= k^... constraints): keep its message, name the spec.
            var key = e.ParamName switch
            {
                "alphabetSize" => "k",
                "horizon" => "T",
                "stateDimension" => "d",
                "bits" => "n",
                "logitScale" => "scale",
                "epsilon" => "eps",
                var other => other,
            };
            throw new TargetSpecException(Family, key, key is null ? null : Parameters.GetValueOrDefault(key), $"Target spec '{this}' is invalid: {FirstLine(e.Message)}", e);
        }
    }

    /// <summary>The canonical spec string, <c>family:key=value,...</c> with the keys in documentation order.</summary>
    public override string ToString()
    {
        var info = Families[Family];
        var keys = info.Required.Concat(info.Optional).Where(Parameters.ContainsKey);
        return $"{Family}:{string.Join(",", keys.Select(k => $"{k}={Parameters[k]}"))}";
    }

    private static TabularModel LoadTable(string path)
    {
        if (!File.Exists(path))
        {
            throw CliException.BadFile($"Target table '{path}' (key 'path' of target family 'table') does not exist.");
        }

        try
        {
            return TargetTable.LoadFile(path, MaxTabularPrefixes);
        }
        catch (TargetTableFormatException e)
        {
            throw CliException.BadFile($"Target table '{path}' is not a valid {TargetTable.FormatName} table: field '{e.Field}': {FirstLine(e.Message)}", e);
        }
        catch (TableTooLargeException e)
        {
            throw CliException.BadFile($"Target table '{path}': {FirstLine(e.Message)}", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw CliException.BadFile($"Target table '{path}' could not be read: {FirstLine(e.Message)}", e);
        }
    }

    private static string FirstLine(string message)
    {
        var i = message.IndexOf('\n', StringComparison.Ordinal);
        return (i < 0 ? message : message[..i]).TrimEnd();
    }

    /// <summary>The integer value of <paramref name="key"/>, or <paramref name="defaultValue"/> when absent.</summary>
    /// <exception cref="TargetSpecException">The value is not an integer in <c>[min, max]</c>.</exception>
    internal int Integer(string key, int defaultValue, int min, int max = int.MaxValue)
    {
        if (!Parameters.TryGetValue(key, out var text))
        {
            return defaultValue;
        }

        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            var range = min == int.MinValue ? string.Empty : $" >= {min}";
            throw new TargetSpecException(Family, key, text, $"Bad value '{text}' for key '{key}' of target family '{Family}': expected an integer{range}.");
        }

        return value;
    }

    private double Real(string key, double defaultValue, double min, bool exclusiveMin = false, double max = double.PositiveInfinity, bool exclusiveMax = false)
    {
        if (!Parameters.TryGetValue(key, out var text))
        {
            return defaultValue;
        }

        var ok = double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value)
            && (exclusiveMin ? value > min : value >= min) && (exclusiveMax ? value < max : value <= max);
        if (!ok)
        {
            var inv = CultureInfo.InvariantCulture;
            var range = double.IsPositiveInfinity(max)
                ? string.Create(inv, $"{(exclusiveMin ? ">" : ">=")} {min}")
                : string.Create(inv, $"in {(exclusiveMin ? "(" : "[")}{min}, {max}{(exclusiveMax ? ")" : "]")}");
            throw new TargetSpecException(Family, key, text, $"Bad value '{text}' for key '{key}' of target family '{Family}': expected a finite number {range}.");
        }

        return value;
    }

    private sealed record FamilyInfo(string[] Required, string[] Optional);
}

/// <summary>A target spec that cannot be parsed or built; names the family, the key and the value at fault.</summary>
public sealed class TargetSpecException : ArgumentException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="family">The family name as given.</param>
    /// <param name="key">The key at fault, if any.</param>
    /// <param name="value">The value at fault, if any.</param>
    /// <param name="message">The one-line message.</param>
    /// <param name="innerException">The constructor's exception, if any.</param>
    public TargetSpecException(string family, string? key, string? value, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Family = family;
        Key = key;
        Value = value;
    }

    /// <summary>Creates the exception with no details.</summary>
    public TargetSpecException()
        : this(string.Empty, null, null, "Invalid target spec.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The message.</param>
    public TargetSpecException(string message)
        : this(string.Empty, null, null, message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public TargetSpecException(string message, Exception innerException)
        : this(string.Empty, null, null, message, innerException)
    {
    }

    /// <summary>The family name as given.</summary>
    public string Family { get; }

    /// <summary>The key at fault, or <see langword="null"/>.</summary>
    public string? Key { get; }

    /// <summary>The value at fault, or <see langword="null"/>.</summary>
    public string? Value { get; }
}
