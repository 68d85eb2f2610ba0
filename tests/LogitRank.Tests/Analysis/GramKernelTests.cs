using LogitRank.Analysis;

namespace LogitRank.Tests.Analysis;

/// <summary>
/// <see cref="GramKernel"/> against the naive products it blocks: the row Gram matrix over
/// several 32-row tiles (off-diagonal tiles copy their whole 32×32 block, diagonal tiles only their lower triangle),
/// a Gram matrix with many tiles, and the cross products for sketch widths below the 4-row micro-kernel and for fewer
/// rows than one parallel block.
/// </summary>
public partial class GramKernelTests
{
    private static double[] Uniform(int count, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, count).Select(_ => (2 * random.NextDouble()) - 1)];
    }

    [Theory]
    [InlineData(70, 3)] // three tiles (32 + 32 + 6 rows): the off-diagonal tiles (1,0), (2,0), (2,1) are full 32×32 blocks
    [InlineData(96, 517)] // three full tiles, two column chunks (512 + 5)
    public void Row_gram_over_several_tiles_matches_the_naive_product(int rows, int cols)
    {
        var data = Uniform(rows * cols, rows + cols);
        var g = GramKernel.RowGram(data, rows, cols);
        Assert.Equal(rows * rows, g.Length);
        for (var i = 0; i < rows; i++)
        {
            for (var j = 0; j < rows; j++)
            {
                var expected = 0.0;
                for (var c = 0; c < cols; c++)
                {
                    expected += data[(i * cols) + c] * data[(j * cols) + c];
                }

                // Sums of <= 517 products of numbers in [-1, 1] in another order: they differ by <= 2·517·ε·517 ≈ 1.2e-10.
                Assert.True(Math.Abs(g[(i * rows) + j] - expected) <= 1.2e-10, $"G[{i},{j}] = {g[(i * rows) + j]}, expected {expected}");
            }
        }
    }

    [Fact]
    public void Row_gram_with_many_tiles_of_one_column_is_the_outer_product_exactly()
    {
        // 1500 rows of one column: 47 tiles, 1128 tile pairs. Each entry is a single product x_i·x_j (one term, added to
        // 0), so the result is exact.
        const int rows = 1500;
        var x = Uniform(rows, 5);
        var g = GramKernel.RowGram(x, rows, 1);
        for (var i = 0; i < rows; i++)
        {
            for (var j = 0; j < rows; j++)
            {
                Assert.Equal(x[i] * x[j], g[(i * rows) + j]);
            }
        }
    }

    [Theory]
    [InlineData(5, 1, 7)] // fewer rows than one block of 16, one sketch column
    [InlineData(5, 2, 9)] // two sketch columns: below the 4-column micro-kernel
    [InlineData(15, 3, 33)]
    [InlineData(40, 6, 5)] // several blocks; one pass of the micro-kernel and a remainder of two
    public void Cross_products_match_the_naive_product(int p, int q, int length)
    {
        var x = Uniform(p * length, 1);
        var y = Uniform(q * length, 2);
        var c = GramKernel.CrossDot(x, p, y, q, length);
        Assert.Equal(p * q, c.Length);
        for (var i = 0; i < p; i++)
        {
            for (var j = 0; j < q; j++)
            {
                var expected = 0.0;
                for (var t = 0; t < length; t++)
                {
                    expected += x[(i * length) + t] * y[(j * length) + t];
                }

                // <= 33 products of numbers in [-1, 1], summed in another order: they differ by <= 2·33·ε·33 ≈ 5e-13.
                Assert.True(Math.Abs(c[(j * p) + i] - expected) <= 5e-13, $"C[{i},{j}] = {c[(j * p) + i]}, expected {expected}");
            }
        }
    }
}
