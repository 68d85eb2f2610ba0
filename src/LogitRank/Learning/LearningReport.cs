using System.Text.Json;
using System.Text.Json.Serialization;
using LogitRank.Sequences;

namespace LogitRank.Learning;

/// <summary>A witness added to <c>F̂_s</c>: the word <c>w = y_{s+1:t}∘a</c> at cut <c>s</c> whose residual exceeded <c>g</c>.</summary>
/// <param name="Cut">The cut <c>s</c> (0-based, <c>1..T-2</c>).</param>
/// <param name="Word">The word <c>w</c>.</param>
/// <param name="Residual">The signed residual <c>res_s(a)</c> (nats).</param>
/// <param name="Sample">The index of the validation sample (0-based) it was found on.</param>
/// <param name="PrefixLength">The prefix length <c>t</c> of the reconstruction it was found in.</param>
public sealed record WitnessRecord(int Cut, Prefix Word, double Residual, int Sample, int PrefixLength)
{
    /// <summary>
    /// Under <see cref="AdaptiveSchedule"/>: <c>|res|/σ_res</c>, the residual in standard deviations of its noise; NaN under
    /// the analysed schedules.
    /// </summary>
    public double Significance { get; init; } = double.NaN;

    /// <summary>
    /// Under <see cref="AdaptiveSchedule"/>: the leverage <c>vᵀ(VVᵀ + λI)⁻¹v</c> of the word's column against <c>F̂_s</c>; NaN
    /// under the analysed schedules.
    /// </summary>
    public double Leverage { get; init; } = double.NaN;

    /// <summary>The key by which witnesses are ranked: <c>|res|</c>, or under the adaptive schedule <c>significance·lev/(1+lev)</c>.</summary>
    internal double Score => double.IsNaN(Significance) ? Math.Abs(Residual) : Significance * Leverage / (1 + Leverage);
}

/// <summary>What happened in one epoch.</summary>
/// <param name="Epoch">The epoch, 1-based.</param>
/// <param name="Accepted">Whether every residual was <c>&lt;= g</c> (the learner stopped here).</param>
/// <param name="Abandoned">Whether an infeasible LP abandoned the epoch.</param>
/// <param name="BasisSizes">The basis size <c>m_s</c> per cut <c>s = 0..T-1</c>.</param>
/// <param name="Witnesses">The witnesses added (empty when accepted or abandoned).</param>
/// <param name="LpCount">The reconstruction LPs solved (distinct prefixes with <c>t &gt;= 2</c>).</param>
/// <param name="InfeasibleLps">LPs with <c>r &gt; τ_lp</c>.</param>
/// <param name="MaxLpResidual">The largest LP residual <c>r</c> seen.</param>
/// <param name="LpTolerance">The absolute <c>τ_lp</c> of the epoch's bases.</param>
/// <param name="MaxResidual">The largest <c>|res_s(a)|</c> of the witness search (nats).</param>
/// <param name="MaxLogitError">The largest <c>||ℓ̂(y_{1:t}) - ℓ(y_{1:t})||_∞</c> on the validation prefixes (nats).</param>
/// <param name="ValidatedSamples">The validation samples fully checked.</param>
public sealed record EpochReport(
    int Epoch,
    bool Accepted,
    bool Abandoned,
    IReadOnlyList<int> BasisSizes,
    IReadOnlyList<WitnessRecord> Witnesses,
    int LpCount,
    int InfeasibleLps,
    double MaxLpResidual,
    double LpTolerance,
    double MaxResidual,
    double MaxLogitError,
    int ValidatedSamples)
{
    /// <summary>
    /// The validation error of the epoch's model: the mean over the validated samples <c>y</c> of
    /// <c>Σ_{t=1}^{T-1} TV(M(·|y_{1:t}), M̂(·|y_{1:t}))</c>, the model's per-step TV to the oracle's answer at every validated
    /// prefix (the hybrid TV bound's estimate on these samples, ALGORITHM.md section 2, without the empty prefix, whose
    /// prediction is exact). <see cref="double.PositiveInfinity"/> for an abandoned epoch (its model was not validated).
    /// </summary>
    public double ValidationTotalVariation { get; init; }

    /// <summary>The mean over the validated samples of <c>Σ_t KL(M(·|y_{1:t}) || M̂(·|y_{1:t}))</c> (the chain rule's estimate of KL on them); <see cref="double.PositiveInfinity"/> for an abandoned epoch.</summary>
    public double ValidationKullbackLeibler { get; init; }

    /// <summary>Value equality, with the lists compared element by element.</summary>
    public bool Equals(EpochReport? other) =>
        other is not null
        && Epoch == other.Epoch && Accepted == other.Accepted && Abandoned == other.Abandoned
        && BasisSizes.SequenceEqual(other.BasisSizes) && Witnesses.SequenceEqual(other.Witnesses)
        && LpCount == other.LpCount && InfeasibleLps == other.InfeasibleLps
        && MaxLpResidual.Equals(other.MaxLpResidual) && LpTolerance.Equals(other.LpTolerance)
        && MaxResidual.Equals(other.MaxResidual) && MaxLogitError.Equals(other.MaxLogitError)
        && ValidatedSamples == other.ValidatedSamples
        && ValidationTotalVariation.Equals(other.ValidationTotalVariation) && ValidationKullbackLeibler.Equals(other.ValidationKullbackLeibler);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Epoch, Accepted, Abandoned, Witnesses.Count, LpCount, MaxResidual);
}

