using LogitRank.Numerics;

namespace LogitRank.Tests.Numerics;

public partial class LogitVectorTests
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

    [Fact]
    public void Fewer_than_two_entries_are_rejected_by_every_constructor()
    {
        var fromLogits = Assert.Throws<ArgumentException>(() => LogitVector.FromLogits([1.0]));
        Assert.Contains("got 1", fromLogits.Message, StringComparison.Ordinal);
        var fromCentered = Assert.Throws<ArgumentException>(() => LogitVector.FromCentered([0.0]));
        Assert.Contains("got 1", fromCentered.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => LogitVector.FromProbabilities([1.0]));
        var uniform = Assert.Throws<ArgumentOutOfRangeException>(() => LogitVector.Uniform(1));
        Assert.Equal("alphabetSize", uniform.ParamName);
        Assert.Equal(2, LogitVector.Uniform(2).Length);
    }

    [Fact]
    public void Non_finite_logits_are_rejected_and_the_index_named()
    {
        var e = Assert.Throws<ArgumentException>(() => LogitVector.FromLogits([0.0, 1.0, double.PositiveInfinity]));
        Assert.Contains("Logit 2 is", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => LogitVector.FromLogits([double.NaN, 1.0]));
    }

    [Fact]
    public void Probabilities_must_be_positive_and_finite()
    {
        var zero = Assert.Throws<ArgumentException>(() => LogitVector.FromProbabilities([0.5, 0.0, 0.5]));
        Assert.Contains("Probability 1 is 0", zero.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => LogitVector.FromProbabilities([0.5, double.NaN]));
        Assert.Throws<ArgumentException>(() => LogitVector.FromProbabilities([0.5, double.PositiveInfinity]));
        Assert.Throws<ArgumentException>(() => LogitVector.FromProbabilities([0.5, -0.5]));

        // log p centered: p = (1/4, 3/4) gives logits ±ln(3)/2 and back the same probabilities (1e-15: a few ulps).
        var v = LogitVector.FromProbabilities([0.25, 0.75]);
        Assert.Equal(-Math.Log(3) / 2, v[0], 1e-15);
        Assert.Equal(Math.Log(3) / 2, v[1], 1e-15);
        Assert.Equal(0.25, v.Probabilities()[0], 1e-15);
        Assert.Equal(Math.Log(0.75), v.LogProbability(1), 1e-15);
        Assert.Equal(Math.Log(0.25), v.LogProbabilities()[0], 1e-15);
    }

    [Fact]
    public void FromCentered_tolerance_scales_with_the_largest_entry()
    {
        // (1e6 + 1e-7, -1e6): the offset 1e-7 is ~2^-53 of the scale 1e6 (rounding), so it is accepted; (1 + 1e-7, -1)
        // has the same offset at scale 1, far above 2 · 2^-40, so it is rejected.
        LogitVector.FromCentered([1e6 + 1e-7, -1e6]);
        Assert.Throws<ArgumentException>(() => LogitVector.FromCentered([1 + 1e-7, -1.0]));
        Assert.Throws<ArgumentException>(() => LogitVector.FromCentered([-1 - 1e-7, 1.0]));
        Assert.Throws<ArgumentException>(() => LogitVector.FromCentered([0.0, double.PositiveInfinity]));
    }

    [Fact]
    public void MaxAbsDifference_is_the_sup_norm_of_the_difference()
    {
        var a = LogitVector.FromCentered([1.0, -3.0, 2.0]);
        var b = LogitVector.FromCentered([-1.0, 0.5, 0.5]);
        Assert.Equal(3.5, a.MaxAbsDifference(b));
        Assert.Equal(3.5, b.MaxAbsDifference(a));
        Assert.Equal(0.0, a.MaxAbsDifference(a));
        Assert.Throws<ArgumentException>(() => a.MaxAbsDifference(LogitVector.Uniform(2)));
        Assert.Throws<ArgumentNullException>(() => a.MaxAbsDifference(null!));
    }

    [Fact]
    public void Equality_and_hash_follow_the_values()
    {
        var a = LogitVector.FromLogits([1.0, 2.0, 3.0]);
        var b = LogitVector.FromLogits([11.0, 12.0, 13.0]);
        var c = LogitVector.FromLogits([1.0, 3.0, 2.0]);
        Assert.True(a.Equals(b));
        Assert.True(a.Equals((object)b));
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.False(a.Equals(c));
        Assert.False(a.Equals(null));
        Assert.False(a.Equals("a string"));
        Assert.NotEqual(a.GetHashCode(), c.GetHashCode());
        Assert.Equal("(-1, 0, 1)", a.ToString());
        var copy = a.ToArray();
        copy[0] = 42;
        Assert.Equal(-1.0, a[0]);
    }
}
