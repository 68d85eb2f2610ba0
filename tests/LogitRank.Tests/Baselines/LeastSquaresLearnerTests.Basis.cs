using LogitRank.Baselines;
using LogitRank.Models;
using LogitRank.Numerics;
using LogitRank.Oracles;
using LogitRank.Sequences;
using LogitRank.Tests.Evaluation;
using LogitRank.Tests.Oracles;

namespace LogitRank.Tests.Baselines;

/// <summary>
/// The least-squares (LINGEN-style) baseline and its recurrent model on closed forms: an
/// i.i.d. source, whose transitions are exactly the identity; the greedy basis selection and the truncated
/// pseudo-inverse on hand-made rows; cancellation between batches; the recurrent model's overflow fallback.
/// </summary>
public partial class LeastSquaresLearnerTests
{
    /// <summary>
    /// An i.i.d. source (P(1) = 0.7 at every step) has the same logits ℓ at every prefix, so every row at every cut is
    /// (ℓ, ℓ, …): one basis history per cut, and c_{s+1} = c_s solves each least-squares step exactly, so every
    /// transition is the 1x1 identity and the largest induced ∞-norm is 1. The model then predicts ℓ everywhere. 1e-12
    /// absorbs the rounding of a pseudo-inverse of a vector of length at most 6 (~1e-16 relative).
    /// </summary>
    [Fact]
    public void An_iid_source_has_identity_transitions()
    {
        var target = TestModels.Iid(4, 0.3, 0.7);
        var result = new LeastSquaresLearner(historySamples: 20).Learn(new ModelOracle(target), seed: 2);
        Assert.Equal([1, 1, 1, 1], result.BasisSizes);
        Assert.True(Math.Abs(result.MaxTransitionNorm - 1) <= 1e-12, $"max transition norm {result.MaxTransitionNorm}");
        foreach (var h in SequenceSpace.AllUpTo(2, 3))
        {
            Assert.Equal(0.3, result.Model.NextTokenLogits(h).Probabilities()[0], 1e-12);
        }
    }

    [Fact]
    public void Name_and_prefix_validation()
    {
        Assert.Equal("least-squares", new LeastSquaresLearner().Name);
        var model = new LeastSquaresLearner(historySamples: 5).Learn(new ModelOracle(TestModels.Iid(3, 0.3, 0.7)), seed: 1).Model;
        Assert.Equal("sequence", Assert.Throws<ArgumentException>(() => model.LogProbability(Prefix.Of([0, 1, 0, 1]))).ParamName);
        Assert.Equal("sequence", Assert.Throws<ArgumentException>(() => model.LogProbability(Prefix.Of([0, 2]))).ParamName);
    }

    /// <summary>Cancelling while the rows are queried stops the learner before its next batch.</summary>
    [Fact]
    public void Cancellation_stops_the_learner_before_the_next_batch()
    {
        using var source = new CancellationTokenSource();
        var spy = new SpyOracle(new ModelOracle(TimeVaryingIsanTarget()));
        spy.OnQuery = _ =>
        {
            if (spy.Batches[^1].Phase == QueryPhase.Spanner)
            {
                source.Cancel();
            }
        };

        Assert.Throws<OperationCanceledException>(() => new LeastSquaresLearner(historySamples: 10).Learn(spy, seed: 3, source.Token));
        Assert.Single(spy.Batches, b => b.Phase == QueryPhase.Spanner);
    }

    /// <summary>A short answer is caught by the learner's cache, by its own exception type.</summary>
    [Fact]
    public void A_wrong_number_of_answers_is_reported()
    {
        var inner = new ModelOracle(TimeVaryingIsanTarget());
        var spy = new SpyOracle(inner.AlphabetSize, inner.Horizon, batch => [.. inner.Query(batch).Skip(1)]);
        Assert.Throws<InvalidOracleAnswerException>(() => new LeastSquaresLearner(historySamples: 4).Learn(spy, seed: 1));
    }

