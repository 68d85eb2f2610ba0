using System.Diagnostics;
using LogitRank.Baselines;
using LogitRank.Oracles;

namespace LogitRank.Experiments;

/// <summary>One least-squares run: the history sample count <c>N</c>, its result, the queries it paid and its wall time.</summary>
internal sealed record LeastSquaresRung(int N, LeastSquaresResult Result, long Queries, TimeSpan Wall);

/// <summary>Baseline runs shared by the equal-budget experiments and the frontier report.</summary>
internal static class BaselineRuns
{
    /// <summary>The largest history sample count tried.</summary>
    public const int MaxHistorySamples = 1 << 16;

    /// <summary>
    /// Least squares (seed 1) with <c>N = 1, 2, 4, ...</c> history samples until a run pays more than
    /// <paramref name="queryLimit"/> queries (that run is not kept), the internal cache saturates (the same query count
    /// twice: every prefix the sampler can reach is already known, more samples change nothing), <c>N</c> passes
    /// <see cref="MaxHistorySamples"/>, or <paramref name="cancellationToken"/> is cancelled (the rungs so far are kept).
    /// </summary>
    /// <param name="oracle">The target's oracle; each rung counts its queries on a fresh <see cref="CountingOracle"/> over it.</param>
    /// <param name="queryLimit">The largest query count kept.</param>
    /// <param name="cancellationToken">Stops the ladder (a per-target wall-time cap).</param>
    /// <param name="stopReason">Why the ladder ended.</param>
    public static IReadOnlyList<LeastSquaresRung> LeastSquaresLadder(ILogitOracle oracle, long queryLimit, CancellationToken cancellationToken, out string stopReason)
    {
        var rungs = new List<LeastSquaresRung>();
        stopReason = $"N reached {MaxHistorySamples}";
        for (var n = 1; n <= MaxHistorySamples; n *= 2)
        {
            var counting = new CountingOracle(oracle);
            var sw = Stopwatch.StartNew();
            LeastSquaresResult result;
            try
            {
                result = new LeastSquaresLearner(historySamples: n).Learn(counting, seed: 1, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                stopReason = $"wall-time cap reached while running N={n}";
                break;
            }

            sw.Stop();
            if (counting.Counts.Total > queryLimit)
            {
                stopReason = $"N={n} pays {Fmt.Int(counting.Counts.Total)} queries > {Fmt.Int(queryLimit)}";
                break;
            }

            var saturated = rungs.Count > 0 && counting.Counts.Total == rungs[^1].Queries;
            rungs.Add(new LeastSquaresRung(n, result, counting.Counts.Total, sw.Elapsed));
            if (saturated)
            {
                stopReason = $"saturated at N={n} (the sampler reaches no new prefix)";
                break;
            }
        }

        return rungs;
    }

    /// <summary>The largest-<c>N</c> least-squares run whose query count stays within <paramref name="budget"/> (seed 1), or nothing.</summary>
    public static (LeastSquaresResult? Result, long Queries, int N, TimeSpan Wall) LeastSquaresWithin(Models.ISequenceModel model, long budget)
    {
        var rungs = LeastSquaresLadder(new ModelOracle(model), budget, CancellationToken.None, out _);
        return rungs.Count == 0 ? (null, 0, 0, TimeSpan.Zero) : (rungs[^1].Result, rungs[^1].Queries, rungs[^1].N, rungs[^1].Wall);
    }
}
