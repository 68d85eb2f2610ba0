using LogitRank.Numerics;
using LogitRank.Oracles;
using LogitRank.Sequences;

namespace LogitRank.Learning;

/// <summary>What the witness search found on one validation sample, or on several combined with <see cref="Then"/>.</summary>
/// <param name="MaxResidual">The largest <c>|res_s(a)|</c> seen (witness candidate or not).</param>
/// <param name="MaxLogitError">The largest <c>||center(ℓ̂_raw) - ℓ||_∞</c> over the validated prefixes.</param>
/// <param name="Best">The candidate of largest <c>|res|</c>, the first in the order (sample, <c>t</c>, <c>s</c>, <c>a</c>) on ties; null when none.</param>
/// <param name="BestPerCut">Per cut <c>s</c>, the candidate of largest <c>|res|</c> there (same tie rule); null where none.</param>
/// <param name="TotalVariation">The sum over the searched samples of <c>Σ_t TV(M(·|y_{1:t}), M̂(·|y_{1:t}))</c>.</param>
/// <param name="KullbackLeibler">The sum over the searched samples of <c>Σ_t KL(M(·|y_{1:t}) || M̂(·|y_{1:t}))</c>.</param>
/// <param name="Candidates">The number of witness candidates seen (residuals above the threshold on words not in <c>F̂_s</c>).</param>
internal sealed record WitnessSearchResult(double MaxResidual, double MaxLogitError, WitnessRecord? Best, IReadOnlyList<WitnessRecord?> BestPerCut, double TotalVariation = 0, double KullbackLeibler = 0, int Candidates = 0)
{
    /// <summary>Nothing found yet, for a horizon of <paramref name="horizon"/> cuts.</summary>
    public static WitnessSearchResult None(int horizon) => new(0.0, 0.0, null, new WitnessRecord?[horizon]);

    /// <summary>
    /// This result followed by <paramref name="later"/> (a later sample's): the larger maxima, and a later candidate only
    /// where its <c>|res|</c> is strictly larger, so ties keep the earlier one (the witness rule's order).
    /// </summary>
    public WitnessSearchResult Then(WitnessSearchResult later)
    {
        var perCut = new WitnessRecord?[BestPerCut.Count];
        for (var s = 0; s < perCut.Length; s++)
        {
            perCut[s] = Larger(BestPerCut[s], later.BestPerCut[s]);
        }

        return new WitnessSearchResult(Math.Max(MaxResidual, later.MaxResidual), Math.Max(MaxLogitError, later.MaxLogitError), Larger(Best, later.Best), perCut, TotalVariation + later.TotalVariation, KullbackLeibler + later.KullbackLeibler, Candidates + later.Candidates);
    }

    /// <summary>
    /// The witnesses of an epoch (proofs-notes/witness-search.md, "Witness rule"): with one witness per epoch (the
    /// analysis) the largest candidate; with <c>W &gt; 1</c> the <c>W</c> largest of the per-cut candidates, ties by cut.
    /// "Largest" is by <see cref="WitnessRecord.Score"/>: <c>|res|</c>, or under the adaptive schedule significance times
    /// <c>lev/(1+lev)</c>.
    /// </summary>
    public IReadOnlyList<WitnessRecord> Choose(int witnessesPerEpoch) =>
        witnessesPerEpoch == 1
            ? Best is null ? [] : [Best]
            : BestPerCut.OfType<WitnessRecord>()
                .OrderByDescending(w => w.Score).ThenBy(w => w.Cut)
                .Take(witnessesPerEpoch).ToArray();

    private static WitnessRecord? Larger(WitnessRecord? earlier, WitnessRecord? later) =>
        later is not null && (earlier is null || later.Score > earlier.Score) ? later : earlier;
}

