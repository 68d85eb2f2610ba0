using LogitRank.Numerics;
using LogitRank.Tests.Numerics;

namespace LogitRank.Tests.Numerics;

/// <summary>
/// Bound flips of the bounded-variable simplex behind <see cref="MinimaxLinearProgram.Solve"/> towards the lower end
/// of a box: a variable that starts at its upper bound or strictly inside the box and whose
/// optimal value is its lower bound must be recorded as sitting at that lower bound, otherwise the solver keeps
/// re-selecting it for zero-length "flips" and never proves optimality. Expected optima are worked out by hand or by
/// the vertex-enumeration reference <see cref="LpReference.BruteForceOptimum"/>.
/// </summary>
public partial class MinimaxLinearProgramTests
{
    /// <summary>
    /// One row x = b with b below the box [lower, upper]: the optimum is x = lower with r = lower - b. The start point
    /// clip(0) is the upper bound (upper &lt;= 0) or an interior point (lower &lt; 0 &lt; upper), so the simplex reaches
    /// x = lower by a single bound flip downwards (the other row's ratio, 2r/2, is larger than the box width).
    /// </summary>
    [Theory]
    [InlineData(-1.0, 1.0, -5.0)] // start strictly inside the box (x = 0)
    [InlineData(-3.0, -1.0, -5.0)] // start at the upper bound (x = -1)
    [InlineData(-0.5, 2.0, -4.0)] // start inside, asymmetric box
    public void A_downward_bound_flip_to_the_optimum_ends_optimal(double lower, double upper, double b)
    {
        var result = MinimaxLinearProgram.Solve(new double[,] { { 1.0 } }, [b], [lower], [upper]);

        // Exact arithmetic on small binary fractions: the optimum lower - b is representable and every step is exact,
        // 1e-12 only absorbs a possible last-bit difference from the final recomputation.
        Assert.Equal(LpStatus.Optimal, result.Status);
        Assert.Equal(lower, result.Solution[0], 1e-12);
        Assert.Equal(lower - b, result.CheckedResidual, 1e-12);
        Assert.Equal(lower - b, result.Residual, 1e-12);
        Assert.Equal(lower - b, result.LowerBound, 1e-12);
    }

    /// <summary>
    /// Two variables, both starting strictly inside their boxes, whose optimum has both at their lower bounds
    /// (every row pushes both coordinates down): each needs a downward flip, after which the other must still be
    /// priced correctly. The optimum is checked against vertex enumeration.
    /// </summary>
    [Fact]
    public void Several_downward_flips_end_optimal_at_the_enumerated_optimum()
    {
        var a = new double[,] { { 1.0, 0.5 }, { 0.25, 1.0 }, { 1.0, 1.0 } };
        double[] b = [-6.0, -5.0, -9.0];
        double[] lower = [-1.0, -2.0];
        double[] upper = [1.0, 0.5];

        var result = MinimaxLinearProgram.Solve(a, b, lower, upper);
        var expected = LpReference.BruteForceOptimum(a, b, lower, upper);

        // Hand check of the reference: at x = (-1, -2) the residuals are 4, 2.75, 6 (all positive on the whole box), and every row decreases when
        // either coordinate decreases, so the optimum is 6 at the lower corner.
        Assert.Equal(6.0, expected, 1e-9);
        Assert.Equal(LpStatus.Optimal, result.Status);
        Assert.Equal(lower[0], result.Solution[0], 1e-12);
        Assert.Equal(lower[1], result.Solution[1], 1e-12);
        Assert.Equal(expected, result.CheckedResidual, 1e-9);
        Assert.Equal(expected, result.LowerBound, 1e-9);
    }
    /// <summary>
    /// Tiny random instances on one-sided and asymmetric boxes (each coordinate's box lies in x &gt; 0, in x &lt; 0, or
    /// straddles 0 off-centre), so the start point clip(0) puts variables at their lower bound, at their upper bound
    /// and strictly inside, and the simplex has to move them both ways, by pivots and by bound flips. The optimum is
    /// compared with vertex enumeration and the dual certificate must close the gap.
    /// </summary>
    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(2, 2, 1)]
    [InlineData(3, 3, 2)]
    [InlineData(4, 4, 2)]
    [InlineData(5, 3, 3)]
    [InlineData(6, 1, 3)]
    public void Asymmetric_boxes_match_vertex_enumeration(int seed, int m, int n)
    {
        var random = new Random(seed);
        for (var rep = 0; rep < 12; rep++)
        {
            var a = new double[m, n];
            var b = new double[m];
            for (var i = 0; i < m; i++)
            {
                for (var j = 0; j < n; j++)
                {
                    a[i, j] = (2 * random.NextDouble()) - 1;
                }

                b[i] = 6 * ((2 * random.NextDouble()) - 1);
            }

            var lower = new double[n];
            var upper = new double[n];
            for (var j = 0; j < n; j++)
            {
                var width = 0.25 + (2 * random.NextDouble());
                lower[j] = ((rep + j) % 3) switch
                {
                    0 => 0.1 + random.NextDouble(), // positive box: starts at its lower bound
                    1 => -0.1 - random.NextDouble() - width, // negative box: starts at its upper bound
                    _ => -width * (0.1 + (0.8 * random.NextDouble())), // straddles 0 off-centre: starts inside
                };
                upper[j] = lower[j] + width;
            }

            var expected = LpReference.BruteForceOptimum(a, b, lower, upper);
            var result = MinimaxLinearProgram.Solve(a, b, lower, upper);

            // Data of order 1 to 6: 1e-9 absorbs the rounding of the enumeration's 4x4 solves and of the simplex.
            Assert.Equal(LpStatus.Optimal, result.Status);
            Assert.Equal(expected, result.CheckedResidual, 1e-9);
            Assert.Equal(expected, result.Residual, 1e-9);
            Assert.Equal(expected, result.LowerBound, 1e-9);
            Assert.True(result.DualWeights.Sum(Math.Abs) <= 1 + 1e-12);
            for (var j = 0; j < n; j++)
            {
                Assert.InRange(result.Solution[j], lower[j], upper[j]);
            }
        }
    }
}
