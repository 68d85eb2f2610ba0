using LogitRank.Learning;
using LogitRank.Oracles;
using Microsoft.Extensions.Logging;

namespace LogitRank.Certification;

/// <summary>
/// An upper bound on a divergence together with the probability that it fails: <c>P(divergence &gt; Upper) &lt;=
/// FailureProbability</c> over the random samples the bound was computed from. A bound that is true whatever the
/// samples (a vacuous <c>TV &lt;= 1</c>, <c>KL &lt;= ∞</c>) has failure probability 0.
/// </summary>
/// <param name="Upper">The bound (TV in <c>[0, 1]</c>, KL in nats).</param>
/// <param name="FailureProbability">The probability that the bound fails, e.g. <c>δ</c> for one confidence bound and <c>2δ</c> for the smaller of two.</param>
public readonly record struct CertifiedBound(double Upper, double FailureProbability)
{
    /// <summary>The confidence level <c>1 - FailureProbability</c> (e.g. 0.95 for δ = 0.05, 0.9 for the smaller of two such bounds).</summary>
    public double Confidence => 1 - FailureProbability;

    /// <summary>
    /// The smaller of two bounds on the same divergence: <c>P(D &gt; min(a, b)) &lt;= P(D &gt; a) + P(D &gt; b)</c> (union bound),
    /// so the failure probabilities add.
    /// </summary>
    /// <param name="a">One bound.</param>
    /// <param name="b">The other bound.</param>
    /// <returns><c>(min(a.Upper, b.Upper), a.FailureProbability + b.FailureProbability)</c>, the sum capped at 1.</returns>
    public static CertifiedBound Min(CertifiedBound a, CertifiedBound b) =>
        new(Math.Min(a.Upper, b.Upper), Math.Min(1.0, a.FailureProbability + b.FailureProbability));
}

/// <summary>
/// Both certificates of a learned model (ALGORITHM.md section 5): the a priori validation bound of the run and the
/// a posteriori hold-out bound, each at confidence <c>1-δ</c>; their minimum holds at <c>1-2δ</c>.
/// </summary>
/// <param name="APriori">The bound from the run's parameters and acceptance, with its ledger and assumptions.</param>
/// <param name="APosteriori">The assumption-free hold-out bound measured on fresh samples.</param>
public sealed record Certificate(APrioriCertificate APriori, HoldoutCertificate APosteriori)
{
    /// <summary>
    /// The best certified TV bound: the smaller of the two. Each holds with probability at least <c>1-δ</c>, so the
    /// minimum holds with probability at least <c>1-2δ</c> (<see cref="TotalVariationBound"/> states the level; see
    /// proofs-notes/validation-bound.md). For a statement at <c>1-δ</c>, report <c>APosteriori.TotalVariationUpper</c>.
    /// </summary>
    public double TotalVariationUpper => TotalVariationBound.Upper;

    /// <summary>The best certified KL bound in nats (the smaller of the two; same confidence as <see cref="TotalVariationUpper"/>, stated by <see cref="KullbackLeiblerBound"/>).</summary>
    public double KullbackLeiblerUpper => KullbackLeiblerBound.Upper;

    /// <summary>
    /// <see cref="TotalVariationUpper"/> with its level: <see cref="CertifiedBound.Min"/> of the a priori and hold-out
    /// bounds, failure probability <c>2δ</c> (or <c>δ</c> when the a priori bound does not hold, since its <c>TV &lt;= 1</c> cannot fail).
    /// </summary>
    public CertifiedBound TotalVariationBound => CertifiedBound.Min(APriori.TotalVariationBound, APosteriori.TotalVariationBound);

    /// <summary><see cref="KullbackLeiblerUpper"/> with its level (as <see cref="TotalVariationBound"/>).</summary>
    public CertifiedBound KullbackLeiblerBound => CertifiedBound.Min(APriori.KullbackLeiblerBound, APosteriori.KullbackLeiblerBound);
}

/// <summary>Options of <see cref="LogitRankPipeline.LearnAndCertify(ILogitOracle, ILearningSchedule, CertificationOptions, int, IProgress{LearningProgress}, ILogger, CancellationToken)"/>.</summary>
public sealed record CertificationOptions
{
    /// <summary>The hold-out sample count <c>n_h</c>.</summary>
    public int HoldoutSamples { get; init; } = 1000;

    /// <summary>The failure probability <c>δ</c> of each certificate.</summary>
    public double Delta { get; init; } = 0.05;

    /// <summary>The oracle accuracy <c>ξ</c> (0 for an exact oracle).</summary>
    public double OracleAccuracy { get; init; }

