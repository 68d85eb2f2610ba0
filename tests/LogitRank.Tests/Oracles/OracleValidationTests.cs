using LogitRank.Models;
using LogitRank.Numerics;
using LogitRank.Oracles;
using LogitRank.Sequences;
using LogitRank.Tests.Oracles;

namespace LogitRank.Tests.Oracles;

/// <summary><see cref="OracleValidation"/>: the query checks every oracle applies, and their messages.</summary>
public partial class OracleValidationTests
{
    /// <summary>
    /// The boundary of the length check: a prefix of length <c>T-1</c> is valid, one of length <c>T</c> is too long, and
    /// the message says what was expected (<c>T-1 = 2</c> for <c>T = 3</c>).
    /// </summary>
    [Fact]
    public void A_query_may_be_T_minus_one_long_and_no_longer()
    {
        OracleValidation.ValidateQuery([Prefix.Of(0, 1)], 2, 3);
        var e = Assert.Throws<InvalidQueryException>(() => OracleValidation.ValidateQuery([Prefix.Of(0, 1), Prefix.Of(0, 1, 0)], 2, 3));
        Assert.Equal(QueryProblem.TooLong, e.Problem);
        Assert.Equal(1, e.BatchIndex);
        Assert.Contains("Query 1: prefix [0,1,0] has length 3; an oracle with horizon T = 3 answers prefixes of length at most T-1 = 2.", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_null_prefix_in_a_batch_is_named_by_its_index_with_the_longest_allowed_length()
    {
        var e = Assert.Throws<InvalidQueryException>(() => OracleValidation.ValidateQuery([Prefix.Empty, null!], 2, 3));
        Assert.Equal(QueryProblem.NullPrefix, e.Problem);
        Assert.Equal(1, e.BatchIndex);
        Assert.Contains("Query 1: the prefix is null; expected a prefix of length at most 2.", e.Message, StringComparison.Ordinal);
    }
}
