using System.Collections;
using System.Globalization;
using System.Text;

namespace LogitRank.Sequences;

/// <summary>
/// An immutable sequence of tokens <c>y_1..y_t</c> over an alphabet <c>Σ = {0..k-1}</c>: a history,
/// a future, a word or a whole sample. Index 0 holds <c>y_1</c>. Equality is by value; the hash is
/// computed once at construction, so prefixes are cheap dictionary and trie keys.
/// </summary>
/// <remarks>
/// A <see cref="Prefix"/> does not know its alphabet: tokens are only checked to be non-negative.
/// Checking against an alphabet size is the job of <see cref="Alphabet.Validate(Prefix)"/> and of the
/// validating oracle.
/// </remarks>
public sealed class Prefix : IEquatable<Prefix>, IReadOnlyList<int>
{
    private readonly int[] _tokens;
    private readonly int _hash;

    /// <summary>The empty sequence (length 0).</summary>
    public static Prefix Empty { get; } = new([], copy: false);

    private Prefix(int[] tokens, bool copy)
    {
        _tokens = copy ? (int[])tokens.Clone() : tokens;
        var hash = new HashCode();
        hash.Add(_tokens.Length);
        foreach (var token in _tokens)
        {
            if (token < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(tokens), token, $"A token must be a non-negative integer; got {token} at position {Array.IndexOf(_tokens, token)}.");
            }

            hash.Add(token);
        }

