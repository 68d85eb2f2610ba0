using System.Diagnostics;
using LogitRank.Numerics;
using LogitRank.Oracles;
using LogitRank.Sequences;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace LogitRank.Learning;

/// <summary>
/// The learner of ALGORITHM.md section 3 (Algorithm 1 of Golowich–Liu–Shetty, arXiv:2512.09892): epochs of SPANNER at
/// every cut, validation samples, RECONSTRUCT and witness search, until every residual is at most <c>g</c> or the epoch
/// budget runs out. Cuts are 0-based (see <see cref="FutureSets"/>).
/// </summary>
/// <remarks>
/// <para><b>Oracle composition.</b> The user's oracle is wrapped as <c>Caching(Counting(oracle))</c>, or
/// <c>Caching(Budgeted(Counting(oracle), budget))</c> when the schedule has a query budget: every distinct prefix is
/// paid once and charged to the <see cref="QueryPhase"/> that first asked for it; repeated questions (a spanner row
/// entry that a sample path already visited, a validation query at a stored row) are free. A batch that would exceed
/// the budget throws <see cref="QueryBudgetExceededException"/> (with the counts so far) before reaching the oracle.</para>
/// <para><b>Randomness.</b> Only <c>seed</c>: epoch <c>e</c>'s SPANNER samples come from <c>new Random(Derive(seed, e, 0))</c> and
/// its validation samples from <c>new Random(Derive(seed, e, 1))</c> (<c>Derive</c> = SplitMix64 mixing; the rebuild after
/// the budget uses epoch <c>K + 1</c>). Everything else is deterministic and sequential, so the model, the report (except
/// wall times) and the query counts depend on the seed only.</para>
/// <para><b>SPANNER sampling.</b> One set of <c>max_s N_s</c> samples of length <c>T-2</c> is drawn per epoch; cut <c>s</c> uses the
/// distinct length-<c>s</c> prefixes of the first <c>N_s</c> of them (each is a draw from <c>M_{1:s}</c>; the per-cut guarantee
/// needs no independence across cuts).</para>
/// </remarks>
public sealed class LogitRankLearner
{
    private readonly LpOptions? _lpOptions;

    /// <summary>Creates a learner.</summary>
    /// <param name="lpOptions">Options of the reconstruction LP solver (defaults when <see langword="null"/>).</param>
    public LogitRankLearner(LpOptions? lpOptions = null) => _lpOptions = lpOptions;

    /// <summary>Learns a model of the target behind <paramref name="oracle"/>.</summary>
    /// <param name="oracle">The logit oracle of the target <c>M</c>.</param>
    /// <param name="schedule">The parameters (<see cref="TheorySchedule"/> or <see cref="PracticalSchedule"/>).</param>
    /// <param name="seed">The only source of randomness.</param>
    /// <param name="progress">Receives a report at the start of every phase.</param>
    /// <param name="logger">Receives one structured message per epoch (null logger by default).</param>
    /// <param name="cancellationToken">Honoured between batches.</param>
    /// <returns>The learned model (always a proper model) and the learning report.</returns>
    /// <exception cref="ArgumentNullException">The oracle or schedule is null.</exception>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    /// <exception cref="QueryBudgetExceededException">The next batch would exceed <see cref="ILearningSchedule.QueryBudget"/>; the exception carries the counts so far.</exception>
    /// <exception cref="ArgumentException">The oracle reports <c>k &lt; 2</c> or <c>T &lt; 1</c>, or a <see cref="TheorySchedule"/> was computed for another <c>k</c> or <c>T</c>.</exception>
    /// <exception cref="InvariantViolationException">The telescoping identity failed (a bug or a non-deterministic oracle).</exception>
    public LearningResult Learn(ILogitOracle oracle, ILearningSchedule schedule, int seed, IProgress<LearningProgress>? progress = null, ILogger? logger = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(oracle);
        ArgumentNullException.ThrowIfNull(schedule);
        cancellationToken.ThrowIfCancellationRequested();
        var run = new Run(oracle, schedule, seed, progress, logger ?? NullLogger.Instance, _lpOptions, cancellationToken);
        return run.Execute();
    }

