using LogitRank.Numerics;

namespace LogitRank.Tests.Numerics;

/// <summary>
/// The exchange phase of <see cref="BarycentricSpanner.Select"/> at its
/// documented edges: the swap cap's closed form, the stop at the cap with
/// <see cref="SpannerResult.StoppedEarly"/>, an exchange only for a coefficient strictly above <c>β</c>, the
/// row-major tie-break of the largest coefficient, and the greedy residual norms the cap is built from. The inputs are
/// built from small dyadic numbers on the coordinate axes, so the Gram–Schmidt basis is the identity, the coordinates
/// are the rows themselves and every coefficient is computed exactly.
/// </summary>
public partial class BarycentricSpannerTests
{
    /// <summary>
    /// Rows (8, 0), (7, 1), (5, -1): the greedy start takes (8, 0) (largest norm), then (7, 1) (its residual (0, 1)
    /// ties with the residual (0, -1) of (5, -1); ties go to the smaller index). Row 2 is then 1.5·(8, 0) - 1·(7, 1).
    /// </summary>
    private static readonly double[][] Rows = [[8.0, 0.0], [7.0, 1.0], [5.0, -1.0]];

    [Fact]
    public void Swap_cap_is_the_determinant_bound_plus_2d_plus_16()
    {
        // max ||z_i|| = 4. ρ = 4 contributes log2(1) = 0, ρ = 0.5 contributes log2(8) = 3: 3 + 2·2 + 16 = 23.
        double[][] z = [[4.0, 0.0], [0.0, 2.0], [1.0, 1.0]];
        Assert.Equal(23, BarycentricSpanner.SwapCap(z, [4.0, 0.5], beta: 2.0));

        // A fractional bound is rounded up: log2(4/3) = 0.415 -> 1, plus 2·1 + 16.
        Assert.Equal(19, BarycentricSpanner.SwapCap(z, [3.0], beta: 2.0));

        // β = 4 halves the logarithms: log4(8) = 1.5 -> 2, plus 2·2 + 16.
        Assert.Equal(22, BarycentricSpanner.SwapCap(z, [4.0, 0.5], beta: 4.0));

        // A rounding ρ above the largest norm contributes 0, not a negative number of swaps.
        Assert.Equal(18, BarycentricSpanner.SwapCap(z, [8.0], beta: 2.0));

        // A bound beyond int range is clamped before the 2d + 16 is added (no overflow, no negative cap).
        Assert.Equal((int.MaxValue / 2) + 18, BarycentricSpanner.SwapCap([[1e300]], [1e-300], beta: 1.0000001));
    }

    [Fact]
    public void Greedy_residual_norms_are_the_Gram_Schmidt_residuals_in_selection_order()
    {
        // (6, 0) has the largest norm 6; against it, (3, 4) keeps the residual (0, 4) (norm 4, not its norm 5) and
        // (0, 3) the residual (0, 3), so (3, 4) comes second with ρ = 4.
        double[][] rows = [[6.0, 0.0], [3.0, 4.0], [0.0, 3.0]];
        var (selected, basis, residualNorms) = BarycentricSpanner.GreedyIndependentSet(rows, 2, 1e-9);
        Assert.Equal([0, 1], selected);
        Assert.Equal(2, basis.Count);
        Assert.Equal([6.0, 4.0], residualNorms);
        Assert.Equal(0.0, (basis[0][0] * basis[1][0]) + (basis[0][1] * basis[1][1]), 1e-15);
    }

    [Fact]
    public void A_coefficient_exactly_at_beta_needs_no_exchange()
    {
        var result = BarycentricSpanner.Select(Rows, beta: 1.5);
        Assert.Equal(1.5, result.Coefficients[2][0]); // exact: (5 + 7)/8
        Assert.Equal(-1.0, result.Coefficients[2][1]);
        Assert.Equal([0, 1], result.Selected);
        Assert.Equal(0, result.Swaps);
        Assert.Equal(1.5, result.MaxCoefficient);
        Assert.False(result.StoppedEarly);
    }

    [Fact]
    public void Equal_largest_coefficients_exchange_the_first_row_in_row_major_order()
    {
        // Rows 2 and 3 are equal, so both have the coefficient 1.5 > β = 1.25 at position 0: row 2 (the smaller
        // index) is swapped in. After that swap, (8, 0) = (2/3)(5, -1) + (2/3)(7, 1) and row 3 is row 2: no more swaps.
        double[][] rows = [.. Rows, [5.0, -1.0]];
        var result = BarycentricSpanner.Select(rows, beta: 1.25);
        Assert.Equal([2, 1], result.Selected);
        Assert.Equal(1, result.Swaps);
        Assert.False(result.StoppedEarly);
        Assert.Equal(2.0 / 3.0, result.Coefficients[0][0], 1e-15);
        Assert.Equal(2.0 / 3.0, result.Coefficients[0][1], 1e-15);
    }

    [Fact]
    public void Reaching_the_swap_cap_stops_early_and_reports_it()
    {
        var capped = BarycentricSpanner.SelectWithCap(Rows, 1.25, 1e-9, swapCapOverride: 0);
        Assert.True(capped.StoppedEarly);
        Assert.Equal(0, capped.Swaps);
        Assert.Equal([0, 1], capped.Selected);
        Assert.Equal(1.5, capped.MaxCoefficient); // above β: allowed only because the result says it stopped early

        var free = BarycentricSpanner.SelectWithCap(Rows, 1.25, 1e-9, swapCapOverride: null);
        Assert.False(free.StoppedEarly);
        Assert.Equal(1, free.Swaps);
        Assert.True(free.MaxCoefficient <= 1.25, $"max coefficient {free.MaxCoefficient}");
    }

