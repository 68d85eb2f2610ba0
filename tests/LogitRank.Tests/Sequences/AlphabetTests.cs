using LogitRank.Sequences;

namespace LogitRank.Tests.Sequences;

/// <summary><see cref="Alphabet"/>: its size and symbol rules, membership at both ends, validation naming the bad token, and formatting.</summary>
public class AlphabetTests
{
    [Fact]
    public void Size_must_be_at_least_2()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new Alphabet(1));
        Assert.Equal("size", e.ParamName);
        Assert.Equal(1, e.ActualValue);
        Assert.Equal(2, new Alphabet(2).Size);
        Assert.Null(new Alphabet(2).Symbols);
    }

    [Fact]
    public void Symbols_must_be_distinct_and_at_least_2()
    {
        Assert.Equal("symbols", Assert.Throws<ArgumentNullException>(() => new Alphabet(null!)).ParamName);
        Assert.Equal("symbols", Assert.Throws<ArgumentException>(() => new Alphabet(["a", "b", "a"])).ParamName);
        Assert.Equal("size", Assert.Throws<ArgumentOutOfRangeException>(() => new Alphabet(["a"])).ParamName);
        var abc = new Alphabet(["a", "b", "c"]);
        Assert.Equal(3, abc.Size);
        Assert.Equal(["a", "b", "c"], abc.Symbols);
    }

    [Theory]
    [InlineData(-1, false)]
    [InlineData(0, true)]
    [InlineData(2, true)]
    [InlineData(3, false)]
    public void Contains_exactly_the_tokens_0_to_k_minus_1(int token, bool expected) =>
        Assert.Equal(expected, new Alphabet(3).Contains(token));

    [Fact]
    public void Validate_names_the_first_token_outside_the_alphabet_and_its_position()
    {
        var alphabet = new Alphabet(3);
        alphabet.Validate(Prefix.Of(0, 2, 1));
        alphabet.Validate(Prefix.Empty);
        Assert.Equal("sequence", Assert.Throws<ArgumentNullException>(() => alphabet.Validate(null!)).ParamName);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => alphabet.Validate(Prefix.Of(0, 1, 3, 4)));
        Assert.Equal("sequence", e.ParamName);
        Assert.Contains("Token 3 at position 2", e.Message, StringComparison.Ordinal);
        Assert.Contains("0..2", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Format_uses_the_symbols_or_the_prefix_text()
    {
        Assert.Equal("cab", new Alphabet(["a", "b", "c"]).Format(Prefix.Of(2, 0, 1)));
        Assert.Equal(Prefix.Of(2, 0, 1).ToString(), new Alphabet(3).Format(Prefix.Of(2, 0, 1)));
        Assert.Equal("sequence", Assert.Throws<ArgumentNullException>(() => new Alphabet(3).Format(null!)).ParamName);
    }
}
