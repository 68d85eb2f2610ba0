using System.Diagnostics;
using LogitRank.Numerics;
using LogitRank.Oracles;
using LogitRank.Sequences;

namespace LogitRank.Learning;

/// <summary>The validation samples of an epoch (<see cref="ValidationPhase.DrawSamples"/>).</summary>
/// <param name="Samples">The samples <c>y ~ M</c> of length <c>T-1</c> (none when <c>T &lt; 2</c>).</param>
/// <param name="SamplingTime">Wall time of drawing them (<see cref="QueryPhase.Sampling"/> queries).</param>
internal sealed record ValidationSamples(IReadOnlyList<Prefix> Samples, TimeSpan SamplingTime);

/// <summary>
/// What validation does differently under <see cref="AdaptiveSchedule"/> (proofs-notes/adaptive-schedule.md, A3–A4): the
/// measured <c>τ_lp</c>, the reconstruction box, the noise floors for the significance test; infeasible prefixes keep their
/// minimum-residual solution (no abandonment) and the epoch accepts when no residual is significant.
/// </summary>
/// <param name="LpTolerance">The absolute <c>τ_lp</c>.</param>
/// <param name="Beta">The reconstruction's coefficient box.</param>
/// <param name="Noise">The noise floor <c>ν̂_s</c> per cut <c>0..T-1</c>.</param>
/// <param name="Z">The significance level.</param>
/// <param name="LogitClip">The clip of the predicted logits (<see cref="LearnedModelOptions.LogitClip"/>), as the returned model's.</param>
internal sealed record AdaptiveValidation(double LpTolerance, double Beta, IReadOnlyList<double> Noise, double Z, double? LogitClip = null);

/// <summary>The result of one <c>ValidationPhase.Run</c>.</summary>
/// <param name="Report">The epoch's report: acceptance, abandonment, witnesses, LP counts and the largest residuals.</param>
/// <param name="LargestFeasibleResidual">The largest residual of a feasible reconstruction LP at a prefix of length <c>t &gt;= 2</c> (0 when none).</param>
/// <param name="ReconstructionTime">Wall time of the reconstruction LPs.</param>
/// <param name="WitnessSearchTime">Wall time of the witness search, its <see cref="QueryPhase.Validation"/> queries included.</param>
internal sealed record ValidationPhaseResult(EpochReport Report, double LargestFeasibleResidual, TimeSpan ReconstructionTime, TimeSpan WitnessSearchTime);

/// <summary>
/// Validation of an epoch's bases (proofs-notes/witness-search.md, "The procedure"): RECONSTRUCT at every prefix of
/// every validation sample, the <see cref="WitnessSearch"/> on each sample, the epoch's witnesses and its acceptance.
/// </summary>
/// <remarks>
/// <para>Reconstructions are memoised per prefix within the epoch. An infeasible LP (<c>r &gt; τ_lp</c>) abandons the
/// epoch: the remaining samples are skipped and no witness is added. The epoch accepts when it was not abandoned and
/// every residual is at most <c>g</c> (a residual above <c>g</c> on a word already in <c>F̂_s</c>, possible only if
/// <c>g &lt; τ_lp</c>, blocks acceptance without adding a witness).</para>
/// </remarks>
/// <param name="oracle">The run's cache.</param>
/// <param name="schedule">Gives <c>n</c>, <c>g</c>, <c>β</c>, the LP tolerance and the witnesses per epoch.</param>
/// <param name="lpOptions">Options of the reconstruction LP solver (defaults when <see langword="null"/>).</param>
/// <param name="cancellationToken">Checked before every sample and every batch.</param>
internal sealed class ValidationPhase(PhaseCountingCache oracle, ILearningSchedule schedule, LpOptions? lpOptions, CancellationToken cancellationToken)
{
    /// <summary>
    /// The LP tolerance <c>τ_lp = LpRelativeTolerance · max(1, max_s max |basis entry|)</c> of bases
    /// <paramref name="bases"/>: relative to the scale of the stored rows, so that it means the same at any logit scale.
    /// </summary>
    public static double LpTolerance(ILearningSchedule schedule, IReadOnlyList<CutBasis> bases)
    {
        var max = 1.0;
        foreach (var b in bases)
        {
            max = Math.Max(max, b.MaxAbsEntry);
        }

        return schedule.LpRelativeTolerance * max;
    }

