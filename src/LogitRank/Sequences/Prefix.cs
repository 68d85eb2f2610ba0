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

    /// <inheritdoc/>
    public IEnumerator<int> GetEnumerator() => ((IEnumerable<int>)_tokens).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
