using LogitRank.Baselines;
using LogitRank.Models;
using LogitRank.Sequences;
using LogitRank.Tests.Evaluation;

namespace LogitRank.Tests.Mutation;

/// <summary>
/// The documented shape choices of the spectral baseline (proofs-notes/mutation.md): the basis lengths
/// <c>L_p = min(L, ⌊(T-1)/2⌋)</c> and <c>L_s = min(L, T-1-L_p)</c>, the automatic rank (the singular values above
/// <c>(√|P| + √|S|)/(2√n)</c>, at least 1, at most the smaller basis), and the edges of its option ranges.
/// </summary>
public class SpectralLearnerMutationTests
{
    private static IReadOnlyList<Prefix> Samples(int horizon, int count) => TabularModel.Random(2, horizon, 3, scale: 1.0).SampleMany(count, seed: 5);

    [Theory]
    [InlineData(5, 2, 2, 2)]
    [InlineData(4, 2, 1, 2)]
    [InlineData(6, 1, 1, 1)]
    [InlineData(3, 0, 0, 0)]
    [InlineData(3, 2, 1, 1)]
    public void Basis_lengths_split_the_horizon(int horizon, int basisLength, int expectedPrefix, int expectedSuffix)
    {
        var result = new SpectralLearner(basisLength: basisLength).Learn(2, horizon, Samples(horizon, 200));
        Assert.Equal(expectedPrefix, result.PrefixBasisLength);
        Assert.Equal(expectedSuffix, result.SuffixBasisLength);

        // |P| = 2^(L_p+1) - 1 prefixes and |S| = 2^(L_s+1) - 1 suffixes: min(|P|, |S|) singular values.
        Assert.Equal(Math.Min((1 << (expectedPrefix + 1)) - 1, (1 << (expectedSuffix + 1)) - 1), result.SingularValues.Count);
    }

    [Theory]
    [InlineData(50)]
    [InlineData(400)]
    [InlineData(5000)]
    public void The_automatic_rank_counts_the_singular_values_above_the_noise_scale(int n)
    {
        var result = new SpectralLearner(basisLength: 2).Learn(2, 5, Samples(5, n));
        var threshold = (Math.Sqrt(7) + Math.Sqrt(7)) / (2 * Math.Sqrt(n));
        var expected = Math.Max(1, result.SingularValues.Count(s => s > threshold));
        Assert.Equal(expected, result.Rank);
    }

    /// <summary>
    /// An i.i.d. source (here P(1) = 0.7 at every step) is a rank-1 automaton: from 20,000 samples the spectral model predicts its
    /// next-token distribution at every prefix. The empirical frequencies have standard deviation below 0.004 at this
    /// n; 0.03 leaves room for the estimate's own error and still fails when a Hankel block is built from wrong counts.
    /// </summary>
    [Fact]
    public void An_iid_source_is_learned_at_every_prefix()
    {
        var target = TestModels.Iid(4, 0.3, 0.7);
        var samples = target.SampleMany(20_000, seed: 7);
        var model = new SpectralLearner(basisLength: 1).Learn(2, 4, samples).Model;
        foreach (var prefix in SequenceSpace.AllUpTo(2, 3))
        {
            var expected = target.NextTokenLogits(prefix).Probabilities()[0];
            var actual = model.NextTokenLogits(prefix).Probabilities()[0];
            Assert.True(Math.Abs(expected - actual) <= 0.03, $"prefix {prefix}: P(0) = {actual}, target {expected}");
        }
    }

    [Fact]
    public void A_given_rank_is_capped_by_the_smaller_basis()
    {
        Assert.Equal(2, new SpectralLearner(rank: 2).Learn(2, 5, Samples(5, 100)).Rank);
        Assert.Equal(3, new SpectralLearner(rank: 50, basisLength: 1).Learn(2, 5, Samples(5, 100)).Rank); // |P| = |S| = 3
        Assert.Equal(1, new SpectralLearner(rank: 1).Rank);
    }

    [Fact]
    public void Option_edges()
    {
        Assert.Equal(0, new SpectralLearner(basisLength: 0).BasisLength);
        Assert.Equal("rank", Assert.Throws<ArgumentOutOfRangeException>(() => new SpectralLearner(rank: 0)).ParamName);
        Assert.Equal("basisLength", Assert.Throws<ArgumentOutOfRangeException>(() => new SpectralLearner(basisLength: -1)).ParamName);
        Assert.Equal("floor", Assert.Throws<ArgumentOutOfRangeException>(() => new SpectralLearner(floor: 0.5)).ParamName);

        // The floor must lie below 1/k: 1/3 is a valid floor in (0, 1/2) but not for k = 3.
        var samples = new[] { Prefix.Of([0, 1, 2]) };
        Assert.Equal("alphabetSize", Assert.Throws<ArgumentOutOfRangeException>(() => new SpectralLearner(floor: 1.0 / 3).Learn(3, 3, samples)).ParamName);
    }
}
