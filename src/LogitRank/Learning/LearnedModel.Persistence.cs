using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using LogitRank.Numerics;
using LogitRank.Sequences;

namespace LogitRank.Learning;

/// <content>JSON persistence of a learned model (schema <c>LogitRank.LearnedModel</c>, version 2 with a SHA-256 checksum; version 1 read too).</content>
public sealed partial class LearnedModel
{
    /// <summary>The schema name written to the <c>format</c> field.</summary>
    public const string JsonFormatName = "LogitRank.LearnedModel";

    /// <summary>
    /// The schema version written to the <c>version</c> field: 2, which adds the <c>checksum</c> field. Version 1 files
    /// (written before checksums, by 0.1.0) are still read, without an integrity check (see <see cref="Load(Stream)"/>).
    /// </summary>
    public const int JsonFormatVersion = 2;

    /// <summary>The prefix of the <c>checksum</c> field's value, followed by 64 lower-case hex digits.</summary>
    public const string ChecksumPrefix = "sha256:";

    /// <summary>
    /// Writes the model as UTF-8 JSON: <c>{ format, version, alphabetSize, horizon, beta, lpTolerance, fallback, method?,
    /// ridge?: [numbers], logitClip?, solver?: { pivotTolerance, optimalityTolerance, maxIterations }, cuts: [ { cut, future: [[tokens]...], histories: [[tokens]...], rows: [[numbers]...] } ],
    /// checksum }</c>, where <c>method</c> (the name of a <see cref="ReconstructionMethod"/>) is written only when it is not
    /// <see cref="ReconstructionMethod.MinimaxLp"/> and <c>ridge</c> (one number per cut) only when
    /// <see cref="LearnedModelOptions.Ridge"/> is set, and <c>logitClip</c> only when <see cref="LearnedModelOptions.LogitClip"/> is; a file without them loads with the defaults. <c>future</c> is <c>F̂_s</c> in order and each row is stored on <c>F̃_s</c> (recomputed from the
    /// <c>F̂</c> sets on load). Doubles are written in shortest round-trip form, so <see cref="Load(Stream)"/> restores
    /// bit-identical numbers. <c>checksum</c> is <c>"sha256:"</c> and the lower-case hex SHA-256 of the <i>canonical
    /// payload</i>: the UTF-8 bytes of the same object without <c>checksum</c>, written compactly (no white space) with the
    /// fields in the order above.
    /// </summary>
    public void Save(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var payload = CanonicalPayload();
        var checksum = ChecksumPrefix + Convert.ToHexStringLower(SHA256.HashData(payload));

        // The payload is one JSON object; the checksum is its last field: payload without '}' + ,"checksum":"..."}.
        stream.Write(payload, 0, payload.Length - 1);
        stream.Write(Encoding.UTF8.GetBytes($",\"checksum\":\"{checksum}\"}}"));
    }

    /// <summary>The canonical payload: the compact JSON of the model without the <c>checksum</c> field (see <see cref="Save(Stream)"/>).</summary>
    internal byte[] CanonicalPayload()
    {
        using var buffer = new MemoryStream();
        WritePayload(buffer);
        return buffer.ToArray();
    }