        _hash = hash.ToHashCode();
    }

    /// <summary>Creates a prefix from a copy of the given tokens.</summary>
    /// <param name="tokens">The tokens <c>y_1..y_t</c>, each non-negative.</param>
    /// <exception cref="ArgumentOutOfRangeException">A token is negative.</exception>
    public static Prefix Of(params ReadOnlySpan<int> tokens) => tokens.Length == 0 ? Empty : new Prefix(tokens.ToArray(), copy: false);

    /// <summary>Creates a prefix from a copy of the given tokens.</summary>
    /// <param name="tokens">The tokens <c>y_1..y_t</c>, each non-negative.</param>
    public static Prefix From(IEnumerable<int> tokens)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        var array = tokens.ToArray();
        return array.Length == 0 ? Empty : new Prefix(array, copy: false);
    }

    /// <summary>The length <c>t = |h|</c>.</summary>
    public int Length => _tokens.Length;

    /// <inheritdoc/>
    public int Count => _tokens.Length;

    /// <summary>The token at zero-based position <paramref name="index"/> (so <c>this[0] = y_1</c>).</summary>
    public int this[int index] => _tokens[index];

    /// <summary>The tokens as a read-only span.</summary>
    public ReadOnlySpan<int> Tokens => _tokens;

    /// <summary>The last token <c>y_t</c>.</summary>
    /// <exception cref="InvalidOperationException">The prefix is empty.</exception>
    public int Last => _tokens.Length > 0 ? _tokens[^1] : throw new InvalidOperationException("The empty prefix has no last token.");

    /// <summary>Returns <c>h∘z</c>: this prefix followed by one token.</summary>
    public Prefix Append(int token)
    {
        var next = new int[_tokens.Length + 1];
        _tokens.CopyTo(next, 0);
        next[^1] = token;
        return new Prefix(next, copy: false);
    }

    /// <summary>Returns the concatenation <c>h∘f</c>.</summary>
    public Prefix Concat(Prefix suffix) => Concatenate(this, suffix);

    /// <summary>
    /// <c>head∘suffix</c>. Internal call sites use this instead of <see cref="Concat"/>: Stryker's LINQ mutator rewrites
    /// any <c>.Concat(..)</c> call to <c>Enumerable.Except</c>, which does not compile where a <see cref="Prefix"/> is
    /// needed, and a compile error makes Stryker drop every mutant of the enclosing method (proofs-notes/mutation.md).
    /// </summary>
    internal static Prefix Concatenate(Prefix head, Prefix suffix)
    {
        ArgumentNullException.ThrowIfNull(suffix);
        if (suffix.Length == 0)
        {
            return head;
        }

        if (head._tokens.Length == 0)
        {
            return suffix;
        }

        var next = new int[head._tokens.Length + suffix.Length];
        head._tokens.CopyTo(next, 0);
        suffix._tokens.CopyTo(next, head._tokens.Length);
        return new Prefix(next, copy: false);
    }

    /// <summary>Returns <c>a∘h</c>: one token followed by this sequence.</summary>
    public Prefix Prepend(int token)
    {
        var next = new int[_tokens.Length + 1];
        next[0] = token;
        _tokens.CopyTo(next, 1);
        return new Prefix(next, copy: false);
    }

    /// <summary>Returns the first <paramref name="length"/> tokens <c>y_1..y_length</c>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="length"/> is negative or larger than <see cref="Length"/>.</exception>
    public Prefix Take(int length)
    {
        if (length < 0 || length > _tokens.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(length), length, $"Expected a length in [0, {_tokens.Length}].");
        }

        return length == _tokens.Length ? this : Of(_tokens.AsSpan(0, length));
    }

    /// <summary>Returns the tokens from zero-based position <paramref name="start"/> to the end.</summary>
    public Prefix Skip(int start)
    {
        if (start < 0 || start > _tokens.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(start), start, $"Expected a start in [0, {_tokens.Length}].");
        }

        return start == 0 ? this : Of(_tokens.AsSpan(start));
    }

    /// <summary>Returns the tokens at zero-based positions <c>[start, start + length)</c>.</summary>
    public Prefix Slice(int start, int length)
    {
        if (start < 0 || length < 0 || start + length > _tokens.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(length), $"Slice [{start}, {start + length}) is outside [0, {_tokens.Length}).");
        }

        return Of(_tokens.AsSpan(start, length));
    }

    /// <summary>Copies the tokens into a new array.</summary>
    public int[] ToArray() => (int[])_tokens.Clone();

    /// <inheritdoc/>
    public bool Equals(Prefix? other) =>
        other is not null && (ReferenceEquals(this, other) || (_hash == other._hash && _tokens.AsSpan().SequenceEqual(other._tokens)));

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as Prefix);

    /// <inheritdoc/>
    public override int GetHashCode() => _hash;

    /// <summary>Value equality.</summary>
    public static bool operator ==(Prefix? left, Prefix? right) => left is null ? right is null : left.Equals(right);

    /// <summary>Value inequality.</summary>
    public static bool operator !=(Prefix? left, Prefix? right) => !(left == right);

    /// <summary>Formats as <c>[y_1,y_2,...]</c>; the empty prefix is <c>[]</c>.</summary>
    public override string ToString()
    {
        var builder = new StringBuilder("[");
        for (var i = 0; i < _tokens.Length; i++)
        {
            if (i > 0)
            {
                builder.Append(',');
            }

            builder.Append(_tokens[i].ToString(CultureInfo.InvariantCulture));
        }

        return builder.Append(']').ToString();
    }

    /// <summary>
    /// Parses the form <see cref="ToString"/> writes: <c>[y_1,y_2,...]</c>, tokens as decimal non-negative 32-bit integers
    /// separated by commas, <c>[]</c> for the empty prefix. White space is allowed around the brackets, the commas and the
    /// tokens; nothing else is (no signs, no empty entries, no trailing comma). <c>Parse(p.ToString()) == p</c> for every prefix.
    /// </summary>
    /// <param name="text">The text, e.g. <c>[0,3,1]</c>.</param>
    /// <returns>The prefix.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is null.</exception>
    /// <exception cref="PrefixFormatException">The text is not of that form; the exception names the text, the position and what was expected.</exception>
    public static Prefix Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TryParse(text, out var prefix, out var error) ? prefix : throw error!;
    }

    /// <summary>Parses like <see cref="Parse"/> without throwing.</summary>
    /// <param name="text">The text.</param>
    /// <param name="prefix">The prefix, or <see langword="null"/> when the text is not of the form.</param>
    /// <returns>Whether the text was parsed.</returns>
    public static bool TryParse(string? text, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Prefix? prefix)
    {
        prefix = null;
        return text is not null && TryParse(text, out prefix, out _);
    }

    private static bool TryParse(string text, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Prefix? prefix, out PrefixFormatException? error)
    {
        prefix = null;
        error = null;
        var open = text.IndexOf('[', StringComparison.Ordinal);
        if (open < 0 || !string.IsNullOrWhiteSpace(text[..open]))
        {
            error = new PrefixFormatException(text, Math.Max(0, text.Length - text.TrimStart().Length), "expected '[' to open the prefix");
            return false;
        }

        var close = text.LastIndexOf(']');
        if (close < open || !string.IsNullOrWhiteSpace(text[(close + 1)..]))
        {
            error = new PrefixFormatException(text, close < open ? text.Length : close + 1, close < open ? "expected ']' to close the prefix" : "expected nothing after ']'");
            return false;
        }

        var body = text[(open + 1)..close];
        if (string.IsNullOrWhiteSpace(body))
        {
            prefix = Empty;
            return true;
        }

        var tokens = new List<int>();
        var start = 0;
        while (true)
        {
            var comma = body.IndexOf(',', start);
            var end = comma < 0 ? body.Length : comma;
            var item = body[start..end];
            var position = open + 1 + start;
            var trimmed = item.Trim();
            if (trimmed.Length == 0)
            {
                error = new PrefixFormatException(text, position, $"expected a token at position {tokens.Count}; the entry is empty");
                return false;
            }

            if (!trimmed.All(char.IsAsciiDigit))
            {
                error = new PrefixFormatException(text, position, $"expected a non-negative decimal token at position {tokens.Count}; got '{trimmed}'");
                return false;
            }

            if (!int.TryParse(trimmed, NumberStyles.None, CultureInfo.InvariantCulture, out var token))
            {
                error = new PrefixFormatException(text, position, $"token '{trimmed}' at position {tokens.Count} is larger than {int.MaxValue}");
                return false;
            }

            tokens.Add(token);
            if (comma < 0)
            {
                break;
            }

            start = comma + 1;
        }

        prefix = From(tokens);
        return true;
    }

    /// <inheritdoc/>
    public IEnumerator<int> GetEnumerator() => ((IEnumerable<int>)_tokens).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

/// <summary>Text that <see cref="Prefix.Parse"/> cannot read; names the text, the character position and what was expected.</summary>
public sealed class PrefixFormatException : FormatException
{
    /// <summary>Creates the exception.</summary>
    public PrefixFormatException()
        : this(string.Empty, 0, "invalid prefix")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The message.</param>
    public PrefixFormatException(string message)
        : base(message)
    {
        Text = string.Empty;
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public PrefixFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
        Text = string.Empty;
    }

    /// <summary>Creates the exception naming the text, the position and the problem.</summary>
    /// <param name="text">The text that was parsed.</param>
    /// <param name="position">The zero-based character position of the problem.</param>
    /// <param name="problem">What was expected there.</param>
    public PrefixFormatException(string text, int position, string problem)
        : base($"'{text}' is not a prefix: {problem} (character {position}); expected the form [y_1,y_2,...] of non-negative integers, e.g. [0,3,1] or [].")
    {
        Text = text;
        Position = position;
    }

    /// <summary>The text that was parsed.</summary>
    public string Text { get; }

    /// <summary>The zero-based character position of the problem.</summary>
    public int Position { get; }
}
