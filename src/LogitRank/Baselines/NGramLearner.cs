using LogitRank.Models;
using LogitRank.Numerics;
using LogitRank.Sequences;

namespace LogitRank.Baselines;

/// <summary>The smoothing of an <see cref="NGramLearner"/>.</summary>
public enum NGramSmoothing
{
    /// <summary>
    /// Additive (Lidstone; Laplace when <c>λ = 1</c>): <c>p(a | ctx) = (C(ctx, a) + λ) / (C(ctx) + kλ)</c>, uniform for an
    /// unseen context.
    /// </summary>
    Additive,

    /// <summary>
    /// Interpolated absolute discounting, the "Kneser–Ney-lite" recursion without continuation counts:
    /// <c>p_j(a) = max(C_j(a) - D, 0)/N_j + D·n_j/N_j · p_{j-1}(a)</c> over context lengths <c>j = 0..n-1</c>
    /// (<c>N_j</c> the context count, <c>n_j</c> the number of distinct next tokens seen), <c>p_{-1}</c> uniform, and
    /// <c>p_j = p_{j-1}</c> for an unseen context.
    /// </summary>
    AbsoluteDiscounting,
}

/// <summary>
/// The classical <c>n</c>-gram baseline from samples: the next-token distribution at <c>y_{1:t}</c> depends only on the
/// last <c>min(n-1, t)</c> tokens (and on the position <c>t</c> when <see cref="PositionAware"/>), estimated by counting
/// in the samples and smoothed as <see cref="Smoothing"/> says. With order <c>n = T</c> and position awareness it is the
/// smoothed empirical tabulation of the sample distribution, so it converges to any target as the samples grow; with
/// smaller <c>n</c> it is biased on targets with longer memory (noisy parity, ISANs).
/// </summary>
/// <remarks>Sources: Chen and Goodman, <i>An Empirical Study of Smoothing Techniques for Language Modeling</i> (1999)
/// for additive smoothing and interpolated absolute discounting; Kneser and Ney (1995) for the continuation counts that
/// the "lite" variant omits. See <c>proofs-notes/baselines.md</c>. Every probability is positive (<c>λ &gt; 0</c>,
/// <c>D &gt; 0</c>).</remarks>
public sealed class NGramLearner : ISampleLearner
{
    /// <summary>Creates the learner.</summary>
    /// <param name="order">The order <c>n &gt;= 1</c> (context of <c>n - 1</c> tokens).</param>
    /// <param name="smoothing">The smoothing method.</param>
    /// <param name="strength">The additive pseudo-count <c>λ &gt; 0</c>, or the discount <c>D ∈ (0, 1]</c>.</param>
    /// <param name="positionAware">Whether contexts are also keyed by the position <c>t</c>.</param>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is outside its range; the message names it.</exception>
    public NGramLearner(int order, NGramSmoothing smoothing = NGramSmoothing.AbsoluteDiscounting, double strength = 0.75, bool positionAware = true)
    {
        if (order < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(order), order, $"Expected an n-gram order n >= 1; got {order}.");
        }

        if (!Enum.IsDefined(smoothing))
        {
            throw new ArgumentOutOfRangeException(nameof(smoothing), smoothing, "Expected a defined NGramSmoothing value.");
        }

        var valid = smoothing == NGramSmoothing.Additive ? strength > 0 && double.IsFinite(strength) : strength > 0 && strength <= 1;
        if (!valid)
        {
            throw new ArgumentOutOfRangeException(nameof(strength), strength, smoothing == NGramSmoothing.Additive
                ? $"Expected an additive pseudo-count λ > 0 (finite); got {strength}."
                : $"Expected a discount D in (0, 1]; got {strength}.");
        }

        Order = order;
        Smoothing = smoothing;
        Strength = strength;
        PositionAware = positionAware;
    }

    /// <inheritdoc/>
    public string Name => $"{Order}-gram";

    /// <summary>The order <c>n</c>: contexts of <c>n - 1</c> tokens.</summary>
    public int Order { get; }

    /// <summary>The smoothing method.</summary>
    public NGramSmoothing Smoothing { get; }

    /// <summary>The additive pseudo-count <c>λ</c> or the discount <c>D</c>.</summary>
    public double Strength { get; }

    /// <summary>Whether the counts are kept separately for every position <c>t</c>.</summary>
    public bool PositionAware { get; }

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">No samples, or a sample of the wrong length or with a token outside the alphabet.</exception>
    public ISequenceModel Learn(int alphabetSize, int horizon, IReadOnlyList<Prefix> samples)
    {
        BaselineValidation.CheckSamples(alphabetSize, horizon, samples);
        var counts = new Dictionary<(int Position, Prefix Context), long[]>();
        foreach (var y in samples)
        {
            for (var t = 0; t < horizon; t++)
            {
                var longest = Math.Min(Order - 1, t);
                var shortest = Smoothing == NGramSmoothing.Additive ? longest : 0;
                for (var j = shortest; j <= longest; j++)
                {
                    var key = (PositionAware ? t : -1, y.Slice(t - j, j));
                    if (!counts.TryGetValue(key, out var row))
                    {
                        row = new long[alphabetSize];
                        counts[key] = row;
                    }

                    row[y[t]]++;
                }
            }
        }

        return new NGramModel(alphabetSize, horizon, this, counts);
    }

    private sealed class NGramModel(int alphabetSize, int horizon, NGramLearner learner, Dictionary<(int Position, Prefix Context), long[]> counts)
        : SequenceModel(alphabetSize, horizon)
    {
        protected override LogitVector ComputeLogits(Prefix prefix)
        {
            var t = prefix.Length;
            var position = learner.PositionAware ? t : -1;
            var k = AlphabetSize;
            var longest = Math.Min(learner.Order - 1, t);
            var p = new double[k];
            if (learner.Smoothing == NGramSmoothing.Additive)
            {
                var lambda = learner.Strength;
                counts.TryGetValue((position, prefix.Slice(t - longest, longest)), out var row);
                var total = row?.Sum() ?? 0;
                for (var a = 0; a < k; a++)
                {
                    p[a] = ((row?[a] ?? 0) + lambda) / (total + (k * lambda));
                }

                return LogitVector.FromProbabilities(p);
            }

            Array.Fill(p, 1.0 / k);
            var discount = learner.Strength;
            for (var j = 0; j <= longest; j++)
            {
                if (!counts.TryGetValue((position, prefix.Slice(t - j, j)), out var row))
                {
                    continue;
                }

                double total = row.Sum();
                var seen = row.Count(c => c > 0);
                var backoff = discount * seen / total;
                for (var a = 0; a < k; a++)
                {
                    p[a] = (Math.Max(row[a] - discount, 0) / total) + (backoff * p[a]);
                }
            }

            return LogitVector.FromProbabilities(p);
        }
    }
}
