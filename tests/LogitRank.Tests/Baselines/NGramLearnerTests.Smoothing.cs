using LogitRank.Baselines;
using LogitRank.Sequences;

namespace LogitRank.Tests.Baselines;

/// <summary>
/// The n-gram baseline against hand-computed closed forms, on three samples of length 3
/// over k = 2: 011, 010, 111. Additive smoothing: <c>(c_a + λ) / (Σc + kλ)</c> on the longest context; absolute
/// discounting: from the uniform distribution, each context length j = 0..n-1 in turn gives
/// <c>max(c_a - D, 0)/Σc + (D·seen/Σc)·p_a</c> where the context was seen. 1e-15 absorbs the rounding of sums of a few
/// small fractions.
/// </summary>
public partial class NGramLearnerTests
{
    private static readonly IReadOnlyList<Prefix> Samples = [Prefix.Of([0, 1, 1]), Prefix.Of([0, 1, 0]), Prefix.Of([1, 1, 1])];

    private static double P(global::LogitRank.Models.ISequenceModel model, int[] prefix, int token) => model.NextTokenLogits(Prefix.Of(prefix)).Probabilities()[token];

    [Fact]
    public void Additive_smoothing_uses_the_counts_of_the_longest_context_at_its_position()
    {
        var model = new NGramLearner(2, NGramSmoothing.Additive, strength: 0.5).Learn(2, 3, Samples);
        Assert.Equal(2.5 / 4, P(model, [], 0), 1e-15); // y_1 counts [2, 1]
        Assert.Equal(0.5 / 3, P(model, [0], 0), 1e-15); // after 0 at position 1: counts [0, 2]
        Assert.Equal(1.5 / 2, P(model, [1], 1), 1e-15); // after 1 at position 1: counts [0, 1]
        Assert.Equal(1.5 / 4, P(model, [0, 1], 0), 1e-15); // after 1 at position 2: counts [1, 2]
        Assert.Equal(0.5, P(model, [1, 0], 0), 1e-15); // 0 never precedes position 2: no counts, uniform
    }

    [Fact]
    public void Without_positions_the_contexts_pool_over_positions()
    {
        // After a 1 at any position: 011 (t = 2, next 1), 010 (t = 2, next 0), 111 (t = 1 and t = 2, next 1): [1, 3].
        var model = new NGramLearner(2, NGramSmoothing.Additive, strength: 0.5, positionAware: false).Learn(2, 3, Samples);
        Assert.Equal(1.5 / 5, P(model, [0, 1], 0), 1e-15);
        Assert.Equal(1.5 / 5, P(model, [1], 0), 1e-15);
    }

    [Fact]
    public void Absolute_discounting_backs_off_from_the_uniform_distribution_through_every_seen_context()
    {
        var model = new NGramLearner(2, NGramSmoothing.AbsoluteDiscounting, strength: 0.5).Learn(2, 3, Samples);

        // Empty context at position 0: counts [2, 1], two tokens seen, backoff 0.5·2/3 = 1/3 of the uniform.
        Assert.Equal(2.0 / 3, P(model, [], 0), 1e-15);

        // Position 1: context () gives [0, 3] -> p = (1/12, 11/12); then context (0) gives [0, 2], backoff 1/4: p_0 = 1/48.
        Assert.Equal(1.0 / 48, P(model, [0], 0), 1e-15);

        // Position 2 after 0: context () gives [1, 2] -> (1/3, 2/3); context (0) never occurs there, so that stays.
        Assert.Equal(1.0 / 3, P(model, [1, 0], 0), 1e-15);
    }

    [Fact]
    public void Order_one_ignores_the_history()
    {
        var model = new NGramLearner(1, NGramSmoothing.Additive, strength: 1.0).Learn(2, 3, Samples);
        Assert.Equal(P(model, [1], 0), P(model, [0], 0));
        Assert.Equal(1.0 / 5, P(model, [0], 0), 1e-15); // position 1: counts [0, 3]
    }

    [Fact]
    public void Each_smoothing_has_its_own_strength_range()
    {
        Assert.Equal(2.0, new NGramLearner(2, NGramSmoothing.Additive, strength: 2.0).Strength); // λ > 0, no upper end
        Assert.Equal(1.0, new NGramLearner(2, NGramSmoothing.AbsoluteDiscounting, strength: 1.0).Strength); // D in (0, 1]
        Assert.Equal("strength", Assert.Throws<ArgumentOutOfRangeException>(() => new NGramLearner(2, NGramSmoothing.Additive, strength: 0.0)).ParamName);
        Assert.Equal("strength", Assert.Throws<ArgumentOutOfRangeException>(() => new NGramLearner(2, NGramSmoothing.AbsoluteDiscounting, strength: 1.5)).ParamName);
        Assert.Equal("strength", Assert.Throws<ArgumentOutOfRangeException>(() => new NGramLearner(2, NGramSmoothing.AbsoluteDiscounting, strength: 0.0)).ParamName);
        Assert.Equal("order", Assert.Throws<ArgumentOutOfRangeException>(() => new NGramLearner(0)).ParamName);
    }

    /// <summary>
    /// Each back-off level is divided by its own context count, which matters once a level mixes in the previous one.
    /// Samples 00, 01, 10 (order 2, D = 1/2), position 1 after 0: context () has counts [2, 1] (N = 3, two seen) and gives
    /// p = (1.5/3 + (1/3)·1/2, 0.5/3 + (1/3)·1/2) = (2/3, 1/3); context (0) has counts [1, 1] (N = 2, two seen, backoff 1/2)
    /// and gives p_0 = 0.5/2 + (1/2)(2/3) = 7/12. 1e-15 as above.
    /// </summary>
    [Fact]
    public void Absolute_discounting_divides_each_level_by_its_context_count()
    {
        var model = new NGramLearner(2, NGramSmoothing.AbsoluteDiscounting, strength: 0.5).Learn(2, 2, [Prefix.Of([0, 0]), Prefix.Of([0, 1]), Prefix.Of([1, 0])]);
        Assert.Equal(7.0 / 12, P(model, [0], 0), 1e-15);
    }

    [Fact]
    public void Sample_learners_check_the_shape_before_the_samples()
    {
        Assert.Equal("3-gram", new NGramLearner(3).Name);
        Assert.Equal("horizon", Assert.Throws<ArgumentOutOfRangeException>(() => new NGramLearner(2).Learn(2, 0, [])).ParamName);
        Assert.Equal("alphabetSize", Assert.Throws<ArgumentOutOfRangeException>(() => new NGramLearner(2).Learn(1, 2, [])).ParamName);
    }
}
