using LogitRank.Learning;

namespace LogitRank.Tests.Mutation;

/// <summary>
/// Each validated setting of <see cref="PracticalSchedule"/> accepts the edge of its documented range and keeps the
/// value, and rejects the value just outside (proofs-notes/mutation.md). The defaults are field initialisers that do not
/// pass through the setters, so only setting a value exercises a check.
/// </summary>
public class PracticalScheduleMutationTests
{
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
