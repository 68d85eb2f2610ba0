using LogitRank.Evaluation;
using LogitRank.Learning;
using LogitRank.Models;
using LogitRank.Numerics;
using LogitRank.Oracles;
using LogitRank.Sequences;

namespace LogitRank.Tests.Learning;

/// <summary>
/// Anytime learning (issue 14, item 4): under <see cref="BudgetPolicy.ReturnBest"/> a run whose budget runs out returns
/// the best epoch validated so far, with its report; the per-epoch validation error it chooses by is the mean, over the
/// epoch's validation samples, of the summed per-step TV (and KL) between the oracle's and the model's next-token
/// distributions.
/// </summary>
public partial class LearnerTests
{
    /// <summary>A perturbed ISAN that the practical schedule does not accept within a few epochs (so epochs differ in quality).</summary>
    private static PerturbedModel AnytimeTarget => PerturbedModel.RandomIsan(3, 6, 3, 0.1, seed: 2, logitScale: 2.0);

    private static PracticalSchedule AnytimeSchedule => new()
    {
        MaxEpochs = 12,
        ValidationSamples = 8,
        SpannerSampleCount = 8,
        WitnessThreshold = 1e-6,
        Fallback = FallbackPolicy.MinimumResidual,
        OnBudgetExhausted = BudgetPolicy.ReturnBest,
    };

    [Fact]
    public void A_budget_that_runs_out_returns_the_best_validated_epoch()
    {
        var unlimited = new LogitRankLearner().Learn(new ModelOracle(AnytimeTarget), AnytimeSchedule, seed: 3).Report;
        Assert.True(unlimited.Epochs.Count >= 4, $"only {unlimited.Epochs.Count} epochs: the budget below would not cut the run");

        // A budget between the queries paid by the end of epoch 3 and the run's total stops the run in epoch 4 or later.
        var budget = unlimited.Queries.Total - 1;
        var spy = new SpyOracle(new ModelOracle(AnytimeTarget));
        var result = new LogitRankLearner().Learn(spy, AnytimeSchedule with { QueryBudget = budget }, seed: 3);
        var report = result.Report;
        Assert.True(report.BudgetExhausted);
        Assert.False(report.Accepted);
        Assert.True(report.Queries.Total <= budget, $"{report.Queries.Total} queries paid, budget {budget}");
        Assert.Equal(spy.Queries, report.Queries.Total); // every forwarded query is a paid one (the cache forwards each prefix once)

        // The returned epoch is the one of smallest validation TV among the completed epochs (ties: the later one), and
        // the model is built on its bases (their sizes match that epoch's report).
        var completed = report.Epochs;
        var bestError = completed.Min(e => e.ValidationTotalVariation);
        var expected = completed.Last(e => e.ValidationTotalVariation == bestError).Epoch;
        Assert.Equal(expected, report.ReturnedEpoch);
        Assert.Equal(completed[expected - 1].BasisSizes, result.Model.Bases.Select(b => b.Size));
        Assert.False(report.BasesRebuilt);
        Assert.True(double.IsFinite(bestError) && bestError > 0, $"best validation TV {bestError}");
    }

    [Fact]
    public void Without_exhaustion_a_run_that_does_not_accept_returns_its_best_epoch_under_return_best()
    {
        var report = new LogitRankLearner().Learn(new ModelOracle(AnytimeTarget), AnytimeSchedule, seed: 3).Report;
        Assert.False(report.Accepted);
        Assert.False(report.BudgetExhausted);
        Assert.False(report.BasesRebuilt);
        var bestError = report.Epochs.Min(e => e.ValidationTotalVariation);
        Assert.Equal(report.Epochs.Last(e => e.ValidationTotalVariation == bestError).Epoch, report.ReturnedEpoch);

        // The analysed default (Throw) keeps the last epoch's future sets and rebuilds the bases for them.
        var analysed = new LogitRankLearner().Learn(new ModelOracle(AnytimeTarget), AnytimeSchedule with { OnBudgetExhausted = BudgetPolicy.Throw }, seed: 3).Report;
        Assert.True(analysed.BasesRebuilt);
        Assert.Equal(0, analysed.ReturnedEpoch);
    }

    [Fact]
    public void A_budget_too_small_for_one_spanner_still_throws_under_return_best()
    {
        var e = Assert.Throws<QueryBudgetExceededException>(() => new LogitRankLearner().Learn(new ModelOracle(AnytimeTarget), AnytimeSchedule with { QueryBudget = 20 }, seed: 3));
        Assert.Equal(20, e.Budget);
    }

