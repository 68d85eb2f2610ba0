using LogitRank.Numerics;
using LogitRank.Models;
using LogitRank.Oracles;
using LogitRank.Sequences;

namespace LogitRank.Tests.Oracles;

public partial class NoisyOracleTests
{
    private static readonly TimeVaryingIsan Model = TimeVaryingIsan.Random(4, 4, 2, seed: 2, logitScale: 3.0);

    // Rounding: the answer is FromLogits(ℓ + e), which re-centers; the entries are O(10) here, so rounding is of order
    // 1e-15. 1e-12 leaves a wide margin and is still far below any ξ tested.
    private const double Rounding = 1e-12;

    [Theory]
    [InlineData(0.5, 1)]
    [InlineData(0.01, 2)]
    [InlineData(3.0, 3)]
    public void Answers_are_centered_and_within_xi_of_the_truth_in_every_coordinate(double xi, int seed)
    {
        var exact = new ModelOracle(Model);
        var noisy = exact.WithNoise(xi, seed);
        var prefixes = SequenceSpace.AllUpTo(4, 3).ToArray();
        var truth = exact.Query(prefixes);
        var answers = noisy.Query(prefixes);
        var largest = 0.0;
        for (var i = 0; i < prefixes.Length; i++)
        {
            var distance = answers[i].MaxAbsDifference(truth[i]);
            Assert.True(distance <= xi + Rounding, $"prefix {prefixes[i]}: distance {distance} > ξ = {xi}");
            Assert.True(Math.Abs(answers[i].Values.ToArray().Sum()) < Rounding);
            var e = noisy.Perturbation(prefixes[i]);
            Assert.True(Math.Abs(e.Sum()) < Rounding);
            Assert.All(e, v => Assert.InRange(v, -xi, xi));
            largest = Math.Max(largest, distance);
        }

        // The noise is not degenerate: over 85 prefixes some coordinate moves by more than ξ/4.
        Assert.True(largest > xi / 4, $"largest perturbation {largest} is not above ξ/4 = {xi / 4}");
    }

    [Fact]
    public void The_same_prefix_gets_the_same_answer_across_instances_and_the_seed_matters()
    {
        var prefix = Prefix.Of(3, 0, 2);
        var a = new ModelOracle(Model).WithNoise(0.3, seed: 17).Query(prefix);
        var b = new NoisyOracle(new ModelOracle(Model), 0.3, 17).Query(prefix);
        var c = new ModelOracle(Model).WithNoise(0.3, seed: 18).Query(prefix);
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);

        // Different prefixes get different perturbations.
        var noisy = new ModelOracle(Model).WithNoise(0.3, seed: 17);
        Assert.NotEqual(noisy.Perturbation(Prefix.Of(1)), noisy.Perturbation(Prefix.Of(2)));
        Assert.NotEqual(noisy.Perturbation(Prefix.Empty), noisy.Perturbation(Prefix.Of(0)));
    }

    [Fact]
    public void The_perturbation_is_pinned_across_processes()
    {
        // The perturbation depends only on (seed, prefix) through SplitMix64, never on a per-process randomised hash,
        // so it must be the same in every run, on every machine. The literals were computed independently by a Python
        // transcription of the documented construction (hash of (seed, |h|, h_1..h_t), k uniforms u in [-1, 1),
        // e = (ξ/2)(u - mean u)); exact equality holds because both use the same IEEE operations in the same order.
        var noisy = new ModelOracle(Model).WithNoise(1.0, seed: 12345);
        var e = noisy.Perturbation(Prefix.Of(1, 2, 3));
        Assert.Equal(PinnedPerturbation, e);
    }

    private static readonly double[] PinnedPerturbation = [-0.028443575271967864, 0.1737466581290634, 0.12176309636789381, -0.2670661792249893];

    [Fact]
    public void Perturbation_stream_matches_the_SplitMix64_reference()
    {
        // The first outputs of SplitMix64 started from state 0 (Steele, Lea, Flood 2014; the reference C code of
        // Vigna, https://prng.di.unimi.it/splitmix64.c), as published in several test suites.
        ulong state = 0;
        Assert.Equal(0xE220A8397B1DCDAFUL, StableHash.Next(ref state));
        Assert.Equal(0x6E789E6AA1B965F4UL, StableHash.Next(ref state));
        Assert.Equal(0x06C45D188009454FUL, StableHash.Next(ref state));
    }

    [Fact]
    public void Xi_zero_returns_the_inner_answers()
    {
        var cache = new ModelOracle(Model).Cached();
        var expected = cache.Query(Prefix.Of(1));
        Assert.Same(expected, cache.WithNoise(0, seed: 9).Query(Prefix.Of(1)));
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void A_bad_xi_is_rejected(double xi)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new ModelOracle(Model).WithNoise(xi, 1));
        Assert.Equal("xi", ex.ParamName);
    }
}
