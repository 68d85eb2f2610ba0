using LogitRank.Numerics;
using LogitRank.Sequences;
namespace LogitRank.Learning;

/// <summary>
/// The schedule of the analysis (ALGORITHM.md section 3, "Parameters"; public restatement for exact rank and a binary
/// alphabet of Golowich–Liu–Shetty, arXiv:2512.09892):
/// <list type="bullet">
/// <item><c>g = ε/(32T²)</c> (witness threshold),</item>
/// <item><c>J = ⌈log2(2Tdα/(εδ))⌉ + 64</c>, <c>K = 512·T·d·J</c> (epochs),</item>
/// <item><c>n = ⌈g⁻¹ log2(32KT/δ)⌉</c> (validation samples per epoch),</item>
/// <item><c>η = ε/(3T²n)</c> (spanner miss mass),</item>
/// <item><c>δ_s = δ/(T·K)</c> (failure probability of one SPANNER call: a union bound over at most <c>T</c> cuts and <c>K</c> epochs),</item>
/// <item><c>N_s = ⌈(2/η)(m log2(2m/η) + log2((m+1)/δ_s))⌉</c> with <c>m = |F̃_s|</c> (spanner samples),</item>
/// <item><c>ξ &lt;= g/4</c> (required oracle accuracy).</item>
/// </list>
/// The numbers are huge by design; the schedule exists so that the formulas are visible, tested and usable on tiny
/// instances (for <c>T &lt;= 2</c> no SPANNER runs).
/// </summary>
public sealed record TheorySchedule : ILearningSchedule
{
    private TheorySchedule(double epsilon, double delta, int horizon, int rank, double alpha, int alphabetSize)
    {
        Epsilon = epsilon;
        Delta = delta;
        Horizon = horizon;
        Rank = rank;
        Alpha = alpha;
        AlphabetSize = alphabetSize;
        var t = (double)horizon;
        WitnessThreshold = epsilon / (32.0 * t * t);
        J = (long)Math.Ceiling(Math.Log2(2.0 * t * rank * alpha / (epsilon * delta))) + 64;
        EpochCount = checked(512L * horizon * rank * J);
        ValidationSampleCount = CeilingToLong(Math.Log2(32.0 * EpochCount * t / delta) / WitnessThreshold, "n");
        Eta = epsilon / (3.0 * t * t * ValidationSampleCount);
        SpannerDelta = delta / (t * EpochCount);
        RequiredOracleAccuracy = WitnessThreshold / 4.0;
    }

    /// <summary>Computes the theory schedule for target TV error <c>ε</c> and failure probability <c>δ</c>.</summary>
    /// <param name="epsilon">The target error <c>ε ∈ (0, 1]</c>.</param>
    /// <param name="delta">The failure probability <c>δ ∈ (0, 1)</c>.</param>
    /// <param name="horizon">The horizon <c>T &gt;= 1</c>.</param>
    /// <param name="rank">The logit rank <c>d &gt;= 1</c>.</param>
    /// <param name="alpha">The norm bound <c>α &gt; 0</c> of the rank-<c>d</c> factorisation.</param>
    /// <param name="alphabetSize">The alphabet size <c>k &gt;= 2</c> (checked against the oracle).</param>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is outside its range; the message names it.</exception>
    public static TheorySchedule FromTargets(double epsilon, double delta, int horizon, int rank, double alpha, int alphabetSize)
    {
        if (!(epsilon > 0 && epsilon <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "Expected a target error ε in (0, 1].");
        }

        if (!(delta > 0 && delta < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(delta), delta, "Expected a failure probability δ in (0, 1).");
        }

        SequenceGuard.Horizon(horizon);

        if (rank < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(rank), rank, "Expected a logit rank d >= 1.");
        }

