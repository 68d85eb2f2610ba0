using LogitRank.Models;
using LogitRank.Numerics;
using LogitRank.Oracles;
using LogitRank.Sequences;
using MathNet.Numerics.LinearAlgebra;

namespace LogitRank.Baselines;

/// <summary>
/// What <see cref="LeastSquaresLearner"/> built: the model and the diagnostics that explain its errors.
/// </summary>
/// <param name="Model">The learned model (a time-varying linear recurrence in basis coordinates).</param>
/// <param name="BasisSizes">For every cut <c>s = 0..T-1</c>, the number <c>m_s</c> of basis histories.</param>
/// <param name="CandidateCounts">For every cut, the number of distinct sampled histories the basis was chosen from.</param>
/// <param name="MaxTransitionNorm">The largest induced ∞-norm (max absolute row sum) of a transition <c>A_{s,a}</c>: the
/// growth factor of the coefficients per token, which nothing bounds (no coefficient box); values far above 1 show how
/// errors can compound.</param>
public sealed record LeastSquaresResult(ISequenceModel Model, IReadOnlyList<int> BasisSizes, IReadOnlyList<int> CandidateCounts, double MaxTransitionNorm);

/// <summary>
/// A LINGEN-style baseline (Golowich, Liu, Shetty, <i>Sequences of Logits Reveal the Low Rank Structure of Language
/// Models</i>, arXiv:2510.24966): basis histories per cut, a fixed future set, and an UNCONSTRAINED least-squares
/// propagation of coefficients token by token — no linear program, no coefficient bound, no witnesses. It is the
/// ablation that shows what the LP with its box <c>||c||_∞ &lt;= β</c> and the adaptive future sets of the learner buy.
/// </summary>
/// <remarks>
/// <para><b>Fixed future sets.</b> Cut <c>s</c> holds histories of length <c>s</c>. <c>W_s</c> is the set of all words of
/// length <c>1..min(L, T-s)</c> and its extension <c>E_s</c> the set of all words of length <c>1..min(L+1, T-s)</c>; a word
/// <c>w = f∘z</c> is read from one query at <c>h∘f</c>. <c>Row_h(w) = ℓ(h∘f)[z]</c>.</para>
/// <para><b>Bases.</b> <see cref="HistorySamples"/> complete sequences are drawn from the target through the oracle; the
/// distinct length-<c>s</c> prefixes are the candidates at cut <c>s</c>. Their rows on <c>W_s</c> are queried and a basis is
/// chosen by greedy pivoting (largest residual norm after projecting out the rows already chosen, i.e. pivoted
/// Gram-Schmidt / column-pivoted QR on the transposed matrix) until every residual is at most
/// <see cref="RankTolerance"/> times the largest row norm or <see cref="MaxBasisSize"/> rows are chosen. Cut 0's basis is the
/// empty history. The chosen rows are then completed on <c>E_s</c>.</para>
/// <para><b>Propagation.</b> <c>c_0 = e_1</c> and, for a prefix <c>y</c>,
/// <c>c_{s+1} = argmin_c Σ_{w ∈ W_{s+1}} (Σ_i c_i R_{s+1,i}(w) - Σ_i c_{s,i} R_{s,i}(y_{s+1}∘w))²</c>, the minimum-norm
/// least-squares solution (SVD pseudo-inverse, singular values below <c>1e-10·σ_max</c> dropped). Because this map is
/// linear in <c>c_s</c>, it is precomputed as matrices <c>A_{s,a}</c>. The prediction is
/// <c>ℓ̂(y_{1:t})[a] = Σ_i c_{t-1,i} R_{t-1,i}(y_t∘a)</c> (centered), and <c>ℓ̂(∅) = Row_∅</c> on one-token words. Where
/// the recursion overflows to a non-finite score the model predicts the uniform distribution.</para>
/// <para><b>Budget.</b> Queries: the sampling of <see cref="HistorySamples"/> sequences (at most <c>N·T</c>), the rows of all
/// candidates on <c>W_s</c>, and the completion of the basis rows on <c>E_s</c>. Repeated prefixes are paid once (an
/// internal <see cref="CachingOracle"/>). The model keeps no reference to the oracle.</para>
/// </remarks>
public sealed class LeastSquaresLearner : IQueryLearner
{
    /// <summary>Creates the learner.</summary>
    /// <param name="historySamples">The number <c>N &gt;= 1</c> of complete sequences sampled for candidate histories.</param>
    /// <param name="futureLength">The word length <c>L &gt;= 1</c> of the fixed future sets (default 2).</param>
    /// <param name="maxBasisSize">The largest basis per cut, <c>&gt;= 1</c>.</param>
    /// <param name="rankTolerance">The relative residual below which a row counts as spanned, in <c>(0, 1)</c>.</param>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is outside its range; the message names it.</exception>
    public LeastSquaresLearner(int historySamples = 200, int futureLength = 2, int maxBasisSize = 64, double rankTolerance = Tolerances.LeastSquaresRank)
    {
        if (historySamples < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(historySamples), historySamples, $"Expected a number of history samples N >= 1; got {historySamples}.");
        }

