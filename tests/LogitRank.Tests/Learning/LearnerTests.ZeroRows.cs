using LogitRank.Evaluation;
using LogitRank.Learning;
using LogitRank.Models;
using LogitRank.Numerics;
using LogitRank.Oracles;
using LogitRank.Sequences;

namespace LogitRank.Tests.Learning;

/// <summary>
/// The all-zero-rows shortcut of <see cref="LogitRankLearner"/>'s spanner step (ILearningSchedule.ZeroRowTolerance): a
/// cut gets an empty basis exactly when every entry of every sampled row is at most the tolerance in absolute value; a
/// cut where only some rows, or only some entries of a row, are zero gets a basis and is learned exactly
///. The end-to-end noisy-parity tests cover this too but are Category=Slow.
/// </summary>
public partial class LearnerTests
{
    /// <summary>
    /// k = 2, T = 3: every next-token distribution is uniform except after the history [1], whose logits are (a, -a).
    /// At cut 1 the row of [0] on F̃_1 = {0, 1, 00, 10, 01, 11} is zero and the row of [1] is (a, -a, 0, 0, 0, 0): some
    /// rows are zero, and a nonzero row has zero entries. The logit matrix at cut 1 has rank 1.
    /// </summary>
    private static TabularModel OneInformativeHistory(double a, double afterZero)
    {
        var table = new Dictionary<Prefix, LogitVector>();
        foreach (var p in SequenceSpace.AllUpTo(2, 2))
        {
            table[p] = LogitVector.Uniform(2);
        }

        table[Prefix.Of(1)] = LogitVector.FromLogits([a, -a]);
        table[Prefix.Of(0)] = LogitVector.FromLogits([afterZero, -afterZero]);
        return new TabularModel(2, 3, table);
    }

    [Fact]
    public void A_cut_where_only_some_rows_are_zero_gets_a_basis_and_is_learned_exactly()
    {
        var target = OneInformativeHistory(0.75, 0);
        var schedule = new PracticalSchedule { MaxEpochs = 10, ValidationSamples = 16, SpannerSampleCount = 16, WitnessThreshold = 1e-6 };
        var (model, report) = new LogitRankLearner().Learn(new ModelOracle(target), schedule, seed: 1);
        Assert.True(report.Accepted);
        Assert.Equal(1, report.Cuts[1].BasisSize); // rank 1 at cut 1: the nonzero row [1]
        // Exact oracle and exact rank-1 rows with coefficient 0 or 1: the learned logits equal the target's up to a few
        // roundings of O(1) numbers, so the exact TV is far below 1e-9.
        Assert.True(ExactDivergence.TotalVariation(target, model) <= 1e-9);
    }

    [Fact]
    public void Rows_whose_entries_are_at_most_the_tolerance_count_as_zero_and_larger_ones_do_not()
    {
        // Rows at cut 1: [0] -> (a, -a, 0, 0, 0, 0), [1] -> (-a, a, 0, 0, 0, 0), |entries| <= a = 0.25 (exact in binary;
        // centering (a, -a) subtracts a mean of exactly 0). ZeroRowTolerance = 0 is valid and means "exactly zero rows",
        // so the tolerance is inclusive: at tolerance a every row counts as zero (empty basis at cut 1); one ulp below a
        // they do not (the rank-1 rows give a basis of size 1).
        const double a = 0.25;
        var target = OneInformativeHistory(-a, a);
        var oracle = new ModelOracle(target);
        var schedule = new PracticalSchedule { MaxEpochs = 1, ValidationSamples = 4, SpannerSampleCount = 16, WitnessThreshold = 1e-6 };
        var atTolerance = new LogitRankLearner().Learn(oracle, schedule with { ZeroRowTolerance = a }, seed: 1).Report;
        Assert.Equal(0, atTolerance.Cuts[1].BasisSize);
        var belowTolerance = new LogitRankLearner().Learn(oracle, schedule with { ZeroRowTolerance = Math.BitDecrement(a) }, seed: 1).Report;
        Assert.Equal(1, belowTolerance.Cuts[1].BasisSize);
    }

    [Theory]
    [InlineData(1e-10)] // the default
    [InlineData(0.0)]   // exact zeros only
    public void Noisy_parity_whose_rows_mix_zero_and_nonzero_entries_is_learned_exactly(double zeroRowTolerance)
    {
        // Rows of noisy parity are zero on the columns whose future does not reach the label and ±B elsewhere
        // (NoisyParity remarks): rank 1 once a witness reaches the label, rank 0 before. 8 bits keep this fast.
        var target = NoisyParity.Random(8, 0.1, seed: 3);
        var schedule = new PracticalSchedule { MaxEpochs = 30, ValidationSamples = 8, SpannerSampleCount = 8, WitnessThreshold = 1e-6, ZeroRowTolerance = zeroRowTolerance };
        var (model, report) = new LogitRankLearner().Learn(new ModelOracle(target), schedule, seed: 1);
        Assert.True(report.Accepted);
        // Exact rank-1 rows, |coefficients| = 1: the learned logits equal the target's up to rounding of a few products of
        // O(B) numbers (B = ½ log 9), so the exact TV over the 2^9 sequences is far below 1e-9.
        Assert.True(ExactDivergence.TotalVariation(target, model) <= 1e-9);
    }
}
