using LogitRank.Baselines;
using LogitRank.Evaluation;
using LogitRank.Models;
using LogitRank.Numerics;
using LogitRank.Oracles;
using LogitRank.Sequences;

namespace LogitRank.Tests.Baselines;

public partial class TabulationLearnerTests
{
    [Theory]
    [InlineData(2, 1)]
    [InlineData(2, 5)]
    [InlineData(3, 4)]
    public void TabulationIsExactAndCostsEveryPrefixOnce(int k, int horizon)
    {
        var target = TimeVaryingIsan.Random(k, horizon, 2, seed: 11, logitScale: 1.5);
        var counting = new CountingOracle(new ModelOracle(target));
        var model = new TabulationLearner(batchSize: 7).Learn(counting);

        // (k^T - 1)/(k - 1) = Σ_{t<T} k^t prefixes of length 0..T-1, each queried once (independent formula).
        var expected = (long)((Math.Pow(k, horizon) - 1) / (k - 1));
        Assert.Equal(expected, counting.Counts.Total);
        Assert.Equal(expected, TabulationLearner.QueryCost(k, horizon));

        // The table holds the oracle's own vectors, so the divergences are 0 up to the rounding of the sums
        // (Neumaier-compensated sums of <= 243 terms: far below 1e-12).
        var divergence = ExactDivergence.SequenceLevel(target, model);
        Assert.True(divergence.TotalVariation <= 1e-12, $"TV = {divergence.TotalVariation}");
        Assert.True(divergence.KullbackLeibler <= 1e-12, $"KL = {divergence.KullbackLeibler}");
        foreach (var h in SequenceSpace.AllUpTo(k, horizon - 1))
        {
            Assert.Equal(target.NextTokenLogits(h), model.NextTokenLogits(h));
        }
    }

    [Fact]
    public void QueryCostMatchesTheGeometricSumAndSaturates()
    {
        Assert.Equal(1, TabulationLearner.QueryCost(5, 1));
        Assert.Equal(1023, TabulationLearner.QueryCost(2, 10));
        Assert.Equal(5_592_405, TabulationLearner.QueryCost(4, 12));
        Assert.Equal(long.MaxValue, TabulationLearner.QueryCost(2, 80));
    }

    [Fact]
    public void TabulationRefusesTablesAboveTheLimitAndBadArguments()
    {
        var oracle = new ModelOracle(TimeVaryingIsan.Random(2, 6, 2, seed: 1));
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new TabulationLearner(maxPrefixes: 62).Learn(oracle));
        Assert.Contains("63", error.Message, StringComparison.Ordinal);
        Assert.Equal(63, new CountingOracle(oracle) is var c && new TabulationLearner(maxPrefixes: 63).Learn(c) is not null ? c.Counts.Total : -1);
        Assert.Throws<ArgumentOutOfRangeException>(() => new TabulationLearner(batchSize: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TabulationLearner(maxPrefixes: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => TabulationLearner.QueryCost(1, 3));
        Assert.Throws<ArgumentNullException>(() => new TabulationLearner().Learn(null!));
    }
}

public partial class LeastSquaresLearnerTests
{
    [Fact]
    public void LearnsAnExactRankIsanWithEnoughBasis()
    {
        var target = TimeVaryingIsan.Random(3, 6, 3, seed: 5, logitScale: 2.0);
        var result = new LeastSquaresLearner(historySamples: 200).Learn(new ModelOracle(target), seed: 3);

        // Exact data and a full basis: the recursion reproduces the rows exactly, so the only error is floating-point
        // rounding through <= 5 least-squares steps on well-conditioned 3-dimensional systems (observed ~1e-13).
        var tv = ExactDivergence.TotalVariation(target, result.Model);
        Assert.True(tv <= 1e-8, $"TV = {tv}");
        Assert.All(result.BasisSizes.Skip(1), m => Assert.True(m <= 3, $"basis {m} exceeds the rank 3"));
        Assert.Equal(1, result.BasisSizes[0]);
    }

    [Fact]
    public void IsReproducibleFromTheSeed()
    {
        var target = PerturbedModel.RandomIsan(3, 5, 3, 0.1, seed: 2);
        var first = new CountingOracle(new ModelOracle(target));
        var second = new CountingOracle(new ModelOracle(target));
        var a = new LeastSquaresLearner(historySamples: 30).Learn(first, seed: 9);
        var b = new LeastSquaresLearner(historySamples: 30).Learn(second, seed: 9);
        Assert.Equal(first.Counts.Total, second.Counts.Total);
        Assert.Equal(a.BasisSizes, b.BasisSizes);
        foreach (var h in SequenceSpace.AllUpTo(3, 4))
        {
            Assert.Equal(a.Model.NextTokenLogits(h), b.Model.NextTokenLogits(h));
        }
    }

