using LogitRank.Models;
using LogitRank.Sequences;

namespace LogitRank.Tests.Models;

public partial class NoisyParityTests
{
    [Fact]
    public void Label_logits_are_plus_minus_B_and_the_label_has_probability_one_minus_noise()
    {
        // ν = 0.1: B = ½ log(0.9/0.1) = ½ log 9 = log 3.
        var model = new NoisyParity([1, 0, 1], 0.1);
        Assert.Equal(Math.Log(3), model.LabelLogit, 1e-15);
        Assert.Equal(2, model.AlphabetSize);
        Assert.Equal(4, model.Horizon);
        Assert.Equal(3, model.Bits);
        Assert.Equal([1, 0, 1], model.Secret);
        Assert.Equal(0.1, model.Noise);

        // x = 111: <s,x> = 1 + 0 + 1 = 0 mod 2 -> (+B, -B). x = 100: 1 -> (-B, +B).
        Assert.Equal([Math.Log(3), -Math.Log(3)], model.NextTokenLogits(Prefix.Of(1, 1, 1)).ToArray(), new ToleranceComparer(1e-15));
        Assert.Equal([-Math.Log(3), Math.Log(3)], model.NextTokenLogits(Prefix.Of(1, 0, 0)).ToArray(), new ToleranceComparer(1e-15));
        Assert.Equal(0, model.Label(Prefix.Of(1, 1, 1)));
        Assert.Equal(1, model.Label(Prefix.Of(1, 0, 0)));
        Assert.Equal(0.9, model.NextTokenProbabilities(Prefix.Of(1, 1, 1))[0], 1e-15);
        Assert.Equal(0.9, model.NextTokenProbabilities(Prefix.Of(0, 0, 1))[1], 1e-15);
    }

    [Fact]
    public void Input_bits_are_uniform()
    {
        var model = NoisyParity.Random(4, 0.25, seed: 3);
        foreach (var prefix in SequenceSpace.AllUpTo(2, 3))
        {
            Assert.Equal([0.0, 0.0], model.NextTokenLogits(prefix).ToArray());
        }

        // Probability of a full sequence: 2^-n · (1-ν) if the label is right, 2^-n · ν otherwise.
        foreach (var x in SequenceSpace.All(2, 4))
        {
            var label = model.Label(x);
            Assert.Equal(0.75 / 16, model.Probability(x.Append(label)), 1e-15);
            Assert.Equal(0.25 / 16, model.Probability(x.Append(1 - label)), 1e-15);
        }
    }

    [Fact]
    public void Random_secret_is_a_function_of_the_seed()
    {
        Assert.Equal(NoisyParity.Random(16, 0.1, 5).Secret, NoisyParity.Random(16, 0.1, 5).Secret);
        Assert.NotEqual(NoisyParity.Random(16, 0.1, 5).Secret, NoisyParity.Random(16, 0.1, 6).Secret);
        Assert.All(NoisyParity.Random(16, 0.1, 5).Secret, b => Assert.InRange(b, 0, 1));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Logit_rank_is_exactly_one_at_every_cut(int seed)
    {
        // The label column (|f| = n - s) exists at every cut s = 0..n, so the rank is exactly 1 everywhere
        // (proofs-notes/isan-logit-rank.md, noisy parity).
        var model = NoisyParity.Random(5, 0.15, seed);
        for (var s = 0; s < model.Horizon; s++)
        {
            var m = ModelTestSupport.LogitMatrix(model, s);
            Assert.Equal(1, ModelTestSupport.NumericalRank(m));

            // Every nonzero entry is ±B.
            Assert.All(m.Enumerate(), v => Assert.True(v == 0 || Math.Abs(Math.Abs(v) - model.LabelLogit) < 1e-15, $"entry {v}"));
        }
    }

    [Fact]
    public void All_zero_secret_still_has_rank_one()
    {
        var model = new NoisyParity([0, 0, 0], 0.3);
        Assert.All(Enumerable.Range(0, 4), s => Assert.Equal(1, ModelTestSupport.NumericalRank(ModelTestSupport.LogitMatrix(model, s))));
    }


    [Fact]
    public void Random_draws_up_to_the_bit_limit_and_refuses_one_more()
    {
        Assert.Equal(NoisyParity.MaxRandomBits + 1, NoisyParity.Random(NoisyParity.MaxRandomBits, 0.1, 1).Horizon);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => NoisyParity.Random(NoisyParity.MaxRandomBits + 1, 0.1, 1));
        Assert.Contains($"n <= MaxRandomBits = {NoisyParity.MaxRandomBits}", e.Message, StringComparison.Ordinal);
        Assert.Contains($"got {NoisyParity.MaxRandomBits + 1}", e.Message, StringComparison.Ordinal);
    }
}
