using LogitRank.Numerics;

namespace LogitRank.Tests.Numerics;

/// <summary>
/// The rank tolerance of <see cref="BarycentricSpanner.Select"/> at the ends of its documented range <c>[0, 1)</c>:
/// 0 is valid, never selects more rows than the dimension, and with a row whose residual is at rounding level it used
/// to make the greedy selection numerically singular and throw an undocumented <see cref="InvalidOperationException"/>
/// (regression tests of the fix: the tolerance has a floor of 1e-13).
/// </summary>
public partial class BarycentricSpannerTests
{
    [Fact]
    public void Zero_rank_tolerance_with_a_rounding_level_residual_selects_the_numerical_rank()
    {
        // (1, 1e-16) differs from (1, 0) by 1e-16: with rankTolerance = 0 the residual 1e-16 used to be selected, the
        // 2×2 coordinate matrix [[1, 1], [0, 1e-16]] failed the LU singularity test (pivot 1e-16 <= 1e-14 · 1) and
        // Select threw InvalidOperationException. The documented floor 1e-13 · max ||row|| (= 1e-13 here) makes the
        // second row dependent: one row selected, every coefficient 1 (both rows are (1, 0) up to 1e-16), and the
        // representation error is the dropped residual 1e-16 (bound 1e-15: well above one rounding of 1e-16).
        var rows = new[] { new[] { 1.0, 0.0 }, new[] { 1.0, 1e-16 } };
        var result = BarycentricSpanner.Select(rows, 2.0, 0.0);
        Assert.Equal([0], result.Selected);
        Assert.False(result.StoppedEarly);
        Assert.Equal(1.0, result.MaxCoefficient);
        Assert.InRange(result.MaxRepresentationError, 0.0, 1e-15);
    }

    [Fact]
    public void Zero_rank_tolerance_keeps_residuals_above_the_floor()
    {
        // Residual 1e-10 > 1e-13 · max ||row|| (max ||row|| = 1: sqrt(1 + 1e-20) rounds to 1): both rows are
        // independent and selected, in index order (equal norms, ties to the smallest index). Every row is then
        // represented exactly by its own unit coefficient vector.
        var rows = new[] { new[] { 1.0, 0.0 }, new[] { 1.0, 1e-10 } };
        var result = BarycentricSpanner.Select(rows, 2.0, 0.0);
        Assert.Equal([0, 1], result.Selected);
        Assert.False(result.StoppedEarly);
        Assert.Equal(0, result.Swaps);
        Assert.Equal(1.0, result.MaxCoefficient);
        Assert.Equal(0.0, result.MaxRepresentationError);
    }

    [Fact]
    public void Rank_tolerance_zero_is_accepted()
    {
        // The documented range of rankTolerance is [0, 1): 0 (every nonzero residual counts as independent) is valid.
        // Rows (1, 0), (0, 1), (1, 1): a 2-spanner of the plane is two of them, and (1, 1) = (1, 0) + (0, 1).
        var result = BarycentricSpanner.Select([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]], rankTolerance: 0.0);
        Assert.Equal(2, result.Selected.Count);
        Assert.True(result.MaxCoefficient <= 2.0);
        Assert.Equal(0.0, result.MaxRepresentationError, 1e-15); // entries 0 and ±1: exact up to one rounding
    }

    [Fact]
    public void Rank_tolerance_zero_never_selects_more_rows_than_the_dimension()
    {
        // With rankTolerance = 0 only an exactly zero residual counts as dependent; after d rows are selected the
        // remaining residuals are rounding noise, yet no more than d rows can be independent in R^d.
        var random = new Random(7);
        var rows = Enumerable.Range(0, 9).Select(_ => Enumerable.Range(0, 3).Select(_ => (2 * random.NextDouble()) - 1).ToArray()).ToList();
        var result = BarycentricSpanner.Select(rows, rankTolerance: 0.0);
        Assert.Equal(3, result.Selected.Count);
        Assert.All(result.Coefficients, c => Assert.Equal(3, c.Length));
    }
}
