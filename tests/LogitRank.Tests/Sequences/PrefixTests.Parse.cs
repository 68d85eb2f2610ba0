using LogitRank.Sequences;

namespace LogitRank.Tests.Sequences;

/// <content><see cref="Prefix.Parse"/>: the inverse of <see cref="Prefix.ToString"/>, with typed errors.</content>
public partial class PrefixTests
{
    [Fact]
    public void Parse_inverts_ToString_on_every_short_prefix_and_on_large_tokens()
    {
        foreach (var prefix in SequenceSpace.AllUpTo(3, 4).Append(Prefix.Of(int.MaxValue, 0, 1234567)))
        {
            var text = prefix.ToString();
            Assert.Equal(prefix, Prefix.Parse(text));
            Assert.True(Prefix.TryParse(text, out var parsed));
            Assert.Equal(prefix, parsed);
        }

        Assert.Same(Prefix.Empty, Prefix.Parse("[]"));
    }

    [Theory]
    [InlineData(" [ 0 , 3,1 ] ", new[] { 0, 3, 1 })]
    [InlineData("[\t7]", new[] { 7 })]
    [InlineData("[ ]", new int[0])]
    [InlineData("[007]", new[] { 7 })]
    public void Parse_allows_white_space_and_leading_zeros(string text, int[] tokens) =>
        Assert.Equal(Prefix.From(tokens), Prefix.Parse(text));

    [Theory]
    [InlineData("0,1", "expected '['")]
    [InlineData("x[0]", "expected '['")]
    [InlineData("[0,1", "expected ']'")]
    [InlineData("[0]x", "nothing after ']'")]
    [InlineData("[0,,1]", "the entry is empty")]
    [InlineData("[,1]", "the entry is empty")]
    [InlineData("[0,1,]", "the entry is empty")]
    [InlineData("[-1]", "got '-1'")]
    [InlineData("[+1]", "got '+1'")]
    [InlineData("[1 2]", "got '1 2'")]
    [InlineData("[a]", "got 'a'")]
    [InlineData("[2147483648]", "larger than 2147483647")]
    [InlineData("", "expected '['")]
    public void Parse_rejects_other_text_with_a_typed_error_naming_it(string text, string problem)
    {
        var e = Assert.Throws<PrefixFormatException>(() => Prefix.Parse(text));
        Assert.Equal(text, e.Text);
        Assert.Contains($"'{text}'", e.Message, StringComparison.Ordinal);
        Assert.Contains(problem, e.Message, StringComparison.Ordinal);
        Assert.InRange(e.Position, 0, text.Length);
        Assert.IsAssignableFrom<FormatException>(e);
        Assert.False(Prefix.TryParse(text, out var none));
        Assert.Null(none);
    }

    [Fact]
    public void Parse_of_null_is_an_argument_error_and_TryParse_says_no()
    {
        Assert.Equal("text", Assert.Throws<ArgumentNullException>(() => Prefix.Parse(null!)).ParamName);
        Assert.False(Prefix.TryParse(null, out _));
    }
}
