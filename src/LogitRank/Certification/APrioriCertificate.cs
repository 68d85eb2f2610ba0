using System.Globalization;
using LogitRank.Learning;
using LogitRank.Numerics;
using LogitRank.Oracles;

namespace LogitRank.Certification;

/// <summary>
/// The a priori (validation) bound of a learning run: what the run's parameters <c>(g, n, K, β, m, ξ)</c> and its
/// acceptance guarantee, with every term in an <see cref="ErrorLedger"/> (proofs-notes/validation-bound.md).
/// </summary>
/// <remarks>
/// <para>If the learner accepted an epoch, then with probability at least <c>1-δ</c> over the validation samples the
/// returned model fails the epoch's check (an infeasible LP or a residual above <c>g</c> at some prefix) on a path
/// <c>y ~ M</c> with probability at most <c>p* = ln(K/δ)/n</c>, and on passing paths
/// <c>||ℓ̂(y_{1:t}) - ℓ(y_{1:t})||_∞ &lt;= e_t = ξ + (t-1)^+·(g + 2βmξ)</c> by the telescoping identity. The hybrid argument
/// then gives <c>TV &lt;= Σ_t tanh(e_t/2) + T·p*</c> and the chain rule <c>KL &lt;= Σ_t B(2e_t) + T·(2B_ℓ̂ + ln k)·p*</c>.</para>
/// <para>The rank assumption <c>(d, α, ε_avg)</c> is what makes acceptance happen within <c>K</c> epochs (the elliptical
/// potential argument); given acceptance the bound needs only the oracle accuracy <c>ξ</c>. A run that did not accept has no
/// a priori bound (<see cref="Holds"/> is false and the bounds are the trivial ones).</para>
/// </remarks>
/// <param name="Holds">Whether the run accepted and returned the bases it validated, so that the bound applies.</param>
/// <param name="Delta">The failure probability <c>δ</c> of the validation argument.</param>
/// <param name="Ledger">The error terms; <see cref="ErrorLedger.TotalVariation"/> and <see cref="ErrorLedger.KullbackLeibler"/> are the bounds.</param>
/// <param name="Assumptions">The assumptions the bound rests on, in words.</param>
/// <param name="TargetEpsilon">For a <see cref="TheorySchedule"/>: the <c>ε</c> the analysis guarantees under its rank assumption; otherwise <see langword="null"/>.</param>
public sealed record APrioriCertificate(bool Holds, double Delta, ErrorLedger Ledger, IReadOnlyList<string> Assumptions, double? TargetEpsilon)
{
    /// <summary>The a priori TV bound (1 when the bound does not hold).</summary>
    public double TotalVariation => Holds ? Ledger.TotalVariation : 1.0;

    /// <summary>The a priori KL bound in nats (<c>+∞</c> when the bound does not hold).</summary>
    public double KullbackLeibler => Holds ? Ledger.KullbackLeibler : double.PositiveInfinity;

    /// <summary><see cref="TotalVariation"/> with its level: failure probability <see cref="Delta"/> when the bound holds, 0 for the trivial <c>TV &lt;= 1</c> otherwise.</summary>
    public CertifiedBound TotalVariationBound => new(TotalVariation, Holds ? Delta : 0);

    /// <summary><see cref="KullbackLeibler"/> with its level: failure probability <see cref="Delta"/> when the bound holds, 0 for the trivial <c>KL &lt;= ∞</c> otherwise.</summary>
    public CertifiedBound KullbackLeiblerBound => new(KullbackLeibler, Holds ? Delta : 0);

