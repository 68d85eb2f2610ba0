using LogitRank.Sequences;

namespace LogitRank.Tests.Sequences;

/// <summary>
/// The public constructors of <see cref="PrefixFormatException"/> that take no text: the text is empty, the position 0,
/// and the message the given one (or a default naming an invalid prefix).
/// </summary>
public class PrefixFormatExceptionTests
{
    [Fact]
    public void The_parameterless_constructor_describes_an_invalid_prefix_with_no_text()
    {
        var e = new PrefixFormatException();
        Assert.Equal(string.Empty, e.Text);
        Assert.Equal(0, e.Position);
        Assert.Contains("'' is not a prefix: invalid prefix (character 0)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_message_constructor_keeps_the_message_and_has_no_text()
    {
        var e = new PrefixFormatException("bad prefix");
        Assert.Equal("bad prefix", e.Message);
        Assert.Equal(string.Empty, e.Text);
        Assert.Equal(0, e.Position);
    }

    [Fact]
    public void The_message_and_cause_constructor_keeps_both_and_has_no_text()
    {
        var cause = new FormatException("inner");
        var e = new PrefixFormatException("bad prefix", cause);
        Assert.Equal("bad prefix", e.Message);
        Assert.Same(cause, e.InnerException);
        Assert.Equal(string.Empty, e.Text);
    }
}
