using System.Globalization;
using LogitRank.Models;
using LogitRank.Numerics;
using LogitRank.Oracles;
using LogitRank.Sequences;
using LogitRank.Statistics;

namespace LogitRank.Evaluation;

/// <summary>
/// Monte Carlo estimates of the chain-rule <c>KL(P||Q)</c> and of the hybrid total-variation bound from <c>n</c> samples
/// <c>y ~ P</c>, with Hoeffding and empirical Bernstein confidence bounds.
/// </summary>
/// <remarks>
/// <para>For one sample <c>y ∈ Σ^T</c> the per-step values are <c>KL_t(y) = KL(P(·|y_{1:t}) || Q(·|y_{1:t}))</c> and
/// <c>TV_t(y) = TV(P(·|y_{1:t}), Q(·|y_{1:t}))</c> for <c>t = 0..T-1</c>, and the per-sample values are their sums over <c>t</c>.
/// Because <c>y_{1:t} ~ P_{1:t}</c>, <c>E_y[Σ_t KL_t(y)] = KL(P||Q)</c> (chain rule, <c>proofs-notes/chain-rule.md</c>) and
/// <c>E_y[Σ_t TV_t(y)] = Σ_t E_{h~P_{1:t}} TV(P(·|h), Q(·|h)) &gt;= TV(P,Q)</c> (<c>proofs-notes/hybrid-tv-bound.md</c>): the sample
/// means are unbiased estimates of the chain-rule KL and of the hybrid bound, and an upper confidence bound on the hybrid
/// mean is an upper confidence bound on <c>TV(P,Q)</c>.</para>
/// <para>Ranges for the concentration bounds: every per-sample TV value lies in <c>[0, T]</c> (each step is in <c>[0, 1]</c>).
/// The KL values have no a-priori range; the caller passes one (<c>kullbackLeiblerRange</c>), e.g. from a sup-norm bound
/// <c>ε</c> on the logit error at every prefix via <see cref="KullbackLeiblerRangeFromLogitBound"/> (<c>T·B(2ε)</c>, proved in
/// <c>proofs-notes/softmax-perturbation-bounds.md</c>). Without a range the KL confidence bounds are omitted (null). A
/// per-sample KL value above the given range makes the bound computation throw <see cref="ArgumentOutOfRangeException"/>
/// naming the value: the range was invalid. Per-sample values are clipped to <c>[0, range]</c> only to absorb
/// floating-point rounding of at most <c>1e-12·range</c>.</para>
/// </remarks>
public static class MonteCarloDivergence
{
    /// <summary>
    /// Draws <paramref name="sampleCount"/> sequences <c>y ~ P</c> with <see cref="ISequenceModel.Sample"/> (from
    /// <paramref name="random"/> only) and estimates the chain-rule KL and the hybrid TV bound against <paramref name="q"/>.
    /// </summary>
    /// <param name="p">The model <c>P</c> that the samples come from.</param>
    /// <param name="q">The model <c>Q</c>, on the same <c>(k, T)</c>.</param>
    /// <param name="sampleCount">The number of samples <c>n &gt;= 1</c> (empirical Bernstein bounds need <c>n &gt;= 2</c>).</param>
    /// <param name="random">The only source of randomness.</param>
    /// <param name="delta">The failure probability <c>δ ∈ (0, 1)</c> of each confidence bound.</param>
    /// <param name="kullbackLeiblerRange">A valid upper bound on every per-sample KL value <c>Σ_t KL_t(y)</c>, or null.</param>
    /// <exception cref="IncompatibleModelsException">The models differ in <c>k</c> or <c>T</c>.</exception>
    public static MonteCarloDivergenceResult Estimate(ISequenceModel p, ISequenceModel q, int sampleCount, Random random, double delta = 0.05, double? kullbackLeiblerRange = null)
    {
        ArgumentNullException.ThrowIfNull(p);
        ArgumentNullException.ThrowIfNull(random);
        if (sampleCount < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(sampleCount), sampleCount, "Expected a sample count n >= 1.");
        }

