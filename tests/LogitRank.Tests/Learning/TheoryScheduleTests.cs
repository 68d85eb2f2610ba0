using LogitRank.Learning;

namespace LogitRank.Tests.Learning;

/// <summary><see cref="TheorySchedule"/>: the counts of the analysis from the targets, and their checks.</summary>
public class TheoryScheduleTests
{
    [Fact]
    public void Theory_schedule_matches_hand_computation_for_T2_d1()
    {
        // ε = 0.5, δ = 0.1, T = 2, d = 1, α = 1:
        // g = 0.5/(32·4) = 0.00390625
        // J = ⌈log2(2·2·1·1/(0.5·0.1))⌉ + 64 = ⌈log2 80 = 6.32⌉ + 64 = 71
        // K = 512·2·1·71 = 72704
        // n = ⌈256 · log2(32·72704·2/0.1) = 256 · 25.4717⌉ = ⌈6520.75⌉ = 6521
        // η = 0.5/(3·4·6521) = 6.3896e-6, δ_s = 0.1/(2·72704) = 6.8772e-7
        // N_s(m = 6) = ⌈(2/η)(6 log2(12/η) + log2(7/δ_s))⌉ = 46426551
        var s = TheorySchedule.FromTargets(0.5, 0.1, 2, 1, 1.0, 2);
        Assert.Equal(0.00390625, s.WitnessThreshold);
        Assert.Equal(71, s.J);
        Assert.Equal(72704, s.EpochCount);
        Assert.Equal(72704, s.MaxEpochs);
        Assert.Equal(6521, s.ValidationSampleCount);
        Assert.Equal(6521, s.ValidationSamples);
        Assert.Equal(0.5 / (3.0 * 4 * 6521), s.Eta, 15);
        Assert.Equal(0.1 / (2.0 * 72704), s.SpannerDelta, 15);
        Assert.Equal(46426551, s.SpannerSampleCount(6));
        Assert.Equal(0.00390625 / 4, s.RequiredOracleAccuracy);
        Assert.Equal(1, s.WitnessesPerEpoch);
        Assert.Equal(2.0, s.Beta);
        Assert.Equal(FallbackPolicy.Uniform, s.Fallback);
        Assert.Equal("theory", s.Kind);
    }

    [Fact]
    public void Theory_schedule_matches_hand_computation_for_T4_d3()
    {
        // ε = 0.25, δ = 0.05, T = 4, d = 3, α = 2:
        // g = 0.25/512 = 0.00048828125; J = ⌈log2(2·4·3·2/(0.25·0.05)) = log2 3840 = 11.907⌉ + 64 = 76
        // K = 512·4·3·76 = 466944; n = ⌈2048 · log2(32·466944·4/0.05)⌉ = 61758
        // N_s(m = 10) = 7276413483 (does not fit in an int: SpannerSamples must say so)
        var s = TheorySchedule.FromTargets(0.25, 0.05, 4, 3, 2.0, 2);
        Assert.Equal(0.00048828125, s.WitnessThreshold);
        Assert.Equal(76, s.J);
        Assert.Equal(466944, s.EpochCount);
        Assert.Equal(61758, s.ValidationSampleCount);
        Assert.Equal(7276413483L, s.SpannerSampleCount(10));
        var e = Assert.Throws<InvalidOperationException>(() => s.SpannerSamples(1, 10));
        Assert.Contains("7276413483", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0.0, 0.1, 2, 1, 1.0, 2, "epsilon")]
    [InlineData(1.5, 0.1, 2, 1, 1.0, 2, "epsilon")]
    [InlineData(0.5, 0.0, 2, 1, 1.0, 2, "delta")]
    [InlineData(0.5, 1.0, 2, 1, 1.0, 2, "delta")]
    [InlineData(0.5, 0.1, 0, 1, 1.0, 2, "horizon")]
    [InlineData(0.5, 0.1, 2, 0, 1.0, 2, "rank")]
    [InlineData(0.5, 0.1, 2, 1, 0.0, 2, "alpha")]
    [InlineData(0.5, 0.1, 2, 1, 1.0, 1, "alphabetSize")]
    public void Theory_schedule_rejects_bad_targets_naming_them(double epsilon, double delta, int horizon, int rank, double alpha, int k, string name)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => TheorySchedule.FromTargets(epsilon, delta, horizon, rank, alpha, k));
        Assert.Equal(name, e.ParamName);
    }

    [Fact]
    public void Theory_counts_beyond_Int32_are_reported_by_name()
    {
        // T = 1000, d = 100: K = 512·T·d·J with J >= 64 is at least 3.3e9 > Int32.MaxValue, while n stays a 64-bit number.
        var wide = TheorySchedule.FromTargets(0.5, 0.1, 1000, 100, 1.0, 2);
        Assert.True(wide.EpochCount > int.MaxValue);
        var k = Assert.Throws<InvalidOperationException>(() => wide.MaxEpochs);
        Assert.Contains($"The theory schedule needs K = {wide.EpochCount} epochs, more than Int32.MaxValue.", k.Message, StringComparison.Ordinal);

        // T = 1, ε = 1e-9: g = ε/32, so n = ⌈log2(32KT/δ)/g⌉ is about 32·30/1e-9 ≈ 1e12 > Int32.MaxValue, K small.
        var fine = TheorySchedule.FromTargets(1e-9, 0.1, 1, 1, 1.0, 2);
        Assert.True(fine.EpochCount <= int.MaxValue);
        Assert.True(fine.ValidationSampleCount > int.MaxValue);
        var n = Assert.Throws<InvalidOperationException>(() => fine.ValidationSamples);
        Assert.Contains($"The theory schedule needs n = {fine.ValidationSampleCount} validation samples, more than Int32.MaxValue.", n.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_theory_count_beyond_64_bits_is_an_overflow_naming_it()
    {
        // ε = 1e-200, T = 1: g = ε/32 and n ≈ 32·log2(32K/δ)/ε ≈ 1e204, far above the 9.2e18 limit of a 64-bit count.
        var e = Assert.Throws<OverflowException>(() => TheorySchedule.FromTargets(1e-200, 0.1, 1, 1, 1.0, 2));
        Assert.Contains("The theory schedule's n = ", e.Message, StringComparison.Ordinal);
        Assert.Contains("does not fit in a 64-bit integer.", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Theory_spanner_sample_count_rejects_an_empty_extended_set()
    {
        var theory = TheorySchedule.FromTargets(0.5, 0.1, 4, 1, 1.0, 2);
        Assert.Equal("extendedFutureSize", Assert.Throws<ArgumentOutOfRangeException>(() => theory.SpannerSampleCount(0)).ParamName);
        Assert.True(theory.SpannerSampleCount(1) >= 1);
    }
}
