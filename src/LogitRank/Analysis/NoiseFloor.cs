namespace LogitRank.Analysis;

/// <summary>The noise floor measured on one matrix of sampled rows (<see cref="NoiseFloor.Estimate(double[][], double)"/>).</summary>
/// <param name="Rows">The number <c>N'</c> of rows.</param>
/// <param name="Columns">The number <c>m</c> of columns.</param>
/// <param name="EffectiveColumns">The dimension <c>m_eff</c> the noise of a row lives in.</param>
/// <param name="SingularValues">The singular values, non-increasing.</param>
/// <param name="Nu">The estimated per-entry noise RMS <c>ν̂</c> (0 when nothing can be said).</param>
/// <param name="Rank">The signal rank <c>r̂</c>: the number of singular values above the Marchenko–Pastur edge of <c>ν̂</c>.</param>
/// <param name="Valid">Whether the estimate is usable: <c>N' &gt;= 8</c> and a tail of at least 4 values remains after <c>r̂</c>.</param>
internal sealed record NoiseFloorEstimate(int Rows, int Columns, double EffectiveColumns, IReadOnlyList<double> SingularValues, double Nu, int Rank, bool Valid)
{
    /// <summary>
    /// The knee ratio <c>σ_r̂ / σ_{r̂+1}</c> at the signal rank (1 when <c>r̂ = 0</c> or no value follows it; +∞ when
    /// <c>σ_{r̂+1} = 0</c>).
    /// </summary>
    public double KneeRatio =>
        Rank < 1 || Rank >= SingularValues.Count ? 1.0
        : SingularValues[Rank] > 0 ? SingularValues[Rank - 1] / SingularValues[Rank]
        : double.PositiveInfinity;
}

/// <summary>
/// The noise floor of a matrix of sampled logit rows (proofs-notes/adaptive-schedule.md, A1): the per-entry RMS
/// <c>ν̂</c> of the part of the rows that a low-rank signal does not explain, by the Marchenko–Pastur-iterated
/// rank-<c>r</c> residual. With singular values <c>σ_j</c> of the <c>N'×m</c> matrix,
/// <c>ν̂(r) = √( Σ_{j&gt;r} σ_j² / ((N'−r)(m_eff−r)) · m_eff/m )</c>; starting from
/// <c>min(MP median estimate, ν̂(r_gap))</c> (<c>r_gap</c> = the largest log-gap among <c>j &lt;= min(N', m_eff)/2</c>), iterate
/// <c>r = #{σ_j &gt; 1.2·ν̂·√(m/m_eff)·(√N' + √m_eff)}</c> (the bulk edge of pure noise of RMS <c>ν̂</c>, with 20% margin),
/// <c>ν̂ = ν̂(r)</c>, at most 4 times or until it moves by less than 0.1%.
/// </summary>
/// <remarks>
/// <c>m_eff</c> corrects for centring: a centred answer of <c>k</c> logits has its noise in <c>k−1</c> dimensions, so a row
/// on <c>m</c> words that come from <c>q</c> distinct queries carries noise in <c>m − q</c> dimensions. Measured on the
/// perturbed ISANs of the research grid (bench/reports/approx-regime-research.md, section 1): within ±10% of the true
/// RMS on 107 of 108 (target, N) cases, and <c>r̂ = d</c> on 751 of 760 cuts.
/// </remarks>
internal static class NoiseFloor
{
    /// <summary>Rows below which no tail can be measured (<see cref="NoiseFloorEstimate.Valid"/>).</summary>
    public const int MinimumRows = 8;

    /// <summary>Singular values that must remain after the signal rank for a valid estimate.</summary>
    public const int MinimumTail = 4;

    /// <summary>The margin on the Marchenko–Pastur bulk edge above which a singular value counts as signal.</summary>
    public const double EdgeMargin = 1.2;

