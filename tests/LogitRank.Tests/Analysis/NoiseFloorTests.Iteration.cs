using LogitRank.Analysis;

namespace LogitRank.Tests.Analysis;

/// <summary>
/// The parts of <see cref="NoiseFloor.Estimate(double[], int, int, double)"/> that only show when the shape is not square
/// or the iteration is not trivial, on spectra small enough to follow by hand: the Marchenko–Pastur start for
/// <c>N' ≠ m_eff ≠ m</c> (aspect ratio <c>min/max</c>, the median of the first <c>min(N', m_eff)</c> values, the factor
/// <c>√(m_eff/m)</c>); the gap searched in the first half of <c>min(N', m_eff)</c> values; the rounding guard
/// <c>σ_j &lt;= max(N', m)·ε_mach·σ_1</c> (proofs-notes/adaptive-schedule.md, A1); the cap of 4 steps; the 0.1% stop,
/// relative to <c>ν̂</c>, reporting the floor <c>ν̂(r̂)</c> of the reported rank; and the Marchenko–Pastur median to the
/// resolution of its angle cells. In the shapes with <c>N' = 48</c>, <c>m = 16</c>, <c>m_eff = 12</c> the edge factor is
/// <c>1.2·√(m/m_eff)·(√N' + √m_eff) = 1.2·(2/√3)·(4√3 + 2√3) = 14.4</c> exactly, and the last 4 of the 16 values are
/// 0, as for rows whose noise lives in 12 dimensions.
/// </summary>
public partial class NoiseFloorTests
{
    /// <summary><c>ν̂(r)</c> of the class summary, evaluated from a sum of squares written out by hand in each test.</summary>
    private static double Floor(double tailSumOfSquares, int n, double m, double effectiveColumns, int r) =>
        Math.Sqrt(tailSumOfSquares / ((n - r) * (effectiveColumns - r)) * effectiveColumns / m);

    private static void AssertRelative(double expected, double actual, double tolerance) =>
        Assert.True(Math.Abs((actual / expected) - 1) <= tolerance, $"ν̂ = {actual:R}, expected {expected:R} (relative tolerance {tolerance})");

    /// <summary>
    /// N' = 48, m = 16, m_eff = 12, σ = (100, 2.3, 1.75, 1.3 ×3, 1 ×6, 0 ×4). Ranks 1 and 2 are both self-consistent:
    /// ν̂(1) = √(19.4225/(47·11)·3/4) ≈ 0.1679 puts the edge at ≈ 2.417, above σ_2 = 2.3; ν̂(2) = √(14.1325/(46·10)·3/4)
    /// ≈ 0.1518 puts it at ≈ 2.186, between σ_3 and σ_2. The start decides: the Marchenko–Pastur start is the median of
    /// the 12 measured values, (1 + 1.3)/2 = 1.15, over √(N'·0.9160) (the median of the law at β = 12/48 = 1/4), times
    /// √(12/16): ≈ 0.1502, below ν̂(1); its edge ≈ 2.163 gives r = 2, a fixed point. A start more than 6.3% higher
    /// (edge above 2.3) ends at r̂ = 1: the upper middle value 1.3 instead of the mean of the two middle ones (+13%),
    /// β = 1 instead of 1/4 (+18%), dividing by √(m_eff/m) instead of multiplying (+33%), or 12 in place of
    /// max(N', m_eff) = 48 (+137%).
    /// The nearest value is 5% from each edge, far beyond the 1e-3 accuracy of the median (tested elsewhere).
    /// Tolerance 1e-14 relative: a sum of 9 squares and a few roundings.
    /// </summary>
    [Fact]
    public void The_marchenko_pastur_start_uses_the_aspect_ratio_the_median_of_the_measured_values_and_the_effective_columns()
    {
        double[] sigma = [100, 2.3, 1.75, 1.3, 1.3, 1.3, .. Enumerable.Repeat(1.0, 6), 0, 0, 0, 0];
        var estimate = NoiseFloor.Estimate(sigma, 48, 16, 12);
        Assert.Equal(2, estimate.Rank);
        AssertRelative(Floor((1.75 * 1.75) + (3 * 1.3 * 1.3) + 6, 48, 16, 12, 2), estimate.Nu, 1e-14);
        Assert.True(estimate.Valid);
    }