/// <summary>The final state of one cut.</summary>
/// <param name="Cut">The cut <c>s</c> (0-based).</param>
/// <param name="BasisSize">The final basis size <c>m_s</c>.</param>
/// <param name="FutureSize"><c>|F̂_s|</c>.</param>
/// <param name="ExtendedSize"><c>|F̃_s|</c>.</param>
/// <param name="Witnesses">Witnesses added at this cut over the run.</param>
/// <param name="SpannerSamples">The <c>N_s</c> of the last SPANNER call (0 for cuts without SPANNER: 0 and <c>T-1</c>).</param>
public sealed record CutReport(int Cut, int BasisSize, int FutureSize, int ExtendedSize, int Witnesses, int SpannerSamples);

/// <summary>
/// One adaptive decision at one cut in one epoch (<see cref="AdaptiveSchedule"/>; proofs-notes/adaptive-schedule.md): what
/// the spanner's sampled rows showed and which rank tolerance was chosen from it.
/// </summary>
/// <param name="Epoch">The epoch, 1-based.</param>
/// <param name="Cut">The cut <c>s</c> (<c>1..T-2</c>).</param>
/// <param name="Rows">The distinct sampled histories whose rows were measured (<c>N'</c>).</param>
/// <param name="SpannerSamples">The spanner sample count <c>N_s</c> of the epoch at this cut.</param>
/// <param name="EffectiveColumns">The dimension <c>m_eff = |F̃_s| − #query prefixes</c> the noise of a row lives in.</param>
/// <param name="NoiseFloor">The per-entry noise RMS <c>ν̂_s</c> used (nats): measured, or borrowed from the median of the measured cuts.</param>
/// <param name="Measured">Whether <c>ν̂_s</c> was measured here (at least 8 rows and a tail of 4 values); false: borrowed.</param>
/// <param name="SignalRank">The number <c>r̂_s</c> of singular values above the noise's Marchenko–Pastur edge.</param>
/// <param name="KneeRatio">The ratio <c>σ_r̂/σ_{r̂+1}</c>.</param>
/// <param name="Knee">Whether the cut is treated as having a knee: measured, <c>KneeRatio &gt;= AdaptiveSchedule.KneeRatio</c>; not
/// measured, when every measured cut has one.</param>
/// <param name="RankTolerance">The relative rank tolerance SPANNER used at the cut.</param>
/// <param name="BasisSize">The basis size <c>m_s</c> selected.</param>
public sealed record CutNoiseReport(int Epoch, int Cut, int Rows, int SpannerSamples, double EffectiveColumns, double NoiseFloor, bool Measured, int SignalRank, double KneeRatio, bool Knee, double RankTolerance, int BasisSize);

