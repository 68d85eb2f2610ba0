using LogitRank.Evaluation;

namespace LogitRank.Tests.Evaluation;

/// <summary><see cref="EnumerationTooLargeException"/>.</summary>
public partial class EnumerationTooLargeExceptionTests
{
    [Fact]
    public void The_message_only_enumeration_exception_still_says_what_went_wrong()
    {
        Assert.Equal("Exact enumeration exceeds its limit.", new EnumerationTooLargeException().Message);
    }
}
