using System.Diagnostics;
using LogitRank.Numerics;
using LogitRank.Oracles;
using LogitRank.Sequences;
using Microsoft.Extensions.Logging;

namespace LogitRank.Learning;

/// <summary>
/// The epoch loop of Algorithm 1 (ALGORITHM.md section 3; proofs-notes/learner-schedules.md): per epoch the
/// <see cref="SpannerPhase"/>, the validation samples and the <see cref="ValidationPhase"/>, then the epoch's witnesses
/// are added to the future sets; it stops at the first accepting epoch or after <see cref="ILearningSchedule.MaxEpochs"/>,
/// rebuilds the bases if witnesses came after the last SPANNER, and assembles the model and the report.
/// </summary>
/// <remarks>
/// The loop owns what spans the phases: the seed streams (<see cref="LogitRankLearner.DeriveSeed"/>: epoch <c>e</c>'s
/// SPANNER samples from stream 0, its validation samples from stream 1, the rebuild as epoch <c>K + 1</c>), progress
/// (one report at the start of every phase, with the queries paid so far), one log message per epoch, the wall times and
/// the report. The phases get everything else explicitly and return result records.
/// </remarks>
/// <param name="oracle">The run's cache; the report counts the queries paid through it during <see cref="Run"/>.</param>
/// <param name="schedule">The parameters.</param>
/// <param name="seed">The only source of randomness.</param>
/// <param name="lpOptions">Options of the reconstruction LP solver (defaults when <see langword="null"/>).</param>
/// <param name="progress">Receives a report at the start of every phase.</param>
/// <param name="logger">Receives one structured message per epoch.</param>
/// <param name="cancellationToken">Honoured between batches.</param>
internal sealed class EpochLoop(PhaseCountingCache oracle, ILearningSchedule schedule, int seed, LpOptions? lpOptions, IProgress<LearningProgress>? progress, ILogger logger, CancellationToken cancellationToken)
{
    /// <summary>Runs the epochs and returns the learned model and its report.</summary>
    public LearningResult Run()
    {
        var start = oracle.Paid;
        var horizon = oracle.Horizon;
        var spannerPhase = new SpannerPhase(oracle, schedule, cancellationToken);
        var validationPhase = new ValidationPhase(oracle, schedule, lpOptions, cancellationToken);
        var total = Stopwatch.StartNew();
        TimeSpan sampling = TimeSpan.Zero, spanner = TimeSpan.Zero, reconstruction = TimeSpan.Zero, witnessSearch = TimeSpan.Zero;
        var futures = FutureSets.Initial(oracle.AlphabetSize, horizon);
        var epochs = new List<EpochReport>();
        var witnessesPerCut = new int[horizon];
        IReadOnlyList<int> spannerSamplesPerCut = new int[horizon];
        IReadOnlyList<CutBasis> bases = [];
        var basesFutures = futures;
        var lpCount = 0L;
        var largestAcceptedResidual = 0.0;
        var maxLogitError = 0.0;
        var accepted = false;
        var maxEpochs = schedule.MaxEpochs;
        var returnBest = schedule.OnBudgetExhausted == BudgetPolicy.ReturnBest;
        (int Epoch, double Error, FutureSets Futures, IReadOnlyList<CutBasis> Bases, double Tau)? best = null;
        var budgetExhausted = false;
        var patienceStop = false;

        // The adaptive schedule (proofs-notes/adaptive-schedule.md): spanner samples drawn once and reused, per-cut N_s,
        // the noise floors of the current bases, and every per-cut decision for the report.
        var adaptive = schedule as AdaptiveSchedule;
        var spannerSamples = new List<Prefix>();
        var sampleCounts = new int[horizon];
        var noiseReports = new List<CutNoiseReport>();
        IReadOnlyList<double> noise = [];
        var tau = 0.0;
        if (adaptive is not null && adaptive.MaxSpannerSampleCount < adaptive.SpannerSampleCount)
        {
            throw new ArgumentException($"AdaptiveSchedule.MaxSpannerSampleCount = {adaptive.MaxSpannerSampleCount} is below SpannerSampleCount = {adaptive.SpannerSampleCount}; expected at least it.", nameof(schedule));
        }

        void BuildBases(int epoch)
        {
            Report(start, epoch, LearningPhase.Spanner);
            var built = adaptive is null
                ? spannerPhase.Run(futures, new Random(LogitRankLearner.DeriveSeed(seed, epoch, 0)))
                : spannerPhase.RunAdaptive(futures, spannerSamples, sampleCounts, adaptive, epoch);
            sampling += built.SamplingTime;
            spanner += built.SpannerTime;
            spannerSamplesPerCut = built.SamplesPerCut;
            bases = built.Bases;
            basesFutures = futures;
            noiseReports.AddRange(built.Noise);
            noise = built.NoiseFloors;
        }

        void DrawSpannerSamples(int count, int stream)
        {
            if (horizon < 3 || count <= spannerSamples.Count)
            {
                return;
            }

            var watch = Stopwatch.StartNew();
            spannerSamples.AddRange(OracleSampler.Sample(oracle, count - spannerSamples.Count, horizon - 2, new Random(LogitRankLearner.DeriveSeed(seed, stream, 2)), QueryPhase.Sampling, cancellationToken));
            sampling += watch.Elapsed;
        }

        try
        {
            if (adaptive is not null)
            {
                Report(start, 1, LearningPhase.Sampling);
                Array.Fill(sampleCounts, adaptive.SpannerSampleCount);
                DrawSpannerSamples(adaptive.SpannerSampleCount, 0);
                futures = WithTwoTokenGroups(futures, spannerSamples, adaptive.GroupsFor(oracle.AlphabetSize));
            }

            for (var epoch = 1; epoch <= maxEpochs && !accepted && !patienceStop; epoch++)
            {
                BuildBases(epoch);
                Report(start, epoch, LearningPhase.Sampling);
                var drawn = validationPhase.DrawSamples(new Random(LogitRankLearner.DeriveSeed(seed, epoch, 1)));
                sampling += drawn.SamplingTime;
                Report(start, epoch, LearningPhase.Validation);
                AdaptiveValidation? measured = null;
                if (adaptive is not null)
                {
                    var floor = noise.Count == 0 ? 0.0 : noise.Max();
                    measured = new AdaptiveValidation(Math.Max(ValidationPhase.LpTolerance(schedule, bases), adaptive.LpNoiseFactor * floor), adaptive.ReconstructionBeta, noise, adaptive.WitnessZ);
                }

                tau = measured?.LpTolerance ?? ValidationPhase.LpTolerance(schedule, bases);
                var validated = validationPhase.Run(epoch, futures, bases, drawn.Samples, measured);
                reconstruction += validated.ReconstructionTime;
                witnessSearch += validated.WitnessSearchTime;
                var epochReport = validated.Report;
                if (adaptive is not null && epochReport.Accepted && CanGrow(adaptive, epoch))
                {
                    // A cut without a knee is learned by sampling more histories, not by witnesses (its noise floor is the
                    // unexplained tail at the current N_s): the epoch does not accept while such a cut can still grow.
                    epochReport = epochReport with { Accepted = false };
                }

                lpCount += epochReport.LpCount;
                largestAcceptedResidual = Math.Max(largestAcceptedResidual, validated.LargestFeasibleResidual);
                maxLogitError = Math.Max(maxLogitError, epochReport.MaxLogitError);
                epochs.Add(epochReport);
                accepted = epochReport.Accepted;

                // The best validated epoch so far (ties: the later one), kept with the future sets its bases were built for.
                if (best is null || epochReport.ValidationTotalVariation <= best.Value.Error)
                {
                    best = (epoch, epochReport.ValidationTotalVariation, futures, bases, tau);
                }

                foreach (var w in epochReport.Witnesses)
                {
                    futures = futures.WithWitness(w.Cut, w.Word);
                    witnessesPerCut[w.Cut]++;
                }

                if (logger.IsEnabled(LogLevel.Information))
                {
                    logger.LogInformation(
                        "Epoch {Epoch}: accepted={Accepted} abandoned={Abandoned} witnesses={Witnesses} maxResidual={MaxResidual} maxLogitError={MaxLogitError} lps={LpCount} queries={Queries}",
                        epoch,
                        epochReport.Accepted,
                        epochReport.Abandoned,
                        epochReport.Witnesses.Count,
                        epochReport.MaxResidual,
                        epochReport.MaxLogitError,
                        epochReport.LpCount,
                        oracle.PaidSince(start).Total);
                }

                if (adaptive is not null && !accepted)
                {
                    patienceStop = epoch - best!.Value.Epoch >= adaptive.Patience;
                    GrowSpannerSamples(adaptive, epoch);
                }
            }

        }
        catch (Oracles.QueryBudgetExceededException) when (returnBest && best is not null)
        {
            // Anytime learning: the budget ran out mid-epoch; return the best epoch validated before it.
            budgetExhausted = true;
        }

        var rebuilt = false;
        var returnedEpoch = accepted ? epochs.Count : 0;
        if (!accepted && (returnBest || adaptive is not null) && best is not null)
        {
            // The best validated epoch's future sets and bases: validated, unlike a rebuild for the final future sets.
            futures = best.Value.Futures;
            bases = best.Value.Bases;
            tau = best.Value.Tau;
            returnedEpoch = best.Value.Epoch;
        }
        else if (!accepted && !basesFutures.SameAs(futures))
        {
            Report(start, maxEpochs + 1, LearningPhase.Rebuild);
            BuildBases(maxEpochs + 1);
            rebuilt = true;
        }
        else if (!accepted)
        {
            returnedEpoch = epochs.Count;
        }

        if (adaptive is null)
        {
            tau = ValidationPhase.LpTolerance(schedule, bases);
        }

        var model = new LearnedModel(futures, bases, new LearnedModelOptions(adaptive?.ReconstructionBeta ?? schedule.Beta, tau, schedule.Fallback) { Solver = lpOptions });
        Report(start, epochs.Count, LearningPhase.Done);
        total.Stop();
        var counts = oracle.PaidSince(start);
        var reasons = new List<string>();
        if (schedule.WitnessesPerEpoch > 1)
        {
            reasons.Add($"WitnessesPerEpoch = {schedule.WitnessesPerEpoch} > 1 (the analysis adds one witness per epoch)");
        }

        if (schedule.Fallback == FallbackPolicy.MinimumResidual)
        {
            reasons.Add("Fallback = MinimumResidual (the analysis falls back to uniform at infeasible prefixes)");
        }

        if (adaptive is not null)
        {
            reasons.AddRange(AdaptiveReasons(adaptive));
        }

        var cuts = Enumerable.Range(0, horizon)
            .Select(s => new CutReport(s, bases[s].Size, futures.Future(s).Count, futures.Extended(s).Count, witnessesPerCut[s], spannerSamplesPerCut[s]))
            .ToArray();
        var report = new LearningReport(
            seed,
            ScheduleSummary.From(schedule),
            accepted,
            epochs.Count,
            epochs,
            cuts,
            new QueryReport(counts[QueryPhase.Sampling], counts[QueryPhase.Spanner], counts[QueryPhase.Validation], counts.Total, counts.Batches),
            lpCount,
            largestAcceptedResidual,
            tau,
            maxLogitError,
            rebuilt,
            reasons.Count > 0,
            reasons,
            new PhaseTimes(sampling, spanner, reconstruction, witnessSearch, total.Elapsed))
        {
            BudgetExhausted = budgetExhausted,
            ReturnedEpoch = returnedEpoch,
            StoppedBy = accepted ? LearningStop.Accepted : budgetExhausted ? LearningStop.Budget : patienceStop ? LearningStop.Patience : LearningStop.MaxEpochs,
            NoiseFloors = noiseReports,
        };
        return new LearningResult(model, report);

        bool CanGrow(AdaptiveSchedule knobs, int epoch) =>
            noiseReports.Any(r => r.Epoch == epoch && !r.Knee && sampleCounts[r.Cut] < knobs.MaxSpannerSampleCount && Math.Pow(oracle.AlphabetSize, r.Cut) > sampleCounts[r.Cut]);

        void GrowSpannerSamples(AdaptiveSchedule knobs, int epoch)
        {
            // Cuts without a knee (a power-law spectrum) keep every sampled history: more samples, not witnesses, are what
            // improves them (proofs-notes/adaptive-schedule.md, A2). Exhaustive cuts (k^s <= N_s) have nothing to add.
            var grew = false;
            foreach (var cut in noiseReports.Where(r => r.Epoch == epoch && !r.Knee))
            {
                var s = cut.Cut;
                if (sampleCounts[s] < knobs.MaxSpannerSampleCount && Math.Pow(oracle.AlphabetSize, s) > sampleCounts[s])
                {
                    sampleCounts[s] = (int)Math.Min(2L * sampleCounts[s], knobs.MaxSpannerSampleCount);
                    grew = true;
                }
            }

            if (grew)
            {
                DrawSpannerSamples(sampleCounts.Max(), epoch);
            }
        }
    }