    [Fact]
    public void FixedShortFuturesMissTheParityLabel()
    {
        // Noisy parity with n = 5 bits: every row on words of length <= 2 at a cut s <= 3 is zero (all logits before the
        // label are 0), so the bases there are empty and the recursion carries nothing to the label step. The label is then
        // predicted uniform: per-step TV at the label is |1/2 - ν| = 0.4 for every input, so TV(M, M̂) = 0.4 exactly.
        var target = NoisyParity.Random(5, 0.1, seed: 4);
        var result = new LeastSquaresLearner(historySamples: 64).Learn(new ModelOracle(target), seed: 1);
        Assert.Equal(0, result.BasisSizes[1]);
        var tv = ExactDivergence.TotalVariation(target, result.Model);
        Assert.True(Math.Abs(tv - 0.4) <= 1e-9, $"TV = {tv}");
    }

    [Fact]
    public void RejectsBadArguments()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new LeastSquaresLearner(historySamples: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LeastSquaresLearner(futureLength: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LeastSquaresLearner(maxBasisSize: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LeastSquaresLearner(rankTolerance: 1));
        Assert.Throws<ArgumentNullException>(() => new LeastSquaresLearner().Learn(null!, 0));
    }
}

public partial class SpectralLearnerTests
{
    [Fact]
    public void ConvergesOnAnHmmAsSamplesGrow()
    {
        var target = HiddenMarkovModel.Random(2, 3, 6, seed: 8, concentration: 1.0, smoothing: 0.05);
        var learner = new SpectralLearner(rank: 2);
        var errors = new List<double>();
        foreach (var n in new[] { 1_000, 10_000, 100_000 })
        {
            var samples = target.SampleMany(n, seed: 21);
            errors.Add(ExactDivergence.TotalVariation(target, learner.Learn(3, 6, samples).Model));
        }

        // The HMM's prefix function has a rank-2 WFA, so the estimate is consistent with error ~ n^{-1/2}: a 100-fold
        // increase in samples should cut TV by several times; we ask for strict decrease and a final TV below 0.05
        // (the empirical distribution of 1e5 samples on 729 sequences alone is ~0.04 from the target in TV).
        Assert.True(errors[1] < errors[0] && errors[2] < errors[1], string.Join(", ", errors));
        Assert.True(errors[2] < 0.05, $"TV at 1e5 samples = {errors[2]}");
    }

    [Fact]
    public void ChoosesTheHankelRankAutomatically()
    {
        var target = HiddenMarkovModel.Random(2, 2, 7, seed: 3, concentration: 0.5, smoothing: 0.05);
        var result = new SpectralLearner().Learn(2, 7, target.SampleMany(30_000, seed: 2));

        // A 2-state HMM's Hankel matrix has rank <= 2; with 3e4 samples the noise threshold (~0.015) lies between the
        // second singular value and the (zero) third, so the automatic choice must not exceed the true rank.
        Assert.InRange(result.Rank, 1, 2);
        Assert.Equal(2, result.PrefixBasisLength);
        Assert.Equal(2, result.SuffixBasisLength);
    }

