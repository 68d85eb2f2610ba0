using System.Globalization;
using LogitRank.Sequences;

namespace LogitRank.Models;

/// <summary>Convenience operations on any <see cref="ISequenceModel"/>.</summary>
public static class SequenceModelExtensions
{
    /// <summary>
    /// Draws <paramref name="count"/> independent complete sequences <c>y ∈ Σ^T</c> with one <c>new Random(seed)</c>
    /// shared by all draws (in order), so the list is a function of the model and the seed.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="model"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative.</exception>
    public static IReadOnlyList<Prefix> SampleMany(this ISequenceModel model, int count, int seed)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (count < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, string.Create(CultureInfo.InvariantCulture, $"Expected a sample count >= 0; got {count}."));
        }

        var random = new Random(seed);
        var samples = new Prefix[count];
        for (var i = 0; i < count; i++)
        {
            samples[i] = model.Sample(random);
        }

        return samples;
    }

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
