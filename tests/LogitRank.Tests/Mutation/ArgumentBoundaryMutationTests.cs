using LogitRank.Analysis;
using LogitRank.Baselines;
using LogitRank.Evaluation;
using LogitRank.Models;
using LogitRank.Oracles;
using LogitRank.Sequences;

namespace LogitRank.Tests.Mutation;

/// <summary>
/// The documented ranges of counts, probabilities and tolerances at their edges (proofs-notes/mutation.md): the
/// smallest valid count (1) is accepted, the excluded ends of an open interval are rejected by name, and the
/// oracle-backed computations stop on a cancelled token before they query, even when the oracle ignores the token.
/// </summary>
public class ArgumentBoundaryMutationTests
{
    private static readonly ISequenceModel Model = TabularModel.Random(2, 3, 1, scale: 1.0);

    [Fact]
    public void A_count_of_one_is_valid()
    {
        var estimate = MonteCarloDivergence.Estimate(Model, Model, sampleCount: 1, new Random(1));
        Assert.Equal(0.0, estimate.KullbackLeibler.Mean, 12);

        var learner = new LeastSquaresLearner(historySamples: 1, futureLength: 1, maxBasisSize: 1);
        Assert.Equal(1, learner.HistorySamples);
        Assert.Equal(1, learner.FutureLength);
        Assert.Equal(1, learner.MaxBasisSize);

        var matrix = LogitMatrix.Build(Model, 1, new LogitMatrixSampling { HistoryCount = 1, ExhaustiveHistories = false }, new Random(1));
        Assert.Equal(1, matrix.RowCount);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    [InlineData(-0.5)]
    [InlineData(1.5)]
    public void Delta_outside_the_open_unit_interval_is_rejected_by_name(double delta)
    {
        IReadOnlyList<Prefix> samples = [Prefix.Of([0, 1, 0])];
        Assert.Equal("delta", Assert.Throws<ArgumentOutOfRangeException>(() => MonteCarloDivergence.Estimate(Model, Model, samples, delta)).ParamName);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1.0)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NaN)]
    public void A_KL_range_must_be_positive_and_finite(double range)
    {
        IReadOnlyList<Prefix> samples = [Prefix.Of([0, 1, 0])];
        Assert.Equal("kullbackLeiblerRange", Assert.Throws<ArgumentOutOfRangeException>(() => MonteCarloDivergence.Estimate(Model, Model, samples, kullbackLeiblerRange: range)).ParamName);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    public void The_least_squares_rank_tolerance_lies_in_the_open_unit_interval(double tolerance)
    {
        Assert.Equal("rankTolerance", Assert.Throws<ArgumentOutOfRangeException>(() => new LeastSquaresLearner(rankTolerance: tolerance)).ParamName);
    }

    [Fact]
    public void An_oracle_backed_estimate_stops_on_a_cancelled_token()
    {
        using var cancellation = new CancellationTokenSource();
        cancellation.Cancel();
        IReadOnlyList<Prefix> samples = [Prefix.Of([0, 1, 0])];
        // The spy forwards without the token (it ignores cancellation) and records every batch.
        var oracle = new global::LogitRank.Tests.Oracles.SpyOracle(new ModelOracle(Model));
        Assert.ThrowsAny<OperationCanceledException>(() => MonteCarloDivergence.Estimate(oracle, Model, samples, cancellationToken: cancellation.Token));
        Assert.ThrowsAny<OperationCanceledException>(() => LogitMatrix.Build(oracle, 1, [Prefix.Of([0])], [Prefix.Of([1])], cancellation.Token));
        Assert.Empty(oracle.Batches);
    }
}
