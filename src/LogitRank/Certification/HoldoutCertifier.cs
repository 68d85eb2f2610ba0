using LogitRank.Evaluation;
using LogitRank.Models;
using LogitRank.Numerics;
using LogitRank.Oracles;
using LogitRank.Sequences;
using LogitRank.Statistics;

namespace LogitRank.Certification;

/// <summary>Options of the hold-out certifier.</summary>
public sealed record HoldoutOptions
{
    /// <summary>The number <c>n_h</c> of fresh samples <c>y ~ M</c> drawn through the oracle (each costs up to <c>T</c> queries).</summary>
    public int Samples { get; init; } = 1000;

    /// <summary>The failure probability <c>δ</c>: each upper bound holds with probability at least <c>1-δ</c>.</summary>
    public double Delta { get; init; } = 0.05;

    /// <summary>The seed of the hold-out sampling.</summary>
    public int Seed { get; init; }

    /// <summary>
    /// The accuracy <c>ξ</c> of the oracle (every returned logit within <c>ξ</c> of the target's); 0 for an exact oracle.
    /// With <c>ξ &gt; 0</c> the TV bound adds <c>T·ξ</c> (the oracle's own model is within that TV of the target:
    /// hybrid argument with <c>TV &lt;= ||e||_∞</c>) and the KL bound is stated for the oracle's model.
    /// </summary>
    public double OracleAccuracy { get; init; }

    /// <summary>
    /// The oracle's approximation report, when some of its answers are completions (e.g. a top-N HTTP answer with its
    /// missing tokens filled in); <see langword="null"/> when every answer is the oracle's model's own. With a report the
    /// TV, KL and hybrid bounds cover the distance to the <i>true</i> model, not only to the oracle's approximation:
    /// a hold-out path that samples a filled token counts as a full failure (value 1, <c>T·(2B + ln k)</c>, <c>T</c>), and
    /// each step with a completed answer contributes the largest divergence over the distributions the answer is
    /// consistent with (proofs-notes/oracle-approximation.md). Pass the report of the oracle itself: decorators do not
    /// forward it.
    /// </summary>
    public IApproximationReport? Approximation { get; init; }

    /// <summary>Throws unless every option is in range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range; the message names it.</exception>
    public void Validate()
    {
        if (Samples < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(Samples), Samples, "The hold-out certificate needs at least 2 samples (the empirical Bernstein bound uses n-1).");
        }

        if (!(Delta > 0 && Delta < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(Delta), Delta, "Expected a failure probability δ in (0, 1).");
        }

        if (!(OracleAccuracy >= 0) || !double.IsFinite(OracleAccuracy))
        {
            throw new ArgumentOutOfRangeException(nameof(OracleAccuracy), OracleAccuracy, "Expected an oracle accuracy ξ >= 0.");
        }
    }
}

