using LogitRank.Sequences;

namespace LogitRank.Tests;

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
}
