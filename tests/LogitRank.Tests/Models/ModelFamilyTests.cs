using LogitRank.Models;
using LogitRank.Sequences;
using MathNet.Numerics.Distributions;

namespace LogitRank.Tests.Models;

/// <summary>Properties every model family must have: a proper distribution, the chain rule, reproducible and faithful sampling.</summary>
public class ModelFamilyTests
{
    public static TheoryData<string> Families => ModelTestSupport.FamilyNames;

    [Theory]
    [MemberData(nameof(Families))]
    public void Probabilities_over_all_sequences_sum_to_one(string family)
    {
        var model = ModelTestSupport.Tiny(family);
        var total = SequenceSpace.All(model.AlphabetSize, model.Horizon).Sum(model.Probability);

        // Each sequence probability is exp of a sum of T = 3 log-probabilities, each accurate to a few ulps of its
        // magnitude (|log p| < 40 here), so its relative error is < 1e-13; summing ≤ 27 of them adds < 27 ulps.
        // 1e-9 leaves a wide margin while still catching any normalisation bug (which shows at 1e-3 or more).
        Assert.Equal(1.0, total, 1e-9);
    }

    [Theory]
    [MemberData(nameof(Families))]
    public void Next_token_probabilities_are_positive_and_normalised_at_every_prefix(string family)
    {
        var model = ModelTestSupport.Tiny(family);
        foreach (var prefix in SequenceSpace.AllUpTo(model.AlphabetSize, model.Horizon - 1))
        {
            var p = model.NextTokenProbabilities(prefix);
            Assert.Equal(model.AlphabetSize, p.Length);
            Assert.All(p, v => Assert.True(v > 0, $"p = {v} at {prefix}"));

            // softmax of k ≤ 3 entries: a few ulps.
            Assert.Equal(1.0, p.Sum(), 1e-12);

            // Centered: the logits sum to 0 up to the rounding of centering (a few ulps of max|ℓ| ≤ 10).
            Assert.Equal(0.0, model.NextTokenLogits(prefix).Values.ToArray().Sum(), 1e-12);
        }
    }

    [Theory]
    [MemberData(nameof(Families))]
    public void Log_probability_is_the_sum_of_next_token_log_probabilities(string family)
    {
        var model = ModelTestSupport.Tiny(family);
        foreach (var sequence in SequenceSpace.AllUpTo(model.AlphabetSize, model.Horizon))
        {
            var chain = 0.0;
            for (var t = 0; t < sequence.Length; t++)
            {
                chain += Math.Log(model.NextTokenProbabilities(sequence.Take(t))[sequence[t]]);
            }

            // Both sides sum ≤ 3 terms of magnitude < 40 computed by slightly different formulas (log∘softmax vs
            // log-softmax): agreement to 1e-12 absolute.
            Assert.Equal(chain, model.LogProbability(sequence), 1e-12);
        }
    }

    [Theory]
    [MemberData(nameof(Families))]
    public void Sampling_is_reproducible_from_the_seed(string family)
    {
        var model = ModelTestSupport.Tiny(family);
        var a = model.SampleMany(200, seed: 11);
        var b = model.SampleMany(200, seed: 11);
        var c = model.SampleMany(200, seed: 12);
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
        Assert.All(a, y => Assert.Equal(model.Horizon, y.Length));
    }

    [Theory]
    [MemberData(nameof(Families))]
    public void Empirical_frequencies_match_exact_probabilities(string family)
    {
        var model = ModelTestSupport.Tiny(family);
        const int n = 20000;
        var counts = model.SampleMany(n, seed: 2024).GroupBy(y => y).ToDictionary(g => g.Key, g => g.Count());
        var cells = SequenceSpace.All(model.AlphabetSize, model.Horizon).ToList();

        // Pearson chi-square over the k^T cells (27, or 16 for parity; df = cells used - 1). Cells with expected count < 5 are pooled into one,
        // as the chi-square approximation needs. Threshold: the 1 - 1e-6 quantile, so a correct sampler fails
        // with probability ~1e-6 (the seed is fixed, so the outcome is deterministic anyway), while a sampler off by
        // even 3% in a cell of probability 0.1 gives a statistic of ~ 20000·0.1·0.03² / 1 ≈ 18 per such cell.
        double statistic = 0, pooledExpected = 0, pooledObserved = 0;
        var df = -1;
        foreach (var y in cells)
        {
            var expected = n * model.Probability(y);
            var observed = counts.GetValueOrDefault(y);
            if (expected < 5)
            {
                pooledExpected += expected;
                pooledObserved += observed;
                continue;
            }

            statistic += (observed - expected) * (observed - expected) / expected;
            df++;
        }

        if (pooledExpected >= 5)
        {
            statistic += (pooledObserved - pooledExpected) * (pooledObserved - pooledExpected) / pooledExpected;
            df++;
        }

        Assert.True(df >= 3, $"Too few cells with expected count >= 5 ({df + 1}).");
        var threshold = ChiSquared.InvCDF(df, 1 - 1e-6);
        Assert.True(statistic < threshold, $"chi-square {statistic:F2} >= {threshold:F2} (df = {df}).");
    }

    [Fact]
    public void Chi_square_check_detects_a_wrong_distribution()
    {
        // The same statistic against a different model's probabilities must be huge: the check can fail.
        var model = ModelTestSupport.Tiny("isan");
        var other = TimeVaryingIsan.Random(3, 3, 2, seed: 99, logitScale: 1.5);
        const int n = 20000;
        var counts = model.SampleMany(n, seed: 2024).GroupBy(y => y).ToDictionary(g => g.Key, g => g.Count());
        var statistic = SequenceSpace.All(3, 3).Sum(y =>
        {
            var expected = n * other.Probability(y);
            var observed = counts.GetValueOrDefault(y);
            return (observed - expected) * (observed - expected) / expected;
        });
        Assert.True(statistic > ChiSquared.InvCDF(26, 1 - 1e-6), $"statistic {statistic}");
    }
}