    /// <summary>
    /// The defensive exit of the exchange loop: when the solve after an exchange reports the new selection singular, the
    /// previous selection and its coefficients are kept, no swap is counted, the result says it stopped early, and the
    /// loop ends (it does not try the same exchange again). The solve is replaced through the internal test seam, and it
    /// throws on a second call, so a loop that went on would fail here rather than hang.
    /// </summary>
    [Fact]
    public void A_singular_exchange_keeps_the_previous_selection_and_stops()
    {
        var calls = 0;
        var result = BarycentricSpanner.SelectWithCap(Rows, 1.25, 1e-9, swapCapOverride: null, exchangeSolve: (_, selected) =>
        {
            Assert.Equal(1, ++calls);
            Assert.Equal([2, 1], selected); // the exchange the free run makes first (row 2 in for row 0)
            return null;
        });

        var capped = BarycentricSpanner.SelectWithCap(Rows, 1.25, 1e-9, swapCapOverride: 0);
        Assert.Equal(1, calls);
        Assert.True(result.StoppedEarly);
        Assert.Equal(0, result.Swaps);
        Assert.Equal(capped.Selected, result.Selected);
        Assert.Equal(capped.Coefficients, result.Coefficients);
        Assert.Equal(1.5, result.MaxCoefficient);
    }

    /// <summary>
    /// The solve of <c>S^T c_i = z_i</c> reports a numerically singular selection as <see langword="null"/> (the
    /// exchange loop then keeps the previous selection and stops early): here the two selected coordinate vectors
    /// (1, 0) and (2, 0) are parallel, so the second LU pivot is exactly 0. The control selection of (1, 0) and (0, 1)
    /// is regular and gives the exact coefficients of each row, (2, 0) for the row (2, 0).
    /// </summary>
    [Fact]
    public void A_singular_selection_has_no_coefficients()
    {
        double[][] z = [[1.0, 0.0], [2.0, 0.0], [0.0, 1.0]];
        Assert.Null(BarycentricSpanner.Solve(z, [0, 1]));

        var regular = BarycentricSpanner.Solve(z, [0, 2]);
        Assert.NotNull(regular);
        Assert.Equal([1.0, 0.0], regular[0]);
        Assert.Equal([2.0, 0.0], regular[1]);
        Assert.Equal([0.0, 1.0], regular[2]);
    }

    /// <summary>
    /// The rank test that admits a row is made on its re-orthogonalised residual norm (the one reported in
    /// <c>ResidualNorms</c>), not only on the first-pass norm: for a row that is a multiple of row 0 plus a 1e-12
    /// perturbation, the first-pass residual keeps a rounding-level component along row 0 that the second pass removes,
    /// so the first-pass norm is larger by many ulps. With the threshold placed between the two norms the row is
    /// rejected; one ulp of tolerance lower (threshold below the re-orthogonalised norm) it is admitted with exactly that
    /// norm. The test replays the two Gram–Schmidt passes with the same operations (checked bit for bit against
    /// <c>ResidualNorms</c>) to find such a seeded pair.
    /// </summary>
    [Fact]
    public void A_row_is_admitted_on_its_reorthogonalised_residual_norm()
    {
        static double Dot(double[] x, double[] y)
        {
            var s = 0.0;
            for (var k = 0; k < x.Length; k++)
            {
                s += x[k] * y[k];
            }

            return s;
        }

        static double Norm(double[] x) => Math.Sqrt(Dot(x, x));

        for (var seed = 0; seed < 200; seed++)
        {
            var random = new Random(seed);
            var row0 = new[] { 0.5 + random.NextDouble(), 0.5 + random.NextDouble(), 0.5 + random.NextDouble() };
            var row1 = new double[3];
            for (var k = 0; k < 3; k++)
            {
                row1[k] = (0.75 * row0[k]) + (1e-12 * (random.NextDouble() - 0.5));
            }

            // Replay: q0 = row0 / ||row0||; first pass r = row1 - (row1·q0) q0; second pass q = r - (r·q0) q0.
            var maxNorm = Math.Max(Norm(row0), Norm(row1));
            var q0 = (double[])row0.Clone();
            var n0 = Norm(q0);
            for (var k = 0; k < 3; k++)
            {
                q0[k] /= n0;
            }

            var r = (double[])row1.Clone();
            var dot = Dot(r, q0);
            for (var k = 0; k < 3; k++)
            {
                r[k] -= dot * q0[k];
            }

            var firstPass = Norm(r);
            var dot2 = Dot(r, q0);
            for (var k = 0; k < 3; k++)
            {
                r[k] -= dot2 * q0[k];
            }

            var qn = Norm(r);
            var tolerance = qn / maxNorm;
            while (tolerance * maxNorm < qn)
            {
                tolerance = Math.BitIncrement(tolerance);
            }

            if (!(firstPass > tolerance * maxNorm))
            {
                continue; // the two norms are too close for this seed; try the next one
            }

            var lower = Math.BitDecrement(tolerance);
            Assert.True(lower * maxNorm < qn && lower > BarycentricSpanner.MinimumRankTolerance, $"seed {seed}");
            var admitted = BarycentricSpanner.GreedyIndependentSet([row0, row1], 3, lower);
            Assert.Equal([0, 1], admitted.Selected);
            Assert.Equal(qn, admitted.ResidualNorms[1]); // the replay is exact

            var rejected = BarycentricSpanner.GreedyIndependentSet([row0, row1], 3, tolerance);
            Assert.Equal([0], rejected.Selected);
            return;
        }

        Assert.Fail("no seed separates the first-pass and the re-orthogonalised residual norms");
    }
}
