using LogitRank.Numerics;
using LogitRank.Tests.Numerics;

namespace LogitRank.Tests.Numerics;

/// <summary>
/// The documented entering rule of <see cref="MinimaxLinearProgram.Solve"/>, seen through which optimal point it
/// returns when the optimum is not unique, and its documented independence of units (proofs-notes/lp-reconstruction.md, L5):
/// "an eligible <c>x_j</c> with the largest <c>|reduced cost| · (upper_j - lower_j)</c> ... ties to the smallest
/// index", "both keys scale like the data, so the path does not depend on units".
/// </summary>
public partial class MinimaxLinearProgramTests
{
    /// <summary>
    /// min |x0 + x1 - 1| on [0, 1]²: every point of the segment x0 + x1 = 1 is optimal. From the start (0, 0), both
    /// coordinates lower r at rate 1 over a box of width 1: equal keys, so x0 (the smaller index) enters, runs to its
    /// bound 1 (a bound flip that reaches r = 0), and x1 never moves. The data are small integers, so every step is exact.
    /// </summary>
    [Fact]
    public void Equal_keys_let_the_smallest_index_enter()
    {
        var result = MinimaxLinearProgram.Solve(new double[,] { { 1.0, 1.0 } }, [1.0], [0.0, 0.0], [1.0, 1.0]);
        Assert.Equal(LpStatus.Optimal, result.Status);
        Assert.Equal(0.0, result.CheckedResidual);
        Assert.Equal([1.0, 0.0], result.Solution);
    }

    /// <summary>
    /// The same problem with x1's box [0, 2]: x1's key is rate · width = 2 against x0's 1, so x1 enters and stops
    /// where r reaches 0 (x1 = 1, inside its box); x0 never moves. A key without the box width would tie and pick x0.
    /// </summary>
    [Fact]
    public void The_key_weighs_the_rate_by_the_box_width()
    {
        var result = MinimaxLinearProgram.Solve(new double[,] { { 1.0, 1.0 } }, [1.0], [0.0, 0.0], [1.0, 2.0]);
        Assert.Equal(LpStatus.Optimal, result.Status);
        Assert.Equal(0.0, result.CheckedResidual);
        Assert.Equal([0.0, 1.0], result.Solution);
    }

    /// <summary>
    /// Rate against width: x0 has rate 3 on a box of width 1 (key 3), x1 rate 1 on width 2 (key 2), so x0 enters
    /// although x1's box is wider: min |3x0 + x1 - 1| on [0, 1] × [0, 2] ends at (1/3, 0).
    /// </summary>
    [Fact]
    public void A_steeper_rate_beats_a_wider_box_when_its_key_is_larger()
    {
        var result = MinimaxLinearProgram.Solve(new double[,] { { 3.0, 1.0 } }, [1.0], [0.0, 0.0], [1.0, 2.0]);
        Assert.Equal(LpStatus.Optimal, result.Status);
        Assert.Equal(0.0, result.CheckedResidual, 1e-15);
        Assert.Equal(1.0 / 3.0, result.Solution[0], 1e-15);
        Assert.Equal(0.0, result.Solution[1]);
    }

    /// <summary>
    /// Changing the unit of one coordinate by a power of two (column j of A times 2^e, its box times 2^-e) changes
    /// no decision of the simplex: every pricing key, ratio comparison and tie is scaled by the same exact factor. So
    /// the step count is the same and the point is the same point in the new unit, bit for bit. Seeded random
    /// instances of several shapes; e in [-3, 3] keeps every genuine reduced cost far above the tolerances.
    /// </summary>
    [Theory]
    [InlineData(11, 6, 3)]
    [InlineData(12, 9, 4)]
    [InlineData(13, 12, 5)]
    [InlineData(14, 5, 5)]
    public void A_power_of_two_change_of_unit_leaves_the_path_unchanged(int seed, int m, int n)
    {
        var random = new Random(seed);
        for (var rep = 0; rep < 10; rep++)
        {
            var (a, b, lower, upper, _) = LpReference.Planted(seed * 100 + rep, m, n, rho: 0.5);
            var j = random.Next(n);
            var e = random.Next(-3, 4);
            var factor = Math.ScaleB(1.0, e);
            var scaledA = (double[,])a.Clone();
            for (var i = 0; i < m; i++)
            {
                scaledA[i, j] *= factor;
            }

            var scaledLower = (double[])lower.Clone();
            var scaledUpper = (double[])upper.Clone();
            scaledLower[j] /= factor;
            scaledUpper[j] /= factor;

            var original = MinimaxLinearProgram.Solve(a, b, lower, upper);
            var scaled = MinimaxLinearProgram.Solve(scaledA, b, scaledLower, scaledUpper);
            var context = $"seed {seed}, rep {rep}, column {j}, factor 2^{e}";
            Assert.True(original.Status == LpStatus.Optimal, context);
            Assert.True(original.Iterations == scaled.Iterations, $"{context}: {original.Iterations} vs {scaled.Iterations} steps");
            for (var c = 0; c < n; c++)
            {
                var expected = c == j ? original.Solution[c] / factor : original.Solution[c];
                Assert.True(expected == scaled.Solution[c], $"{context}: x{c} = {scaled.Solution[c]}, expected {expected}");
            }
        }
    }

    /// <summary>
    /// A coordinate whose start value clip(0) lies on a bound of its box starts as sitting at that bound, and a
    /// coordinate whose box is a single point is never priced: on these one-row problems the start point is already
    /// optimal, so the simplex takes no step. Were such a coordinate tagged as "strictly inside" (free to move both
    /// ways), or a fixed one priced, the solver would spend a zero-length bound flip before proving optimality.
    /// </summary>
    /// <param name="lower">The lower bound of the box.</param>
    /// <param name="upper">The upper bound of the box.</param>
    /// <param name="b">The target of x: the optimum is the box point nearest to it, which is the start point 0.</param>
    [Theory]
    [InlineData(0.0, 1.0, -1.0)] // box starts at 0: x = 0 sits at its lower bound; increasing x only moves away from -1
    [InlineData(-1.0, 0.0, 1.0)] // box ends at 0: x = 0 sits at its upper bound; decreasing x only moves away from 1
    [InlineData(0.0, 0.0, 1.0)] // a fixed coordinate (box {0})
    [InlineData(0.0, 0.0, -1.0)]
    public void A_start_on_a_bound_takes_no_step(double lower, double upper, double b)
    {
        var result = MinimaxLinearProgram.Solve(new double[,] { { 1.0 } }, [b], [lower], [upper]);
        Assert.Equal(LpStatus.Optimal, result.Status);
        Assert.Equal(0, result.Iterations);
        Assert.Equal(0.0, result.Solution[0]);
        Assert.Equal(1.0, result.CheckedResidual);
        Assert.Equal(1.0, result.LowerBound, 1e-15);
    }
}
