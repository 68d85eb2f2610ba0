using LogitRank.Learning;

namespace LogitRank.Tests.Learning;

/// <summary><see cref="InvariantViolationException"/>: the identity it names.</summary>
public class InvariantViolationExceptionTests
{
    [Fact]
    public void Exception_defaults_name_an_unnamed_identity()
    {
        var invariant = new InvariantViolationException();
        Assert.Equal("(unnamed)", invariant.Identity);
        Assert.Contains("An invariant was violated.", invariant.Message, StringComparison.Ordinal);
        Assert.Equal("(unnamed)", new InvariantViolationException("m", new InvalidOperationException()).Identity);
    }
}