    /// <summary>
    /// Builds the a priori certificate of a learning run.
    /// </summary>
    /// <param name="model">The learned model (for <c>k</c>, <c>T</c>, <c>β</c>, the basis sizes and the logit bound).</param>
    /// <param name="report">The run's report (acceptance, <c>g</c>, <c>n</c>, <c>K</c>, LP residuals).</param>
    /// <param name="schedule">The schedule the run used (a <see cref="TheorySchedule"/> adds its <c>ε</c> and assumptions; under an
    /// <see cref="AdaptiveSchedule"/> the witness-threshold term uses the largest measured residual of the accepting epoch).</param>
    /// <param name="delta">The failure probability <c>δ</c> in <c>(0, 1)</c>.</param>
    /// <param name="oracleAccuracy">The oracle accuracy <c>ξ &gt;= 0</c> (0 for an exact oracle).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="delta"/> or <paramref name="oracleAccuracy"/> is out of range.</exception>
#pragma warning disable RS0027 // The shipped overload keeps its optional ξ (source and binary compatibility); the overload with the approximation report was added beside it.
    public static APrioriCertificate Build(LearnedModel model, LearningReport report, ILearningSchedule schedule, double delta, double oracleAccuracy = 0) =>
        Build(model, report, schedule, delta, oracleAccuracy, approximation: null);
#pragma warning restore RS0027

    /// <summary>
    /// Builds the a priori certificate of a learning run whose oracle may complete some answers (an
    /// <see cref="IApproximationReport"/>, e.g. a top-N server answer with its missing tokens filled in).
    /// </summary>
    /// <remarks>
    /// The ledger term <c>oracle-approximation</c> carries the oracle's largest filled mass <c>φ = MaxFilledMass</c>:
    /// every answer so far is within TV <c>φ</c> of the true conditional, so under the stated assumption that no prefix is
    /// worse, the hybrid argument gives <c>TV(M, M_oracle) &lt;= T·φ</c> on top of the other terms (which bound the
    /// distance to the oracle's own model). A filled token's true probability is unknown, so the only KL bound is the
    /// trivial <c>T·(2B + ln k)</c> once any answer was approximate (proofs-notes/oracle-approximation.md). With no
    /// report, or an exact one, the term is 0.
    /// </remarks>
    /// <param name="model">The learned model (for <c>k</c>, <c>T</c>, <c>β</c>, the basis sizes and the logit bound).</param>
    /// <param name="report">The run's report (acceptance, <c>g</c>, <c>n</c>, <c>K</c>, LP residuals).</param>
    /// <param name="schedule">The schedule the run used (a <see cref="TheorySchedule"/> adds its <c>ε</c> and assumptions; under an
    /// <see cref="AdaptiveSchedule"/> the witness-threshold term uses the largest measured residual of the accepting epoch).</param>
    /// <param name="delta">The failure probability <c>δ</c> in <c>(0, 1)</c>.</param>
    /// <param name="oracleAccuracy">The oracle accuracy <c>ξ &gt;= 0</c> (0 for an exact oracle).</param>
    /// <param name="approximation">The oracle's approximation report, or <see langword="null"/> for an oracle whose answers are all its model's.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="delta"/> or <paramref name="oracleAccuracy"/> is out of range.</exception>
    public static APrioriCertificate Build(LearnedModel model, LearningReport report, ILearningSchedule schedule, double delta, double oracleAccuracy, IApproximationReport? approximation)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(schedule);
        if (!(delta > 0 && delta < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(delta), delta, "Expected a failure probability δ in (0, 1).");
        }

        if (!(oracleAccuracy >= 0) || !double.IsFinite(oracleAccuracy))
        {
            throw new ArgumentOutOfRangeException(nameof(oracleAccuracy), oracleAccuracy, "Expected an oracle accuracy ξ >= 0.");
        }

        var horizon = model.Horizon;
        var k = model.AlphabetSize;
        // Under the adaptive schedule acceptance means "no residual significant against its noise", not |res| <= g: the
        // validation bound then holds with g_eff, the largest residual measured on the accepting epoch's paths
        // (proofs-notes/adaptive-schedule.md, A6). β is the model's reconstruction box (the adaptive one is not the spanner's).
        var adaptive = schedule is AdaptiveSchedule;
        var g = adaptive && report.Accepted && report.Epochs.Count > 0
            ? Math.Max(report.Schedule.WitnessThreshold, report.Epochs[^1].MaxResidual)
            : report.Schedule.WitnessThreshold;
        var beta = model.Options.Beta;
        var n = report.Schedule.ValidationSamples;
        var epochs = report.Schedule.MaxEpochs;
        var m = Math.Max(1, report.Cuts.Count == 0 ? 1 : report.Cuts.Max(c => c.BasisSize));
        var xi = oracleAccuracy;
        var logitBound = model.LogitBound;

