using LogitRank.Numerics;

namespace LogitRank.Tests.Mutation;

/// <summary>
/// Pins the documented representation of the selected rows by <see cref="BarycentricSpanner.Select"/>: a selected
/// row gets exactly its unit vector, not the (rounded) solution of the basis system (proofs-notes/mutation.md).
/// </summary>
public class BarycentricSpannerMutationTests
{
    [Theory]
    [InlineData(1, 8, 3)]
    [InlineData(2, 12, 4)]
    [InlineData(3, 20, 5)]
    public void Selected_rows_get_exactly_their_unit_vector(int seed, int count, int d)
    {
        var random = new Random(seed);
        var rows = new List<double[]>();
        for (var i = 0; i < count; i++)
        {
            rows.Add(Enumerable.Range(0, d).Select(_ => (2 * random.NextDouble()) - 1).ToArray());
        }

        var result = BarycentricSpanner.Select(rows);
        Assert.Equal(d, result.Selected.Count);
        for (var j = 0; j < d; j++)
        {
            // Exact by documentation (no tolerance): coefficient 1 on itself, 0 on every other selected row.
            var expected = new double[d];
            expected[j] = 1.0;
            Assert.Equal(expected, result.Coefficients[result.Selected[j]]);
        }
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

    [Fact]
    public void A_null_first_row_is_named()
    {
        var e = Assert.Throws<ArgumentNullException>(() => BarycentricSpanner.Select([null!, [1.0, 0.0]], 2.0, 1e-9));
        Assert.Equal("rows", e.ParamName);
        Assert.Contains("Row 0 is null.", e.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// Regression (fifth session): the greedy selection squared the entries, so rows of magnitude about 1e-160 (squares
    /// below the normal range) or 1e160 (squares overflow) lost their norms and the runtime contract
    /// 'spanner-coefficients' fired on valid finite input. Scaling the rows by a power of two is exact, and the selection,
    /// the coefficients and the swap count are scale-free, so every scaled copy must give bit for bit the result of the
    /// unscaled rows, and the representation error scales exactly with them.
    /// </summary>
    [Theory]
    [InlineData(-900)] // the unscaled error (about 1e-16) times 2^-900 is still a normal number, so it scales exactly
    [InlineData(-530)]
    [InlineData(530)]
    [InlineData(1000)]
    public void Rows_scaled_by_a_power_of_two_give_the_same_selection(int exponent)
    {
        double[][] rows = [[1.0, 0.5, 0.0], [0.25, 1.0, 0.0], [0.5, 0.5, 0.75], [1.0, 1.0, 1.0], [3.0, -1.0, 0.5]];
        var factor = Math.ScaleB(1.0, exponent);
        var scaled = rows.Select(r => r.Select(v => v * factor).ToArray()).ToArray();
        var expected = BarycentricSpanner.Select(rows, 1.5, 1e-9);
        var actual = BarycentricSpanner.Select(scaled, 1.5, 1e-9);
        Assert.Equal(3, expected.Selected.Count);
        Assert.Equal(expected.Selected, actual.Selected);
        Assert.Equal(expected.Swaps, actual.Swaps);
        Assert.Equal(expected.MaxCoefficient, actual.MaxCoefficient);
        for (var i = 0; i < rows.Length; i++)
        {
            Assert.Equal(expected.Coefficients[i], actual.Coefficients[i]);
        }

        Assert.Equal(expected.MaxRepresentationError * factor, actual.MaxRepresentationError);
    }
}
