using LogitRank.Evaluation;

namespace LogitRank.Tests.Evaluation;

/// <summary>Neumaier's compensated sum behind the exact divergences.</summary>
public partial class CompensatedSumTests
{
    /// <summary>
    /// Neumaier's examples: adding 1 next to ±1e100 loses it in plain summation; the compensation keeps it whether the
    /// large term comes before or after the small one (the two branches of the compensation update), and the total
    /// includes the compensation.
    /// </summary>
    [Theory]
    [InlineData(new[] { 1.0, 1e100, 1.0, -1e100 }, 2.0)]
    [InlineData(new[] { 1e100, 1.0, -1e100, 1.0 }, 2.0)]
    [InlineData(new[] { 3.0, 1e100, -1e100 }, 3.0)]
    [InlineData(new[] { 1e100, 3.0, -1e100 }, 3.0)]
    [InlineData(new[] { 0.1, 0.2, -0.3 }, 2.7755575615628914e-17)] // the exact sum of the three doubles
    public void Compensated_sum_recovers_what_plain_summation_loses(double[] terms, double expected)
    {
        var sum = default(CompensatedSum);
        foreach (var term in terms)
        {
            sum.Add(term);
        }

        Assert.Equal(expected, sum.Value);
    }
}
