using LogitRank.Numerics;

namespace LogitRank.Tests;

public class LogitVectorTests
{
    [Fact]
    public void FromCentered_keeps_every_bit()
    {
        var centered = LogSpace.Center([0.1, 0.7, -3.3, 2.9]);
        var v = LogitVector.FromCentered(centered);
        Assert.Equal(centered, v.ToArray());
    }

    [Fact]
    public void FromCentered_rejects_uncentered_and_non_finite_values()
    {
        var e = Assert.Throws<ArgumentException>(() => LogitVector.FromCentered([1.0, 2.0]));
        Assert.Contains("sum to 3", e.Message, StringComparison.Ordinal);
        var nan = Assert.Throws<ArgumentException>(() => LogitVector.FromCentered([double.NaN, 0.0]));
        Assert.Contains("Logit 0 is NaN", nan.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => LogitVector.FromCentered([0.0]));
    }

    [Fact]
    public void FromLogits_centers_and_is_invariant_to_a_constant()
    {
        var a = LogitVector.FromLogits([1.0, 2.0, 6.0]);
        var b = LogitVector.FromLogits([11.0, 12.0, 16.0]);
        Assert.Equal(0, a.Values.ToArray().Sum(), 14);
        Assert.Equal(-2.0, a[0], 14);
        Assert.True(a.MaxAbsDifference(b) <= 1e-14);
        Assert.Equal(1.0, a.Probabilities().Sum(), 14);
    }
}
