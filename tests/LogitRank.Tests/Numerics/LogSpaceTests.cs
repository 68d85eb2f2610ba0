using LogitRank.Numerics;

namespace LogitRank.Tests.Numerics;

/// <summary>
/// <see cref="LogSpace"/>: the infinite and empty edge cases of log-sum-exp, the length checks of the span overloads,
/// and the compensated (Neumaier) mean behind <c>LogSpace.Center</c>.
/// </summary>
public partial class LogSpaceTests
{
    [Fact]
    public void LogSumExp_of_an_empty_vector_throws_and_says_why()
    {
        var e = Assert.Throws<ArgumentException>(() => LogSpace.LogSumExp([]));
        Assert.Equal("values", e.ParamName);
        Assert.Contains("empty", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LogSumExp_with_a_positive_infinity_is_positive_infinity()
    {
        // log(e^1 + e^∞) = ∞ exactly; evaluating exp(∞ - ∞) instead would give NaN.
        Assert.Equal(double.PositiveInfinity, LogSpace.LogSumExp([1.0, double.PositiveInfinity]));
        Assert.Equal(double.PositiveInfinity, LogSpace.LogSumExp([double.PositiveInfinity, double.PositiveInfinity]));
    }

    [Fact]
    public void LogSumExp_of_all_negative_infinities_is_negative_infinity()
    {
        // log(0 + 0) = -∞ exactly; exp(-∞ - (-∞)) would be NaN.
        Assert.Equal(double.NegativeInfinity, LogSpace.LogSumExp([double.NegativeInfinity, double.NegativeInfinity]));
    }

    [Fact]
    public void LogSumExp_propagates_NaN()
    {
        Assert.True(double.IsNaN(LogSpace.LogSumExp([0.0, double.NaN, 1.0])));
        Assert.True(double.IsNaN(LogSpace.LogSumExp([double.NaN, double.PositiveInfinity])));
    }

    [Fact]
    public void LogSumExp_matches_the_definition_on_moderate_values()
    {
        // log(e^0 + e^1 + e^2) evaluated naively is accurate for such small values; 1e-15 relative.
        var naive = Math.Log(Math.Exp(0) + Math.Exp(1) + Math.Exp(2));
        Assert.Equal(naive, LogSpace.LogSumExp([0.0, 1.0, 2.0]), 1e-14);
        Assert.Equal(naive, LogSpace.LogSumExp([2.0, 1.0, 0.0]), 1e-14);
    }

    [Fact]
    public void Span_overloads_reject_a_destination_of_the_wrong_length()
    {
        var center = Assert.Throws<ArgumentException>(() => LogSpace.Center([1.0, 2.0], new double[3]));
        Assert.Equal("destination", center.ParamName);
        Assert.Contains("3", center.Message, StringComparison.Ordinal);
        var logSoftmax = Assert.Throws<ArgumentException>(() => LogSpace.LogSoftmax([1.0, 2.0], new double[1]));
        Assert.Equal("destination", logSoftmax.ParamName);
        Assert.Contains("differs", logSoftmax.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => LogSpace.Softmax([1.0, 2.0], new double[1]));
    }

    [Fact]
    public void Mean_of_an_empty_vector_throws_and_says_why()
    {
        var e = Assert.Throws<ArgumentException>(() => LogSpace.Mean([]));
        Assert.Contains("empty", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Mean_is_compensated_and_recovers_a_term_lost_by_naive_summation()
    {
        // 1e16 + 1 rounds to 1e16 (the ulp of 1e16 is 2), so naive summation of (1e16, 1, -1e16) gives 0 and a mean of 0.
        // Neumaier's compensation carries the lost 1 exactly, so the mean is 1/3 up to the rounding of the final division.
        Assert.Equal(0.0, (1e16 + 1.0) - 1e16);
        Assert.Equal(1.0 / 3, LogSpace.Mean([1e16, 1.0, -1e16]), 1e-16);
        Assert.Equal(1.0 / 3, LogSpace.Mean([1.0, 1e16, -1e16]), 1e-16);
        Assert.Equal(-1.0 / 3, LogSpace.Mean([-1e16, -1.0, 1e16]), 1e-16);
    }

    [Fact]
    public void Center_uses_the_compensated_mean()
    {
        // center(1e16, 1, -1e16) has middle entry 1 - 1/3 = 2/3; with an uncompensated mean it would be 1.
        var centered = LogSpace.Center([1e16, 1.0, -1e16]);
        Assert.Equal(2.0 / 3, centered[1], 1e-15);
    }
}
