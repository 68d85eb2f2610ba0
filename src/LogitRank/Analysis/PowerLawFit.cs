using LogitRank.Numerics;

namespace LogitRank.Analysis;

/// <summary>
/// A least-squares fit of <c>log σ_i = log C - a·log i</c> over the 1-based index range <c>First..Last</c>,
/// i.e. <c>σ_i ≈ C·i^{-a}</c>.
/// </summary>
/// <param name="Exponent">The decay exponent <c>a</c> (minus the fitted slope).</param>
/// <param name="Constant">The constant <c>C</c> (exp of the fitted intercept).</param>
/// <param name="RSquared">The coefficient of determination of the fit in log–log space; 1 when the log values are equal up to rounding.</param>
/// <param name="First">The first 1-based index used.</param>
/// <param name="Last">The last 1-based index used (inclusive).</param>
public sealed record PowerLawFit(double Exponent, double Constant, double RSquared, int First, int Last)
{
    /// <summary>Fits <c>σ_i ≈ C·i^{-a}</c> to <c>σ_first..σ_last</c> (1-based, inclusive).</summary>
    /// <param name="singularValues">Values <c>σ_1, σ_2, ...</c> (index 0 holds <c>σ_1</c>); those in range must be positive and finite.</param>
    /// <param name="first">The first index, <c>&gt;= 1</c>; 1 by default.</param>
    /// <param name="last">The last index, <c>&lt;= p</c>; <see langword="null"/> for <c>p</c>, the number of values.</param>
    /// <exception cref="ArgumentException">Fewer than two indices, an index out of range, or a value in range that is not positive and finite.</exception>
    public static PowerLawFit Fit(IReadOnlyList<double> singularValues, int first = 1, int? last = null)
    {
        ArgumentNullException.ThrowIfNull(singularValues);
        var end = last ?? singularValues.Count;
        if (first < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(first), first, "Expected a 1-based first index >= 1.");
        }

        if (end > singularValues.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(last), end, $"Expected a last index <= {singularValues.Count}, the number of values.");
        }

        if (end - first < 1)
        {
            throw new ArgumentException($"A power-law fit needs at least two indices; got the range {first}..{end}.", nameof(singularValues));
        }

        var count = end - first + 1;
        var xs = new double[count];
        var ys = new double[count];
        for (var i = first; i <= end; i++)
        {
            var v = singularValues[i - 1];
            if (!(v > 0) || !double.IsFinite(v))
            {
                throw new ArgumentException($"σ_{i} = {v}; a power-law fit needs positive, finite values in the range {first}..{end}.", nameof(singularValues));
            }

            xs[i - first] = Math.Log(i);
            ys[i - first] = Math.Log(v);
        }

        var mx = xs.Average();
        var my = ys.Average();
        double sxx = 0, sxy = 0, syy = 0;
        for (var i = 0; i < count; i++)
        {
            var dx = xs[i] - mx;
            var dy = ys[i] - my;
            sxx += dx * dx;
            sxy += dx * dy;
            syy += dy * dy;
        }

        var slope = sxy / sxx; // sxx > 0: at least two distinct indices
        var intercept = my - (slope * mx);
        var residual = 0.0;
        for (var i = 0; i < count; i++)
        {
            var e = ys[i] - (intercept + (slope * xs[i]));
            residual += e * e;
        }

        // Log values that are equal up to rounding (spread below a few ulps of the largest) are a constant law: R² = 1.
        var roundingLevel = 8 * Tolerances.MachineEpsilon * Math.Max(ys.Max(Math.Abs), 1.0);
        var r2 = syy <= count * roundingLevel * roundingLevel ? 1.0 : Math.Max(0.0, 1.0 - (residual / syy));
        return new PowerLawFit(-slope, Math.Exp(intercept), r2, first, end);
    }
}
