using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json;
using LogitRank.Numerics;
using LogitRank.Sequences;

namespace LogitRank.Models;

/// <summary>
/// The <c>logitrank-target/1</c> table format of an exact target: a distribution over <c>Σ^T</c>, <c>Σ = {0..k-1}</c>,
/// given by its next-token log-probabilities at every prefix of length <c>0..T-1</c>
/// (<c>P(y_1..y_T) = Π_t P(y_{t+1} | y_{1:t})</c>).
/// </summary>
/// <remarks>
/// <para>A JSON object <c>{ "format": "logitrank-target/1", "kind": "table", "k": k, "T": T, "logprobs": { prefix: [k numbers], ... } }</c>.
/// A prefix <c>y_{1:t}</c> is written as its decimal tokens joined by <c>,</c> with no spaces (<c>(0, 1, 2)</c> →
/// <c>"0,1,2"</c>); the empty prefix is <c>""</c>. <c>logprobs</c> maps <b>every</b> prefix of length <c>0..T-1</c>
/// (<c>Σ_{t&lt;T} k^t</c> keys, no others) to <c>k</c> natural-log probabilities whose log-sum-exp is 0 within
/// <see cref="RowTolerance"/>; the loader renormalises each row exactly (by centering). Other fields
/// (<c>name</c>, <c>provenance</c>, <c>meta</c>) are free information and ignored when loading.</para>
/// <para>This is the format of the regression targets of the shared data (<c>regressions/README.md</c>), so a user can
/// bring an exact target of their own; <see cref="Save(ISequenceModel, Stream, string?, long)"/> writes any model in it.</para>
/// </remarks>
public static class TargetTable
{
    /// <summary>The <c>format</c> field.</summary>
    public const string FormatName = "logitrank-target/1";

    /// <summary>The <c>kind</c> field.</summary>
    public const string TableKind = "table";

    /// <summary>How far from 0 a row's log-sum-exp may be before the row is rejected (it is renormalised otherwise).</summary>
    public const double RowTolerance = Tolerances.TableRowLogSumExp;

    /// <summary>Reads a table (see the remarks of <see cref="TargetTable"/>).</summary>
    /// <param name="stream">UTF-8 JSON.</param>
    /// <param name="maxPrefixes">The largest number of rows <c>Σ_{t&lt;T} k^t</c> accepted (default <see cref="TabularModel.DefaultMaxPrefixes"/>).</param>
    /// <returns>The tabular model whose next-token distributions are the rows.</returns>
    /// <exception cref="TargetTableFormatException">The JSON is malformed, of another format or kind, a row or key is missing, extra, repeated, malformed or off normalisation; <see cref="TargetTableFormatException.Field"/> names it.</exception>
    /// <exception cref="TableTooLargeException">The declared <c>k</c> and <c>T</c> need more than <paramref name="maxPrefixes"/> rows.</exception>
    public static TabularModel Load(Stream stream, long maxPrefixes = TabularModel.DefaultMaxPrefixes)
    {
        ArgumentNullException.ThrowIfNull(stream);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(stream);
        }
        catch (JsonException e)
        {
            throw new TargetTableFormatException("$", "not valid JSON: " + e.Message, e);
        }