        CheckModels(p.AlphabetSize, p.Horizon, q);
        var samples = new Prefix[sampleCount];
        for (var i = 0; i < sampleCount; i++)
        {
            samples[i] = p.Sample(random);
        }

        return Estimate(p, q, samples, delta, kullbackLeiblerRange);
    }

    /// <summary>
    /// The estimates from given samples, which the caller guarantees are i.i.d. draws from <c>P</c> (otherwise the
    /// confidence bounds mean nothing).
    /// </summary>
    /// <param name="p">The model <c>P</c>.</param>
    /// <param name="q">The model <c>Q</c>, on the same <c>(k, T)</c>.</param>
    /// <param name="samples">The samples, each of length <c>T</c> with tokens in <c>0..k-1</c>; at least one.</param>
    /// <param name="delta">The failure probability <c>δ ∈ (0, 1)</c> of each confidence bound.</param>
    /// <param name="kullbackLeiblerRange">A valid upper bound on every per-sample KL value, or null.</param>
    public static MonteCarloDivergenceResult Estimate(ISequenceModel p, ISequenceModel q, IReadOnlyList<Prefix> samples, double delta = 0.05, double? kullbackLeiblerRange = null)
    {
        ArgumentNullException.ThrowIfNull(p);
        CheckModels(p.AlphabetSize, p.Horizon, q);
        return EstimateCore(p.AlphabetSize, p.Horizon, batch => batch.Select(p.NextTokenLogits).ToArray(), q, samples, delta, kullbackLeiblerRange);
    }

    /// <summary>
    /// The estimates when <c>P</c> is reachable only through a logit oracle: the caller supplies i.i.d. samples from <c>P</c>
    /// (e.g. from <see cref="OracleSampler.Sample"/>); <c>P</c>'s logits along the samples are queried in <c>T</c> batches of
    /// <c>n</c> prefixes each, attributed to <paramref name="phase"/>.
    /// </summary>
    /// <param name="p">The oracle of <c>P</c>.</param>
    /// <param name="q">The model <c>Q</c>, on the same <c>(k, T)</c>.</param>
    /// <param name="samples">The samples, each of length <c>T</c>; at least one.</param>
    /// <param name="delta">The failure probability <c>δ ∈ (0, 1)</c> of each confidence bound.</param>
    /// <param name="kullbackLeiblerRange">A valid upper bound on every per-sample KL value, or null.</param>
    /// <param name="phase">The query phase for <c>P</c>'s oracle.</param>
    /// <param name="cancellationToken">Cancels between batches.</param>
    public static MonteCarloDivergenceResult Estimate(ILogitOracle p, ISequenceModel q, IReadOnlyList<Prefix> samples, double delta = 0.05, double? kullbackLeiblerRange = null, QueryPhase phase = QueryPhase.Analysis, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(p);
        CheckModels(p.AlphabetSize, p.Horizon, q);
        return EstimateCore(
            p.AlphabetSize,
            p.Horizon,
            batch =>
            {
                cancellationToken.ThrowIfCancellationRequested();
                var answers = p.Query(batch, phase, cancellationToken);
                return answers.Count == batch.Count
                    ? answers
                    : throw new InvalidOperationException($"The oracle answered {answers.Count} prefixes for a batch of {batch.Count}.");
            },
            q,
            samples,
            delta,
            kullbackLeiblerRange);
    }

    /// <summary>
    /// <c>T·B(2ε)</c>: a valid range for the per-sample KL values when <c>||ℓ_P(h) - ℓ_Q(h)||_∞ &lt;= ε</c> at every prefix
    /// <c>h</c> (then each step has <c>KL_t &lt;= B(2ε) &lt;= min(2ε, ε²/2)</c>, see <see cref="SoftmaxBounds.KullbackLeiblerBoundFromSupNorm"/>).
    /// </summary>
    /// <param name="horizon">The horizon <c>T &gt;= 1</c>.</param>
    /// <param name="supNorm">The logit error bound <c>ε &gt;= 0</c>.</param>
    public static double KullbackLeiblerRangeFromLogitBound(int horizon, double supNorm)
    {
        SequenceGuard.Horizon(horizon);

        return horizon * SoftmaxBounds.KullbackLeiblerBoundFromSupNorm(supNorm);
    }

    private static MonteCarloDivergenceResult EstimateCore(int alphabetSize, int horizon, Func<IReadOnlyList<Prefix>, IReadOnlyList<LogitVector>> pLogits, ISequenceModel q, IReadOnlyList<Prefix> samples, double delta, double? kullbackLeiblerRange)
    {
        ArgumentNullException.ThrowIfNull(samples);
        if (samples.Count < 1)
        {
            throw new ArgumentException("Expected at least one sample.", nameof(samples));
        }

        if (!(delta > 0 && delta < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(delta), delta, "Expected a failure probability δ in the open interval (0, 1).");
        }

        if (kullbackLeiblerRange is { } r && (!(r > 0) || !double.IsFinite(r)))
        {
            throw new ArgumentOutOfRangeException(nameof(kullbackLeiblerRange), r, "Expected a positive, finite range for the per-sample KL values.");
        }

        for (var i = 0; i < samples.Count; i++)
        {
            ArgumentNullException.ThrowIfNull(samples[i], nameof(samples));
            if (samples[i].Length != horizon)
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"Sample {i} ({samples[i]}) has length {samples[i].Length}; expected the horizon T = {horizon}."), nameof(samples));
            }

            for (var j = 0; j < horizon; j++)
            {
                if (samples[i][j] >= alphabetSize)
                {
                    throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"Sample {i} ({samples[i]}) holds token {samples[i][j]} outside the alphabet 0..{alphabetSize - 1}."), nameof(samples));
                }
            }
        }

        var n = samples.Count;
        var divergences = new PathDivergenceAccumulator(n, horizon, keepSteps: true);
        for (var t = 0; t < horizon; t++)
        {
            var prefixes = samples.Select(y => y.Take(t)).ToArray();
            var fromP = pLogits(prefixes);
            for (var i = 0; i < n; i++)
            {
                divergences.Add(i, t, fromP[i], q.NextTokenLogits(prefixes[i]));
            }
        }

        var klSamples = divergences.PathKullbackLeibler.ToArray();
        var tvSamples = divergences.PathTotalVariation.Select(s => Math.Min(horizon, s)).ToArray();
        if (kullbackLeiblerRange is { } range)
        {
            // Absorb rounding only; a value clearly above the range stays and is rejected by ConcentrationBounds.
            for (var i = 0; i < n; i++)
            {
                if (klSamples[i] > range && klSamples[i] <= range * (1 + Tolerances.RangeRoundingRelative))
                {
                    klSamples[i] = range;
                }
            }
        }

        return new MonteCarloDivergenceResult(
            n,
            horizon,
            delta,
            DivergenceEstimate.From(klSamples, kullbackLeiblerRange, delta),
            DivergenceEstimate.From(tvSamples, horizon, delta),
            divergences.PerStepKullbackLeiblerMeans(),
            divergences.PerStepTotalVariationMeans(),
            divergences.StepKullbackLeibler,
            divergences.StepTotalVariation);
    }

    private static void CheckModels(int alphabetSize, int horizon, ISequenceModel q)
    {
        ArgumentNullException.ThrowIfNull(q);
        if (alphabetSize != q.AlphabetSize || horizon != q.Horizon)
        {
            throw new IncompatibleModelsException(alphabetSize, horizon, q.AlphabetSize, q.Horizon, nameof(q));
        }
    }
}

