using LogitRank.Models;
using LogitRank.Numerics;
using LogitRank.Sequences;
using LogitRank.Tests.Evaluation;

namespace LogitRank.Tests.Models;

/// <summary>Every invalid argument raises a typed exception whose message names the value and the expectation.</summary>
public class ModelErrorPathTests
{
    [Theory]
    [InlineData(0.0)]
    [InlineData(0.5)]
    [InlineData(-0.25)]
    [InlineData(0.75)]
    [InlineData(double.NaN)]
    public void Noisy_parity_rejects_noise_outside_the_open_interval(double noise)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new NoisyParity([1, 0], noise));
        Assert.Equal("noise", ex.ParamName);
        Assert.Contains(noise.ToString(System.Globalization.CultureInfo.InvariantCulture), ex.Message);
        Assert.Contains("(0, 1/2)", ex.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => NoisyParity.Random(3, noise, 1));
    }

    [Fact]
    public void Noisy_parity_rejects_bad_secrets_and_bit_counts()
    {
        var ex = Assert.Throws<ArgumentException>(() => new NoisyParity([0, 2, 1], 0.1));
        Assert.Contains("bit 1 is 2", ex.Message);
        Assert.Contains("0 or 1", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => new NoisyParity([], 0.1));
        Assert.Contains("empty", ex.Message);
        Assert.Throws<ArgumentNullException>(() => new NoisyParity(null!, 0.1));
        var range = Assert.Throws<ArgumentOutOfRangeException>(() => NoisyParity.Random(0, 0.1, 1));
        Assert.Contains("n >= 1", range.Message);
        Assert.Contains("got 0", range.Message);
        var label = Assert.Throws<ArgumentException>(() => new NoisyParity([1, 1], 0.1).Label(Prefix.Of(1)));
        Assert.Contains("length 1", label.Message);
        Assert.Contains("n = 2", label.Message);
    }

    [Fact]
    public void Hmm_rejects_non_positive_or_unnormalised_rows()
    {
        var ok = new double[,] { { 0.5, 0.5 }, { 0.5, 0.5 } };
        var ex = Assert.Throws<ArgumentException>(() => new HiddenMarkovModel(2, [0.5, 0.5], new double[,] { { 0.5, 0.5 }, { 1.5, -0.5 } }, ok));
        Assert.Contains("Entry (1,1) of the transition matrix is -0.5", ex.Message);
        Assert.Equal("transition", ex.ParamName);
        ex = Assert.Throws<ArgumentException>(() => new HiddenMarkovModel(2, [0.5, 0.5], ok, new double[,] { { 0.5, 0.6 }, { 0.5, 0.5 } }));
        Assert.Contains("Row 0 of the emission matrix sums to 1.1", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => new HiddenMarkovModel(2, [0.25, 0.25], ok, ok));
        Assert.Contains("initial distribution sums to 0.5", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => new HiddenMarkovModel(2, [1.0, double.NaN], ok, ok));
        Assert.Contains("is NaN", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => new HiddenMarkovModel(2, [0.2, 0.3, 0.5], ok, ok));
        Assert.Contains("2x2; expected S x S = 3x3", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => new HiddenMarkovModel(2, [0.5, 0.5], ok, new double[,] { { 0.5, 0.5 } }));
        Assert.Contains("1 rows; expected S = 2", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => new HiddenMarkovModel(2, [], new double[0, 0], new double[0, 2]));
        Assert.Contains("S >= 1", ex.Message);
        Assert.Throws<ArgumentNullException>(() => new HiddenMarkovModel(2, [1.0], new double[,] { { 1.0 } }, null!));
        Assert.Throws<ArgumentNullException>(() => new HiddenMarkovModel(2, null!, ok, ok));
        var tooLong = Assert.Throws<ArgumentException>(() => HiddenMarkovModel.Random(2, 2, 2, 1).StateDistribution(Prefix.Of(0, 0)));
        Assert.Contains("length 2; expected at most 1", tooLong.Message);
        var range = Assert.Throws<ArgumentOutOfRangeException>(() => new HiddenMarkovModel(2, [1.0], new double[,] { { 1.0 } }, new double[,] { { 1.0 } }));
        Assert.Contains("k >= 2", range.Message);
    }

    [Theory]
    [InlineData(0, 2, 2, 1.0, 0.1, "states", "S >= 1")]
    [InlineData(2, 1, 2, 1.0, 0.1, "alphabetSize", "k >= 2")]
    [InlineData(2, 2, 0, 1.0, 0.1, "horizon", "T >= 1")]
    [InlineData(2, 2, 2, 0.0, 0.1, "concentration", "got 0")]
    [InlineData(2, 2, 2, double.PositiveInfinity, 0.1, "concentration", "got Infinity")]
    [InlineData(2, 2, 2, 1.0, 0.0, "smoothing", "(0, 1]")]
    [InlineData(2, 2, 2, 1.0, 1.5, "smoothing", "got 1.5")]
    public void Random_hmm_rejects_bad_parameters(int states, int k, int horizon, double concentration, double smoothing, string parameter, string fragment)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => HiddenMarkovModel.Random(states, k, horizon, 1, concentration, smoothing));
        Assert.Equal(parameter, ex.ParamName);
        Assert.Contains(fragment, ex.Message);
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Perturbed_model_rejects_bad_epsilon(double epsilon)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new PerturbedModel(TabularModel.Random(2, 2, 1), epsilon, 1));
        Assert.Equal("epsilon", ex.ParamName);
        Assert.Contains("ε >= 0", ex.Message);
        Assert.Contains(epsilon.ToString(System.Globalization.CultureInfo.InvariantCulture), ex.Message);
        Assert.Throws<ArgumentNullException>(() => new PerturbedModel(null!, 0.1, 1));
    }

    [Fact]
    public void Isan_rejects_bad_parameters()
    {
        var range = Assert.Throws<ArgumentOutOfRangeException>(() => TimeVaryingIsan.Random(2, 2, 0, 1));
        Assert.Contains("d >= 1", range.Message);
        range = Assert.Throws<ArgumentOutOfRangeException>(() => TimeVaryingIsan.Random(2, 2, 1, 1, logitScale: 0));
        Assert.Contains("logit scale", range.Message);
        range = Assert.Throws<ArgumentOutOfRangeException>(() => TimeVaryingIsan.Random(1, 2, 1, 1));
        Assert.Contains("k >= 2", range.Message);

        double[,] one = { { 1 } };
        double[,] readout = { { 1 }, { 0 } };
        var ex = Assert.Throws<ArgumentException>(() => new TimeVaryingIsan(2, 2, [double.PositiveInfinity], [[one, one]], [readout, readout]));
        Assert.Contains("Entry 0 of x_0 is Infinity", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => new TimeVaryingIsan(2, 2, [1.0], [[one, new double[,] { { double.NaN } }]], [readout, readout]));
        Assert.Contains("Entry (0,0) of A_(1,1) is NaN", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => new TimeVaryingIsan(2, 2, [1.0], [[one, one]], [readout, new double[,] { { 1, 2 }, { 3, 4 } }]));
        Assert.Contains("B_1 is 2x2; expected 2x1", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => new TimeVaryingIsan(2, 2, [1.0], [[one]], [readout, readout]));
        Assert.Contains("Step 1 has 1 transition matrices; expected k = 2", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => new TimeVaryingIsan(2, 3, [1.0], [[one, one]], [readout, readout, readout]));
        Assert.Contains("Expected T-1 = 2 transition steps; got 1", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => TimeVaryingIsan.FromAffine(2, 2, [1.0], [[one, one]], [[[1.0], [1.0, 2.0]]], [readout, readout], [[0, 0], [0, 0]]));
        Assert.Contains("c_(1,1) has length 2; expected d = 1", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => TimeVaryingIsan.FromAffine(2, 2, [1.0], [[one, one]], [[[1.0], [1.0]]], [readout, readout], [[0, 0], [0]]));
        Assert.Contains("e_1 has length 1; expected k = 2", ex.Message);
    }

    [Fact]
    public void Models_reject_prefixes_that_are_too_long_or_outside_the_alphabet()
    {
        foreach (var family in ModelTestSupport.Names)
        {
            var model = ModelTestSupport.Tiny(family);
            var tooLong = Assert.Throws<ArgumentException>(() => model.NextTokenLogits(Prefix.Of(new int[model.Horizon])));
            Assert.Contains($"length {model.Horizon}; expected at most {model.Horizon - 1}", tooLong.Message);
            var outside = Assert.Throws<ArgumentException>(() => model.NextTokenLogits(Prefix.Of(model.AlphabetSize)));
            Assert.Contains($"Token {model.AlphabetSize} at position 0", outside.Message);
            Assert.Throws<ArgumentException>(() => model.LogProbability(Prefix.Of(new int[model.Horizon + 1])));
        }
    }

    [Fact]
    public void Extensions_reject_bad_arguments()
    {
        var model = TabularModel.Random(2, 2, 1);
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => model.SampleMany(-3, 1));
        Assert.Contains("got -3", ex.Message);
        Assert.Empty(model.SampleMany(0, 1));
        Assert.Throws<ArgumentNullException>(() => ((ISequenceModel)null!).SampleMany(1, 1));
        Assert.Throws<ArgumentNullException>(() => ((ISequenceModel)null!).NextTokenProbabilities(Prefix.Empty));
        Assert.Throws<ArgumentNullException>(() => ((ISequenceModel)null!).Probability(Prefix.Empty));
        var scale = Assert.Throws<ArgumentOutOfRangeException>(() => TabularModel.Random(2, 2, 1, scale: -1));
        Assert.Contains("logit scale", scale.Message);
        var k = Assert.Throws<ArgumentOutOfRangeException>(() => TabularModel.Random(-1, 2, 1));
        Assert.Contains("k >= 2; got -1", k.Message);
        var t = Assert.Throws<ArgumentOutOfRangeException>(() => TabularModel.Random(2, 0, 1));
        Assert.Contains("T >= 1; got 0", t.Message);
    }

    /// <summary>
    /// The shared prefix check names the caller's own parameter: <c>sequence</c> for whole-sequence probabilities,
    /// <c>prefix</c> for next-token logits, <c>input</c> for a parity label, <c>table</c> for a tabular model's keys (the baselines' models: <c>SpectralLearnerTests</c> and
    /// <c>LeastSquaresLearnerTests</c>, <c>Name_and_prefix_validation</c>).
    /// </summary>
    [Fact]
    public void Prefix_checks_name_the_callers_parameter()
    {
        var model = TestModels.Iid(2, 0.5, 0.5);
        Assert.Equal("sequence", Assert.Throws<ArgumentNullException>(() => model.LogProbability(null!)).ParamName);
        Assert.Equal("sequence", Assert.Throws<ArgumentException>(() => model.LogProbability(Prefix.Of(0, 0, 0))).ParamName);
        Assert.Equal("sequence", Assert.Throws<ArgumentException>(() => model.LogProbability(Prefix.Of(2))).ParamName);
        Assert.Equal("prefix", Assert.Throws<ArgumentException>(() => model.NextTokenLogits(Prefix.Of(0, 0))).ParamName);

        Assert.Equal("input", Assert.Throws<ArgumentException>(() => new NoisyParity([1, 0], 0.1).Label(Prefix.Of(1, 2))).ParamName);

        var table = new Dictionary<Prefix, LogitVector> { [Prefix.Empty] = LogitVector.Uniform(2), [Prefix.Of(2)] = LogitVector.Uniform(2) };
        Assert.Equal("table", Assert.Throws<ArgumentException>(() => new TabularModel(2, 2, table)).ParamName);
    }
}
