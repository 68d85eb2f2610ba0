using System.Diagnostics;
using LogitRank.Analysis;
using LogitRank.Numerics;
using LogitRank.Oracles;
using LogitRank.Sequences;

namespace LogitRank.Learning;

/// <summary>The result of one <see cref="SpannerPhase.Run"/>.</summary>
/// <param name="Bases">The basis at every cut <c>s = 0..T-1</c>.</param>
/// <param name="SamplesPerCut">The spanner sample count <c>N_s</c> the schedule gave at every cut (0 at cuts 0 and <c>T-1</c>, where no SPANNER runs).</param>
/// <param name="SamplingTime">Wall time of drawing the spanner samples (<see cref="QueryPhase.Sampling"/> queries).</param>
/// <param name="SpannerTime">Wall time of the row queries (<see cref="QueryPhase.Spanner"/>) and the spanner selections.</param>
/// <param name="Noise">Under <see cref="AdaptiveSchedule"/>: the noise measurement and rank decision at every cut <c>1..T-2</c>; else empty.</param>
/// <param name="NoiseFloors">Under <see cref="AdaptiveSchedule"/>: <c>ν̂_s</c> at every cut <c>0..T-1</c> (cuts 0 and <c>T-1</c> copy their neighbours); else empty.</param>
internal sealed record SpannerPhaseResult(IReadOnlyList<CutBasis> Bases, IReadOnlyList<int> SamplesPerCut, TimeSpan SamplingTime, TimeSpan SpannerTime, IReadOnlyList<CutNoiseReport> Noise, IReadOnlyList<double> NoiseFloors)
{
    /// <summary>
    /// Under <see cref="AdaptiveSchedule"/>: the same rows with every knee cut selected at the numerical rank tolerance
    /// instead (the tail beyond the signal rank kept), or <see langword="null"/> when that changes no basis.
    /// </summary>
    public IReadOnlyList<CutBasis>? TailBases { get; init; }

    /// <summary>A result without noise measurements (the analysed schedules).</summary>
    public SpannerPhaseResult(IReadOnlyList<CutBasis> bases, IReadOnlyList<int> samplesPerCut, TimeSpan samplingTime, TimeSpan spannerTime)
        : this(bases, samplesPerCut, samplingTime, spannerTime, [], [])
    {
    }
}

/// <summary>
/// SPANNER at every cut (ALGORITHM.md section 3; proofs-notes/learner-schedules.md, "SPANNER sampling"): cut 0 is the
/// empty history; cuts <c>1..T-2</c> select a barycentric spanner among the distinct sampled histories' rows on
/// <c>F̃_s</c>; cut <c>T-1</c> is empty.
/// </summary>
/// <remarks>
/// One set of <c>max_s N_s</c> samples of length <c>T-2</c> is drawn from <c>random</c> per run of the phase; cut <c>s</c> uses the
/// distinct length-<c>s</c> prefixes of the first <c>N_s</c> of them. A cut whose rows are all zero (within
/// <see cref="ILearningSchedule.ZeroRowTolerance"/>) gets an empty basis. Every query goes through the run's one cache.
/// </remarks>
/// <param name="oracle">The run's cache.</param>
/// <param name="schedule">Gives <c>N_s</c>, <c>β</c> and the spanner's tolerances.</param>
/// <param name="cancellationToken">Checked before every batch.</param>
internal sealed class SpannerPhase(PhaseCountingCache oracle, ILearningSchedule schedule, CancellationToken cancellationToken)
{
    /// <summary>Builds the bases for <paramref name="futures"/>, drawing the spanner samples from <paramref name="random"/>.</summary>
    /// <exception cref="InvalidOperationException">The schedule returned <c>N_s &lt; 1</c>.</exception>
    public SpannerPhaseResult Run(FutureSets futures, Random random)
    {
        var horizon = oracle.Horizon;
        var bases = new CutBasis[horizon];
        var counts = new int[horizon];
        var sampling = new Stopwatch();
        var spanner = Stopwatch.StartNew();
        var rows0 = RowsOn(futures, 0, [Prefix.Empty]);
        bases[0] = new CutBasis(0, futures.Extended(0).Count, [Prefix.Empty], rows0);
        spanner.Stop();
        if (horizon >= 2)
        {
            bases[horizon - 1] = new CutBasis(horizon - 1, futures.Extended(horizon - 1).Count, [], []);
        }

        if (horizon < 3)
        {
            return new SpannerPhaseResult(bases, counts, sampling.Elapsed, spanner.Elapsed);
        }

        var maxCount = 0;
        for (var s = 1; s <= horizon - 2; s++)
        {
            counts[s] = schedule.SpannerSamples(s, futures.Extended(s).Count);
            if (counts[s] < 1)
            {
                throw new InvalidOperationException($"The schedule returned N_{s} = {counts[s]} spanner samples; expected at least 1.");
            }

            maxCount = Math.Max(maxCount, counts[s]);
        }

        sampling.Start();
        var samples = OracleSampler.Sample(oracle, maxCount, horizon - 2, random, QueryPhase.Sampling, cancellationToken);
        sampling.Stop();
        spanner.Start();
        for (var s = 1; s <= horizon - 2; s++)
        {
            var seen = new HashSet<Prefix>();
            var histories = new List<Prefix>();
            for (var i = 0; i < counts[s]; i++)
            {
                var h = samples[i].Take(s);
                if (seen.Add(h))
                {
                    histories.Add(h);
                }
            }

            var rows = RowsOn(futures, s, histories);
            var width = futures.Extended(s).Count;
            var allZero = rows.All(r => r.All(v => Math.Abs(v) <= schedule.ZeroRowTolerance));
            if (allZero)
            {
                bases[s] = new CutBasis(s, width, [], []);
                continue;
            }

            var selection = BarycentricSpanner.Select(rows, schedule.Beta, schedule.SpannerRankTolerance);
            bases[s] = new CutBasis(s, width, [.. selection.Selected.Select(i => histories[i])], [.. selection.Selected.Select(i => (IReadOnlyList<double>)rows[i])]);
        }

        spanner.Stop();
        return new SpannerPhaseResult(bases, counts, sampling.Elapsed, spanner.Elapsed);
    }