        using (document)
        {
            return FromDocument(document.RootElement, maxPrefixes);
        }
    }

    /// <summary>Reads a table file (see <see cref="Load(Stream, long)"/>); errors name the file.</summary>
    /// <param name="path">The file.</param>
    /// <param name="maxPrefixes">The largest number of rows accepted.</param>
    /// <returns>The tabular model.</returns>
    /// <exception cref="TargetTableFormatException">As for <see cref="Load(Stream, long)"/>, with <see cref="TargetTableFormatException.FilePath"/> set.</exception>
    /// <exception cref="TableTooLargeException">The table needs more than <paramref name="maxPrefixes"/> rows.</exception>
    public static TabularModel LoadFile(string path, long maxPrefixes = TabularModel.DefaultMaxPrefixes)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        using var stream = File.OpenRead(path);
        try
        {
            return Load(stream, maxPrefixes);
        }
        catch (TargetTableFormatException e)
        {
            throw new TargetTableFormatException(path, e.Field, e.Detail, e);
        }
    }

    /// <summary>
    /// Writes <paramref name="model"/> as a table: <c>format</c>, <c>kind</c>, <c>k</c>, <c>T</c>, <c>name</c> (when given) and
    /// <c>logprobs</c>, the log-softmax of the model's logits at every prefix, in length-then-lexicographic order, doubles
    /// in shortest round-trip form. <see cref="Load(Stream, long)"/> reads it back to the same distributions (up to the
    /// rounding of one log-softmax and one centering, a few ulps).
    /// </summary>
    /// <param name="model">The model (queried at every prefix).</param>
    /// <param name="stream">The destination.</param>
    /// <param name="name">An optional <c>name</c> field.</param>
    /// <param name="maxPrefixes">The largest number of rows written (default <see cref="TabularModel.DefaultMaxPrefixes"/>).</param>
    /// <exception cref="TableTooLargeException">The model needs more than <paramref name="maxPrefixes"/> rows.</exception>
    public static void Save(ISequenceModel model, Stream stream, string? name = null, long maxPrefixes = TabularModel.DefaultMaxPrefixes)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(stream);
        TabularModel.CheckSize(model.AlphabetSize, model.Horizon, maxPrefixes);
        using var writer = new Utf8JsonWriter(stream);
        writer.WriteStartObject();
        writer.WriteString("format", FormatName);
        writer.WriteString("kind", TableKind);
        writer.WriteNumber("k", model.AlphabetSize);
        writer.WriteNumber("T", model.Horizon);
        if (name is not null)
        {
            writer.WriteString("name", name);
        }

        writer.WriteStartObject("logprobs");
        foreach (var prefix in SequenceSpace.AllUpTo(model.AlphabetSize, model.Horizon - 1))
        {
            writer.WriteStartArray(Key(prefix));
            foreach (var v in model.NextTokenLogits(prefix).LogProbabilities())
            {
                writer.WriteNumberValue(v);
            }

            writer.WriteEndArray();
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    /// <summary>Writes <paramref name="model"/> to a table file (see <see cref="Save(ISequenceModel, Stream, string?, long)"/>).</summary>
    /// <param name="model">The model.</param>
    /// <param name="path">The file (created or replaced).</param>
    /// <param name="name">An optional <c>name</c> field.</param>
    /// <param name="maxPrefixes">The largest number of rows written.</param>
    public static void SaveFile(ISequenceModel model, string path, string? name = null, long maxPrefixes = TabularModel.DefaultMaxPrefixes)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        TabularModel.CheckSize(model.AlphabetSize, model.Horizon, maxPrefixes);
        using var stream = File.Create(path);
        Save(model, stream, name, maxPrefixes);
    }

    /// <summary>The key of a prefix: its decimal tokens joined by <c>,</c> (no spaces); <c>""</c> for the empty prefix.</summary>
    /// <param name="prefix">The prefix.</param>
    /// <returns>The key, e.g. <c>"0,1,2"</c>.</returns>
    public static string Key(Prefix prefix)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        var builder = new StringBuilder();
        for (var i = 0; i < prefix.Length; i++)
        {
            if (i > 0)
            {
                builder.Append(',');
            }

            builder.Append(prefix[i].ToString(CultureInfo.InvariantCulture));
        }

        return builder.ToString();
    }

    private static TabularModel FromDocument(JsonElement root, long maxPrefixes)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new TargetTableFormatException("$", $"expected a JSON object; got {root.ValueKind}.");
        }

        var format = Property(root, "format", JsonValueKind.String).GetString();
        if (format != FormatName)
        {
            throw new TargetTableFormatException("format", $"'{format}'; expected '{FormatName}'.");
        }

        var kind = Property(root, "kind", JsonValueKind.String).GetString();
        if (kind != TableKind)
        {
            throw new TargetTableFormatException("kind", $"'{kind}'; this loader reads kind '{TableKind}'.");
        }

        var k = Int(Property(root, "k", JsonValueKind.Number), "k", 2);
        var horizon = Int(Property(root, "T", JsonValueKind.Number), "T", 1);
        var rows = TabularModel.CheckSize(k, horizon, maxPrefixes);
        var logprobs = Property(root, "logprobs", JsonValueKind.Object);
        var table = new Dictionary<Prefix, LogitVector>((int)rows);
        foreach (var entry in logprobs.EnumerateObject())
        {
            var field = $"logprobs[\"{entry.Name}\"]";
            var prefix = ParseKey(entry.Name, k, horizon, field);
            if (table.ContainsKey(prefix))
            {
                throw new TargetTableFormatException(field, "the key appears twice; each prefix has one row.");
            }

            if (entry.Value.ValueKind != JsonValueKind.Array || entry.Value.GetArrayLength() != k)
            {
                throw new TargetTableFormatException(field, $"expected an array of k = {k} numbers; got {(entry.Value.ValueKind == JsonValueKind.Array ? $"{entry.Value.GetArrayLength()} entries" : entry.Value.ValueKind.ToString())}.");
            }

            var row = new double[k];
            var i = 0;
            foreach (var value in entry.Value.EnumerateArray())
            {
                if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out row[i]) || !double.IsFinite(row[i]))
                {
                    throw new TargetTableFormatException($"{field}[{i}]", $"expected a finite number (a log-probability); got {value.GetRawText()}.");
                }

                i++;
            }

            var lse = LogSpace.LogSumExp(row);
            if (!(Math.Abs(lse) <= RowTolerance))
            {
                throw new TargetTableFormatException(field, string.Create(CultureInfo.InvariantCulture, $"the row's log-sum-exp is {lse:R}; the probabilities of a row sum to 1, so it must be 0 within {RowTolerance:R}."));
            }

            table[prefix] = LogitVector.FromLogits(row);
        }

        if (table.Count != rows)
        {
            var missing = SequenceSpace.AllUpTo(k, horizon - 1).First(p => !table.ContainsKey(p));
            throw new TargetTableFormatException("logprobs", $"{rows - table.Count} of the {rows} prefixes of length 0..{horizon - 1} have no row, the first being \"{Key(missing)}\"; a table lists every prefix.");
        }

        return new TabularModel(k, horizon, table);
    }

    private static Prefix ParseKey(string key, int k, int horizon, string field)
    {
        if (key.Length == 0)
        {
            return Prefix.Empty;
        }

        var parts = key.Split(',');
        if (parts.Length > horizon - 1)
        {
            throw new TargetTableFormatException(field, $"a prefix of length {parts.Length}; the rows are for prefixes of length 0..T-1 = 0..{horizon - 1}.");
        }

        var tokens = new int[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            // Canonical decimal only: digits, no sign, no leading zero, no spaces.
            var part = parts[i];
            var canonical = part.Length > 0 && part.All(char.IsAsciiDigit) && (part.Length == 1 || part[0] != '0');
            if (!canonical || !int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out tokens[i]) || tokens[i] >= k)
            {
                throw new TargetTableFormatException(field, $"token {i} is '{part}'; a key is decimal tokens in 0..{k - 1} joined by ',' with no spaces (e.g. \"0,1,2\").");
            }
        }

        return Prefix.Of(tokens);
    }

    private static JsonElement Property(JsonElement element, string name, JsonValueKind kind)
    {
        if (!element.TryGetProperty(name, out var value))
        {
            throw new TargetTableFormatException(name, "missing.");
        }

        return value.ValueKind == kind ? value : throw new TargetTableFormatException(name, $"expected a JSON {kind}; got {value.ValueKind}.");
    }

    private static int Int(JsonElement element, string field, int min) =>
        element.TryGetInt32(out var v) && v >= min ? v : throw new TargetTableFormatException(field, $"{element.GetRawText()}; expected an integer >= {min}.");
}

