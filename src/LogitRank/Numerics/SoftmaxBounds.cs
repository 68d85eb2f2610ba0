namespace LogitRank.Numerics;

/// <summary>
/// Exact divergences between next-token distributions <c>p = softmax(u)</c>, <c>q = softmax(v)</c> and the per-step
/// inequalities of ALGORITHM.md section 2, in terms of the logit error <c>e = u - v</c> and its oscillation
/// <c>R = max_z e[z] - min_z e[z]</c>.
/// </summary>
/// <remarks>
/// <para>All divergences are in nats. Proofs: <c>proofs-notes/softmax-perturbation-bounds.md</c>. The bounds are</para>
/// <list type="bullet">
/// <item><c>TV(p, q) &lt;= tanh(R/4)</c> (tight for <c>k = 2</c>), which implies the specification's <c>TV &lt;= ||e||_∞</c>
/// because <c>R &lt;= 2||e||_∞</c> and <c>tanh(x) &lt;= x</c>;</item>
/// <item><c>KL(p||q) &lt;= B(R) = ln((e^R - 1)/R) + R/(e^R - 1) - 1</c> (tight for <c>k = 2</c>), and
/// <c>B(R) &lt;= min(R, R²/8)</c>, which implies the specification's <c>KL &lt;= max(e) - min(e)</c>.</item>
/// </list>
/// <para>The bounds depend only on <c>R</c>, which does not change when a constant is added to <c>u</c> or <c>v</c>.
/// Computed bounds are rounded outward by a relative <c>1e-14</c> (plus an absolute <c>1e-300</c>) so that double rounding in
/// their evaluation cannot make them smaller than the true bound.</para>
/// </remarks>
public static class SoftmaxBounds
{
    /// <summary>
    /// Below this oscillation the closed form of <c>B(R)</c> cancels (terms of size <c>R/2</c> cancel to <c>R²/8</c>) and
    /// the quadratic bound <c>R²/8</c>, then the smaller valid bound, is returned instead. Not a tolerance: both are
    /// upper bounds there.
    /// </summary>
    private const double QuadraticBelow = 1e-3;

    /// <summary>
    /// <c>KL(softmax(u) || softmax(v)) = Σ_z p_z (log p_z - log q_z)</c> in nats, computed from log-softmax values
    /// (no overflow for large logits); clipped below at 0.
    /// </summary>
    /// <exception cref="ArgumentException">The vectors have different lengths.</exception>
    public static double KullbackLeibler(LogitVector p, LogitVector q)
    {
        CheckPair(p, q);
        var lp = p.LogProbabilities();
        var lq = q.LogProbabilities();
        var sum = 0.0;
        for (var z = 0; z < lp.Length; z++)
        {
            sum += Math.Exp(lp[z]) * (lp[z] - lq[z]);
        }

        return Math.Max(0, sum);
    }

    /// <summary>
    /// <c>TV(softmax(u), softmax(v)) = ½ Σ_z |p_z - q_z|</c>, in <c>[0, 1]</c>.
    /// </summary>
    /// <exception cref="ArgumentException">The vectors have different lengths.</exception>
    public static double TotalVariation(LogitVector p, LogitVector q)
    {
        CheckPair(p, q);
        var pp = p.Probabilities();
        var qq = q.Probabilities();
        var sum = 0.0;
        for (var z = 0; z < pp.Length; z++)
        {
            sum += Math.Abs(pp[z] - qq[z]);
        }

        return Math.Clamp(0.5 * sum, 0, 1);
    }

    /// <summary>The oscillation <c>R = max_z e[z] - min_z e[z]</c> of the logit error <c>e = u - v</c>; <c>R &gt;= 0</c>.</summary>
    /// <exception cref="ArgumentException">The vectors have different lengths.</exception>
    public static double Oscillation(LogitVector u, LogitVector v)
    {
        ArgumentNullException.ThrowIfNull(u);
        ArgumentNullException.ThrowIfNull(v);
        CheckPair(u, v);
        double max = double.NegativeInfinity, min = double.PositiveInfinity;
        for (var z = 0; z < u.Length; z++)
        {
            var e = u[z] - v[z];
            max = Math.Max(max, e);
            min = Math.Min(min, e);
        }

        return max - min;
    }

    /// <summary>The bound <c>TV(softmax u, softmax v) &lt;= tanh(R/4)</c> with <c>R</c> the <see cref="Oscillation"/> of <c>u - v</c>.</summary>
    public static double TotalVariationBound(LogitVector u, LogitVector v) => TotalVariationBound(Oscillation(u, v));

    /// <summary>The bound <c>KL(softmax u || softmax v) &lt;= B(R)</c> with <c>R</c> the <see cref="Oscillation"/> of <c>u - v</c>.</summary>
    public static double KullbackLeiblerBound(LogitVector u, LogitVector v) => KullbackLeiblerBound(Oscillation(u, v));

    /// <summary>
    /// <c>tanh(R/4)</c>, clipped to at most 1: an upper bound on the total variation between two softmax distributions whose
    /// logit error has oscillation at most <paramref name="oscillation"/>. Monotone in <c>R</c>.
    /// </summary>
    /// <param name="oscillation">An upper bound <c>R &gt;= 0</c> on <c>max(e) - min(e)</c>; may be <c>+∞</c> (the bound is then 1).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="oscillation"/> is negative or NaN.</exception>
    public static double TotalVariationBound(double oscillation)
    {
        CheckNonNegative(oscillation, nameof(oscillation));
        return Math.Min(1, Outward(Math.Tanh(oscillation / 4)));
    }