/// <summary>
/// One epoch's choice under <see cref="AdaptiveSchedule.ValidateTail"/> (proofs-notes/adaptive-schedule.md, A8): the bases
/// truncated at the signal rank of every knee cut (the validated ones, which drive witnesses and acceptance), or the same
/// rows with the tail beyond it kept, whichever has the smaller validation total variation
/// <c>(1/n) Σ_j Σ_t TV(ℓ(y_{1:t}), ℓ̂(y_{1:t}))</c> on the epoch's validation samples.
/// </summary>
/// <param name="Epoch">The epoch.</param>
/// <param name="SignalValidationTotalVariation">The validation TV of the bases truncated at the knees (<see cref="EpochReport.ValidationTotalVariation"/>).</param>
/// <param name="TailValidationTotalVariation">The validation TV of the bases with the tails kept (no ridge, the box of cuts without a knee).</param>
/// <param name="TailKept">Whether the epoch's model keeps the tails (strictly smaller validation TV).</param>
/// <param name="TailBasisSizes">The basis size per cut <c>0..T-1</c> with the tails kept.</param>
public sealed record TailChoice(int Epoch, double SignalValidationTotalVariation, double TailValidationTotalVariation, bool TailKept, IReadOnlyList<int> TailBasisSizes);

/// <summary>Why the epoch loop stopped.</summary>
public enum LearningStop
{
    /// <summary>An epoch accepted.</summary>
    Accepted = 0,

    /// <summary><see cref="ILearningSchedule.MaxEpochs"/> epochs ran without acceptance.</summary>
    MaxEpochs,

    /// <summary>The validation error did not improve for <see cref="AdaptiveSchedule.Patience"/> epochs.</summary>
    Patience,

    /// <summary>The query budget ran out (<see cref="BudgetPolicy.ReturnBest"/>).</summary>
    Budget,
}

/// <summary>Paid oracle queries by phase, from the counting decorator under the cache (a query is charged to the phase that first asked).</summary>
/// <param name="Sampling">Autoregressive sampling of spanner histories and validation samples.</param>
/// <param name="Spanner">Rows of sampled histories on <c>F̃_s</c>.</param>
/// <param name="Validation">Residual queries of the witness search.</param>
/// <param name="Total">All paid queries.</param>
/// <param name="Batches">Batches that reached the user's oracle.</param>
public sealed record QueryReport(long Sampling, long Spanner, long Validation, long Total, long Batches);

/// <summary>Wall time per phase (Stopwatch). Excluded from <see cref="LearningReport"/> equality: it depends on the machine.</summary>
/// <param name="Sampling">Drawing samples.</param>
/// <param name="Spanner">Row queries and spanner selection.</param>
/// <param name="Reconstruction">Reconstruction LPs.</param>
/// <param name="WitnessSearch">Residual queries and the witness search.</param>
/// <param name="Total">The whole run.</param>
public sealed record PhaseTimes(TimeSpan Sampling, TimeSpan Spanner, TimeSpan Reconstruction, TimeSpan WitnessSearch, TimeSpan Total);

/// <summary>The scalar parameters of the schedule a run used.</summary>
/// <param name="Kind">The schedule kind.</param>
/// <param name="MaxEpochs"><c>K</c>.</param>
/// <param name="ValidationSamples"><c>n</c>.</param>
/// <param name="WitnessThreshold"><c>g</c>.</param>
/// <param name="WitnessesPerEpoch">Witnesses per epoch.</param>
/// <param name="QueryBudget">The query budget, if any.</param>
/// <param name="Beta"><c>β</c>.</param>
/// <param name="LpRelativeTolerance">The relative <c>τ_lp</c>.</param>
/// <param name="Fallback">The fallback policy.</param>
/// <param name="SpannerRankTolerance">The spanner's rank tolerance.</param>
/// <param name="ZeroRowTolerance">The zero-row tolerance.</param>
public sealed record ScheduleSummary(
    string Kind,
    int MaxEpochs,
    int ValidationSamples,
    double WitnessThreshold,
    int WitnessesPerEpoch,
    long? QueryBudget,
    double Beta,
    double LpRelativeTolerance,
    FallbackPolicy Fallback,
    double SpannerRankTolerance,
    double ZeroRowTolerance)
{
    /// <summary>Summarises <paramref name="schedule"/>.</summary>
    public static ScheduleSummary From(ILearningSchedule schedule)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        return new(schedule.Kind, schedule.MaxEpochs, schedule.ValidationSamples, schedule.WitnessThreshold, schedule.WitnessesPerEpoch, schedule.QueryBudget, schedule.Beta, schedule.LpRelativeTolerance, schedule.Fallback, schedule.SpannerRankTolerance, schedule.ZeroRowTolerance);
    }
}

