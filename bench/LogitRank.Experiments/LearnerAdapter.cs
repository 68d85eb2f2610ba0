using LogitRank.Models;
using LogitRank.Oracles;

namespace LogitRank.Experiments;

/// <summary>Knobs of the learner's practical schedule used by the experiments.</summary>
internal sealed record LearnerSettings(int SpannerSamples = 32, int ValidationSamples = 32, int MaxEpochs = 20, int WitnessesPerEpoch = 1, double WitnessThreshold = 1e-4, bool MinimumResidualFallback = false)
{
    public string Text => $"N_s={SpannerSamples}, n={ValidationSamples}, K={MaxEpochs}, witnesses/epoch={WitnessesPerEpoch}, g={WitnessThreshold:0.##e+0}{(MinimumResidualFallback ? ", min-residual fallback" : string.Empty)}";
}

/// <summary>
/// One learner run: the model, the paid queries and the report's phase times; under a budget with
/// <c>BudgetPolicy.ReturnBest</c>, whether the budget ran out and which validated epoch the model is.
/// </summary>
internal sealed record LearnerRun(ISequenceModel Model, long Queries, TimeSpan Wall, bool Accepted, int Epochs, string Bases, string Phases, bool BudgetExhausted = false, int ReturnedEpoch = 0, string StoppedBy = "", bool Unvalidated = false, bool Tails = false);

#if HAS_LEARNER
internal static class LearnerAdapter
{
    public static bool Available => true;

    public static LearnerRun Run(ISequenceModel target, int seed, LearnerSettings settings)
    {
        var schedule = new LogitRank.Learning.PracticalSchedule
        {
            SpannerSampleCount = settings.SpannerSamples,
            ValidationSamples = settings.ValidationSamples,
            MaxEpochs = settings.MaxEpochs,
            WitnessesPerEpoch = settings.WitnessesPerEpoch,
            WitnessThreshold = settings.WitnessThreshold,
            Fallback = settings.MinimumResidualFallback ? LogitRank.Learning.FallbackPolicy.MinimumResidual : LogitRank.Learning.FallbackPolicy.Uniform,
        };
        return Run(new ModelOracle(target), schedule, seed);
    }

    /// <summary>Learns through a fresh <see cref="CountingOracle"/> over <paramref name="oracle"/> with any schedule.</summary>
    public static LearnerRun Run(ILogitOracle oracle, LogitRank.Learning.ILearningSchedule schedule, int seed, CancellationToken cancellationToken = default)
    {
        var counting = new CountingOracle(oracle);
        var sw = System.Diagnostics.Stopwatch.StartNew();
        var result = new LogitRank.Learning.LogitRankLearner().Learn(counting, schedule, seed, cancellationToken: cancellationToken);
        sw.Stop();
        var report = result.Report;
        var w = report.WallTime;
        var phases = $"sampling {Fmt.Ms(w.Sampling)} ms, spanner {Fmt.Ms(w.Spanner)} ms, reconstruction {Fmt.Ms(w.Reconstruction)} ms, witness search {Fmt.Ms(w.WitnessSearch)} ms, total {Fmt.Ms(w.Total)} ms; {report.LpCount} LPs";
        var bases = string.Join(",", report.Cuts.Select(c => c.BasisSize));
        return new LearnerRun(result.Model, counting.Counts.Total, sw.Elapsed, report.Accepted, report.EpochsRun, bases, phases, report.BudgetExhausted, report.ReturnedEpoch, report.StoppedBy.ToString(), report.ReturnedUnvalidated, report.ReturnedTail);
    }
}
#else
internal static class LearnerAdapter
{
    public static bool Available => false;

    public static LearnerRun Run(ISequenceModel target, int seed, LearnerSettings settings) =>
        throw new NotSupportedException("LogitRank.Learning is not in this build.");
}
#endif
