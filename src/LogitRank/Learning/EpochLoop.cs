using System.Diagnostics;
using LogitRank.Numerics;
using LogitRank.Oracles;
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
        (int Epoch, double Error, FutureSets Futures, IReadOnlyList<CutBasis> Bases)? best = null;
        var budgetExhausted = false;

        void BuildBases(int epoch)
        {
            Report(start, epoch, LearningPhase.Spanner);
            var built = spannerPhase.Run(futures, new Random(LogitRankLearner.DeriveSeed(seed, epoch, 0)));
            sampling += built.SamplingTime;
            spanner += built.SpannerTime;
            spannerSamplesPerCut = built.SamplesPerCut;
            bases = built.Bases;
            basesFutures = futures;
        }

        try
        {
            for (var epoch = 1; epoch <= maxEpochs && !accepted; epoch++)
            {
                BuildBases(epoch);
                Report(start, epoch, LearningPhase.Sampling);
                var drawn = validationPhase.DrawSamples(new Random(LogitRankLearner.DeriveSeed(seed, epoch, 1)));
                sampling += drawn.SamplingTime;
                Report(start, epoch, LearningPhase.Validation);
                var validated = validationPhase.Run(epoch, futures, bases, drawn.Samples);
                reconstruction += validated.ReconstructionTime;
                witnessSearch += validated.WitnessSearchTime;
                var epochReport = validated.Report;
                lpCount += epochReport.LpCount;
                largestAcceptedResidual = Math.Max(largestAcceptedResidual, validated.LargestFeasibleResidual);
                maxLogitError = Math.Max(maxLogitError, epochReport.MaxLogitError);
                epochs.Add(epochReport);
                accepted = epochReport.Accepted;

                // The best validated epoch so far (ties: the later one), kept with the future sets its bases were built for.
                if (best is null || epochReport.ValidationTotalVariation <= best.Value.Error)
                {
                    best = (epoch, epochReport.ValidationTotalVariation, futures, bases);
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
            }

        }
        catch (Oracles.QueryBudgetExceededException) when (returnBest && best is not null)
        {
            // Anytime learning: the budget ran out mid-epoch; return the best epoch validated before it.
            budgetExhausted = true;
        }

        var rebuilt = false;
        var returnedEpoch = accepted ? epochs.Count : 0;
        if (!accepted && returnBest && best is not null)
        {
            // The best validated epoch's future sets and bases: validated, unlike a rebuild for the final future sets.
            futures = best.Value.Futures;
            bases = best.Value.Bases;
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

        var tau = ValidationPhase.LpTolerance(schedule, bases);
        var model = new LearnedModel(futures, bases, new LearnedModelOptions(schedule.Beta, tau, schedule.Fallback) { Solver = lpOptions });
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
        };
        return new LearningResult(model, report);
    }

    private void Report(QueryCounts start, int epoch, LearningPhase phase) =>
        progress?.Report(new LearningProgress(epoch, phase, oracle.PaidSince(start).Total, schedule.QueryBudget));
}
