using LogitRank.Numerics;
using MathNet.Numerics.LinearAlgebra;

namespace LogitRank.Tests.Numerics;

public partial class BarycentricSpannerTests
{
    /// <summary>Rows of a random rank-r matrix: (count × r Gaussian-ish) times (r × length), entries O(1).</summary>
    internal static double[][] LowRank(int seed, int count, int length, int rank)
    {
        var random = new Random(seed);
        var left = Matrix<double>.Build.Dense(count, rank, (_, _) => 2 * random.NextDouble() - 1);
        var right = Matrix<double>.Build.Dense(rank, length, (_, _) => 2 * random.NextDouble() - 1);
        var product = left * right;
        return Enumerable.Range(0, count).Select(i => product.Row(i).ToArray()).ToArray();
    }

    /// <summary>
    /// Independent check with MathNet: the least-squares coefficients of every row against the selected rows (QR of
    /// the length × d matrix of selected rows) must be within [-β, β] (up to 1e-8 relative rounding), reproduce the
    /// row (error ≤ errorTolerance), and agree with the returned coefficients (the selected rows are independent,
    /// so the least-squares solution is unique).
    /// </summary>
    internal static void AssertSpanner(double[][] rows, SpannerResult result, double beta, double errorTolerance)
    {
        Assert.False(result.StoppedEarly);
        Assert.Equal(rows.Length, result.Coefficients.Count);
        Assert.True(result.MaxCoefficient <= beta, $"max coefficient {result.MaxCoefficient}");
        Assert.True(result.MaxRepresentationError <= errorTolerance, $"representation error {result.MaxRepresentationError}");
        var d = result.Selected.Count;
        Assert.Equal(d, result.Selected.Distinct().Count());
        if (d == 0)
        {
            Assert.All(result.Coefficients, c => Assert.Empty(c));
            return;
        }

        var length = rows[0].Length;
        var s = Matrix<double>.Build.Dense(length, d, (k, j) => rows[result.Selected[j]][k]);
        var qr = s.QR();
        for (var i = 0; i < rows.Length; i++)
        {
            var c = qr.Solve(Vector<double>.Build.DenseOfArray(rows[i]));
            var fit = s * c;
            for (var k = 0; k < length; k++)
            {
                Assert.True(Math.Abs(fit[k] - rows[i][k]) <= errorTolerance, $"row {i} entry {k} misfit {fit[k] - rows[i][k]}");
            }

            for (var j = 0; j < d; j++)
            {
                Assert.True(Math.Abs(c[j]) <= beta * (1 + 1e-8), $"row {i} coefficient {j} = {c[j]}");
                Assert.Equal(c[j], result.Coefficients[i][j], 1e-7);
            }
        }
    }

    [Theory]
    [InlineData(1, 50, 20, 3)]
    [InlineData(2, 200, 30, 10)]
    [InlineData(3, 20, 300, 7)]
    [InlineData(4, 2000, 5, 5)]
    [InlineData(5, 30, 30, 30)]
    public void Random_low_rank_rows_give_a_two_spanner_of_the_rank_size(int seed, int count, int length, int rank)
    {
        var rows = LowRank(seed, count, length, rank);
        var result = BarycentricSpanner.Select(rows);
        Assert.Equal(rank, result.Selected.Count);
        Assert.Equal(rank, Matrix<double>.Build.DenseOfRowArrays(rows).Rank());
        // Entries O(1), coefficients <= 2, d <= 30 terms: rounding error well below 1e-10.
        AssertSpanner(rows, result, 2.0, 1e-10);
    }

