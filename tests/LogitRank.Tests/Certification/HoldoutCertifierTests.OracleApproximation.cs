using LogitRank.Certification;
using LogitRank.Evaluation;
using LogitRank.Models;
using LogitRank.Numerics;
using LogitRank.Sequences;

namespace LogitRank.Tests.Certification;

/// <content>
/// An oracle that completes top-N answers: with its approximation report the certificate covers the distance to the
/// true model (proofs-notes/oracle-approximation.md).
/// </content>
public partial class HoldoutCertifierTests
{
    /// <summary>A target and its top-2-of-4 completing oracle; the "learned" model is the oracle's own model, so the old certificate sees TV 0.</summary>
    private static (TimeVaryingIsan Target, TopNCompletingOracle Oracle, TabularModel OracleModel) TopTwoOfFour()
    {
        var target = TimeVaryingIsan.Random(4, 4, 3, seed: 21, logitScale: 1.0);
        var oracle = new TopNCompletingOracle(target, returned: 2);
        return (target, oracle, oracle.OwnModel());
    }

    [Fact]
    public void With_the_approximation_report_the_bounds_cover_the_true_model_and_without_it_they_do_not()
    {
        var (target, oracle, learned) = TopTwoOfFour();
        var bound = LogitBound(learned);
        var exactTv = ExactDivergence.TotalVariation(target, learned);
        var exactKl = ExactDivergence.KullbackLeibler(target, learned);
        Assert.True(exactTv > 0.05, $"the completion should move the model: TV {exactTv}");

        // The sweep's failure: certifying against the oracle alone states a bound far below the true distance.
        var blind = HoldoutCertifier.Certify(oracle, learned, bound, new HoldoutOptions { Samples = 1000, Delta = 0.05, Seed = 5 });
        Assert.True(blind.TotalVariationUpper < exactTv, $"without the report: {blind.TotalVariationUpper} vs exact {exactTv}");
        Assert.False(blind.CoversOracleApproximation);

        var covered = HoldoutCertifier.Certify(oracle, learned, bound, new HoldoutOptions { Samples = 1000, Delta = 0.05, Seed = 5, Approximation = oracle });
        Assert.True(covered.CoversOracleApproximation);
        Assert.True(exactTv <= covered.TotalVariationUpper, $"TV: exact {exactTv} vs certified {covered.TotalVariationUpper}");
        Assert.True(exactKl <= covered.KullbackLeiblerUpper, $"KL: exact {exactKl} vs certified {covered.KullbackLeiblerUpper}");
        Assert.True(exactTv <= covered.HybridTotalVariation.Upper, $"hybrid: exact {exactTv} vs {covered.HybridTotalVariation.Upper}");
        Assert.True(covered.PathsThroughFilledTokens > 0);
        Assert.Equal(1000L * 4, covered.ApproximatedSteps); // every answer of a top-2-of-4 oracle is completed
    }

    [Fact]
    public void Paths_through_filled_tokens_are_counted_at_the_rate_the_oracle_model_takes_them()
    {
        // E[share of paths through a filled token] = P_{y ~ M_oracle}(some y_t is filled at y_{<t}), exactly by enumeration.
        var (_, oracle, learned) = TopTwoOfFour();
        var probability = 0.0;
        foreach (var y in SequenceSpace.All(4, 4))
        {
            var hits = Enumerable.Range(0, 4).Any(t => oracle.FilledTokens(y.Take(t), learned.NextTokenLogits(y.Take(t))).Contains(y[t]));
            if (hits)
            {
                probability += learned.Probability(y);
            }
        }

        const int n = 2000;
        var certificate = HoldoutCertifier.Certify(oracle, learned, LogitBound(learned), new HoldoutOptions { Samples = n, Delta = 0.05, Seed = 9, Approximation = oracle });
        // A mean of 2000 Bernoulli draws is within 0.05 of its expectation except with probability 2·exp(-2·2000·0.05²) ≈ 9e-5.
        Assert.InRange(certificate.PathsThroughFilledTokens / (double)n, probability - 0.05, probability + 0.05);
        // Each such path is a full failure of the TV statistic, so the TV mean is at least their share.
        Assert.True(certificate.TotalVariation.Mean >= certificate.PathsThroughFilledTokens / (double)n);
    }

    [Fact]
    public void The_worst_consistent_distribution_bounds_every_distribution_the_answer_allows()
    {
        // Consistent p: p_a = λ·q_a off F with λ in [1, 1/q(R)], the rest (1 - λ·q(R)) spread over F in any way.
        var random = new Random(17);
        for (var trial = 0; trial < 50; trial++)
        {
            var k = 3 + (trial % 4);
            var answer = LogitVector.FromLogits([.. Enumerable.Range(0, k).Select(_ => 3 * ((2 * random.NextDouble()) - 1))]);
            var learned = LogitVector.FromLogits([.. Enumerable.Range(0, k).Select(_ => 3 * ((2 * random.NextDouble()) - 1))]);
            var filled = Enumerable.Range(0, k).Where(_ => random.NextDouble() < 0.5).ToArray();
            if (filled.Length == 0)
            {
                filled = [trial % k];
            }

            var (worstKl, worstTv) = HoldoutCertifier.WorstOverConsistentDistributions(answer, learned, filled);
            var q = answer.Probabilities();
            var pHat = learned.Probabilities();
            var massR = Enumerable.Range(0, k).Where(a => !filled.Contains(a)).Sum(a => q[a]);
            var maxSeenKl = 0.0;
            var maxSeenTv = 0.0;
            for (var draw = 0; draw < 400; draw++)
            {
                // draw 0..k-1 hit the vertices (λ at an end, all of F's share on one token); the rest are random interior points.
                var lambda = massR == 0 ? 1 : draw == 0 ? 1 / massR : draw < filled.Length + 1 ? 1 : 1 + (random.NextDouble() * ((1 / massR) - 1));
                var weights = filled.Select((_, j) => draw >= 1 && draw <= filled.Length ? (j == draw - 1 ? 1.0 : 0.0) : random.NextDouble()).ToArray();
                var total = weights.Sum();
                var p = new double[k];
                for (var a = 0; a < k; a++)
                {
                    p[a] = filled.Contains(a) ? 0 : lambda * q[a];
                }

                var rest = Math.Max(0, 1 - p.Sum());
                for (var j = 0; j < filled.Length; j++)
                {
                    p[filled[j]] = total == 0 ? rest / filled.Length : rest * weights[j] / total;
                }

                var kl = Enumerable.Range(0, k).Where(a => p[a] > 0).Sum(a => p[a] * Math.Log(p[a] / pHat[a]));
                var tv = 0.5 * Enumerable.Range(0, k).Sum(a => Math.Abs(p[a] - pHat[a]));
                // Rounding: sums of k <= 6 terms of size <= ~10; 1e-9 is far above it and far below any real excess.
                Assert.True(kl <= worstKl + 1e-9, $"trial {trial}, draw {draw}: KL {kl} above the worst {worstKl}");
                Assert.True(tv <= worstTv + 1e-9, $"trial {trial}, draw {draw}: TV {tv} above the worst {worstTv}");
                maxSeenKl = Math.Max(maxSeenKl, kl);
                maxSeenTv = Math.Max(maxSeenTv, tv);
            }

            // The worst case is attained (at a vertex), so the bound is no looser than it must be.
            Assert.Equal(worstKl, maxSeenKl, 9);
            Assert.Equal(worstTv, maxSeenTv, 9);
        }
    }
}
