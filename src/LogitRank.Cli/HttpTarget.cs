using System.Globalization;
using LogitRank.Http;
using LogitRank.Sequences;

namespace LogitRank.Cli;

/// <summary>
/// <c>http:url=URL,T=8,bos=ID,tokens=IDS|vocab=FILE[,dialect=openai|llamacpp,endpoint=PATH,model=NAME,topn=N,missing=reject|floor,concurrency=8,timeout=30,retries=3,backoff=200]</c>:
/// an <see cref="OpenAiCompletionsOracle"/> over an OpenAI-compatible completions server (vLLM, llama.cpp server).
/// The alphabet is either <c>tokens</c>, model ids joined by <c>+</c> with <c>a-b</c> for a range (e.g.
/// <c>tokens=65-90+32</c>), or <c>vocab</c>, a file with one model id per line, optionally followed by whitespace and
/// the symbol to print (blank lines and lines starting with <c>#</c> are skipped). <c>timeout</c> is seconds per
/// attempt, <c>backoff</c> the first retry's wait in milliseconds; the API key, if the server needs one, is read from
/// the environment variable <see cref="ApiKeyVariable"/> (never from the command line, where it would show in the
/// process list and the shell history).
/// </summary>
internal static class HttpTarget
{
    /// <summary>The environment variable holding the server's API key (sent as <c>Authorization: Bearer ...</c>).</summary>
    public const string ApiKeyVariable = "LOGITRANK_API_KEY";

    /// <summary>The largest alphabet an <c>http:</c> target accepts (a whole large vocabulary: 2^20 ids).</summary>
    public const int MaxTokens = 1 << 20;

    public static ModelSource Open(TargetSpec spec, CliEnvironment environment)
    {
        var url = spec.Parameters["url"];
        if (!Uri.TryCreate(url, UriKind.Absolute, out var baseAddress) || (baseAddress.Scheme != Uri.UriSchemeHttp && baseAddress.Scheme != Uri.UriSchemeHttps))
        {
            throw Bad(spec, "url", url, "an absolute http:// or https:// address, e.g. http://127.0.0.1:8000/");
        }

        var hasTokens = spec.Parameters.TryGetValue("tokens", out var tokenText);
        var hasVocab = spec.Parameters.TryGetValue("vocab", out var vocabPath);
        if (hasTokens == hasVocab)
        {
            throw new TargetSpecException(spec.Family, "tokens", null, $"Target spec '{spec}' needs exactly one of the keys 'tokens' (model ids, e.g. tokens=65-90+32) and 'vocab' (a file of model ids, one per line); got {(hasTokens ? "both" : "neither")}.");
        }

        var (ids, symbols) = hasTokens ? (ParseTokens(spec, tokenText!), null) : ReadVocabulary(vocabPath!);
        var dialect = spec.Parameters.TryGetValue("dialect", out var d)
            ? d.ToLowerInvariant() switch
            {
                "openai" or "vllm" => CompletionsDialect.OpenAi,
                "llamacpp" or "llama.cpp" => CompletionsDialect.LlamaCpp,
                _ => throw Bad(spec, "dialect", d, "'openai' (vLLM, OpenAI-style v1/completions) or 'llamacpp' (llama.cpp server's completion)"),
            }
            : CompletionsDialect.OpenAi;
        var missing = spec.Parameters.TryGetValue("missing", out var m)
            ? m.ToLowerInvariant() switch
            {
                "reject" => MissingTokenPolicy.Reject,
                "floor" => MissingTokenPolicy.FloorAtMinimum,
                _ => throw Bad(spec, "missing", m, "'reject' (a top-N answer that misses alphabet tokens is an error) or 'floor' (fill them at the smallest returned probability: approximate)"),
            }
            : MissingTokenPolicy.Reject;
        var timeout = Seconds(spec, "timeout", 30);
        var backoff = spec.Integer("backoff", 200, 0, 60_000);
        var options = new OpenAiCompletionsOptions
        {
            BaseAddress = baseAddress,
            Horizon = spec.Integer("T", 0, 1, 1 << 20),
            TokenIds = ids,
            Dialect = dialect,
            Endpoint = spec.Parameters.TryGetValue("endpoint", out var endpoint) ? endpoint : null,
            Model = spec.Parameters.TryGetValue("model", out var model) ? model : null,
            BosId = spec.Integer("bos", 0, 0),
            LogprobsCount = spec.Parameters.ContainsKey("topn") ? spec.Integer("topn", 0, 1) : null,
            MissingTokens = missing,
            MaxConcurrency = spec.Integer("concurrency", 8, 1, 1024),
            RequestTimeout = TimeSpan.FromSeconds(timeout),
            MaxRetries = spec.Integer("retries", 3, 0, 100),
            BackoffBase = TimeSpan.FromMilliseconds(backoff),
            BackoffMax = TimeSpan.FromMilliseconds(Math.Max(backoff, 10_000)),
            ApiKey = environment.Variable(ApiKeyVariable) is { Length: > 0 } key ? key : null,
        };

        OpenAiCompletionsOracle oracle;
        try
        {
            oracle = new OpenAiCompletionsOracle(options);
        }
        catch (ArgumentException e)
        {
            throw new TargetSpecException(spec.Family, null, null, $"Target spec '{spec}' is invalid: {Cli.OneLine(e.Message)}", e);
        }

        var alphabet = symbols is null ? null : new Alphabet(symbols);
        return new ModelSource(null, oracle, spec.ToString(), isFile: false, alphabet, oracle);
    }