        // Per-step sup-norm error on passing paths: e_t = ξ + (t-1)^+ (g + 2βmξ); without the oracle error: (t-1)^+ g.
        double tvWitness = 0, klWitness = 0, tvTotal = 0, klTotal = 0;
        for (var t = 0; t < horizon; t++)
        {
            var steps = Math.Max(0, t - 1);
            var exactError = steps * g;
            var error = xi + (steps * (g + (2 * beta * m * xi)));
            tvWitness += SoftmaxBounds.TotalVariationBoundFromSupNorm(exactError);
            klWitness += SoftmaxBounds.KullbackLeiblerBoundFromSupNorm(exactError);
            tvTotal += SoftmaxBounds.TotalVariationBoundFromSupNorm(error);
            klTotal += SoftmaxBounds.KullbackLeiblerBoundFromSupNorm(error);
        }

        var missMass = Math.Min(1.0, Math.Log(epochs / delta) / n);
        var stepKlRange = (2 * logitBound) + Math.Log(k);
        // Floating point: residuals and predictions are sums of at most 2βm + 1 products of stored entries of size
        // <= B_ℓ̂; 64 ulps of that per step is a generous bound on the rounding the check could have hidden.
        var rounding = Tolerances.FloatingPointLedgerUlps * Tolerances.MachineEpsilon * Math.Max(1, logitBound) * ((2 * beta * m) + 1);
        var terms = new List<LedgerTerm>
        {
            new("witness-threshold", g, tvWitness, klWitness,
                "Every checked residual is at most g, so by telescoping ||ℓ̂ - ℓ||_∞ <= (t-1)g on passing paths; per step TV <= tanh(e/2), KL <= B(2e)."),
            new("oracle-accuracy", xi, tvTotal - tvWitness, klTotal - klWitness,
                "Queries are within ξ: a measured residual is within 2βmξ of the true one, and ℓ(∅), ℓ(y_1) are stored within ξ; e_t = ξ + (t-1)(g + 2βmξ)."),
            new("validation-miss-mass", missMass, horizon * missMass, horizon * stepKlRange * missMass,
                $"Acceptance after n = {n} passing samples: with probability >= 1-δ the failing mass is <= ln(K/δ)/n (union over K = {epochs} epochs); a failing path costs <= 1 TV and <= 2B + ln k KL per step."),
            new("floating-point", rounding, horizon * SoftmaxBounds.TotalVariationBoundFromSupNorm(rounding), horizon * SoftmaxBounds.KullbackLeiblerBoundFromSupNorm(rounding),
                "Rounding in the residual check: at most 64 ulps of (2βm+1)·max(1, B) per step."),
            adaptive
                ? new("lp-residual", report.Epochs.Count == 0 ? 0 : report.Epochs.Max(e => e.MaxLpResidual), 0, 0,
                    "The largest reconstruction residual on a validation prefix, above τ_lp or not (the adaptive schedule keeps the minimum-residual solution everywhere). Subsumed: the witness check measures the residuals on every checked word directly.")
                : new("lp-residual", report.LargestAcceptedLpResidual, 0, 0,
                    "Subsumed: the witness check measures the residuals on every checked word directly, LP residual included."),
            new("spanner-miss-mass", schedule is TheorySchedule theory ? theory.Eta : 0, 0, 0,
                "Subsumed by the validation miss mass: an uncovered history shows as an infeasible LP or a large residual on a validation path."),
            new("infeasible-lp-mass", report.Epochs.Count == 0 ? 0 : report.Epochs[^1].InfeasibleLps, 0, 0,
                "Subsumed by the validation miss mass: an infeasible LP on a validation path fails the epoch."),
            OracleApproximationTerm(approximation, horizon, stepKlRange),
        };
        if (adaptive)
        {
            var returned = report.ReturnedEpoch > 0 ? report.ReturnedEpoch : report.EpochsRun;
            var floors = report.NoiseFloors.Where(n => n.Epoch == returned).ToArray();
            terms.Add(new("noise-floor", floors.Length == 0 ? 0 : floors.Max(n => n.NoiseFloor), 0, 0,
                string.Create(CultureInfo.InvariantCulture, $"The largest noise floor measured on the returned epoch's spanner rows ({floors.Count(n => n.Knee)} of {floors.Length} cuts with a knee); it set SPANNER's rank tolerance, τ_lp and the witness test (AdaptiveSchedule). Not an error term: its effect is measured by the witness-threshold term's g_eff.")));
        }

