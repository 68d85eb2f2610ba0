using System.Globalization;
using LogitRank.Numerics;

namespace LogitRank.Analysis;

/// <summary>
/// A rule that turns singular values <c>σ_1 &gt;= σ_2 &gt;= ... &gt;= σ_p &gt;= 0</c> into a numerical rank <c>r ∈ 0..p</c>.
/// Build one with <see cref="Fixed"/>, <see cref="AbsoluteThreshold"/>, <see cref="RelativeThreshold"/>,
/// <see cref="EnergyFraction"/> or <see cref="LargestGap"/>; apply it with <see cref="NumericalRank.Select(IReadOnlyList{double}, RankStrategy)"/>.
/// </summary>
public abstract record RankStrategy
{
    private protected RankStrategy()
    {
    }

    /// <summary>The rank <c>min(r, p)</c>, whatever the values.</summary>
    /// <param name="rank">The rank <c>r &gt;= 0</c>.</param>
    public static RankStrategy Fixed(int rank) => new FixedRank(rank);

    /// <summary>The number of values with <c>σ_i &gt; τ</c>.</summary>
    /// <param name="tau">The threshold <c>τ &gt;= 0</c>, finite.</param>
    public static RankStrategy AbsoluteThreshold(double tau) => new AbsoluteThresholdRank(tau);

    /// <summary>The number of values with <c>σ_i &gt; τ·σ_1</c> (0 for an all-zero spectrum).</summary>
    /// <param name="tau">The relative threshold <c>τ ∈ [0, 1]</c>.</param>
    public static RankStrategy RelativeThreshold(double tau) => new RelativeThresholdRank(tau);

    /// <summary>
    /// The smallest <c>r</c> with <c>Σ_{i&lt;=r} σ_i² &gt;= f·Σ_i σ_i²</c> (0 for an all-zero spectrum or <c>f = 0</c>).
    /// The total is over the values given; for a truncated spectrum it is the energy of those values only.
    /// </summary>
    /// <param name="fraction">The energy fraction <c>f ∈ [0, 1]</c>.</param>
    public static RankStrategy EnergyFraction(double fraction) => new EnergyFractionRank(fraction);

    /// <summary>
    /// The <c>r</c> with the largest ratio <c>σ_r / max(σ_{r+1}, τ·σ_1)</c> over <c>r = 1..min(p', p-1)</c>, where <c>p'</c> is
    /// the number of non-negligible values (<c>σ_i &gt; τ·σ_1</c>): only ratios whose numerator is non-negligible and whose
    /// denominator is a value present in the list. Flooring at <c>τ·σ_1</c> keeps every ratio finite, so a drop into the
    /// negligible tail counts as a gap of <c>σ_r / (τ·σ_1)</c>. Ties go to the smallest <c>r</c>. A single value gives
    /// rank 1 (0 if it is zero); an all-zero spectrum gives 0. Because there is no ratio past the last value, this rule
    /// returns <c>p</c> only when <c>p = 1</c>: it cannot detect full rank.
    /// </summary>
    /// <param name="negligibleRelative">The relative level <c>τ ∈ (0, 1)</c> below which values are negligible; <c>1e-12</c> by default.</param>
    public static RankStrategy LargestGap(double negligibleRelative = Tolerances.NegligibleSingularValue) => new LargestGapRank(negligibleRelative);

    /// <summary>Applies the rule to validated values (finite, non-negative, non-increasing).</summary>
    internal abstract int SelectFrom(double[] values);

    private protected static void CheckUnitInterval(double value, string parameterName, bool openAtZero = false, bool openAtOne = false)
    {
        var ok = double.IsFinite(value)
            && (openAtZero ? value > 0 : value >= 0)
            && (openAtOne ? value < 1 : value <= 1);
        if (!ok)
        {
            var interval = (openAtZero ? "(0" : "[0") + ", " + (openAtOne ? "1)" : "1]");
            throw new ArgumentOutOfRangeException(parameterName, value, string.Create(CultureInfo.InvariantCulture, $"Got {value}; expected a value in {interval}."));
        }
    }
}

/// <summary>A fixed rank <c>min(r, p)</c> (see <see cref="RankStrategy.Fixed"/>).</summary>
public sealed record FixedRank : RankStrategy
{
    /// <summary>Creates the strategy.</summary>
    /// <param name="rank">The rank <c>r &gt;= 0</c>.</param>
    public FixedRank(int rank)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rank);
        Rank = rank;
    }

    /// <summary>The rank <c>r</c>.</summary>
    public int Rank { get; }

    internal override int SelectFrom(double[] values) => Math.Min(Rank, values.Length);
}

/// <summary>Counts <c>σ_i &gt; τ</c> (see <see cref="RankStrategy.AbsoluteThreshold"/>).</summary>
public sealed record AbsoluteThresholdRank : RankStrategy
{
    /// <summary>Creates the strategy.</summary>
    /// <param name="tau">The threshold <c>τ &gt;= 0</c>, finite.</param>
    public AbsoluteThresholdRank(double tau)
    {
        if (!double.IsFinite(tau) || tau < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(tau), tau, "Expected a finite threshold τ >= 0.");
        }

