using LogitRank.Evaluation;
using LogitRank.Models;
using LogitRank.Oracles;
using LogitRank.Sequences;

namespace LogitRank.Tests.Mutation;

/// <summary>
/// Details of <c>Evaluation</c> that the divergence tests do not pin (proofs-notes/mutation.md): Neumaier's
/// compensated sum behind the exact divergences, the argument checks of <see cref="ExactDivergence"/> and of every
/// <see cref="MonteCarloDivergence.Estimate(ISequenceModel, ISequenceModel, int, Random, double, double?)"/> overload.
/// </summary>
public class EvaluationMutationTests
{
    private static readonly ISequenceModel P = TabularModel.Random(2, 3, 1, scale: 1.0);

    /// <summary>
    /// Neumaier's examples: adding 1 next to ±1e100 loses it in plain summation; the compensation keeps it whether the
    /// large term comes before or after the small one (the two branches of the compensation update), and the total
    /// includes the compensation.
    /// </summary>
    [Theory]
    [InlineData(new[] { 1.0, 1e100, 1.0, -1e100 }, 2.0)]
    [InlineData(new[] { 1e100, 1.0, -1e100, 1.0 }, 2.0)]
    [InlineData(new[] { 3.0, 1e100, -1e100 }, 3.0)]
    [InlineData(new[] { 1e100, 3.0, -1e100 }, 3.0)]
    [InlineData(new[] { 0.1, 0.2, -0.3 }, 2.7755575615628914e-17)] // the exact sum of the three doubles
    public void Compensated_sum_recovers_what_plain_summation_loses(double[] terms, double expected)
    {
        var sum = default(CompensatedSum);
        foreach (var term in terms)
        {
            sum.Add(term);
        }

        Assert.Equal(expected, sum.Value);
    }

    [Fact]
    public void Exact_divergence_names_a_null_model_and_checks_the_limit_before_the_size()
    {
        Assert.Equal("p", Assert.Throws<ArgumentNullException>(() => ExactDivergence.KullbackLeibler(null!, P)).ParamName);
        Assert.Equal("q", Assert.Throws<ArgumentNullException>(() => ExactDivergence.TotalVariation(P, null!)).ParamName);

        // A limit of 1 is a valid limit (>= 1) that the 2^3 sequences exceed; 0 is not a valid limit.
        Assert.Throws<EnumerationTooLargeException>(() => ExactDivergence.KullbackLeibler(P, P, maxSequences: 1));
        Assert.Equal("maxSequences", Assert.Throws<ArgumentOutOfRangeException>(() => ExactDivergence.KullbackLeibler(P, P, maxSequences: 0)).ParamName);
    }

    [Fact]
    public void Every_Monte_Carlo_overload_rejects_models_of_another_shape_and_null_samples()
    {
        var otherHorizon = TabularModel.Random(2, 4, 1, scale: 1.0);
        IReadOnlyList<Prefix> samples = [Prefix.Of([0, 1, 0])];
        Assert.Throws<IncompatibleModelsException>(() => MonteCarloDivergence.Estimate(P, otherHorizon, 5, new Random(1)));
        Assert.Throws<IncompatibleModelsException>(() => MonteCarloDivergence.Estimate(P, otherHorizon, samples));
        Assert.Throws<IncompatibleModelsException>(() => MonteCarloDivergence.Estimate(new ModelOracle(P), otherHorizon, samples));
        Assert.Equal("samples", Assert.Throws<ArgumentNullException>(() => MonteCarloDivergence.Estimate(P, P, (IReadOnlyList<Prefix>)null!)).ParamName);
        Assert.Equal("samples", Assert.Throws<ArgumentNullException>(() => MonteCarloDivergence.Estimate(new ModelOracle(P), P, null!)).ParamName);
    }

    [Fact]
    public void Samples_are_checked_entry_by_entry()
    {
        IReadOnlyList<Prefix> withNull = [Prefix.Of([0, 1, 0]), null!];
        Assert.Equal("samples", Assert.Throws<ArgumentNullException>(() => MonteCarloDivergence.Estimate(P, P, withNull)).ParamName);

        // Token k = 2 is outside the alphabet 0..1.
        var e = Assert.Throws<ArgumentException>(() => MonteCarloDivergence.Estimate(P, P, [Prefix.Of([0, 2, 0])]));
        Assert.Contains("holds token 2 outside the alphabet 0..1", e.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// The per-step means are the averages over samples of the per-step values (not, say, their minimum), and the
    /// empirical Bernstein bounds exist from two samples on (they use n - 1), not with one.
    /// </summary>
    [Fact]
    public void Per_step_means_average_the_samples_and_Bernstein_needs_two_samples()
    {
        var q = TabularModel.Random(2, 3, 2, scale: 1.0);
        IReadOnlyList<Prefix> samples = [Prefix.Of([0, 1, 0]), Prefix.Of([1, 1, 0])];
        var both = MonteCarloDivergence.Estimate(P, q, samples, kullbackLeiblerRange: 50);
        var first = MonteCarloDivergence.Estimate(P, q, [samples[0]], kullbackLeiblerRange: 50);
        var second = MonteCarloDivergence.Estimate(P, q, [samples[1]], kullbackLeiblerRange: 50);
        for (var t = 0; t < 3; t++)
        {
            Assert.Equal((first.PerStepKullbackLeibler[t] + second.PerStepKullbackLeibler[t]) / 2, both.PerStepKullbackLeibler[t], 1e-15);
            Assert.Equal((first.PerStepTotalVariation[t] + second.PerStepTotalVariation[t]) / 2, both.PerStepTotalVariation[t], 1e-15);
        }

        Assert.NotEqual(first.PerStepKullbackLeibler[1], second.PerStepKullbackLeibler[1]); // the average is not trivially either
        Assert.NotNull(both.KullbackLeibler.BernsteinUpper);
        Assert.Null(first.KullbackLeibler.BernsteinUpper);
        Assert.NotNull(both.KullbackLeibler.BernsteinInterval);
        Assert.Null(first.KullbackLeibler.BernsteinInterval);
    }
}