/// <summary>
/// The a posteriori (hold-out) certificate of ALGORITHM.md section 5: assumption-free upper confidence bounds on
/// <c>KL(M||M̂)</c> and <c>TV(M,M̂)</c> from fresh samples of the target.
/// </summary>
/// <param name="KullbackLeibler">The bound on <c>KL(M||M̂)</c> from the per-sample chain-rule sums <c>Σ_t KL(M(·|y_{1:t}) || M̂(·|y_{1:t}))</c>.</param>
/// <param name="TotalVariation">The bound on <c>TV(M,M̂)</c> from the per-sample likelihood-ratio statistic <c>(1 - M̂(y)/M(y))_+ ∈ [0,1]</c>, plus <c>T·ξ</c>.</param>
/// <param name="HybridTotalVariation">The hybrid-argument bound from the per-sample sums <c>Σ_t TV(M(·|y_{1:t}), M̂(·|y_{1:t})) ∈ [0,T]</c> (reported for comparison; valid but looser in range).</param>
/// <param name="PerStepKullbackLeibler">The per-step means <c>E_{h~M_{1:t}} KL</c> estimates, <c>t = 0..T-1</c>.</param>
/// <param name="PerStepTotalVariation">The per-step means of the per-step TV, <c>t = 0..T-1</c>.</param>
/// <param name="MaxLogitError">The largest <c>||ℓ̂(h) - ℓ(h)||_∞</c> seen on the hold-out prefixes.</param>
/// <param name="Queries">The oracle queries the certificate made: the distinct prefixes it asked for (each paid at most once; through a cache shared with the learner, as in <see cref="LogitRankPipeline.LearnAndCertify(ILogitOracle, Learning.ILearningSchedule, CertificationOptions, int, IProgress{Learning.LearningProgress}, Microsoft.Extensions.Logging.ILogger, CancellationToken)"/>, those the learner had asked were paid before).</param>
/// <param name="Seed">The seed of the hold-out sampling.</param>
public sealed record HoldoutCertificate(
    ConfidenceBound KullbackLeibler,
    ConfidenceBound TotalVariation,
    ConfidenceBound HybridTotalVariation,
    IReadOnlyList<double> PerStepKullbackLeibler,
    IReadOnlyList<double> PerStepTotalVariation,
    double MaxLogitError,
    long Queries,
    int Seed)
{
    /// <summary>
    /// The hold-out paths that sampled a token whose log-probability the oracle filled in (each counted as a full
    /// failure in every bound); 0 without an approximation report.
    /// </summary>
    public int PathsThroughFilledTokens { get; init; }

    /// <summary>The steps (prefixes on hold-out paths, with multiplicity) whose answer was a completion; 0 without an approximation report.</summary>
    public long ApproximatedSteps { get; init; }

    /// <summary>Whether an approximation report was applied, so that the bounds cover the true model behind an approximating oracle.</summary>
    public bool CoversOracleApproximation { get; init; }

    /// <summary>The certified TV upper bound (at most 1).</summary>
    public double TotalVariationUpper => Math.Min(1.0, TotalVariation.Upper);

    /// <summary>The certified KL upper bound in nats.</summary>
    public double KullbackLeiblerUpper => KullbackLeibler.Upper;

    /// <summary><see cref="TotalVariationUpper"/> with its level: failure probability <c>δ</c> (<see cref="ConfidenceBound.Delta"/>).</summary>
    public CertifiedBound TotalVariationBound => new(TotalVariationUpper, TotalVariation.Delta);

    /// <summary><see cref="KullbackLeiblerUpper"/> with its level: failure probability <c>δ</c> (<see cref="ConfidenceBound.Delta"/>).</summary>
    public CertifiedBound KullbackLeiblerBound => new(KullbackLeiblerUpper, KullbackLeibler.Delta);
}

/// <summary>
/// Certifies a learned model against the target behind a logit oracle on fresh samples (ALGORITHM.md section 5).
/// </summary>
/// <remarks>
/// <para>Draws <c>n_h</c> sequences <c>y ~ M</c> autoregressively through the oracle (phase
/// <see cref="QueryPhase.Certification"/>), which yields the target's logits <c>ℓ(y_{1:t})</c> at every prefix on each path;
/// the learned model's <c>ℓ̂(y_{1:t})</c> needs no query. Per sample it computes</para>
/// <list type="bullet">
/// <item><c>K_y = Σ_t KL(softmax ℓ(y_{1:t}) || softmax ℓ̂(y_{1:t}))</c>: <c>E[K_y] = KL(M||M̂)</c> (chain rule), and
/// <c>0 &lt;= K_y &lt;= Σ_t (max ℓ̂ - min ℓ̂ + ln k) &lt;= T·(2B + ln k)</c> where <c>B</c> bounds <c>|ℓ̂|</c>
/// (proofs-notes/holdout-certificate.md);</item>
/// <item><c>Z_y = (1 - M̂(y)/M(y))_+ ∈ [0,1]</c>: <c>E[Z_y] = TV(M,M̂)</c> exactly;</item>
/// <item><c>H_y = Σ_t TV(...) ∈ [0,T]</c>: <c>E[H_y] &gt;= TV(M,M̂)</c> (hybrid argument).</item>
/// </list>
/// <para>Each mean gets an upper confidence bound at level <c>1-δ</c> (<see cref="ConfidenceBound"/>).</para>
/// </remarks>
public static class HoldoutCertifier
{
    /// <summary>Certifies <paramref name="learned"/> against the target behind <paramref name="target"/>.</summary>
    /// <param name="target">The target's oracle; queries are attributed to <see cref="QueryPhase.Certification"/>.</param>
    /// <param name="learned">The learned model (evaluated without any oracle).</param>
    /// <param name="learnedLogitBound">A proved bound <c>B &gt;= max_h ||ℓ̂(h)||_∞</c> (for example <c>LearnedModel.LogitBound</c>).</param>
    /// <param name="options">Sample count, <c>δ</c>, seed, oracle accuracy.</param>
    /// <param name="cancellationToken">Cancels between sampling steps.</param>
    /// <exception cref="ArgumentException">The models' alphabets or horizons differ, or <paramref name="learnedLogitBound"/> is negative or not finite.</exception>
    /// <exception cref="InvalidOperationException">A learned logit exceeds <paramref name="learnedLogitBound"/>: the bound the range rests on is false. The check allows rounding: it fires when <c>max_z |ℓ̂_z| &gt; B(1 + 10⁻⁹) + 10⁻¹²</c>, and a sup norm equal to that value is accepted.</exception>
    public static HoldoutCertificate Certify(ILogitOracle target, ISequenceModel learned, double learnedLogitBound, HoldoutOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        return CertifyThrough(new PhaseCountingCache(target), learned, learnedLogitBound, options, cancellationToken);
    }

