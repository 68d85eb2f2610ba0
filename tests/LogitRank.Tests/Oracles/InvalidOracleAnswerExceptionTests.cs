using LogitRank.Models;
using LogitRank.Numerics;
using LogitRank.Oracles;
using LogitRank.Sequences;
using LogitRank.Tests.Oracles;

namespace LogitRank.Tests.Oracles;

/// <summary><see cref="InvalidOracleAnswerException"/>.</summary>
public partial class InvalidOracleAnswerExceptionTests
{
    /// <summary>The constructor is public: a problem value outside the enum still gives a message naming the prefix, the query and the value.</summary>
    [Fact]
    public void An_undefined_problem_value_is_still_described()
    {
        var answer = new InvalidOracleAnswerException((AnswerProblem)99, Prefix.Of(1), 4, -1, -1, -1);
        Assert.Contains("The oracle's answer for prefix [1] (query 4) is invalid (99).", answer.Message, StringComparison.Ordinal);
    }
}
