using LogitRank.Baselines;
using LogitRank.Models;
using LogitRank.Sequences;
using LogitRank.Tests.Evaluation;

namespace LogitRank.Tests.Baselines;

/// <summary>
/// The documented shape choices of the spectral baseline: the basis lengths
/// <c>L_p = min(L, ⌊(T-1)/2⌋)</c> and <c>L_s = min(L, T-1-L_p)</c>, the automatic rank (the singular values above
/// <c>(√|P| + √|S|)/(2√n)</c>, at least 1, at most the smaller basis), and the edges of its option ranges.
/// </summary>
public partial class SpectralLearnerTests
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
    /// <summary>
    /// A tie at the noise scale: three copies of the word 010 (k = 2, T = 3, L = 1, so P = S = {ε, 0, 1}) give
    /// H = [[1, 1, 0], [1, 0, 1], [0, 0, 0]] with H Hᵀ = [[2, 1, 0], [1, 2, 0], [0, 0, 0]], singular values √3, 1, 0, and the
    /// threshold (√3 + √3)/(2√3) = 1 exactly. Only singular values strictly above it count: the rank is 1, not 2.
    /// </summary>
    [Fact]
    public void A_singular_value_equal_to_the_noise_scale_is_not_counted()
    {
        var word = Prefix.Of([0, 1, 0]);
        var result = new SpectralLearner(basisLength: 1).Learn(2, 3, [word, word, word]);

        // The premise: the computed second singular value and the threshold are both exactly 1 (a 2x2 block with integer
        // Gram matrix; checked exactly so that the test really sits on the tie).
        Assert.Equal(1.0, result.SingularValues[1]);
        Assert.Equal(1.0, (Math.Sqrt(3) + Math.Sqrt(3)) / (2 * Math.Sqrt(3)));
        Assert.True(result.SingularValues[0] > 1.7, $"σ_1 = {result.SingularValues[0]}");
        Assert.Equal(1, result.Rank);
    }

    /// <summary>
    /// A source whose prefix statistics are known exactly: the 64 samples hold every word of the Markov chain with
    /// π = (1/4, 3/4), P(0 → ·) = (1/2, 1/2), P(1 → ·) = (1/4, 3/4) in exactly its proportion (p(y)·64 copies of y). The
    /// chain's prefix function has a rank-2 WFA and the empirical f̂ equals it on every word of length &lt;= 3, which is
    /// all that H (|uv| &lt;= 2) and the H_a (|u a v| &lt;= 3) read; with r = 2 the learned automaton is the chain's, so
    /// its next-token distribution is π at ∅ and P(last token → ·) after any prefix. The longest words (length
    /// L_p + L_s + 1 = 3) enter only through the block |u| = L_p, |v| = L_s of each H_a; without them B_a is wrong and
    /// the predictions after a prefix are too. (An i.i.d. source cannot show this: there H_a = p_a·H entrywise, so with
    /// the same block dropped from every H_a each B_a is p_a times one common matrix C, every q_a(h) is p_a times the
    /// common factor α_0ᵀ C^{|h|+1} α_∞, and the normalised ratios survive at any rank.)
    /// Every probability is above the floor 1e-3, so the floor does not move them. 1e-12 absorbs the rounding of a
    /// 3x3 SVD and pseudo-inverse (~1e-15).
    /// </summary>
    [Fact]
    public void A_markov_chain_with_exact_counts_is_learned_exactly()
    {
        double[] initial = [0.25, 0.75];
        double[][] next = [[0.5, 0.5], [0.25, 0.75]];
        var samples = new List<Prefix>();
        foreach (var y in SequenceSpace.All(2, 3))
        {
            var copies = (int)Math.Round(64 * initial[y[0]] * next[y[0]][y[1]] * next[y[1]][y[2]]);
            samples.AddRange(Enumerable.Repeat(y, copies));
        }

        Assert.Equal(64, samples.Count);
        var result = new SpectralLearner(rank: 2, basisLength: 1).Learn(2, 3, samples);
        Assert.Equal(1, result.PrefixBasisLength);
        Assert.Equal(1, result.SuffixBasisLength);
        foreach (var h in SequenceSpace.AllUpTo(2, 2))
        {
            var expected = h.Length == 0 ? initial : next[h[^1]];
            var actual = result.Model.NextTokenLogits(h).Probabilities();
            Assert.True(Math.Abs(expected[0] - actual[0]) <= 1e-12, $"prefix {h}: P(0) = {actual[0]}, expected {expected[0]}");
        }
    }

    [Fact]
    public void Name_and_prefix_validation()
    {
        Assert.Equal("spectral", new SpectralLearner().Name);
        var model = new SpectralLearner(basisLength: 1).Learn(2, 3, Samples(3, 50)).Model;
        Assert.Equal("sequence", Assert.Throws<ArgumentException>(() => model.LogProbability(Prefix.Of([0, 1, 0, 1]))).ParamName);
        Assert.Equal("sequence", Assert.Throws<ArgumentException>(() => model.LogProbability(Prefix.Of([0, 2]))).ParamName);

        // T = 0 is refused by name before the samples are looked at.
        Assert.Equal("horizon", Assert.Throws<ArgumentOutOfRangeException>(() => new SpectralLearner().Learn(2, 0, [Prefix.Empty])).ParamName);
    }
    // Hand-built rank-1 automata (k = 2): α_0 = [a0], B_0 = [[b0]], B_1 = [[b1]], α_∞ = [ainf], so q_a = state·b_a·ainf.
    private static SpectralLearner.WfaModel Wfa(int horizon, double a0, double b0, double b1, double ainf, double floor) =>
        new(2, horizon, [a0], [new double[,] { { b0 } }, new double[,] { { b1 } }], [ainf], floor);

    private static double P0(SpectralLearner.WfaModel model, params int[] prefix) => model.NextTokenLogits(Prefix.Of(prefix)).Probabilities()[0];

    /// <summary>
    /// q = (-3, 1) sums to -2, so the signs are flipped: (3, -1), clipped to (3, 0), normalised to (1, 0), floored to
    /// (1, f) and renormalised: P(0) = 1/(1 + f). 1e-15: three roundings of numbers near 1.
    /// </summary>
    [Fact]
    public void A_negative_sum_flips_the_signs_before_clipping_and_flooring()
    {
        var model = Wfa(2, 1, -3, 1, 1, floor: 0.01);
        Assert.Equal(1 / 1.01, P0(model), 1e-15);
        Assert.Equal(Math.Log(0.01 / 1.01), model.LogProbability(Prefix.Of([1])), 1e-14);
    }

    /// <summary>
    /// q = (1, -1) sums to exactly 0, which counts as positive: clipped to (1, 0), P(0) = 1/(1 + f). After the token 0 the
    /// state is 1·B_0 = 1 again, so the same holds there.
    /// </summary>
    [Fact]
    public void A_zero_sum_keeps_the_signs()
    {
        var model = Wfa(3, 1, 1, -1, 1, floor: 0.01);
        Assert.Equal(1 / 1.01, P0(model), 1e-15);
        Assert.Equal(1 / 1.01, P0(model, 0), 1e-15);
    }

    /// <summary>
    /// No positive entry (q = (0, 0)) or a non-finite one (q_0 = 1e308·1e308 = ∞) gives the uniform distribution, also in
    /// the log-probabilities that the model computes without the logit vector: log M(y) = T·log(1/2) exactly.
    /// </summary>
    [Fact]
    public void No_positive_entry_or_a_non_finite_one_gives_the_uniform_distribution()
    {
        var zero = Wfa(2, 1, 0, 0, 1, floor: 0.01);
        Assert.Equal(0.5, P0(zero));
        Assert.Equal(2 * Math.Log(0.5), zero.LogProbability(Prefix.Of([0, 1])));

        var infinite = Wfa(2, 1, 1e308, 1, 1e308, floor: 0.01);
        Assert.Equal(0.5, P0(infinite));
        Assert.Equal(Math.Log(0.5), infinite.LogProbability(Prefix.Of([1])));
    }

    /// <summary>
    /// The vector is normalised before the floor: q = (4, 0.04) has sum 4.04, so before the floor P = (4/4.04, 0.04/4.04)
    /// = (0.990…, 0.0099…); the floor 0.02 lifts the second entry to 0.02 and P(0) = (4/4.04)/(4/4.04 + 0.02). (Flooring
    /// the unnormalised q would leave it unchanged.) 1e-15 as above.
    /// </summary>
    [Fact]
    public void The_floor_applies_to_the_normalised_vector()
    {
        var model = Wfa(2, 1, 4, 0.04, 1, floor: 0.02);
        var p0 = 4 / 4.04;
        Assert.Equal(p0 / (p0 + 0.02), P0(model), 1e-15);
    }

    /// <summary>
    /// The state is rescaled to unit max-norm at every step (and α_0 at construction), which leaves the ratios
    /// unchanged: with α_0 = 1e300 and B = (1e200, 2e200) the unscaled products overflow after one token, yet every
    /// prefix predicts q ∝ (1, 2), P(0) = 1/3 (1e-15 as above).
    /// </summary>
    [Fact]
    public void The_state_is_rescaled_so_long_products_do_not_overflow()
    {
        var model = Wfa(3, 1e300, 1e200, 2e200, 1, floor: 1e-3);
        Assert.Equal(1.0 / 3, P0(model), 1e-15);
        Assert.Equal(1.0 / 3, P0(model, 0), 1e-15);
        Assert.Equal(1.0 / 3, P0(model, 1, 0), 1e-15);
    }
}