    /// <summary>
    /// The initial future sets of the adaptive schedule: <c>F̂_s = Σ ∪ {f∘a : f ∈ G, a ∈ Σ}</c> at every cut with
    /// <c>T − s &gt;= 2</c>, where <c>G</c> holds the <paramref name="groups"/> most frequent tokens of
    /// <paramref name="samples"/> (all positions; ties: the smaller token).
    /// </summary>
    internal static FutureSets WithTwoTokenGroups(FutureSets futures, IReadOnlyList<Prefix> samples, int groups)
    {
        if (groups <= 0)
        {
            return futures;
        }

        var k = futures.AlphabetSize;
        var frequency = new long[k];
        foreach (var y in samples)
        {
            foreach (var token in y)
            {
                frequency[token]++;
            }
        }

        var chosen = Enumerable.Range(0, k).OrderByDescending(a => frequency[a]).ThenBy(a => a).Take(groups).Order().ToArray();
        var sets = new List<IReadOnlyList<Prefix>>();
        for (var s = 0; s < futures.Horizon; s++)
        {
            var set = new List<Prefix>(futures.Future(s));
            if (futures.Horizon - s >= 2)
            {
                foreach (var f in chosen)
                {
                    for (var a = 0; a < k; a++)
                    {
                        var word = Prefix.Of(f, a);
                        if (!futures.ContainsFuture(s, word))
                        {
                            set.Add(word);
                        }
                    }
                }
            }

            sets.Add(set);
        }

        return FutureSets.FromFutureSets(k, futures.Horizon, sets);
    }

