using LogitRank.Learning;
using LogitRank.Oracles;
using Microsoft.Extensions.Logging;

namespace LogitRank.Certification;

/// <summary>
/// Both certificates of a learned model (ALGORITHM.md section 5): the a priori validation bound of the run and the
/// a posteriori hold-out bound, each at confidence <c>1-δ</c>.
/// </summary>
/// <param name="APriori">The bound from the run's parameters and acceptance, with its ledger and assumptions.</param>
/// <param name="APosteriori">The assumption-free hold-out bound measured on fresh samples.</param>
public sealed record Certificate(APrioriCertificate APriori, HoldoutCertificate APosteriori)
{
    /// <summary>The best certified TV bound: the smaller of the two (each holds with probability at least <c>1-δ</c>, so the minimum holds with probability at least <c>1-2δ</c>; see proofs-notes/validation-bound.md).</summary>
    public double TotalVariationUpper => Math.Min(APriori.TotalVariation, APosteriori.TotalVariationUpper);

    /// <summary>The best certified KL bound in nats (the smaller of the two; same confidence as <see cref="TotalVariationUpper"/>).</summary>
    public double KullbackLeiblerUpper => Math.Min(APriori.KullbackLeibler, APosteriori.KullbackLeiblerUpper);
}

/// <summary>Options of <see cref="LogitRankPipeline.LearnAndCertify"/>.</summary>
public sealed record CertificationOptions
{
    /// <summary>The hold-out sample count <c>n_h</c>.</summary>
    public int HoldoutSamples { get; init; } = 1000;

    /// <summary>The failure probability <c>δ</c> of each certificate.</summary>
    public double Delta { get; init; } = 0.05;

    /// <summary>The oracle accuracy <c>ξ</c> (0 for an exact oracle).</summary>
    public double OracleAccuracy { get; init; }
}

/// <summary>The result of <see cref="LogitRankPipeline.LearnAndCertify"/>.</summary>
/// <param name="Model">The learned model (holds no reference to the oracle).</param>
/// <param name="Report">The learning report.</param>
/// <param name="Certificate">The a priori and hold-out certificates.</param>
/// <param name="CertificationQueries">Queries paid by the hold-out certificate beyond those the learner had already paid.</param>
public sealed record CertifiedModel(LearnedModel Model, LearningReport Report, Certificate Certificate, long CertificationQueries);

/// <summary>
/// The one-call facade: learn a model from a logit oracle (<see cref="LogitRankLearner"/>), then certify it
/// (<see cref="APrioriCertificate.Build"/> and <see cref="HoldoutCertifier.Certify"/>). The step-wise types stay public.
/// </summary>
public static class LogitRankPipeline
{
    /// <summary>Learns from <paramref name="oracle"/> with <paramref name="schedule"/>, then certifies the result.</summary>
    /// <param name="oracle">The target's logit oracle. Answers are cached for the whole call, so the hold-out phase pays only for prefixes the learner never asked.</param>
    /// <param name="schedule">The learning schedule (<see cref="TheorySchedule"/> or <see cref="PracticalSchedule"/>).</param>
    /// <param name="options">Hold-out sample count, <c>δ</c> and oracle accuracy.</param>
    /// <param name="seed">The seed of the run; the hold-out sampling uses a stream derived from it (<c>seed ^ 0x5EED</c>), independent of the learner's.</param>
    /// <param name="progress">Learning progress, if wanted.</param>
    /// <param name="logger">A logger, if wanted.</param>
    /// <param name="cancellationToken">Cancels learning or certification.</param>
    public static CertifiedModel LearnAndCertify(ILogitOracle oracle, ILearningSchedule schedule, CertificationOptions options, int seed, IProgress<LearningProgress>? progress = null, ILogger? logger = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(oracle);
        ArgumentNullException.ThrowIfNull(schedule);
        ArgumentNullException.ThrowIfNull(options);
        var holdout = new HoldoutOptions { Samples = options.HoldoutSamples, Delta = options.Delta, Seed = seed ^ 0x5EED, OracleAccuracy = options.OracleAccuracy };
        holdout.Validate();

        var paid = new CountingOracle(oracle);
        var shared = new CachingOracle(paid);
        var learned = new LogitRankLearner().Learn(shared, schedule, seed, progress, logger, cancellationToken);
        var learnerPaid = paid.Counts.Total;
        var aPriori = APrioriCertificate.Build(learned.Model, learned.Report, schedule, options.Delta, options.OracleAccuracy);
        var aPosteriori = HoldoutCertifier.Certify(shared, learned.Model, learned.Model.LogitBound, holdout, cancellationToken);
        return new CertifiedModel(learned.Model, learned.Report, new Certificate(aPriori, aPosteriori), paid.Counts.Total - learnerPaid);
    }
}
