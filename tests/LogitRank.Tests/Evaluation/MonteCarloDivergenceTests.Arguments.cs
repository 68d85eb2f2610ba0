using LogitRank.Evaluation;
using LogitRank.Models;
using LogitRank.Numerics;
using LogitRank.Oracles;
using LogitRank.Sequences;
using LogitRank.Tests.Evaluation;
using LogitRank.Tests.Models;
using LogitRank.Tests.Oracles;

namespace LogitRank.Tests.Evaluation;

/// <summary>The argument checks of every <see cref="MonteCarloDivergence"/> overload, before any sample or query.</summary>
public partial class MonteCarloDivergenceTests
{
    private static readonly ISequenceModel P = TabularModel.Random(2, 3, 1, scale: 1.0);

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

    /// <summary>
    /// The sampling overload checks the models before drawing: with a <c>Q</c> of another shape it throws without calling
    /// <c>P.Sample</c> and without consuming the caller's random stream (the overload on given samples checks again, so
    /// only this side effect tells the two checks apart).
    /// </summary>
    [Fact]
    public void The_sampling_overload_rejects_incompatible_models_before_drawing()
    {
        var p = new SpyModel(P);
        var random = new Random(7);
        Assert.Throws<IncompatibleModelsException>(() => MonteCarloDivergence.Estimate(p, TabularModel.Random(2, 4, 1, scale: 1.0), 3, random));
        Assert.Equal(0, p.Samples);
        Assert.Equal(new Random(7).Next(), random.Next());
    }

    /// <summary>
    /// The oracle overload insists on one answer per prefix: one answer too few or too many is an
    /// <see cref="InvalidOperationException"/> naming both counts, not an index error or a silently ignored extra answer.
    /// </summary>
    [Theory]
    [InlineData(-1)]
    [InlineData(1)]
    public void The_oracle_overload_rejects_a_wrong_number_of_answers(int extra)
    {
        var oracle = new SpyOracle(2, 3, batch => Enumerable.Range(0, batch.Count + extra).Select(_ => LogitVector.Uniform(2)).ToArray());
        IReadOnlyList<Prefix> samples = [Prefix.Of([0, 1, 0]), Prefix.Of([1, 1, 0])];
        var e = Assert.Throws<InvalidOperationException>(() => MonteCarloDivergence.Estimate(oracle, P, samples));
        Assert.Contains($"answered {2 + extra} prefixes for a batch of 2", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void The_logit_bound_range_needs_a_horizon_of_at_least_one(int horizon)
    {
        Assert.Equal("horizon", Assert.Throws<ArgumentOutOfRangeException>(() => MonteCarloDivergence.KullbackLeiblerRangeFromLogitBound(horizon, 0.1)).ParamName);
    }

    /// <summary>
    /// <c>δ</c> must lie in the open interval (0, 1), and is checked before any work: both ends, values beyond either end,
    /// and NaN are rejected by name before the oracle of <c>P</c> is asked anything (the TV bounds would reject the same
    /// <c>δ</c> later with the same exception, but only after every query along the samples had been made and paid for).
    /// </summary>
    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    [InlineData(1.5)]
    [InlineData(-0.5)]
    [InlineData(double.NaN)]
    public void Delta_outside_the_open_unit_interval_is_rejected_by_name_before_any_query(double delta)
    {
        IReadOnlyList<Prefix> samples = [Prefix.Of([0, 1, 0])];
        var oracle = new SpyOracle(new ModelOracle(P));
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => MonteCarloDivergence.Estimate(oracle, P, samples, delta));
        Assert.Equal("delta", e.ParamName);
        Assert.Contains("open interval (0, 1)", e.Message, StringComparison.Ordinal);
        Assert.Empty(oracle.Batches);
        Assert.Equal("delta", Assert.Throws<ArgumentOutOfRangeException>(() => MonteCarloDivergence.Estimate(P, P, samples, delta)).ParamName); // the model overload
    }

    /// <summary>
    /// The documented clipping: a per-sample KL value above the given range by at most a relative <c>1e-12</c> is clipped
    /// to the range (rounding), including exactly at <c>range·(1 + 1e-12)</c>; one further above is kept and rejected.
    /// The sample's KL value <c>v</c> is read from a first estimate without a range; the ranges are then chosen relative
    /// to <c>v</c>: <c>v/(1 + 5e-13)</c> (inside the tolerance), the double <c>r</c> with <c>r·(1 + 1e-12) == v</c> exactly
    /// (the boundary, found by stepping through neighbouring doubles), and <c>v/(1 + 1e-9)</c> (outside).
    /// </summary>
    [Fact]
    public void Per_sample_KL_values_within_the_rounding_tolerance_above_the_range_are_clipped_to_it()
    {
        var p = TestModels.Iid(2, 0.7, 0.3);
        var q = TestModels.Iid(2, 0.4, 0.6);
        IReadOnlyList<Prefix> samples = [Prefix.Of([0, 1])];
        var v = MonteCarloDivergence.Estimate(p, q, samples).KullbackLeibler.Samples[0];
        Assert.True(v > 0.1, $"the sample's KL value {v} should be clearly positive");

        var inside = v / (1 + 5e-13);
        Assert.True(inside < v);
        var clipped = MonteCarloDivergence.Estimate(p, q, samples, kullbackLeiblerRange: inside).KullbackLeibler;
        Assert.Equal(inside, clipped.Samples[0]);
        Assert.Equal(inside, clipped.Range);

        const double Tolerance = 1 + 1e-12;
        var boundary = v / Tolerance;
        for (var step = 0; step < 64 && boundary * Tolerance != v; step++)
        {
            boundary = boundary * Tolerance < v ? Math.BitIncrement(boundary) : Math.BitDecrement(boundary);
        }

        Assert.True(boundary * Tolerance == v, "no double r with r·(1 + 1e-12) == v next to v/(1 + 1e-12)");
        Assert.True(boundary < v);
        Assert.Equal(boundary, MonteCarloDivergence.Estimate(p, q, samples, kullbackLeiblerRange: boundary).KullbackLeibler.Samples[0]);

        Assert.Throws<ArgumentOutOfRangeException>(() => MonteCarloDivergence.Estimate(p, q, samples, kullbackLeiblerRange: v / (1 + 1e-9)));
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1.0)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NaN)]
    public void A_KL_range_must_be_positive_and_finite(double range)
    {
        IReadOnlyList<Prefix> samples = [Prefix.Of([0, 1, 0])];
        Assert.Equal("kullbackLeiblerRange", Assert.Throws<ArgumentOutOfRangeException>(() => MonteCarloDivergence.Estimate(P, P, samples, kullbackLeiblerRange: range)).ParamName);
    }

    [Fact]
    public void A_sample_count_of_one_is_valid()
    {
        var estimate = MonteCarloDivergence.Estimate(P, P, sampleCount: 1, new Random(1));
        Assert.Equal(0.0, estimate.KullbackLeibler.Mean, 12);
    }

    [Fact]
    public void An_oracle_backed_estimate_stops_on_a_cancelled_token()
    {
        using var cancellation = new CancellationTokenSource();
        cancellation.Cancel();
        IReadOnlyList<Prefix> samples = [Prefix.Of([0, 1, 0])];
        // The spy forwards without the token (it ignores cancellation) and records every batch.
        var oracle = new SpyOracle(new ModelOracle(P));
        Assert.ThrowsAny<OperationCanceledException>(() => MonteCarloDivergence.Estimate(oracle, P, samples, cancellationToken: cancellation.Token));
        Assert.Empty(oracle.Batches);
    }
}
