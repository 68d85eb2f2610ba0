using System.Text.Json;

namespace LogitRank.Onnx;

/// <summary>
/// The interface description of an exported character- or token-level model, as in the <c>charlm-dev.json</c>
/// fixture: <c>{"alphabet": "...", "bos": 32, "input": "tokens", "output": "logits", "max_context": 32}</c>.
/// Symbol <c>i</c> of the library's alphabet is the <c>i</c>-th character of <see cref="Alphabet"/>, fed and read as
/// model id <c>i</c>.
/// </summary>
/// <param name="Alphabet">The symbols, one character per alphabet token.</param>
/// <param name="BosId">The beginning-of-sequence input id, or <see langword="null"/>.</param>
/// <param name="InputName">The model input that takes the token ids.</param>
/// <param name="OutputName">The model output with the next-token scores.</param>
/// <param name="MaxContext">The maximum sequence length (BOS included), or <see langword="null"/>.</param>
public sealed record OnnxModelSpec(string Alphabet, int? BosId, string InputName, string OutputName, int? MaxContext)
{
    /// <summary>The alphabet size <c>k</c> (the number of symbols).</summary>
    public int AlphabetSize => Alphabet.Length;

    /// <summary>Reads a spec from the JSON file at <paramref name="path"/>.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="FormatException">The file is not JSON, or a field is missing or of the wrong type (the message names the field).</exception>
    public static OnnxModelSpec Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Model spec file '{path}' does not exist.", path);
        }

        return Parse(File.ReadAllText(path), path);
    }

    /// <summary>Parses a spec from JSON text; <paramref name="source"/> names it in error messages.</summary>
    /// <exception cref="FormatException">The text is not JSON, or a field is missing or of the wrong type (the message names the field).</exception>
    public static OnnxModelSpec Parse(string json, string source = "<json>")
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new FormatException($"Model spec '{source}' is not valid JSON: {e.Message}", e);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException($"Model spec '{source}' must be a JSON object; got {root.ValueKind}.");
            }

            var alphabet = RequiredString(root, "alphabet", source);
            if (alphabet.Length < 2 || alphabet.Distinct().Count() != alphabet.Length)
            {
                throw new FormatException($"Model spec '{source}': field 'alphabet' must hold at least 2 distinct characters; got \"{alphabet}\".");
            }

            return new OnnxModelSpec(
                alphabet,
                OptionalInt(root, "bos", source),
                RequiredString(root, "input", source),
                RequiredString(root, "output", source),
                OptionalInt(root, "max_context", source));
        }
    }

    /// <summary>Encodes text over <see cref="Alphabet"/> as alphabet tokens.</summary>
    /// <exception cref="ArgumentException">A character is not in the alphabet (the message names it and its position).</exception>
    public int[] Encode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var tokens = new int[text.Length];
        for (var i = 0; i < text.Length; i++)
        {
            tokens[i] = Alphabet.IndexOf(text[i], StringComparison.Ordinal);
            if (tokens[i] < 0)
            {
                throw new ArgumentException($"Character '{text[i]}' at position {i} of \"{text}\" is not in the alphabet \"{Alphabet}\".", nameof(text));
            }
        }

        return tokens;
    }

    /// <summary>Oracle options for the model at <paramref name="modelPath"/> with horizon <paramref name="horizon"/> over the whole alphabet.</summary>
    public OnnxOracleOptions ToOptions(string modelPath, int horizon) => new()
    {
        ModelPath = modelPath,
        Horizon = horizon,
        InputName = InputName,
        OutputName = OutputName,
        BosId = BosId,
        MaxContext = MaxContext,
        Vocabulary = VocabularyMapping.FullVocabulary(AlphabetSize),
    };

    private static string RequiredString(JsonElement root, string name, string source) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw new FormatException($"Model spec '{source}': field '{name}' must be a string.");

    private static int? OptionalInt(JsonElement root, string name, string source)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var n) && n >= 0
            ? n
            : throw new FormatException($"Model spec '{source}': field '{name}' must be a non-negative integer or null.");
    }
}
