using LogitRank.Models;
using LogitRank.Numerics;
using LogitRank.Sequences;

namespace LogitRank.Tests.Models;

/// <summary>
/// The base class <see cref="SequenceModel"/>: the horizon guard of its constructor, null
/// random sources named before any logit is computed, and the inverse-CDF rule of
/// <see cref="SequenceModel.SampleToken"/> (the smallest <c>z</c> with <c>Σ_{y&lt;=z} p_y &gt; u</c>, the last token
/// absorbing rounding).
/// </summary>
public partial class SequenceModelTests
{
    /// <summary>A <see cref="Random"/> whose <see cref="NextDouble"/> is always <c>u</c>.</summary>
    private sealed class FixedRandom(double u) : Random
    {
        public override double NextDouble() => u;
    }

    /// <summary>The uniform model over 2 tokens, counting how often its logits are computed.</summary>
    private sealed class CountingModel() : SequenceModel(2, 3)
    {
        public int Computed { get; private set; }

        protected override LogitVector ComputeLogits(Prefix prefix)
        {
            Computed++;
            return LogitVector.Uniform(2);
        }
    }

    [Fact]
    public void The_constructor_rejects_a_horizon_below_one_by_name()
    {
        // The HMM constructor has no horizon check of its own: the base class's is the only one.
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new HiddenMarkovModel(0, [1.0], new double[,] { { 1.0 } }, new double[,] { { 0.5, 0.5 } }));
        Assert.Equal("horizon", e.ParamName);
        Assert.Contains("T >= 1", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Sample_names_a_null_random_before_computing_any_logits()
    {
        var model = new CountingModel();
        Assert.Equal("random", Assert.Throws<ArgumentNullException>(() => model.Sample(null!)).ParamName);
        Assert.Equal(0, model.Computed);
    }

    [Fact]
    public void SampleToken_names_a_null_random()
    {
        Assert.Equal("random", Assert.Throws<ArgumentNullException>(() => SequenceModel.SampleToken([0.5, 0.5], null!)).ParamName);
    }

    [Theory]
    [InlineData(0.0, 0)]
    [InlineData(0.2499, 0)]
    [InlineData(0.25, 1)]
    [InlineData(0.5, 1)]
    [InlineData(0.75, 2)]
    [InlineData(0.9999, 2)]
    public void SampleToken_returns_the_smallest_token_whose_cumulative_probability_exceeds_u(double u, int expected)
    {
        // Cumulative sums 0.25, 0.75, 1 (exact in binary): u equal to a cumulative sum belongs to the next token.
        Assert.Equal(expected, SequenceModel.SampleToken([0.25, 0.5, 0.25], new FixedRandom(u)));
    }

    [Fact]
    public void SampleToken_gives_the_last_token_when_rounding_leaves_the_sum_below_u()
    {
        // The probabilities sum to 1 - 1e-12 < u: no cumulative sum exceeds u, and the last token absorbs the deficit.
        Assert.Equal(1, SequenceModel.SampleToken([0.5, 0.5 - 1e-12], new FixedRandom(1 - 1e-13)));
        Assert.Equal(2, SequenceModel.SampleToken([0.0, 0.0, 0.0], new FixedRandom(0.0)));
    }
}
