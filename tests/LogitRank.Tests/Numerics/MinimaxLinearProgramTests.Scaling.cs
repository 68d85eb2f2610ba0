using LogitRank.Numerics;

namespace LogitRank.Tests.Numerics;

/// <summary>
/// The exact power-of-two normalisation of the data (remarks of <see cref="MinimaxLinearProgram"/>: "A and b are first
/// scaled by the power of two that brings their largest magnitude into [1, 2)"), when the largest magnitude is in A.
/// </summary>
public partial class MinimaxLinearProgramTests
{
    /// <summary>
    /// b = 0 and a box that excludes 0 (x_0 in [1, 2], the other coordinates in [-2, 2]), so the optimum
    /// max_i |(Ax)_i| is positive and set by A alone: the other columns must cancel column 0 as far as they can, which
    /// takes simplex steps from the start (1, 0, ..., 0). The normalisation must take its scale from A: then (2^k A, 0)
    /// gives the same point bit for bit and r times 2^k, as for any b (see
    /// <see cref="Power_of_two_scaling_of_the_data_scales_the_result_exactly"/>); with the tolerances applied to
    /// unnormalised data, 2^-60 A would have no reduced cost above the optimality tolerance and stop at the start.
    /// </summary>
    [Theory]
    [InlineData(-60)]
    [InlineData(-30)]
    [InlineData(40)]
    public void Power_of_two_scaling_is_exact_when_the_right_hand_side_is_zero(int k)
    {
        var (a, _, _, _, _) = LpReference.Planted(54, 12, 4, rho: 0.0);
        double[] lower = [1.0, -2.0, -2.0, -2.0];
        double[] upper = [2.0, 2.0, 2.0, 2.0];
        var zero = new double[12];
        var scaledA = new double[12, 4];
        for (var i = 0; i < 12; i++)
        {
            for (var j = 0; j < 4; j++)
            {
                scaledA[i, j] = Math.ScaleB(a[i, j], k);
            }
        }

        var first = MinimaxLinearProgram.Solve(a, zero, lower, upper);
        var scaled = MinimaxLinearProgram.Solve(scaledA, zero, lower, upper);
        Assert.Equal(LpStatus.Optimal, first.Status);
        Assert.True(first.CheckedResidual > 0, "premise: the box excludes 0, so the optimum is positive");
        Assert.True(first.Iterations > 0, "premise: the optimum is not the start point");
        Assert.Equal(LpStatus.Optimal, scaled.Status);
        Assert.Equal(first.Iterations, scaled.Iterations);
        Assert.Equal(first.Solution.Select(BitConverter.DoubleToInt64Bits), scaled.Solution.Select(BitConverter.DoubleToInt64Bits));
        Assert.Equal(Math.ScaleB(first.Residual, k), scaled.Residual);
        Assert.Equal(LpReference.BruteForceOptimum(a, zero, lower, upper), first.CheckedResidual, Tol);
    }
}
