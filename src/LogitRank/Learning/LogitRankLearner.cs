using LogitRank.Numerics;
using LogitRank.Oracles;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace LogitRank.Learning;

/// <summary>
/// The learner of ALGORITHM.md section 3 (Algorithm 1 of Golowich–Liu–Shetty, arXiv:2512.09892): epochs of SPANNER at
/// every cut, validation samples, RECONSTRUCT and witness search, until every residual is at most <c>g</c> or the epoch
/// budget runs out. Cuts are 0-based (see <see cref="FutureSets"/>).
/// </summary>
/// <remarks>
/// <para><b>Phases.</b> <see cref="EpochLoop"/> runs the epochs; each epoch is a <see cref="SpannerPhase"/>, the validation
/// samples and a <see cref="ValidationPhase"/>, which runs the <see cref="WitnessSearch"/> on every sample.</para>
/// <para><b>Oracle composition.</b> The user's oracle is wrapped once, in the run's <see cref="PhaseCountingCache"/>
/// (<c>Caching(Counting(oracle))</c>, or <c>Caching(Budgeted(Counting(oracle), budget))</c> while the learner runs when
/// the schedule has a query budget), which every phase queries: every distinct prefix is paid once and charged to the
/// <see cref="QueryPhase"/> that first asked for it; repeated questions (a spanner row entry that a sample path already
/// visited, a validation query at a stored row) are free. A batch that would exceed the budget throws
/// <see cref="QueryBudgetExceededException"/> (with the counts so far) before reaching the oracle.
/// <c>LogitRankPipeline.LearnAndCertify</c> creates that cache once for learning and certification together.</para>
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
        return LearnThrough(new PhaseCountingCache(oracle), schedule, seed, progress, logger, cancellationToken);
    }

    /// <summary>
    /// Learns through the run's cache <paramref name="oracle"/>, created once by the caller and shared with later phases
    /// (the certifier); the report counts the queries paid through it during this call, and the schedule's budget limits them.
    /// </summary>
    /// <inheritdoc cref="Learn(ILogitOracle, ILearningSchedule, int, IProgress{LearningProgress}?, ILogger?, CancellationToken)"/>
    internal LearningResult LearnThrough(PhaseCountingCache oracle, ILearningSchedule schedule, int seed, IProgress<LearningProgress>? progress = null, ILogger? logger = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(oracle);
        ArgumentNullException.ThrowIfNull(schedule);
        cancellationToken.ThrowIfCancellationRequested();
        var k = oracle.AlphabetSize;
        var horizon = oracle.Horizon;
        if (k < 2 || horizon < 1)
        {
            throw new ArgumentException($"The oracle reports k = {k}, T = {horizon}; expected k >= 2 and T >= 1.", nameof(oracle));
        }

        if (schedule is TheorySchedule theory && (theory.Horizon != horizon || theory.AlphabetSize != k))
        {
            throw new ArgumentException($"The theory schedule was computed for T = {theory.Horizon}, k = {theory.AlphabetSize}; the oracle has T = {horizon}, k = {k}.", nameof(schedule));
        }

        using var budget = schedule.QueryBudget is { } limit ? oracle.LimitPaidQueries(limit) : null;
        return new EpochLoop(oracle, schedule, seed, _lpOptions, progress, logger ?? NullLogger.Instance, cancellationToken).Run();
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
}