    [Fact]
    public void A_budget_that_runs_out_after_the_first_spanner_returns_its_bases_unvalidated()
    {
        // The queries paid when epoch 1's SPANNER has finished (the progress report that opens its validation sampling).
        var target = PerturbedModel.RandomIsan(3, 8, 2, 0.05, seed: 4, logitScale: 2.0);
        var progress = new ListProgress();
        new LogitRankLearner().Learn(new ModelOracle(target), new AdaptiveSchedule(), seed: 1, progress);
        var afterSpanner = progress.Reports.First(r => r.Epoch == 1 && r.Phase == LearningPhase.Sampling && r.QueriesSoFar > 0).QueriesSoFar;

        // Exactly that budget: validation cannot draw a sample, so no epoch is validated; the run still returns a model.
        var schedule = new AdaptiveSchedule { QueryBudget = afterSpanner, OnBudgetExhausted = BudgetPolicy.ReturnBest };
        var result = new LogitRankLearner().Learn(new ModelOracle(target), schedule, seed: 1);
        var report = result.Report;
        Assert.True(report.BudgetExhausted);
        Assert.True(report.ReturnedUnvalidated);
        Assert.Equal(LearningStop.Budget, report.StoppedBy);
        Assert.Equal(1, report.ReturnedEpoch);
        Assert.Empty(report.Epochs);
        Assert.Equal(afterSpanner, report.Queries.Total);
        Assert.Equal(report.NoiseFloors.Where(n => n.Epoch == 1).Select(n => n.BasisSize), result.Model.Bases.Skip(1).SkipLast(1).Select(b => b.Size));

        // It is a model of the target, not a placeholder: its TV is a quarter of the uniform model's or less (a loose
        // margin: a learned rank-2 structure is far closer than that).
        var uniform = 0.5 * ExactDivergence.LogProbabilities(target).Sum(lp => Math.Abs(Math.Exp(lp) - Math.Pow(3, -8)));
        var exact = ExactDivergence.TotalVariation(target, result.Model);
        Assert.True(exact < uniform / 4, $"unvalidated model TV {exact}, uniform {uniform}");

        // One query less: SPANNER itself does not finish, there are no bases to return, and the typed exception stays.
        Assert.Throws<QueryBudgetExceededException>(() => new LogitRankLearner().Learn(new ModelOracle(target), schedule with { QueryBudget = afterSpanner - 1 }, seed: 1));
    }

    /// <summary>
    /// The validation error recomputed independently: the epoch's validation samples are drawn again from the documented
    /// seed stream (<c>DeriveSeed(seed, epoch, 1)</c>, autoregressively through an equivalent oracle), and the accepted
    /// model's per-step TV and KL to the exact target summed over <c>t = 1..T-1</c> and averaged. Exact-rank target: both
    /// are rounding-small; so a perturbed one is used too, where they are not (1e-12: sums of a few dozen exact terms).
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void The_validation_error_is_the_mean_summed_per_step_divergence_on_the_epochs_samples(bool perturbed)
    {
        ISequenceModel target = perturbed ? AnytimeTarget : TimeVaryingIsan.Random(3, 6, 3, seed: 1);
        // A loose LP tolerance on the perturbed target, so that validation is not abandoned at an infeasible prefix.
        // One epoch, so the model returned is that epoch's (ReturnBest: the best validated epoch, here the only one).
        var schedule = AnytimeSchedule with { MaxEpochs = 1, LpRelativeTolerance = perturbed ? 1.0 : 1e-6 };
        var result = new LogitRankLearner().Learn(new ModelOracle(target), schedule, seed: 3);
        var epoch = Assert.Single(result.Report.Epochs);
        Assert.False(epoch.Abandoned);
        Assert.Equal(1, result.Report.ReturnedEpoch);

        var samples = OracleSampler.Sample(new ModelOracle(target), schedule.ValidationSamples, target.Horizon - 1, new Random(LogitRankLearner.DeriveSeed(3, epoch.Epoch, 1)));
        double tv = 0, kl = 0;
        foreach (var y in samples)
        {
            for (var t = 1; t < target.Horizon; t++)
            {
                var p = target.NextTokenLogits(y.Take(t));
                var q = result.Model.NextTokenLogits(y.Take(t));
                tv += SoftmaxBounds.TotalVariation(p, q);
                kl += SoftmaxBounds.KullbackLeibler(p, q);
            }
        }

        Assert.Equal(tv / samples.Count, epoch.ValidationTotalVariation, 12);
        Assert.Equal(kl / samples.Count, epoch.ValidationKullbackLeibler, 12);
        if (perturbed)
        {
            Assert.True(epoch.ValidationTotalVariation > 1e-3, $"validation TV {epoch.ValidationTotalVariation}: the perturbed case is not exercised");
        }
    }
}