        if (futureLength < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(futureLength), futureLength, $"Expected a future word length L >= 1; got {futureLength}.");
        }

        if (maxBasisSize < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(maxBasisSize), maxBasisSize, $"Expected a maximum basis size >= 1; got {maxBasisSize}.");
        }

        if (!(rankTolerance > 0 && rankTolerance < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(rankTolerance), rankTolerance, $"Expected a relative rank tolerance in (0, 1); got {rankTolerance}.");
        }

        HistorySamples = historySamples;
        FutureLength = futureLength;
        MaxBasisSize = maxBasisSize;
        RankTolerance = rankTolerance;
    }

    /// <inheritdoc/>
    public string Name => "least-squares";

    /// <summary>The number <c>N</c> of complete sequences sampled for candidate histories.</summary>
    public int HistorySamples { get; }

    /// <summary>The word length <c>L</c> of the fixed future sets.</summary>
    public int FutureLength { get; }

    /// <summary>The largest basis per cut.</summary>
    public int MaxBasisSize { get; }

    /// <summary>The relative residual below which a candidate row counts as spanned by the basis.</summary>
    public double RankTolerance { get; }

    /// <inheritdoc/>
    ISequenceModel IQueryLearner.Learn(ILogitOracle oracle, int seed, CancellationToken cancellationToken) => Learn(oracle, seed, cancellationToken).Model;

    /// <summary>Learns the model and returns it with its diagnostics.</summary>
    /// <param name="oracle">The logit oracle of the target.</param>
    /// <param name="seed">The seed of the history sampling (the only random choice).</param>
    /// <param name="cancellationToken">Cancels between oracle batches.</param>
    /// <exception cref="InvalidOracleAnswerException">The oracle answered a batch with the wrong number of vectors or a
    /// malformed vector (checked by the internal <see cref="CachingOracle"/> that every query goes through).</exception>
    public LeastSquaresResult Learn(ILogitOracle oracle, int seed, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(oracle);
        int k = oracle.AlphabetSize, horizon = oracle.Horizon;
        var cached = new CachingOracle(oracle);
        var samples = OracleSampler.Sample(cached, HistorySamples, horizon, new Random(seed), QueryPhase.Sampling, cancellationToken);

        var rows = new double[horizon][][];
        var extFutures = new Dictionary<Prefix, int>[horizon];
        var basisSizes = new int[horizon];
        var candidateCounts = new int[horizon];
        for (var s = 0; s < horizon; s++)
        {
            var shortFutures = SequenceSpace.AllUpTo(k, Math.Min(FutureLength, horizon - s) - 1).ToArray();
            var longFutures = SequenceSpace.AllUpTo(k, Math.Min(FutureLength, horizon - s - 1)).ToArray();
            extFutures[s] = longFutures.Select((f, i) => (f, i)).ToDictionary(p => p.f, p => p.i);
            var candidates = samples.Select(y => y.Take(s)).Distinct().ToArray();
            candidateCounts[s] = candidates.Length;
            var shortRows = QueryRows(cached, candidates, shortFutures, k, cancellationToken);
            var chosen = s == 0 ? [0] : SelectBasis(shortRows, MaxBasisSize, RankTolerance);
            basisSizes[s] = chosen.Length;
            rows[s] = QueryRows(cached, chosen.Select(i => candidates[i]).ToArray(), longFutures, k, cancellationToken);
        }

        var transitions = new double[Math.Max(0, horizon - 1)][][][];
        var readouts = new double[Math.Max(0, horizon - 1)][][][];
        var maxNorm = 0.0;
        for (var s = 0; s + 1 < horizon; s++)
        {
            // W_{s+1}: futures f with |f| <= min(L, T-s-1) - 1; the words f∘z index as (index of f in E_{s+1})·k + z,
            // because the short futures are the first entries of the lexicographic-by-length future list.
            var nextFutures = SequenceSpace.AllUpTo(k, Math.Min(FutureLength, horizon - s - 1) - 1).ToArray();
            var width = nextFutures.Length * k;
            var next = rows[s + 1];
            var pinv = PseudoInverseOfTranspose(next, width);
            transitions[s] = new double[k][][];
            readouts[s] = new double[k][][];
            for (var a = 0; a < k; a++)
            {
                // S_{s,a}[i, w] = R_{s,i}(a∘w) for w = f∘z in W_{s+1}: the entry of future a∘f, token z.
                var shifted = new double[rows[s].Length][];
                for (var i = 0; i < rows[s].Length; i++)
                {
                    shifted[i] = new double[width];
                    for (var f = 0; f < nextFutures.Length; f++)
                    {
                        var column = extFutures[s][nextFutures[f].Prepend(a)] * k;
                        Array.Copy(rows[s][i], column, shifted[i], f * k, k);
                    }
                }

                var matrix = new double[next.Length][];
                for (var j = 0; j < next.Length; j++)
                {
                    matrix[j] = new double[rows[s].Length];
                    var rowNorm = 0.0;
                    for (var i = 0; i < rows[s].Length; i++)
                    {
                        var sum = 0.0;
                        for (var w = 0; w < width; w++)
                        {
                            sum += pinv[j, w] * shifted[i][w];
                        }

                        matrix[j][i] = sum;
                        rowNorm += Math.Abs(sum);
                    }

                    maxNorm = Math.Max(maxNorm, rowNorm);
                }

                transitions[s][a] = matrix;

                // O_{s,a}[b, i] = R_{s,i}(a∘b): future a (index of the one-token future), token b.
                var readout = new double[k][];
                var single = extFutures[s][Prefix.Of(a)] * k;
                for (var b = 0; b < k; b++)
                {
                    readout[b] = new double[rows[s].Length];
                    for (var i = 0; i < rows[s].Length; i++)
                    {
                        readout[b][i] = rows[s][i][single + b];
                    }
                }

                readouts[s][a] = readout;
            }
        }

        var initial = rows[0][0].AsSpan(0, k).ToArray();
        var model = new LinearRecurrentModel(k, horizon, initial, transitions, readouts);
        return new LeastSquaresResult(model, basisSizes, candidateCounts, maxNorm);
    }

    /// <summary>
    /// The rows of <paramref name="histories"/> on the words <c>f∘z</c>, <c>f</c> in <paramref name="futures"/> (one batch).
    /// The cache answers every batch with one checked vector per prefix and forwards nothing for an empty batch, so
    /// neither needs a check here.
    /// </summary>
    internal static double[][] QueryRows(CachingOracle oracle, IReadOnlyList<Prefix> histories, IReadOnlyList<Prefix> futures, int k, CancellationToken cancellationToken)
    {
        var prefixes = new Prefix[histories.Count * futures.Count];
        for (var i = 0; i < histories.Count; i++)
        {
            for (var f = 0; f < futures.Count; f++)
            {
                prefixes[(i * futures.Count) + f] = Prefix.Concatenate(histories[i], futures[f]);
            }
        }

        cancellationToken.ThrowIfCancellationRequested();
        var answers = oracle.Query(prefixes, QueryPhase.Spanner, cancellationToken);

        var rows = new double[histories.Count][];
        for (var i = 0; i < histories.Count; i++)
        {
            rows[i] = new double[futures.Count * k];
            for (var f = 0; f < futures.Count; f++)
            {
                answers[(i * futures.Count) + f].Values.CopyTo(rows[i].AsSpan(f * k, k));
            }
        }

        return rows;
    }

    /// <summary>
    /// Greedy pivoted Gram-Schmidt: repeatedly choose the row with the largest residual norm after projecting out the
    /// chosen rows; stop when that residual is at most <paramref name="tolerance"/> times the largest row norm.
    /// Ties go to the earlier row. Returns the chosen indices in the order chosen.
    /// </summary>
    internal static int[] SelectBasis(double[][] rows, int maxSize, double tolerance)
    {
        var residuals = rows.Select(r => (double[])r.Clone()).ToArray();
        var scale = rows.Length == 0 ? 0 : rows.Max(Norm);
        var chosen = new List<int>();

        // No special case for a zero (or NaN) scale: no residual norm then exceeds tolerance·scale, so nothing is chosen.
        while (chosen.Count < maxSize)
        {
            var best = -1;
            var bestNorm = tolerance * scale;
            for (var i = 0; i < residuals.Length; i++)
            {
                var n = Norm(residuals[i]);
                if (n > bestNorm)
                {
                    best = i;
                    bestNorm = n;
                }
            }

            if (best < 0)
            {
                break;
            }

            chosen.Add(best);
            var q = residuals[best].Select(v => v / bestNorm).ToArray();
            foreach (var r in residuals)
            {
                var dot = 0.0;
                for (var j = 0; j < q.Length; j++)
                {
                    dot += r[j] * q[j];
                }

                for (var j = 0; j < q.Length; j++)
                {
                    r[j] -= dot * q[j];
                }
            }
        }

        return [.. chosen];
    }

    /// <summary>The pseudo-inverse of <c>G^T</c> where <c>G[i, w] = rows[i][w]</c> for <c>w &lt; width</c>: an <c>m × width</c> matrix.</summary>
    internal static double[,] PseudoInverseOfTranspose(double[][] rows, int width)
    {
        var m = rows.Length;
        var result = new double[m, width];
        if (m == 0)
        {
            return result;
        }

        var gt = Matrix<double>.Build.Dense(width, m, (w, i) => rows[i][w]);
        var svd = gt.Svd(computeVectors: true);
        var sigma = svd.S;
        var cutoff = Tolerances.PseudoInverseCutoff * sigma.AbsoluteMaximum();
        var u = svd.U;
        var vt = svd.VT;
        for (var r = 0; r < sigma.Count; r++)
        {
            if (!(sigma[r] > cutoff))
            {
                continue;
            }

            var inv = 1.0 / sigma[r];
            for (var i = 0; i < m; i++)
            {
                var vi = vt[r, i] * inv;
                for (var w = 0; w < width; w++)
                {
                    result[i, w] += vi * u[w, r];
                }
            }
        }

        return result;
    }

    private static double Norm(double[] v)
    {
        var sum = 0.0;
        foreach (var x in v)
        {
            sum += x * x;
        }

        return Math.Sqrt(sum);
    }
}
