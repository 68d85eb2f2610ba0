using LogitRank.FsCheck.Fluent;
using LogitRank.Models;
using LogitRank.Sequences;

namespace LogitRank.Tests.Models;

public partial class HiddenMarkovModelTests
{
    /// <summary>
    /// Twelve random HMM specs drawn by the packaged generator (LogitRank.FsCheck, seed 2026): <c>S</c> in 1..5 states,
    /// concentration 0.1..5 (peaked to near-uniform rows), <c>k^T &lt;= 64</c> so that the <c>S^T &lt;= 5^6</c> hidden
    /// paths can be enumerated. The seed pins them; the spec's parameters are the theory's arguments.
    /// </summary>
    public static TheoryData<int, int, int, int, double> GeneratedSpecs
    {
        get
        {
            var data = new TheoryData<int, int, int, int, double>();
            foreach (var spec in ModelGen.Sample(ModelGen.Hmm(maxSequences: 64), count: 12, seed: 2026))
            {
                data.Add(spec.States, spec.AlphabetSize, spec.Horizon, spec.Seed, spec.Concentration);
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(GeneratedSpecs))]
    public void Forward_algorithm_matches_brute_force_marginalisation(int states, int k, int horizon, int seed, double concentration)
    {
        var hmm = HiddenMarkovModel.Random(states, k, horizon, seed, concentration);
        foreach (var prefix in SequenceSpace.AllUpTo(k, horizon - 1))
        {
            // M(z | h) = Pr[h∘z] / Pr[h], each a sum over all hidden paths.
            var joint = Enumerable.Range(0, k).Select(z => BruteForce(hmm, prefix.Append(z))).ToArray();
            var marginal = BruteForce(hmm, prefix);
            var expected = LogitRank.Numerics.LogitVector.FromProbabilities(joint.Select(p => p / marginal).ToArray());

            // Both computations sum ≤ S^T ≤ 5^6 positive products of ≤ 2T ≤ 12 factors: relative error ≤ ~1e-12; the
            // logits are logs of ratios of such sums, so they agree to ~1e-12 absolute (entries of moderate size).
            Assert.True(expected.MaxAbsDifference(hmm.NextTokenLogits(prefix)) < 1e-10, $"{prefix}: {expected} vs {hmm.NextTokenLogits(prefix)}");
            Assert.Equal(marginal, hmm.Probability(prefix), marginal * 1e-10);
        }
    }

    [Fact]
    public void Single_state_hmm_emits_independently()
    {
        // S = 1: every next-token distribution is the emission row, whatever the prefix.
        var hmm = new HiddenMarkovModel(3, [1.0], new double[,] { { 1.0 } }, new double[,] { { 0.5, 0.3, 0.2 } });
        var expected = LogitRank.Numerics.LogitVector.FromProbabilities([0.5, 0.3, 0.2]);
        foreach (var prefix in SequenceSpace.AllUpTo(3, 2))
        {
            Assert.True(expected.MaxAbsDifference(hmm.NextTokenLogits(prefix)) < 1e-15);
        }
    }

    [Fact]
    public void Deterministic_alternation_is_tracked_by_the_filter()
    {
        // Two states that alternate almost surely and emit their own index almost surely: after seeing 0 the
        // next token is 1 with probability ≈ 1 - 2η.
        const double eta = 1e-3;
        var hmm = new HiddenMarkovModel(
            3,
            [0.5, 0.5],
            new double[,] { { eta, 1 - eta }, { 1 - eta, eta } },
            new double[,] { { 1 - eta, eta }, { eta, 1 - eta } });
        Assert.Equal(0.5, hmm.NextTokenProbabilities(Prefix.Empty)[0], 1e-12);
        Assert.True(hmm.NextTokenProbabilities(Prefix.Of(0))[1] > 1 - (3 * eta));
        Assert.True(hmm.NextTokenProbabilities(Prefix.Of(0, 1))[0] > 1 - (3 * eta));
        var alpha = hmm.StateDistribution(Prefix.Of(0));
        Assert.Equal(1.0, alpha.Sum(), 1e-14);
        Assert.True(alpha[1] > 1 - (3 * eta));
    }

    [Fact]
    public void Random_hmm_has_positive_stochastic_rows_and_is_a_function_of_its_seed()
    {
        var a = HiddenMarkovModel.Random(3, 4, 2, seed: 9, concentration: 0.05, smoothing: 0.01);
        var b = HiddenMarkovModel.Random(3, 4, 2, seed: 9, concentration: 0.05, smoothing: 0.01);
        var c = HiddenMarkovModel.Random(3, 4, 2, seed: 10, concentration: 0.05, smoothing: 0.01);
        Assert.Equal(1.0, Enumerable.Range(0, 3).Sum(a.Initial), 1e-14);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(1.0, Enumerable.Range(0, 3).Sum(j => a.Transition(i, j)), 1e-14);
            Assert.Equal(1.0, Enumerable.Range(0, 4).Sum(z => a.Emission(i, z)), 1e-14);

            // Smoothing λ = 0.01 makes every entry at least λ / len.
            Assert.All(Enumerable.Range(0, 3), j => Assert.True(a.Transition(i, j) >= (0.01 / 3) - 1e-17));
            Assert.All(Enumerable.Range(0, 4), z => Assert.True(a.Emission(i, z) >= (0.01 / 4) - 1e-17));
            Assert.All(Enumerable.Range(0, 4), z => Assert.Equal(a.Emission(i, z), b.Emission(i, z)));
        }

        Assert.NotEqual(a.NextTokenLogits(Prefix.Of(1)), c.NextTokenLogits(Prefix.Of(1)));
    }

    private static double BruteForce(HiddenMarkovModel hmm, Prefix y)
    {
        var total = 0.0;
        foreach (var path in SequenceSpace.All(hmm.States, y.Length))
        {
            var p = 1.0;
            for (var t = 0; t < y.Length; t++)
            {
                p *= t == 0 ? hmm.Initial(path[0]) : hmm.Transition(path[t - 1], path[t]);
                p *= hmm.Emission(path[t], y[t]);
            }

            total += p;
        }

        return total;
    }


    [Theory]
    [InlineData(100_000, 2, "1E+10")]
    [InlineData(4095, 2, "1.678E+07")]
    public void Random_refuses_more_parameters_than_the_limit_naming_the_count_and_the_limit(int states, int k, string count)
    {
        // S² + S·k + S: S = 4095, k = 2 is the first over 2^24 = 16777216 (S = 4094 gives 16773118). Refused before any allocation.
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => HiddenMarkovModel.Random(states, k, 3, 1));
        Assert.Equal("states", e.ParamName);
        Assert.Contains($"= {count} parameters", e.Message, StringComparison.Ordinal);
        Assert.Contains($"at most MaxRandomParameters = {HiddenMarkovModel.MaxRandomParameters}", e.Message, StringComparison.Ordinal);
    }
}
