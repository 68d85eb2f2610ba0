using LogitRank.Models;
using LogitRank.Sequences;

namespace LogitRank.Tests.Models;

public partial class TimeVaryingIsanTests
{
    public static TheoryData<int, int, int, int> Configurations => new()
    {
        // k, T, d, seed
        { 2, 5, 3, 1 },
        { 2, 5, 3, 2 },
        { 3, 4, 2, 3 },
        { 3, 4, 5, 4 },
        { 2, 4, 20, 5 }, // d larger than every matrix dimension: rank = min(k^s, k^{T-s} - 1)
        { 4, 3, 3, 6 },
    };

    [Theory]
    [MemberData(nameof(Configurations))]
    public void Logit_matrix_rank_is_at_most_d_at_every_cut(int k, int horizon, int d, int seed)
    {
        var isan = TimeVaryingIsan.Random(k, horizon, d, seed);
        for (var s = 0; s < horizon; s++)
        {
            var rank = ModelTestSupport.NumericalRank(ModelTestSupport.LogitMatrix(isan, s));
            Assert.True(rank <= d, $"cut {s}: rank {rank} > d = {d}");
        }
    }

    [Theory]
    [MemberData(nameof(Configurations))]
    public void Random_isan_has_the_generic_rank_at_every_cut(int k, int horizon, int d, int seed)
    {
        var isan = TimeVaryingIsan.Random(k, horizon, d, seed);
        for (var s = 0; s < horizon; s++)
        {
            // proofs-notes/isan-logit-rank.md: generically min(d, k^s, k^{T-s} - 1).
            var expected = (int)Math.Min(d, Math.Min(SequenceSpace.Count(k, s), SequenceSpace.Count(k, horizon - s) - 1));
            var sv = ModelTestSupport.SingularValues(ModelTestSupport.LogitMatrix(isan, s));
            var rank = ModelTestSupport.NumericalRank(ModelTestSupport.LogitMatrix(isan, s));
            Assert.True(expected == rank, $"cut {s}: rank {rank}, expected {expected}; σ/σ_1 = {string.Join(", ", sv.Select(v => (v / sv[0]).ToString("E2", System.Globalization.CultureInfo.InvariantCulture)))}");
        }
    }

    [Fact]
    public void Random_isan_with_d_1_has_sign_readouts_and_can_be_degenerate()
    {
        // Regression (found by the FsCheck rank property, spec k = 2, T = 1, d = 1, seed 0, scale 3): with d = 1 a
        // Gaussian row normalised to norm 3 is ±3 and x_0 = ±1, so the raw scores are (±3, ±3) and the centered
        // logits are (0, 0) or ±(3, -3). The generic-rank formula therefore needs d >= 2.
        var zero = 0;
        for (var seed = 0; seed < 40; seed++)
        {
            var logits = TimeVaryingIsan.Random(2, 1, 1, seed, logitScale: 3.0).NextTokenLogits(Prefix.Empty).ToArray();
            // Normalising g to 3·g/|g| rounds, so "equal" scores differ by an ulp: tolerance 1e-14.
            var isZero = Math.Abs(logits[0]) < 1e-14 && Math.Abs(logits[1]) < 1e-14;
            Assert.True(isZero || Math.Abs(Math.Abs(logits[0]) - 3) < 1e-14, $"seed {seed}: ({logits[0]}, {logits[1]})");
            zero += isZero ? 1 : 0;
        }

        Assert.InRange(zero, 1, 39); // both cases occur (each has probability 1/2)
        Assert.Equal(0, ModelTestSupport.NumericalRank(ModelTestSupport.LogitMatrix(TimeVaryingIsan.Random(2, 1, 1, 0, 3.0), 0)));

        // Seed 6 leaves a rounding residue of 4.4e-16: relative to σ_1 = 4.4e-16 it is "full rank", which is why
        // NumericalRank also has an absolute floor.
        Assert.Equal(0, ModelTestSupport.NumericalRank(ModelTestSupport.LogitMatrix(TimeVaryingIsan.Random(2, 1, 1, 6, 3.0), 0)));
    }

