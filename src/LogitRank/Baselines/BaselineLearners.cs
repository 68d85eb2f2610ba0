using LogitRank.Models;
using LogitRank.Oracles;
using LogitRank.Sequences;

namespace LogitRank.Baselines;

/// <summary>
/// A baseline that learns from logit queries (its budget is counted in queries, one query = one prefix answered with
/// its <c>k</c> centered logits; wrap the oracle in a <see cref="CountingOracle"/> to count them).
/// </summary>
public interface IQueryLearner
{
    /// <summary>A short display name (used in experiment tables).</summary>
    string Name { get; }

    /// <summary>Learns a model of the oracle's distribution on <c>Σ^T</c>.</summary>
    /// <param name="oracle">The logit oracle of the target.</param>
    /// <param name="seed">The seed of every random choice the learner makes.</param>
    /// <param name="cancellationToken">Cancels between oracle batches.</param>
    /// <returns>A proper model on the oracle's <c>(k, T)</c>; it holds no reference to the oracle.</returns>
    ISequenceModel Learn(ILogitOracle oracle, int seed, CancellationToken cancellationToken = default);
}

/// <summary>
/// A baseline that learns from complete samples <c>y ∈ Σ^T</c> drawn i.i.d. from the target (its budget is counted in
/// samples). Given the samples it is deterministic.
/// </summary>
public interface ISampleLearner
{
    /// <summary>A short display name (used in experiment tables).</summary>
    string Name { get; }

    /// <summary>Learns a model on <c>Σ^T</c> from the samples.</summary>
    /// <param name="alphabetSize">The alphabet size <c>k &gt;= 2</c>.</param>
    /// <param name="horizon">The horizon <c>T &gt;= 1</c>.</param>
    /// <param name="samples">At least one sample, each of length exactly <c>T</c> with tokens in <c>0..k-1</c>.</param>
    /// <returns>A proper model on <c>(k, T)</c> with every next-token probability positive.</returns>
    ISequenceModel Learn(int alphabetSize, int horizon, IReadOnlyList<Prefix> samples);
}

/// <summary>Argument checks shared by the baselines.</summary>
internal static class BaselineValidation
{
    public static void CheckShape(int alphabetSize, int horizon)
    {
        SequenceGuard.AlphabetSize(alphabetSize);
        SequenceGuard.Horizon(horizon);
    }

    public static void CheckSamples(int alphabetSize, int horizon, IReadOnlyList<Prefix> samples)
    {
        CheckShape(alphabetSize, horizon);
        ArgumentNullException.ThrowIfNull(samples);
        if (samples.Count == 0)
        {
            throw new ArgumentException("Expected at least one sample; got none.", nameof(samples));
        }

        for (var i = 0; i < samples.Count; i++)
        {
            var y = samples[i] ?? throw new ArgumentException($"Sample {i} is null.", nameof(samples));
            if (y.Length != horizon)
            {
                throw new ArgumentException($"Sample {i} ({y}) has length {y.Length}; expected the horizon T = {horizon}.", nameof(samples));
            }

            for (var t = 0; t < y.Length; t++)
            {
                if ((uint)y[t] >= (uint)alphabetSize)
                {
                    throw new ArgumentException($"Token {y[t]} at position {t} of sample {i} ({y}) is outside the alphabet 0..{alphabetSize - 1}.", nameof(samples));
                }
            }
        }
    }
}