    /// <summary>
    /// SPANNER under <see cref="AdaptiveSchedule"/> (proofs-notes/adaptive-schedule.md, A1–A2): cut <c>s</c> uses all
    /// <c>k^s</c> histories when <c>k^s &lt;= N_s</c>, else the distinct length-<c>s</c> prefixes of the first <c>N_s</c> of
    /// <paramref name="samples"/> (drawn once by the caller and reused every epoch); it measures the noise floor of the rows,
    /// tests for a knee, and selects with the noise-aware rank tolerance at knee cuts.
    /// </summary>
    /// <param name="futures">The future sets.</param>
    /// <param name="samples">The spanner samples of length <c>T-2</c>, at least <c>max_s N_s</c> of them.</param>
    /// <param name="counts">The current <c>N_s</c> per cut (index <c>0..T-1</c>; only <c>1..T-2</c> are read).</param>
    /// <param name="adaptive">The schedule's knobs.</param>
    /// <param name="epoch">The epoch, for the report.</param>
    public SpannerPhaseResult RunAdaptive(FutureSets futures, IReadOnlyList<Prefix> samples, IReadOnlyList<int> counts, AdaptiveSchedule adaptive, int epoch)
    {
        var horizon = oracle.Horizon;
        var k = oracle.AlphabetSize;
        var bases = new CutBasis[horizon];
        var spanner = Stopwatch.StartNew();
        var rows0 = RowsOn(futures, 0, [Prefix.Empty]);
        bases[0] = new CutBasis(0, futures.Extended(0).Count, [Prefix.Empty], rows0);
        var nu = new double[horizon];
        if (horizon >= 2)
        {
            bases[horizon - 1] = new CutBasis(horizon - 1, futures.Extended(horizon - 1).Count, [], []);
        }

        if (horizon < 3)
        {
            return new SpannerPhaseResult(bases, new int[horizon], TimeSpan.Zero, spanner.Elapsed, [], nu);
        }

        var used = new int[horizon];
        var allRows = new double[horizon][][];
        var allHistories = new List<Prefix>[horizon];
        var estimates = new NoiseFloorEstimate?[horizon];
        var effective = new double[horizon];
        var norms = new double[horizon];
        for (var s = 1; s <= horizon - 2; s++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            used[s] = counts[s];
            var histories = new List<Prefix>();
            if (Math.Pow(k, s) <= counts[s])
            {
                histories.AddRange(SequenceSpace.All(k, s));
            }
            else
            {
                var seen = new HashSet<Prefix>();
                for (var i = 0; i < counts[s] && i < samples.Count; i++)
                {
                    var h = samples[i].Take(s);
                    if (seen.Add(h))
                    {
                        histories.Add(h);
                    }
                }
            }

            var rows = RowsOn(futures, s, histories);
            allRows[s] = rows;
            allHistories[s] = histories;
            effective[s] = Math.Max(1, futures.Extended(s).Count - futures.ExtendedFutures(s).Count);
            norms[s] = rows.Max(r => Math.Sqrt(r.Sum(v => v * v)));
            var allZero = rows.All(r => r.All(v => Math.Abs(v) <= schedule.ZeroRowTolerance));
            estimates[s] = !allZero && rows.Length >= 2 ? NoiseFloor.Estimate(rows, effective[s]) : null;
            nu[s] = estimates[s] is { Valid: true } e ? e.Nu : double.NaN;
        }

        // Cuts whose rows cannot separate noise from signal borrow the median of the measured ones (0 when none is).
        var measured = nu.Where(double.IsFinite).Order().ToArray();
        var borrowed = measured.Length == 0 ? 0.0 : measured[measured.Length / 2];
        // A cut too small to measure (few rows, or no tail beyond the signal) takes the regime of the measured ones: a knee
        // when every measured cut has one (the target shows a noise floor), else none.
        var measuredKnees = Enumerable.Range(1, horizon - 2).Where(s => double.IsFinite(nu[s])).Select(s => KneeOf(estimates[s]!, adaptive)).ToArray();
        var inferredKnee = measuredKnees.Length > 0 && measuredKnees.All(k => k);
        var noise = new List<CutNoiseReport>();
        var tailBases = (CutBasis[])bases.Clone();
        var tailDiffers = false;
        for (var s = 1; s <= horizon - 2; s++)
        {
            var isMeasured = double.IsFinite(nu[s]);
            if (!isMeasured)
            {
                nu[s] = borrowed;
            }

            var rows = allRows[s];
            var histories = allHistories[s];
            var width = futures.Extended(s).Count;
            var estimate = estimates[s];
            if (estimate is null)
            {
                bases[s] = new CutBasis(s, width, [], []);
                tailBases[s] = bases[s];
                noise.Add(new CutNoiseReport(epoch, s, histories.Count, used[s], effective[s], nu[s], false, 0, 1.0, false, schedule.SpannerRankTolerance, 0));
                continue;
            }

            var knee = isMeasured ? KneeOf(estimate, adaptive) : inferredKnee;
            var tolerance = knee
                ? Math.Clamp(adaptive.RankNoiseFactor * nu[s] * Math.Sqrt(effective[s]) / norms[s], schedule.SpannerRankTolerance, MaxRankTolerance)
                : schedule.SpannerRankTolerance;
            var selection = BarycentricSpanner.Select(rows, schedule.Beta, tolerance);
            bases[s] = new CutBasis(s, width, [.. selection.Selected.Select(i => histories[i])], [.. selection.Selected.Select(i => (IReadOnlyList<double>)rows[i])]);
            tailBases[s] = bases[s];
            if (knee && tolerance > schedule.SpannerRankTolerance)
            {
                // The alternative the epoch loop validates: the tail beyond the signal rank kept (a deterministic tail, as an
                // HMM's, carries over to fresh histories; a noise tail does not; proofs-notes/adaptive-schedule.md, A8).
                var full = BarycentricSpanner.Select(rows, schedule.Beta, schedule.SpannerRankTolerance);
                if (full.Selected.Count > selection.Selected.Count)
                {
                    tailBases[s] = new CutBasis(s, width, [.. full.Selected.Select(i => histories[i])], [.. full.Selected.Select(i => (IReadOnlyList<double>)rows[i])]);
                    tailDiffers = true;
                }
            }

            noise.Add(new CutNoiseReport(epoch, s, histories.Count, used[s], effective[s], nu[s], isMeasured, estimate.Rank, estimate.KneeRatio, knee, tolerance, bases[s].Size));
        }

        nu[0] = nu[1];
        nu[horizon - 1] = nu[horizon - 2];
        spanner.Stop();
        return new SpannerPhaseResult(bases, used, TimeSpan.Zero, spanner.Elapsed, noise, nu) { TailBases = tailDiffers ? tailBases : null };
    }

