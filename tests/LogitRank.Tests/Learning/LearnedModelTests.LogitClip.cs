using LogitRank.Learning;
using LogitRank.Numerics;
using LogitRank.Sequences;

namespace LogitRank.Tests.Learning;

/// <summary>
/// <see cref="LearnedModelOptions.LogitClip"/>: every raw prediction is clamped to <c>[−C, C]</c> before centring, so
/// the model's logits and <see cref="LearnedModel.LogitBound"/> are within <c>2C</c>; the option is checked, compared,
/// persisted and covered by the checksum (proofs-notes/adaptive-schedule.md, A9).
/// </summary>
public partial class LearnedModelTests
{
    private static double LargestRawLogit(LearnedModel m) =>
        LearningTestSupport.AllPrefixes(m).Where(h => h.Length < m.Horizon).Max(h => m.Engine.PredictRaw(h, m.Reconstruct(h)).Max(Math.Abs));

    [Fact]
    public void A_clip_clamps_every_raw_prediction_before_centring_and_bounds_the_logits_by_twice_it()
    {
        var unclipped = LeastSquaresHandModel();
        var clip = LargestRawLogit(unclipped) / 2;
        var clipped = new LearnedModel(unclipped.FutureSets, unclipped.Bases, unclipped.Options with { LogitClip = clip });
        var binds = 0;
        foreach (var h in LearningTestSupport.AllPrefixes(unclipped).Where(h => h.Length < unclipped.Horizon))
        {
            // The definition, recomputed: clamp the raw prediction, then centre.
            var raw = unclipped.Engine.PredictRaw(h, unclipped.Reconstruct(h));
            var clamped = raw.Select(v => Math.Clamp(v, -clip, clip)).ToArray();
            binds += raw.Zip(clamped).Count(p => p.First != p.Second);
            var expected = LogSpace.Center(clamped);
            var actual = clipped.NextTokenLogits(h).ToArray();
            for (var a = 0; a < expected.Length; a++)
            {
                Assert.Equal(expected[a], actual[a], 14);
                Assert.True(Math.Abs(actual[a]) <= 2 * clip, $"logit {actual[a]} at {h} beyond 2C = {2 * clip}");
            }
        }

        Assert.True(binds > 0, "the clip never bound: the test would not see it");
        Assert.Equal(Math.Min(unclipped.LogitBound, 2 * clip * (1 + 1e-9)), clipped.LogitBound, 14);
        Assert.True(clipped.LogitBound < unclipped.LogitBound);

        // A clip above every raw prediction changes nothing.
        var loose = new LearnedModel(unclipped.FutureSets, unclipped.Bases, unclipped.Options with { LogitClip = 2 * LargestRawLogit(unclipped) });
        foreach (var h in LearningTestSupport.AllPrefixes(unclipped).Where(h => h.Length < unclipped.Horizon))
        {
            Assert.Equal(unclipped.NextTokenLogits(h).ToArray(), loose.NextTokenLogits(h).ToArray());
        }
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void A_clip_that_is_not_positive_and_finite_is_rejected(double bad)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new LearnedModelOptions(2, 0, FallbackPolicy.MinimumResidual) { LogitClip = bad });
        Assert.Equal("LogitClip", e.ParamName);
        Assert.Contains("expected a finite clip C > 0", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_clip_is_part_of_the_options_value_and_of_the_persisted_model()
    {
        var options = new LearnedModelOptions(2, 0, FallbackPolicy.MinimumResidual) { LogitClip = 3 };
        Assert.Equal(options, options with { LogitClip = 3 });
        Assert.Equal(options.GetHashCode(), (options with { LogitClip = 3 }).GetHashCode());
        Assert.NotEqual(options, options with { LogitClip = 4 });
        Assert.NotEqual(options, options with { LogitClip = null });

        var m = LeastSquaresHandModel();
        Assert.DoesNotContain("\"logitClip\"", m.ToJson(), StringComparison.Ordinal);
        var clipped = new LearnedModel(m.FutureSets, m.Bases, m.Options with { LogitClip = 0.75 });
        var json = clipped.ToJson();
        Assert.Contains("\"logitClip\":0.75,", json, StringComparison.Ordinal);
        var loaded = LearnedModel.FromJson(json);
        Assert.Equal(clipped.Options, loaded.Options);
        Assert.Equal(clipped.LogitBound, loaded.LogitBound);
        foreach (var h in LearningTestSupport.AllPrefixes(m).Where(h => h.Length < m.Horizon))
        {
            Assert.Equal(clipped.NextTokenLogits(h).Probabilities(), loaded.NextTokenLogits(h).Probabilities());
        }

        // An edited clip fails the checksum; without the checksum (version 1) a clip that is not positive is refused.
        Assert.Equal("checksum", Assert.Throws<LearnedModelFormatException>(() => LearnedModel.FromJson(json.Replace("\"logitClip\":0.75", "\"logitClip\":0.8", StringComparison.Ordinal))).Field);
        var zero = AsVersion1(json).Replace("\"logitClip\":0.75", "\"logitClip\":0", StringComparison.Ordinal);
        Assert.Equal("logitClip", Assert.Throws<LearnedModelFormatException>(() => LearnedModel.FromJson(zero)).Field);
    }
}
