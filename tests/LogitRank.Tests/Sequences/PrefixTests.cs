using LogitRank.Sequences;

namespace LogitRank.Tests.Sequences;

/// <summary><see cref="Prefix"/>: construction checks, <see cref="Prefix.Last"/>, <see cref="Prefix.Take"/> / <see cref="Prefix.Skip"/> / <see cref="Prefix.Slice"/> at and beyond their ends, and the equality operators.</summary>
public partial class PrefixTests
{
    [Fact]
    public void Tokens_must_be_non_negative_and_the_list_not_null()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Prefix.Of(0, -2));
        Assert.Equal("tokens", e.ParamName);
        Assert.Equal("tokens", Assert.Throws<ArgumentNullException>(() => Prefix.From(null!)).ParamName);
        Assert.Same(Prefix.Empty, Prefix.From([]));
        Assert.Equal(Prefix.Of(1, 2), Prefix.From([1, 2]));
    }

    [Fact]
    public void Last_is_the_final_token_and_the_empty_prefix_has_none()
    {
        Assert.Equal(7, Prefix.Of(3, 7).Last);
        Assert.Equal(3, Prefix.Of(3).Last);
        Assert.Throws<InvalidOperationException>(() => Prefix.Empty.Last);
    }

    [Fact]
    public void Take_skip_and_slice_accept_their_ends_and_reject_beyond()
    {
        var p = Prefix.Of(4, 5, 6);
        Assert.Same(p, p.Take(3));
        Assert.Equal(Prefix.Empty, p.Take(0));
        Assert.Equal("length", Assert.Throws<ArgumentOutOfRangeException>(() => p.Take(4)).ParamName);
        Assert.Equal("length", Assert.Throws<ArgumentOutOfRangeException>(() => p.Take(-1)).ParamName);

        Assert.Same(p, p.Skip(0));
        Assert.Equal(Prefix.Of(5, 6), p.Skip(1));
        Assert.Equal(Prefix.Empty, p.Skip(3));
        Assert.Equal("start", Assert.Throws<ArgumentOutOfRangeException>(() => p.Skip(4)).ParamName);
        Assert.Equal("start", Assert.Throws<ArgumentOutOfRangeException>(() => p.Skip(-1)).ParamName);

        Assert.Equal(Prefix.Of(5), p.Slice(1, 1));
        Assert.Equal(Prefix.Empty, p.Slice(3, 0));
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => p.Slice(2, 2));
        Assert.Equal("length", e.ParamName);
        Assert.Contains("[2, 4)", e.Message, StringComparison.Ordinal);
        // A negative start or length is caught by the slice's own check (named, with the interval), not by the span.
        Assert.Contains("Slice [-1, 0)", Assert.Throws<ArgumentOutOfRangeException>(() => p.Slice(-1, 1)).Message, StringComparison.Ordinal);
        Assert.Equal("suffix", Assert.Throws<ArgumentNullException>(() => Prefix.Concatenate(p, null!)).ParamName);
        Assert.Contains("Slice [0, -1)", Assert.Throws<ArgumentOutOfRangeException>(() => p.Slice(0, -1)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Equality_operators_compare_tokens_and_handle_null()
    {
        Prefix? none = null;
        Assert.True(Prefix.Of(1, 2) == Prefix.Of(1, 2));
        Assert.False(Prefix.Of(1, 2) != Prefix.Of(1, 2));
        Assert.True(Prefix.Of(1, 2) != Prefix.Of(2, 1));
        Assert.False(Prefix.Of(1) == none);
        Assert.True(Prefix.Of(1) != none);
        Assert.True(none == null);
        Assert.False(none != null);
    }

    /// <summary>
    /// Equality needs equal tokens, not only equal hashes. The hash is 32 bits (seeded per process), so a collision
    /// between different prefixes is found by search rather than built. The candidates are prefixes of three tokens
    /// drawn from a seeded <see cref="Random"/> over <c>0..2^31-2</c>: the hash is an invertible function of the last
    /// token once the first two are fixed, so with a uniform last token two candidates with different first tokens share
    /// a hash with probability about <c>2^-31</c>, and the chance of no collision among the first n is about
    /// <c>exp(-n²/2^32)</c> (birthday bound). One is expected after about 80 000 candidates; the 4 000 000 allowed make
    /// a miss less likely than <c>exp(-3700)</c>, so the search is not a source of flakiness. (Small structured
    /// candidates such as all <c>[i, j]</c> with <c>i, j &lt; 2000</c> collide far less often than random ones.)
    /// </summary>
    [Fact]
    public void Prefixes_with_the_same_hash_but_different_tokens_are_not_equal()
    {
        var random = new Random(1);
        var seen = new Dictionary<int, Prefix>();
        Prefix? a = null;
        Prefix? b = null;
        for (var n = 0; n < 4_000_000 && a is null; n++)
        {
            var p = Prefix.Of(random.Next(), random.Next(), random.Next());
            if (seen.TryGetValue(p.GetHashCode(), out var earlier) && !earlier.ToArray().AsSpan().SequenceEqual(p.ToArray()))
            {
                (a, b) = (earlier, p);
            }

            seen.TryAdd(p.GetHashCode(), p);
        }

        Assert.NotNull(a);
        Assert.NotNull(b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a.ToArray(), b.ToArray());
        Assert.False(a.Equals(b));
        Assert.False(a.Equals((object)b));
        Assert.False(a == b);
        Assert.Equal(2, new HashSet<Prefix> { a, b }.Count);
    }
}