    /// <summary>
    /// N' = 48, m = 16, m_eff = 12, σ = (10, 1 ×6, 10^-3 ×5, 0 ×4): the gap that starts the iteration is looked for among
    /// j &lt;= min(N', m_eff)/2 = 6 only, where the largest is ln 10 at j = 1. The drop from σ_7 = 1 to σ_8 = 10^-3
    /// (ln 1000, three times deeper) lies among the 12 measured values but beyond their first half; searched (as half of
    /// all 16 values would), it would start ν̂ at ν̂(7) ≈ 1.4e-4 and report r̂ = 7. From the gap at j = 1,
    /// ν̂(1) = √((6 + 5·10^-6)/(47·11)·3/4) ≈ 0.0933 (below the Marchenko–Pastur start 1/√(48·0.916)·√(3/4) ≈ 0.131) puts
    /// the edge at 14.4·ν̂(1) ≈ 1.34, above σ_2 = 1: r̂ = 1, a fixed point. Tolerance 1e-14 relative.
    /// </summary>
    [Fact]
    public void The_starting_gap_is_searched_in_the_first_half_of_min_rows_and_effective_columns_not_of_all_values()
    {
        double[] sigma = [10, .. Enumerable.Repeat(1.0, 6), .. Enumerable.Repeat(1e-3, 5), 0, 0, 0, 0];
        var estimate = NoiseFloor.Estimate(sigma, 48, 16, 12);
        Assert.Equal(1, estimate.Rank);
        AssertRelative(Floor(6 + (5 * 1e-6), 48, 16, 12, 1), estimate.Nu, 1e-14);
    }

    /// <summary>
    /// Values at the rounding level <c>max(N', m)·ε_mach·σ_1</c> are never signal, whatever the noise edge says
    /// (proofs-notes/adaptive-schedule.md, A1: values <c>&lt;=</c> that level). N' = 1024, m = m_eff = 16,
    /// σ = (1, 2^-42 ×4, 10^-17 ×11): the level is 1024·2^-52·1 = 2^-42 exactly, so the four values sit exactly on it.
    /// The noise edge alone would count them: ν̂(1) = √((4·2^-84 + 11·10^-34)/(1023·15)) ≈ 0.016·2^-42 puts it at
    /// 1.2·ν̂(1)·(√1024 + 4) ≈ 0.70·2^-42. So r̂ = 1 (not 5, which the level min(N', m)·ε·σ_1 = 2^-48 or a strict
    /// inequality would give) and ν̂ = ν̂(1). Tolerance 1e-14 relative.
    /// </summary>
    [Fact]
    public void Values_at_the_rounding_level_of_the_larger_side_are_never_signal()
    {
        var level = Math.ScaleB(1.0, -42);
        double[] sigma = [1, level, level, level, level, .. Enumerable.Repeat(1e-17, 11)];
        var estimate = NoiseFloor.Estimate(sigma, 1024, 16, 16);
        Assert.Equal(1, estimate.Rank);
        AssertRelative(Floor((4 * level * level) + (11 * 1e-34), 1024, 16, 16, 1), estimate.Nu, 1e-14);
    }

    /// <summary>
    /// The iteration runs at most 4 times. 16×16, σ = (100, 4.9, 4.3, 3.7, 3.2, 2.3, 1 ×10), edge = 9.6·ν̂: the
    /// Marchenko–Pastur start 1/√(16·0.6535) ≈ 0.309 (below ν̂(1) ≈ 0.603) has its edge at ≈ 2.97: r = 5; then
    /// ν̂(5) ≈ 0.355 (edge ≈ 3.41): r = 4; ν̂(4) ≈ 0.421 (edge ≈ 4.04): r = 3; ν̂(3) ≈ 0.482 (edge ≈ 4.62): r = 2, and
    /// ν̂ = ν̂(2) = √(57.71/196) ≈ 0.543 after the 4th step. Its edge ≈ 5.21 lies above σ_2 = 4.9, so a 5th step would move
    /// on to r = 1: the cap, not a fixed point, ends the iteration. Every value is at least 5% from every edge.
    /// Tolerance 1e-14 relative.
    /// </summary>
    [Fact]
    public void The_iteration_stops_after_four_steps_even_short_of_a_fixed_point()
    {
        double[] sigma = [100, 4.9, 4.3, 3.7, 3.2, 2.3, .. Enumerable.Repeat(1.0, 10)];
        var estimate = NoiseFloor.Estimate(sigma, 16, 16, 16);
        Assert.Equal(2, estimate.Rank);
        AssertRelative(Floor((4.3 * 4.3) + (3.7 * 3.7) + (3.2 * 3.2) + (2.3 * 2.3) + 10, 16, 16, 16, 2), estimate.Nu, 1e-14);
    }

    /// <summary>
    /// When ν̂ moves by less than 0.1% the iteration stops, and the floor reported is the new one, ν̂(r̂) of the rank r̂
    /// reported. N' = 24, m = m_eff = 16, σ = (1.29, 1 ×15): the only log-gap is at j = 1, ν̂(1) = √(15/(23·15)) = √(1/23)
    /// (below the Marchenko–Pastur start, which lies between 1/√(24·0.8305) and 1/√(24·0.6535), the medians at β = 1/2
    /// and 1); its edge 1.2·ν̂(1)·(√24 + 4) ≈ 2.227 lies above 1.29: r = 0, and ν̂(0) = √((1.29² + 15)/(24·16)) is
    /// √(16.6641·23/384) ≈ 0.99905 times ν̂(1), a move of 0.095%. Reported: r̂ = 0 and ν̂(0), not the ν̂(1) it moved from
    /// (0.095% away: the tolerance 1e-14 relative separates them).
    /// </summary>
    [Fact]
    public void A_last_move_below_a_tenth_of_a_percent_still_reports_the_floor_of_the_reported_rank()
    {
        double[] sigma = [1.29, .. Enumerable.Repeat(1.0, 15)];
        var estimate = NoiseFloor.Estimate(sigma, 24, 16, 16);
        Assert.Equal(0, estimate.Rank);
        AssertRelative(Floor((1.29 * 1.29) + 15, 24, 16, 16, 0), estimate.Nu, 1e-14);
    }