    /// <summary>Model ids joined by <c>+</c>, each an id or a range <c>a-b</c> (inclusive).</summary>
    internal static int[] ParseTokens(TargetSpec spec, string text)
    {
        var ids = new List<int>();
        foreach (var part in text.Split('+'))
        {
            var dash = part.IndexOf('-', 1 < part.Length ? 1 : 0);
            if (dash > 0
                && int.TryParse(part[..dash], NumberStyles.None, CultureInfo.InvariantCulture, out var first)
                && int.TryParse(part[(dash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var last)
                && first <= last && (long)ids.Count + last - first + 1 <= MaxTokens)
            {
                for (var id = first; id <= last; id++)
                {
                    ids.Add(id);
                }
            }
            else if (dash < 0 && int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && ids.Count < MaxTokens)
            {
                ids.Add(id);
            }
            else
            {
                throw Bad(spec, "tokens", text, $"non-negative model ids joined by '+', each an id or an increasing range a-b (e.g. tokens=65-90+32), at most {MaxTokens} in all; '{part}' is not one");
            }
        }

        if (ids.Count < 2 || ids.Distinct().Count() != ids.Count)
        {
            throw Bad(spec, "tokens", text, $"at least 2 distinct model ids; got {ids.Count}{(ids.Count >= 2 ? " with repeats" : string.Empty)}");
        }

        return [.. ids];
    }

    /// <summary>A vocabulary file: one model id per line, optionally followed by whitespace and its display symbol.</summary>
    internal static (int[] Ids, string[]? Symbols) ReadVocabulary(string path)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw CliException.BadFile($"Vocabulary file '{path}' (key 'vocab') could not be read: {Cli.OneLine(e.Message)}", e);
        }

        var ids = new List<int>();
        var symbols = new List<string>();
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var space = line.IndexOfAny([' ', '\t']);
            var idText = space < 0 ? line : line[..space];
            if (!int.TryParse(idText, NumberStyles.None, CultureInfo.InvariantCulture, out var id) || ids.Count >= MaxTokens)
            {
                throw CliException.BadFile($"Vocabulary file '{path}', line {i + 1}: '{Excerpt(lines[i])}' does not start with a non-negative model id (expected 'ID' or 'ID SYMBOL' per line, at most {MaxTokens} lines).");
            }

            ids.Add(id);
            symbols.Add(space < 0 ? string.Empty : line[(space + 1)..].Trim());
        }

        if (ids.Count < 2)
        {
            throw CliException.BadFile($"Vocabulary file '{path}' lists {ids.Count} model ids; expected at least 2.");
        }

        if (ids.Distinct().Count() != ids.Count)
        {
            var repeated = ids.GroupBy(x => x).First(g => g.Count() > 1).Key;
            throw CliException.BadFile($"Vocabulary file '{path}' lists model id {repeated} more than once; expected distinct ids.");
        }

        var named = symbols.All(s => s.Length > 0) && symbols.Distinct(StringComparer.Ordinal).Count() == symbols.Count;
        return ([.. ids], named ? [.. symbols] : null);
    }

    private static double Seconds(TargetSpec spec, string key, double defaultValue)
    {
        if (!spec.Parameters.TryGetValue(key, out var text))
        {
            return defaultValue;
        }

        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value) || value <= 0 || value > 86_400)
        {
            throw Bad(spec, key, text, "a number of seconds in (0, 86400]");
        }

        return value;
    }

    private static string Excerpt(string line) => line.Length <= 40 ? line : line[..40] + "…";

    private static TargetSpecException Bad(TargetSpec spec, string key, string value, string expected) =>
        new(spec.Family, key, value, $"Bad value '{value}' for key '{key}' of target family '{spec.Family}': expected {expected}.");
}