    /// <summary>Estimates the noise floor of <paramref name="rows"/> (all of one length <c>m &gt;= 1</c>).</summary>
    /// <exception cref="ArgumentException">No rows, rows of different lengths, or a non-finite entry.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="effectiveColumns"/> is outside <c>(0, m]</c>.</exception>
    public static NoiseFloorEstimate Estimate(double[][] rows, double effectiveColumns)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Length == 0 || rows[0] is null || rows[0].Length == 0)
        {
            throw new ArgumentException("Expected at least one row of at least one entry.", nameof(rows));
        }

        var n = rows.Length;
        var m = rows[0].Length;
        if (!(effectiveColumns > 0 && effectiveColumns <= m))
        {
            throw new ArgumentOutOfRangeException(nameof(effectiveColumns), effectiveColumns, $"Expected an effective column count in (0, m = {m}].");
        }

        var matrix = new double[n, m];
        for (var i = 0; i < n; i++)
        {
            if (rows[i] is null || rows[i].Length != m)
            {
                throw new ArgumentException($"Row {i} has length {rows[i]?.Length ?? -1}; expected {m} like row 0.", nameof(rows));
            }

            for (var j = 0; j < m; j++)
            {
                var v = rows[i][j];
                if (!double.IsFinite(v))
                {
                    throw new ArgumentException($"Entry ({i}, {j}) is {v}; expected a finite number.", nameof(rows));
                }

                matrix[i, j] = v;
            }
        }

        var sigma = Spectrum.Compute(matrix).Values.ToArray();
        return Estimate(sigma, n, m, effectiveColumns);
    }

    /// <summary>The estimate from the singular values <paramref name="sigma"/> (non-increasing) of an <c>n×m</c> matrix.</summary>
    public static NoiseFloorEstimate Estimate(double[] sigma, int n, int m, double effectiveColumns)
    {
        var count = (int)Math.Min(sigma.Length, Math.Min(n, Math.Floor(effectiveColumns)));
        count = Math.Max(count, 1);
        if (sigma.Length == 0 || !(sigma[0] > 0))
        {
            return new NoiseFloorEstimate(n, m, effectiveColumns, sigma, 0.0, 0, false);
        }

        var s = sigma.Take(count).ToArray();
        var tiny = 1e-300;

        // Largest gap in log σ among r = 1..count/2.
        var gapRank = count;
        var bestGap = 0.0;
        for (var j = 1; j <= Math.Max(1, count / 2) && j < s.Length; j++)
        {
            var gap = Math.Log(Math.Max(s[j - 1], tiny)) - Math.Log(Math.Max(s[j], tiny));
            if (gap > bestGap)
            {
                bestGap = gap;
                gapRank = j;
            }
        }

        double ResidualRms(int r)
        {
            if (r >= count)
            {
                return 0.0;
            }

            var tail = 0.0;
            for (var j = r; j < sigma.Length; j++)
            {
                tail += sigma[j] * sigma[j];
            }

            var dof = (n - r) * (effectiveColumns - r);
            return dof > 0 ? Math.Sqrt(tail / dof * effectiveColumns / m) : 0.0;
        }

        // Singular values at rounding level are numerically zero, whatever the (then tiny) noise edge says: they are not
        // signal (the numerical rank's usual threshold max(n, m)·ε_mach·σ_1).
        var numericalZero = Math.Max(n, m) * Numerics.Tolerances.MachineEpsilon * sigma[0];
        var nMax = Math.Max(n, effectiveColumns);
        var nMin = Math.Min(n, effectiveColumns);
        var mpMedian = Median(s) / Math.Sqrt(nMax * MarchenkoPasturMedian(nMin / nMax)) * Math.Sqrt(effectiveColumns / m);
        var gapRms = ResidualRms(gapRank);
        var nu = gapRms > 0 ? Math.Min(mpMedian, gapRms) : mpMedian;
        var rank = 0;
        for (var iteration = 0; iteration < 4; iteration++)
        {
            var edge = EdgeMargin * nu * Math.Sqrt(m / effectiveColumns) * (Math.Sqrt(n) + Math.Sqrt(effectiveColumns));
            rank = s.Count(x => x > Math.Max(edge, numericalZero));
            var next = ResidualRms(rank);
            if (next <= 0 || Math.Abs(next - nu) <= 1e-3 * nu)
            {
                nu = next > 0 ? next : nu;
                break;
            }

            nu = next;
        }

        var valid = n >= MinimumRows && Math.Min(n, Math.Floor(effectiveColumns)) - rank >= MinimumTail;
        return new NoiseFloorEstimate(n, m, effectiveColumns, sigma, nu, rank, valid);
    }

    /// <summary>
    /// The median of the Marchenko–Pastur law of aspect ratio <c>β = min/max</c> (eigenvalues of <c>X Xᵀ/n</c> for unit-variance
    /// entries), by midpoint integration of its density on 20,000 cells in the angle variable.
    /// </summary>
    internal static double MarchenkoPasturMedian(double beta)
    {
        // Substituting x = a + (b − a)(1 − cos φ)/2, φ ∈ [0, π], makes the integrand ((b−a)/2)² sin²φ / (2πβx) smooth
        // (the density's square-root edges, and its 1/√x pole at β = 1, disappear), so the midpoint rule converges fast.
        beta = Math.Clamp(beta, 1e-6, 1.0);
        var a = Math.Pow(1 - Math.Sqrt(beta), 2);
        var b = Math.Pow(1 + Math.Sqrt(beta), 2);
        const int steps = 20000;
        var h = Math.PI / steps;
        var half = (b - a) / 2;
        var cdf = 0.0;
        for (var i = 0; i < steps; i++)
        {
            var phi = (i + 0.5) * h;
            var x = a + (half * (1 - Math.Cos(phi)));
            var sin = Math.Sin(phi);
            cdf += half * half * sin * sin / (2 * Math.PI * beta * x) * h;
            if (cdf >= 0.5)
            {
                return x;
            }
        }

        return b;
    }

    private static double Median(double[] v)
    {
        var sorted = v.OrderBy(x => x).ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : 0.5 * (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]);
    }
}
