namespace LogitRank.Onnx;

/// <summary>
/// The map from the library's alphabet <c>{0, ..., k-1}</c> to a language model's vocabulary ids: alphabet token
/// <c>a</c> is fed to the model as id <c>ids[a]</c> and its logit is read from output column <c>ids[a]</c>.
/// </summary>
/// <remarks>
/// <para>
/// If the ids cover the whole model vocabulary (<c>k = V</c>), the oracle returns the model's next-token
/// distribution exactly. If they cover a strict subset <c>S</c> (<c>k &lt; V</c>), the oracle returns the
/// centered logits of the subset's entries, i.e. the distribution renormalised over <c>S</c>:
/// <c>p(a | h, next ∈ S) = p(ids[a] | h) / Σ_{b} p(ids[b] | h)</c>, which is the conditional distribution of the
/// next token given that it lies in <c>S</c> (see <c>proofs-notes/onnx-oracle.md</c>).
/// </para>
/// <para>The map must be injective (two alphabet tokens cannot share a model id) and its ids non-negative.</para>
/// </remarks>
public sealed class VocabularyMapping
{
    private readonly int[] _ids;

    private VocabularyMapping(int[] ids, bool isIdentity)
    {
        _ids = ids;
        IsIdentity = isIdentity;
        MaxModelId = ids.Max();
    }

    /// <summary>The identity map over a whole vocabulary of <paramref name="vocabularySize"/> ids: token <c>a</c> is id <c>a</c>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="vocabularySize"/> is less than 2.</exception>
    public static VocabularyMapping FullVocabulary(int vocabularySize)
    {
        if (vocabularySize < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(vocabularySize), vocabularySize, "A vocabulary needs at least 2 ids (k >= 2).");
        }

        return new VocabularyMapping(Enumerable.Range(0, vocabularySize).ToArray(), isIdentity: true);
    }

    /// <summary>The map <c>a ↦ modelIds[a]</c> for <c>a = 0..k-1</c> with <c>k = modelIds.Count</c>.</summary>
    /// <exception cref="ArgumentException">Fewer than 2 ids, a negative id, or a repeated id (the message names it).</exception>
    public static VocabularyMapping Subset(IReadOnlyList<int> modelIds)
    {
        ArgumentNullException.ThrowIfNull(modelIds);
        if (modelIds.Count < 2)
        {
            throw new ArgumentException($"A vocabulary mapping needs at least 2 ids (k >= 2); got {modelIds.Count}.", nameof(modelIds));
        }

        var ids = modelIds.ToArray();
        var seen = new Dictionary<int, int>();
        for (var a = 0; a < ids.Length; a++)
        {
            if (ids[a] < 0)
            {
                throw new ArgumentException($"Alphabet token {a} maps to model id {ids[a]}; model ids must be non-negative.", nameof(modelIds));
            }

            if (!seen.TryAdd(ids[a], a))
            {
                throw new ArgumentException($"Alphabet tokens {seen[ids[a]]} and {a} both map to model id {ids[a]}; the mapping must be injective.", nameof(modelIds));
            }
        }

        var identity = ids.Select((id, a) => id == a).All(x => x);
        return new VocabularyMapping(ids, identity);
    }

    /// <summary>The alphabet size <c>k</c>.</summary>
    public int AlphabetSize => _ids.Length;

    /// <summary>The largest model id used; the model's vocabulary must have more than this many entries.</summary>
    public int MaxModelId { get; }

    /// <summary>Whether token <c>a</c> maps to id <c>a</c> for every <c>a</c>.</summary>
    public bool IsIdentity { get; }

    /// <summary>The model id of alphabet token <paramref name="token"/>.</summary>
    public int this[int token] => _ids[token];

    /// <summary>The model ids, indexed by alphabet token.</summary>
    public IReadOnlyList<int> ModelIds => _ids;

    /// <summary>
    /// Whether this mapping covers a vocabulary of <paramref name="vocabularySize"/> ids completely (then the
    /// oracle is the model's distribution exactly rather than a conditional one). An injective map into
    /// <c>{0..V-1}</c> with <c>k = V</c> entries is a permutation.
    /// </summary>
    public bool CoversVocabulary(int vocabularySize) => AlphabetSize == vocabularySize && MaxModelId < vocabularySize;
}
