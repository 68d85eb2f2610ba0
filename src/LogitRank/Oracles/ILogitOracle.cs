using LogitRank.Numerics;
using LogitRank.Sequences;

namespace LogitRank.Oracles;

/// <summary>The phase of the learner on whose behalf a query is made; the counting decorator tallies by phase.</summary>
public enum QueryPhase
{
    /// <summary>Not attributed to a phase.</summary>
    Other = 0,

    /// <summary>Autoregressive sampling of histories and validation paths from the target.</summary>
    Sampling,

    /// <summary>Rows of sampled histories on <c>F̃_s</c> for SPANNER.</summary>
    Spanner,

    /// <summary>Residual queries at basis histories followed by path tokens (witness search).</summary>
    Validation,

    /// <summary>Hold-out certification of a learned model.</summary>
    Certification,

    /// <summary>Logit-matrix analysis (spectra, rank).</summary>
    Analysis,
}

/// <summary>
/// A logit oracle for a model <c>M</c> over <c>Σ^T</c>: given prefixes <c>h</c> with <c>|h| &lt;= T-1</c>, returns
/// the centered next-token logits <c>ℓ_M(h)</c> (one query per prefix, <c>k</c> numbers each). An approximate
/// oracle returns vectors within <c>ξ</c> of them in every coordinate. Batch-first: implementations may answer
/// a batch concurrently.
/// </summary>
public interface ILogitOracle
{
    /// <summary>The alphabet size <c>k</c>.</summary>
    int AlphabetSize { get; }

    /// <summary>The horizon <c>T</c>; queried prefixes have length at most <c>T-1</c>.</summary>
    int Horizon { get; }

    /// <summary>Answers a batch: element <c>i</c> of the result is <c>ℓ_M(prefixes[i])</c>.</summary>
    /// <param name="prefixes">The prefixes to query, each of length at most <c>T-1</c>.</param>
    /// <param name="phase">The phase on whose behalf the queries are made (for counting).</param>
    /// <param name="cancellationToken">Cancels a long batch.</param>
    IReadOnlyList<LogitVector> Query(IReadOnlyList<Prefix> prefixes, QueryPhase phase = QueryPhase.Other, CancellationToken cancellationToken = default);
}
