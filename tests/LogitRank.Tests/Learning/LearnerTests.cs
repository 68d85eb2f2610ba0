using LogitRank.Learning;
using LogitRank.Models;
using LogitRank.Oracles;
using LogitRank.Sequences;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace LogitRank.Tests.Learning;

/// <summary>A synchronous progress sink (System.Progress posts asynchronously).</summary>
internal sealed class ListProgress(Action<LearningProgress>? onReport = null) : IProgress<LearningProgress>
{
    public List<LearningProgress> Reports { get; } = [];

    public void Report(LearningProgress value)
    {
        Reports.Add(value);
        onReport?.Invoke(value);
    }
}

internal sealed class ListLogger : ILogger
{
    public List<(LogLevel Level, string Message)> Entries { get; } = [];

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        Entries.Add((logLevel, formatter(state, exception)));
}

public partial class LearnerTests(ITestOutputHelper output)
{
    // A budget comfortably large for T up to 8 ISANs (d up to 4): SPANNER with 16 histories, 16 validation samples.
    internal static PracticalSchedule Small => new() { MaxEpochs = 30, ValidationSamples = 16, SpannerSampleCount = 16, WitnessThreshold = 1e-6 };

    [Fact]
    public void Horizon_one_is_learned_exactly_from_the_single_empty_query()
    {
        var target = TabularModel.Random(3, 1, seed: 5);
        var spy = new SpyOracle(new ModelOracle(target));
        var (model, report) = new LogitRankLearner().Learn(spy, Small, seed: 1);
        Assert.True(report.Accepted);
        Assert.Equal(1, report.Queries.Total);
        Assert.Equal(1, spy.Queries);
        // Exact up to the re-centring of an already centred vector (a few ulps).
        Assert.True(target.NextTokenLogits(Prefix.Empty).MaxAbsDifference(model.NextTokenLogits(Prefix.Empty)) <= 1e-14);
    }

    [Fact]
    public void Horizon_two_is_learned_exactly_from_the_empty_and_one_token_queries()
    {
        var target = TabularModel.Random(3, 2, seed: 6);
        var spy = new SpyOracle(new ModelOracle(target));
        var (model, report) = new LogitRankLearner().Learn(spy, Small, seed: 2);
        Assert.True(report.Accepted);
        Assert.Equal(1 + 3, report.Queries.Total); // ℓ(∅) and ℓ(a), a ∈ Σ
        Assert.Equal(4, report.Queries.Spanner);
        Assert.Equal(4, spy.Queries);
        foreach (var h in LearningTestSupport.AllPrefixes(target))
        {
            Assert.True(target.NextTokenLogits(h).MaxAbsDifference(model.NextTokenLogits(h)) <= 1e-14); // re-centring ulps
        }
    }

    [Theory]
    [InlineData(2, 6, 3, 11)]
    [InlineData(3, 5, 4, 12)]
    public void Exact_rank_isan_reconstructs_with_zero_residual_and_exact_logits_on_sampled_prefixes(int k, int horizon, int d, int seed)
    {
        var target = TimeVaryingIsan.Random(k, horizon, d, seed);
        var (model, report) = new LogitRankLearner().Learn(new ModelOracle(target), Small, seed);
        Assert.True(report.Accepted, "the exact-rank ISAN should be accepted within the epoch budget");
        var random = new Random(seed + 1000);
        var worstResidual = 0.0;
        var worstError = 0.0;
        for (var n = 0; n < 50; n++)
        {
            var y = target.Sample(random);
            for (var t = 0; t <= horizon - 1; t++)
            {
                var prefix = y.Take(t);
                worstResidual = Math.Max(worstResidual, model.LpResidual(prefix));
                worstError = Math.Max(worstError, model.NextTokenLogits(prefix).MaxAbsDifference(target.NextTokenLogits(prefix)));
            }
        }

        output.WriteLine($"k={k} T={horizon} d={d}: worst r = {worstResidual:G3}, worst |ℓ̂-ℓ| = {worstError:G3}, epochs {report.EpochsRun}, queries {report.Queries.Total}");

        // Exact data: r is rounding (logits are O(1), LP of <= 40 variables) — 1e-9 is far above rounding and far below
        // any real misfit. The logit error on fresh samples is bounded by Σ_s |res_s| <= (T-1)·g = 5e-6 on validated paths;
        // fresh paths of an exact-rank target with a full-rank basis behave the same, so 1e-4 leaves margin.
        Assert.True(worstResidual <= 1e-9, $"worst LP residual {worstResidual}");
        Assert.True(worstError <= 1e-4, $"worst logit error {worstError}");
    }

