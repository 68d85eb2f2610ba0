using LogitRank.Models;
using LogitRank.Numerics;
using LogitRank.Sequences;

namespace LogitRank.Tests.Models;

/// <summary>
/// The table checks of <see cref="TabularModel"/>: a key longer than <c>T-1</c>, a logit
/// vector of the wrong length and a missing prefix are each rejected with the parameter and the prefix named; the
/// random scale must be positive.
/// </summary>
public partial class TabularModelTests
{
    private static Dictionary<Prefix, LogitVector> Complete() =>
        SequenceSpace.AllUpTo(2, 1).ToDictionary(p => p, _ => LogitVector.Uniform(2));

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void A_key_longer_than_T_minus_1_is_rejected(int length)
    {
        var table = Complete();
        table[Prefix.Of(new int[length])] = LogitVector.Uniform(2);
        var e = Assert.Throws<ArgumentException>(() => new TabularModel(2, 2, table));
        Assert.Contains($"has length {length}; expected at most 1", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_logit_vector_of_the_wrong_length_is_rejected()
    {
        var table = Complete();
        table[Prefix.Of(1)] = LogitVector.Uniform(3);
        var e = Assert.Throws<ArgumentException>(() => new TabularModel(2, 2, table));
        Assert.Equal("table", e.ParamName);
        Assert.Contains("prefix [1] has length 3; expected k = 2", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_prefix_is_rejected()
    {
        var table = Complete();
        table.Remove(Prefix.Of(0));
        var e = Assert.Throws<ArgumentException>(() => new TabularModel(2, 2, table));
        Assert.Equal("table", e.ParamName);
        Assert.Contains("no entry for prefix [0]", e.Message, StringComparison.Ordinal);
        Assert.Contains("0..1", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_zero_scale_is_rejected()
    {
        Assert.Equal("scale", Assert.Throws<ArgumentOutOfRangeException>(() => TabularModel.Random(2, 2, 1, scale: 0)).ParamName);
    }
}
