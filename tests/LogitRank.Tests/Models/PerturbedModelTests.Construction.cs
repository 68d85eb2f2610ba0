using LogitRank.Models;
using LogitRank.Numerics;
using LogitRank.Sequences;
using LogitRank.Tests.Evaluation;

namespace LogitRank.Tests.Models;

/// <summary>
/// The documented construction of <see cref="PerturbedModel"/>, recomputed independently:
/// raw offsets <c>δ_z = ε(2u_z - 1)</c> with <c>u_z = hash(seed, h, z)</c>, centered, scaled by
/// <c>min(1, ε / max_z |δ'_z|)</c> and added to the base logits; <c>ε = 0</c> gives the base vector itself; a base
/// model answering the wrong length is reported.
/// </summary>
public partial class PerturbedModelTests
{
    /// <summary>Answers every prefix with a vector one entry too long.</summary>
    private sealed class WrongLengthModel : ISequenceModel
    {
        public int AlphabetSize => 2;

        public int Horizon => 2;

        public LogitVector NextTokenLogits(Prefix prefix) => LogitVector.Uniform(3);

        public double LogProbability(Prefix sequence) => 0;

        public Prefix Sample(Random random) => Prefix.Of(0, 0);
    }

    /// <summary><c>center(ℓ_base(h) + min(1, ε / max|δ'|)·δ')</c> with <c>δ' = center(ε(2u - 1))</c>, from the remarks of <see cref="PerturbedModel"/>.</summary>
    private static double[] Expected(TimeVaryingIsan baseModel, double epsilon, int seed, Prefix prefix)
    {
        var k = baseModel.AlphabetSize;
        var raw = new double[k];
        for (var z = 0; z < k; z++)
        {
            raw[z] = epsilon * ((2 * StableHash.Uniform(seed, prefix.Tokens, z)) - 1);
        }

        var offsets = LogSpace.Center(raw);
        var largest = offsets.Max(Math.Abs);
        var scale = Math.Min(1.0, epsilon / largest);
        var baseLogits = baseModel.NextTokenLogits(prefix);
        return LogSpace.Center([.. Enumerable.Range(0, k).Select(z => baseLogits[z] + (scale * offsets[z]))]);
    }

    [Theory]
    [InlineData(3, 0.3, 1)]
    [InlineData(3, 0.05, 2)]
    [InlineData(2, 0.3, 3)]
    [InlineData(4, 1.0, 4)]
    public void Logits_follow_the_documented_construction(int k, double epsilon, int seed)
    {
        // Both sides compute the same formula with a few operations on numbers of size <= 2·logitScale + 2ε <= 4, so they
        // agree to ~1e-15; 1e-12 leaves margin. The shrink step that guards the bound against rounding changes an entry by
        // ε/1024 >= 5e-5 and would be seen.
        var baseModel = TimeVaryingIsan.Random(k, 3, 2, seed, logitScale: 1.0);
        var perturbed = new PerturbedModel(baseModel, epsilon, seed);
        var scaledUp = 0;
        foreach (var prefix in SequenceSpace.AllUpTo(k, 2))
        {
            var expected = Expected(baseModel, epsilon, seed, prefix);
            var actual = perturbed.NextTokenLogits(prefix);
            for (var z = 0; z < k; z++)
            {
                Assert.True(Math.Abs(expected[z] - actual[z]) <= 1e-12, $"{prefix}, z = {z}: {actual[z]:R} vs {expected[z]:R}");
            }

            if (actual.MaxAbsDifference(baseModel.NextTokenLogits(prefix)) < epsilon * 0.99)
            {
                scaledUp++;
            }
        }

        // Some prefixes keep offsets below ε (for k = 2 all do: |δ_0 - δ_1|/2 < ε), so the test sees the unscaled case.
        Assert.True(scaledUp > 0);
    }

    [Fact]
    public void Zero_epsilon_returns_the_base_vector_itself()
    {
        var baseModel = TestModels.FromNext(2, 3, h => h.Length == 0 ? [0.5, 0.5] : [0.25, 0.75]);
        var perturbed = new PerturbedModel(baseModel, 0, seed: 1);
        Assert.All(SequenceSpace.AllUpTo(2, 2), p => Assert.Same(baseModel.NextTokenLogits(p), perturbed.NextTokenLogits(p)));
    }

    [Fact]
    public void A_base_model_answering_the_wrong_length_is_reported()
    {
        var e = Assert.Throws<InvalidOperationException>(() => new PerturbedModel(new WrongLengthModel(), 0.1, 1).NextTokenLogits(Prefix.Empty));
        Assert.Contains("returned 3 logits at []; expected k = 2", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1.59, false)]
    [InlineData(1.596, true)]
    public void Rounding_that_defeats_64_shrink_steps_gives_the_base_vector(double offsetInUlps, bool givesBase)
    {
        // k = 2, T = 1, base logits (1.5, -1.5) whose ulp is 2^-52. With seed 21, |u_0 - u_1| = 0.9665 at the empty
        // prefix, and the centered offsets are δ'_0 = -δ'_1 = ε(u_0 - u_1), of size c·ulp for ε = c·ulp/|u_0 - u_1|
        // (here ulp < ε < 2 ulp, so the scale factor starts at 1).
        // Step s adds r^s·c·ulp with r = 1 - 2^-10: while that exceeds 1.5 ulp it rounds to 2 ulp > ε and the step
        // fails; once below 1.5 ulp it rounds to 1 ulp <= ε and passes. For c = 1.59 that is step 60 (the result moves
        // by one ulp); for c = 1.596 it would be step 64, one past the 64 steps (0..63) allowed, so the base vector
        // itself is returned.
        const int Seed = 21;
        var baseLogits = LogitVector.FromLogits([1.5, -1.5]);
        var baseModel = new TabularModel(2, 1, new Dictionary<Prefix, LogitVector> { [Prefix.Empty] = baseLogits });
        var ulp = Math.BitIncrement(1.5) - 1.5;
        var spread = Math.Abs(StableHash.Uniform(Seed, [], 0) - StableHash.Uniform(Seed, [], 1));
        Assert.InRange(spread, 0.96, 0.97);
        var epsilon = offsetInUlps * ulp / spread;

        var actual = new PerturbedModel(baseModel, epsilon, Seed).NextTokenLogits(Prefix.Empty);
        if (givesBase)
        {
            Assert.Same(baseLogits, actual);
        }
        else
        {
            Assert.Equal(ulp, actual.MaxAbsDifference(baseLogits));
        }
    }
}