    /// <summary>Whether a valid estimate shows a knee: <c>σ_r̂/σ_{r̂+1} &gt;= KneeRatio</c> with <c>r̂ &gt;= 1</c>.</summary>
    private static bool KneeOf(NoiseFloorEstimate estimate, AdaptiveSchedule adaptive) =>
        estimate.Valid && estimate.Rank >= 1 && estimate.KneeRatio >= adaptive.KneeRatio;

    /// <summary>The largest noise-aware rank tolerance: below 1, as <see cref="BarycentricSpanner.Select"/> requires, with room for one row.</summary>
    internal const double MaxRankTolerance = 0.99;

    /// <summary>The rows of <paramref name="histories"/> on <c>F̃_s</c>: one query per (history, distinct future).</summary>
    private double[][] RowsOn(FutureSets futures, int cut, List<Prefix> histories)
    {
        var extended = futures.Extended(cut);
        var fs = futures.ExtendedFutures(cut);
        var batch = new List<Prefix>(histories.Count * fs.Count);
        var position = new Dictionary<Prefix, int>();
        foreach (var h in histories)
        {
            foreach (var f in fs)
            {
                var p = Prefix.Concatenate(h, f);
                if (position.TryAdd(p, batch.Count))
                {
                    batch.Add(p);
                }
            }
        }

        var answers = oracle.Ask(batch, QueryPhase.Spanner, cancellationToken);
        var rows = new double[histories.Count][];
        for (var i = 0; i < histories.Count; i++)
        {
            var row = new double[extended.Count];
            for (var j = 0; j < extended.Count; j++)
            {
                var w = extended[j];
                var p = Prefix.Concatenate(histories[i], w.Take(w.Length - 1));
                row[j] = answers[position[p]][w[^1]];
            }

            rows[i] = row;
        }

        return rows;
    }
}
