using LogitRank.Learning;

namespace LogitRank.Tests.Learning;

/// <summary>The adaptive schedule's knobs: documented defaults, typed errors naming bad values, no uniform fallback.</summary>
public class AdaptiveScheduleTests
{
    [Fact]
    public void Defaults_are_the_documented_ones()
    {
        var s = new AdaptiveSchedule();
        Assert.Equal("adaptive", s.Kind);
        Assert.Equal(30, s.MaxEpochs);
        Assert.Equal(32, s.ValidationSamples);
        Assert.Equal(32, s.SpannerSampleCount);
        Assert.Equal(32, s.SpannerSamples(3, 100));
        Assert.Equal(512, s.MaxSpannerSampleCount);
        Assert.Equal(1e-8, s.WitnessThreshold);
        Assert.Equal(4.0, s.WitnessZ);
        Assert.Equal(BudgetPolicy.ReturnBest, s.OnBudgetExhausted);
        Assert.Equal(2.0, s.Beta);
        Assert.Null(s.ReconstructionBeta);
        Assert.Equal(1000.0, s.NoKneeReconstructionBeta);
        Assert.Equal(ReconstructionMethod.LeastSquares, s.Reconstruction);
        Assert.Equal(4.0, s.LpNoiseFactor);
        Assert.Equal(3.0, s.RankNoiseFactor);
        Assert.Equal(1.5, s.KneeRatio);
        Assert.Equal(3, s.Patience);
        Assert.Null(s.QueryBudget);
        Assert.Null(s.TwoTokenGroups);
        Assert.True(s.ValidateTail);
        Assert.Equal(2.0, s.LogitClipFactor);
        Assert.Null(new AdaptiveSchedule { LogitClipFactor = null }.LogitClipFactor);
    }

    [Fact]
    public void The_adaptive_schedule_never_falls_back_to_uniform()
    {
        Assert.Equal(FallbackPolicy.MinimumResidual, new AdaptiveSchedule().Fallback);
        Assert.Equal(FallbackPolicy.MinimumResidual, new AdaptiveSchedule { MaxEpochs = 3 }.Fallback);
    }

    [Theory]
    [InlineData(2, 2)]
    [InlineData(8, 8)]
    [InlineData(9, 4)]
    [InlineData(32, 4)]
    public void Two_token_groups_default_to_all_of_sigma_squared_for_small_alphabets_else_four(int k, int expected) =>
        Assert.Equal(expected, new AdaptiveSchedule().GroupsFor(k));

    [Fact]
    public void Explicit_two_token_groups_are_capped_at_the_alphabet()
    {
        Assert.Equal(0, new AdaptiveSchedule { TwoTokenGroups = 0 }.GroupsFor(5));
        Assert.Equal(5, new AdaptiveSchedule { TwoTokenGroups = 9 }.GroupsFor(5));
    }

    public static TheoryData<Func<AdaptiveSchedule>, string> BadValues => new()
    {
        { () => new AdaptiveSchedule { MaxEpochs = 0 }, "MaxEpochs" },
        { () => new AdaptiveSchedule { ValidationSamples = 0 }, "ValidationSamples" },
        { () => new AdaptiveSchedule { SpannerSampleCount = 0 }, "SpannerSampleCount" },
        { () => new AdaptiveSchedule { MaxSpannerSampleCount = 0 }, "MaxSpannerSampleCount" },
        { () => new AdaptiveSchedule { WitnessThreshold = 0 }, "WitnessThreshold" },
        { () => new AdaptiveSchedule { WitnessZ = double.NaN }, "WitnessZ" },
        { () => new AdaptiveSchedule { WitnessesPerEpoch = 0 }, "WitnessesPerEpoch" },
        { () => new AdaptiveSchedule { QueryBudget = 0 }, "QueryBudget" },
        { () => new AdaptiveSchedule { OnBudgetExhausted = (BudgetPolicy)7 }, "OnBudgetExhausted" },
        { () => new AdaptiveSchedule { Beta = 1 }, "Beta" },
        { () => new AdaptiveSchedule { LogitClipFactor = 0.5 }, "LogitClipFactor" },
        { () => new AdaptiveSchedule { LogitClipFactor = double.NaN }, "LogitClipFactor" },
        { () => new AdaptiveSchedule { ReconstructionBeta = double.PositiveInfinity }, "ReconstructionBeta" },
        { () => new AdaptiveSchedule { NoKneeReconstructionBeta = 1 }, "NoKneeReconstructionBeta" },
        { () => new AdaptiveSchedule { Reconstruction = (ReconstructionMethod)9 }, "Reconstruction" },
        { () => new AdaptiveSchedule { LpRelativeTolerance = -1 }, "LpRelativeTolerance" },
        { () => new AdaptiveSchedule { LpNoiseFactor = -1 }, "LpNoiseFactor" },
        { () => new AdaptiveSchedule { SpannerRankTolerance = 1 }, "SpannerRankTolerance" },
        { () => new AdaptiveSchedule { RankNoiseFactor = 0 }, "RankNoiseFactor" },
        { () => new AdaptiveSchedule { KneeRatio = 1 }, "KneeRatio" },
        { () => new AdaptiveSchedule { TwoTokenGroups = -1 }, "TwoTokenGroups" },
        { () => new AdaptiveSchedule { Patience = 0 }, "Patience" },
        { () => new AdaptiveSchedule { ZeroRowTolerance = double.NaN }, "ZeroRowTolerance" },
    };

    [Theory]
    [MemberData(nameof(BadValues))]
    public void Out_of_range_knobs_throw_naming_the_knob(Func<AdaptiveSchedule> make, string knob)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(make);
        Assert.Equal(knob, e.ParamName);
    }
}