    /// <summary>
    /// <c>B(R) = ln((e^R - 1)/R) + R/(e^R - 1) - 1</c> (with <c>B(0) = 0</c>), evaluated as <c>min(R, R²/8, B(R))</c> with
    /// outward rounding: an upper bound on <c>KL(softmax u || softmax v)</c> whenever <c>max(e) - min(e) &lt;= R</c>.
    /// Monotone in <c>R</c>; <c>B(R) ~ R²/8</c> as <c>R → 0</c> and <c>B(R) ~ R - ln R - 1</c> as <c>R → ∞</c>.
    /// </summary>
    /// <param name="oscillation">An upper bound <c>R &gt;= 0</c> on <c>max(e) - min(e)</c>; may be <c>+∞</c>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="oscillation"/> is negative or NaN.</exception>
    public static double KullbackLeiblerBound(double oscillation)
    {
        CheckNonNegative(oscillation, nameof(oscillation));
        var r = oscillation;
        if (r == 0 || double.IsPositiveInfinity(r))
        {
            return r;
        }

        // Near 0 the closed form cancels (terms of size R/2 cancel to R²/8); there R²/8 is the smaller, valid bound.
        var quadratic = Outward(r * r / 8);
        if (r < QuadraticBelow)
        {
            return quadratic;
        }

        double logRatio, inverseRatio;
        if (r <= 30)
        {
            var em1 = ExpMinusOne(r);
            logRatio = Math.Log(em1 / r);
            inverseRatio = r / em1;
        }
        else
        {
            // ln((e^R - 1)/R) = R + ln(1 - e^{-R}) - ln R; R/(e^R - 1) = R e^{-R} / (1 - e^{-R}).
            var emr = Math.Exp(-r);
            // ln(1 - x) = -x - x²/2 - O(x³) with x = e^{-R} < 1e-13: the cubic term is far below one ulp.
            logRatio = r - Math.Log(r) - emr - (0.5 * emr * emr);
            inverseRatio = r * emr / (1 - emr);
        }

        // Absolute rounding error of the sum is a few ulps of its largest term, max(1, R).
        var closedForm = logRatio + inverseRatio - 1 + (Tolerances.OutwardRelative * Math.Max(1, r));
        return Math.Min(Math.Min(r, quadratic), closedForm);
    }

    /// <summary>
    /// The total variation bound from a sup-norm bound <c>||u - v||_∞ &lt;= ε</c>: since <c>R &lt;= 2ε</c>, <c>TV &lt;= tanh(ε/2) &lt;= ε/2</c>.
    /// </summary>
    /// <param name="supNorm">An upper bound <c>ε &gt;= 0</c> on <c>max_z |u[z] - v[z]|</c>.</param>
    public static double TotalVariationBoundFromSupNorm(double supNorm)
    {
        CheckNonNegative(supNorm, nameof(supNorm));
        return TotalVariationBound(2 * supNorm);
    }

    /// <summary>
    /// The Kullback–Leibler bound from a sup-norm bound <c>||u - v||_∞ &lt;= ε</c>: since <c>R &lt;= 2ε</c>,
    /// <c>KL &lt;= B(2ε) &lt;= min(2ε, ε²/2)</c>.
    /// </summary>
    /// <param name="supNorm">An upper bound <c>ε &gt;= 0</c> on <c>max_z |u[z] - v[z]|</c>.</param>
    public static double KullbackLeiblerBoundFromSupNorm(double supNorm)
    {
        CheckNonNegative(supNorm, nameof(supNorm));
        return KullbackLeiblerBound(2 * supNorm);
    }

    /// <summary>
    /// <c>e^x - 1</c> to a few ulps of relative accuracy: for <c>|x| &lt; 1/2</c> via <c>2·tanh(x/2)/(1 - tanh(x/2))</c>
    /// (no cancellation), otherwise <c>exp(x) - 1</c> (the result is at least 0.39 in magnitude, so the subtraction is benign).
    /// </summary>
    internal static double ExpMinusOne(double x)
    {
        if (Math.Abs(x) < 0.5)
        {
            var t = Math.Tanh(x / 2);
            return 2 * t / (1 - t);
        }

        return Math.Exp(x) - 1;
    }

    private static double Outward(double x) => x + (Tolerances.OutwardRelative * x) + Tolerances.OutwardAbsolute;

    private static void CheckNonNegative(double value, string name)
    {
        if (!(value >= 0))
        {
            throw new ArgumentOutOfRangeException(name, value, $"Expected a non-negative bound; got {value}.");
        }
    }

    private static void CheckPair(LogitVector p, LogitVector q)
    {
        ArgumentNullException.ThrowIfNull(p);
        ArgumentNullException.ThrowIfNull(q);
        if (p.Length != q.Length)
        {
            throw new ArgumentException($"The logit vectors have different alphabet sizes: {p.Length} and {q.Length}.", nameof(q));
        }
    }
}
