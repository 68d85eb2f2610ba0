using LogitRank.Models;
using LogitRank.Numerics;
using LogitRank.Sequences;

namespace LogitRank.Tests.Models;

/// <summary>
/// <see cref="SequenceModelExtensions.SampleMany(ISequenceModel, int, int, int)"/>: its arguments are checked by name
/// (the model first), a degree of parallelism of 1 is allowed, and the sequences are those of successive
/// <see cref="ISequenceModel.Sample"/> calls with one <c>new Random(seed)</c>, also for a model whose own
/// <see cref="SequenceModel.Sample"/> is not the inverse-CDF rule.
/// </summary>
public class SequenceModelExtensionsTests
{
    /// <summary>
    /// A model with uniform logits whose own <see cref="Sample"/> draws one bit and repeats it: only the sequences
    /// <c>(0,0,0)</c> and <c>(1,1,1)</c>, which the inverse-CDF rule on its logits would seldom give.
    /// </summary>
    private sealed class RepeatingModel() : SequenceModel(2, 3)
    {
        public override Prefix Sample(Random random)
        {
            ArgumentNullException.ThrowIfNull(random);
            var bit = random.Next(2);
            return Prefix.Of(bit, bit, bit);
        }

        protected override LogitVector ComputeLogits(Prefix prefix) => LogitVector.Uniform(2);
    }

    private static List<Prefix> Successive(ISequenceModel model, int count, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, count).Select(_ => model.Sample(random))];
    }

    [Fact]
    public void A_null_model_is_named_before_the_other_arguments_are_checked()
    {
        var e = Assert.Throws<ArgumentNullException>(() => SequenceModelExtensions.SampleMany(null!, -1, seed: 1, degreeOfParallelism: 0));
        Assert.Equal("model", e.ParamName);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-4)]
    public void A_degree_of_parallelism_below_one_is_rejected_naming_the_value(int degreeOfParallelism)
    {
        var model = TabularModel.Random(2, 2, seed: 1);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => model.SampleMany(5, seed: 1, degreeOfParallelism));
        Assert.Equal("degreeOfParallelism", e.ParamName);
        Assert.Equal(degreeOfParallelism, e.ActualValue);
        Assert.Contains($"Expected a degree of parallelism >= 1; got {degreeOfParallelism}.", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void One_thread_is_allowed_and_gives_the_successive_samples()
    {
        var model = TabularModel.Random(3, 4, seed: 2);
        var expected = Successive(model, 50, seed: 7);
        Assert.Equal(expected, model.SampleMany(50, seed: 7, degreeOfParallelism: 1));
        Assert.Equal(expected, model.SampleMany(50, seed: 7, degreeOfParallelism: 2));
    }

    [Fact]
    public void A_model_with_its_own_sampler_is_sampled_by_it_on_any_number_of_threads()
    {
        var model = new RepeatingModel();
        var expected = Successive(model, 40, seed: 3);
        Assert.Contains(expected, y => y[0] == 1);
        Assert.Equal(expected, model.SampleMany(40, seed: 3, degreeOfParallelism: 2));
        Assert.Equal(expected, model.SampleMany(40, seed: 3, degreeOfParallelism: 1));
    }
}