    /// <summary>
    /// Certifies through the run's cache <paramref name="target"/> (created once by the caller, e.g. shared with the
    /// learner): prefixes it already holds are not paid again, and <see cref="HoldoutCertificate.Queries"/> still counts
    /// every distinct prefix the certificate asked for.
    /// </summary>
    /// <inheritdoc cref="Certify(ILogitOracle, ISequenceModel, double, HoldoutOptions, CancellationToken)"/>
    internal static HoldoutCertificate CertifyThrough(PhaseCountingCache target, ISequenceModel learned, double learnedLogitBound, HoldoutOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(learned);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (target.AlphabetSize != learned.AlphabetSize || target.Horizon != learned.Horizon)
        {
            throw new ArgumentException($"The target has k = {target.AlphabetSize}, T = {target.Horizon} but the learned model has k = {learned.AlphabetSize}, T = {learned.Horizon}; they must agree.", nameof(learned));
        }

        if (!(learnedLogitBound >= 0) || !double.IsFinite(learnedLogitBound))
        {
            throw new ArgumentException($"The learned logit bound is {learnedLogitBound}; expected a finite B >= 0.", nameof(learnedLogitBound));
        }

        var k = target.AlphabetSize;
        var horizon = target.Horizon;
        // Repeated prefixes (shared path starts, prefixes the learner asked) are answered by the run's cache.
        var paths = OracleSampler.SampleWithLogits(target, options.Samples, horizon, new Random(options.Seed), QueryPhase.Certification, cancellationToken);
        var asked = new HashSet<Prefix>();

        var approximation = options.Approximation is { MayApproximate: true } report ? report : null;
        var divergences = new PathDivergenceAccumulator(paths.Count, horizon);
        var klValues = new double[paths.Count];
        var ratioValues = new double[paths.Count];
        var hybridValues = new double[paths.Count];
        var maxLogitError = 0.0;
        var throughFilled = 0;
        var approximatedSteps = 0L;
        // The learned logits are in [-B, B], so LSE(ℓ̂) - min ℓ̂ <= 2B + ln k bounds each step's KL; a small relative
        // slack absorbs rounding in the check below, not in the range.
        var stepKlRange = (2 * learnedLogitBound) + Math.Log(k);
        for (var i = 0; i < paths.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var path = paths[i];
            var logRatio = 0.0;
            var tookFilledToken = false;
            for (var t = 0; t < horizon; t++)
            {
                var truth = path.Logits[t];
                var prefix = path.Sequence.Take(t);
                asked.Add(prefix);
                var learnedLogits = learned.NextTokenLogits(prefix);
                var sup = SupNorm(learnedLogits);
                if (sup > (learnedLogitBound * (1 + Tolerances.LogitBoundRelativeSlack)) + Tolerances.LogitBoundAbsoluteSlack)
                {
                    throw new InvalidOperationException($"The learned model's logit {sup} at prefix {prefix} exceeds the stated bound B = {learnedLogitBound}; the certificate's range would be false.");
                }

                var token = path.Sequence[t];
                var filled = approximation?.FilledTokens(prefix, truth) ?? [];
                if (filled.Count == 0)
                {
                    divergences.Add(i, t, truth, learnedLogits);
                }
                else
                {
                    // The true conditional is only known to lie in the answer's consistency polytope: take the worst vertex.
                    approximatedSteps++;
                    tookFilledToken |= filled.Contains(token);
                    var (stepKl, stepTv) = WorstOverConsistentDistributions(truth, learnedLogits, filled);
                    divergences.Add(i, t, Math.Min(stepKl, stepKlRange), Math.Min(stepTv, 1.0));
                }

                maxLogitError = Math.Max(maxLogitError, truth.MaxAbsDifference(learnedLogits));
                logRatio += learnedLogits.LogProbability(token) - truth.LogProbability(token);
            }

            if (tookFilledToken)
            {
                // The coupling of the oracle's model with the true one may have split on this path: count the worst case.
                throughFilled++;
                klValues[i] = horizon * stepKlRange;
                hybridValues[i] = horizon;
                ratioValues[i] = 1.0;
            }
            else
            {
                klValues[i] = Math.Min(divergences.PathKullbackLeibler[i], horizon * stepKlRange);
                hybridValues[i] = Math.Min(divergences.PathTotalVariation[i], horizon);
                ratioValues[i] = Math.Clamp(1 - Math.Exp(logRatio), 0, 1);
            }
        }

        var klBound = ConfidenceBound.FromSamples(klValues, horizon * stepKlRange, options.Delta);
        var tvBound = ConfidenceBound.FromSamples(ratioValues, 1.0, options.Delta);
        var hybridBound = ConfidenceBound.FromSamples(hybridValues, horizon, options.Delta);
        if (options.OracleAccuracy > 0)
        {
            var shift = horizon * options.OracleAccuracy;
            tvBound = tvBound with { Upper = tvBound.Upper + shift };
            hybridBound = hybridBound with { Upper = hybridBound.Upper + shift };
        }

        return new HoldoutCertificate(klBound, tvBound, hybridBound, divergences.PerStepKullbackLeiblerMeans(), divergences.PerStepTotalVariationMeans(), maxLogitError, asked.Count, options.Seed)
        {
            PathsThroughFilledTokens = throughFilled,
            ApproximatedSteps = approximatedSteps,
            CoversOracleApproximation = approximation is not null,
        };
    }

