using LogitRank.Numerics;

namespace LogitRank.Learning;

/// <summary>
/// A schedule from user budgets (ALGORITHM.md section 3, "Practical"): every parameter is a visible knob with a
/// default. The result carries no a priori guarantee; it is certified a posteriori. Each setter validates its value and
/// throws <see cref="ArgumentOutOfRangeException"/> naming the budget.
/// </summary>
public sealed record PracticalSchedule : ILearningSchedule
{
    /// <inheritdoc/>
    public string Kind => "practical";

    /// <inheritdoc/>
    /// <remarks>Default 20.</remarks>
    public int MaxEpochs
    {
        get;
        init => field = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(MaxEpochs), value, "Expected an epoch budget K >= 1.");
    } = 20;

    /// <inheritdoc/>
    /// <remarks>Default 32.</remarks>
    public int ValidationSamples
    {
        get;
        init => field = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(ValidationSamples), value, "Expected a validation sample count n >= 1.");
    } = 32;

    /// <summary>The number of spanner samples <c>N_s</c>, the same at every cut. Default 32.</summary>
    public int SpannerSampleCount
    {
        get;
        init => field = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(SpannerSampleCount), value, "Expected a spanner sample count N_s >= 1.");
    } = 32;

    /// <inheritdoc/>
    /// <remarks>Default <c>1e-4</c> nats.</remarks>
    public double WitnessThreshold
    {
        get;
        init => field = value > 0 && double.IsFinite(value) ? value : throw new ArgumentOutOfRangeException(nameof(WitnessThreshold), value, "Expected a positive, finite witness threshold g.");
    } = 1e-4;

    /// <inheritdoc/>
    /// <remarks>Default 1 (the analysis).</remarks>
    public int WitnessesPerEpoch
    {
        get;
        init => field = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(WitnessesPerEpoch), value, "Expected at least 1 witness per epoch.");
    } = 1;

    /// <inheritdoc/>
    /// <remarks>Default <see langword="null"/> (no budget).</remarks>
    public long? QueryBudget
    {
        get;
        init => field = value is null || value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(QueryBudget), value, "Expected a query budget >= 1 (or null for none).");
    }

    /// <summary>
    /// What the learner does when <see cref="QueryBudget"/> runs out: <see cref="BudgetPolicy.Throw"/> (the default, the
    /// hard stop) or <see cref="BudgetPolicy.ReturnBest"/> (return the best epoch validated so far).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not a defined <see cref="BudgetPolicy"/>.</exception>
    public BudgetPolicy OnBudgetExhausted
    {
        get;
        init => field = Enum.IsDefined(value) ? value : throw new ArgumentOutOfRangeException(nameof(OnBudgetExhausted), value, "Expected a defined BudgetPolicy.");
    }

    /// <inheritdoc/>
    /// <remarks>Default 2 (the analysis).</remarks>
    public double Beta
    {
        get;
        init => field = value > 1 && double.IsFinite(value) ? value : throw new ArgumentOutOfRangeException(nameof(Beta), value, "Expected a finite coefficient bound β > 1.");
    } = 2.0;

    /// <inheritdoc/>
    /// <remarks>Default <c>1e-6</c>.</remarks>
    public double LpRelativeTolerance
    {
        get;
        init => field = value >= 0 && double.IsFinite(value) ? value : throw new ArgumentOutOfRangeException(nameof(LpRelativeTolerance), value, "Expected a non-negative, finite LP tolerance τ_lp.");
    } = Tolerances.LpRelative;

    /// <inheritdoc/>
    /// <remarks>Default <see cref="FallbackPolicy.Uniform"/>.</remarks>
    public FallbackPolicy Fallback
    {
        get;
        init => field = Enum.IsDefined(value) ? value : throw new ArgumentOutOfRangeException(nameof(Fallback), value, "Expected a defined FallbackPolicy.");
    } = FallbackPolicy.Uniform;

    /// <inheritdoc/>
    /// <remarks>Default <c>1e-9</c>.</remarks>
    public double SpannerRankTolerance
    {
        get;
        init => field = value > 0 && value < 1 ? value : throw new ArgumentOutOfRangeException(nameof(SpannerRankTolerance), value, "Expected a relative rank tolerance in (0, 1).");
    } = Tolerances.SpannerRank;

    /// <inheritdoc/>
    /// <remarks>Default <c>1e-10</c>.</remarks>
    public double ZeroRowTolerance
    {
        get;
        init => field = value >= 0 && double.IsFinite(value) ? value : throw new ArgumentOutOfRangeException(nameof(ZeroRowTolerance), value, "Expected a non-negative, finite zero-row tolerance.");
    } = Tolerances.ZeroRow;

    /// <inheritdoc/>
    public int SpannerSamples(int cut, int extendedFutureSize) => SpannerSampleCount;
}