    /// <summary>What an adaptive run does outside the a priori analysis (the report's reasons).</summary>
    private static IEnumerable<string> AdaptiveReasons(AdaptiveSchedule adaptive)
    {
        yield return "Schedule = adaptive: SPANNER's rank tolerance at cuts with a knee is set from the measured noise floor, and N_s grows at cuts without one (the analysis fixes both in advance)";
        yield return "Adaptive: the spanner samples are drawn once and reused by every epoch, and cuts with k^s <= N_s take every history (the analysis draws fresh samples per epoch)";
        yield return "Adaptive: F̂_s starts with two-token groups f∘Σ (the analysis starts from Σ)";
        yield return "Adaptive: witnesses are residuals significant against their noise, one per cut per epoch ranked by leverage (the analysis adds the largest residual above g, one per epoch)";
        yield return $"Adaptive: the reconstruction's coefficient box is β = {adaptive.ReconstructionBeta.ToString(System.Globalization.CultureInfo.InvariantCulture)} (the analysis uses 2), and τ_lp is set from the noise floor";
        yield return "Adaptive: unless an epoch accepts, the model is the epoch with the smallest validation error (chosen on the validation samples)";
    }

    private void Report(QueryCounts start, int epoch, LearningPhase phase) =>
        progress?.Report(new LearningProgress(epoch, phase, oracle.PaidSince(start).Total, schedule.QueryBudget));
}