    /// <summary>
    /// The largest KL and TV from a distribution consistent with a completed answer to the learned conditional: with
    /// <c>q = softmax(answer)</c>, <c>F</c> the filled tokens, <c>R</c> the rest and <c>w = q(F)</c>, the consistent
    /// distributions form the convex hull of <c>q_R / q(R)</c> (if <c>q(R) &gt; 0</c>) and <c>q_R + w·e_b</c> for
    /// <c>b ∈ F</c>; KL and TV are convex in their first argument, so their maxima over the hull are at these vertices.
    /// </summary>
    internal static (double KullbackLeibler, double TotalVariation) WorstOverConsistentDistributions(LogitVector answer, LogitVector learned, IReadOnlyList<int> filled)
    {
        var k = answer.Length;
        var logQ = answer.LogProbabilities();
        var logP = learned.LogProbabilities();
        var isFilled = new bool[k];
        foreach (var b in filled)
        {
            isFilled[b] = true;
        }

        double massR = 0, klR = 0;
        for (var a = 0; a < k; a++)
        {
            if (!isFilled[a])
            {
                var q = Math.Exp(logQ[a]);
                massR += q;
                klR += q * (logQ[a] - logP[a]);
            }
        }

        var w = 0.0;
        foreach (var b in filled.Distinct())
        {
            w += Math.Exp(logQ[b]);
        }

        double worstKl = 0, worstTv = 0;
        if (massR > 0)
        {
            // Vertex q_R / q(R).
            var logMass = Math.Log(massR);
            double kl = 0, tv = 0;
            for (var a = 0; a < k; a++)
            {
                var v = isFilled[a] ? 0 : Math.Exp(logQ[a] - logMass);
                if (v > 0)
                {
                    kl += v * (logQ[a] - logMass - logP[a]);
                }

                tv += Math.Abs(v - Math.Exp(logP[a]));
            }

            worstKl = Math.Max(worstKl, kl);
            worstTv = Math.Max(worstTv, tv / 2);
        }

        foreach (var b in filled.Distinct())
        {
            // Vertex q_R + w·e_b.
            var kl = klR + (w > 0 ? w * (Math.Log(w) - logP[b]) : 0);
            var tv = 0.0;
            for (var a = 0; a < k; a++)
            {
                var v = isFilled[a] ? (a == b ? w : 0) : Math.Exp(logQ[a]);
                tv += Math.Abs(v - Math.Exp(logP[a]));
            }

            worstKl = Math.Max(worstKl, kl);
            worstTv = Math.Max(worstTv, tv / 2);
        }

        return (Math.Max(0, worstKl), worstTv);
    }

    private static double SupNorm(LogitVector v)
    {
        var max = 0.0;
        foreach (var x in v.Values)
        {
            max = Math.Max(max, Math.Abs(x));
        }

        return max;
    }
}
