using LogitRank.Analysis;

namespace LogitRank.Tests.Analysis;

/// <summary>
/// <see cref="NoiseFloor.Estimate(double[], int, int, double)"/> on singular values small enough to follow by hand: the
/// result is a fixed point <c>r̂ = #{σ_j &gt; 1.2·ν̂(r̂)·√(m/m_eff)·(√N' + √m_eff)}</c> with
/// <c>ν̂(r) = √( Σ_{j&gt;r} σ_j² / ((N'−r)(m_eff−r)) · m_eff/m )</c>, reached in at most 4 steps; validity needs
/// <c>N' &gt;= 8</c> and <c>min(N', ⌊m_eff⌋) − r̂ &gt;= 4</c>; no or zero values say nothing. Also the bad arguments of the
/// row overload at their edges, and the Marchenko–Pastur median between the two known points.
/// </summary>
public partial class NoiseFloorTests
{
    /// <summary>
    /// One value is all noise: no gap can be compared, the edge 1.2·ν̂·2 lies above σ_1, so r̂ = 0 and
    /// ν̂(0) = √(σ_1²/(1·1)) = σ_1 (exact: 3² and its root are exact).
    /// </summary>
    [Fact]
    public void A_single_value_is_all_noise_and_the_floor_is_that_value()
    {
        var estimate = NoiseFloor.Estimate([3.0], 1, 1, 1);
        Assert.Equal(3.0, estimate.Nu);
        Assert.Equal(0, estimate.Rank);
        Assert.False(estimate.Valid);
    }

    /// <summary>
    /// Two values 2 and 1 of a 2×2 matrix: the edge 1.2·ν̂·(√2 + √2) lies above 2 for any ν̂ near the entries' RMS, so
    /// r̂ = 0 and ν̂(0) = √((4 + 1)/(2·2)) = √1.25, the RMS of the entries (to one rounding: 1e-15 relative).
    /// </summary>
    [Fact]
    public void Two_values_without_signal_give_the_rms_of_the_entries()
    {
        var estimate = NoiseFloor.Estimate([2.0, 1.0], 2, 2, 2);
        Assert.Equal(0, estimate.Rank);
        Assert.True(Math.Abs((estimate.Nu / Math.Sqrt(1.25)) - 1) <= 1e-15, $"ν̂ = {estimate.Nu}");
    }

    /// <summary>
    /// A 16×16 matrix with σ = (100, 100, 1 ×14): the gap after σ_2 starts ν̂ at ν̂(2) = √(14/(14·14)) = 1/√14; the edge
    /// 1.2·(1/√14)·(4 + 4) ≈ 2.57 keeps exactly the two large values, a fixed point. 14 values remain: valid. Knee 100.
    /// Tolerance 1e-14 relative: a sum of 14 ones and a few roundings.
    /// </summary>
    [Fact]
    public void A_flat_tail_under_two_large_values_gives_rank_two_and_the_tail_rms()
    {
        double[] sigma = [100, 100, .. Enumerable.Repeat(1.0, 14)];
        var estimate = NoiseFloor.Estimate(sigma, 16, 16, 16);
        Assert.Equal(2, estimate.Rank);
        Assert.True(Math.Abs((estimate.Nu * Math.Sqrt(14)) - 1) <= 1e-14, $"ν̂ = {estimate.Nu}");
        Assert.True(estimate.Valid);
        Assert.Equal(100.0, estimate.KneeRatio);
    }

    /// <summary>
    /// σ = (100, 3, 2.9, 1 ×13) on 16×16 needs two steps: the Marchenko–Pastur start ν̂₀ = median/√(16·0.6535) ≈ 0.309
    /// (below the gap estimate ν̂(1)) puts the edge at 1.2·ν̂₀·8 ≈ 2.97, just under σ_2 = 3: r = 2; ν̂(2) = √(21.41/196)
    /// ≈ 0.331 moves it to ≈ 3.17: r = 1; ν̂(1) = √(30.41/225) ≈ 0.3676 (edge ≈ 3.53) is the fixed point. Stopping after
    /// the first step would report r̂ = 2. Tolerance 1e-14 relative (a sum of 15 squares).
    /// </summary>
    [Fact]
    public void The_iteration_goes_on_until_the_rank_and_the_floor_agree()
    {
        double[] sigma = [100, 3, 2.9, .. Enumerable.Repeat(1.0, 13)];
        var estimate = NoiseFloor.Estimate(sigma, 16, 16, 16);
        Assert.Equal(1, estimate.Rank);
        Assert.True(Math.Abs((estimate.Nu / Math.Sqrt(((3.0 * 3.0) + (2.9 * 2.9) + 13) / 225)) - 1) <= 1e-14, $"ν̂ = {estimate.Nu}");
    }

    /// <summary>
    /// Validity at its edges on 8×8 matrices: σ = (100 ×4, 1 ×4) has r̂ = 4 (the gap after σ_4 starts at ν̂(4) = 1/2, edge
    /// 1.2·0.5·(√8 + √8) ≈ 3.4) and leaves exactly 4 values with exactly 8 rows: valid. With m_eff = 5 (of m = 8),
    /// σ = (100, 100, 1 ×6) has r̂ = 2 (ν̂(2) = √(6/(6·3)·5/8), edge ≈ 3.5) and only min(8, 5) − 2 = 3 values after it:
    /// not valid.
    /// </summary>
    [Fact]
    public void Validity_needs_eight_rows_and_four_values_after_the_rank()
    {
        var edge = NoiseFloor.Estimate([100, 100, 100, 100, 1, 1, 1, 1], 8, 8, 8);
        Assert.Equal(4, edge.Rank);
        Assert.Equal(0.5, edge.Nu, 14);
        Assert.True(edge.Valid);

        var fewAfter = NoiseFloor.Estimate([100, 100, 1, 1, 1, 1, 1, 1], 8, 8, 5);
        Assert.Equal(2, fewAfter.Rank);
        Assert.Equal(Math.Sqrt(6.0 / 18 * 5 / 8), fewAfter.Nu, 14);
        Assert.False(fewAfter.Valid);
    }