/// <summary>
/// Witness search on validation samples (proofs-notes/witness-search.md, steps 2-3): for every prefix length
/// <c>t = 1..T-1</c> of a sample <c>y</c>, cut <c>s = 1..t-1</c> and token <c>a</c>, the residual
/// <c>res_s(a) = P_s(a) - P_{s-1}(a)</c> with <c>P_s(a) = Σ_i c_{s,i} ℓ(h_{s,i}∘y_{s+1:t})[a]</c>, the witness candidates
/// (<c>|res_s(a)| &gt; g</c> on a word <c>y_{s+1:t}∘a ∉ F̂_s</c>), and the runtime check of the telescoping identity
/// <c>Σ_s res_s = ℓ̂ - ℓ</c> (proofs-notes/reconstruction-and-telescoping.md, Lemma 3).
/// </summary>
/// <remarks>
/// One search serves one epoch: its future sets, bases and reconstruction engine are fixed. A sample's residual queries
/// <c>h_{s,i}∘y_{s+1:t}</c> go to the run's cache in one batch (<see cref="QueryPhase.Validation"/>, deduplicated); the
/// identity holds exactly only because the cache answers a repeated prefix with the identical vector.
/// </remarks>
/// <param name="oracle">The run's cache.</param>
/// <param name="futures">The epoch's future sets <c>F̂</c>.</param>
/// <param name="bases">The epoch's bases.</param>
/// <param name="engine">The epoch's reconstruction engine (the raw prediction <c>ℓ̂_raw</c> from the stored rows).</param>
/// <param name="threshold">The witness threshold <c>g</c>.</param>
/// <param name="cancellationToken">Checked before the batch.</param>
/// <param name="noise">
/// Under <see cref="AdaptiveSchedule"/>: <c>ν̂_s</c> per cut <c>0..T-1</c>. A residual is then a candidate when
/// <c>|res| &gt; max(g, z·σ_res)</c>, <c>σ_res = √(ν̂_s²‖c_s‖² + ν̂_{s−1}²‖c_{s−1}‖²)</c>, and candidates are ranked by
/// significance times <c>lev/(1+lev)</c> (proofs-notes/adaptive-schedule.md, A4). <see langword="null"/>: the analysed rule.
/// </param>
/// <param name="z">The significance level <c>z</c> (read only with <paramref name="noise"/>).</param>
/// <param name="logitClip">The clip of the model's predicted logits (<see cref="LearnedModelOptions.LogitClip"/>): the per-step
/// TV, KL and logit error are of the clipped prediction, as the returned model's; <see langword="null"/>: none.</param>
internal sealed class WitnessSearch(PhaseCountingCache oracle, FutureSets futures, IReadOnlyList<CutBasis> bases, Reconstructor engine, double threshold, CancellationToken cancellationToken, IReadOnlyList<double>? noise = null, double z = 0, double? logitClip = null)
{
    private readonly MathNet.Numerics.LinearAlgebra.Matrix<double>?[] _leverage = new MathNet.Numerics.LinearAlgebra.Matrix<double>?[futures.Horizon];

    /// <summary>
    /// The leverage <c>vᵀ(VVᵀ + λI)⁻¹v</c> of column <paramref name="v"/> at cut <paramref name="cut"/>: <c>V</c> holds the
    /// basis rows' entries on <c>F̂_s</c> (<c>m_s × |F̂_s|</c>), <c>λ = max(|F̂_s|·ν̂_s², 1e-12·(1 + max diag VVᵀ))</c> keeps the
    /// solve defined when <c>F̂_s</c> does not pin every basis direction (then a column along such a direction has a large
    /// leverage, which is the point).
    /// </summary>
    internal double Leverage(int cut, double[] v)
    {
        if (v.Length == 0)
        {
            return 0.0;
        }

        var inverse = _leverage[cut] ??= LeverageInverse(cut);
        var lev = 0.0;
        for (var i = 0; i < v.Length; i++)
        {
            var row = 0.0;
            for (var j = 0; j < v.Length; j++)
            {
                row += inverse[i, j] * v[j];
            }

            lev += v[i] * row;
        }

        return Math.Max(lev, 0.0);
    }

