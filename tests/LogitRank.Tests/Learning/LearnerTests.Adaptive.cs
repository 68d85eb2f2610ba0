using LogitRank.Evaluation;
using LogitRank.Learning;
using LogitRank.Models;
using LogitRank.Oracles;
using LogitRank.Sequences;

namespace LogitRank.Tests.Learning;

/// <summary>
/// The learner under <see cref="AdaptiveSchedule"/> (issue 14, items 1–3; proofs-notes/adaptive-schedule.md): on an
/// approximately low-rank target the bases stay at the effective rank instead of growing with noise, no prefix collapses
/// to uniform, the learner does not tabulate, and every decision is in the report; on an exactly low-rank target it
/// learns exactly with fewer queries than the practical schedule.
/// </summary>
public partial class LearnerTests
{
    /// <summary>k = 3, T = 7, d = 2, ε = 0.05: 3^7 = 2,187 sequences (exact evaluation), tabulation 1,093 prefixes.</summary>
    private static PerturbedModel AdaptiveTarget => PerturbedModel.RandomIsan(3, 7, 2, 0.05, seed: 4, logitScale: 2.0);

    private static double Tabulation(int k, int horizon) => Enumerable.Range(0, horizon).Sum(t => Math.Pow(k, t));

    [Fact]
    public void Adaptive_bases_stay_at_the_effective_rank_on_a_perturbed_target()
    {
        // The bases SPANNER selects and the witness search validates; the tails beyond them are a separate, validated
        // choice (A8, tested below), switched off here so that the returned model shows the selection itself.
        var target = AdaptiveTarget;
        var result = new LogitRankLearner().Learn(new ModelOracle(target), new AdaptiveSchedule { ValidateTail = false }, seed: 1);
        var report = result.Report;

        // d = 2 plus the noise: a basis of size > d + 1 means rows were added for noise (the practical schedule's bases
        // grow to 5–6 on this target at its default rank tolerance).
        Assert.All(result.Model.Bases.Skip(1).SkipLast(1), b => Assert.True(b.Size <= 3, $"basis of {b.Size} at cut {b.Cut}"));
        Assert.All(report.NoiseFloors, n => Assert.True(n.BasisSize <= 3, $"cut {n.Cut} epoch {n.Epoch}: basis of {n.BasisSize}"));
        Assert.All(report.NoiseFloors, n => Assert.True(n.Knee || !n.Measured, $"cut {n.Cut} epoch {n.Epoch}: no knee (ratio {n.KneeRatio})"));

        // The measured noise floor is the perturbation's size: uniform ±ε has RMS ε/√3 ≈ 0.029 (the research grid found
        // 0.46–0.53 ε on the rows); a factor 2 either way separates it from rounding (1e-15) and from the signal (~1).
        var measured = report.NoiseFloors.Where(n => n.Measured).Select(n => n.NoiseFloor).ToArray();
        Assert.NotEmpty(measured);
        Assert.All(measured, nu => Assert.InRange(nu, 0.05 / Math.Sqrt(3) / 2, 0.05 / Math.Sqrt(3) * 2));
    }

    [Fact]
    public void Adaptive_learning_of_a_perturbed_target_does_not_tabulate_and_stays_within_its_noise()
    {
        var target = AdaptiveTarget;
        var result = new LogitRankLearner().Learn(new ModelOracle(target), new AdaptiveSchedule(), seed: 1);
        var exact = ExactDivergence.SequenceLevel(target, result.Model);

        Assert.True(result.Report.Queries.Total <= 0.5 * Tabulation(3, 7), $"{result.Report.Queries.Total} queries of {Tabulation(3, 7)}");

        // TV <= T·ε: every centred logit of the target is within ε of a rank-d model's, so a learner that recovers that
        // model to within its noise has per-step TV <= tanh(ε) <= ε, summed over T steps by the hybrid argument
        // (proofs-notes/adaptive-schedule.md, A7).
        Assert.True(exact.TotalVariation <= 7 * 0.05, $"exact TV {exact.TotalVariation}");
    }

