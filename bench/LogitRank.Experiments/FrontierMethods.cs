using System.Diagnostics;
using LogitRank.Baselines;
using LogitRank.Learning;
using LogitRank.Models;
using LogitRank.Oracles;
using LogitRank.Sequences;

namespace LogitRank.Experiments;

/// <summary>What one method produced within one budget: the model, what it used, its wall time and notes.</summary>
/// <param name="Model">The learned model.</param>
/// <param name="Used">Queries paid, or samples used.</param>
/// <param name="Wall">Learning wall time.</param>
/// <param name="Notes">What the report says about the run.</param>
/// <param name="BudgetBound">Whether the budget stopped the run (a learner that ran out of queries); when it did not, the
/// same deterministic run is what any larger budget gives.</param>
internal sealed record MethodRun(ISequenceModel Model, long Used, TimeSpan Wall, string Notes, bool BudgetBound = false);

/// <summary>A cell that was not run or produced no model; the reason goes into the report.</summary>
internal sealed class SkippedCellException(string reason) : Exception(reason);

/// <summary>
/// A method of the frontier: learns the target within a budget of <c>B</c> queries (query learners) or <c>B</c>
/// complete samples (sample learners, one sample counted as one query, as in the equal-budget experiments).
/// </summary>
/// <param name="Name">The row label.</param>
/// <param name="Unit">"queries" or "samples".</param>
/// <param name="Settings">How it is constructed, for the report.</param>
/// <param name="Run">Learns within the budget; honours the token (the per-cell wall-time cap); throws <see cref="SkippedCellException"/> with the reason when there is no model.</param>
internal sealed record FrontierMethod(string Name, string Unit, string Settings, Func<FrontierTarget, long, CancellationToken, MethodRun> Run);

/// <summary>The methods of the frontier report, each a pluggable entry.</summary>
internal static class FrontierMethods
{
    /// <summary>Seed of every learner and of the least-squares history sampling.</summary>
    public const int LearnerSeed = 1;

    /// <summary>Seed of the target samples the sample learners get (the first <c>n</c> of one seeded draw).</summary>
    public const int SampleSeed = 11;

    /// <param name="sampleCap">The most samples a sample learner gets (a run-time cap; reported when it binds).</param>
    /// <param name="leastSquaresCap">The wall time of one target's least-squares ladder.</param>
    public static IReadOnlyList<FrontierMethod> All(int sampleCap, TimeSpan leastSquaresCap)
    {
        var methods = new List<FrontierMethod>();
        methods.AddRange(AdaptiveMethods());
        methods.Add(new FrontierMethod(
            "analysed learner (practical, uniform fallback)",
            "queries",
            "`new PracticalSchedule { QueryBudget = B, OnBudgetExhausted = BudgetPolicy.ReturnBest }` (defaults otherwise: N_s = n = 32, K = 20, g = 1e-4, τ_lp = 1e-6, one witness per epoch, analysed uniform fallback), seed 1",
            Reusing((target, budget, token) => Learner(target, new PracticalSchedule { QueryBudget = budget, OnBudgetExhausted = BudgetPolicy.ReturnBest }, token))));
        methods.Add(new FrontierMethod(
            "analysed learner (theory schedule)",
            "queries",
            "`TheorySchedule.FromTargets(ε = 0.1, δ = 0.05, T, d = the target's nominal rank, α = 1, k)`, run only when its per-epoch sample counts fit in B",
            Theory));
        var ladders = new Dictionary<string, (IReadOnlyList<LeastSquaresRung> Rungs, string Stop)>();
        methods.Add(new FrontierMethod(
            "least squares (LINGEN-style)",
            "queries",
            $"`new LeastSquaresLearner(historySamples: N)` (future length 2), seed 1, with the largest N ∈ {{1, 2, 4, …, 2^16}} whose queries fit in B; one ladder per target, capped at {leastSquaresCap.TotalSeconds:0} s",
            (target, budget, token) => LeastSquares(target, budget, ladders, leastSquaresCap)));
        var samples = new Dictionary<string, IReadOnlyList<Prefix>>();
        var spectralRuns = new Dictionary<(string, int), MethodRun>();
        var ngramRuns = new Dictionary<(string, int), MethodRun>();
        methods.Add(new FrontierMethod(
            "spectral WFA",
            "samples",
            $"`new SpectralLearner()` (rank automatic, basis length 2) on the first min(B, {Fmt.Int(sampleCap)}) target samples (seed 11)",
            (target, budget, token) => FromSamples(target, budget, sampleCap, samples, spectralRuns, (k, t, s) =>
            {
                var r = new SpectralLearner().Learn(k, t, s);
                return (r.Model, $"rank {r.Rank}");
            })));
        methods.Add(new FrontierMethod(
            "3-gram",
            "samples",
            $"`new NGramLearner(3)` (absolute discounting D = 0.75, position-aware) on the first min(B, {Fmt.Int(sampleCap)}) target samples (seed 11)",
            (target, budget, token) => FromSamples(target, budget, sampleCap, samples, ngramRuns, (k, t, s) => (new NGramLearner(3).Learn(k, t, s), "D=0.75"))));
        return methods;
    }