    [Fact]
    public void Basis_selection_is_greedy_relative_and_capped()
    {
        // No rows, no basis.
        Assert.Empty(LeastSquaresLearner.SelectBasis([], 5, 1e-8));

        // Ties go to the earlier row.
        Assert.Equal([0, 1], LeastSquaresLearner.SelectBasis([[1, 0], [0, 1]], 5, 1e-8));

        // The tolerance is relative to the largest row norm (10): 0.5 <= 0.1·10 is spanned, 0.5 > 0.01·10 is not. A zero row
        // changes nothing.
        Assert.Equal([1], LeastSquaresLearner.SelectBasis([[0, 0], [10, 0], [0, 0.5]], 5, 0.1));
        Assert.Equal([1, 2], LeastSquaresLearner.SelectBasis([[0, 0], [10, 0], [0, 0.5]], 5, 0.01));

        // Largest residual first, at most maxSize rows.
        Assert.Equal([0, 1], LeastSquaresLearner.SelectBasis([[3, 0, 0], [0, 2, 0], [0, 0, 1]], 2, 1e-8));
        Assert.Equal([2, 1, 0], LeastSquaresLearner.SelectBasis([[1, 0, 0], [0, 2, 0], [0, 0, 3]], 5, 1e-8));
    }

    /// <summary>
    /// The pseudo-inverse of Gᵀ (G[i, w] = rows[i][w]) keeps the singular values above 1e-10·σ_max. 1e-14: an SVD of a
    /// 2x2 matrix with entries of order 1 (the dropped direction would contribute 1e9).
    /// </summary>
    [Fact]
    public void The_pseudo_inverse_drops_singular_values_at_or_below_the_relative_cutoff()
    {
        // Full rank: Gᵀ = [[2, 0], [1, 1]] has inverse [[1/2, 0], [-1/2, 1]].
        AssertMatrix(new double[,] { { 0.5, 0 }, { -0.5, 1 } }, LeastSquaresLearner.PseudoInverseOfTranspose([[2, 1], [0, 1]], 2));

        // σ = (100, 1e-9): 1e-9 <= 1e-10·100 is dropped.
        AssertMatrix(new double[,] { { 0.01, 0 }, { 0, 0 } }, LeastSquaresLearner.PseudoInverseOfTranspose([[100, 0], [0, 1e-9]], 2));

        // Only the first `width` entries of a row are read; the zero matrix has the zero pseudo-inverse.
        AssertMatrix(new double[,] { { 0, 0 } }, LeastSquaresLearner.PseudoInverseOfTranspose([[0, 0, 7]], 2));
    }

    /// <summary>
    /// A recurrence that overflows: k = 2, T = 4, one coefficient per cut, every transition 1e300, readouts (1, 2).
    /// After one token the logits are (1, 2); after three the state is 1e300² = ∞ and the model predicts uniform.
    /// </summary>
    [Fact]
    public void A_recurrence_that_overflows_predicts_the_uniform_distribution()
    {
        double[][][] Layer(double value) => [[[value]], [[value]]];
        double[][][][] transitions = [Layer(1e300), Layer(1e300), Layer(1e300)];
        double[][][] readout = [[[1], [2]], [[1], [2]]];
        var model = new LinearRecurrentModel(2, 4, [0, 0], transitions, [readout, readout, readout]);
        Assert.Equal(1 / (1 + Math.E), model.NextTokenLogits(Prefix.Of([0])).Probabilities()[0], 1e-15);
        Assert.Equal(LogitVector.Uniform(2), model.NextTokenLogits(Prefix.Of([0, 1, 0])));
    }

    private static TimeVaryingIsan TimeVaryingIsanTarget() => TimeVaryingIsan.Random(2, 4, 2, seed: 7, logitScale: 1.0);

    private static void AssertMatrix(double[,] expected, double[,] actual)
    {
        Assert.Equal(expected.GetLength(0), actual.GetLength(0));
        Assert.Equal(expected.GetLength(1), actual.GetLength(1));
        for (var i = 0; i < expected.GetLength(0); i++)
        {
            for (var j = 0; j < expected.GetLength(1); j++)
            {
                Assert.True(Math.Abs(expected[i, j] - actual[i, j]) <= 1e-14, $"[{i}, {j}] = {actual[i, j]}, expected {expected[i, j]}");
            }
        }
    }

    [Fact]
    public void Counts_of_one_are_valid()
    {
        var learner = new LeastSquaresLearner(historySamples: 1, futureLength: 1, maxBasisSize: 1);
        Assert.Equal(1, learner.HistorySamples);
        Assert.Equal(1, learner.FutureLength);
        Assert.Equal(1, learner.MaxBasisSize);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    public void The_least_squares_rank_tolerance_lies_in_the_open_unit_interval(double tolerance)
    {
        Assert.Equal("rankTolerance", Assert.Throws<ArgumentOutOfRangeException>(() => new LeastSquaresLearner(rankTolerance: tolerance)).ParamName);
    }
}