/// <summary>A <c>logitrank-target/1</c> table could not be read; <see cref="Field"/> names the JSON field (e.g. <c>logprobs["0,1"]</c>).</summary>
public sealed class TargetTableFormatException : FormatException
{
    /// <summary>Creates the exception.</summary>
    public TargetTableFormatException()
        : this("$", "The target table is invalid.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The message.</param>
    public TargetTableFormatException(string message)
        : this("$", message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public TargetTableFormatException(string message, Exception innerException)
        : this("$", message, innerException)
    {
    }

    /// <summary>Creates the exception naming the field.</summary>
    /// <param name="field">The JSON field, e.g. <c>logprobs["0,1"]</c>.</param>
    /// <param name="message">What is wrong and what was expected.</param>
    /// <param name="innerException">The cause, if any.</param>
    public TargetTableFormatException(string field, string message, Exception? innerException)
        : base($"Invalid target table field '{field}': {message}", innerException)
    {
        Field = field;
        Detail = message;
    }

    /// <summary>Creates the exception naming the file and the field.</summary>
    /// <param name="filePath">The file.</param>
    /// <param name="field">The JSON field.</param>
    /// <param name="message">What is wrong and what was expected.</param>
    /// <param name="innerException">The cause, if any.</param>
    public TargetTableFormatException(string filePath, string field, string message, Exception? innerException)
        : base($"Invalid target table file '{filePath}', field '{field}': {message}", innerException)
    {
        FilePath = filePath;
        Field = field;
        Detail = message;
    }

    internal TargetTableFormatException(string field, string message)
        : this(field, message, null)
    {
    }

    /// <summary>The JSON field at fault (<c>$</c> for the whole document).</summary>
    public string Field { get; }

    /// <summary>The file, when read with <see cref="TargetTable.LoadFile"/>.</summary>
    public string? FilePath { get; }

    /// <summary>What is wrong, without the prefix naming the file and field.</summary>
    internal string Detail { get; }
}

/// <summary>A table of next-token logits (tabulation, or a <c>logitrank-target/1</c> file) would need more rows than its limit.</summary>
public sealed class TableTooLargeException : InvalidOperationException
{
    /// <summary>Creates the exception for <c>k</c>, <c>T</c> and the limit; the message names the row count and the limit.</summary>
    /// <param name="alphabetSize">The alphabet size <c>k</c>.</param>
    /// <param name="horizon">The horizon <c>T</c>.</param>
    /// <param name="limit">The largest number of rows allowed.</param>
    public TableTooLargeException(int alphabetSize, int horizon, long limit)
        : base(string.Create(CultureInfo.InvariantCulture, $"A table over k = {alphabetSize}, T = {horizon} has Σ_{{t<T}} k^t = {Rows(alphabetSize, horizon)} rows (one per prefix of length 0..T-1), more than the limit {limit}; lower k or T, or raise the limit (maxPrefixes / TabulationOptions.MaxPrefixes) if the memory is there."))
    {
        AlphabetSize = alphabetSize;
        Horizon = horizon;
        Prefixes = Rows(alphabetSize, horizon);
        Limit = limit;
    }

    /// <summary>Creates the exception.</summary>
    public TableTooLargeException()
        : this("The table is too large.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The message.</param>
    public TableTooLargeException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public TableTooLargeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The alphabet size <c>k</c>.</summary>
    public int AlphabetSize { get; }

    /// <summary>The horizon <c>T</c>.</summary>
    public int Horizon { get; }

    /// <summary>The number of rows <c>Σ_{t&lt;T} k^t</c> the table needs (exact).</summary>
    public BigInteger Prefixes { get; }

    /// <summary>The largest number of rows allowed.</summary>
    public long Limit { get; }

    internal static BigInteger Rows(int alphabetSize, int horizon)
    {
        var total = BigInteger.Zero;
        var power = BigInteger.One;
        for (var t = 0; t < horizon; t++)
        {
            total += power;
            power *= alphabetSize;
        }

        return total;
    }
}
