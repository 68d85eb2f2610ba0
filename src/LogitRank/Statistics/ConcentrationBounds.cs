using System.Globalization;

namespace LogitRank.Statistics;

/// <summary>
/// Confidence bounds on the mean <c>μ = E[X]</c> of i.i.d. samples <c>X_1..X_n</c> with values in a known range
/// <c>[0, R]</c>: Hoeffding's inequality and the empirical Bernstein bound of Maurer and Pontil (2009, Theorem 4).
/// </summary>
/// <remarks>
/// <para>Every bound holds with probability at least <c>1-δ</c> over the draw of the samples. A one-sided bound spends
/// all of <c>δ</c> on one side; a two-sided interval spends <c>δ/2</c> on each side (union bound).</para>
/// <para>Because <c>μ ∈ [0, R]</c> is known, upper bounds are clipped to at most <c>R</c> and lower bounds to at least
/// <c>0</c>; clipping never makes a valid bound invalid. Proofs and references: <c>proofs-notes/concentration-bounds.md</c>.</para>
/// <para>Arguments are validated strictly: <c>δ ∈ (0, 1)</c>, <c>R &gt; 0</c> finite, every sample (and every mean) in
/// <c>[0, R]</c>, <c>n &gt;= 1</c> (Hoeffding) or <c>n &gt;= 2</c> (empirical Bernstein). A violation throws an
/// <see cref="ArgumentException"/> (or <see cref="ArgumentOutOfRangeException"/>) whose message names the bad value.</para>
/// </remarks>
public static class ConcentrationBounds
{
    /// <summary>
    /// Hoeffding's upper confidence bound: with probability at least <c>1-δ</c>,
    /// <c>E[X] &lt;= mean + R·sqrt(ln(1/δ) / (2n))</c>, clipped to at most <c>R</c>.
    /// </summary>
    /// <param name="mean">The sample mean, in <c>[0, R]</c>.</param>
    /// <param name="count">The number of samples <c>n &gt;= 1</c>.</param>
    /// <param name="range">The width <c>R &gt; 0</c> of the range <c>[0, R]</c> holding every sample.</param>
    /// <param name="delta">The failure probability <c>δ ∈ (0, 1)</c>.</param>
    public static double HoeffdingUpper(double mean, int count, double range, double delta)
    {
        ValidateHoeffding(mean, count, range, delta);
        return Math.Min(range, mean + HoeffdingRadius(count, range, Math.Log(1 / delta)));
    }

    /// <summary>
    /// Hoeffding's lower confidence bound: with probability at least <c>1-δ</c>,
    /// <c>E[X] &gt;= mean - R·sqrt(ln(1/δ) / (2n))</c>, clipped to at least <c>0</c>.
    /// </summary>
    /// <inheritdoc cref="HoeffdingUpper(double, int, double, double)"/>
    public static double HoeffdingLower(double mean, int count, double range, double delta)
    {
        ValidateHoeffding(mean, count, range, delta);
        return Math.Max(0, mean - HoeffdingRadius(count, range, Math.Log(1 / delta)));
    }

    /// <summary>
    /// Hoeffding's two-sided interval: with probability at least <c>1-δ</c>,
    /// <c>|E[X] - mean| &lt;= R·sqrt(ln(2/δ) / (2n))</c>; the ends are clipped to <c>[0, R]</c>.
    /// </summary>
    /// <inheritdoc cref="HoeffdingUpper(double, int, double, double)"/>
    public static MeanConfidenceInterval HoeffdingTwoSided(double mean, int count, double range, double delta)
    {
        ValidateHoeffding(mean, count, range, delta);
        var radius = HoeffdingRadius(count, range, Math.Log(2 / delta));
        return new MeanConfidenceInterval(Math.Max(0, mean - radius), Math.Min(range, mean + radius), delta);
    }

    /// <summary>Hoeffding's upper bound <see cref="HoeffdingUpper(double, int, double, double)"/> computed from the samples.</summary>
    /// <param name="values">The samples, each in <c>[0, R]</c>; at least one.</param>
    /// <param name="range">The width <c>R &gt; 0</c> of the range.</param>
    /// <param name="delta">The failure probability <c>δ ∈ (0, 1)</c>.</param>
    public static double HoeffdingUpper(IReadOnlyList<double> values, double range, double delta)
    {
        var mean = ValidatedMean(values, range, delta, minimumCount: 1);
        return HoeffdingUpper(mean, values.Count, range, delta);
    }

    /// <summary>Hoeffding's lower bound <see cref="HoeffdingLower(double, int, double, double)"/> computed from the samples.</summary>
    /// <inheritdoc cref="HoeffdingUpper(IReadOnlyList{double}, double, double)"/>
    public static double HoeffdingLower(IReadOnlyList<double> values, double range, double delta)
    {
        var mean = ValidatedMean(values, range, delta, minimumCount: 1);
        return HoeffdingLower(mean, values.Count, range, delta);
    }

    /// <summary>Hoeffding's two-sided interval <see cref="HoeffdingTwoSided(double, int, double, double)"/> computed from the samples.</summary>
    /// <inheritdoc cref="HoeffdingUpper(IReadOnlyList{double}, double, double)"/>
    public static MeanConfidenceInterval HoeffdingTwoSided(IReadOnlyList<double> values, double range, double delta)
    {
        var mean = ValidatedMean(values, range, delta, minimumCount: 1);
        return HoeffdingTwoSided(mean, values.Count, range, delta);
    }