    [Fact]
    public void Random_isan_respects_the_logit_scale()
    {
        const double scale = 0.75;
        var isan = TimeVaryingIsan.Random(3, 4, 3, seed: 8, logitScale: scale);
        foreach (var prefix in SequenceSpace.AllUpTo(3, 3))
        {
            // |raw score| ≤ ||B_t row||·||x_t|| = scale·1, so centered entries are within 2·scale (plus rounding).
            Assert.All(isan.NextTokenLogits(prefix).Values.ToArray(), v => Assert.InRange(Math.Abs(v), 0, (2 * scale) + 1e-12));
            var x = isan.State(prefix);
            Assert.Equal(1.0, Math.Sqrt(x.Sum(v => v * v)), 1e-12); // orthogonal transitions keep ||x_t|| = 1
        }
    }

    [Fact]
    public void Random_isan_is_a_function_of_its_seed()
    {
        var a = TimeVaryingIsan.Random(2, 3, 2, seed: 5);
        var b = TimeVaryingIsan.Random(2, 3, 2, seed: 5);
        var c = TimeVaryingIsan.Random(2, 3, 2, seed: 6);
        var prefix = Prefix.Of(1, 0);
        Assert.Equal(a.NextTokenLogits(prefix), b.NextTokenLogits(prefix));
        Assert.NotEqual(a.NextTokenLogits(prefix), c.NextTokenLogits(prefix));
    }

    [Fact]
    public void Explicit_isan_computes_center_of_readout_times_state()
    {
        // d = 1, k = 2, T = 2: x_0 = 2, A_{1,0} = 3, A_{1,1} = -1, B_0 = [1; 0], B_1 = [0; 1].
        var isan = new TimeVaryingIsan(2, 2, [2.0], [[new double[,] { { 3 } }, new double[,] { { -1 } }]], [new double[,] { { 1 }, { 0 } }, new double[,] { { 0 }, { 1 } }]);
        Assert.Equal([1.0, -1.0], isan.NextTokenLogits(Prefix.Empty).ToArray()); // center(2, 0)
        Assert.Equal([-3.0, 3.0], isan.NextTokenLogits(Prefix.Of(0)).ToArray()); // center(0, 6)
        Assert.Equal([1.0, -1.0], isan.NextTokenLogits(Prefix.Of(1)).ToArray()); // center(0, -2)
    }

    [Fact]
    public void Affine_isan_folds_into_a_linear_one_with_the_same_logits()
    {
        // d = 1 affine: x_0 = 0.5, x_1 = A x_0 + c, logits center(B x + e); compare with a direct computation.
        double[,] a0 = { { 2 } }, a1 = { { -1 } };
        double[] c0 = [1], c1 = [0.25];
        double[,] b0 = { { 1 }, { 0 }, { -1 } }, b1 = { { 0 }, { 2 }, { 1 } };
        double[] e0 = [0, 1, 0], e1 = [3, 0, 0];
        var isan = TimeVaryingIsan.FromAffine(3, 2, [0.5], [[a0, a1, a1]], [[c0, c1, c1]], [b0, b1], [e0, e1]);
        Assert.Equal(2, isan.StateDimension);
        Assert.Equal(LogitRank.Numerics.LogitVector.FromLogits([0.5, 1, -0.5]), isan.NextTokenLogits(Prefix.Empty));

        // After token 0: x_1 = 2·0.5 + 1 = 2, scores = (0 + 3, 4, 2).
        Assert.Equal(LogitRank.Numerics.LogitVector.FromLogits([3, 4, 2]).ToArray(), isan.NextTokenLogits(Prefix.Of(0)).ToArray(), new ToleranceComparer(1e-15));

        // After token 1: x_1 = -0.5 + 0.25 = -0.25, scores = (3, -0.5, -0.25).
        Assert.Equal(LogitRank.Numerics.LogitVector.FromLogits([3, -0.5, -0.25]).ToArray(), isan.NextTokenLogits(Prefix.Of(1)).ToArray(), new ToleranceComparer(1e-15));
    }