    [Fact]
    public void Same_seed_gives_the_same_model_report_and_counts()
    {
        var target = TimeVaryingIsan.Random(2, 6, 3, seed: 21);
        var a = new LogitRankLearner().Learn(new ModelOracle(target), Small, seed: 77);
        var b = new LogitRankLearner().Learn(new ModelOracle(target), Small, seed: 77);
        Assert.Equal(a.Report, b.Report);
        Assert.Equal(a.Report.Queries, b.Report.Queries);
        Assert.Equal(a.Model.ToJson(), b.Model.ToJson());
        foreach (var h in LearningTestSupport.AllPrefixes(target))
        {
            Assert.Equal(a.Model.NextTokenLogits(h).Probabilities(), b.Model.NextTokenLogits(h).Probabilities());
        }

        var c = new LogitRankLearner().Learn(new ModelOracle(target), Small, seed: 78);
        Assert.NotEqual(a.Report, c.Report); // the seed matters (different samples, different counts)
    }

    [Fact]
    public void Report_round_trips_through_json_and_equality_ignores_wall_time()
    {
        var target = TimeVaryingIsan.Random(2, 5, 2, seed: 3);
        var report = new LogitRankLearner().Learn(new ModelOracle(target), Small, seed: 4).Report;
        var back = LearningReport.FromJson(report.ToJson());
        Assert.Equal(report, back);
        Assert.Equal(report, report with { WallTime = new PhaseTimes(TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.FromDays(1)) });
        Assert.NotEqual(report, report with { LpCount = report.LpCount + 1 });
    }

    [Fact]
    public void Learned_model_makes_no_oracle_query_when_sampling_or_evaluating()
    {
        var target = TimeVaryingIsan.Random(2, 6, 3, seed: 8);
        var spy = new SpyOracle(new ModelOracle(target));
        var (model, report) = new LogitRankLearner().Learn(spy, Small, seed: 9);
        var before = spy.Queries;
        Assert.Equal(report.Queries.Total, before); // the spy sees exactly the paid queries
        var random = new Random(1);
        for (var i = 0; i < 200; i++)
        {
            var y = model.Sample(random);
            Assert.Equal(6, y.Length);
            Assert.True(double.IsFinite(model.LogProbability(y)));
        }

        Assert.Equal(1.0, LearningTestSupport.SumOfSequenceProbabilities(model), 9);
        Assert.Equal(before, spy.Queries);
    }

    [Fact]
    public void Pre_cancelled_token_throws_before_any_query()
    {
        var spy = new SpyOracle(new ModelOracle(TimeVaryingIsan.Random(2, 5, 2, seed: 1)));
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        var progress = new ListProgress();
        Assert.ThrowsAny<OperationCanceledException>(() => new LogitRankLearner().Learn(spy, Small, 1, progress, cancellationToken: cts.Token));
        Assert.Equal(0, spy.Queries);
        Assert.Empty(progress.Reports); // not even the first progress report
    }

    [Fact]
    public void Cancellation_during_a_run_stops_it_between_batches()
    {
        var spy = new SpyOracle(new ModelOracle(TimeVaryingIsan.Random(2, 6, 3, seed: 1)));
        using var cts = new CancellationTokenSource();
        var progress = new ListProgress(p =>
        {
            if (p.Phase == LearningPhase.Validation)
            {
                cts.Cancel();
            }
        });
        Assert.ThrowsAny<OperationCanceledException>(() => new LogitRankLearner().Learn(spy, Small, 1, progress, cancellationToken: cts.Token));
        Assert.DoesNotContain(progress.Reports, r => r.Phase == LearningPhase.Done);
    }

