using LogitRank.Numerics;

namespace LogitRank.Learning;

/// <summary>
/// The noise-aware schedule (proofs-notes/adaptive-schedule.md; ALGORITHM.md section 7): the learner measures the
/// approximation level it meets and sets its tolerances from it, so that an approximately low-rank target is learned
/// near its effective rank instead of being tabulated. The default of <c>LogitRankPipeline</c> and of
/// <c>logitrank learn</c>. Every parameter below is a knob with a default; no value needs to know the target's error.
/// </summary>
/// <remarks>
/// <para>Per epoch and cut <c>s</c> (the decisions are reported in <see cref="LearningReport.NoiseFloors"/>):</para>
/// <list type="number">
/// <item><b>Noise floor</b> <c>ν̂_s</c> of the spanner's sampled rows on <c>F̃_s</c> (the Marchenko–Pastur-iterated residual
/// RMS of the rows beyond their signal rank <c>r̂_s</c>); cuts with too few rows borrow the median of the valid ones.</item>
/// <item><b>Rank tolerance</b>: if the spectrum has a knee (<c>σ_r̂/σ_{r̂+1} &gt;= </c><see cref="KneeRatio"/>), SPANNER's
/// relative tolerance is <c><see cref="RankNoiseFactor"/>·ν̂_s·√m_eff / max‖row‖</c>, so rows that differ only by noise
/// are not added; without a knee (a power-law spectrum, as a real transformer's) it is <see cref="SpannerRankTolerance"/>
/// and every sampled history is kept, and the cut's <c>N_s</c> doubles after each epoch that does not accept (up to
/// <see cref="MaxSpannerSampleCount"/>).</item>
/// <item><b>Reconstruction</b> by sequential least squares with ridge <c>ν̂_s²</c> (<see cref="Reconstruction"/>), with minimum-residual semantics everywhere (<see cref="Fallback"/> is
/// <see cref="FallbackPolicy.MinimumResidual"/>): a prefix whose best residual exceeds <c>τ_lp</c> keeps its solution and
/// its residual enters the report; <c>τ_lp = max(LpRelativeTolerance·max(1, max|R|), </c><see cref="LpNoiseFactor"/><c>·max_s ν̂_s)</c>
/// only labels prefixes as feasible. The coefficient box is <see cref="ReconstructionBeta"/> (by default 2 when every cut
/// has a knee and a basis at its signal rank, else <see cref="NoKneeReconstructionBeta"/>).</item>
/// <item><b>Witnesses</b>: a residual is significant when <c>|res| &gt; max(g, </c><see cref="WitnessZ"/><c>·σ_res)</c>,
/// <c>σ_res = √(ν̂_s²‖c_s‖² + ν̂_{s−1}²‖c_{s−1}‖²)</c> (the noise the residual carries through its two coefficient
/// blocks); per cut the significant word of largest <c>(|res|/σ_res)·lev/(1+lev)</c> is added, with the leverage
/// <c>lev = vᵀ(VVᵀ + |F̂_s|ν̂_s² I)⁻¹v</c> of its column <c>v</c> against the columns <c>V</c> of <c>F̂_s</c> (the
/// elliptical-potential argument: a word in an explored direction adds little). The epoch accepts when no residual is
/// significant.</item>
/// <item><b>Futures and samples</b>: <c>F̂_s</c> starts with two-token groups <c>f∘Σ</c> for the
/// <see cref="TwoTokenGroups"/> most frequent tokens <c>f</c> of the spanner samples; cuts with <c>k^s &lt;= N_s</c> take all
/// <c>k^s</c> histories; the spanner samples are drawn once and reused by every epoch (only new columns are paid).</item>
/// <item><b>Stop</b>: at the first accepting epoch, after <see cref="MaxEpochs"/>, when the validation error has not
/// improved for <see cref="Patience"/> epochs, or when the budget runs out; unless an epoch accepted, the model is the
/// best validated epoch's (<see cref="OnBudgetExhausted"/> defaults to <see cref="BudgetPolicy.ReturnBest"/>).</item>
/// </list>
/// <para>None of these choices is in the a priori analysis (one witness per epoch, fresh samples per epoch, a fixed rank
/// tolerance, the β = 2 box and the uniform fallback): a learner run under this schedule reports them in
/// <see cref="LearningReport.OutsideAnalysisReasons"/>, and its certificate rests on the hold-out bound, which assumes
/// nothing about how the model was built.</para>
/// </remarks>
public sealed record AdaptiveSchedule : ILearningSchedule
{
    /// <inheritdoc/>
    public string Kind => "adaptive";

