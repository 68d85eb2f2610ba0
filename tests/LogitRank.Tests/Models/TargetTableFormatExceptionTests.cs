using LogitRank.Models;

namespace LogitRank.Tests.Models;

/// <summary>
/// The public constructors of <see cref="TargetTableFormatException"/> that take no field name the whole document
/// (<c>$</c>) and keep the message and the cause.
/// </summary>
public class TargetTableFormatExceptionTests
{
    [Fact]
    public void The_parameterless_constructor_names_the_whole_document_as_invalid()
    {
        var e = new TargetTableFormatException();
        Assert.Equal("$", e.Field);
        Assert.Null(e.FilePath);
        Assert.Contains("'$'", e.Message, StringComparison.Ordinal);
        Assert.Contains("The target table is invalid.", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_message_constructor_names_the_whole_document_with_the_message()
    {
        var e = new TargetTableFormatException("no rows at all");
        Assert.Equal("$", e.Field);
        Assert.Contains("'$': no rows at all", e.Message, StringComparison.Ordinal);
        Assert.Null(e.InnerException);
    }

    [Fact]
    public void The_message_and_cause_constructor_names_the_whole_document_and_keeps_the_cause()
    {
        var cause = new IOException("disk");
        var e = new TargetTableFormatException("unreadable", cause);
        Assert.Equal("$", e.Field);
        Assert.Contains("'$': unreadable", e.Message, StringComparison.Ordinal);
        Assert.Same(cause, e.InnerException);
    }
}