        if (!(alpha > 0) || !double.IsFinite(alpha))
        {
            throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "Expected a positive, finite norm bound α.");
        }

        SequenceGuard.AlphabetSize(alphabetSize);

        return new TheorySchedule(epsilon, delta, horizon, rank, alpha, alphabetSize);
    }

    /// <inheritdoc/>
    public string Kind => "theory";

    /// <summary>The target error <c>ε</c>.</summary>
    public double Epsilon { get; }

    /// <summary>The failure probability <c>δ</c>.</summary>
    public double Delta { get; }

    /// <summary>The horizon <c>T</c>.</summary>
    public int Horizon { get; }

    /// <summary>The logit rank <c>d</c>.</summary>
    public int Rank { get; }

    /// <summary>The norm bound <c>α</c>.</summary>
    public double Alpha { get; }

    /// <summary>The alphabet size <c>k</c>.</summary>
    public int AlphabetSize { get; }

    /// <summary><c>J = ⌈log2(2Tdα/(εδ))⌉ + 64</c>.</summary>
    public long J { get; }

    /// <summary><c>K = 512·T·d·J</c> as a 64-bit number.</summary>
    public long EpochCount { get; }

    /// <summary><c>n = ⌈g⁻¹ log2(32KT/δ)⌉</c> as a 64-bit number.</summary>
    public long ValidationSampleCount { get; }

    /// <summary><c>η = ε/(3T²n)</c>: the allowed spanner miss mass per cut.</summary>
    public double Eta { get; }

    /// <summary><c>δ_s = δ/(T·K)</c>: the failure probability allotted to one SPANNER call.</summary>
    public double SpannerDelta { get; }

    /// <summary>The oracle accuracy the analysis needs: <c>ξ &lt;= g/4</c>.</summary>
    public double RequiredOracleAccuracy { get; }

    /// <inheritdoc/>
    /// <remarks><c>g = ε/(32T²)</c>.</remarks>
    public double WitnessThreshold { get; }

    /// <inheritdoc/>
    /// <exception cref="InvalidOperationException"><c>K</c> exceeds <see cref="int.MaxValue"/>.</exception>
    public int MaxEpochs => EpochCount <= int.MaxValue ? (int)EpochCount : throw new InvalidOperationException($"The theory schedule needs K = {EpochCount} epochs, more than Int32.MaxValue.");

    /// <inheritdoc/>
    /// <exception cref="InvalidOperationException"><c>n</c> exceeds <see cref="int.MaxValue"/>.</exception>
    public int ValidationSamples => ValidationSampleCount <= int.MaxValue ? (int)ValidationSampleCount : throw new InvalidOperationException($"The theory schedule needs n = {ValidationSampleCount} validation samples, more than Int32.MaxValue.");

    /// <inheritdoc/>
    public int WitnessesPerEpoch => 1;

    /// <inheritdoc/>
    public long? QueryBudget => null;

    /// <inheritdoc/>
    public double Beta => 2.0;

    /// <inheritdoc/>
    public double LpRelativeTolerance => Tolerances.LpRelative;

    /// <inheritdoc/>
    public FallbackPolicy Fallback => FallbackPolicy.Uniform;

    /// <inheritdoc/>
    public double SpannerRankTolerance => Tolerances.SpannerRank;

    /// <inheritdoc/>
    public double ZeroRowTolerance => Tolerances.ZeroRow;

    /// <summary><c>N_s = ⌈(2/η)(m log2(2m/η) + log2((m+1)/δ_s))⌉</c> for <c>m = |F̃_s|</c>, as a 64-bit number.</summary>
    /// <param name="extendedFutureSize"><c>m = |F̃_s| &gt;= 1</c>.</param>
    public long SpannerSampleCount(int extendedFutureSize)
    {
        if (extendedFutureSize < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(extendedFutureSize), extendedFutureSize, "Expected |F̃_s| >= 1.");
        }

        double m = extendedFutureSize;
        var value = (2.0 / Eta) * ((m * Math.Log2(2.0 * m / Eta)) + Math.Log2((m + 1.0) / SpannerDelta));
        return CeilingToLong(value, "N_s");
    }

    /// <inheritdoc/>
    public int SpannerSamples(int cut, int extendedFutureSize)
    {
        var count = SpannerSampleCount(extendedFutureSize);
        return count <= int.MaxValue ? (int)count : throw new InvalidOperationException($"The theory schedule needs N_{cut} = {count} spanner samples (|F̃| = {extendedFutureSize}), more than Int32.MaxValue.");
    }

    private static long CeilingToLong(double value, string name)
    {
        var c = Math.Ceiling(value);
        return c < 9.2e18 ? (long)c : throw new OverflowException($"The theory schedule's {name} = {value:G6} does not fit in a 64-bit integer.");
    }
}
