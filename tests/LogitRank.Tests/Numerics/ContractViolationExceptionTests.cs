using LogitRank.Numerics;

namespace LogitRank.Tests.Numerics;

/// <summary>The messages and fields that each constructor of <see cref="ContractViolationException"/> sets.</summary>
public class ContractViolationExceptionTests
{
    /// <summary>The parameterless constructor still says that a runtime contract was violated, with no invariant named.</summary>
    [Fact]
    public void The_default_exception_says_a_contract_was_violated()
    {
        var e = new ContractViolationException();
        Assert.Contains("contract was violated", e.Message, StringComparison.Ordinal);
        Assert.Equal("(unnamed)", e.Invariant);
        Assert.True(double.IsNaN(e.Value));
        Assert.True(double.IsNaN(e.Tolerance));
    }
}