        Tau = tau;
    }

    /// <summary>The threshold <c>τ</c>.</summary>
    public double Tau { get; }

    internal override int SelectFrom(double[] values) => values.Count(v => v > Tau);
}

/// <summary>Counts <c>σ_i &gt; τ·σ_1</c> (see <see cref="RankStrategy.RelativeThreshold"/>).</summary>
public sealed record RelativeThresholdRank : RankStrategy
{
    /// <summary>Creates the strategy.</summary>
    /// <param name="tau">The relative threshold <c>τ ∈ [0, 1]</c>.</param>
    public RelativeThresholdRank(double tau)
    {
        CheckUnitInterval(tau, nameof(tau));
        Tau = tau;
    }

    /// <summary>The relative threshold <c>τ</c>.</summary>
    public double Tau { get; }

    internal override int SelectFrom(double[] values)
    {
        if (values.Length == 0)
        {
            return 0;
        }

        var cut = Tau * values[0];
        return values.Count(v => v > cut);
    }
}

/// <summary>The smallest <c>r</c> capturing a fraction <c>f</c> of <c>Σ σ_i²</c> (see <see cref="RankStrategy.EnergyFraction"/>).</summary>
public sealed record EnergyFractionRank : RankStrategy
{
    /// <summary>Creates the strategy.</summary>
    /// <param name="fraction">The fraction <c>f ∈ [0, 1]</c>.</param>
    public EnergyFractionRank(double fraction)
    {
        CheckUnitInterval(fraction, nameof(fraction));
        Fraction = fraction;
    }

    /// <summary>The fraction <c>f</c>.</summary>
    public double Fraction { get; }

    internal override int SelectFrom(double[] values)
    {
        // Accumulate in the same order for the prefix sums and the total, so that the full prefix equals the total exactly.
        var prefix = new double[values.Length + 1];
        for (var i = 0; i < values.Length; i++)
        {
            prefix[i + 1] = prefix[i] + (values[i] * values[i]);
        }

        var target = Fraction * prefix[^1];
        for (var r = 0; r <= values.Length; r++)
        {
            if (prefix[r] >= target)
            {
                return r;
            }
        }

        return values.Length; // unreachable: prefix[^1] >= Fraction·prefix[^1] because Fraction <= 1
    }
}

/// <summary>The rank at the largest gap ratio among non-negligible values (see <see cref="RankStrategy.LargestGap"/>).</summary>
public sealed record LargestGapRank : RankStrategy
{
    /// <summary>Creates the strategy.</summary>
    /// <param name="negligibleRelative">The relative level <c>τ ∈ (0, 1)</c> below which values are negligible.</param>
    public LargestGapRank(double negligibleRelative)
    {
        CheckUnitInterval(negligibleRelative, nameof(negligibleRelative), openAtZero: true, openAtOne: true);
        NegligibleRelative = negligibleRelative;
    }

    /// <summary>The relative level <c>τ</c>.</summary>
    public double NegligibleRelative { get; }

    internal override int SelectFrom(double[] values)
    {
        if (values.Length == 0 || values[0] == 0)
        {
            return 0;
        }

        if (values.Length == 1)
        {
            return 1;
        }

        var floor = NegligibleRelative * values[0];
        var best = 0;
        var bestRatio = double.NegativeInfinity;
        for (var r = 1; r < values.Length && values[r - 1] > floor; r++)
        {
            var ratio = values[r - 1] / Math.Max(values[r], floor);
            if (ratio > bestRatio)
            {
                bestRatio = ratio;
                best = r;
            }
        }

        return best;
    }
}

/// <summary>A numerical rank and the strategy that chose it.</summary>
/// <param name="Rank">The chosen rank <c>r ∈ 0..p</c>.</param>
/// <param name="Strategy">The strategy applied.</param>
/// <param name="ValueCount">The number <c>p</c> of singular values it was applied to.</param>
public sealed record RankSelection(int Rank, RankStrategy Strategy, int ValueCount);

/// <summary>Numerical rank of a spectrum under an explicit <see cref="RankStrategy"/>.</summary>
public static class NumericalRank
{
    /// <summary>Applies <paramref name="strategy"/> to singular values <c>σ_1 &gt;= ... &gt;= σ_p &gt;= 0</c>.</summary>
    /// <exception cref="ArgumentException">A value is negative or non-finite, or the values are not non-increasing.</exception>
    public static RankSelection Select(IReadOnlyList<double> singularValues, RankStrategy strategy)
    {
        ArgumentNullException.ThrowIfNull(strategy);
        var values = SingularValues.Validate(singularValues, nameof(singularValues));
        return new RankSelection(strategy.SelectFrom(values), strategy, values.Length);
    }

    /// <summary>Applies <paramref name="strategy"/> to the values of <paramref name="spectrum"/>.</summary>
    public static RankSelection Select(SingularValueSpectrum spectrum, RankStrategy strategy)
    {
        ArgumentNullException.ThrowIfNull(spectrum);
        return Select(spectrum.Values, strategy);
    }
}