    private void WritePayload(Stream stream)
    {
        using var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = false });
        writer.WriteStartObject();
        writer.WriteString("format", JsonFormatName);
        writer.WriteNumber("version", JsonFormatVersion);
        writer.WriteNumber("alphabetSize", AlphabetSize);
        writer.WriteNumber("horizon", Horizon);
        writer.WriteNumber("beta", Options.Beta);
        writer.WriteNumber("lpTolerance", Options.LpTolerance);
        writer.WriteString("fallback", Options.Fallback.ToString());

        // Written only when they differ from the defaults, so a model without them has the payload (and checksum) it had
        // before these fields existed, and files written before them load unchanged.
        if (Options.Method != ReconstructionMethod.MinimaxLp)
        {
            writer.WriteString("method", Options.Method.ToString());
        }

        if (Options.Ridge is { } ridge)
        {
            writer.WriteStartArray("ridge");
            foreach (var lambda in ridge)
            {
                writer.WriteNumberValue(lambda);
            }

            writer.WriteEndArray();
        }

        if (Options.LogitClip is { } clip)
        {
            writer.WriteNumber("logitClip", clip);
        }

        if (Options.Solver is { } solver)
        {
            writer.WriteStartObject("solver");
            writer.WriteNumber("pivotTolerance", solver.PivotTolerance);
            writer.WriteNumber("optimalityTolerance", solver.OptimalityTolerance);
            writer.WriteNumber("maxIterations", solver.MaxIterations);
            writer.WriteEndObject();
        }

        writer.WriteStartArray("cuts");
        for (var s = 0; s < Horizon; s++)
        {
            writer.WriteStartObject();
            writer.WriteNumber("cut", s);
            writer.WriteStartArray("future");
            foreach (var w in FutureSets.Future(s))
            {
                WriteTokens(writer, w);
            }

            writer.WriteEndArray();
            var basis = _bases[s];
            writer.WriteStartArray("histories");
            foreach (var h in basis.Histories)
            {
                WriteTokens(writer, h);
            }

            writer.WriteEndArray();
            writer.WriteStartArray("rows");
            for (var i = 0; i < basis.Size; i++)
            {
                writer.WriteStartArray();
                foreach (var v in basis.RowReference(i))
                {
                    writer.WriteNumberValue(v);
                }

                writer.WriteEndArray();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    /// <summary>The model as a JSON string (see <see cref="Save(Stream)"/>).</summary>
    public string ToJson()
    {
        using var stream = new MemoryStream();
        Save(stream);
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>Writes the model to a JSON file (see <see cref="Save(Stream)"/>).</summary>
    public void SaveFile(string path)
    {
        using var stream = File.Create(path);
        Save(stream);
    }

    /// <summary>Reads a model written by <see cref="Save(Stream)"/>.</summary>
    /// <remarks>
    /// Every field is checked first (so an edit that makes a field invalid is reported under that field); then, for a
    /// version 2 file, the <c>checksum</c>: the loaded model's canonical payload must hash to it, so an edited number or
    /// token that leaves the file well formed fails with field <c>checksum</c>. White space and number spellings that
    /// parse to the same doubles do not change the payload. A version 1 file (no checksum; written by 0.1.0) is loaded
    /// with the field checks only, and a version 2 file without a checksum is refused: the rule is in
    /// proofs-notes/persistence-checksums.md.
    /// </remarks>
    /// <exception cref="LearnedModelFormatException">The JSON is malformed, of another format or version, a field is
    /// missing or invalid, or the content does not match its checksum; <see cref="LearnedModelFormatException.Field"/> names it.</exception>
    public static LearnedModel Load(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(stream);
        }
        catch (JsonException e)
        {
            throw new LearnedModelFormatException("$", "not valid JSON: " + e.Message, e);
        }

        using (document)
        {
            return FromDocument(document.RootElement);
        }
    }

    /// <summary>Reads a model from a JSON string (see <see cref="Load(Stream)"/>).</summary>
    public static LearnedModel FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(json));
        return Load(stream);
    }

    /// <summary>Reads a model from a JSON file (see <see cref="Load(Stream)"/>).</summary>
    /// <exception cref="LearnedModelFormatException">As for <see cref="Load(Stream)"/>; the message and <see cref="LearnedModelFormatException.FilePath"/> name the file.</exception>
    public static LearnedModel LoadFile(string path)
    {
        using var stream = File.OpenRead(path);
        try
        {
            return Load(stream);
        }
        catch (LearnedModelFormatException e)
        {
            throw new LearnedModelFormatException(path, e.Field, e.Detail, e);
        }
    }

    private static void WriteTokens(Utf8JsonWriter writer, Prefix tokens)
    {
        writer.WriteStartArray();
        foreach (var token in tokens)
        {
            writer.WriteNumberValue(token);
        }

        writer.WriteEndArray();
    }

    private static LearnedModel FromDocument(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new LearnedModelFormatException("$", $"expected a JSON object; got {root.ValueKind}.");
        }

        var format = Property(root, "format", "format", JsonValueKind.String).GetString();
        if (format != JsonFormatName)
        {
            throw new LearnedModelFormatException("format", $"'{format}'; expected '{JsonFormatName}'.");
        }

        var version = Int(Property(root, "version", "version", JsonValueKind.Number), "version");
        if (version is not (1 or JsonFormatVersion))
        {
            throw new LearnedModelFormatException("version", $"{version}; this library reads versions 1 and {JsonFormatVersion}.");
        }

        var k = Int(Property(root, "alphabetSize", "alphabetSize", JsonValueKind.Number), "alphabetSize");
        if (k < 2)
        {
            throw new LearnedModelFormatException("alphabetSize", $"{k}; expected k >= 2.");
        }

        var horizon = Int(Property(root, "horizon", "horizon", JsonValueKind.Number), "horizon");
        if (horizon < 1)
        {
            throw new LearnedModelFormatException("horizon", $"{horizon}; expected T >= 1.");
        }

        var beta = Number(Property(root, "beta", "beta", JsonValueKind.Number), "beta");
        if (!(beta > 1))
        {
            throw new LearnedModelFormatException("beta", $"{beta.ToString("R", CultureInfo.InvariantCulture)}; expected β > 1.");
        }

        var tau = Number(Property(root, "lpTolerance", "lpTolerance", JsonValueKind.Number), "lpTolerance");
        if (!(tau >= 0))
        {
            throw new LearnedModelFormatException("lpTolerance", $"{tau.ToString("R", CultureInfo.InvariantCulture)}; expected τ_lp >= 0.");
        }

        var fallbackText = Property(root, "fallback", "fallback", JsonValueKind.String).GetString();
        if (!Enum.TryParse<FallbackPolicy>(fallbackText, ignoreCase: false, out var fallback) || !Enum.IsDefined(fallback) || int.TryParse(fallbackText, out _))
        {
            throw new LearnedModelFormatException("fallback", $"'{fallbackText}'; expected one of {string.Join(", ", Enum.GetNames<FallbackPolicy>())}.");
        }

        var method = ReconstructionMethod.MinimaxLp;
        if (root.TryGetProperty("method", out var methodElement))
        {
            var methodText = methodElement.ValueKind == JsonValueKind.String ? methodElement.GetString() : methodElement.GetRawText();
            if (methodElement.ValueKind != JsonValueKind.String || !Enum.TryParse(methodText, ignoreCase: false, out method) || !Enum.IsDefined(method) || int.TryParse(methodText, out _))
            {
                throw new LearnedModelFormatException("method", $"'{methodText}'; expected one of {string.Join(", ", Enum.GetNames<ReconstructionMethod>())}.");
            }

            if (method == ReconstructionMethod.LeastSquares && fallback == FallbackPolicy.Uniform)
            {
                throw new LearnedModelFormatException("method", $"'{methodText}' with fallback '{fallbackText}'; least-squares reconstruction requires fallback '{FallbackPolicy.MinimumResidual}'.");
            }
        }

        double[]? ridge = null;
        if (root.TryGetProperty("ridge", out var ridgeElement))
        {
            if (ridgeElement.ValueKind != JsonValueKind.Array)
            {
                throw new LearnedModelFormatException("ridge", $"expected an array of numbers; got {ridgeElement.ValueKind}.");
            }

            ridge = [.. ridgeElement.EnumerateArray().Select((v, j) => Number(v, $"ridge[{j}]"))];
            if (ridge.Length != horizon)
            {
                throw new LearnedModelFormatException("ridge", $"{ridge.Length} entries; expected one per cut, T = {horizon}.");
            }

            for (var j = 0; j < ridge.Length; j++)
            {
                if (!(ridge[j] >= 0))
                {
                    throw new LearnedModelFormatException($"ridge[{j}]", $"{ridge[j].ToString("R", CultureInfo.InvariantCulture)}; expected a ridge λ >= 0.");
                }
            }
        }

        double? logitClip = null;
        if (root.TryGetProperty("logitClip", out var clipElement))
        {
            var clip = Number(clipElement, "logitClip");
            if (!(clip > 0))
            {
                throw new LearnedModelFormatException("logitClip", $"{clip.ToString("R", CultureInfo.InvariantCulture)}; expected a clip C > 0.");
            }

            logitClip = clip;
        }

        LpOptions? solverOptions = null;
        if (root.TryGetProperty("solver", out var solver))
        {
            if (solver.ValueKind != JsonValueKind.Object)
            {
                throw new LearnedModelFormatException("solver", $"expected a JSON object; got {solver.ValueKind}.");
            }

            var pivot = Number(Property(solver, "pivotTolerance", "solver.pivotTolerance", JsonValueKind.Number), "solver.pivotTolerance");
            var optimality = Number(Property(solver, "optimalityTolerance", "solver.optimalityTolerance", JsonValueKind.Number), "solver.optimalityTolerance");
            var iterations = Int(Property(solver, "maxIterations", "solver.maxIterations", JsonValueKind.Number), "solver.maxIterations");
            // The solver's own checks (MinimaxLinearProgram), made here so that a bad file fails on loading, naming the field,
            // not at its first reconstruction with an ArgumentException from deep inside sampling or certification.
            if (!(pivot > 0) || !double.IsFinite(pivot))
            {
                throw new LearnedModelFormatException("solver.pivotTolerance", $"{pivot.ToString("R", CultureInfo.InvariantCulture)}; expected a finite positive number.");
            }

            if (!(optimality > 0) || !double.IsFinite(optimality))
            {
                throw new LearnedModelFormatException("solver.optimalityTolerance", $"{optimality.ToString("R", CultureInfo.InvariantCulture)}; expected a finite positive number.");
            }

            if (iterations < 0)
            {
                throw new LearnedModelFormatException("solver.maxIterations", $"{iterations}; expected a non-negative number.");
            }

            solverOptions = new LpOptions { PivotTolerance = pivot, OptimalityTolerance = optimality, MaxIterations = iterations };
        }

        var cuts = Property(root, "cuts", "cuts", JsonValueKind.Array);
        if (cuts.GetArrayLength() != horizon)
        {
            throw new LearnedModelFormatException("cuts", $"{cuts.GetArrayLength()} entries; expected T = {horizon} (cuts 0..{horizon - 1}).");
        }

        var futures = new List<IReadOnlyList<Prefix>>();
        var histories = new List<Prefix[]>();
        var rows = new List<double[][]>();
        var s = 0;
        foreach (var cut in cuts.EnumerateArray())
        {
            var path = $"cuts[{s}]";
            if (cut.ValueKind != JsonValueKind.Object)
            {
                throw new LearnedModelFormatException(path, $"expected an object; got {cut.ValueKind}.");
            }

            var index = Int(Property(cut, "cut", path + ".cut", JsonValueKind.Number), path + ".cut");
            if (index != s)
            {
                throw new LearnedModelFormatException(path + ".cut", $"{index}; expected {s}.");
            }

            futures.Add(TokenLists(Property(cut, "future", path + ".future", JsonValueKind.Array), path + ".future", k));
            histories.Add(TokenLists(Property(cut, "histories", path + ".histories", JsonValueKind.Array), path + ".histories", k));
            var rowArray = Property(cut, "rows", path + ".rows", JsonValueKind.Array);
            var cutRows = new double[rowArray.GetArrayLength()][];
            var i = 0;
            foreach (var row in rowArray.EnumerateArray())
            {
                var rowPath = $"{path}.rows[{i}]";
                if (row.ValueKind != JsonValueKind.Array)
                {
                    throw new LearnedModelFormatException(rowPath, $"expected an array of numbers; got {row.ValueKind}.");
                }

                cutRows[i] = [.. row.EnumerateArray().Select((v, j) => Number(v, $"{rowPath}[{j}]"))];
                i++;
            }

            rows.Add(cutRows);
            s++;
        }

        FutureSets futureSets;
        try
        {
            futureSets = FutureSets.FromFutureSets(k, horizon, futures);
        }
        catch (ArgumentException e)
        {
            throw new LearnedModelFormatException("cuts[].future", e.Message, e);
        }

        var bases = new CutBasis[horizon];
        for (s = 0; s < horizon; s++)
        {
            var width = futureSets.Extended(s).Count;
            if (histories[s].Length != rows[s].Length)
            {
                throw new LearnedModelFormatException($"cuts[{s}].rows", $"{rows[s].Length} rows for {histories[s].Length} histories; expected one row per history.");
            }

            for (var i = 0; i < rows[s].Length; i++)
            {
                if (rows[s][i].Length != width)
                {
                    throw new LearnedModelFormatException($"cuts[{s}].rows[{i}]", $"length {rows[s][i].Length}; expected |F̃_{s}| = {width}.");
                }
            }

            for (var i = 0; i < histories[s].Length; i++)
            {
                if (histories[s][i].Length != s)
                {
                    throw new LearnedModelFormatException($"cuts[{s}].histories[{i}]", $"length {histories[s][i].Length}; a history at cut {s} has length {s}.");
                }
            }

            bases[s] = new CutBasis(s, width, histories[s], rows[s]);
        }

        if (bases[0].Size != 1)
        {
            throw new LearnedModelFormatException("cuts[0].histories", $"{bases[0].Size} histories; cut 0 holds exactly the empty history.");
        }

        var model = new LearnedModel(futureSets, bases, new LearnedModelOptions(beta, tau, fallback) { Solver = solverOptions, Method = method, Ridge = ridge, LogitClip = logitClip });
        if (version >= 2)
        {
            VerifyChecksum(root, model);
        }

        return model;
    }

    private static void VerifyChecksum(JsonElement root, LearnedModel model)
    {
        if (!root.TryGetProperty("checksum", out var element))
        {
            throw new LearnedModelFormatException("checksum", $"missing; a version {JsonFormatVersion} file carries \"checksum\": \"{ChecksumPrefix}<SHA-256 of its content>\".");
        }

        var stated = element.ValueKind == JsonValueKind.String ? element.GetString() ?? string.Empty : element.GetRawText();
        if (element.ValueKind != JsonValueKind.String || !stated.StartsWith(ChecksumPrefix, StringComparison.Ordinal) || stated.Length != ChecksumPrefix.Length + 64
            || !stated[ChecksumPrefix.Length..].All(char.IsAsciiHexDigitLower))
        {
            throw new LearnedModelFormatException("checksum", $"'{stated}'; expected \"{ChecksumPrefix}\" and 64 lower-case hex digits.");
        }

        var actual = ChecksumPrefix + Convert.ToHexStringLower(SHA256.HashData(model.CanonicalPayload()));
        if (!string.Equals(stated, actual, StringComparison.Ordinal))
        {
            throw new LearnedModelFormatException("checksum", $"the file states {stated} but its content hashes to {actual}: the model was changed after it was saved (an edited number or token?). Re-learn or restore the file; a model is never loaded with content its checksum does not vouch for.");
        }
    }

    private static JsonElement Property(JsonElement element, string name, string path, JsonValueKind kind)
    {
        if (!element.TryGetProperty(name, out var value))
        {
            throw new LearnedModelFormatException(path, "missing.");
        }

        if (value.ValueKind != kind)
        {
            throw new LearnedModelFormatException(path, $"expected a JSON {kind}; got {value.ValueKind}.");
        }

        return value;
    }

    private static int Int(JsonElement element, string path) =>
        element.ValueKind == JsonValueKind.Number && element.TryGetInt32(out var v) ? v : throw new LearnedModelFormatException(path, $"expected a 32-bit integer; got {element.GetRawText()}.");

    private static double Number(JsonElement element, string path)
    {
        if (element.ValueKind != JsonValueKind.Number || !element.TryGetDouble(out var v) || !double.IsFinite(v))
        {
            throw new LearnedModelFormatException(path, $"expected a finite number; got {element.GetRawText()}.");
        }

        return v;
    }

    private static Prefix[] TokenLists(JsonElement array, string path, int alphabetSize)
    {
        var result = new Prefix[array.GetArrayLength()];
        var i = 0;
        foreach (var item in array.EnumerateArray())
        {
            var itemPath = $"{path}[{i}]";
            if (item.ValueKind != JsonValueKind.Array)
            {
                throw new LearnedModelFormatException(itemPath, $"expected an array of tokens; got {item.ValueKind}.");
            }

            var tokens = new List<int>();
            var j = 0;
            foreach (var token in item.EnumerateArray())
            {
                var value = Int(token, $"{itemPath}[{j}]");
                if (value < 0 || value >= alphabetSize)
                {
                    throw new LearnedModelFormatException($"{itemPath}[{j}]", $"token {value}; expected 0..{alphabetSize - 1}.");
                }

                tokens.Add(value);
                j++;
            }

            result[i++] = Prefix.From(tokens);
        }

        return result;
    }
}
