using LogitRank.Learning;
using LogitRank.Models;
using LogitRank.Oracles;

namespace LogitRank.Tests.Learning;

/// <summary>
/// <c>ValidationPhase.Run</c> validates with the reconstruction it is given (issue 14): the method and ridge reach
/// its engine, so the epoch measures the model the learner would return (proofs-notes/lp-reconstruction.md, L11).
/// </summary>
public class ValidationPhaseTests
{
    /// <summary>
    /// On the learned exact ISAN (k = 3, T = 6, d = 3), the same samples validated three ways: the LP (default arguments,
    /// the existing signature), least squares with the floor ridge, and least squares with ridge 1 per cut. The largest
    /// residual the least-squares epoch reports is exactly the largest <see cref="LearnedModel.LpResidual"/> of a
    /// least-squares model with the same options over the sampled prefixes (the same deterministic engine), and differs
    /// from the LP's; a ridge of 1 moves every fit by far more than τ_lp, so that epoch is abandoned where the others are not.
    /// </summary>
    [Fact]
    public void Run_validates_with_the_method_and_ridge_it_is_given()
    {
        var target = TimeVaryingIsan.Random(3, 6, 3, seed: 1);
        var learned = new LogitRankLearner().Learn(new ModelOracle(target), new PracticalSchedule { MaxEpochs = 40, ValidationSamples = 8, SpannerSampleCount = 8, WitnessThreshold = 1e-6 }, seed: 1).Model;
        var schedule = new PracticalSchedule { ValidationSamples = 8, WitnessThreshold = 1e-6 };
        var phase = new ValidationPhase(new PhaseCountingCache(new ModelOracle(target)), schedule, null, CancellationToken.None);
        var samples = phase.DrawSamples(new Random(1)).Samples;
        var futures = learned.FutureSets;
        var bases = learned.Bases;

        var lp = phase.Run(1, futures, bases, samples).Report;
        var ls = phase.Run(1, futures, bases, samples, ReconstructionMethod.LeastSquares).Report;
        var ridge = Enumerable.Repeat(1.0, target.Horizon).ToArray();
        var heavy = phase.Run(1, futures, bases, samples, ReconstructionMethod.LeastSquares, ridge).Report;

        Assert.False(lp.Abandoned);
        Assert.False(ls.Abandoned);
        Assert.True(ls.LpCount > 10, $"only {ls.LpCount} reconstructions");
        var tau = ValidationPhase.LpTolerance(schedule, bases);
        var model = new LearnedModel(futures, bases, new LearnedModelOptions(schedule.Beta, tau, FallbackPolicy.MinimumResidual) { Method = ReconstructionMethod.LeastSquares });
        var expected = samples.SelectMany(y => Enumerable.Range(2, target.Horizon - 2).Select(y.Take)).Max(model.LpResidual);
        Assert.Equal(expected, ls.MaxLpResidual);
        Assert.NotEqual(lp.MaxLpResidual, ls.MaxLpResidual);
        Assert.True(heavy.Abandoned, $"ridge 1: largest residual {heavy.MaxLpResidual} <= τ_lp = {tau}");
        Assert.True(heavy.InfeasibleLps > 0);
    }
}
