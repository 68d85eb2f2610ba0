using System.Numerics;
using LogitRank.Models;
using LogitRank.Numerics;
using LogitRank.Sequences;

namespace LogitRank.Evaluation;

/// <summary>
/// Exact divergences between two models <c>P, Q</c> on <c>Σ^T</c>: the sequence-level <c>KL(P||Q)</c> and <c>TV(P,Q)</c> by
/// enumerating every complete sequence, and the per-step decomposition of ALGORITHM.md section 2 by walking the prefix tree.
/// </summary>
/// <remarks>
/// <para>The two computations are independent on purpose: the sequence-level values use only
/// <see cref="ISequenceModel.LogProbability"/> of complete sequences, the per-step values only
/// <see cref="ISequenceModel.NextTokenLogits"/> along the tree, so tests can compare them (chain rule, hybrid bound).</para>
/// <para>Both refuse (<see cref="EnumerationTooLargeException"/>) when <c>k^T</c> exceeds the limit, and throw
/// <see cref="IncompatibleModelsException"/> when <c>P</c> and <c>Q</c> differ in <c>k</c> or <c>T</c>.
/// Sums are compensated (Neumaier), so the relative rounding error does not grow with <c>k^T</c>.</para>
/// </remarks>
public static class ExactDivergence
{
    /// <summary>The default largest number of sequences <c>k^T</c> enumerated: <c>2^22</c>.</summary>
    public const long DefaultMaxSequences = 1L << 22;

    /// <summary>The number of sequences between two progress reports of <see cref="SequenceLevel(ISequenceModel, ISequenceModel, long, IProgress{EnumerationProgress}?, CancellationToken)"/>: <c>2^14</c>.</summary>
    public const long ProgressInterval = 1L << 14;

    /// <summary><c>KL(P||Q) = Σ_y P(y) log(P(y)/Q(y))</c> in nats, by enumerating <c>Σ^T</c>.</summary>
    /// <param name="p">The first model <c>P</c>.</param>
    /// <param name="q">The second model <c>Q</c>, on the same <c>(k, T)</c>.</param>
    /// <param name="maxSequences">The largest <c>k^T</c> enumerated, <c>&gt;= 1</c>.</param>
    /// <exception cref="EnumerationTooLargeException"><c>k^T &gt; maxSequences</c>.</exception>
    /// <exception cref="IncompatibleModelsException">The models differ in <c>k</c> or <c>T</c>.</exception>
    public static double KullbackLeibler(ISequenceModel p, ISequenceModel q, long maxSequences = DefaultMaxSequences) =>
        SequenceLevel(p, q, maxSequences).KullbackLeibler;

    /// <summary><c>TV(P,Q) = ½ Σ_y |P(y) - Q(y)|</c>, in <c>[0, 1]</c>, by enumerating <c>Σ^T</c>.</summary>
    /// <inheritdoc cref="KullbackLeibler(ISequenceModel, ISequenceModel, long)"/>
    public static double TotalVariation(ISequenceModel p, ISequenceModel q, long maxSequences = DefaultMaxSequences) =>
        SequenceLevel(p, q, maxSequences).TotalVariation;

    /// <summary>Both sequence-level divergences from one enumeration of <c>Σ^T</c>.</summary>
    /// <inheritdoc cref="KullbackLeibler(ISequenceModel, ISequenceModel, long)"/>
#pragma warning disable RS0027 // The shipped overload keeps its optional maxSequences; the new overload has no optional parameters, so no call is ambiguous.
    public static SequenceDivergence SequenceLevel(ISequenceModel p, ISequenceModel q, long maxSequences = DefaultMaxSequences) =>
        SequenceLevel(p, q, maxSequences, null, CancellationToken.None);
#pragma warning restore RS0027