    [Fact]
    public void Affine_isan_has_logit_rank_at_most_d_plus_one()
    {
        var random = new Random(3);
        double[,] M(int r, int c) => Matrix(random, r, c);
        const int k = 2, horizon = 5, d = 2;
        var transitions = Enumerable.Range(0, horizon - 1).Select(_ => (IReadOnlyList<double[,]>)[M(d, d), M(d, d)]).ToList();
        var offsets = Enumerable.Range(0, horizon - 1).Select(_ => (IReadOnlyList<double[]>)[Vector(random, d), Vector(random, d)]).ToList();
        var readouts = Enumerable.Range(0, horizon).Select(_ => M(k, d)).ToList();
        var readoutOffsets = Enumerable.Range(0, horizon).Select(_ => Vector(random, k)).ToList();
        var isan = TimeVaryingIsan.FromAffine(k, horizon, Vector(random, d), transitions, offsets, readouts, readoutOffsets);
        var ranks = Enumerable.Range(0, horizon).Select(s => ModelTestSupport.NumericalRank(ModelTestSupport.LogitMatrix(isan, s))).ToArray();
        Assert.All(ranks, r => Assert.InRange(r, 0, d + 1));
        Assert.Contains(d + 1, ranks); // the constant coordinate is really used: rank d + 1 is reached
    }

    private static double[,] Matrix(Random random, int rows, int columns)
    {
        var m = new double[rows, columns];
        for (var i = 0; i < rows; i++)
        {
            for (var j = 0; j < columns; j++)
            {
                m[i, j] = (2 * random.NextDouble()) - 1;
            }
        }

        return m;
    }

    private static double[] Vector(Random random, int length) => Enumerable.Range(0, length).Select(_ => (2 * random.NextDouble()) - 1).ToArray();

    [Theory]
    [InlineData(2, 3, 100_000, "4E+10")]
    [InlineData(1_000_000, 100_000_000, 1, "2E+14")]
    [InlineData(2, 2, 2896, "1.679E+07")]
    public void Random_refuses_more_parameters_than_the_limit_naming_the_count_and_the_limit(int k, int horizon, int d, string count)
    {
        // (T-1)·k·d² + T·k·d + d; the last row is the first d over 2^24 = 16777216 for k = T = 2 (d = 2895 gives 16776525).
        // Refused before any allocation: these requests would need from 128 MiB to 1.6 PB.
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => TimeVaryingIsan.Random(k, horizon, d, 1));
        Assert.Equal("stateDimension", e.ParamName);
        Assert.Contains($"= {count} parameters", e.Message, StringComparison.Ordinal);
        Assert.Contains($"at most MaxRandomParameters = {TimeVaryingIsan.MaxRandomParameters}", e.Message, StringComparison.Ordinal);
        Assert.Equal(16_776_525, TimeVaryingIsan.RandomParameterCount(2, 2, 2895));
    }

    [Theory]
    [InlineData(3, 4, 5, 290)] // transitions 3·3·5² = 225, read-outs 4·3·5 = 60, x_0 5
    [InlineData(3, 1, 5, 20)] // no transitions: read-outs 1·3·5 = 15, x_0 5
    [InlineData(2, 2, 1, 7)] // transitions 1·2·1 = 2, read-outs 2·2·1 = 4, x_0 1
    public void The_random_parameter_count_adds_the_transitions_the_read_outs_and_the_initial_state(int k, int horizon, int d, double count)
    {
        // The count the limit is checked against: (T-1)·k·d² + T·k·d + d, worked by hand in each row.
        Assert.Equal(count, TimeVaryingIsan.RandomParameterCount(k, horizon, d));
    }

}

/// <summary>Equality of doubles within an absolute tolerance.</summary>
internal sealed class ToleranceComparer(double tolerance) : IEqualityComparer<double>
{
    public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance;

    public int GetHashCode(double obj) => 0;
}
