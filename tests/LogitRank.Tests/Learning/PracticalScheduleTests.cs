using LogitRank.Learning;

namespace LogitRank.Tests.Learning;

/// <summary>
/// Each validated setting of <see cref="PracticalSchedule"/> accepts the edge of its documented range and keeps the
/// value, and rejects the value just outside. The defaults are field initialisers that do not
/// pass through the setters, so only setting a value exercises a check.
/// </summary>
public partial class PracticalScheduleTests
{
    [Fact]
    public void Practical_schedule_defaults_are_the_documented_ones()
    {
        var s = new PracticalSchedule();
        Assert.Equal(20, s.MaxEpochs);
        Assert.Equal(32, s.ValidationSamples);
        Assert.Equal(32, s.SpannerSamples(3, 100));
        Assert.Equal(1e-4, s.WitnessThreshold);
        Assert.Equal(1, s.WitnessesPerEpoch);
        Assert.Null(s.QueryBudget);
        Assert.Equal(2.0, s.Beta);
        Assert.Equal(1e-6, s.LpRelativeTolerance);
        Assert.Equal(FallbackPolicy.Uniform, s.Fallback);
        Assert.Equal("practical", s.Kind);
    }

    public static TheoryData<Func<PracticalSchedule>, string> BadBudgets => new()
    {
        { () => new PracticalSchedule { MaxEpochs = 0 }, nameof(PracticalSchedule.MaxEpochs) },
        { () => new PracticalSchedule { ValidationSamples = 0 }, nameof(PracticalSchedule.ValidationSamples) },
        { () => new PracticalSchedule { SpannerSampleCount = -1 }, nameof(PracticalSchedule.SpannerSampleCount) },
        { () => new PracticalSchedule { WitnessThreshold = 0 }, nameof(PracticalSchedule.WitnessThreshold) },
        { () => new PracticalSchedule { WitnessThreshold = double.NaN }, nameof(PracticalSchedule.WitnessThreshold) },
        { () => new PracticalSchedule { WitnessesPerEpoch = 0 }, nameof(PracticalSchedule.WitnessesPerEpoch) },
        { () => new PracticalSchedule { QueryBudget = 0 }, nameof(PracticalSchedule.QueryBudget) },
        { () => new PracticalSchedule { Beta = 1.0 }, nameof(PracticalSchedule.Beta) },
        { () => new PracticalSchedule { LpRelativeTolerance = -1e-9 }, nameof(PracticalSchedule.LpRelativeTolerance) },
        { () => new PracticalSchedule { Fallback = (FallbackPolicy)7 }, nameof(PracticalSchedule.Fallback) },
        { () => new PracticalSchedule { SpannerRankTolerance = 0 }, nameof(PracticalSchedule.SpannerRankTolerance) },
        { () => new PracticalSchedule { ZeroRowTolerance = double.PositiveInfinity }, nameof(PracticalSchedule.ZeroRowTolerance) },
    };

    [Theory]
    [MemberData(nameof(BadBudgets))]
    public void Practical_schedule_rejects_a_bad_budget_naming_it(Func<PracticalSchedule> make, string name)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(make);
        Assert.Equal(name, e.ParamName);
        Assert.Contains(name, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_setting_accepts_the_edge_of_its_range_and_keeps_it()
    {
        var s = new PracticalSchedule
        {
            MaxEpochs = 1,
            ValidationSamples = 1,
            SpannerSampleCount = 1,
            WitnessThreshold = double.Epsilon,
            WitnessesPerEpoch = 1,
            QueryBudget = 1,
            Beta = 1.0000001,
            LpRelativeTolerance = 0,
            Fallback = FallbackPolicy.MinimumResidual,
            SpannerRankTolerance = 0.999,
            ZeroRowTolerance = 0,
        };
        Assert.Equal(1, s.MaxEpochs);
        Assert.Equal(1, s.ValidationSamples);
        Assert.Equal(1, s.SpannerSamples(1, 10));
        Assert.Equal(double.Epsilon, s.WitnessThreshold);
        Assert.Equal(1, s.WitnessesPerEpoch);
        Assert.Equal(1L, s.QueryBudget);
        Assert.Equal(1.0000001, s.Beta);
        Assert.Equal(0, s.LpRelativeTolerance);
        Assert.Equal(FallbackPolicy.MinimumResidual, s.Fallback);
        Assert.Equal(0.999, s.SpannerRankTolerance);
        Assert.Equal(0, s.ZeroRowTolerance);

        var large = new PracticalSchedule { Beta = 3, LpRelativeTolerance = 0.5, SpannerRankTolerance = 1e-12, ZeroRowTolerance = 2, QueryBudget = null };
        Assert.Equal(3, large.Beta);
        Assert.Equal(0.5, large.LpRelativeTolerance);
        Assert.Equal(1e-12, large.SpannerRankTolerance);
        Assert.Equal(2, large.ZeroRowTolerance);
        Assert.Null(large.QueryBudget);
    }

    public static TheoryData<Func<PracticalSchedule>, string> JustOutside => new()
    {
        { () => new PracticalSchedule { MaxEpochs = -1 }, nameof(PracticalSchedule.MaxEpochs) },
        { () => new PracticalSchedule { SpannerSampleCount = 0 }, nameof(PracticalSchedule.SpannerSampleCount) },
        { () => new PracticalSchedule { WitnessThreshold = -1e-300 }, nameof(PracticalSchedule.WitnessThreshold) },
        { () => new PracticalSchedule { WitnessThreshold = double.PositiveInfinity }, nameof(PracticalSchedule.WitnessThreshold) },
        { () => new PracticalSchedule { QueryBudget = -5 }, nameof(PracticalSchedule.QueryBudget) },
        { () => new PracticalSchedule { Beta = 0.5 }, nameof(PracticalSchedule.Beta) },
        { () => new PracticalSchedule { Beta = double.PositiveInfinity }, nameof(PracticalSchedule.Beta) },
        { () => new PracticalSchedule { Beta = double.NaN }, nameof(PracticalSchedule.Beta) },
        { () => new PracticalSchedule { LpRelativeTolerance = double.PositiveInfinity }, nameof(PracticalSchedule.LpRelativeTolerance) },
        { () => new PracticalSchedule { LpRelativeTolerance = double.NaN }, nameof(PracticalSchedule.LpRelativeTolerance) },
        { () => new PracticalSchedule { SpannerRankTolerance = 1 }, nameof(PracticalSchedule.SpannerRankTolerance) },
        { () => new PracticalSchedule { SpannerRankTolerance = -0.1 }, nameof(PracticalSchedule.SpannerRankTolerance) },
        { () => new PracticalSchedule { ZeroRowTolerance = -1e-12 }, nameof(PracticalSchedule.ZeroRowTolerance) },
        { () => new PracticalSchedule { ZeroRowTolerance = double.NaN }, nameof(PracticalSchedule.ZeroRowTolerance) },
    };

    [Theory]
    [MemberData(nameof(JustOutside))]
    public void Every_setting_rejects_the_value_just_outside_its_range(Func<PracticalSchedule> make, string name)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(make);
        Assert.Equal(name, e.ParamName);
    }
}
