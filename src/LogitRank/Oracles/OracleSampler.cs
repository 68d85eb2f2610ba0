using LogitRank.Sequences;

namespace LogitRank.Oracles;

/// <summary>Autoregressive sampling from the model behind a logit oracle, batched one position at a time.</summary>
public static class OracleSampler
{
    /// <summary>
    /// Draws <paramref name="count"/> independent sequences of length <paramref name="length"/> from <c>M_{1:length}</c>:
    /// at step <c>t</c> all <paramref name="count"/> current prefixes are queried in one batch and each next token is drawn
    /// from <c>softmax(ℓ(prefix))</c> with one uniform from <paramref name="random"/> (sample-major order within a step).
    /// </summary>
    /// <param name="oracle">The oracle to sample from.</param>
    /// <param name="count">The number of sequences, <c>&gt;= 0</c>.</param>
    /// <param name="length">The length, in <c>0..T</c>.</param>
    /// <param name="random">The only source of randomness.</param>
    /// <param name="phase">The phase to which the queries are attributed.</param>
    /// <param name="cancellationToken">Cancels between steps.</param>
    public static IReadOnlyList<Prefix> Sample(ILogitOracle oracle, int count, int length, Random random, QueryPhase phase = QueryPhase.Sampling, CancellationToken cancellationToken = default) =>
        throw new NotImplementedException("Lands with the oracles work item.");
}
