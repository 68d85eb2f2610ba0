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
internal sealed record WitnessSearchResult(double MaxResidual, double MaxLogitError, WitnessRecord? Best, IReadOnlyList<WitnessRecord?> BestPerCut, double TotalVariation = 0, double KullbackLeibler = 0)
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

        return new WitnessSearchResult(Math.Max(MaxResidual, later.MaxResidual), Math.Max(MaxLogitError, later.MaxLogitError), Larger(Best, later.Best), perCut, TotalVariation + later.TotalVariation, KullbackLeibler + later.KullbackLeibler);
    }

    /// <summary>
    /// The witnesses of an epoch (proofs-notes/witness-search.md, "Witness rule"): with one witness per epoch (the
    /// analysis) the largest candidate; with <c>W &gt; 1</c> the <c>W</c> largest of the per-cut candidates, ties by cut.
    /// </summary>
    public IReadOnlyList<WitnessRecord> Choose(int witnessesPerEpoch) =>
        witnessesPerEpoch == 1
            ? Best is null ? [] : [Best]
            : BestPerCut.OfType<WitnessRecord>()
                .OrderByDescending(w => Math.Abs(w.Residual)).ThenBy(w => w.Cut)
                .Take(witnessesPerEpoch).ToArray();

    private static WitnessRecord? Larger(WitnessRecord? earlier, WitnessRecord? later) =>
        later is not null && (earlier is null || Math.Abs(later.Residual) > Math.Abs(earlier.Residual)) ? later : earlier;
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
internal sealed class WitnessSearch(PhaseCountingCache oracle, FutureSets futures, IReadOnlyList<CutBasis> bases, Reconstructor engine, double threshold, CancellationToken cancellationToken)
{
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
        for (var t = 1; t <= horizon - 1; t++)
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

        return new WitnessSearchResult(maxResidual, maxError, best, bestPerCut, totalVariation, kullbackLeibler);
    }
}
