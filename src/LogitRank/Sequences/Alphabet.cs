namespace LogitRank.Sequences;

/// <summary>
/// The token alphabet <c>Σ = {0, 1, ..., k-1}</c> with <c>k = |Σ| &gt;= 2</c>, optionally with a
/// display symbol per token (for example the characters of a character-level model).
/// </summary>
public sealed record Alphabet
{
    /// <summary>Creates an alphabet of <paramref name="size"/> tokens without display symbols.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="size"/> is below 2.</exception>
    public Alphabet(int size)
    {
        if (size < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(size), size, "An alphabet needs at least k = 2 tokens.");
        }

        Size = size;
    }

    /// <summary>Creates an alphabet whose token <c>i</c> displays as <c>symbols[i]</c>.</summary>
    /// <exception cref="ArgumentException">Fewer than two symbols, or a repeated symbol.</exception>
    public Alphabet(IReadOnlyList<string> symbols)
        : this((symbols ?? throw new ArgumentNullException(nameof(symbols))).Count)
    {
        if (symbols.Distinct(StringComparer.Ordinal).Count() != symbols.Count)
        {
            throw new ArgumentException("Alphabet symbols must be distinct.", nameof(symbols));
        }

        Symbols = symbols.ToArray();
    }

    /// <summary>The number of tokens <c>k</c>.</summary>
    public int Size { get; }

    /// <summary>Display symbols, one per token, or <see langword="null"/> when tokens display as numbers.</summary>
    public IReadOnlyList<string>? Symbols { get; }

    /// <summary>Whether <paramref name="token"/> is in <c>0..k-1</c>.</summary>
    public bool Contains(int token) => token >= 0 && token < Size;

    /// <summary>Throws unless every token of <paramref name="sequence"/> is in the alphabet.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A token is outside <c>0..k-1</c>; the message names it and its position.</exception>
    public void Validate(Prefix sequence)
    {
        ArgumentNullException.ThrowIfNull(sequence);
        for (var i = 0; i < sequence.Length; i++)
        {
            if (!Contains(sequence[i]))
            {
                throw new ArgumentOutOfRangeException(nameof(sequence), $"Token {sequence[i]} at position {i} of {sequence} is outside the alphabet 0..{Size - 1}.");
            }
        }
    }

    /// <summary>Renders a sequence with the display symbols (or as <see cref="Prefix.ToString"/> without them).</summary>
    public string Format(Prefix sequence)
    {
        ArgumentNullException.ThrowIfNull(sequence);
        return Symbols is null ? sequence.ToString() : string.Concat(sequence.Select(t => Symbols[t]));
    }
}
