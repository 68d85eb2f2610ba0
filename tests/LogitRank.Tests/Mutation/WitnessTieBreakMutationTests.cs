using LogitRank.Learning;
using LogitRank.Models;
using LogitRank.Numerics;
using LogitRank.Oracles;
using LogitRank.Sequences;

namespace LogitRank.Tests.Mutation;

/// <summary>
/// Ties in the witness search go to the first candidate in the order (sample, <c>t</c>, <c>s</c>, <c>a</c>): the
/// comparison is strict (proofs-notes/witness-search.md). With <c>k = 2</c> and every logit vector of the form
/// <c>(u, -u)</c>, the residuals of the two tokens are exact negatives of each other (every product and sum on the
/// token-1 side mirrors the token-0 side, and rounding is symmetric in sign), so every candidate group is a tie, and the
/// chosen witness word must end with token 0 (proofs-notes/mutation.md).
/// </summary>
public class WitnessTieBreakMutationTests
{
    private static TabularModel Antisymmetric(int horizon, int seed)
    {
        var random = new Random(seed);
        var table = SequenceSpace.AllUpTo(2, horizon - 1)
            .ToDictionary(p => p, _ => { var u = (random.NextDouble() * 4) - 2; return LogitVector.FromLogits([u, -u]); });
        return new TabularModel(2, horizon, table);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 1)]
    [InlineData(1, 2)]
    [InlineData(2, 2)]
    public void A_tie_between_the_two_tokens_goes_to_token_0(int witnessesPerEpoch, int seed)
    {
        var target = Antisymmetric(5, seed);
        // τ_lp = 100 · max|R|: every LP is feasible, so no epoch is abandoned and the witness search runs.
        var schedule = new PracticalSchedule { MaxEpochs = 1, ValidationSamples = 16, SpannerSampleCount = 8, WitnessThreshold = 1e-6, WitnessesPerEpoch = witnessesPerEpoch, LpRelativeTolerance = 100 };
        var report = new LogitRankLearner().Learn(new ModelOracle(target), schedule, seed).Report;
        var witnesses = report.Epochs[0].Witnesses;
        Assert.False(report.Epochs[0].Abandoned);
        Assert.NotEmpty(witnesses); // a random table is far from low rank: epoch 1 finds witnesses
        Assert.All(witnesses, w => Assert.Equal(0, w.Word[^1]));
    }
}