    [Fact]
    public void Progress_reports_every_phase_with_nondecreasing_query_counts_and_logs_each_epoch()
    {
        var progress = new ListProgress();
        var logger = new ListLogger();
        var schedule = Small with { QueryBudget = 100_000 };
        var (_, report) = new LogitRankLearner().Learn(new ModelOracle(TimeVaryingIsan.Random(2, 6, 3, seed: 2)), schedule, 3, progress, logger);
        var phases = progress.Reports.Select(r => r.Phase).ToList();
        Assert.Contains(LearningPhase.Spanner, phases);
        Assert.Contains(LearningPhase.Sampling, phases);
        Assert.Contains(LearningPhase.Validation, phases);
        Assert.Equal(LearningPhase.Done, phases[^1]);
        Assert.All(progress.Reports, r => Assert.Equal(100_000, r.QueryBudget));
        var counts = progress.Reports.Select(r => r.QueriesSoFar).ToList();
        Assert.Equal(counts.Order(), counts);
        Assert.Equal(report.Queries.Total, counts[^1]);
        Assert.Equal(report.EpochsRun, progress.Reports.Count(r => r.Phase == LearningPhase.Spanner));
        Assert.Equal(report.EpochsRun, logger.Entries.Count(e => e.Message.StartsWith("Epoch ", StringComparison.Ordinal)));
    }

    [Fact]
    public void Query_budget_is_enforced_with_the_counts_in_the_exception()
    {
        var spy = new SpyOracle(new ModelOracle(TimeVaryingIsan.Random(2, 6, 3, seed: 2)));
        var e = Assert.Throws<QueryBudgetExceededException>(() => new LogitRankLearner().Learn(spy, Small with { QueryBudget = 10 }, 3));
        Assert.Equal(10, e.Budget);
        Assert.True(spy.Queries <= 10);
        Assert.Equal(spy.Queries, e.Used);
    }

    [Fact]
    public void Epoch_budget_exhausted_returns_a_consistent_model_marked_not_accepted()
    {
        // d = 4 > k - 1 = 1: single-token futures cannot pin the coefficients, so epoch 1 always finds witnesses.
        var target = TimeVaryingIsan.Random(2, 6, 4, seed: 31);
        var (model, report) = new LogitRankLearner().Learn(new ModelOracle(target), Small with { MaxEpochs = 1 }, seed: 5);
        Assert.False(report.Accepted);
        Assert.Equal(1, report.EpochsRun);
        Assert.NotEmpty(report.Epochs[0].Witnesses);
        Assert.True(report.BasesRebuilt);
        for (var s = 0; s < 6; s++)
        {
            Assert.Equal(report.Cuts[s].FutureSize, model.FutureSets.Future(s).Count);
            Assert.Equal(model.FutureSets.Extended(s).Count, model.Bases[s].Width);
        }

        Assert.Equal(report.Epochs[0].Witnesses.Count, report.Cuts.Sum(c => c.FutureSize) - (6 * 2)); // |F̂_s| = k = 2 plus witnesses
        Assert.Equal(1.0, LearningTestSupport.SumOfSequenceProbabilities(model), 9);
    }

    [Fact]
    public void Witnesses_are_added_where_the_residual_is()
    {
        var target = TimeVaryingIsan.Random(2, 6, 4, seed: 31);
        var (_, report) = new LogitRankLearner().Learn(new ModelOracle(target), Small with { MaxEpochs = 3 }, seed: 5);
        foreach (var epoch in report.Epochs)
        {
            foreach (var w in epoch.Witnesses)
            {
                Assert.InRange(w.Cut, 1, 4);
                Assert.True(Math.Abs(w.Residual) > Small.WitnessThreshold);
                Assert.Equal(Math.Abs(w.Residual), epoch.MaxResidual); // one witness per epoch: the largest residual
                Assert.Equal(w.PrefixLength - w.Cut + 1, w.Word.Length); // w = y_{s+1:t}∘a
            }
        }
    }

    [Fact]
    public void Several_witnesses_per_epoch_are_flagged_outside_the_analysis()
    {
        var target = TimeVaryingIsan.Random(2, 6, 4, seed: 31);
        var (_, report) = new LogitRankLearner().Learn(new ModelOracle(target), Small with { WitnessesPerEpoch = 4, Fallback = FallbackPolicy.MinimumResidual }, seed: 5);
        Assert.True(report.OutsideAnalysis);
        Assert.Equal(2, report.OutsideAnalysisReasons.Count);
        Assert.True(report.Epochs[0].Witnesses.Count > 1);
        Assert.Equal(report.Epochs[0].Witnesses.Count, report.Epochs[0].Witnesses.Select(w => w.Cut).Distinct().Count());
    }

