using LogitRank.Learning;
using LogitRank.Models;
using LogitRank.Oracles;

namespace LogitRank.Tests.Mutation;

/// <summary>
/// Two documented details of <see cref="LogitRankLearner"/>: a residual equal to the witness threshold <c>g</c> is
/// not a witness (a witness has <c>|res| &gt; g</c>, and an epoch accepts when every residual is at most <c>g</c>), and
/// the wall-time phases of <see cref="PhaseTimes"/> are disjoint intervals inside the whole run, each of which is
/// timed when it runs (proofs-notes/mutation.md).
/// </summary>
public class LearnerPhasesMutationTests
{
    private static readonly PracticalSchedule Schedule = new() { MaxEpochs = 1, ValidationSamples = 12, SpannerSampleCount = 8, WitnessThreshold = 1e-6, LpRelativeTolerance = 100 };

    [Theory]
    [InlineData(2, 1)]
    [InlineData(3, 2)]
    public void A_residual_equal_to_g_is_not_a_witness_and_does_not_block_acceptance(int alphabetSize, int seed)
    {
        var oracle = new ModelOracle(TabularModel.Random(alphabetSize, 4, seed, scale: 1.0));
        var first = new LogitRankLearner().Learn(oracle, Schedule, seed).Report.Epochs[0];
        Assert.False(first.Abandoned);
        var largest = Assert.Single(first.Witnesses); // the candidate of largest |res| (one witness per epoch)

        // Same seed, g = that |res|: the same residuals are computed, none of the candidates exceeds g any more.
        var again = new LogitRankLearner().Learn(oracle, Schedule with { WitnessThreshold = Math.Abs(largest.Residual) }, seed).Report.Epochs[0];
        Assert.Equal(first.MaxResidual, again.MaxResidual);
        Assert.Empty(again.Witnesses);

        // g = the largest residual of all (words already in F̂_s included): every residual is at most g, so the epoch accepts.
        var accepted = new LogitRankLearner().Learn(oracle, Schedule with { WitnessThreshold = first.MaxResidual }, seed).Report;
        Assert.True(accepted.Accepted);
        Assert.Empty(accepted.Epochs[0].Witnesses);
    }

    [Fact]
    public void Phase_times_are_positive_and_sum_to_at_most_the_total()
    {
        var times = new LogitRankLearner().Learn(new ModelOracle(TimeVaryingIsan.Random(2, 5, 2, seed: 4)), Schedule with { MaxEpochs = 2 }, 1).Report.WallTime;
        Assert.True(times.Sampling > TimeSpan.Zero, $"sampling {times.Sampling}");
        Assert.True(times.Spanner > TimeSpan.Zero, $"spanner {times.Spanner}");
        Assert.True(times.Reconstruction > TimeSpan.Zero, $"reconstruction {times.Reconstruction}");
        Assert.True(times.WitnessSearch > TimeSpan.Zero, $"witness search {times.WitnessSearch}");

        // The phases never overlap and all lie inside the run's own stopwatch interval; each TimeSpan is rounded to
        // 100 ns from the raw timestamps, hence the 1 µs allowance.
        var sum = times.Sampling + times.Spanner + times.Reconstruction + times.WitnessSearch;
        Assert.True(sum <= times.Total + TimeSpan.FromMicroseconds(1), $"phases sum to {sum}, more than the total {times.Total}");
    }
}