    /// <summary>
    /// The oracle's approximation report (see <see cref="HoldoutOptions.Approximation"/>). When <see langword="null"/>,
    /// <see cref="LogitRankPipeline.LearnAndCertify(ILogitOracle, ILearningSchedule, CertificationOptions, int, IProgress{LearningProgress}, ILogger, CancellationToken)"/> uses the oracle itself if it implements
    /// <see cref="IApproximationReport"/>; set it when the approximating oracle is wrapped in a decorator.
    /// </summary>
    public IApproximationReport? Approximation { get; init; }
}

/// <summary>The result of <see cref="LogitRankPipeline.LearnAndCertify(ILogitOracle, ILearningSchedule, CertificationOptions, int, IProgress{LearningProgress}, ILogger, CancellationToken)"/>.</summary>
/// <param name="Model">The learned model (holds no reference to the oracle).</param>
/// <param name="Report">The learning report.</param>
/// <param name="Certificate">The a priori and hold-out certificates.</param>
/// <param name="CertificationQueries">Queries paid by the hold-out certificate beyond those the learner had already paid.</param>
public sealed record CertifiedModel(LearnedModel Model, LearningReport Report, Certificate Certificate, long CertificationQueries);

/// <summary>
/// The one-call facade: learn a model from a logit oracle (<see cref="LogitRankLearner"/>), then certify it
/// (<see cref="APrioriCertificate.Build(LearnedModel, LearningReport, ILearningSchedule, double, double, IApproximationReport)"/> and <see cref="HoldoutCertifier.Certify"/>). The step-wise types stay public.
/// </summary>
public static class LogitRankPipeline
{
    /// <summary>
    /// Learns from <paramref name="oracle"/> with the default schedule, a new <see cref="AdaptiveSchedule"/> (noise-aware,
    /// proofs-notes/adaptive-schedule.md), then certifies the result.
    /// </summary>
    /// <param name="oracle">The target's logit oracle.</param>
    /// <param name="options">Hold-out sample count, <c>δ</c>, oracle accuracy and approximation report.</param>
    /// <param name="seed">The seed of the run.</param>
    public static CertifiedModel LearnAndCertify(ILogitOracle oracle, CertificationOptions options, int seed) =>
        LearnAndCertify(oracle, new AdaptiveSchedule(), options, seed);

    /// <summary>Learns from <paramref name="oracle"/> with <paramref name="schedule"/>, then certifies the result.</summary>
    /// <param name="oracle">The target's logit oracle. Answers are cached for the whole call, so the hold-out phase pays only for prefixes the learner never asked.</param>
    /// <param name="schedule">The learning schedule (<see cref="AdaptiveSchedule"/>, the default; <see cref="TheorySchedule"/> or <see cref="PracticalSchedule"/>, the analysed paths).</param>
    /// <param name="options">Hold-out sample count, <c>δ</c>, oracle accuracy and approximation report. When the oracle completes some
    /// answers (an <see cref="IApproximationReport"/>, found on <paramref name="oracle"/> or given in the options), both certificates
    /// cover the distance to the true model (proofs-notes/oracle-approximation.md).</param>
    /// <param name="seed">The seed of the run; the hold-out sampling uses a stream derived from it (<c>seed ^ 0x5EED</c>), independent of the learner's.</param>
    /// <param name="progress">Learning progress, if wanted.</param>
    /// <param name="logger">A logger, if wanted.</param>
    /// <param name="cancellationToken">Cancels learning or certification.</param>
    public static CertifiedModel LearnAndCertify(ILogitOracle oracle, ILearningSchedule schedule, CertificationOptions options, int seed, IProgress<LearningProgress>? progress = null, ILogger? logger = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(oracle);
        ArgumentNullException.ThrowIfNull(schedule);
        ArgumentNullException.ThrowIfNull(options);
        var approximation = options.Approximation ?? oracle as IApproximationReport;
        var holdout = new HoldoutOptions { Samples = options.HoldoutSamples, Delta = options.Delta, Seed = seed ^ 0x5EED, OracleAccuracy = options.OracleAccuracy, Approximation = approximation };
        holdout.Validate();

        // One cache for the whole call: the learner and the certifier both query it, so the hold-out phase pays only
        // for prefixes the learner never asked, and each phase's queries are told apart by their QueryPhase tag.
        var run = new PhaseCountingCache(oracle);
        var learned = new LogitRankLearner().LearnThrough(run, schedule, seed, progress, logger, cancellationToken);
        var learnerPaid = run.Paid.Total;
        var aPriori = APrioriCertificate.Build(learned.Model, learned.Report, schedule, options.Delta, options.OracleAccuracy, approximation);
        var aPosteriori = HoldoutCertifier.CertifyThrough(run, learned.Model, learned.Model.LogitBound, holdout, cancellationToken);
        return new CertifiedModel(learned.Model, learned.Report, new Certificate(aPriori, aPosteriori), run.Paid.Total - learnerPaid);
    }
}