    /// <summary>No values, or a zero largest value, say nothing (ν̂ = 0, r̂ = 0, not valid) whatever the row count.</summary>
    [Fact]
    public void No_values_or_zero_values_are_not_a_measurement()
    {
        foreach (var sigma in new[] { Array.Empty<double>(), new double[8] })
        {
            var estimate = NoiseFloor.Estimate(sigma, 8, 8, 8);
            Assert.Equal((0.0, 0, false), (estimate.Nu, estimate.Rank, estimate.Valid));
        }
    }

    /// <summary>
    /// An effective column count of 0 is outside <c>(0, m]</c> and is named; a non-finite entry is named by its position
    /// under <c>rows</c>.
    /// </summary>
    [Fact]
    public void Zero_effective_columns_and_a_non_finite_entry_are_rejected_by_name()
    {
        var columns = Assert.Throws<ArgumentOutOfRangeException>(() => NoiseFloor.Estimate([[1.0, 2.0]], 0));
        Assert.Equal("effectiveColumns", columns.ParamName);
        Assert.Contains("(0, m = 2]", columns.Message, StringComparison.Ordinal);

        var infinite = Assert.Throws<ArgumentException>(() => NoiseFloor.Estimate([[1.0, 2.0], [3.0, double.PositiveInfinity]], 2));
        Assert.Equal("rows", infinite.ParamName);
        Assert.Contains("Entry (1, 1) is ", infinite.Message, StringComparison.Ordinal);
        Assert.Contains("expected a finite number", infinite.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// Between the known ends, the median of the Marchenko–Pastur law: 0.9160 at β = 1/4 and 0.8305 at β = 1/2 (computed
    /// independently by Simpson's rule on the density √((b−x)(x−a))/(2πβx) in x on 2·10^6 cells). The estimator's
    /// 20,000 angle cells are each at most (b − a)/2·π/20,000 ≈ 1.6e-4 wide in x: 1e-3 leaves room.
    /// </summary>
    [Theory]
    [InlineData(0.25, 0.9160)]
    [InlineData(0.5, 0.8305)]
    public void The_marchenko_pastur_median_matches_an_independent_integration(double beta, double median)
    {
        Assert.True(Math.Abs(NoiseFloor.MarchenkoPasturMedian(beta) - median) <= 1e-3, $"median at β = {beta}: {NoiseFloor.MarchenkoPasturMedian(beta)}");
    }

    /// <summary>
    /// When two ranks are self-consistent the start decides, and the start is the lower of the two floor estimates.
    /// σ = (100, 3.2, 2.9, 1 ×13) on 16×16: r = 1 (ν̂(1) = √(31.65/225) ≈ 0.375, edge ≈ 3.60 above σ_2) and r = 2
    /// (ν̂(2) = √(21.41/196) ≈ 0.3305, edge ≈ 3.17 between σ_3 and σ_2) are both fixed points. The Marchenko–Pastur start
    /// median/√(16·0.6535) ≈ 0.309 is below the gap start ν̂(1), puts the edge at ≈ 2.97 and leads to r̂ = 2.
    /// Tolerance 1e-14 relative (a sum of 14 squares).
    /// </summary>
    [Fact]
    public void Of_two_self_consistent_ranks_the_one_reached_from_the_lower_start_is_reported()
    {
        double[] sigma = [100, 3.2, 2.9, .. Enumerable.Repeat(1.0, 13)];
        var estimate = NoiseFloor.Estimate(sigma, 16, 16, 16);
        Assert.Equal(2, estimate.Rank);
        Assert.True(Math.Abs((estimate.Nu / Math.Sqrt(((2.9 * 2.9) + 13) / 196)) - 1) <= 1e-14, $"ν̂ = {estimate.Nu}");
    }

    /// <summary>
    /// The gap that starts the iteration is looked for among <c>j &lt;= min(N', m_eff)/2</c> only: σ = (10, 1 ×14, 1e-6)
    /// on 16×16 has its deepest log-gap at j = 15, which would start ν̂ at ν̂(15) = 1e-6 and report r̂ = 15; from the gap
    /// at j = 1, ν̂(1) = √((14 + 1e-12)/225) puts the edge at ≈ 2.39: r̂ = 1, a fixed point. Tolerance 1e-12 relative.
    /// </summary>
    [Fact]
    public void A_drop_in_the_second_half_of_the_spectrum_does_not_start_the_iteration()
    {
        double[] sigma = [10, .. Enumerable.Repeat(1.0, 14), 1e-6];
        var estimate = NoiseFloor.Estimate(sigma, 16, 16, 16);
        Assert.Equal(1, estimate.Rank);
        Assert.True(Math.Abs((estimate.Nu / Math.Sqrt(14.0 / 225)) - 1) <= 1e-12, $"ν̂ = {estimate.Nu}");
    }
}