    /// <summary>
    /// Anisotropic rows: Gaussian vectors with per-direction scales 10^0..10^-(d-1), mixed by a random matrix and
    /// multiplied by a random overall scale in [1, e^3]. The greedy start (largest residual first) is then usually
    /// not a tight spanner, so exchanges happen (isotropic Gaussian rows rarely need any).
    /// </summary>
    internal static double[][] Anisotropic(int seed, int count, int d)
    {
        var random = new Random(seed);
        var mix = LowRank(seed + 100, d, d, d);
        return Enumerable.Range(0, count).Select(_ =>
        {
            var g = Enumerable.Range(0, d).Select(_ => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble())).ToArray();
            var scale = Math.Exp(3 * random.NextDouble());
            return Enumerable.Range(0, d).Select(k => scale * Enumerable.Range(0, d).Sum(j => g[j] * mix[j][k] * Math.Pow(10, -j))).ToArray();
        }).ToArray();
    }

    [Theory]
    [InlineData(1, 1.01, true)]
    [InlineData(2, 1.01, true)]
    [InlineData(2, 1.2, true)]
    [InlineData(3, 1.5, false)]
    [InlineData(4, 2.0, false)]
    public void Tight_beta_forces_exchanges_and_still_terminates(int seed, double beta, bool expectSwaps)
    {
        var rows = Anisotropic(seed, 300, 6);
        var result = BarycentricSpanner.Select(rows, beta);
        // Condition up to ~1e5 (scales 1..1e-5), coefficients <= 2: representation error ~ 1e-16 · 1e5 · 20.
        AssertSpanner(rows, result, beta, 1e-9);
        if (expectSwaps)
        {
            Assert.True(result.Swaps > 0);
        }
    }

    [Fact]
    public void Hand_example_needs_one_exchange()
    {
        // Greedy: (10, 0) has the largest norm; then (-9, 1) has the largest residual (0, 1). Row (9, 0.9) is
        // 1.71·(10, 0) + 0.9·(-9, 1): coefficient 1.71 > 1.5, so it replaces (10, 0) at position 0. Then
        // (10, 0) = (10/17.1)·(9, 0.9) - (9/17.1)·(-9, 1), coefficients 0.585 and -0.526: done after one swap.
        double[][] rows = [[10.0, 0.0], [-9.0, 1.0], [9.0, 0.9]];
        var result = BarycentricSpanner.Select(rows, beta: 1.5);
        Assert.Equal([2, 1], result.Selected);
        Assert.Equal(1, result.Swaps);
        Assert.Equal(10 / 17.1, result.Coefficients[0][0], 1e-12);
        Assert.Equal(-9 / 17.1, result.Coefficients[0][1], 1e-12);
        var noSwap = BarycentricSpanner.Select(rows, beta: 2.0);
        Assert.Equal([0, 1], noSwap.Selected);
        Assert.Equal(0, noSwap.Swaps);
        Assert.Equal(1.71, noSwap.Coefficients[2][0], 1e-12);
    }

    [Fact]
    public void Selection_is_bit_identical_on_repeated_calls()
    {
        var rows = LowRank(21, 300, 40, 8);
        var first = BarycentricSpanner.Select(rows, 1.1);
        var second = BarycentricSpanner.Select(rows.Select(r => (double[])r.Clone()).ToArray(), 1.1);
        Assert.Equal(first.Selected, second.Selected);
        Assert.Equal(first.Swaps, second.Swaps);
        for (var i = 0; i < rows.Length; i++)
        {
            Assert.Equal(first.Coefficients[i].Select(BitConverter.DoubleToInt64Bits), second.Coefficients[i].Select(BitConverter.DoubleToInt64Bits));
        }
    }

    [Fact]
    public void Empty_input_gives_empty_selection()
    {
        var result = BarycentricSpanner.Select(Array.Empty<double[]>());
        Assert.Empty(result.Selected);
        Assert.Empty(result.Coefficients);
        Assert.Equal(0.0, result.MaxCoefficient);
        Assert.Equal(0.0, result.MaxRepresentationError);
    }

    [Fact]
    public void All_zero_rows_give_empty_selection()
    {
        var rows = Enumerable.Range(0, 5).Select(_ => new double[4]).ToArray();
        var result = BarycentricSpanner.Select(rows);
        Assert.Empty(result.Selected);
        Assert.Equal(0.0, result.MaxRepresentationError);
        AssertSpanner(rows, result, 2.0, 0.0);
    }

    [Fact]
    public void Zero_length_rows_give_empty_selection()
    {
        var result = BarycentricSpanner.Select([[], []]);
        Assert.Empty(result.Selected);
        Assert.Equal(2, result.Coefficients.Count);
    }

    [Fact]
    public void Rank_one_rows_select_the_longest()
    {
        // Multiples t·v: the longest row (largest |t|, here t = -3 at index 2) represents every row t·v with
        // coefficient t / (-3), within [-1, 1].
        double[] v = [1.0, -2.0, 0.5];
        double[] t = [1.0, 0.0, -3.0, 2.5, -3.0];
        var rows = t.Select(s => v.Select(x => s * x).ToArray()).ToArray();
        var result = BarycentricSpanner.Select(rows);
        Assert.Equal([2], result.Selected);
        for (var i = 0; i < rows.Length; i++)
        {
            Assert.Equal(t[i] / -3.0, result.Coefficients[i][0], 1e-12);
        }

        AssertSpanner(rows, result, 2.0, 1e-12);
    }

    [Fact]
    public void Duplicate_and_zero_rows_do_not_inflate_the_rank()
    {
        var basis = LowRank(31, 4, 10, 4);
        var rows = new List<double[]>();
        for (var rep = 0; rep < 3; rep++)
        {
            rows.AddRange(basis.Select(r => (double[])r.Clone()));
            rows.Add(new double[10]);
        }

        var result = BarycentricSpanner.Select(rows);
        Assert.Equal(4, result.Selected.Count);
        AssertSpanner(rows.ToArray(), result, 2.0, 1e-10);
        foreach (var i in (int[])[4, 9, 14])
        {
            Assert.All(result.Coefficients[i], c => Assert.Equal(0.0, c));
        }
    }

    [Fact]
    public void Nearly_parallel_rows_keep_coefficients_bounded()
    {
        // Rows v + t_i·1e-6·w, t_i ∈ [-1, 1]: rank 2 with a tiny second direction (1e-6 ≫ tolerance 1e-9). A naive
        // basis of two close rows gives coefficients ~ 1/(t_i - t_j); the exchange must bring them to <= 2.
        var random = new Random(41);
        double[] v = [1.0, 2.0, -1.0, 0.5];
        double[] w = [0.3, -0.1, 0.7, 0.2];
        var rows = Enumerable.Range(0, 100).Select(_ =>
        {
            var t = 2 * random.NextDouble() - 1;
            return v.Zip(w, (a, b) => a + (t * 1e-6 * b)).ToArray();
        }).ToArray();
        var result = BarycentricSpanner.Select(rows);
        Assert.Equal(2, result.Selected.Count);
        // Coefficients up to 2 and condition ~1e6: representation error ~ 1e-16 · 1e6.
        AssertSpanner(rows, result, 2.0, 1e-9);
    }

    [Fact]
    public void Rows_below_the_rank_tolerance_show_as_representation_error()
    {
        // The third row leaves span{e1, e2} by 1e-12 ≤ 1e-9 · max norm: it counts as dependent, and the dropped
        // component is reported as representation error (exactly 1e-12 in the e3 entry).
        double[][] rows = [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [1.0, 1.0, 1e-12]];
        var result = BarycentricSpanner.Select(rows);
        Assert.Equal(2, result.Selected.Count);
        Assert.Equal(1e-12, result.MaxRepresentationError, 1e-15);
        var looser = BarycentricSpanner.Select(rows, rankTolerance: 1e-14);
        Assert.Equal(3, looser.Selected.Count);
        Assert.Equal(0.0, looser.MaxRepresentationError, 1e-15);
    }

    [Fact]
    public void Greedy_start_picks_largest_norm_first_with_index_ties()
    {
        // Two rows of equal largest norm: index 1 wins over index 2 (smallest index on ties).
        double[][] rows = [[1.0, 0.0], [0.0, 3.0], [3.0, 0.0]];
        var result = BarycentricSpanner.Select(rows);
        Assert.Equal([1, 2], result.Selected);
        Assert.Equal(0, result.Swaps);
    }

    [Fact]
    public void Invalid_arguments_throw_naming_the_value()
    {
        Assert.Throws<ArgumentNullException>("rows", () => BarycentricSpanner.Select(null!));
        Assert.Contains("Row 0 is null.", Assert.Throws<ArgumentNullException>("rows", () => BarycentricSpanner.Select([null!, [1.0, 0.0]], 2.0, 1e-9)).Message);
        Assert.Contains("Row 1 is null", Assert.Throws<ArgumentNullException>("rows", () => BarycentricSpanner.Select([[1.0], null!])).Message);
        Assert.Contains("Row 1 has length 2", Assert.Throws<ArgumentException>("rows", () => BarycentricSpanner.Select([[1.0], [1.0, 2.0]])).Message);
        Assert.Contains("rows[0][1]", Assert.Throws<ArgumentException>("rows", () => BarycentricSpanner.Select([[1.0, double.NaN]])).Message);
        Assert.Contains("rows[0][0]", Assert.Throws<ArgumentException>("rows", () => BarycentricSpanner.Select([[double.PositiveInfinity]])).Message);
        Assert.Throws<ArgumentOutOfRangeException>("beta", () => BarycentricSpanner.Select([[1.0]], beta: 1.0));
        Assert.Throws<ArgumentOutOfRangeException>("beta", () => BarycentricSpanner.Select([[1.0]], beta: double.NaN));
        Assert.Throws<ArgumentOutOfRangeException>("beta", () => BarycentricSpanner.Select([[1.0]], beta: double.PositiveInfinity));
        Assert.Throws<ArgumentOutOfRangeException>("rankTolerance", () => BarycentricSpanner.Select([[1.0]], rankTolerance: -1e-3));
        Assert.Throws<ArgumentOutOfRangeException>("rankTolerance", () => BarycentricSpanner.Select([[1.0]], rankTolerance: 1.0));
        Assert.Throws<ArgumentOutOfRangeException>("rankTolerance", () => BarycentricSpanner.Select([[1.0]], rankTolerance: double.NaN));
    }

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