    /// <summary>
    /// The runtime check of the telescoping identity (runtime contract <see cref="Contracts.Telescoping"/>): throws <see cref="InvariantViolationException"/> naming
    /// <see cref="InvariantViolationException.TelescopingIdentity"/> unless <c>|Σ_s res_s(a) - (ℓ̂_raw[a] - ℓ[a])| &lt;= tolerance</c>
    /// for every token <c>a</c> (NaN fails).
    /// </summary>
    internal static void CheckTelescoping(Prefix prefix, ReadOnlySpan<double> residualSum, ReadOnlySpan<double> rawPrediction, ReadOnlySpan<double> logits, double tolerance)
    {
        for (var a = 0; a < residualSum.Length; a++)
        {
            var identity = rawPrediction[a] - logits[a];
            var deviation = Math.Abs(residualSum[a] - identity);
            if (!(deviation <= tolerance))
            {
                throw new InvariantViolationException(
                    InvariantViolationException.TelescopingIdentity,
                    deviation,
                    tolerance,
                    $"at prefix {prefix}, token {a}: sum of residuals {residualSum[a]:R} but lhat - l = {identity:R} (tolerance {tolerance:G3}).");
            }
        }
    }

    /// <summary>SplitMix64 mixing of <c>(seed, epoch, stream)</c> into a 31-bit seed.</summary>
    internal static int DeriveSeed(int seed, int epoch, int stream)
    {
        var z = unchecked((ulong)(uint)seed * 0x9E3779B97F4A7C15UL) ^ ((ulong)(uint)epoch << 32) ^ (ulong)(uint)stream;
        z = unchecked(z + 0x9E3779B97F4A7C15UL);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        z ^= z >> 31;
        return (int)(z & 0x7FFFFFFF);
    }

    private sealed class Run
    {
        private readonly ILearningSchedule _schedule;
        private readonly int _seed;
        private readonly IProgress<LearningProgress>? _progress;
        private readonly ILogger _logger;
        private readonly LpOptions? _lpOptions;
        private readonly CancellationToken _ct;
        private readonly CountingOracle _counting;
        private readonly CachingOracle _oracle;
        private readonly int _k;
        private readonly int _horizon;
        private readonly int[] _witnessesPerCut;
        private readonly int[] _spannerSamplesPerCut;
        private readonly Stopwatch _sampling = new();
        private readonly Stopwatch _spanner = new();
        private readonly Stopwatch _reconstruction = new();
        private readonly Stopwatch _witnessSearch = new();
        private long _lpCount;
        private double _largestAcceptedResidual;
        private double _maxLogitError;

        public Run(ILogitOracle oracle, ILearningSchedule schedule, int seed, IProgress<LearningProgress>? progress, ILogger logger, LpOptions? lpOptions, CancellationToken ct)
        {
            _schedule = schedule;
            _seed = seed;
            _progress = progress;
            _logger = logger;
            _lpOptions = lpOptions;
            _ct = ct;
            _k = oracle.AlphabetSize;
            _horizon = oracle.Horizon;
            if (_k < 2 || _horizon < 1)
            {
                throw new ArgumentException($"The oracle reports k = {_k}, T = {_horizon}; expected k >= 2 and T >= 1.", nameof(oracle));
            }

            if (schedule is TheorySchedule theory && (theory.Horizon != _horizon || theory.AlphabetSize != _k))
            {
                throw new ArgumentException($"The theory schedule was computed for T = {theory.Horizon}, k = {theory.AlphabetSize}; the oracle has T = {_horizon}, k = {_k}.", nameof(schedule));
            }

            _counting = new CountingOracle(oracle);
            ILogitOracle paid = schedule.QueryBudget is { } budget ? new BudgetedOracle(_counting, budget) : _counting;
            _oracle = new CachingOracle(paid);
            _witnessesPerCut = new int[_horizon];
            _spannerSamplesPerCut = new int[_horizon];
        }