/// <summary>
/// The learning report of <see cref="LogitRankLearner.Learn"/>: everything needed to audit a run. Immutable and
/// JSON-serialisable (<see cref="ToJson"/>). Equality compares every field except <see cref="WallTime"/> (machine-dependent).
/// </summary>
/// <param name="Seed">The seed of the run.</param>
/// <param name="Schedule">The schedule parameters.</param>
/// <param name="Accepted">Whether an epoch accepted (every residual <c>&lt;= g</c>); if false the model is the last bases' (rebuilt if needed).</param>
/// <param name="EpochsRun">Epochs started.</param>
/// <param name="Epochs">Per-epoch details.</param>
/// <param name="Cuts">Per-cut final state, <c>s = 0..T-1</c>.</param>
/// <param name="Queries">Paid queries by phase.</param>
/// <param name="LpCount">Reconstruction LPs solved while learning.</param>
/// <param name="LargestAcceptedLpResidual">The largest residual <c>r &lt;= τ_lp</c> among the learner's LPs (a ledger term).</param>
/// <param name="LpTolerance">The absolute <c>τ_lp</c> of the returned model.</param>
/// <param name="MaxValidationLogitError">The largest <c>||ℓ̂ - ℓ||_∞</c> seen on validation prefixes over all epochs (nats).</param>
/// <param name="BasesRebuilt">Whether the bases were rebuilt for the final future sets (not accepted).</param>
/// <param name="OutsideAnalysis">Whether an option outside the analysis was used (see <see cref="OutsideAnalysisReasons"/>).</param>
/// <param name="OutsideAnalysisReasons">Which options.</param>
/// <param name="WallTime">Wall time per phase (excluded from equality).</param>
public sealed record LearningReport(
    int Seed,
    ScheduleSummary Schedule,
    bool Accepted,
    int EpochsRun,
    IReadOnlyList<EpochReport> Epochs,
    IReadOnlyList<CutReport> Cuts,
    QueryReport Queries,
    long LpCount,
    double LargestAcceptedLpResidual,
    double LpTolerance,
    double MaxValidationLogitError,
    bool BasesRebuilt,
    bool OutsideAnalysis,
    IReadOnlyList<string> OutsideAnalysisReasons,
    PhaseTimes WallTime)
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter(), new PrefixJsonConverter() },
    };

    /// <summary>
    /// Whether the query budget ran out and the run stopped there (<see cref="BudgetPolicy.ReturnBest"/>: the model is the
    /// best epoch validated before it, <see cref="ReturnedEpoch"/>, or, when none was, the bases of the epoch it ran out in,
    /// <see cref="ReturnedUnvalidated"/>).
    /// </summary>
    public bool BudgetExhausted { get; init; }

    /// <summary>
    /// The epoch whose future sets and bases the model uses: the accepting epoch; under
    /// <see cref="BudgetPolicy.ReturnBest"/> without acceptance, the epoch with the smallest
    /// <see cref="EpochReport.ValidationTotalVariation"/> (ties: the later); 0 when the model's bases were rebuilt for
    /// the final future sets (<see cref="BasesRebuilt"/>), which no epoch validated; when the budget ran out before any
    /// epoch was validated, the epoch whose SPANNER finished (<see cref="ReturnedUnvalidated"/>).
    /// </summary>
    public int ReturnedEpoch { get; init; }

    /// <summary>Why learning stopped.</summary>
    public LearningStop StoppedBy { get; init; }

    /// <summary>
    /// Under <see cref="AdaptiveSchedule"/>: the noise measurement and rank decision at every cut <c>1..T-2</c> in every
    /// epoch (in epoch, then cut order); empty under the analysed schedules.
    /// </summary>
    public IReadOnlyList<CutNoiseReport> NoiseFloors { get; init; } = [];

    /// <summary>
    /// Under <see cref="AdaptiveSchedule"/> with <see cref="AdaptiveSchedule.ValidateTail"/>: per epoch in which some knee cut
    /// had rows beyond its signal rank, whether they were kept; empty otherwise.
    /// </summary>
    public IReadOnlyList<TailChoice> TailChoices { get; init; } = [];

    /// <summary>
    /// Whether the returned model's bases keep the tails beyond the signal rank (its epoch's <see cref="TailChoice.TailKept"/>).
    /// Their residuals were not checked by the witness search, so the a priori validation bound does not cover them
    /// (<see cref="Certification.APrioriCertificate"/>); the hold-out certificate does.
    /// </summary>
    public bool ReturnedTail { get; init; }

    /// <summary>
    /// Whether the returned model's bases were never validated: the budget (<see cref="BudgetPolicy.ReturnBest"/>) ran out
    /// after SPANNER finished epoch <see cref="ReturnedEpoch"/> but before any epoch's validation did. Such a model is chosen
    /// by nothing but the budget; the hold-out certificate measures it, and no a priori bound applies (the run did not accept).
    /// </summary>
    public bool ReturnedUnvalidated { get; init; }

    /// <summary>Value equality over every field except <see cref="WallTime"/>; lists are compared element by element.</summary>
    public bool Equals(LearningReport? other) =>
        other is not null
        && Seed == other.Seed && Schedule == other.Schedule && Accepted == other.Accepted && EpochsRun == other.EpochsRun
        && Epochs.SequenceEqual(other.Epochs) && Cuts.SequenceEqual(other.Cuts) && Queries == other.Queries
        && LpCount == other.LpCount && LargestAcceptedLpResidual.Equals(other.LargestAcceptedLpResidual)
        && LpTolerance.Equals(other.LpTolerance) && MaxValidationLogitError.Equals(other.MaxValidationLogitError)
        && BasesRebuilt == other.BasesRebuilt && OutsideAnalysis == other.OutsideAnalysis
        && OutsideAnalysisReasons.SequenceEqual(other.OutsideAnalysisReasons)
        && BudgetExhausted == other.BudgetExhausted && ReturnedEpoch == other.ReturnedEpoch
        && StoppedBy == other.StoppedBy && NoiseFloors.SequenceEqual(other.NoiseFloors);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Seed, Accepted, EpochsRun, Queries, LpCount);

    /// <summary>The report as indented JSON (enums as names, words as token arrays).</summary>
    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    /// <summary>Reads a report written by <see cref="ToJson"/>.</summary>
    /// <exception cref="JsonException">The JSON does not describe a report.</exception>
    public static LearningReport FromJson(string json) =>
        JsonSerializer.Deserialize<LearningReport>(json, JsonOptions) ?? throw new JsonException("The JSON is null; expected a learning report.");

    private sealed class PrefixJsonConverter : JsonConverter<Prefix>
    {
        public override Prefix Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            Prefix.From(JsonSerializer.Deserialize<int[]>(ref reader, options) ?? []);

        public override void Write(Utf8JsonWriter writer, Prefix value, JsonSerializerOptions options)
        {
            writer.WriteStartArray();
            foreach (var token in value)
            {
                writer.WriteNumberValue(token);
            }

            writer.WriteEndArray();
        }
    }
}

/// <summary>The result of <see cref="LogitRankLearner.Learn"/>.</summary>
/// <param name="Model">The learned model (a proper model on <c>Σ^T</c> in every case).</param>
/// <param name="Report">The learning report.</param>
public sealed record LearningResult(LearnedModel Model, LearningReport Report);