    [Fact]
    public void No_prefix_of_an_adaptive_model_falls_back_to_uniform()
    {
        var result = new LogitRankLearner().Learn(new ModelOracle(AdaptiveTarget), new AdaptiveSchedule(), seed: 1);
        Assert.Equal(FallbackPolicy.MinimumResidual, result.Model.Options.Fallback);
        Assert.True(result.Report.Epochs.All(e => !e.Abandoned), "an adaptive epoch was abandoned on an infeasible LP");

        // τ_lp is set from the measured noise: at least LpNoiseFactor times the largest floor of the returned epoch.
        var epoch = result.Report.ReturnedEpoch > 0 ? result.Report.ReturnedEpoch : result.Report.EpochsRun;
        var floor = result.Report.NoiseFloors.Where(n => n.Epoch == epoch).Max(n => n.NoiseFloor);
        Assert.True(result.Model.Options.LpTolerance >= 4 * floor * (1 - 1e-12), $"τ_lp {result.Model.Options.LpTolerance}, floor {floor}");
    }

    [Fact]
    public void Adaptive_witnesses_are_significant_residuals_one_per_cut_ranked_by_leverage()
    {
        // Without two-token groups the initial futures do not pin the bases down, so witnesses are needed.
        var schedule = new AdaptiveSchedule { TwoTokenGroups = 0 };
        var report = new LogitRankLearner().Learn(new ModelOracle(AdaptiveTarget), schedule, seed: 1).Report;
        var witnesses = report.Epochs.SelectMany(e => e.Witnesses).ToArray();
        Assert.NotEmpty(witnesses);
        Assert.All(witnesses, w =>
        {
            Assert.True(w.Significance > schedule.WitnessZ, $"witness {w.Word} at cut {w.Cut}: significance {w.Significance}");
            Assert.True(w.Leverage >= 0, $"leverage {w.Leverage}");
        });
        Assert.All(report.Epochs, e => Assert.Equal(e.Witnesses.Count, e.Witnesses.Select(w => w.Cut).Distinct().Count()));
    }

    [Fact]
    public void Adaptive_learning_of_an_exact_target_is_exact_at_its_rank_without_tabulating()
    {
        // k = 3, T = 9, d = 2: 19,683 sequences (exact evaluation), tabulation 9,841 prefixes.
        var target = TimeVaryingIsan.Random(3, 9, 2, seed: 5);
        var adaptive = new LogitRankLearner().Learn(new ModelOracle(target), new AdaptiveSchedule(), seed: 1);
        Assert.True(adaptive.Report.Accepted);
        Assert.Equal(LearningStop.Accepted, adaptive.Report.StoppedBy);

        // Exact learning: TV at rounding level (1e-9 leaves six orders of magnitude above the ~1e-15 of exact reconstruction).
        Assert.True(ExactDivergence.TotalVariation(target, adaptive.Model) <= 1e-9);
        Assert.All(adaptive.Model.Bases.Skip(1).SkipLast(1), b => Assert.True(b.Size <= 2, $"basis {b.Size} at cut {b.Cut} for d = 2"));

        // Nothing beyond rank 2 but rounding: the knees' rank tolerance sits at the numerical one, so there is no tail to
        // keep, and the returned model is the validated one (its a priori bound applies).
        Assert.Empty(adaptive.Report.TailChoices);
        Assert.False(adaptive.Report.ReturnedTail);
        Assert.All(adaptive.Report.NoiseFloors, n => Assert.True(n.Knee || !n.Measured, $"cut {n.Cut}: an exact rank-2 target has a knee (ratio {n.KneeRatio})"));
        Assert.True(adaptive.Report.Queries.Total <= 0.5 * Tabulation(3, 9), $"{adaptive.Report.Queries.Total} queries of {Tabulation(3, 9)}");
    }