        public LearningResult Execute()
        {
            var total = Stopwatch.StartNew();
            var futures = FutureSets.Initial(_k, _horizon);
            var epochs = new List<EpochReport>();
            CutBasis[] bases = [];
            FutureSets basesFutures = futures;
            var accepted = false;
            var maxEpochs = _schedule.MaxEpochs;
            for (var epoch = 1; epoch <= maxEpochs && !accepted; epoch++)
            {
                bases = BuildBases(futures, epoch);
                basesFutures = futures;
                var (epochReport, witnesses) = Validate(futures, bases, epoch);
                epochs.Add(epochReport);
                accepted = epochReport.Accepted;
                foreach (var w in witnesses)
                {
                    futures = futures.WithWitness(w.Cut, w.Word);
                    _witnessesPerCut[w.Cut]++;
                }

                if (_logger.IsEnabled(LogLevel.Information))
                {
                    _logger.LogInformation(
                        "Epoch {Epoch}: accepted={Accepted} abandoned={Abandoned} witnesses={Witnesses} maxResidual={MaxResidual} maxLogitError={MaxLogitError} lps={LpCount} queries={Queries}",
                        epoch,
                        epochReport.Accepted,
                        epochReport.Abandoned,
                        epochReport.Witnesses.Count,
                        epochReport.MaxResidual,
                        epochReport.MaxLogitError,
                        epochReport.LpCount,
                        _counting.Counts.Total);
                }
            }

            var rebuilt = false;
            if (!accepted && !basesFutures.SameAs(futures))
            {
                Report(maxEpochs + 1, LearningPhase.Rebuild);
                bases = BuildBases(futures, maxEpochs + 1);
                rebuilt = true;
            }

            var tau = Tolerance(bases);
            var model = new LearnedModel(futures, bases, new LearnedModelOptions(_schedule.Beta, tau, _schedule.Fallback) { Solver = _lpOptions });
            Report(epochs.Count, LearningPhase.Done);
            total.Stop();
            var counts = _counting.Counts;
            var reasons = new List<string>();
            if (_schedule.WitnessesPerEpoch > 1)
            {
                reasons.Add($"WitnessesPerEpoch = {_schedule.WitnessesPerEpoch} > 1 (the analysis adds one witness per epoch)");
            }

            if (_schedule.Fallback == FallbackPolicy.MinimumResidual)
            {
                reasons.Add("Fallback = MinimumResidual (the analysis falls back to uniform at infeasible prefixes)");
            }

            var cuts = Enumerable.Range(0, _horizon)
                .Select(s => new CutReport(s, bases[s].Size, futures.Future(s).Count, futures.Extended(s).Count, _witnessesPerCut[s], _spannerSamplesPerCut[s]))
                .ToArray();
            var report = new LearningReport(
                _seed,
                ScheduleSummary.From(_schedule),
                accepted,
                epochs.Count,
                epochs,
                cuts,
                new QueryReport(counts[QueryPhase.Sampling], counts[QueryPhase.Spanner], counts[QueryPhase.Validation], counts.Total, counts.Batches),
                _lpCount,
                _largestAcceptedResidual,
                tau,
                _maxLogitError,
                rebuilt,
                reasons.Count > 0,
                reasons,
                new PhaseTimes(_sampling.Elapsed, _spanner.Elapsed, _reconstruction.Elapsed, _witnessSearch.Elapsed, total.Elapsed));
            return new LearningResult(model, report);
        }

        private double Tolerance(CutBasis[] bases)
        {
            var max = 1.0;
            foreach (var b in bases)
            {
                max = Math.Max(max, b.MaxAbsEntry);
            }

            return _schedule.LpRelativeTolerance * max;
        }

        private void Report(int epoch, LearningPhase phase) =>
            _progress?.Report(new LearningProgress(epoch, phase, _counting.Counts.Total, _schedule.QueryBudget));

        private IReadOnlyList<LogitVector> Query(List<Prefix> prefixes, QueryPhase phase)
        {
            _ct.ThrowIfCancellationRequested();
            return prefixes.Count == 0 ? [] : _oracle.Query(prefixes, phase, _ct);
        }