    /// <summary>Draws the epoch's <c>n</c> validation samples of length <c>T-1</c> from <paramref name="random"/> through the run's cache.</summary>
    public ValidationSamples DrawSamples(Random random)
    {
        if (oracle.Horizon < 2)
        {
            return new ValidationSamples([], TimeSpan.Zero);
        }

        var watch = Stopwatch.StartNew();
        var samples = OracleSampler.Sample(oracle, schedule.ValidationSamples, oracle.Horizon - 1, random, QueryPhase.Sampling, cancellationToken);
        watch.Stop();
        return new ValidationSamples(samples, watch.Elapsed);
    }

    /// <summary>
    /// The mean validation total variation <c>(1/n) Σ_j Σ_t TV(ℓ(y_{1:t}), ℓ̂(y_{1:t}))</c> of the model with bases
    /// <paramref name="bases"/> on <paramref name="samples"/>, without a witness search: the alternative the adaptive schedule
    /// compares with the validated bases (proofs-notes/adaptive-schedule.md, A8).
    /// </summary>
    /// <remarks>
    /// It asks the oracle only for the prefixes <c>y_{1:t}</c>, which the validation of the same samples has already
    /// paid (every witness search asks them, as the cut-0 terms): run after <see cref="Run(int, FutureSets, IReadOnlyList{CutBasis}, IReadOnlyList{Prefix}, AdaptiveValidation?, ReconstructionMethod, IReadOnlyList{double}?)"/>
    /// on the same samples, it costs no query.
    /// </remarks>
    public double MeasureTotalVariation(FutureSets futures, IReadOnlyList<CutBasis> bases, IReadOnlyList<Prefix> samples, AdaptiveValidation adaptive, ReconstructionMethod method, IReadOnlyList<double>? ridge)
    {
        var horizon = oracle.Horizon;
        if (samples.Count == 0)
        {
            return 0.0;
        }

        var engine = new Reconstructor(futures, bases, adaptive.Beta, adaptive.LpTolerance, lpOptions, method: method, ridge: ridge);
        var batch = new List<Prefix>();
        var position = new Dictionary<Prefix, int>();
        foreach (var y in samples)
        {
            for (var t = 1; t <= horizon - 1; t++)
            {
                var prefix = y.Take(t);
                if (position.TryAdd(prefix, batch.Count))
                {
                    batch.Add(prefix);
                }
            }
        }

        var answers = oracle.Ask(batch, QueryPhase.Validation, cancellationToken);
        var total = 0.0;
        foreach (var y in samples)
        {
            cancellationToken.ThrowIfCancellationRequested();
            for (var t = 1; t <= horizon - 1; t++)
            {
                var prefix = y.Take(t);
                var predicted = LogSpace.Center(LearnedModelOptions.ClipTo(engine.PredictRaw(prefix, engine.Solve(prefix)), adaptive.LogitClip));
                total += SoftmaxBounds.TotalVariation(answers[position[prefix]], LogitVector.FromLogits(predicted));
            }
        }

        return total / samples.Count;
    }

    /// <summary>Validates the bases of epoch <paramref name="epoch"/> on <paramref name="samples"/>.</summary>
    /// <param name="epoch">The epoch number (for the report).</param>
    /// <param name="futures">The future sets the bases were built for.</param>
    /// <param name="bases">The epoch's bases.</param>
    /// <param name="samples">The validation samples (<see cref="DrawSamples"/>).</param>
    /// <param name="method">The reconstruction method; the learned model must be built with the same (and the same ridge),
    /// so that validation measures the model that is returned.</param>
    /// <param name="ridge">The ridge per cut of <see cref="ReconstructionMethod.LeastSquares"/> (<see cref="LearnedModelOptions.Ridge"/>).</param>
    public ValidationPhaseResult Run(int epoch, FutureSets futures, IReadOnlyList<CutBasis> bases, IReadOnlyList<Prefix> samples, ReconstructionMethod method = ReconstructionMethod.MinimaxLp, IReadOnlyList<double>? ridge = null) =>
        Run(epoch, futures, bases, samples, null, method, ridge);