    /// <summary>
    /// Both sequence-level divergences from one enumeration of <c>Σ^T</c>, reporting progress and honouring
    /// cancellation between sequences.
    /// </summary>
    /// <param name="p">The first model <c>P</c>.</param>
    /// <param name="q">The second model <c>Q</c>, on the same <c>(k, T)</c>.</param>
    /// <param name="maxSequences">The largest <c>k^T</c> enumerated, <c>&gt;= 1</c>.</param>
    /// <param name="progress">
    /// Receives <see cref="EnumerationProgress"/> on the calling thread after every <see cref="ProgressInterval"/>
    /// sequences and once at the end (<c>Done == Total == k^T</c>); <see langword="null"/> for none.
    /// </param>
    /// <param name="cancellationToken">Checked before every sequence; cancellation throws <see cref="OperationCanceledException"/>.</param>
    /// <exception cref="EnumerationTooLargeException"><c>k^T &gt; maxSequences</c>.</exception>
    /// <exception cref="IncompatibleModelsException">The models differ in <c>k</c> or <c>T</c>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static SequenceDivergence SequenceLevel(ISequenceModel p, ISequenceModel q, long maxSequences, IProgress<EnumerationProgress>? progress, CancellationToken cancellationToken)
    {
        CheckPair(p, q, maxSequences);
        var total = (long)BigInteger.Pow(p.AlphabetSize, p.Horizon);
        var done = 0L;
        var kl = default(CompensatedSum);
        var tv = default(CompensatedSum);
        foreach (var y in SequenceSpace.All(p.AlphabetSize, p.Horizon))
        {
            if (done > 0 && done % ProgressInterval == 0)
            {
                progress?.Report(new EnumerationProgress(done, total));
            }

            cancellationToken.ThrowIfCancellationRequested();

            done++;
            var logP = p.LogProbability(y);
            var logQ = q.LogProbability(y);
            var probabilityP = Math.Exp(logP);
            if (probabilityP > 0)
            {
                kl.Add(probabilityP * (logP - logQ));
            }

            tv.Add(Math.Abs(probabilityP - Math.Exp(logQ)));
        }

        progress?.Report(new EnumerationProgress(done, total));
        return new SequenceDivergence(Math.Max(0, kl.Value), Math.Clamp(0.5 * tv.Value, 0, 1));
    }

    /// <summary>
    /// The log-probabilities <c>log M(y)</c> of every complete sequence <c>y ∈ Σ^T</c>, in the lexicographic order of
    /// <see cref="SequenceSpace.All"/>.
    /// </summary>
    /// <param name="model">The model <c>M</c>.</param>
    /// <param name="maxSequences">The largest <c>k^T</c> enumerated, <c>&gt;= 1</c>.</param>
    /// <exception cref="EnumerationTooLargeException"><c>k^T &gt; maxSequences</c>.</exception>
    public static IReadOnlyList<double> LogProbabilities(ISequenceModel model, long maxSequences = DefaultMaxSequences)
    {
        ArgumentNullException.ThrowIfNull(model);
        CheckSize(model, maxSequences);
        return SequenceSpace.All(model.AlphabetSize, model.Horizon).Select(model.LogProbability).ToArray();
    }

    /// <summary>
    /// The per-step decomposition: for <c>t = 0..T-1</c>, <c>E_{h~P_{1:t}} KL(P(·|h) || Q(·|h))</c> and
    /// <c>E_{h~P_{1:t}} TV(P(·|h), Q(·|h))</c>, computed by a depth-first walk of the prefix tree (one logit query per model
    /// and prefix of length <c>&lt;= T-1</c>; subtrees of <c>P</c>-probability that underflows to 0 are skipped, as they
    /// contribute 0).
    /// </summary>
    /// <inheritdoc cref="KullbackLeibler(ISequenceModel, ISequenceModel, long)"/>
#pragma warning disable RS0027 // The shipped overload keeps its optional maxSequences; the new overload has no optional parameters, so no call is ambiguous.
    public static PerStepDivergence PerStep(ISequenceModel p, ISequenceModel q, long maxSequences = DefaultMaxSequences) =>
        PerStep(p, q, maxSequences, CancellationToken.None);
#pragma warning restore RS0027

    /// <summary>The per-step decomposition (see <see cref="PerStep(ISequenceModel, ISequenceModel, long)"/>), honouring cancellation before every prefix.</summary>
    /// <param name="p">The first model <c>P</c>.</param>
    /// <param name="q">The second model <c>Q</c>, on the same <c>(k, T)</c>.</param>
    /// <param name="maxSequences">The largest <c>k^T</c> enumerated, <c>&gt;= 1</c>.</param>
    /// <param name="cancellationToken">Checked before every prefix of the walk; cancellation throws <see cref="OperationCanceledException"/>.</param>
    /// <exception cref="EnumerationTooLargeException"><c>k^T &gt; maxSequences</c>.</exception>
    /// <exception cref="IncompatibleModelsException">The models differ in <c>k</c> or <c>T</c>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static PerStepDivergence PerStep(ISequenceModel p, ISequenceModel q, long maxSequences, CancellationToken cancellationToken)
    {
        CheckPair(p, q, maxSequences);
        var horizon = p.Horizon;
        var kl = new CompensatedSum[horizon];
        var tv = new CompensatedSum[horizon];
        Walk(p, q, Prefix.Empty, 0.0, kl, tv, cancellationToken);
        return new PerStepDivergence(
            kl.Select(s => Math.Max(0, s.Value)).ToArray(),
            tv.Select(s => Math.Clamp(s.Value, 0, 1)).ToArray());
    }