        var assumptions = new List<string>
        {
            $"The oracle is fixed (cached) and within ξ = {xi} of the target in every coordinate.",
            "The validation samples of each epoch are fresh draws from the target, independent of that epoch's bases.",
        };
        double? targetEpsilon = null;
        if (schedule is TheorySchedule theorySchedule)
        {
            targetEpsilon = theorySchedule.Epsilon;
            assumptions.Add($"Acceptance within K = {theorySchedule.EpochCount} epochs with probability >= 1-δ needs logit rank <= d = {theorySchedule.Rank} with α = {theorySchedule.Alpha}-bounded factors and ξ <= {theorySchedule.RequiredOracleAccuracy}; then TV <= ε = {theorySchedule.Epsilon}.");
        }
        else if (adaptive)
        {
            assumptions.Add(string.Create(CultureInfo.InvariantCulture, $"Adaptive schedule: nothing guarantees acceptance, and its tolerances were set from the measurements; when an epoch accepts, the bound above holds without a rank assumption, with the witness-threshold term at g_eff = {g:G4}, the largest residual measured on the accepting epoch's validation paths (acceptance there means no residual was significant against its noise, not that every residual was at most g). The analysis's rank-based acceptance guarantee, its β = 2 box and its fresh spanner samples do not apply."));
        }
        else
        {
            assumptions.Add("Practical schedule: nothing guarantees acceptance; when it happens, the bound above holds without a rank assumption.");
        }

        if (approximation is { MayApproximate: true })
        {
            assumptions.Add(string.Create(CultureInfo.InvariantCulture, $"The oracle completes some answers ({approximation.ApproximatedAnswers} so far, filled mass at most φ = {approximation.MaxFilledMass:G4}): the other terms bound the distance to the oracle's own model, and the oracle-approximation term assumes that no prefix, asked or not, has a completed answer farther than φ in TV from the true conditional. The hold-out certificate needs no such assumption."));
        }

        if (report.OutsideAnalysis)
        {
            assumptions.Add("Options outside the analysis were used: " + string.Join("; ", report.OutsideAnalysisReasons) + ". The validation bound still holds for the returned model.");
        }

        if (!report.Accepted)
        {
            assumptions.Add("The run did not accept an epoch: no a priori bound applies (TV <= 1 trivially).");
        }
        else if (report.ReturnedTail)
        {
            // proofs-notes/adaptive-schedule.md, A8: the witness search checked the truncated bases' residuals, not the
            // returned model's; the validation bound is a statement about the checked model.
            assumptions.Add("The returned model keeps the tails beyond the signal rank at the knee cuts (chosen by validation TV), whose residuals the witness search did not check: the validation bound covers the truncated bases, not this model, so no a priori bound applies (TV <= 1 trivially). The hold-out certificate covers it.");
        }

        return new APrioriCertificate(report.Accepted && !report.ReturnedTail, delta, new ErrorLedger(terms), assumptions, targetEpsilon);
    }

    private static LedgerTerm OracleApproximationTerm(IApproximationReport? approximation, int horizon, double stepKlRange)
    {
        if (approximation is not { MayApproximate: true })
        {
            return new("oracle-approximation", 0, 0, 0, "Every answer is the oracle's model's own (no completed answers): no term.");
        }

        var phi = Math.Clamp(approximation.MaxFilledMass, 0, 1);
        var any = approximation.ApproximatedAnswers > 0;
        return new("oracle-approximation", phi, horizon * phi, any ? horizon * stepKlRange : 0,
            "Completed answers (filled tokens) are within TV φ of the true conditional: TV(M, M_oracle) <= T·φ by the hybrid argument, if no prefix is worse than those seen. "
            + "A filled token's true probability is unknown, so KL gets only its trivial bound T·(2B + ln k) once any answer was completed.");
    }
}