    /// <summary>Whether the build has the adaptive schedule (issue 14, item 1).</summary>
    public static bool AdaptiveAvailable => AdaptiveMethods().Count > 0;

    private static List<FrontierMethod> AdaptiveMethods()
    {
        var methods = new List<FrontierMethod>();
#if HAS_ADAPTIVE
        methods.Add(new FrontierMethod(
            "**adaptive learner**",
            "queries",
            "`new AdaptiveSchedule { QueryBudget = B, OnBudgetExhausted = BudgetPolicy.ReturnBest }`, seed 1",
            Reusing((target, budget, token) => Learner(target, new AdaptiveSchedule { QueryBudget = budget, OnBudgetExhausted = BudgetPolicy.ReturnBest }, token))));
#endif
        return methods;
    }

    private static MethodRun Learner(FrontierTarget target, ILearningSchedule schedule, CancellationToken token)
    {
        try
        {
            var run = LearnerAdapter.Run(target.Oracle, schedule, LearnerSeed, token);
            var status = run.Accepted ? "accepted"
                : run.Unvalidated ? $"stopped by {run.StoppedBy} before any epoch was validated, epoch {run.ReturnedEpoch}'s bases returned unvalidated"
                : $"stopped by {run.StoppedBy}, best validated epoch {run.ReturnedEpoch} returned";
            status += run.Tails ? "; tails beyond the knees kept" : string.Empty;
            return new MethodRun(run.Model, run.Queries, run.Wall, $"{status}; {run.Epochs} epochs; bases {run.Bases}", run.BudgetExhausted);
        }
        catch (QueryBudgetExceededException e)
        {
            throw new SkippedCellException($"the first SPANNER did not finish within the budget, so there are no bases to return ({Fmt.Int(e.Used)} queries used when the next batch of {Fmt.Int(e.Requested)} {e.Phase} queries would pass B)");
        }
    }

    /// <summary>
    /// Wraps a deterministic learner whose budget only stops it (the schedule uses <c>QueryBudget</c> for nothing else):
    /// when the run at a smaller budget of the same target finished without the budget binding, that run is what this
    /// budget gives too, so it is reused (same model, noted) instead of repeated.
    /// </summary>
    private static Func<FrontierTarget, long, CancellationToken, MethodRun> Reusing(Func<FrontierTarget, long, CancellationToken, MethodRun> run)
    {
        var last = new Dictionary<string, (long Budget, MethodRun Run)>();
        return (target, budget, token) =>
        {
            if (last.TryGetValue(target.Spec, out var previous) && !previous.Run.BudgetBound && previous.Budget < budget)
            {
                return previous.Run with { Notes = previous.Run.Notes + $"; the run at B = {Fmt.Int(previous.Budget)} (its budget did not bind, so a larger one gives the same run)" };
            }

            var result = run(target, budget, token);
            last[target.Spec] = (budget, result);
            return result;
        };
    }