/// <summary>The Monte Carlo estimates of <see cref="MonteCarloDivergence"/>.</summary>
/// <param name="SampleCount">The number of samples <c>n</c>.</param>
/// <param name="Horizon">The horizon <c>T</c>.</param>
/// <param name="Delta">The failure probability of each confidence bound.</param>
/// <param name="KullbackLeibler">The chain-rule KL estimate: mean over samples of <c>Σ_t KL_t(y)</c>, in nats (unbiased for <c>KL(P||Q)</c>).</param>
/// <param name="HybridTotalVariation">The hybrid estimate: mean over samples of <c>Σ_t TV_t(y)</c> (unbiased for the hybrid bound, which is <c>&gt;= TV(P,Q)</c>); range <c>T</c>.</param>
/// <param name="PerStepKullbackLeibler">For <c>t = 0..T-1</c>, the mean over samples of <c>KL_t(y)</c> (unbiased for <c>E_{h~P_{1:t}} KL(P(·|h)||Q(·|h))</c>).</param>
/// <param name="PerStepTotalVariation">For <c>t = 0..T-1</c>, the mean over samples of <c>TV_t(y)</c>.</param>
/// <param name="SampleStepKullbackLeibler">Per-sample, per-step values: <c>[i][t] = KL_t(y_i)</c>.</param>
/// <param name="SampleStepTotalVariation">Per-sample, per-step values: <c>[i][t] = TV_t(y_i)</c>.</param>
public sealed record MonteCarloDivergenceResult(
    int SampleCount,
    int Horizon,
    double Delta,
    DivergenceEstimate KullbackLeibler,
    DivergenceEstimate HybridTotalVariation,
    IReadOnlyList<double> PerStepKullbackLeibler,
    IReadOnlyList<double> PerStepTotalVariation,
    IReadOnlyList<IReadOnlyList<double>> SampleStepKullbackLeibler,
    IReadOnlyList<IReadOnlyList<double>> SampleStepTotalVariation);

