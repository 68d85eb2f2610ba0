using LogitRank.Sequences;

namespace LogitRank.Tests.Sequences;

public class SequenceSpaceTests
{
    [Theory]
    [InlineData(2, 0, 1)]
    [InlineData(2, 3, 8)]
    [InlineData(3, 4, 81)]
    public void All_enumerates_k_to_the_t_distinct_sequences(int k, int t, int expected)
    {
        var all = SequenceSpace.All(k, t).ToList();
        Assert.Equal(expected, all.Count);
        Assert.Equal(expected, all.Distinct().Count());
        Assert.All(all, p => Assert.Equal(t, p.Length));
        Assert.Equal(expected, SequenceSpace.Count(k, t));
    }

    /// <summary>
    /// The enumeration ends: asked for one sequence more than <c>k^t</c> (or <c>Σ_{s&lt;=t} k^s</c>), it gives exactly
    /// that many, so a wrong carry that cycles or restarts fails here at once instead of running on.
    /// </summary>
    [Theory]
    [InlineData(2, 0)]
    [InlineData(2, 1)]
    [InlineData(2, 3)]
    [InlineData(3, 2)]
    public void Enumeration_stops_after_the_last_sequence(int k, int t)
    {
        var count = (int)SequenceSpace.Count(k, t);
        Assert.Equal(count, SequenceSpace.All(k, t).Take(count + 1).Count());
        var upTo = (int)SequenceSpace.CountUpTo(k, t);
        Assert.Equal(upTo, SequenceSpace.AllUpTo(k, t).Take(upTo + 1).Count());
        Assert.Equal(Prefix.Of(new int[t]), SequenceSpace.All(k, t).First());
        Assert.Equal(Prefix.Of(Enumerable.Repeat(k - 1, t).ToArray()), SequenceSpace.All(k, t).Take(count + 1).Last());
    }

    [Fact]
    public void All_is_lexicographic_with_last_position_fastest()
    {
        var all = SequenceSpace.All(2, 2).Select(p => p.ToString()).ToArray();
        Assert.Equal(["[0,0]", "[0,1]", "[1,0]", "[1,1]"], all);
    }

    [Fact]
    public void CountUpTo_is_the_geometric_sum()
    {
        Assert.Equal((81L * 3 - 1) / 2, SequenceSpace.CountUpTo(3, 4));
        Assert.Equal(SequenceSpace.AllUpTo(3, 4).Count(), SequenceSpace.CountUpTo(3, 4));
    }

    [Fact]
    public void Count_overflow_is_reported()
    {
        Assert.Throws<OverflowException>(() => SequenceSpace.Count(10, 40));
    }

    /// <summary>
    /// Bad arguments are rejected at the call, before any enumeration (the lazy <see cref="SequenceSpace.AllUpTo"/> too),
    /// by the name of the parameter: <c>length</c> for <c>Count</c> and <c>All</c>, <c>maxLength</c> for <c>CountUpTo</c>
    /// and <c>AllUpTo</c> (regression: the latter two used to name <c>length</c>, and <c>AllUpTo</c> checked only once
    /// enumerated).
    /// </summary>
    [Theory]
    [InlineData(0, 2, "alphabetSize")]
    [InlineData(-1, 0, "alphabetSize")]
    [InlineData(2, -1, null)]
    [InlineData(1, int.MinValue, null)]
    public void Bad_arguments_are_rejected_at_the_call_by_their_name(int k, int length, string? name)
    {
        Assert.Equal(name ?? "length", Assert.Throws<ArgumentOutOfRangeException>(() => SequenceSpace.Count(k, length)).ParamName);
        Assert.Equal(name ?? "length", Assert.Throws<ArgumentOutOfRangeException>(() => SequenceSpace.All(k, length)).ParamName);
        Assert.Equal(name ?? "maxLength", Assert.Throws<ArgumentOutOfRangeException>(() => SequenceSpace.CountUpTo(k, length)).ParamName);
        Assert.Equal(name ?? "maxLength", Assert.Throws<ArgumentOutOfRangeException>(() => SequenceSpace.AllUpTo(k, length)).ParamName);
    }

    /// <summary>
    /// The sum in <c>CountUpTo</c> can overflow when no term does: <c>5^27 ≈ 7.45e18</c> fits in a <see cref="long"/>
    /// (<c>≈ 9.22e18</c>), but <c>Σ_{t=0}^{27} 5^t = (5^28 - 1)/4 ≈ 9.31e18</c> does not; one length less fits and is
    /// the closed form.
    /// </summary>
    [Fact]
    public void CountUpTo_reports_an_overflow_of_the_sum_itself()
    {
        Assert.Equal(7450580596923828125L, SequenceSpace.Count(5, 27));
        Assert.Throws<OverflowException>(() => SequenceSpace.CountUpTo(5, 27));
        Assert.Equal((long)((System.Numerics.BigInteger.Pow(5, 27) - 1) / 4), SequenceSpace.CountUpTo(5, 26));
    }
}
