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

    [Fact]
    public void Only_the_telescoping_identity_is_reported_as_the_telescoping_invariant()
    {
        var telescoping = new InvariantViolationException(InvariantViolationException.TelescopingIdentity, 0.5, 1e-9, "at y = (0, 1)");
        Assert.Equal(LogitRank.Numerics.Contracts.Telescoping, telescoping.Invariant);
        Assert.Equal(InvariantViolationException.TelescopingIdentity, telescoping.Identity);

        const string other = "sum_a p(a) = 1";
        var e = new InvariantViolationException(other, 0.5, 1e-9, "at y = (0, 1)");
        Assert.Equal(other, e.Invariant);
        Assert.Equal(other, e.Identity);
    }
}