    /// <summary>Validates the bases of epoch <paramref name="epoch"/> on <paramref name="samples"/>, under the adaptive rules when <paramref name="adaptive"/> is given.</summary>
    /// <param name="epoch">The epoch number (for the report).</param>
    /// <param name="futures">The future sets the bases were built for.</param>
    /// <param name="bases">The epoch's bases.</param>
    /// <param name="samples">The validation samples (<see cref="DrawSamples"/>).</param>
    /// <param name="adaptive">The adaptive schedule's measured settings, or <see langword="null"/> for the analysed rules.</param>
    /// <param name="method">The reconstruction method (as the returned model's).</param>
    /// <param name="ridge">The ridge per cut of <see cref="ReconstructionMethod.LeastSquares"/>.</param>
    public ValidationPhaseResult Run(int epoch, FutureSets futures, IReadOnlyList<CutBasis> bases, IReadOnlyList<Prefix> samples, AdaptiveValidation? adaptive, ReconstructionMethod method = ReconstructionMethod.MinimaxLp, IReadOnlyList<double>? ridge = null)
    {
        var horizon = oracle.Horizon;
        var tau = adaptive?.LpTolerance ?? LpTolerance(schedule, bases);
        var engine = new Reconstructor(futures, bases, adaptive?.Beta ?? schedule.Beta, tau, lpOptions, method: method, ridge: ridge);
        var g = schedule.WitnessThreshold;
        var search = new WitnessSearch(oracle, futures, bases, engine, g, cancellationToken, adaptive?.Noise, adaptive?.Z ?? 0, adaptive?.LogitClip);
        var basisSizes = bases.Select(b => b.Size).ToArray();
        var reconstruction = new Stopwatch();
        var witnessSearch = new Stopwatch();
        var memo = new Dictionary<Prefix, ReconstructionResult>();
        var lpCount = 0;
        var infeasible = 0;
        var maxLp = 0.0;
        var largestFeasible = 0.0;
        var abandoned = false;
        var validated = 0;
        var found = WitnessSearchResult.None(horizon);
        for (var j = 0; j < samples.Count && !abandoned; j++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var y = samples[j];
            var results = new ReconstructionResult[horizon];
            reconstruction.Start();
            for (var t = 1; t <= horizon - 1; t++)
            {
                var prefix = y.Take(t);
                if (!memo.TryGetValue(prefix, out var result))
                {
                    result = engine.Solve(prefix);
                    memo[prefix] = result;
                    if (t >= 2)
                    {
                        lpCount++;
                        maxLp = Math.Max(maxLp, result.Residual);
                        if (result.Feasible)
                        {
                            largestFeasible = Math.Max(largestFeasible, result.Residual);
                        }
                        else
                        {
                            infeasible++;
                        }
                    }
                }

                if (!result.Feasible && adaptive is null)
                {
                    abandoned = true;
                    break;
                }

                results[t] = result;
            }

            reconstruction.Stop();
            if (abandoned)
            {
                break;
            }

            witnessSearch.Start();
            found = found.Then(search.Search(y, j, results));
            witnessSearch.Stop();
            validated++;
        }

        IReadOnlyList<WitnessRecord> witnesses = abandoned ? [] : found.Choose(schedule.WitnessesPerEpoch);
        var accepted = adaptive is null ? !abandoned && found.MaxResidual <= g : found.Candidates == 0;
        var report = new EpochReport(epoch, accepted, abandoned, basisSizes, witnesses, lpCount, infeasible, maxLp, tau, found.MaxResidual, found.MaxLogitError, validated)
        {
            ValidationTotalVariation = abandoned ? double.PositiveInfinity : validated == 0 ? 0.0 : found.TotalVariation / validated,
            ValidationKullbackLeibler = abandoned ? double.PositiveInfinity : validated == 0 ? 0.0 : found.KullbackLeibler / validated,
        };
        return new ValidationPhaseResult(report, largestFeasible, reconstruction.Elapsed, witnessSearch.Elapsed);
    }
}
