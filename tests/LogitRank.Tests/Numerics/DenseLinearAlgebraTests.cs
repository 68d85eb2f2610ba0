using LogitRank.Numerics;

namespace LogitRank.Tests.Numerics;

/// <summary>
/// Gaussian elimination and LU with partial pivoting in <see cref="DenseLinearAlgebra"/>: solutions are checked by
/// substituting them back into the original system, not against stored numbers.
/// </summary>
public partial class DenseLinearAlgebraTests
{
    // The first pivot is 0 and the second column needs a swap too, so a solver without (correct) pivoting fails.
    private static readonly double[,] NeedsPivoting =
    {
        { 0, 2, 1, -1 },
        { 3, 0, 2, 0.5 },
        { 1, 1, 0, 2 },
        { -2, 0.25, 1, 4 },
    };

    private static readonly double[] Rhs = [1, -2, 0.5, 3];

    [Fact]
    public void TrySolveInPlace_solves_a_system_that_needs_row_swaps()
    {
        var matrix = (double[,])NeedsPivoting.Clone();
        var x = (double[])Rhs.Clone();
        Assert.True(DenseLinearAlgebra.TrySolveInPlace(matrix, x));
        AssertSolves(NeedsPivoting, x, Rhs);
    }

    [Fact]
    public void Lu_decomposition_solves_the_same_system_for_several_right_hand_sides()
    {
        var lu = (double[,])NeedsPivoting.Clone();
        var permutation = new int[4];
        Assert.True(DenseLinearAlgebra.TryLuDecompose(lu, permutation));
        Assert.Equal([0, 1, 2, 3], permutation.Order().ToArray());
        Assert.NotEqual([0, 1, 2, 3], permutation);
        foreach (var rhs in new[] { Rhs, new double[] { 0, 0, 1, 0 }, new double[] { -1, 2, -3, 4 } })
        {
            var x = new double[4];
            DenseLinearAlgebra.LuSolve(lu, permutation, rhs, x);
            AssertSolves(NeedsPivoting, x, rhs);
        }
    }

    [Fact]
    public void Lower_triangular_and_diagonal_systems_are_solved()
    {
        double[,] lower = { { 2, 0, 0 }, { 1, 4, 0 }, { -1, 2, 8 } };
        double[] rhs = [2, 9, 27];
        var x = (double[])rhs.Clone();
        Assert.True(DenseLinearAlgebra.TrySolveInPlace((double[,])lower.Clone(), x));
        AssertSolves(lower, x, rhs);
        var lu = (double[,])lower.Clone();
        var permutation = new int[3];
        Assert.True(DenseLinearAlgebra.TryLuDecompose(lu, permutation));
        var y = new double[3];
        DenseLinearAlgebra.LuSolve(lu, permutation, rhs, y);
        AssertSolves(lower, y, rhs);
    }

    [Fact]
    public void Singular_and_zero_matrices_are_reported_and_the_empty_system_is_solvable()
    {
        double[,] singular = { { 1, 2, 3 }, { 2, 4, 6 }, { 0, 1, 1 } };
        Assert.False(DenseLinearAlgebra.TrySolveInPlace((double[,])singular.Clone(), [1, 2, 3]));
        Assert.False(DenseLinearAlgebra.TryLuDecompose((double[,])singular.Clone(), new int[3]));
        Assert.False(DenseLinearAlgebra.TrySolveInPlace(new double[2, 2], [1, 1]));
        Assert.False(DenseLinearAlgebra.TryLuDecompose(new double[2, 2], new int[2]));
        // Nearly singular relative to the scale: a pivot of 1e-16 next to entries of size 1 is below 1e-14 · scale.
        double[,] nearly = { { 1, 1 }, { 1, 1 + 1e-16 } };
        Assert.False(DenseLinearAlgebra.TrySolveInPlace((double[,])nearly.Clone(), [1, 1]));
        Assert.True(DenseLinearAlgebra.TrySolveInPlace(new double[0, 0], []));
        Assert.True(DenseLinearAlgebra.TryLuDecompose(new double[0, 0], []));
        // A tiny but well-conditioned matrix is not singular: the threshold is relative to the largest entry.
        double[,] tiny = { { 1e-20, 0 }, { 0, 2e-20 } };
        var x = new double[] { 1e-20, 1e-20 };
        Assert.True(DenseLinearAlgebra.TrySolveInPlace(tiny, x));
        Assert.Equal(1.0, x[0], 1e-14);
        Assert.Equal(0.5, x[1], 1e-14);
    }

    private static void AssertSolves(double[,] a, double[] x, double[] b)
    {
        // Residual of a backward-stable solve of a 4×4 system with entries <= 4: far below 1e-12.
        for (var i = 0; i < b.Length; i++)
        {
            var s = 0.0;
            for (var j = 0; j < x.Length; j++)
            {
                s += a[i, j] * x[j];
            }

            Assert.Equal(b[i], s, 1e-12);
        }
    }

    [Fact]
    public void A_pivot_tie_goes_to_the_smaller_row_index()
    {
        // |1| = |-1| in column 0: the documented rule keeps row 0 as the pivot, so no swap is recorded.
        var permutation = new int[2];
        Assert.True(DenseLinearAlgebra.TryLuDecompose(new double[,] { { 1, 2 }, { -1, 3 } }, permutation));
        Assert.Equal([0, 1], permutation);
    }

    [Fact]
    public void A_pivot_equal_to_the_singular_threshold_is_singular_and_one_ulp_above_is_not()
    {
        // The largest entry is 1, so the threshold is Tolerances.SingularPivot · 1; a pivot must exceed it.
        var at = Tolerances.SingularPivot;
        Assert.False(DenseLinearAlgebra.TryLuDecompose(new double[,] { { 1, 0 }, { 0, at } }, new int[2]));
        Assert.True(DenseLinearAlgebra.TryLuDecompose(new double[,] { { 1, 0 }, { 0, Math.BitIncrement(at) } }, new int[2]));
    }
}