    private MathNet.Numerics.LinearAlgebra.Matrix<double> LeverageInverse(int cut)
    {
        var basis = bases[cut];
        var m = basis.Size;
        var words = futures.Future(cut);
        var gram = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.Dense(m, m);
        var columns = words.Select(w => futures.IndexInExtended(cut, w)).ToArray();
        var maxDiagonal = 0.0;
        for (var i = 0; i < m; i++)
        {
            for (var j = 0; j <= i; j++)
            {
                var dot = 0.0;
                foreach (var c in columns)
                {
                    dot += basis[i, c] * basis[j, c];
                }

                gram[i, j] = dot;
                gram[j, i] = dot;
            }

            maxDiagonal = Math.Max(maxDiagonal, gram[i, i]);
        }

        var nu = noise![cut];
        var lambda = Math.Max(words.Count * nu * nu, 1e-12 * (1 + maxDiagonal));
        for (var i = 0; i < m; i++)
        {
            gram[i, i] += lambda;
        }

        return gram.Cholesky().Solve(MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.DenseIdentity(m));
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

    /// <summary>Searches validation sample <paramref name="sample"/> (number <paramref name="sampleIndex"/> of the epoch).</summary>
    /// <param name="sample">The sample <c>y</c>, of length <c>T-1</c>.</param>
    /// <param name="sampleIndex">Its index among the epoch's samples (recorded in the witnesses).</param>
    /// <param name="results">The feasible reconstruction at every prefix <c>y_{1:t}</c>, indexed by <c>t = 1..T-1</c>.</param>
    /// <exception cref="InvariantViolationException">The telescoping identity failed.</exception>
    public WitnessSearchResult Search(Prefix sample, int sampleIndex, IReadOnlyList<ReconstructionResult> results)
    {
        var horizon = oracle.Horizon;
        var k = oracle.AlphabetSize;
        var g = threshold;
        var y = sample;
        var batch = new List<Prefix>();
        var position = new Dictionary<Prefix, int>();
        for (var t = 1; t <= horizon - 1; t++)
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

        var answers = oracle.Ask(batch, QueryPhase.Validation, cancellationToken);
        WitnessRecord? best = null;
        var bestPerCut = new WitnessRecord?[horizon];
        var maxResidual = 0.0;
        var maxError = 0.0;
        var totalVariation = 0.0;
        var kullbackLeibler = 0.0;
        var previous = new double[k];
        var current = new double[k];
        var sum = new double[k];
        var candidates = 0;
        for (var t = 1; t <= horizon - 1; t++)
        {
            var prefix = y.Take(t);
            var result = results[t];
            Array.Clear(sum);
            var scale = 0.0;
            double[]? ell = null;
            var previousNorm = 0.0;
            for (var s = 0; s <= t - 1; s++)
            {
                Array.Clear(current);
                var path = y.Slice(s, t - s);
                var c = result.Block(s);
                var basis = bases[s];
                var norm = 0.0;
                for (var i = 0; i < basis.Size; i++)
                {
                    norm += c[i] * c[i];
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
                        var sigma = noise is null ? 0.0 : Math.Sqrt((noise[s] * noise[s] * norm) + (noise[s - 1] * noise[s - 1] * previousNorm));
                        if (magnitude > Math.Max(g, z * sigma))
                        {
                            var word = path.Append(a); // w = y_{s+1:t}∘a
                            if (!futures.ContainsFuture(s, word))
                            {
                                candidates++;
                                var record = new WitnessRecord(s, word, res, sampleIndex, t);
                                if (noise is not null)
                                {
                                    // The word's column: the basis rows' entries on w, ℓ(h_{s,i}∘y_{s+1:t})[a].
                                    var column = new double[basis.Size];
                                    for (var i = 0; i < basis.Size; i++)
                                    {
                                        column[i] = answers[position[Prefix.Concatenate(basis.Histories[i], path)]][a];
                                    }

                                    record = record with { Significance = magnitude / Math.Max(sigma, double.Epsilon), Leverage = Leverage(s, column) };
                                }

                                if (best is null || record.Score > best.Score)
                                {
                                    best = record;
                                }

                                var cutBest = bestPerCut[s];
                                if (cutBest is null || record.Score > cutBest.Score)
                                {
                                    bestPerCut[s] = record;
                                }
                            }
                        }
                    }
                }

                (previous, current) = (current, previous);
                previousNorm = norm;
            }

            // previous now holds P_{t-1}; the prediction uses the stored rows instead of fresh answers.
            var raw = engine.PredictRaw(prefix, result);
            // The model's prediction is the clipped one (LearnedModelOptions.LogitClip); the telescoping check is on the raw sum.
            var predicted = LogSpace.Center(logitClip is null ? raw : LearnedModelOptions.ClipTo((double[])raw.Clone(), logitClip));
            var tolerance = Tolerances.TelescopingRelative * Math.Max(1.0, scale * t);
            CheckTelescoping(prefix, sum, raw, ell!, tolerance);
            for (var a = 0; a < k; a++)
            {
                maxError = Math.Max(maxError, Math.Abs(predicted[a] - ell![a]));
            }

            // The model's step at this prefix against the oracle's answer (ℓ = P_0, the answer at y_{1:t} itself).
            var target = LogitVector.FromLogits(ell);
            var model = LogitVector.FromLogits(predicted);
            totalVariation += SoftmaxBounds.TotalVariation(target, model);
            kullbackLeibler += SoftmaxBounds.KullbackLeibler(target, model);
        }

        return new WitnessSearchResult(maxResidual, maxError, best, bestPerCut, totalVariation, kullbackLeibler, candidates);
    }
}