/// <summary>
/// A sample mean of per-sample values in <c>[0, Range]</c> with its confidence bounds, each at failure probability
/// <c>δ</c> (see <see cref="ConcentrationBounds"/>). Bounds are null when no range is known; the Bernstein bounds are null
/// when <c>n &lt; 2</c>.
/// </summary>
/// <param name="Mean">The sample mean.</param>
/// <param name="Samples">The per-sample values.</param>
/// <param name="Range">The range <c>R</c> with every value in <c>[0, R]</c>, or null if unknown.</param>
/// <param name="HoeffdingInterval">The two-sided Hoeffding interval.</param>
/// <param name="HoeffdingUpper">The one-sided Hoeffding upper bound.</param>
/// <param name="BernsteinInterval">The two-sided empirical Bernstein interval.</param>
/// <param name="BernsteinUpper">The one-sided empirical Bernstein upper bound.</param>
public sealed record DivergenceEstimate(
    double Mean,
    IReadOnlyList<double> Samples,
    double? Range,
    MeanConfidenceInterval? HoeffdingInterval,
    double? HoeffdingUpper,
    MeanConfidenceInterval? BernsteinInterval,
    double? BernsteinUpper)
{
    /// <summary>Computes the mean and the bounds of <paramref name="samples"/> in <c>[0, range]</c> at failure probability <paramref name="delta"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A sample lies outside <c>[0, range]</c> (the message names it).</exception>
    public static DivergenceEstimate From(IReadOnlyList<double> samples, double? range, double delta)
    {
        ArgumentNullException.ThrowIfNull(samples);
        var mean = samples.Average();
        if (range is not { } r)
        {
            return new DivergenceEstimate(mean, samples, null, null, null, null, null);
        }

        var bernstein = samples.Count >= 2;
        return new DivergenceEstimate(
            mean,
            samples,
            r,
            ConcentrationBounds.HoeffdingTwoSided(samples, r, delta),
            ConcentrationBounds.HoeffdingUpper(samples, r, delta),
            bernstein ? ConcentrationBounds.EmpiricalBernsteinTwoSided(samples, r, delta) : null,
            bernstein ? ConcentrationBounds.EmpiricalBernsteinUpper(samples, r, delta) : null);
    }
}
