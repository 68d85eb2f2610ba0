using LogitRank.Numerics;

namespace LogitRank.Tests.Numerics;

/// <summary>
/// The warm start of <see cref="MinimaxLinearProgram.SolveFrom"/>: "from the start point (clipped into the box) instead
/// of clip(0)"; a start of the wrong length is bad input and gets a typed exception naming it.
/// </summary>
public partial class MinimaxLinearProgramTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void A_start_of_the_wrong_length_throws_naming_its_length_and_n(int length)
    {
        var a = Matrix([[1.0, 0.0], [0.0, 1.0]]);
        var e = Assert.Throws<ArgumentException>("start", () => MinimaxLinearProgram.SolveFrom(a, [1.0, 1.0], [-2.0, -2.0], [2.0, 2.0], null, new double[length]));
        Assert.Contains($"start has length {length}; expected n = 2", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_start_of_the_right_length_is_accepted()
    {
        // x = (1, 1) fits both rows exactly from any start.
        var a = Matrix([[1.0, 0.0], [0.0, 1.0]]);
        var result = MinimaxLinearProgram.SolveFrom(a, [1.0, 1.0], [-2.0, -2.0], [2.0, 2.0], null, [0.5, -3.0]);
        Assert.Equal(LpStatus.Optimal, result.Status);
        Assert.Equal(0.0, result.CheckedResidual, Tol);
    }

    [Fact]
    public void Without_rows_the_warm_start_clipped_into_the_box_is_the_solution()
    {
        // m = 0: every point is optimal (r = 0); the documented point is the start clipped into the box, coordinate by
        // coordinate: 0.5 is inside [-1, 1], 5 is clipped to 2, -2.5 is inside [-3, -2].
        var result = MinimaxLinearProgram.SolveFrom(new double[0, 3], [], [-1.0, 1.0, -3.0], [1.0, 2.0, -2.0], null, [0.5, 5.0, -2.5]);
        Assert.Equal(LpStatus.Optimal, result.Status);
        Assert.Equal([0.5, 2.0, -2.5], result.Solution);
        Assert.Equal(0.0, result.Residual);
        Assert.Equal(0.0, result.MaxBoxViolation);
    }
}