    private static MethodRun Theory(FrontierTarget target, long budget, CancellationToken token)
    {
        if (target.Rank is not { } rank)
        {
            throw new SkippedCellException("no nominal rank d to compute the schedule from");
        }

        var schedule = TheorySchedule.FromTargets(0.1, 0.05, target.T, rank, 1.0, target.K);
        var spanner = schedule.SpannerSampleCount(target.K + 1);
        var needed = (double)spanner + schedule.ValidationSampleCount;
        if (needed > budget)
        {
            throw new SkippedCellException($"does not fit: K = {Fmt.Num(schedule.EpochCount)} epochs of n = {Fmt.Num(schedule.ValidationSampleCount)} validation samples and N_s ≥ {Fmt.Num(spanner)} spanner samples per cut (|F̃| ≥ k+1), more samples per epoch than B");
        }

        return Learner(target, schedule, token);
    }

    private static MethodRun LeastSquares(FrontierTarget target, long budget, Dictionary<string, (IReadOnlyList<LeastSquaresRung> Rungs, string Stop)> ladders, TimeSpan cap)
    {
        if (!ladders.TryGetValue(target.Spec, out var ladder))
        {
            // One ladder per target up to the largest budget (30% of tabulation); each budget takes the largest rung within it.
            using var cts = new CancellationTokenSource(cap);
            var rungs = BaselineRuns.LeastSquaresLadder(target.Oracle, (long)Math.Floor(FrontierReport.Fractions[^1] * target.TabulationCost), cts.Token, out var stop);
            ladder = (rungs, stop);
            ladders[target.Spec] = ladder;
        }

        var within = ladder.Rungs.LastOrDefault(r => r.Queries <= budget)
            ?? throw new SkippedCellException(ladder.Rungs.Count == 0 ? $"no run within the ladder ({ladder.Stop})" : $"N=1 pays {Fmt.Int(ladder.Rungs[0].Queries)} queries > B");
        var last = ReferenceEquals(within, ladder.Rungs[^1]) ? $"; ladder ended: {ladder.Stop}" : string.Empty;
        return new MethodRun(within.Result.Model, within.Queries, within.Wall, $"N={within.N}, bases {string.Join(",", within.Result.BasisSizes)}{last}");
    }

    private static MethodRun FromSamples(FrontierTarget target, long budget, int cap, Dictionary<string, IReadOnlyList<Prefix>> cache, Dictionary<(string, int), MethodRun> runs, Func<int, int, IReadOnlyList<Prefix>, (ISequenceModel Model, string Notes)> learn)
    {
        var n = (int)Math.Min(budget, cap);
        if (n < 1)
        {
            throw new SkippedCellException("B < 1 sample");
        }

        if (runs.TryGetValue((target.Spec, n), out var same))
        {
            // The same samples give the same model (the learners are deterministic given their samples).
            return same;
        }

        if (!cache.TryGetValue(target.Spec, out var all) || all.Count < n)
        {
            var count = (int)Math.Min((long)Math.Floor(FrontierReport.Fractions[^1] * target.TabulationCost), cap);
            all = target.Model is { } model
                ? model.SampleMany(Math.Max(count, n), SampleSeed)
                : OracleSampler.Sample(target.Oracle, Math.Max(count, n), target.T, new Random(SampleSeed));
            cache[target.Spec] = all;
        }

        var samples = all.Take(n).ToArray();
        var sw = Stopwatch.StartNew();
        var (m, notes) = learn(target.K, target.T, samples);
        sw.Stop();
        var result = new MethodRun(m, n, sw.Elapsed, n < budget ? $"{notes}; samples capped at {Fmt.Int(cap)} (run-time cap)" : notes);
        runs[(target.Spec, n)] = result;
        return result;
    }
}