    [Fact]
    public void The_adaptive_report_names_every_choice_outside_the_analysis()
    {
        var report = new LogitRankLearner().Learn(new ModelOracle(AdaptiveTarget), new AdaptiveSchedule(), seed: 1).Report;
        Assert.True(report.OutsideAnalysis);
        Assert.Equal("adaptive", report.Schedule.Kind);
        foreach (var topic in new[] { "rank tolerance", "reused", "two-token", "significant", "coefficient box", "validation error" })
        {
            Assert.Contains(report.OutsideAnalysisReasons, r => r.Contains(topic, StringComparison.Ordinal));
        }

        // One noise record per cut 1..T-2 per epoch.
        Assert.Equal(report.EpochsRun * (7 - 2), report.NoiseFloors.Count);
        Assert.Equal(report, LearningReport.FromJson(report.ToJson()));
    }

    [Fact]
    public void A_largest_spanner_sample_count_below_the_initial_one_is_rejected()
    {
        var schedule = new AdaptiveSchedule { SpannerSampleCount = 64, MaxSpannerSampleCount = 32 };
        var e = Assert.Throws<ArgumentException>(() => new LogitRankLearner().Learn(new ModelOracle(AdaptiveTarget), schedule, seed: 1));
        Assert.Contains("MaxSpannerSampleCount = 32", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Two_token_groups_are_the_most_frequent_tokens_of_the_samples()
    {
        var futures = FutureSets.Initial(4, 4);
        Prefix[] samples = [Prefix.Of(2, 2, 1), Prefix.Of(2, 3, 1), Prefix.Of(0, 2, 3)];
        var grouped = EpochLoop.WithTwoTokenGroups(futures, samples, 2);

        // Frequencies: 2 → 4, 1 → 2, 3 → 2, 0 → 1; the top two are 2 and then 1 (tie with 3 broken by the smaller token).
        for (var s = 0; s <= 2; s++)
        {
            var expected = Enumerable.Range(0, 4).Select(a => Prefix.Of(a))
                .Concat(Enumerable.Range(1, 2).SelectMany(f => Enumerable.Range(0, 4).Select(a => Prefix.Of(f, a))));
            Assert.Equal(expected, grouped.Future(s));
        }

        // The last cut has room for one token only.
        Assert.Equal(4, grouped.Future(3).Count);
    }

    /// <summary>hmm: 4 states, k = 3, T = 8: 3^8 = 6,561 sequences (exact evaluation); a decaying, deterministic logit spectrum.</summary>
    private static HiddenMarkovModel TailTarget => HiddenMarkovModel.Random(4, 3, 8, seed: 1);

    [Fact]
    public void Keeping_the_tails_costs_no_query_and_changes_only_the_returned_bases()
    {
        var oracle = new ModelOracle(TailTarget);
        var truncated = new LogitRankLearner().Learn(oracle, new AdaptiveSchedule { ValidateTail = false }, seed: 1);
        var tails = new LogitRankLearner().Learn(oracle, new AdaptiveSchedule(), seed: 1);

        // The loop follows the truncated bases either way: the same queries, epochs, witnesses and spanner decisions.
        Assert.Equal(truncated.Report.Queries, tails.Report.Queries);
        Assert.Equal(truncated.Report.Epochs, tails.Report.Epochs);
        Assert.Equal(truncated.Report.NoiseFloors, tails.Report.NoiseFloors);
        Assert.Equal(truncated.Report.ReturnedEpoch, tails.Report.ReturnedEpoch);
        Assert.Empty(truncated.Report.TailChoices);
        Assert.False(truncated.Report.ReturnedTail);

        // Every epoch with a knee cut measured its tails on its own validation samples and kept them iff they were better.
        Assert.Equal(tails.Report.EpochsRun, tails.Report.TailChoices.Count);
        Assert.All(tails.Report.TailChoices, c =>
        {
            Assert.Equal(c.TailValidationTotalVariation < c.SignalValidationTotalVariation, c.TailKept);
            Assert.Equal(tails.Report.Epochs[c.Epoch - 1].ValidationTotalVariation, c.SignalValidationTotalVariation);
        });

        // The returned model: the returned epoch's tails when its choice kept them, with the no-knee box and no ridge.
        var returned = tails.Report.TailChoices.Single(c => c.Epoch == tails.Report.ReturnedEpoch);
        Assert.True(returned.TailKept, "on this HMM the tails win validation");
        Assert.True(tails.Report.ReturnedTail);
        Assert.Equal(returned.TailBasisSizes, tails.Model.Bases.Select(b => b.Size));
        Assert.Equal(new AdaptiveSchedule().NoKneeReconstructionBeta, tails.Model.Options.Beta);
        Assert.All(tails.Model.Options.Ridge!, r => Assert.Equal(0.0, r));
        Assert.Contains(tails.Report.OutsideAnalysisReasons, r => r.Contains("signal rank", StringComparison.Ordinal));
    }

    [Fact]
    public void On_an_hmm_the_kept_tails_lower_the_exact_divergence()
    {
        // An HMM's logit spectrum decays without a noise floor: the rows beyond the knee carry over to fresh histories.
        var target = TailTarget;
        var truncated = new LogitRankLearner().Learn(new ModelOracle(target), new AdaptiveSchedule { ValidateTail = false }, seed: 1);
        var tails = new LogitRankLearner().Learn(new ModelOracle(target), new AdaptiveSchedule(), seed: 1);
        var without = ExactDivergence.SequenceLevel(target, truncated.Model);
        var with = ExactDivergence.SequenceLevel(target, tails.Model);

        // Measured: KL 1.2e-4 truncated, 2.8e-7 with the tails (validation TV 8.2e-3 against 3.3e-4). A factor 10 is far
        // inside that and far outside what a marginal choice between near-equal models could give.
        Assert.True(with.KullbackLeibler * 10 <= without.KullbackLeibler, $"KL with tails {with.KullbackLeibler}, truncated {without.KullbackLeibler}");
        Assert.True(with.TotalVariation < without.TotalVariation, $"TV with tails {with.TotalVariation}, truncated {without.TotalVariation}");
    }

    [Fact]
    public void The_adaptive_model_clips_its_logits_at_twice_the_largest_stored_logit()
    {
        // A9: C = 2 · max_s max|R_s|; the clip does not bind on this target (its logits are within the stored range), so
        // the model predicts exactly what the unclipped one does, with a logit bound that rests on the data.
        var result = new LogitRankLearner().Learn(new ModelOracle(TailTarget), new AdaptiveSchedule(), seed: 1);
        var model = result.Model;
        var largest = model.Bases.Max(b => b.MaxAbsEntry);
        Assert.Equal(2 * largest, model.Options.LogitClip);
        Assert.Equal(4 * largest * (1 + 1e-9), model.LogitBound, 12);

        var unclipped = new LearnedModel(model.FutureSets, model.Bases, model.Options with { LogitClip = null });
        Assert.True(unclipped.LogitBound > 100 * model.LogitBound, $"unclipped bound {unclipped.LogitBound}, clipped {model.LogitBound}");
        foreach (var h in SequenceSpace.AllUpTo(3, 4))
        {
            Assert.Equal(unclipped.NextTokenLogits(h).ToArray(), model.NextTokenLogits(h).ToArray());
        }

        Assert.Contains(result.Report.OutsideAnalysisReasons, r => r.Contains("clamped to ±2 times the largest stored logit", StringComparison.Ordinal));

        // No clip when asked for none.
        Assert.Null(new LogitRankLearner().Learn(new ModelOracle(TailTarget), new AdaptiveSchedule { LogitClipFactor = null }, seed: 1).Model.Options.LogitClip);
    }
}