    /// <inheritdoc/>
    /// <remarks>Default 30.</remarks>
    public int MaxEpochs
    {
        get;
        init => field = ScheduleKnobs.Epochs(value);
    } = 30;

    /// <inheritdoc/>
    /// <remarks>Default 32 (fewer makes the best-epoch choice noisy).</remarks>
    public int ValidationSamples
    {
        get;
        init => field = ScheduleKnobs.ValidationSamples(value);
    } = 32;

    /// <summary>The initial number of spanner samples <c>N_s</c>, the same at every cut. Default 32.</summary>
    public int SpannerSampleCount
    {
        get;
        init => field = ScheduleKnobs.SpannerSamples(value);
    } = 32;

    /// <summary>
    /// The largest <c>N_s</c> that doubling at cuts without a knee may reach. Default 512. Must be at least
    /// <see cref="SpannerSampleCount"/> when the learner runs.
    /// </summary>
    public int MaxSpannerSampleCount
    {
        get;
        init => field = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(MaxSpannerSampleCount), value, "Expected a largest spanner sample count >= 1.");
    } = 512;

    /// <inheritdoc/>
    /// <remarks>
    /// The absolute floor of the significance test (default <c>1e-8</c> nats): a residual is significant only when it
    /// also exceeds <see cref="WitnessZ"/> standard deviations of its noise. On an exactly low-rank target the floor is what
    /// decides.
    /// </remarks>
    public double WitnessThreshold
    {
        get;
        init => field = ScheduleKnobs.WitnessThreshold(value);
    } = 1e-8;

    /// <summary>The significance level <c>z</c> of a residual, in standard deviations of its noise. Default 4.</summary>
    public double WitnessZ
    {
        get;
        init => field = value > 0 && double.IsFinite(value) ? value : throw new ArgumentOutOfRangeException(nameof(WitnessZ), value, "Expected a positive, finite z.");
    } = 4.0;

    /// <inheritdoc/>
    /// <remarks>At most one per cut; default 32 (in practice, one per cut).</remarks>
    public int WitnessesPerEpoch
    {
        get;
        init => field = ScheduleKnobs.WitnessesPerEpoch(value);
    } = 32;

    /// <inheritdoc/>
    /// <remarks>Default <see langword="null"/> (no budget).</remarks>
    public long? QueryBudget
    {
        get;
        init => field = ScheduleKnobs.QueryBudget(value);
    }

    /// <inheritdoc/>
    /// <remarks>Default <see cref="BudgetPolicy.ReturnBest"/> (anytime learning).</remarks>
    public BudgetPolicy OnBudgetExhausted
    {
        get;
        init => field = ScheduleKnobs.Defined(value);
    } = BudgetPolicy.ReturnBest;

    /// <inheritdoc/>
    /// <remarks>The spanner's <c>β</c>; default 2. The reconstruction's box is <see cref="ReconstructionBeta"/>.</remarks>
    public double Beta
    {
        get;
        init => field = ScheduleKnobs.Beta(value);
    } = 2.0;

    /// <summary>
    /// The coefficient box <c>β</c> of the learned model's reconstruction, or <see langword="null"/> (the default) to choose it
    /// per epoch from the measurements: 2 (the analysis's box) when every measured cut has a knee, a basis of at most
    /// <c>r̂_s + 1</c> rows and a signal rank <c>r̂_s &lt;= √N'_s</c>, since the bases are then spanners of a low-dimensional
    /// signal that the samples cover many times; <see cref="NoKneeReconstructionBeta"/>
    /// otherwise, since fresh histories then need coefficients above 2 and clipping them destroys their representation.
    /// Measured (least squares, k=4, T=8): a 4-state HMM (bases of 10–35 rows) KL 1.2e-4 at β = 2 → 1.7e-8 at β = 1000; a
    /// perturbed ISAN (bases at the signal rank) KL 3.8e-3 either way, while
    /// the logit bound <c>B = β·m·max|R|</c>, hence the KL certificate's range, grows with β (certified KL 1.6 → 725 nats).
    /// </summary>
    public double? ReconstructionBeta
    {
        get;
        init => field = value is null || (value > 1 && double.IsFinite(value.Value)) ? value : throw new ArgumentOutOfRangeException(nameof(ReconstructionBeta), value, "Expected a finite coefficient bound β > 1 (or null to choose from the measurements).");
    }

    /// <summary>
    /// Whether each epoch also measures, on its validation samples, the bases with the tail beyond the signal rank kept at the
    /// knee cuts (the same rows selected at the numerical <see cref="SpannerRankTolerance"/>, reconstructed without ridge in
    /// the box <see cref="NoKneeReconstructionBeta"/>), and the returned model keeps them when its epoch's validation total
    /// variation is smaller with them. Default <see langword="true"/>. Witnesses, acceptance and the spanner's growth follow
    /// the truncated bases either way, so the choice costs reconstructions and no query. A tail that carries over to fresh
    /// histories (an HMM's decaying spectrum) wins on validation; one that does not loses (proofs-notes/adaptive-schedule.md, A8).
    /// A model with kept tails is outside the a priori validation bound (<see cref="LearningReport.ReturnedTail"/>).
    /// </summary>
    public bool ValidateTail { get; init; } = true;

    /// <summary>
    /// The factor <c>c</c> of the learned model's logit clip <c>C = c · max_s max |R_s|</c>, the largest stored (true,
    /// centred) logit times <c>c</c> (<see cref="LearnedModelOptions.LogitClip"/>), or <see langword="null"/> for no clip.
    /// Default 2. Validation measures the clipped model. The clip bounds every logit of the model by <c>2C</c>, which is the
    /// range the hold-out KL certificate rests on; without it the bound is <c>β · m · max|R|</c>, about <c>10^5</c> nats per
    /// step with the no-knee box (proofs-notes/adaptive-schedule.md, A9).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Not finite or below 1 (a clip inside the observed logits would cut true values).</exception>
    public double? LogitClipFactor
    {
        get;
        init => field = value is null || (value >= 1 && double.IsFinite(value.Value)) ? value : throw new ArgumentOutOfRangeException(nameof(LogitClipFactor), value, $"LogitClipFactor = {value}; expected a finite factor c >= 1 (or null for no clip).");
    } = 2.0;

    /// <summary>The box chosen when some cut has no knee and <see cref="ReconstructionBeta"/> is <see langword="null"/>. Default 1000.</summary>
    public double NoKneeReconstructionBeta
    {
        get;
        init => field = ScheduleKnobs.Beta(value);
    } = 1000.0;

    /// <summary>
    /// How the learned model reconstructs: <see cref="ReconstructionMethod.LeastSquares"/> (the default), the sequential
    /// ridge solution with <c>λ_s = ν̂_s²</c> at cuts with a knee (the measured noise floor) and only the solver's floor at cuts
    /// without one (there <c>ν̂_s</c> is the unexplained tail, not noise; proofs-notes/lp-reconstruction.md, L11), or
    /// <see cref="ReconstructionMethod.MinimaxLp"/>, the analysed minimax LP. Validation uses the same method and ridge as
    /// the returned model. On perturbed ISANs least squares lowered the exact KL 2.3–5.7× against the LP on the same bases
    /// (bench/reports/reconstruction-least-squares.md).
    /// </summary>
    public ReconstructionMethod Reconstruction
    {
        get;
        init => field = ScheduleKnobs.Defined(value);
    } = ReconstructionMethod.LeastSquares;

    /// <inheritdoc/>
    /// <remarks>The relative floor of <c>τ_lp</c>; default <c>1e-6</c>.</remarks>
    public double LpRelativeTolerance
    {
        get;
        init => field = ScheduleKnobs.LpRelativeTolerance(value);
    } = Tolerances.LpRelative;

    /// <summary>The factor <c>c</c> of <c>τ_lp &gt;= c·max_s ν̂_s</c>. Default 4 (measured residuals sit at 1–3 <c>ν̂</c>).</summary>
    public double LpNoiseFactor
    {
        get;
        init => field = value >= 0 && double.IsFinite(value) ? value : throw new ArgumentOutOfRangeException(nameof(LpNoiseFactor), value, "Expected a non-negative, finite factor.");
    } = 4.0;

    /// <inheritdoc/>
    /// <remarks>Always <see cref="FallbackPolicy.MinimumResidual"/>: the adaptive schedule never falls back to uniform.</remarks>
    public FallbackPolicy Fallback => FallbackPolicy.MinimumResidual;

    /// <inheritdoc/>
    /// <remarks>The tolerance at cuts without a knee; default <c>1e-9</c> (keep every sampled direction).</remarks>
    public double SpannerRankTolerance
    {
        get;
        init => field = ScheduleKnobs.RankTolerance(value);
    } = Tolerances.SpannerRank;

    /// <summary>The factor of the noise-aware rank tolerance <c>factor·ν̂_s·√m_eff / max‖row‖</c> at knee cuts. Default 3.</summary>
    public double RankNoiseFactor
    {
        get;
        init => field = value > 0 && double.IsFinite(value) ? value : throw new ArgumentOutOfRangeException(nameof(RankNoiseFactor), value, "Expected a positive, finite factor.");
    } = 3.0;

    /// <summary>The ratio <c>σ_r̂/σ_{r̂+1}</c> at or above which a cut's spectrum has a knee. Default 1.5.</summary>
    public double KneeRatio
    {
        get;
        init => field = value > 1 && double.IsFinite(value) ? value : throw new ArgumentOutOfRangeException(nameof(KneeRatio), value, "Expected a finite knee ratio > 1.");
    } = 1.5;

    /// <summary>
    /// The number <c>q</c> of two-token groups <c>f∘Σ</c> added to every <c>F̂_s</c> (<c>s &lt;= T−2</c>) at the start, for the
    /// <c>q</c> most frequent tokens of the spanner samples (ties: the smaller token). Each group costs one query per
    /// sampled history. <see langword="null"/> (the default): <c>k</c> when <c>k &lt;= 8</c> (all of <c>Σ²</c>), else 4. For a
    /// binary alphabet with both groups, <c>Σ³</c> is added too (<c>Σ ∪ Σ²</c> has only 3 centred directions).
    /// </summary>
    public int? TwoTokenGroups
    {
        get;
        init => field = value is null || value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(TwoTokenGroups), value, "Expected a number of two-token groups >= 0 (or null for the default).");
    }

    /// <summary>Epochs without a new best validation error after which the learner stops. Default 3.</summary>
    public int Patience
    {
        get;
        init => field = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(Patience), value, "Expected a patience >= 1 epoch.");
    } = 3;

    /// <inheritdoc/>
    /// <remarks>Default <c>1e-10</c>.</remarks>
    public double ZeroRowTolerance
    {
        get;
        init => field = ScheduleKnobs.ZeroRowTolerance(value);
    } = Tolerances.ZeroRow;

    /// <inheritdoc/>
    /// <remarks>The initial <c>N_s</c>; the learner doubles it at cuts without a knee.</remarks>
    public int SpannerSamples(int cut, int extendedFutureSize) => SpannerSampleCount;

    /// <summary>The two-token groups for alphabet size <paramref name="alphabetSize"/>: <see cref="TwoTokenGroups"/> or its default, at most <c>k</c>.</summary>
    public int GroupsFor(int alphabetSize) => Math.Min(alphabetSize, TwoTokenGroups ?? (alphabetSize <= 8 ? alphabetSize : 4));
}
