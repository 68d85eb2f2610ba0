namespace LogitRank.Learning;

/// <summary>What the learned model predicts at a prefix whose reconstruction LP is infeasible (<c>r &gt; τ_lp</c>).</summary>
public enum FallbackPolicy
{
    /// <summary>
    /// Uniform next-token distributions (zero logits) from the first infeasible prefix on (ALGORITHM.md section 4).
    /// Prefix-monotone: a prefix is treated as infeasible when its own LP or the LP of any shorter prefix is.
    /// Safe for TV (the loss is at most the infeasible mass); this is the analysed behaviour.
    /// </summary>
    Uniform = 0,

    /// <summary>
    /// Use the minimum-residual LP solution anyway. Often better for KL on approximately low-rank targets, but
    /// outside the analysis: the learning report flags it (<see cref="LearningReport.OutsideAnalysis"/>).
    /// </summary>
    MinimumResidual,
}

/// <summary>What the learner does when a batch would take its paid queries past <see cref="ILearningSchedule.QueryBudget"/>.</summary>
public enum BudgetPolicy
{
    /// <summary>
    /// Stop with <see cref="Oracles.QueryBudgetExceededException"/> (the hard stop; no model). The batch that would
    /// exceed the budget is not sent.
    /// </summary>
    Throw = 0,

    /// <summary>
    /// Stop learning and return the best model validated so far (anytime learning): the epoch with the smallest
    /// validation error (<see cref="EpochReport.ValidationTotalVariation"/>), its future sets and bases, with a report that
    /// says the budget ran out (<see cref="LearningReport.BudgetExhausted"/>). When not even one epoch was validated
    /// within the budget there is no model to return, and the exception is thrown as under <see cref="Throw"/>.
    /// </summary>
    ReturnBest,
}

/// <summary>
/// The parameters that drive <see cref="LogitRankLearner"/> (ALGORITHM.md section 3, "Parameters"): the epoch budget
/// <c>K</c>, the validation sample count <c>n</c>, the spanner sample counts <c>N_s</c>, the witness threshold <c>g</c>,
/// and the numerical options. Implemented by <see cref="TheorySchedule"/> (from the analysis),
/// <see cref="PracticalSchedule"/> (user budgets) and <see cref="AdaptiveSchedule"/> (the default: tolerances set from the
/// measured noise floor; the learner reads its extra knobs).
/// </summary>
public interface ILearningSchedule
{
    /// <summary>A short name of the schedule kind, for reports (<c>"theory"</c>, <c>"practical"</c> or <c>"adaptive"</c>).</summary>
    string Kind { get; }

    /// <summary>The largest number of epochs <c>K &gt;= 1</c>.</summary>
    int MaxEpochs { get; }

    /// <summary>The number <c>n &gt;= 1</c> of fresh validation samples per epoch.</summary>
    int ValidationSamples { get; }

    /// <summary>
    /// The number <c>N_s &gt;= 1</c> of histories SPANNER draws at cut <paramref name="cut"/> (<c>1..T-2</c>) when
    /// <c>|F̃_s| = </c><paramref name="extendedFutureSize"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">The schedule asks for more samples than fit in an <see cref="int"/>.</exception>
    int SpannerSamples(int cut, int extendedFutureSize);

    /// <summary>The witness threshold <c>g &gt; 0</c> (nats): a residual with <c>|res| &gt; g</c> is a witness.</summary>
    double WitnessThreshold { get; }

    /// <summary>Witnesses added per epoch (<c>&gt;= 1</c>). The analysis uses 1; more is reported as outside the analysis.</summary>
    int WitnessesPerEpoch { get; }

    /// <summary>The largest number of paid oracle queries, or <see langword="null"/> for no budget.</summary>
    long? QueryBudget { get; }

    /// <summary>
    /// What happens when the budget runs out (<see cref="BudgetPolicy.Throw"/> unless the schedule says otherwise), and,
    /// under <see cref="BudgetPolicy.ReturnBest"/>, which epoch a run that was not accepted returns: the best validated one,
    /// not the last.
    /// </summary>
    BudgetPolicy OnBudgetExhausted => BudgetPolicy.Throw;

    /// <summary>The coefficient bound <c>β &gt; 1</c> of the spanner and of RECONSTRUCT (the analysis uses 2).</summary>
    double Beta { get; }

    /// <summary>
    /// The relative LP acceptance tolerance: RECONSTRUCT is feasible when its optimal residual satisfies
    /// <c>r &lt;= τ_lp = LpRelativeTolerance · max(1, max|R|)</c>, <c>max|R|</c> over all stored rows.
    /// </summary>
    double LpRelativeTolerance { get; }

    /// <summary>The learned model's behaviour at infeasible prefixes.</summary>
    FallbackPolicy Fallback { get; }

    /// <summary>The relative numerical-rank tolerance passed to the barycentric spanner.</summary>
    double SpannerRankTolerance { get; }

    /// <summary>Absolute tolerance: when every entry of every sampled row of a cut is at most this in magnitude (<c>|v| &lt;= tol</c>), the rows count as zero and the cut gets an empty basis.</summary>
    double ZeroRowTolerance { get; }
}
