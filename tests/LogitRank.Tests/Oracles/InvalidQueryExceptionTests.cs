using LogitRank.Models;
using LogitRank.Numerics;
using LogitRank.Oracles;
using LogitRank.Sequences;
using LogitRank.Tests.Oracles;

namespace LogitRank.Tests.Oracles;

/// <summary><see cref="InvalidQueryException"/>.</summary>
public partial class InvalidQueryExceptionTests
{
    /// <summary>The constructor is public: a problem value outside the enum still gives a message naming the query, the prefix and the value.</summary>
    [Fact]
    public void An_undefined_problem_value_is_still_described()
    {
        var query = new InvalidQueryException((QueryProblem)99, Prefix.Of(1), 4, -1, -1, 2, 3);
        Assert.Contains("Query 4: prefix [1] is invalid (99).", query.Message, StringComparison.Ordinal);
    }
}
