using LogitRank.Analysis;

namespace LogitRank.Tests.Analysis;

/// <summary>
/// The noise-floor estimator of the adaptive schedule (proofs-notes/adaptive-schedule.md, A1): on a rank-d signal plus
/// i.i.d. noise it recovers the noise RMS and the rank d; on an exactly low-rank matrix it reports (almost) no noise; it
/// says when it cannot measure; bad input gets typed errors.
/// </summary>
public partial class NoiseFloorTests
{
    /// <summary>An <c>n×m</c> matrix: a rank-<paramref name="d"/> signal of entry size ~<paramref name="signal"/>, plus uniform ±<paramref name="epsilon"/> noise (RMS ε/√3).</summary>
    private static double[][] Matrix(int n, int m, int d, double signal, double epsilon, int seed)
    {
        var random = new Random(seed);
        var left = new double[n, d];
        var right = new double[d, m];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < d; j++)
            {
                left[i, j] = (2 * random.NextDouble()) - 1;
            }
        }

        for (var j = 0; j < d; j++)
        {
            for (var c = 0; c < m; c++)
            {
                right[j, c] = signal * ((2 * random.NextDouble()) - 1);
            }
        }

        var rows = new double[n][];
        for (var i = 0; i < n; i++)
        {
            rows[i] = new double[m];
            for (var c = 0; c < m; c++)
            {
                var v = 0.0;
                for (var j = 0; j < d; j++)
                {
                    v += left[i, j] * right[j, c];
                }

                rows[i][c] = v + (epsilon * ((2 * random.NextDouble()) - 1));
            }
        }

        return rows;
    }

    [Theory]
    [InlineData(64, 40, 3, 0.05, 1)]
    [InlineData(128, 80, 4, 0.01, 2)]
    [InlineData(32, 120, 2, 0.2, 3)]
    public void Recovers_the_noise_rms_and_the_signal_rank(int n, int m, int d, double epsilon, int seed)
    {
        var estimate = NoiseFloor.Estimate(Matrix(n, m, d, 3.0, epsilon, seed), m);
        var truth = epsilon / Math.Sqrt(3);

        // ±15%: the research grid measured ±10% on 107/108 cases of the learner's rows (bench/reports/approx-regime-research.md,
        // section 1); the extra 5% covers the sampling spread of a single matrix of this size (the tail has >= 28·36 entries).
        Assert.True(Math.Abs(estimate.Nu / truth - 1) <= 0.15, $"ν̂ = {estimate.Nu}, true RMS {truth}");
        Assert.Equal(d, estimate.Rank);
        Assert.True(estimate.Valid);
        Assert.True(estimate.KneeRatio >= 1.5, $"knee ratio {estimate.KneeRatio} at a signal/noise gap of ~{3.0 / epsilon}");
    }

    [Fact]
    public void An_exactly_low_rank_matrix_has_a_floor_at_rounding_level_and_its_rank()
    {
        var estimate = NoiseFloor.Estimate(Matrix(48, 30, 3, 3.0, 0.0, 4), 30);

        // Entries of size ~10: rounding is ~1e-15 relative; 1e-12 absolute leaves three orders of magnitude of room.
        Assert.True(estimate.Nu <= 1e-12, $"ν̂ = {estimate.Nu}");
        Assert.Equal(3, estimate.Rank);
        Assert.True(estimate.KneeRatio > 1e6, $"knee ratio {estimate.KneeRatio}");
    }

    [Fact]
    public void Too_few_rows_are_not_a_valid_measurement()
    {
        var estimate = NoiseFloor.Estimate(Matrix(NoiseFloor.MinimumRows - 1, 30, 2, 3.0, 0.05, 6), 30);
        Assert.False(estimate.Valid);
    }

    [Fact]
    public void A_zero_matrix_has_no_floor_and_no_rank()
    {
        var estimate = NoiseFloor.Estimate([new double[5], new double[5]], 5);
        Assert.Equal(0.0, estimate.Nu);
        Assert.Equal(0, estimate.Rank);
        Assert.False(estimate.Valid);
        Assert.Equal(1.0, estimate.KneeRatio);
    }

    [Fact]
    public void Bad_input_is_rejected_with_the_value_named()
    {
        Assert.Throws<ArgumentNullException>(() => NoiseFloor.Estimate(null!, 1));
        var empty = Assert.Throws<ArgumentException>(() => NoiseFloor.Estimate([], 1));
        Assert.Contains("at least one row", empty.Message, StringComparison.Ordinal);
        var ragged = Assert.Throws<ArgumentException>(() => NoiseFloor.Estimate([[1.0, 2.0], [1.0]], 2));
        Assert.Contains("Row 1 has length 1", ragged.Message, StringComparison.Ordinal);
        var nan = Assert.Throws<ArgumentException>(() => NoiseFloor.Estimate([[1.0, double.NaN]], 2));
        Assert.Contains("NaN", nan.Message, StringComparison.Ordinal);
        var columns = Assert.Throws<ArgumentOutOfRangeException>(() => NoiseFloor.Estimate([[1.0, 2.0]], 3));
        Assert.Contains("(0, m = 2]", columns.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_marchenko_pastur_median_is_one_for_a_vanishing_aspect_ratio_and_known_at_one()
    {
        // β → 0: the law concentrates at 1. β = 1: density √((4−x)x)/(2πx) on [0, 4], median 0.6535 (computed independently
        // by the midpoint rule on 2·10^6 cells); the estimator's 20,000 cells are accurate to well within 0.005.
        Assert.Equal(1.0, NoiseFloor.MarchenkoPasturMedian(1e-6), 2);
        Assert.Equal(0.6535, NoiseFloor.MarchenkoPasturMedian(1.0), 2);
    }
}