    private static void Walk(ISequenceModel p, ISequenceModel q, Prefix prefix, double logWeight, CompensatedSum[] kl, CompensatedSum[] tv, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var weight = Math.Exp(logWeight);
        if (weight == 0)
        {
            return;
        }

        var t = prefix.Length;
        var u = p.NextTokenLogits(prefix);
        var v = q.NextTokenLogits(prefix);
        kl[t].Add(weight * SoftmaxBounds.KullbackLeibler(u, v));
        tv[t].Add(weight * SoftmaxBounds.TotalVariation(u, v));
        if (t + 1 >= p.Horizon)
        {
            return;
        }

        var logProbabilities = u.LogProbabilities();
        for (var z = 0; z < logProbabilities.Length; z++)
        {
            Walk(p, q, prefix.Append(z), logWeight + logProbabilities[z], kl, tv, cancellationToken);
        }
    }

    private static void CheckPair(ISequenceModel p, ISequenceModel q, long maxSequences)
    {
        ArgumentNullException.ThrowIfNull(p);
        ArgumentNullException.ThrowIfNull(q);
        if (p.AlphabetSize != q.AlphabetSize || p.Horizon != q.Horizon)
        {
            throw new IncompatibleModelsException(p.AlphabetSize, p.Horizon, q.AlphabetSize, q.Horizon, nameof(q));
        }

        CheckSize(p, maxSequences);
    }

    private static void CheckSize(ISequenceModel model, long maxSequences)
    {
        if (maxSequences < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(maxSequences), maxSequences, "Expected a limit maxSequences >= 1.");
        }

        if (BigInteger.Pow(model.AlphabetSize, model.Horizon) > maxSequences)
        {
            throw new EnumerationTooLargeException(model.AlphabetSize, model.Horizon, maxSequences);
        }
    }
}

/// <summary>Progress of an exact enumeration of <c>Σ^T</c>: <paramref name="Done"/> of <paramref name="Total"/> <c>= k^T</c> sequences.</summary>
/// <param name="Done">Sequences enumerated so far, <c>0 &lt;= Done &lt;= Total</c>.</param>
/// <param name="Total">All sequences, <c>k^T</c>.</param>
public sealed record EnumerationProgress(long Done, long Total);

/// <summary>The exact sequence-level divergences between two models on <c>Σ^T</c>.</summary>
/// <param name="KullbackLeibler"><c>KL(P||Q)</c> in nats, <c>&gt;= 0</c>.</param>
/// <param name="TotalVariation"><c>TV(P,Q)</c>, in <c>[0, 1]</c>.</param>
public sealed record SequenceDivergence(double KullbackLeibler, double TotalVariation);

/// <summary>
/// The per-step decomposition of the divergence between <c>P</c> and <c>Q</c> (ALGORITHM.md section 2): entry <c>t</c>
/// (<c>t = 0..T-1</c>) is the expectation over prefixes <c>h ~ P_{1:t}</c> of length <c>t</c> of the next-token divergence.
/// </summary>
/// <param name="KullbackLeibler"><c>E_{h~P_{1:t}} KL(P(·|h) || Q(·|h))</c> in nats, for <c>t = 0..T-1</c>.</param>
/// <param name="TotalVariation"><c>E_{h~P_{1:t}} TV(P(·|h), Q(·|h))</c>, for <c>t = 0..T-1</c>.</param>
public sealed record PerStepDivergence(IReadOnlyList<double> KullbackLeibler, IReadOnlyList<double> TotalVariation)
{
    /// <summary>The horizon <c>T</c> (number of steps).</summary>
    public int Horizon => KullbackLeibler.Count;

    /// <summary>The chain rule: <c>KL(P||Q) = Σ_t E_{h~P_{1:t}} KL(P(·|h) || Q(·|h))</c> (an identity).</summary>
    public double ChainRuleKullbackLeibler => KullbackLeibler.Sum();

    /// <summary>The hybrid bound: <c>TV(P,Q) &lt;= Σ_t E_{h~P_{1:t}} TV(P(·|h), Q(·|h))</c>.</summary>
    public double HybridTotalVariationBound => TotalVariation.Sum();
}

/// <summary>Neumaier's compensated summation.</summary>
internal struct CompensatedSum
{
    private double _sum;
    private double _compensation;

    /// <summary>The compensated total.</summary>
    public readonly double Value => _sum + _compensation;

    /// <summary>Adds a term.</summary>
    public void Add(double value)
    {
        var t = _sum + value;
        _compensation += Math.Abs(_sum) >= Math.Abs(value) ? (_sum - t) + value : (value - t) + _sum;
        _sum = t;
    }
}
