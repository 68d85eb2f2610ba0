using LogitRank.Numerics;

namespace LogitRank.Tests.Numerics;

/// <summary>
/// The centering promises of <see cref="LogitVector"/>: <see cref="LogitVector.FromCentered"/> accepts a sum up to its
/// documented tolerance <c>k · 2^-40 · max(1, max|x|)</c> inclusive, and <see cref="LogitVector.FromLogits"/> never
/// returns a vector that is not centered and finite, even when centering finite scores overflows. Also the text form
/// of <see cref="LogitVector.ToString"/>: each entry to six significant digits.
/// </summary>
public partial class LogitVectorTests
{
    /// <summary>
    /// (1, -1 + 2^-39) sums to exactly 2^-39 (both sums are exact in binary), which is the tolerance 2 · 2^-40 · 1 itself:
    /// accepted and kept bit for bit; (1, -1 + 2^-38), twice the tolerance, is refused.
    /// </summary>
    [Fact]
    public void FromCentered_accepts_a_sum_exactly_at_the_tolerance()
    {
        double[] atTolerance = [1.0, -1.0 + Math.ScaleB(1, -39)];
        Assert.Equal(atTolerance, LogitVector.FromCentered(atTolerance).ToArray());
        Assert.Throws<ArgumentException>(() => LogitVector.FromCentered([1.0, -1.0 + Math.ScaleB(1, -38)]));
    }

    /// <summary>
    /// Two finite scores of 1.5e308 sum past double.MaxValue, so their mean (and every centered entry) is not finite:
    /// the centering contract refuses them rather than letting a non-finite vector exist.
    /// </summary>
    [Fact]
    public void FromLogits_refuses_scores_whose_centering_overflows()
    {
        var e = Assert.Throws<ContractViolationException>(() => LogitVector.FromLogits([1.5e308, 1.5e308]));
        Assert.Equal(Contracts.CenteredSum, e.Invariant);
    }

    /// <summary>The text form lists the entries to six significant digits, invariant culture: ±1/3 and ±2·10⁶/3.</summary>
    [Fact]
    public void ToString_shows_six_significant_digits()
    {
        Assert.Equal("(0.333333, -0.333333)", LogitVector.FromCentered([1.0 / 3, -1.0 / 3]).ToString());
        Assert.Equal("(666667, -666667)", LogitVector.FromCentered([2e6 / 3, -2e6 / 3]).ToString());
    }
}
