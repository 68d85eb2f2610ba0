using System.Globalization;
using System.Text;
using System.Text.Json;

namespace LogitRank.Http;

/// <summary>Builds request bodies and reads next-token log-probabilities out of response bodies, per dialect.</summary>
internal static class CompletionsProtocol
{
    private const string TokenIdPrefix = "token_id:";

    public static string DefaultEndpoint(CompletionsDialect dialect) => dialect switch
    {
        CompletionsDialect.LlamaCpp => "completion",
        _ => "v1/completions",
    };

    /// <summary>The JSON body asking for one generated token and the top <paramref name="logprobs"/> log-probabilities after <paramref name="prompt"/>.</summary>
    public static string BuildRequest(CompletionsDialect dialect, string? model, IReadOnlyList<int> prompt, int logprobs)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            if (model is not null)
            {
                w.WriteString("model", model);
            }

            w.WriteStartArray("prompt");
            foreach (var id in prompt)
            {
                w.WriteNumberValue(id);
            }

            w.WriteEndArray();
            w.WriteNumber("temperature", 0);
            if (dialect == CompletionsDialect.LlamaCpp)
            {
                w.WriteNumber("n_predict", 1);
                w.WriteNumber("n_probs", logprobs);
                w.WriteBoolean("post_sampling_probs", false);
            }
            else
            {
                w.WriteNumber("max_tokens", 1);
                w.WriteNumber("logprobs", logprobs);
                w.WriteBoolean("echo", false);
                w.WriteBoolean("return_tokens_as_token_ids", true);
            }

            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>
    /// The returned (model id, log-probability, JSON path) entries of the first generated position, in the order the
    /// body lists them (repeats kept: the oracle checks them). Throws <see cref="FormatException"/> whose
    /// <c>Data["field"]</c> names the offending JSON path when the body is not of the dialect's shape or a
    /// log-probability is not a finite JSON number; the values themselves are checked by the oracle.
    /// </summary>
    public static IReadOnlyList<ReturnedEntry> ParseResponse(CompletionsDialect dialect, string body)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException e)
        {
            throw Malformed("$", $"the body is not valid JSON ({e.Message})", e);
        }

        using (document)
        {
            return dialect == CompletionsDialect.LlamaCpp ? ParseLlamaCpp(document.RootElement) : ParseOpenAi(document.RootElement);
        }
    }

    private static List<ReturnedEntry> ParseOpenAi(JsonElement root)
    {
        var choices = Property(root, "choices", "$", JsonValueKind.Array);
        if (choices.GetArrayLength() == 0)
        {
            throw Malformed("choices", "expected at least one choice");
        }

        var choice = Kind(choices[0], "choices[0]", JsonValueKind.Object);
        var logprobs = Property(choice, "logprobs", "choices[0]", JsonValueKind.Object);
        var top = Property(logprobs, "top_logprobs", "choices[0].logprobs", JsonValueKind.Array);
        if (top.GetArrayLength() == 0)
        {
            throw Malformed("choices[0].logprobs.top_logprobs", "expected one entry per generated token; got none");
        }

        const string field = "choices[0].logprobs.top_logprobs[0]";
        var first = Kind(top[0], field, JsonValueKind.Object);
        var entries = new List<ReturnedEntry>();
        foreach (var property in first.EnumerateObject())
        {
            var path = $"{field}[\"{property.Name}\"]";
            var id = ParseTokenKey(property.Name, path);
            entries.Add(new(id, LogProbability(property.Value, path), path));
        }

        return entries;
    }

    private static List<ReturnedEntry> ParseLlamaCpp(JsonElement root)
    {
        var probabilities = Property(root, "completion_probabilities", "$", JsonValueKind.Array);
        if (probabilities.GetArrayLength() == 0)
        {
            throw Malformed("completion_probabilities", "expected one entry per generated token; got none");
        }

        var first = Kind(probabilities[0], "completion_probabilities[0]", JsonValueKind.Object);
        var top = Property(first, "top_logprobs", "completion_probabilities[0]", JsonValueKind.Array);
        var entries = new List<ReturnedEntry>();
        var i = 0;
        foreach (var entry in top.EnumerateArray())
        {
            var path = $"completion_probabilities[0].top_logprobs[{i++}]";
            Kind(entry, path, JsonValueKind.Object);
            var idElement = Property(entry, "id", path, JsonValueKind.Number);
            if (!idElement.TryGetInt32(out var id) || id < 0)
            {
                throw Malformed(path + ".id", $"expected a non-negative integer token id; got {idElement.GetRawText()}");
            }

            entries.Add(new(id, LogProbability(Property(entry, "logprob", path, JsonValueKind.Number), path + ".logprob"), path + ".logprob"));
        }

        return entries;
    }

    private static int ParseTokenKey(string key, string path)
    {
        var digits = key.StartsWith(TokenIdPrefix, StringComparison.Ordinal) ? key[TokenIdPrefix.Length..] : key;
        if (int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            return id;
        }

        throw Malformed(path, $"the key '{key}' is not a token id (expected \"token_id:ID\"; the request sets return_tokens_as_token_ids, which the server must support)");
    }

    private static double LogProbability(JsonElement value, string path)
    {
        // Only the shape here: a finite JSON number. Whether the value is a possible log-probability (<= 0, a mass
        // <= 1 in total, repeats agreeing) is the oracle's answer check (proofs-notes/http-oracle.md).
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var logprob) || !double.IsFinite(logprob))
        {
            throw Malformed(path, $"expected a finite number (a log-probability); got {value.GetRawText()}");
        }

        return logprob;
    }

    private static JsonElement Property(JsonElement parent, string name, string parentPath, JsonValueKind kind)
    {
        var path = parentPath == "$" ? name : $"{parentPath}.{name}";
        if (parent.ValueKind != JsonValueKind.Object || !parent.TryGetProperty(name, out var value))
        {
            throw Malformed(path, "the field is missing");
        }

        return Kind(value, path, kind);
    }

    private static JsonElement Kind(JsonElement value, string path, JsonValueKind kind) =>
        value.ValueKind == kind ? value : throw Malformed(path, $"expected {kind}; got {value.ValueKind}");

    private static FormatException Malformed(string field, string detail, Exception? inner = null)
    {
        var e = new FormatException($"Field '{field}': {detail}.", inner);
        e.Data["field"] = field;
        return e;
    }
}

/// <summary>One (model id, log-probability) entry of a server's answer, with the JSON path it was read from.</summary>
/// <param name="Id">The model vocabulary id.</param>
/// <param name="LogProbability">The value as sent (not yet checked to be a log-probability).</param>
/// <param name="Field">The JSON path of the value, e.g. <c>choices[0].logprobs.top_logprobs[0]["token_id:5"]</c>.</param>
internal readonly record struct ReturnedEntry(int Id, double LogProbability, string Field);