    [Fact]
    public void RejectsBadArguments()
    {
        var samples = new[] { Prefix.Of(0, 1, 1) };
        Assert.Throws<ArgumentOutOfRangeException>(() => new SpectralLearner(rank: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SpectralLearner(basisLength: -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SpectralLearner(floor: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SpectralLearner(floor: 0.4).Learn(3, 3, samples));
        Assert.Throws<ArgumentException>(() => new SpectralLearner().Learn(2, 3, samples.Append(Prefix.Of(0, 1)).ToArray()));
        Assert.Throws<ArgumentException>(() => new SpectralLearner().Learn(2, 3, [Prefix.Of(0, 2, 1)]));
        Assert.Throws<ArgumentException>(() => new SpectralLearner().Learn(2, 3, []));
    }
}

public partial class NGramLearnerTests
{
    [Theory]
    [InlineData(NGramSmoothing.Additive, 0.5)]
    [InlineData(NGramSmoothing.AbsoluteDiscounting, 0.75)]
    public void FullContextNGramApproachesTheTarget(NGramSmoothing smoothing, double strength)
    {
        // Order n = T (context T-1: the whole history), position-aware: the smoothed empirical tabulation.
        var target = TimeVaryingIsan.Random(2, 4, 2, seed: 6, logitScale: 1.5);
        var learner = new NGramLearner(4, smoothing, strength);
        var small = ExactDivergence.TotalVariation(target, learner.Learn(2, 4, target.SampleMany(1_000, seed: 1)));
        var large = ExactDivergence.TotalVariation(target, learner.Learn(2, 4, target.SampleMany(100_000, seed: 1)));

        // 16 outcomes: the empirical TV is about ½ Σ_y sqrt(2 p_y/(π n)) <= ½ sqrt(32/(π n)) ≈ 0.005 at n = 1e5 (Cauchy-Schwarz);
        // smoothing adds O(kλ/count). 0.02 leaves a 4x margin.
        Assert.True(large < small, $"TV {small} -> {large}");
        Assert.True(large < 0.02, $"TV at 1e5 samples = {large}");
    }

    [Fact]
    public void OrderTwoIsBlindToParity()
    {
        // A bigram (context of one token) cannot see the parity of 4 bits: the label is predicted from the last bit only,
        // which is independent of the parity when the secret has another 1; each label probability tends to 1/2.
        var target = new NoisyParity([1, 1, 0, 1], 0.1);
        var model = new NGramLearner(2).Learn(2, 5, target.SampleMany(50_000, seed: 3));
        var tv = ExactDivergence.TotalVariation(target, model);

        // The exact TV of the uniform-label model is 0.4; sampling noise in the 4 label estimates is ~0.01.
        Assert.InRange(tv, 0.37, 0.43);
    }

    [Fact]
    public void RejectsBadArguments()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new NGramLearner(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new NGramLearner(2, NGramSmoothing.Additive, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new NGramLearner(2, NGramSmoothing.AbsoluteDiscounting, 1.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => new NGramLearner(2, (NGramSmoothing)7));
        Assert.Throws<ArgumentOutOfRangeException>(() => new NGramLearner(2).Learn(1, 3, [Prefix.Of(0, 0, 0)]));
        Assert.Throws<ArgumentNullException>(() => new NGramLearner(2).Learn(2, 3, null!));
        Assert.Throws<ArgumentException>(() => new NGramLearner(2).Learn(2, 3, [Prefix.Of(0, 0, 0), null!]));
    }
}

public class BaselineDistributionTests
{
    public static TheoryData<string> Learners => new(["tabulation", "least-squares", "spectral", "ngram-additive", "ngram-kn", "ngram-flat"]);

    private static ISequenceModel Fit(string name, PerturbedModel target, int seed)
    {
        var oracle = new ModelOracle(target);
        var samples = target.SampleMany(500, seed);
        return name switch
        {
            "tabulation" => new TabulationLearner().Learn(oracle),
            "least-squares" => ((IQueryLearner)new LeastSquaresLearner(historySamples: 20)).Learn(oracle, seed),
            "spectral" => ((ISampleLearner)new SpectralLearner(basisLength: 1)).Learn(target.AlphabetSize, target.Horizon, samples),
            "ngram-additive" => new NGramLearner(2, NGramSmoothing.Additive, 1.0).Learn(target.AlphabetSize, target.Horizon, samples),
            "ngram-kn" => new NGramLearner(3).Learn(target.AlphabetSize, target.Horizon, samples),
            "ngram-flat" => new NGramLearner(2, positionAware: false).Learn(target.AlphabetSize, target.Horizon, samples),
            _ => throw new ArgumentOutOfRangeException(nameof(name), name, "Unknown learner."),
        };
    }

    [Theory]
    [MemberData(nameof(Learners))]
    public void ProducesAProperDistributionConsistentWithItsLogits(string name)
    {
        // A perturbed target so that the least-squares recursion is not exact (its predictions are still softmaxes).
        var target = PerturbedModel.RandomIsan(3, 4, 2, 0.3, seed: 12);
        var model = Fit(name, target, seed: 4);
        var total = 0.0;
        foreach (var y in SequenceSpace.All(3, 4))
        {
            var logP = model.LogProbability(y);

            // Chain rule from the next-token logits, computed independently of any LogProbability override.
            var chain = Enumerable.Range(0, 4).Sum(t => model.NextTokenLogits(y.Take(t)).LogProbability(y[t]));
            Assert.True(Math.Abs(logP - chain) <= 1e-10, $"{name}: log M({y}) = {logP} but chain rule gives {chain}");
            total += Math.Exp(logP);
        }

        // 81 positive terms each with relative rounding ~1e-15.
        Assert.True(Math.Abs(total - 1) <= 1e-12, $"{name}: probabilities sum to {total}");
        Assert.Equal(0.0, model.LogProbability(Prefix.Empty), 12);
    }

    [Theory]
    [MemberData(nameof(Learners))]
    public void IsReproducibleAndSamplesFromItsOwnDistribution(string name)
    {
        var target = PerturbedModel.RandomIsan(2, 3, 2, 0.2, seed: 5);
        var a = Fit(name, target, seed: 8);
        var b = Fit(name, target, seed: 8);
        foreach (var h in SequenceSpace.AllUpTo(2, 2))
        {
            Assert.Equal(a.NextTokenLogits(h), b.NextTokenLogits(h));
        }

        var draws = a.SampleMany(20_000, seed: 1);
        Assert.Equal(draws, b.SampleMany(20_000, seed: 1));

        // Empirical frequencies of the 8 sequences against the model's own probabilities: each frequency has standard
        // deviation <= sqrt(0.25/20000) ≈ 0.0035, so 0.02 is > 5 standard deviations.
        foreach (var y in SequenceSpace.All(2, 3))
        {
            var frequency = draws.Count(d => d == y) / 20_000.0;
            Assert.True(Math.Abs(frequency - Math.Exp(a.LogProbability(y))) <= 0.02, $"{name}: {y} drawn with frequency {frequency}, probability {Math.Exp(a.LogProbability(y))}");
        }
    }
}