        /// <summary>SPANNER at every cut: cut 0 is the empty history; cuts 1..T-2 select barycentric spanners; cut T-1 is empty.</summary>
        private CutBasis[] BuildBases(FutureSets futures, int epoch)
        {
            Report(epoch, LearningPhase.Spanner);
            var bases = new CutBasis[_horizon];
            _spanner.Start();
            var rows0 = RowsOn(futures, 0, [Prefix.Empty]);
            bases[0] = new CutBasis(0, futures.Extended(0).Count, [Prefix.Empty], rows0);
            _spanner.Stop();
            if (_horizon >= 2)
            {
                bases[_horizon - 1] = new CutBasis(_horizon - 1, futures.Extended(_horizon - 1).Count, [], []);
            }

            if (_horizon < 3)
            {
                return bases;
            }

            var counts = new int[_horizon];
            var maxCount = 0;
            for (var s = 1; s <= _horizon - 2; s++)
            {
                counts[s] = _schedule.SpannerSamples(s, futures.Extended(s).Count);
                if (counts[s] < 1)
                {
                    throw new InvalidOperationException($"The schedule returned N_{s} = {counts[s]} spanner samples; expected at least 1.");
                }

                maxCount = Math.Max(maxCount, counts[s]);
                _spannerSamplesPerCut[s] = counts[s];
            }

            _sampling.Start();
            var random = new Random(DeriveSeed(_seed, epoch, 0));
            var samples = OracleSampler.Sample(_oracle, maxCount, _horizon - 2, random, QueryPhase.Sampling, _ct);
            _sampling.Stop();
            _spanner.Start();
            for (var s = 1; s <= _horizon - 2; s++)
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
                var allZero = rows.All(r => r.All(v => Math.Abs(v) <= _schedule.ZeroRowTolerance));
                if (allZero)
                {
                    bases[s] = new CutBasis(s, width, [], []);
                    continue;
                }

                var selection = BarycentricSpanner.Select(rows, _schedule.Beta, _schedule.SpannerRankTolerance);
                bases[s] = new CutBasis(s, width, [.. selection.Selected.Select(i => histories[i])], [.. selection.Selected.Select(i => (IReadOnlyList<double>)rows[i])]);
            }

            _spanner.Stop();
            return bases;
        }

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

            var answers = Query(batch, QueryPhase.Spanner);
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

