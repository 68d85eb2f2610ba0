using LogitRank.Models;
using LogitRank.Oracles;
using LogitRank.Sequences;

namespace LogitRank.Tests.Oracles;

public partial class OracleSamplerTests
{
    private static readonly TimeVaryingIsan Isan = TimeVaryingIsan.Random(3, 6, 2, seed: 1);

    [Fact]
    public void Sampling_is_reproducible_from_the_seed()
    {
        var oracle = new ModelOracle(Isan);
        var a = OracleSampler.Sample(oracle, 20, 6, new Random(3));
        var b = OracleSampler.Sample(oracle, 20, 6, new Random(3));
        var c = OracleSampler.Sample(oracle, 20, 6, new Random(4));
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
        Assert.All(a, s => Assert.Equal(6, s.Length));
    }

    [Fact]
    public void Draws_one_uniform_per_sample_per_step_in_sample_major_order()
    {
        // Independent reconstruction: step by step, each sample's token from the model with the shared stream.
        var random = new Random(8);
        var expected = Enumerable.Repeat(Prefix.Empty, 7).ToArray();
        for (var t = 0; t < 4; t++)
        {
            for (var i = 0; i < expected.Length; i++)
            {
                expected[i] = expected[i].Append(SequenceModel.SampleToken(Isan.NextTokenLogits(expected[i]).Probabilities(), random));
            }
        }

        var actual = OracleSampler.Sample(new ModelOracle(Isan), 7, 4, new Random(8));
        Assert.Equal(expected, actual);
    }

    [Theory]
    [InlineData(5, 0)]
    [InlineData(5, 3)]
    [InlineData(1, 6)]
    public void Makes_exactly_length_batches_of_count_prefixes_with_the_phase(int count, int length)
    {
        var spy = new SpyOracle(new ModelOracle(Isan));
        OracleSampler.Sample(spy, count, length, new Random(1), QueryPhase.Certification);
        Assert.Equal(length, spy.Batches.Count);
        Assert.All(spy.Batches, b => Assert.Equal(count, b.Batch.Length));
        Assert.All(spy.Batches, b => Assert.Equal(QueryPhase.Certification, b.Phase));
        for (var t = 0; t < spy.Batches.Count; t++)
        {
            Assert.All(spy.Batches[t].Batch, p => Assert.Equal(t, p.Length));
        }
    }

    [Fact]
    public void Zero_samples_make_no_query()
    {
        var spy = new SpyOracle(new ModelOracle(Isan));
        Assert.Empty(OracleSampler.Sample(spy, 0, 5, new Random(1)));
        Assert.Empty(spy.Batches);
    }

    [Fact]
    public void Bad_arguments_are_rejected()
    {
        var oracle = new ModelOracle(Isan);
        Assert.Throws<ArgumentOutOfRangeException>(() => OracleSampler.Sample(oracle, -1, 3, new Random(1)));
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => OracleSampler.Sample(oracle, 1, 7, new Random(1)));
        Assert.Contains("0..6", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Frequencies_match_the_model_and_SequenceModel_Sample()
    {
        // Tiny tabular model: k = 2, T = 3, 8 sequences. With N = 20000 draws each empirical frequency has standard
        // deviation at most sqrt(1/4N) ≈ 0.0035; the tolerance 0.02 is over 5.5 standard deviations (a chance below
        // 1e-7 per cell), and the seeds are fixed, so the test is deterministic.
        const int n = 20000;
        const double tolerance = 0.02;
        var model = TabularModel.Random(2, 3, seed: 4, scale: 1.5);
        var viaOracle = OracleSampler.Sample(new ModelOracle(model).Cached(), n, 3, new Random(21));
        var rng = new Random(22);
        var viaModel = Enumerable.Range(0, n).Select(_ => model.Sample(rng)).ToArray();

        foreach (var y in SequenceSpace.All(2, 3))
        {
            var exact = Math.Exp(model.LogProbability(y));
            var p1 = viaOracle.Count(s => s == y) / (double)n;
            var p2 = viaModel.Count(s => s == y) / (double)n;
            Assert.True(Math.Abs(p1 - exact) < tolerance, $"{y}: oracle sampler {p1} vs exact {exact}");
            Assert.True(Math.Abs(p2 - exact) < tolerance, $"{y}: SequenceModel.Sample {p2} vs exact {exact}");
        }
    }

    [Fact]
    public void SampleWithLogits_returns_the_same_sequences_and_the_answers_along_them()
    {
        var oracle = new ModelOracle(Isan);
        var plain = OracleSampler.Sample(oracle, 6, 5, new Random(30));
        var spy = new SpyOracle(oracle);
        var paths = OracleSampler.SampleWithLogits(spy, 6, 5, new Random(30));
        Assert.Equal(plain, paths.Select(p => p.Sequence));
        Assert.Equal(5, spy.Batches.Count);
        foreach (var path in paths)
        {
            Assert.Equal(5, path.Logits.Count);
            for (var t = 0; t < 5; t++)
            {
                Assert.Equal(Isan.NextTokenLogits(path.Sequence.Take(t)), path.Logits[t]);
            }

            // Chain rule: the path's log-probability from the answers is the model's (1e-12: sums of 5 O(1) terms).
            Assert.Equal(Isan.LogProbability(path.Sequence), path.LogProbability(), precision: 12);
        }
    }
}
