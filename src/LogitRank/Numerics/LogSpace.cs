namespace LogitRank.Numerics;

/// <summary>
/// Numerically stable operations in log space: log-sum-exp, centering, softmax and log-softmax.
/// </summary>
/// <remarks>
/// <para><c>logsumexp(x) = m + log Σ_i exp(x_i - m)</c> with <c>m = max_i x_i</c>, which never overflows
/// and loses no precision when one term dominates.</para>
/// <para><c>center(x)_i = x_i - (1/k) Σ_j x_j</c>. Centering is invariant to adding a constant, and
/// <c>softmax(center(x)) = softmax(x)</c>.</para>
/// </remarks>
public static class LogSpace
{
    /// <summary><c>log Σ_i exp(x_i)</c>, computed stably.</summary>
    /// <exception cref="ArgumentException"><paramref name="values"/> is empty.</exception>
    public static double LogSumExp(ReadOnlySpan<double> values)
    {
        if (values.IsEmpty)
        {
            throw new ArgumentException("log-sum-exp of an empty vector is undefined.", nameof(values));
        }

        var max = double.NegativeInfinity;
        foreach (var v in values)
        {
            if (v > max || double.IsNaN(v))
            {
                max = v;
            }
        }

        if (double.IsNaN(max) || double.IsPositiveInfinity(max))
        {
            return max;
        }

        if (double.IsNegativeInfinity(max))
        {
            return double.NegativeInfinity;
        }

        var sum = 0.0;
        foreach (var v in values)
        {
            sum += Math.Exp(v - max);
        }

        return max + Math.Log(sum);
    }

    /// <summary>Writes <c>center(x)</c> into <paramref name="destination"/>.</summary>
    public static void Center(ReadOnlySpan<double> values, Span<double> destination)
    {
        if (destination.Length != values.Length)
        {
            throw new ArgumentException($"Destination length {destination.Length} differs from source length {values.Length}.", nameof(destination));
        }

        var mean = Mean(values);
        for (var i = 0; i < values.Length; i++)
        {
            destination[i] = values[i] - mean;
        }
    }

    /// <summary>Returns <c>center(x)</c> as a new array.</summary>
    public static double[] Center(ReadOnlySpan<double> values)
    {
        var result = new double[values.Length];
        Center(values, result);
        return result;
    }

    /// <summary>Writes <c>log softmax(x)_i = x_i - logsumexp(x)</c> into <paramref name="destination"/>.</summary>
    public static void LogSoftmax(ReadOnlySpan<double> values, Span<double> destination)
    {
        if (destination.Length != values.Length)
        {
            throw new ArgumentException($"Destination length {destination.Length} differs from source length {values.Length}.", nameof(destination));
        }

        var lse = LogSumExp(values);
        for (var i = 0; i < values.Length; i++)
        {
            destination[i] = values[i] - lse;
        }
    }

    /// <summary>Returns <c>log softmax(x)</c> as a new array.</summary>
    public static double[] LogSoftmax(ReadOnlySpan<double> values)
    {
        var result = new double[values.Length];
        LogSoftmax(values, result);
        return result;
    }

    /// <summary>Writes <c>softmax(x)_i = exp(x_i - logsumexp(x))</c> into <paramref name="destination"/>.</summary>
    public static void Softmax(ReadOnlySpan<double> values, Span<double> destination)
    {
        LogSoftmax(values, destination);
        for (var i = 0; i < destination.Length; i++)
        {
            destination[i] = Math.Exp(destination[i]);
        }
    }

    /// <summary>Returns <c>softmax(x)</c> as a new array.</summary>
    public static double[] Softmax(ReadOnlySpan<double> values)
    {
        var result = new double[values.Length];
        Softmax(values, result);
        return result;
    }

    /// <summary>The arithmetic mean, summed with Neumaier compensation so that centered vectors sum to 0 within a few ulps.</summary>
    internal static double Mean(ReadOnlySpan<double> values)
    {
        if (values.IsEmpty)
        {
            throw new ArgumentException("The mean of an empty vector is undefined.", nameof(values));
        }

        double sum = 0, compensation = 0;
        foreach (var v in values)
        {
            var t = sum + v;
            compensation += Math.Abs(sum) >= Math.Abs(v) ? (sum - t) + v : (v - t) + sum;
            sum = t;
        }

        return (sum + compensation) / values.Length;
    }
}
