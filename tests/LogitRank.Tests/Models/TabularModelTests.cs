using LogitRank.Models;

namespace LogitRank.Tests.Models;

public class TabularModelTests
{
    [Theory]
    [InlineData(2, 21, "2.097E+06")]
    [InlineData(10, 9, "1.111E+08")]
    [InlineData(1_000_000, 100_000_000, "Infinity")]
    public void Random_refuses_more_prefixes_than_the_limit_naming_the_count_and_the_limit(int k, int horizon, string count)
    {
        // Σ_{t<T} k^t prefixes: k = 2, T = 21 is the first over 2^20 = 1048576 for k = 2 (T = 20 has 2^20 - 1).
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => TabularModel.Random(k, horizon, 1));
        Assert.Equal("horizon", e.ParamName);
        Assert.Contains($"= {count} prefixes", e.Message, StringComparison.Ordinal);
        Assert.Contains($"at most MaxRandomPrefixes = {TabularModel.MaxRandomPrefixes}", e.Message, StringComparison.Ordinal);
        Assert.Equal((1 << 20) - 1, TabularModel.PrefixCount(2, 20));
    }
}