    /// <summary>
    /// A move below 0.1% ends the iteration without counting again: the rank reported is the one counted at the previous
    /// ν̂. 16×16, σ = (100, 2.9713, 2.405, 1 ×13), edge = 9.6·ν̂: the Marchenko–Pastur start 1/√(16·median at β = 1) is
    /// 0.30940 to 0.30946 for a median anywhere within 1.2e-4 of 0.652776
    /// (<see cref="The_marchenko_pastur_median_at_aspect_ratio_one_is_within_half_an_angle_cell"/>), below the gap start
    /// ν̂(1) ≈ 0.350; its edge, 2.9702 to 2.9708, lies just below σ_2 = 2.9713: r = 2. Then ν̂(2) = √((2.405² + 13)/196)
    /// ≈ 0.309575 is 0.039% to 0.057% above the start: the iteration stops with r̂ = 2 and ν̂ = ν̂(2), although the edge at
    /// ν̂(2), ≈ 2.97192, now lies above σ_2 (so another count would give r = 1 and ν̂(1)). σ_2 is at least 0.017% from either edge
    /// over the median's window. Tolerance 1e-14 relative (14 squares).
    /// </summary>
    [Fact]
    public void A_move_below_a_tenth_of_a_percent_ends_the_iteration_without_counting_again()
    {
        double[] sigma = [100, 2.9713, 2.405, .. Enumerable.Repeat(1.0, 13)];
        var estimate = NoiseFloor.Estimate(sigma, 16, 16, 16);
        Assert.Equal(2, estimate.Rank);
        AssertRelative(Floor((2.405 * 2.405) + 13, 16, 16, 16, 2), estimate.Nu, 1e-14);
    }

    /// <summary>
    /// The 0.1% stop is relative to ν̂, so the estimate is homogeneous: σ = 2^-7·(100, 3, 2.9, 1 ×13) on 16×16 goes through
    /// the same two steps as the unscaled spectrum (<see cref="The_iteration_goes_on_until_the_rank_and_the_floor_agree"/>:
    /// r = 2 from the start, then r = 1) and ends at r̂ = 1 with ν̂ = 2^-7·√((3² + 2.9² + 13)/225). A stop on an absolute
    /// move, or one that grows as ν̂ shrinks, would end after the first step at r = 2 (that move is ≈ 2e-4 here).
    /// Tolerance 1e-14 relative (scaling by a power of two is exact).
    /// </summary>
    [Fact]
    public void A_spectrum_scaled_by_a_power_of_two_gives_the_same_rank_and_the_scaled_floor()
    {
        var scale = Math.ScaleB(1.0, -7);
        double[] unscaled = [100, 3, 2.9, .. Enumerable.Repeat(1.0, 13)];
        double[] sigma = [.. unscaled.Select(v => v * scale)];
        var estimate = NoiseFloor.Estimate(sigma, 16, 16, 16);
        Assert.Equal(1, estimate.Rank);
        AssertRelative(scale * Math.Sqrt(((3.0 * 3.0) + (2.9 * 2.9) + 13) / 225), estimate.Nu, 1e-14);
    }

    /// <summary>
    /// At β = 1 the median of the Marchenko–Pastur law (density √((4−x)x)/(2πx) on [0, 4]) is 0.6527759 in closed form:
    /// with x = 4 sin²u the cumulative is (2/π)(u + sin u cos u), which is 1/2 where u + sin u cos u = π/4 (solved by
    /// bisection). The estimator returns the midpoint of the angle cell in which its cumulative reaches 1/2: with 20,000 cells
    /// of width π/20,000 in φ, x = 2(1 − cos φ) there moves by 2·sin φ·π/20,000 ≈ 2.3e-4 per cell, so the midpoint is within
    /// half a cell, 1.2e-4, of the median (the cumulative's own quadrature error, ~1e-8, is far smaller). Returning the
    /// neighbouring cell (3e-4 off) fails.
    /// </summary>
    [Fact]
    public void The_marchenko_pastur_median_at_aspect_ratio_one_is_within_half_an_angle_cell()
    {
        var median = NoiseFloor.MarchenkoPasturMedian(1.0);
        Assert.True(Math.Abs(median - 0.652776) <= 1.2e-4, $"median at β = 1: {median:R}");
    }
}
