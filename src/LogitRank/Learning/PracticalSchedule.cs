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
        init => field = ScheduleKnobs.Epochs(value);
    } = 20;

    /// <inheritdoc/>
    /// <remarks>Default 32.</remarks>
    public int ValidationSamples
    {
        get;
        init => field = ScheduleKnobs.ValidationSamples(value);
    } = 32;

    /// <summary>The number of spanner samples <c>N_s</c>, the same at every cut. Default 32.</summary>
    public int SpannerSampleCount
    {
        get;
        init => field = ScheduleKnobs.SpannerSamples(value);
    } = 32;

    /// <inheritdoc/>
    /// <remarks>Default <c>1e-4</c> nats.</remarks>
    public double WitnessThreshold
    {
        get;
        init => field = ScheduleKnobs.WitnessThreshold(value);
    } = 1e-4;

    /// <inheritdoc/>
    /// <remarks>Default 1 (the analysis).</remarks>
    public int WitnessesPerEpoch
    {
        get;
        init => field = ScheduleKnobs.WitnessesPerEpoch(value);
    } = 1;

    /// <inheritdoc/>
    /// <remarks>Default <see langword="null"/> (no budget).</remarks>
    public long? QueryBudget
    {
        get;
        init => field = ScheduleKnobs.QueryBudget(value);
    }

    /// <summary>
    /// What the learner does when <see cref="QueryBudget"/> runs out: <see cref="BudgetPolicy.Throw"/> (the default, the
    /// hard stop) or <see cref="BudgetPolicy.ReturnBest"/> (return the best epoch validated so far).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not a defined <see cref="BudgetPolicy"/>.</exception>
    public BudgetPolicy OnBudgetExhausted
    {
        get;
        init => field = ScheduleKnobs.Defined(value);
    }

    /// <inheritdoc/>
    /// <remarks>Default 2 (the analysis).</remarks>
    public double Beta
    {
        get;
        init => field = ScheduleKnobs.Beta(value);
    } = 2.0;

    /// <inheritdoc/>
    /// <remarks>Default <c>1e-6</c>.</remarks>
    public double LpRelativeTolerance
    {
        get;
        init => field = ScheduleKnobs.LpRelativeTolerance(value);
    } = Tolerances.LpRelative;

    /// <inheritdoc/>
    /// <remarks>Default <see cref="FallbackPolicy.Uniform"/>.</remarks>
    public FallbackPolicy Fallback
    {
        get;
        init => field = ScheduleKnobs.Defined(value);
    } = FallbackPolicy.Uniform;

    /// <inheritdoc/>
    /// <remarks>Default <c>1e-9</c>.</remarks>
    public double SpannerRankTolerance
    {
        get;
        init => field = ScheduleKnobs.RankTolerance(value);
    } = Tolerances.SpannerRank;

    /// <inheritdoc/>
    /// <remarks>Default <c>1e-10</c>.</remarks>
    public double ZeroRowTolerance
    {
        get;
        init => field = ScheduleKnobs.ZeroRowTolerance(value);
    } = Tolerances.ZeroRow;

    /// <inheritdoc/>
    public int SpannerSamples(int cut, int extendedFutureSize) => SpannerSampleCount;
}
