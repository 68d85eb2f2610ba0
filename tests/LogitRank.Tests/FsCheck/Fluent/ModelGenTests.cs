using LogitRank.FsCheck;
using LogitRank.FsCheck.Fluent;
using LogitRank.Models;
using LogitRank.Sequences;

namespace LogitRank.Tests.FsCheck.Fluent;

/// <summary>
/// The C# surface of the packaged generators (<see cref="ModelGen"/>, <see cref="ModelArb"/>), used as a C# caller
/// would: seeded samples of model specs and models, and arbitraries that shrink within the bound.
/// </summary>
public class ModelGenTests
{
    [Fact]
    public void A_sample_is_a_function_of_the_seed()
    {
        var a = ModelGen.SampleSpecs(count: 50, seed: 7);
        var b = ModelGen.SampleSpecs(count: 50, seed: 7);
        var c = ModelGen.SampleSpecs(count: 50, seed: 8);
        Assert.Equal(50, a.Length);
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
        Assert.Equal(ModelGen.Sample(ModelGen.Prefix(3, 6), 20, seed: -5), ModelGen.Sample(ModelGen.Prefix(3, 6), 20, seed: -5));
    }

    [Fact]
    public void Sampled_specs_cover_every_family_within_the_bound()
    {
        const int bound = 64;
        var specs = ModelGen.SampleSpecs(count: 200, seed: 1, maxSequences: bound);
        Assert.All(specs, spec =>
        {
            var model = spec.ToModel();
            Assert.Equal(spec.SequenceCount, SequenceSpace.Count(model.AlphabetSize, model.Horizon));
            Assert.InRange(spec.SequenceCount, 2, bound);
        });

        // Five families, each drawn with probability 1/5: in 200 draws each appears (P[one missing] < 5·0.8^200).
        Assert.Equal(5, specs.Select(s => s.Tag).Distinct().Count());
    }

    [Fact]
    public void Sampled_models_are_the_models_of_the_sampled_specs()
    {
        var specs = ModelGen.SampleSpecs(count: 30, seed: 3, maxSequences: 32);
        var models = ModelGen.SampleModels(count: 30, seed: 3, maxSequences: 32);
        Assert.Equal(specs.Length, models.Length);
        for (var i = 0; i < specs.Length; i++)
        {
            var expected = specs[i].ToModel();
            Assert.Equal(expected.GetType(), models[i].GetType());
            Assert.Equal(expected.AlphabetSize, models[i].AlphabetSize);

            // Same spec, same seeded constructor: the same distribution, bit for bit.
            Assert.All(SequenceSpace.All(expected.AlphabetSize, expected.Horizon), y => Assert.Equal(expected.LogProbability(y), models[i].LogProbability(y)));
        }
    }

    [Fact]
    public void Family_generators_respect_their_documented_ranges()
    {
        Assert.All(ModelGen.Sample(ModelGen.Isan(maxSequences: 100), 100, seed: 2), s =>
        {
            Assert.InRange(s.StateDimension, 1, 6);
            Assert.InRange(Math.Pow(s.AlphabetSize, s.Horizon), 2, 100);
        });
        Assert.All(ModelGen.Sample(ModelGen.NoisyParity(maxSequences: 100), 100, seed: 2), s => Assert.InRange(s.Noise, 0.01, 0.49));
        Assert.All(ModelGen.Sample(ModelGen.Hmm(), 100, seed: 2), s => Assert.InRange(s.States, 1, 5));
        Assert.All(ModelGen.Sample(ModelGen.PerturbedIsan(), 100, seed: 2), s => Assert.InRange(s.Epsilon, 0.0, 1.0));
        Assert.All(ModelGen.Sample(ModelGen.Tabular(), 100, seed: 2), s => Assert.InRange(s.Scale, 0.25, 4.0));
        Assert.All(ModelGen.Sample(ModelGen.Prefix(alphabetSize: 4, maxLength: 3), 100, seed: 2), p =>
        {
            Assert.InRange(p.Length, 0, 3);
            Assert.All(p, token => Assert.InRange(token, 0, 3));
        });

        // Probability vectors: positive, normalised to rounding (softmax of at most 5 entries: a few ulps).
        Assert.All(ModelGen.Sample(ModelGen.ProbabilityVector(5), 100, seed: 2), p =>
        {
            Assert.Equal(5, p.Length);
            Assert.All(p, v => Assert.True(v > 0));
            Assert.Equal(1.0, p.Sum(), 1e-12);
        });
        Assert.All(ModelGen.Sample(ModelGen.LogitVector(3), 100, seed: 2), v => Assert.Equal(3, v.Length));
    }

    [Fact]
    public void Arbitraries_shrink_to_valid_specs_that_are_no_larger()
    {
        var arbitrary = ModelArb.AnyFamily(maxSequences: 256);
        foreach (var spec in ModelGen.SampleSpecs(count: 40, seed: 4, maxSequences: 256))
        {
            var smaller = arbitrary.Shrinker(spec).ToList();
            Assert.All(smaller, s =>
            {
                Assert.NotEqual(spec, s);
                Assert.InRange(s.SequenceCount, 1, spec.SequenceCount);
                _ = s.ToModel(); // valid: the constructor checks every parameter
            });
        }

        var isan = new IsanSpec(alphabetSize: 3, horizon: 4, stateDimension: 5, seed: 9, logitScale: 2.5);
        Assert.Contains(new IsanSpec(2, 4, 5, 9, 2.5), ModelArb.Isan().Shrinker(isan));
    }

    [Fact]
    public void Bad_arguments_are_typed_errors_that_name_the_value()
    {
        var bound = Assert.Throws<ArgumentOutOfRangeException>(() => ModelGen.Isan(maxSequences: 4));
        Assert.Equal("maxSequences", bound.ParamName);
        Assert.Contains("at least 5", bound.Message, StringComparison.Ordinal);
        Assert.Equal("maxSequences", Assert.Throws<ArgumentOutOfRangeException>(() => ModelGen.SampleModels(3, 1, maxSequences: 0)).ParamName);
        Assert.Equal("maxSequences", Assert.Throws<ArgumentOutOfRangeException>(() => ModelArb.Hmm(maxSequences: 2)).ParamName);
        Assert.Equal("count", Assert.Throws<ArgumentOutOfRangeException>(() => ModelGen.SampleSpecs(-1, 1)).ParamName);
        Assert.Equal("size", Assert.Throws<ArgumentOutOfRangeException>(() => ModelGen.Sample(ModelGen.Tabular(), 1, 1, size: -1)).ParamName);
        Assert.Equal("generator", Assert.Throws<ArgumentNullException>(() => ModelGen.Sample<int>(null!, 1, 1)).ParamName);
        Assert.Equal("alphabetSize", Assert.Throws<ArgumentOutOfRangeException>(() => ModelGen.Prefix(1, 3)).ParamName);
        Assert.Equal("maxLength", Assert.Throws<ArgumentOutOfRangeException>(() => ModelGen.Prefix(2, -1)).ParamName);
        Assert.Equal("alphabetSize", Assert.Throws<ArgumentOutOfRangeException>(() => ModelGen.LogitVector(0)).ParamName);
        Assert.Equal("alphabetSize", Assert.Throws<ArgumentOutOfRangeException>(() => ModelGen.ProbabilityVector(1)).ParamName);
        Assert.Empty(ModelGen.SampleSpecs(0, 1));
        Assert.Equal(Generators.DefaultMaxSequences, ModelGen.DefaultMaxSequences);
        Assert.Equal(4096, ModelGen.DefaultMaxSequences);
    }
}
