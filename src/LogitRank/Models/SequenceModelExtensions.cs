using System.Globalization;
using LogitRank.Sequences;

namespace LogitRank.Models;

/// <summary>Convenience operations on any <see cref="ISequenceModel"/>.</summary>
public static class SequenceModelExtensions
{
    /// <summary>
    /// Draws <paramref name="count"/> independent complete sequences <c>y ∈ Σ^T</c> with one <c>new Random(seed)</c>
    /// shared by all draws (in order), so the list is a function of the model and the seed; on all cores where the model
    /// allows it (see <see cref="SampleMany(ISequenceModel, int, int, int)"/>).
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="model"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative.</exception>
    public static IReadOnlyList<Prefix> SampleMany(this ISequenceModel model, int count, int seed) =>
        SampleMany(model, count, seed, Environment.ProcessorCount);

    /// <summary>
    /// Draws <paramref name="count"/> sequences as <see cref="SampleMany(ISequenceModel, int, int)"/> does, on at most
    /// <paramref name="degreeOfParallelism"/> threads. The sequences are those of <paramref name="count"/> successive calls
    /// of <see cref="ISequenceModel.Sample"/> with one <c>new Random(seed)</c>, whatever the degree of parallelism: for a
    /// <see cref="SequenceModel"/> that samples by its inverse-CDF rule (one uniform per token; every model of this library
    /// but the baselines' own generators), the uniforms of a chunk of sequences are drawn from the one generator in order
    /// and the sequences of the chunk are then sampled in parallel; any other model is sampled sequentially.
    /// </summary>
    /// <param name="model">The model (thread-safe for evaluation, as every model of this library is).</param>
    /// <param name="count">The number of sequences, at least 0.</param>
    /// <param name="seed">The seed of the one <see cref="Random"/>.</param>
    /// <param name="degreeOfParallelism">The largest number of threads, at least 1.</param>
    /// <exception cref="ArgumentNullException"><paramref name="model"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative or <paramref name="degreeOfParallelism"/> below 1.</exception>
    public static IReadOnlyList<Prefix> SampleMany(this ISequenceModel model, int count, int seed, int degreeOfParallelism)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (count < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, string.Create(CultureInfo.InvariantCulture, $"Expected a sample count >= 0; got {count}."));
        }

        if (degreeOfParallelism < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(degreeOfParallelism), degreeOfParallelism, string.Create(CultureInfo.InvariantCulture, $"Expected a degree of parallelism >= 1; got {degreeOfParallelism}."));
        }

        return [.. SampleStream(model, count, seed, degreeOfParallelism)];
    }

    /// <summary>
    /// The sequences of <see cref="SampleMany(ISequenceModel, int, int, int)"/>, produced lazily in chunks (so a reader
    /// can stop early, and memory holds one chunk), checking <paramref name="cancellationToken"/> between chunks.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="model"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative or <paramref name="degreeOfParallelism"/> below 1.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public static IEnumerable<Prefix> SampleStream(this ISequenceModel model, int count, int seed, int degreeOfParallelism, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfLessThan(degreeOfParallelism, 1);
        return Stream(model, count, seed, degreeOfParallelism, cancellationToken);

        static IEnumerable<Prefix> Stream(ISequenceModel model, int count, int seed, int degreeOfParallelism, CancellationToken cancellationToken)
        {
            var random = new Random(seed);
            if (degreeOfParallelism == 1 || model is not SequenceModel { SamplesByInverseCdf: true } inverseCdf)
            {
                for (var i = 0; i < count; i++)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    yield return model.Sample(random);
                }

                yield break;
            }

            var horizon = model.Horizon;
            var chunk = Math.Max(64, SampleChunkTokens / Math.Max(1, horizon));
            var uniforms = new double[chunk * horizon];
            var drawn = new Prefix[chunk];
            var options = new ParallelOptions { MaxDegreeOfParallelism = degreeOfParallelism, CancellationToken = cancellationToken };
            for (var done = 0; done < count; done += chunk)
            {
                var size = Math.Min(chunk, count - done);
                for (var u = 0; u < size * horizon; u++)
                {
                    uniforms[u] = random.NextDouble();
                }

                Parallel.For(0, size, options, i => drawn[i] = inverseCdf.SampleFromUniforms(uniforms.AsSpan(i * horizon, horizon)));
                for (var i = 0; i < size; i++)
                {
                    yield return drawn[i];
                }
            }
        }
    }

    /// <summary>The number of tokens (uniforms) one chunk of <see cref="SampleStream"/> draws at a time.</summary>
    private const int SampleChunkTokens = 1 << 16;

    /// <summary>The next-token distribution <c>M(·|h) = softmax(ℓ_M(h))</c>: <c>k</c> positive numbers summing to 1.</summary>
    /// <exception cref="ArgumentException">The prefix is longer than <c>T-1</c> or holds a token outside the alphabet (from the model).</exception>
    public static double[] NextTokenProbabilities(this ISequenceModel model, Prefix prefix)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(prefix);
        return model.NextTokenLogits(prefix).Probabilities();
    }

    /// <summary>
    /// <c>M(y_1..y_t) = exp(log M(y_1..y_t))</c>: the probability that a sample starts with <paramref name="sequence"/>
    /// (<c>t &lt;= T</c>); for <c>t = T</c> the probability of the sequence itself.
    /// </summary>
    public static double Probability(this ISequenceModel model, Prefix sequence)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(sequence);
        return Math.Exp(model.LogProbability(sequence));
    }
}