    [Fact]
    public void Infeasible_validation_lp_abandons_the_epoch_and_the_model_stays_proper()
    {
        // A full-rank tabular target with one spanner history per cut: validation prefixes whose rows are not ±2-multiples
        // of the single basis row make the LP infeasible, which abandons the epoch (no witness added).
        var target = TabularModel.Random(2, 4, seed: 12);
        var schedule = new PracticalSchedule { MaxEpochs = 3, ValidationSamples = 16, SpannerSampleCount = 1 };
        var (model, report) = new LogitRankLearner().Learn(new ModelOracle(target), schedule, seed: 1);
        var abandoned = report.Epochs.Where(e => e.Abandoned).ToList();
        Assert.NotEmpty(abandoned);
        Assert.All(abandoned, e => Assert.Empty(e.Witnesses));
        Assert.All(abandoned, e => Assert.True(e.InfeasibleLps >= 1));
        Assert.Equal(1.0, LearningTestSupport.SumOfSequenceProbabilities(model), 9);
        Assert.Contains(LearningTestSupport.AllPrefixes(model), h => !model.IsFeasible(h)); // the loop below is not vacuous
        foreach (var h in LearningTestSupport.AllPrefixes(model).Where(h => !model.IsFeasible(h)))
        {
            Assert.Equal([0.0, 0.0], model.NextTokenLogits(h).ToArray()); // uniform fallback
            foreach (var a in new[] { 0, 1 })
            {
                if (h.Length + 1 <= 3)
                {
                    Assert.False(model.IsFeasible(h.Append(a))); // prefix-monotone
                }
            }
        }
    }

    [Fact]
    public void Theory_schedule_for_mismatched_horizon_is_rejected()
    {
        var schedule = TheorySchedule.FromTargets(0.5, 0.1, 3, 1, 1, 2);
        var e = Assert.Throws<ArgumentException>(() => new LogitRankLearner().Learn(new ModelOracle(TabularModel.Random(2, 2, 1)), schedule, 1));
        Assert.Equal("schedule", e.ParamName);
    }

    [Fact]
    public void Theory_schedule_learns_horizon_two_exactly()
    {
        // T = 2: no SPANNER cut, so the huge N_s is never used; n = 6521 validation samples hit the cache.
        var target = TabularModel.Random(2, 2, seed: 4);
        var (model, report) = new LogitRankLearner().Learn(new ModelOracle(target), TheorySchedule.FromTargets(0.5, 0.1, 2, 1, 1, 2), 1);
        Assert.True(report.Accepted);
        Assert.Equal(3, report.Queries.Total);
        Assert.True(target.NextTokenLogits(Prefix.Of(1)).MaxAbsDifference(model.NextTokenLogits(Prefix.Of(1))) <= 1e-14); // re-centring ulps
    }

    [Fact]
    public void Telescoping_check_throws_a_typed_exception_naming_the_identity()
    {
        // Σ res = 0.5 but ℓ̂ - ℓ = 0.3 - 0.1 = 0.2 on token 1: a violation of 0.3 >> tolerance 1e-9.
        var e = Assert.Throws<InvariantViolationException>(() =>
            WitnessSearch.CheckTelescoping(Prefix.Of(1, 0), [0.0, 0.5], [0.0, 0.3], [0.0, 0.1], 1e-9));
        Assert.Equal(InvariantViolationException.TelescopingIdentity, e.Identity);
        Assert.Contains("token 1", e.Message, StringComparison.Ordinal);
        Assert.Throws<InvariantViolationException>(() => WitnessSearch.CheckTelescoping(Prefix.Of(0), [double.NaN, 0], [0, 0], [0, 0], 1e-9));
        WitnessSearch.CheckTelescoping(Prefix.Of(1, 0), [0.0, 0.2 + 1e-12], [0.0, 0.3], [0.0, 0.1], 1e-9); // within tolerance
    }
}
