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
        IReadOnlyList<CutBasis>? tailBases = null;
        var tailChoices = new List<TailChoice>();
        Tail? tail = null; // the current epoch's kept tail, if its validation chose it
        var returnedTail = false;
        var basesFutures = futures;
        var lpCount = 0L;
        var largestAcceptedResidual = 0.0;
        var maxLogitError = 0.0;
        var accepted = false;
        var maxEpochs = schedule.MaxEpochs;
        var returnBest = schedule.OnBudgetExhausted == BudgetPolicy.ReturnBest;
        (EpochModel Model, double Error, Tail? Tail)? best = null;
        var budgetExhausted = false;
        EpochModel? unvalidated = null;
        var returnedUnvalidated = false;
        var patienceStop = false;

        // The adaptive schedule (proofs-notes/adaptive-schedule.md): spanner samples drawn once and reused, per-cut N_s,
        // the noise floors of the current bases, and every per-cut decision for the report.
        var adaptive = schedule as AdaptiveSchedule;
        var spannerSamples = new List<Prefix>();
        var sampleCounts = new int[horizon];
        var noiseReports = new List<CutNoiseReport>();
        IReadOnlyList<CutNoiseReport> decisions = []; // the current bases' per-cut decisions (cuts 1..T-2, in order)
        IReadOnlyList<double> noise = [];
        var tau = 0.0;
        IReadOnlyList<double>? ridge = null;
        var beta = schedule.Beta;
        var method = adaptive?.Reconstruction ?? ReconstructionMethod.MinimaxLp;
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
            tailBases = built.TailBases;
            basesFutures = futures;
            noiseReports.AddRange(built.Noise);
            decisions = built.Noise;
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
                AdaptiveValidation? measured = null;
                if (adaptive is not null)
                {
                    var floor = noise.Count == 0 ? 0.0 : noise.Max();
                    beta = adaptive.ReconstructionBeta ?? (decisions.All(AtSignalRank) ? schedule.Beta : adaptive.NoKneeReconstructionBeta);
                    measured = new AdaptiveValidation(Math.Max(ValidationPhase.LpTolerance(schedule, bases), adaptive.LpNoiseFactor * floor), beta, noise, adaptive.WitnessZ, Clip(bases));
                }

                tau = measured?.LpTolerance ?? ValidationPhase.LpTolerance(schedule, bases);

                // Least squares under the adaptive schedule: ridge λ_s = ν̂_s², the measured noise (proofs-notes/adaptive-schedule.md, A3).
                // At a cut without a knee ν̂ is the unexplained tail at the current N_s, not noise: no ridge beyond the floor there.
                ridge = method == ReconstructionMethod.LeastSquares ? Ridge() : null;

                // Until an epoch is validated, the epoch's bases are what a budget that runs out can still return.
                unvalidated = best is null ? new EpochModel(epoch, futures, bases, tau, ridge, beta) : null;
                Report(start, epoch, LearningPhase.Sampling);
                var drawn = validationPhase.DrawSamples(new Random(LogitRankLearner.DeriveSeed(seed, epoch, 1)));
                sampling += drawn.SamplingTime;
                Report(start, epoch, LearningPhase.Validation);
                var validated = validationPhase.Run(epoch, futures, bases, drawn.Samples, measured, method, ridge);
                reconstruction += validated.ReconstructionTime;
                witnessSearch += validated.WitnessSearchTime;
                var epochReport = validated.Report;
                tail = null;
                if (adaptive is { ValidateTail: true } && measured is not null && tailBases is not null)
                {
                    // The tail beyond the signal rank at the knee cuts, on the same validation samples at no query cost
                    // (proofs-notes/adaptive-schedule.md, A8): kept, the knee cuts are reconstructed as cuts without a knee
                    // are (no ridge, the no-knee box). The loop itself (witnesses, acceptance, growth) follows the
                    // validated signal bases, so the choice changes the returned model and nothing else.
                    var tailBeta = adaptive.ReconstructionBeta ?? adaptive.NoKneeReconstructionBeta;
                    IReadOnlyList<double>? tailRidge = method == ReconstructionMethod.LeastSquares ? new double[horizon] : null;
                    var watch = Stopwatch.StartNew();
                    var tailError = validationPhase.MeasureTotalVariation(futures, tailBases, drawn.Samples, measured with { Beta = tailBeta, LogitClip = Clip(tailBases) }, method, tailRidge);
                    reconstruction += watch.Elapsed;
                    var keep = tailError < epochReport.ValidationTotalVariation;
                    tailChoices.Add(new TailChoice(epoch, epochReport.ValidationTotalVariation, tailError, keep, [.. tailBases.Select(b => b.Size)]));
                    tail = keep ? new Tail(tailBases, tailRidge, tailBeta) : null;
                }

                if (adaptive is not null && epochReport.Accepted && decisions.Any(r => CanGrowAt(adaptive, r)))
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
                    best = (new EpochModel(epoch, futures, bases, tau, ridge, beta), epochReport.ValidationTotalVariation, tail);
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
                    patienceStop = epoch - best!.Value.Model.Epoch >= adaptive.Patience;
                    GrowSpannerSamples(adaptive, epoch);
                }
            }

        }
        catch (Oracles.QueryBudgetExceededException) when (returnBest && (best is not null || unvalidated is not null))
        {
            // Anytime learning: the budget ran out mid-epoch; return the best epoch validated before it, or, when none was,
            // the bases SPANNER finished in the epoch it ran out in (unvalidated: the hold-out certificate measures them).
            budgetExhausted = true;
        }

        var rebuilt = false;
        var returnedEpoch = accepted ? epochs.Count : 0;
        if (!accepted && (returnBest || adaptive is not null) && best is not null)
        {
            // The best validated epoch's future sets and bases: validated, unlike a rebuild for the final future sets.
            Restore(best.Value.Model);
            tail = best.Value.Tail;
        }
        else if (!accepted && budgetExhausted && unvalidated is not null)
        {
            Restore(unvalidated);
            returnedUnvalidated = true;
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
        else if (tail is not null && !rebuilt)
        {
            // The returned epoch's validation chose the bases with the tails kept.
            bases = tail.Bases;
            ridge = tail.Ridge;
            beta = tail.Beta;
            returnedTail = true;
        }

        var model = new LearnedModel(futures, bases, new LearnedModelOptions(beta, tau, schedule.Fallback) { Solver = lpOptions, Method = method, Ridge = ridge, LogitClip = Clip(bases) });
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
            TailChoices = tailChoices,
            ReturnedTail = returnedTail,
            ReturnedUnvalidated = returnedUnvalidated,
        };
        return new LearningResult(model, report);

        void Restore(EpochModel m)
        {
            (futures, bases, tau, ridge, beta, returnedEpoch) = (m.Futures, m.Bases, m.Tau, m.Ridge, m.Beta, m.Epoch);
        }

        // The logit clip of the adaptive schedule (proofs-notes/adaptive-schedule.md, A9): a multiple of the largest stored logit.
        double? Clip(IReadOnlyList<CutBasis> b) =>
            adaptive?.LogitClipFactor is { } factor && b.Count > 0 && b.Max(x => x.MaxAbsEntry) is > 0 and var max ? factor * max : null;

        double[] Ridge()
        {
            var lambda = new double[horizon];
            for (var s = 0; s < horizon; s++)
            {
                // Cuts 0 and T-1 have no SPANNER of their own: they follow their neighbour, as their noise floors do.
                var cut = Math.Clamp(s, 1, Math.Max(1, horizon - 2));
                var knee = cut - 1 < decisions.Count && decisions[cut - 1].Knee;
                lambda[s] = knee ? noise[s] * noise[s] : 0.0;
            }

            return lambda;
        }

        // The barycentric box β = 2 carries over to fresh histories where SPANNER found a low-dimensional signal that its
        // samples cover many times: a knee, a basis of at most r̂ + 1 rows, and r̂ <= √N' (proofs-notes/adaptive-schedule.md, A3).
        static bool AtSignalRank(CutNoiseReport r) => !r.Measured || (r.Knee && r.BasisSize <= r.SignalRank + 1 && r.SignalRank <= Math.Sqrt(r.Rows));

        // A cut without a knee can take more samples until the cap, unless it is already exhaustive (k^s <= N_s).
        bool CanGrowAt(AdaptiveSchedule knobs, CutNoiseReport r) =>
            !r.Knee && sampleCounts[r.Cut] < knobs.MaxSpannerSampleCount && Math.Pow(oracle.AlphabetSize, r.Cut) > sampleCounts[r.Cut];

        void GrowSpannerSamples(AdaptiveSchedule knobs, int epoch)
        {
            // Cuts without a knee (a power-law spectrum) keep every sampled history: more samples, not witnesses, are what
            // improves them (proofs-notes/adaptive-schedule.md, A2). Exhaustive cuts (k^s <= N_s) have nothing to add.
            var grew = false;
            foreach (var cut in decisions.Where(r => CanGrowAt(knobs, r)))
            {
                sampleCounts[cut.Cut] = (int)Math.Min(2L * sampleCounts[cut.Cut], knobs.MaxSpannerSampleCount);
                grew = true;
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
    /// <paramref name="samples"/> (all positions; ties: the smaller token); for a binary alphabet with both tokens in
    /// <c>G</c>, also <c>Σ³</c> at cuts with <c>T − s &gt;= 3</c>.
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

                // A binary alphabet: Σ ∪ Σ² gives only 3 centred directions, fewer than a rank-3 target has; Σ³ adds 4 more
                // (4 query prefixes per history, as Σ² costs for k = 4).
                if (k == 2 && groups >= 2 && futures.Horizon - s >= 3)
                {
                    foreach (var f in chosen)
                    {
                        foreach (var g in chosen)
                        {
                            for (var a = 0; a < k; a++)
                            {
                                set.Add(Prefix.Of(f, g, a));
                            }
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
        yield return adaptive.ReconstructionBeta is { } box
            ? $"Adaptive: the reconstruction's coefficient box is β = {box.ToString(System.Globalization.CultureInfo.InvariantCulture)} (set by the caller; the analysis uses 2), and τ_lp is set from the noise floor"
            : $"Adaptive: the reconstruction's coefficient box is chosen from the knees (2, or {adaptive.NoKneeReconstructionBeta.ToString(System.Globalization.CultureInfo.InvariantCulture)} when a cut has none; the analysis uses 2; the model's β is in its options), and τ_lp is set from the noise floor";
        if (adaptive.Reconstruction == ReconstructionMethod.LeastSquares)
        {
            yield return "Adaptive: reconstruction by sequential least squares with ridge ν̂_s² (the analysis solves the minimax LP)";
        }
        if (adaptive.ValidateTail)
        {
            yield return "Adaptive: at cuts with a knee, the returned bases keep the rows beyond the signal rank when that lowers the validation total variation (chosen on the validation samples; LearningReport.TailChoices, ReturnedTail)";
        }

        if (adaptive.LogitClipFactor is { } clip)
        {
            yield return string.Create(System.Globalization.CultureInfo.InvariantCulture, $"Adaptive: the model's raw logits are clamped to ±{clip} times the largest stored logit before centring (LearnedModelOptions.LogitClip; the analysis does not clip)");
        }

        yield return "Adaptive: unless an epoch accepts, the model is the epoch with the smallest validation error (chosen on the validation samples)";
    }

    /// <summary>What an epoch's model is built from: its future sets, bases and reconstruction settings.</summary>
    private sealed record EpochModel(int Epoch, FutureSets Futures, IReadOnlyList<CutBasis> Bases, double Tau, IReadOnlyList<double>? Ridge, double Beta);

    /// <summary>An epoch's bases with the tails kept at the knee cuts, with their reconstruction's ridge and box.</summary>
    private sealed record Tail(IReadOnlyList<CutBasis> Bases, IReadOnlyList<double>? Ridge, double Beta);

    private void Report(QueryCounts start, int epoch, LearningPhase phase) =>
        progress?.Report(new LearningProgress(epoch, phase, oracle.PaidSince(start).Total, schedule.QueryBudget));
}