    /// <summary>
    /// The empirical Bernstein upper confidence bound (Maurer and Pontil 2009, Theorem 4): with probability at least <c>1-δ</c>,
    /// <c>E[X] &lt;= mean + sqrt(2·V·ln(2/δ)/n) + 7·R·ln(2/δ)/(3(n-1))</c>, with <c>V</c> the sample variance (divisor <c>n-1</c>);
    /// clipped to at most <c>R</c>.
    /// </summary>
    /// <param name="values">The samples <c>X_1..X_n</c>, each in <c>[0, R]</c>; <c>n &gt;= 2</c>.</param>
    /// <param name="range">The width <c>R &gt; 0</c> of the range.</param>
    /// <param name="delta">The failure probability <c>δ ∈ (0, 1)</c>.</param>
    public static double EmpiricalBernsteinUpper(IReadOnlyList<double> values, double range, double delta)
    {
        var (mean, variance) = ValidatedMoments(values, range, delta);
        return Math.Min(range, mean + BernsteinRadius(values.Count, variance, range, Math.Log(2 / delta)));
    }

    /// <summary>
    /// The empirical Bernstein lower confidence bound (Theorem 4 applied to <c>R - X</c>): with probability at least <c>1-δ</c>,
    /// <c>E[X] &gt;= mean - sqrt(2·V·ln(2/δ)/n) - 7·R·ln(2/δ)/(3(n-1))</c>; clipped to at least <c>0</c>.
    /// </summary>
    /// <inheritdoc cref="EmpiricalBernsteinUpper(IReadOnlyList{double}, double, double)"/>
    public static double EmpiricalBernsteinLower(IReadOnlyList<double> values, double range, double delta)
    {
        var (mean, variance) = ValidatedMoments(values, range, delta);
        return Math.Max(0, mean - BernsteinRadius(values.Count, variance, range, Math.Log(2 / delta)));
    }

    /// <summary>
    /// The two-sided empirical Bernstein interval: the upper and lower bounds each at level <c>δ/2</c>, i.e. radius
    /// <c>sqrt(2·V·ln(4/δ)/n) + 7·R·ln(4/δ)/(3(n-1))</c>; with probability at least <c>1-δ</c> it holds <c>E[X]</c>.
    /// The ends are clipped to <c>[0, R]</c>.
    /// </summary>
    /// <inheritdoc cref="EmpiricalBernsteinUpper(IReadOnlyList{double}, double, double)"/>
    public static MeanConfidenceInterval EmpiricalBernsteinTwoSided(IReadOnlyList<double> values, double range, double delta)
    {
        var (mean, variance) = ValidatedMoments(values, range, delta);
        var radius = BernsteinRadius(values.Count, variance, range, Math.Log(4 / delta));
        return new MeanConfidenceInterval(Math.Max(0, mean - radius), Math.Min(range, mean + radius), delta);
    }

    /// <summary>The sample variance with divisor <c>n-1</c> (<c>n &gt;= 2</c>), computed with a two-pass algorithm.</summary>
    /// <exception cref="ArgumentException">Fewer than two values.</exception>
    public static double SampleVariance(IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count < 2)
        {
            throw new ArgumentException($"The sample variance needs n >= 2 values; got n = {values.Count}.", nameof(values));
        }

        var mean = Mean(values);
        var sum = 0.0;
        foreach (var v in values)
        {
            sum += (v - mean) * (v - mean);
        }

        return sum / (values.Count - 1);
    }

    private static double HoeffdingRadius(int count, double range, double logTerm) => range * Math.Sqrt(logTerm / (2.0 * count));

    private static double BernsteinRadius(int count, double variance, double range, double logTerm) =>
        Math.Sqrt(2 * variance * logTerm / count) + (7 * range * logTerm / (3.0 * (count - 1)));

    private static (double Mean, double Variance) ValidatedMoments(IReadOnlyList<double> values, double range, double delta)
    {
        var mean = ValidatedMean(values, range, delta, minimumCount: 2);
        return (mean, SampleVariance(values));
    }

    private static double ValidatedMean(IReadOnlyList<double> values, double range, double delta, int minimumCount)
    {
        ArgumentNullException.ThrowIfNull(values);
        ValidateRangeAndDelta(range, delta);
        if (values.Count < minimumCount)
        {
            throw new ArgumentException($"Expected at least n = {minimumCount} sample(s); got n = {values.Count}.", nameof(values));
        }

        for (var i = 0; i < values.Count; i++)
        {
            if (!(values[i] >= 0 && values[i] <= range))
            {
                throw new ArgumentOutOfRangeException(nameof(values), values[i], string.Create(CultureInfo.InvariantCulture, $"Sample {i} is {values[i]:R}; every sample must lie in the range [0, {range:R}]."));
            }
        }

        return Math.Clamp(Mean(values), 0, range);
    }

    private static void ValidateHoeffding(double mean, int count, double range, double delta)
    {
        ValidateRangeAndDelta(range, delta);
        if (count < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, "Expected a sample count n >= 1.");
        }

        if (!(mean >= 0 && mean <= range))
        {
            throw new ArgumentOutOfRangeException(nameof(mean), mean, string.Create(CultureInfo.InvariantCulture, $"The sample mean {mean:R} must lie in the range [0, {range:R}]."));
        }
    }

    private static void ValidateRangeAndDelta(double range, double delta)
    {
        if (!(range > 0) || !double.IsFinite(range))
        {
            throw new ArgumentOutOfRangeException(nameof(range), range, "Expected a positive, finite range R.");
        }

        if (!(delta > 0 && delta < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(delta), delta, "Expected a failure probability δ in the open interval (0, 1).");
        }
    }

    private static double Mean(IReadOnlyList<double> values)
    {
        var sum = 0.0;
        foreach (var v in values)
        {
            sum += v;
        }

        return sum / values.Count;
    }
}