        private (EpochReport Report, IReadOnlyList<WitnessRecord> Witnesses) Validate(FutureSets futures, CutBasis[] bases, int epoch)
        {
            var tau = Tolerance(bases);
            var engine = new Reconstructor(futures, bases, _schedule.Beta, tau, _lpOptions);
            var basisSizes = bases.Select(b => b.Size).ToArray();
            var g = _schedule.WitnessThreshold;
            var n = _schedule.ValidationSamples;
            Report(epoch, LearningPhase.Sampling);
            IReadOnlyList<Prefix> samples = [];
            if (_horizon >= 2)
            {
                _sampling.Start();
                var random = new Random(DeriveSeed(_seed, epoch, 1));
                samples = OracleSampler.Sample(_oracle, n, _horizon - 1, random, QueryPhase.Sampling, _ct);
                _sampling.Stop();
            }

            Report(epoch, LearningPhase.Validation);
            var memo = new Dictionary<Prefix, ReconstructionResult>();
            var lpCount = 0;
            var infeasible = 0;
            var maxLp = 0.0;
            var maxResidual = 0.0;
            var maxError = 0.0;
            var abandoned = false;
            var validated = 0;
            WitnessRecord? best = null;
            var bestPerCut = new WitnessRecord?[_horizon];
            for (var j = 0; j < samples.Count && !abandoned; j++)
            {
                _ct.ThrowIfCancellationRequested();
                var y = samples[j];
                var results = new ReconstructionResult[_horizon];
                _reconstruction.Start();
                for (var t = 1; t <= _horizon - 1; t++)
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
                                _largestAcceptedResidual = Math.Max(_largestAcceptedResidual, result.Residual);
                            }
                            else
                            {
                                infeasible++;
                            }
                        }
                    }

                    if (!result.Feasible)
                    {
                        abandoned = true;
                        break;
                    }

                    results[t] = result;
                }

                _reconstruction.Stop();
                if (abandoned)
                {
                    break;
                }

                _witnessSearch.Start();
                var (sampleMaxResidual, sampleMaxError) = SearchSample(futures, bases, engine, y, j, results, g, ref best, bestPerCut);
                _witnessSearch.Stop();
                maxResidual = Math.Max(maxResidual, sampleMaxResidual);
                maxError = Math.Max(maxError, sampleMaxError);
                validated++;
            }

            _lpCount += lpCount;
            _maxLogitError = Math.Max(_maxLogitError, maxError);
            IReadOnlyList<WitnessRecord> witnesses = [];
            if (!abandoned)
            {
                if (_schedule.WitnessesPerEpoch == 1)
                {
                    witnesses = best is null ? [] : [best];
                }
                else
                {
                    witnesses = bestPerCut.OfType<WitnessRecord>()
                        .OrderByDescending(w => Math.Abs(w.Residual)).ThenBy(w => w.Cut)
                        .Take(_schedule.WitnessesPerEpoch).ToArray();
                }
            }

            // Accept only when every residual is <= g (a residual above g on a word already in F̂_s, possible only if
            // g < τ_lp, blocks acceptance without adding a witness).
            var accepted = !abandoned && maxResidual <= g;
            var report = new EpochReport(epoch, accepted, abandoned, basisSizes, witnesses, lpCount, infeasible, maxLp, tau, maxResidual, maxError, validated);
            return (report, witnesses);
        }

        /// <summary>
        /// Witness search on one validation sample: residuals <c>res_s(a) = P_s(a) - P_{s-1}(a)</c> for every prefix length
        /// <c>t = 1..T-1</c>, cut <c>s = 1..t-1</c> and token <c>a</c>, with <c>P_s(a) = Σ_i c_{s,i} ℓ(h_{s,i}∘y_{s+1:t})[a]</c>, and the
        /// runtime check of the telescoping identity <c>Σ_s res_s = ℓ̂ - ℓ</c>.
        /// </summary>
        private (double MaxResidual, double MaxError) SearchSample(FutureSets futures, CutBasis[] bases, Reconstructor engine, Prefix y, int sampleIndex, ReconstructionResult[] results, double g, ref WitnessRecord? best, WitnessRecord?[] bestPerCut)
        {
            var batch = new List<Prefix>();
            var position = new Dictionary<Prefix, int>();
            for (var t = 1; t <= _horizon - 1; t++)
            {
                for (var s = 0; s <= t - 1; s++)
                {
                    var path = y.Slice(s, t - s);
                    foreach (var h in bases[s].Histories)
                    {
                        var p = Prefix.Concatenate(h, path);
                        if (position.TryAdd(p, batch.Count))
                        {
                            batch.Add(p);
                        }
                    }
                }
            }

            var answers = Query(batch, QueryPhase.Validation);
            var k = _k;
            var maxResidual = 0.0;
            var maxError = 0.0;
            var previous = new double[k];
            var current = new double[k];
            var sum = new double[k];
            for (var t = 1; t <= _horizon - 1; t++)
            {
                var prefix = y.Take(t);
                var result = results[t];
                Array.Clear(sum);
                var scale = 0.0;
                double[]? ell = null;
                for (var s = 0; s <= t - 1; s++)
                {
                    Array.Clear(current);
                    var path = y.Slice(s, t - s);
                    var c = result.Block(s);
                    var basis = bases[s];
                    for (var i = 0; i < basis.Size; i++)
                    {
                        var answer = answers[position[Prefix.Concatenate(basis.Histories[i], path)]];
                        for (var a = 0; a < k; a++)
                        {
                            current[a] += c[i] * answer[a];
                            scale = Math.Max(scale, Math.Abs(c[i]) * Math.Abs(answer[a]) * basis.Size);
                        }
                    }

                    if (s == 0)
                    {
                        ell = (double[])current.Clone();
                    }
                    else
                    {
                        for (var a = 0; a < k; a++)
                        {
                            var res = current[a] - previous[a];
                            sum[a] += res;
                            var magnitude = Math.Abs(res);
                            maxResidual = Math.Max(maxResidual, magnitude);
                            if (magnitude > g)
                            {
                                var word = path.Append(a); // w = y_{s+1:t}∘a
                                if (!futures.ContainsFuture(s, word))
                                {
                                    if (best is null || magnitude > Math.Abs(best.Residual))
                                    {
                                        best = new WitnessRecord(s, word, res, sampleIndex, t);
                                    }

                                    var cutBest = bestPerCut[s];
                                    if (cutBest is null || magnitude > Math.Abs(cutBest.Residual))
                                    {
                                        bestPerCut[s] = new WitnessRecord(s, word, res, sampleIndex, t);
                                    }
                                }
                            }
                        }
                    }

                    (previous, current) = (current, previous);
                }

                // previous now holds P_{t-1}; the prediction uses the stored rows instead of fresh answers.
                var raw = engine.PredictRaw(prefix, result);
                var predicted = LogSpace.Center(raw);
                var tolerance = 1e-9 * Math.Max(1.0, scale * t);
                CheckTelescoping(prefix, sum, raw, ell!, tolerance);
                for (var a = 0; a < k; a++)
                {
                    maxError = Math.Max(maxError, Math.Abs(predicted[a] - ell![a]));
                }
            }

            return (maxResidual, maxError);
        }
    }
}
