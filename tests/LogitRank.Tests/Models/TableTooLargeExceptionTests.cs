using LogitRank.Models;

namespace LogitRank.Tests.Models;

/// <summary>The public constructors of <see cref="TableTooLargeException"/> without sizes keep or give a message.</summary>
public class TableTooLargeExceptionTests
{
    [Fact]
    public void The_parameterless_constructor_says_the_table_is_too_large()
    {
        var e = new TableTooLargeException();
        Assert.Equal("The table is too large.", e.Message);
        Assert.Equal(0, e.Limit);
    }

    [Fact]
    public void The_message_constructors_keep_the_message_and_the_cause()
    {
        Assert.Equal("too many rows", new TableTooLargeException("too many rows").Message);
        var cause = new InvalidOperationException("out of memory");
        var e = new TableTooLargeException("too many rows", cause);
        Assert.Equal("too many rows", e.Message);
        Assert.Same(cause, e.InnerException);
    }
}
