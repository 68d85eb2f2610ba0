namespace LogitRank.Numerics;

/// <summary>
/// The one home of the core's numerical tolerances (as MathNet.Numerics keeps its in <c>Precision</c>): every
/// threshold that decides "equal up to rounding", "numerically zero or singular", or how much slack a check or a bound
/// allows, with what it is for and why it has its value.
/// </summary>
/// <remarks>
/// <para>Notation: <c>u = 2^-53</c> is the unit roundoff of <c>double</c> and <see cref="MachineEpsilon"/> <c>= 2u</c> the
/// spacing of doubles at 1; a sum of <c>n</c> products errs by at most about <c>n·u</c> of its largest term.</para>
/// <para><b>Ledger.</b> A tolerance that can change a learned model or a certificate enters the error ledger of
/// <c>LogitRank.Certification.APrioriCertificate</c> (proofs-notes/validation-bound.md): <see cref="LpRelative"/> (term
/// <c>lp-residual</c>, and infeasible LPs through <c>infeasible-lp-mass</c>), <see cref="SpannerRank"/> and
/// <see cref="ZeroRow"/> (which rows SPANNER keeps: term <c>spanner-miss-mass</c>), <see cref="MachineEpsilon"/> and
/// <see cref="FloatingPointLedgerUlps"/> (term <c>floating-point</c>), and <see cref="LogitBoundRelativeSlack"/> (the
/// range <c>2B + ln k</c> of the KL terms and of the hold-out certificate). The others only decide whether a runtime
/// contract or an input check fires, or guard a computation whose result is exact either way.</para>
/// <para><b>Not here.</b> The LP solver's own settings: <c>LpOptions</c> (pivot <c>1e-11</c>, feasibility <c>1e-12</c>,
/// optimality <c>1e-10</c>) are user options with their own docs. The simplex's internal thresholds (<see cref="LpDrift"/>,
/// <see cref="LpVerifiedInconsistency"/>, <see cref="LpRestartPivotCeiling"/>, <see cref="LpDegenerateDecrease"/>) and the
/// incremental reconstruction's (<see cref="ReconstructionGreedySlack"/>, <see cref="PseudoInverseRank"/>) are here, each
/// explained where it acts too (proofs-notes/lp-reconstruction.md, L5, L9, L10). Model and estimator parameters that happen to be small numbers
/// (an HMM's smoothing, a spectral learner's probability floor, the practical schedule's witness threshold <c>g</c>) are
/// not tolerances: they are defaults of the objects they parameterise.</para>
/// </remarks>
internal static class Tolerances
{
    /// <summary>
    /// <c>2^-52 ≈ 2.22e-16</c>, the spacing of doubles at 1 (<c>2u</c>): the unit in which rounding of a computation is
    /// measured (<c>SymmetricEigenvalues</c> deflation, <c>PowerLawFit</c>'s "equal up to rounding", the ledger's
    /// floating-point term).
    /// </summary>
    public const double MachineEpsilon = 1.0 / (1L << 52);

    /// <summary>
    /// Default relative LP tolerance of both schedules: a reconstruction is feasible when its residual is at most
    /// <c>τ_lp = LpRelative · max(1, max |basis entry|)</c>. On exact-rank targets the residual is rounding (about
    /// <c>1e-14</c> relative), so <c>1e-6</c> accepts those with eight orders to spare while an infeasible prefix (a missing
    /// basis direction) has a residual of the order of the logits. Ledger term <c>lp-residual</c> (subsumed: the residuals
    /// are measured directly).
    /// </summary>
    public const double LpRelative = 1e-6;

    /// <summary>
    /// Default relative rank tolerance of SPANNER (<c>BarycentricSpanner.Select</c> and both schedules): a row within
    /// <c>SpannerRank · max ||row||</c> of the span of the rows already chosen counts as dependent. Rows are oracle
    /// answers accurate to about <c>1e-15</c> relative; <c>1e-9</c> ignores their rounding and keeps any direction a real
    /// target has. Ledger term <c>spanner-miss-mass</c> (subsumed: an uncovered history fails validation).
    /// </summary>
    public const double SpannerRank = 1e-9;

    /// <summary>
    /// Default absolute zero-row tolerance of both schedules: a cut whose rows all have entries at most this in
    /// magnitude gets an empty basis (its logit matrix is zero up to the rounding of centred logits of size 1, a few
    /// <c>1e-16</c>). Changes which cuts are empty, hence term <c>spanner-miss-mass</c>.
    /// </summary>
    public const double ZeroRow = 1e-10;

    /// <summary>
    /// Relative slack of a learned model's logit bound <c>B</c> (<c>LearnedModel.LogitBound</c> carries <c>1 + 1e-9</c>)
    /// and of the hold-out certifier's check that every learned logit is at most <c>B</c>: predictions are sums of at most
    /// <c>m</c> products, whose relative rounding is about <c>m · 1.1e-16</c>, far below <c>1e-9</c>; a false bound is off by
    /// far more. <c>B</c> is the range of the certificates' KL terms (<c>2B + ln k</c> per step).
    /// </summary>
    public const double LogitBoundRelativeSlack = 1e-9;

    /// <summary>
    /// Absolute slack of the hold-out certifier's logit-bound check, added to <see cref="LogitBoundRelativeSlack"/>: covers
    /// a bound <c>B = 0</c> (the uniform model) whose logits are rounding residues of size <c>1e-16</c>.
    /// </summary>
    public const double LogitBoundAbsoluteSlack = 1e-12;

    /// <summary>
    /// The ulps per step of the a priori certificate's <c>floating-point</c> ledger term: residuals and predictions are
    /// sums of at most <c>2βm + 1</c> products of stored entries of size at most <c>max(1, B)</c>, whose rounding is a few
    /// ulps of that; 64 is a generous bound on what the residual check could have hidden.
    /// </summary>
    public const int FloatingPointLedgerUlps = 64;

    /// <summary>
    /// Relative outward rounding of the computed softmax bounds (<c>SoftmaxBounds</c>): <c>tanh(R/4)</c> and <c>B(R)</c>
    /// are evaluated with a few ulps of error (about <c>1e-15</c> relative), so adding <c>1e-14</c> of the value makes the
    /// computed number an upper bound of the true one; the closed form of <c>B(R)</c> adds <c>1e-14 · max(1, R)</c>, a few
    /// ulps of its largest summand.
    /// </summary>
    public const double OutwardRelative = 1e-14;

    /// <summary>Absolute outward rounding of the softmax bounds, added to <see cref="OutwardRelative"/>: keeps a bound of a subnormal value positive.</summary>
    public const double OutwardAbsolute = 1e-300;

    /// <summary>
    /// Rounding a Monte Carlo KL sample may exceed its stated range by before it is rejected (<c>MonteCarloDivergence</c>):
    /// a sum of <c>T</c> per-step values errs by about <c>T · u</c> relative, far below <c>1e-12</c> for any horizon; a value
    /// above the range by more means the range was false.
    /// </summary>
    public const double RangeRoundingRelative = 1e-12;

    /// <summary>
    /// Relative level below which the entries of a vector given as centred logits (<c>LogitVector.FromCentered</c>) sum
    /// to 0: <c>|Σ| &lt;= k · 2^-40 · max(1, max |entry|)</c>. Centring leaves a sum of a few ulps of the largest entry
    /// (<c>2^-52</c> relative each); <c>2^-40</c> is 4096 times that and far below any real offset.
    /// </summary>
    public const double CenteredSumRelative = 1.0 / (1L << 40);

    /// <summary>
    /// The LP runtime contract's tolerance (<c>Contracts.CheckLp</c>): the solver's residual and its recomputation may
    /// differ by <c>1e-8 · scale · (1 + Σ|x_j|)</c>. The direct evaluation errs by <c>(n + 1)u</c> of that scale, the
    /// solver's by the pivot tolerance times the final basis' condition; <c>1e-8</c> leaves three orders for the condition,
    /// and is ten times the solver's own verified inconsistency (<c>MinimaxSimplex.VerifiedInconsistency</c>).
    /// </summary>
    public const double LpResidualCheck = 1e-8;

    /// <summary>
    /// The opt-in LP optimality contract's tolerance on the duality gap, <c>1e-6 · scale · (1 + Σ|x_j|)</c>: a heuristic,
    /// since a degenerate, ill-conditioned final basis can leave a larger gap without a bug.
    /// </summary>
    public const double LpDualityGapCheck = 1e-6;

    /// <summary>
    /// Relative rounding allowed in the spanner contract (<c>Contracts.CheckSpanner</c>), added to the rank tolerance:
    /// the <c>d</c>-term combinations and <c>d×d</c> solves err by about <c>d · u · B</c> times the condition of a
    /// β-spanner selection, which <c>1e-9</c> covers with room (measured: largest ratio 7.1e-5 of the tolerance).
    /// </summary>
    public const double SpannerRepresentationRounding = 1e-9;

    /// <summary>
    /// The telescoping check's relative tolerance (<c>WitnessSearch.CheckTelescoping</c>):
    /// <c>1e-9 · max(1, t · max m_s |c| |ℓ|)</c>. Rounding of <c>t</c> sums of <c>m_s</c> products is about <c>1e-16</c> of
    /// that scale; an index error or an oracle that changed an answer is of the order of the logits.
    /// </summary>
    public const double TelescopingRelative = 1e-9;

    /// <summary>
    /// Relative pivot threshold below which a square system counts as numerically singular (<c>DenseLinearAlgebra</c>):
    /// about 45 ulps, the rounding of an elimination on well-scaled data; a smaller pivot would amplify rounding by more
    /// than <c>10^14</c>.
    /// </summary>
    public const double SingularPivot = 1e-14;

    /// <summary>
    /// Norm below which a Gram–Schmidt step of <c>Gaussian.Orthogonal</c> draws its Gaussian vector again: the vector
    /// (expected norm <c>sqrt(d)</c>) then lies numerically in the span of the previous columns, and normalising it
    /// would amplify rounding by <c>10^8</c>. It happens with probability 0 in exact arithmetic.
    /// </summary>
    public const double GramSchmidtRedraw = 1e-8;

    /// <summary>
    /// Relative cutoff of the least-squares baseline's pseudo-inverse: singular values at most <c>1e-10 · σ_max</c> are
    /// treated as 0 (the SVD is backward stable to about <c>sqrt(mn) · u · σ_max</c>, far below).
    /// </summary>
    public const double PseudoInverseCutoff = 1e-10;

    /// <summary>
    /// Default relative residual below which the least-squares baseline counts a candidate row as spanned (its greedy
    /// basis selection); looser than <see cref="SpannerRank"/> because its rows come from sampled histories of a
    /// baseline, where a near-dependent row only costs queries.
    /// </summary>
    public const double LeastSquaresRank = 1e-8;

    /// <summary>
    /// Default relative level below which a singular value is negligible for <c>RankStrategy.LargestGap</c>: values
    /// below <c>1e-12 · σ_1</c> are rounding residues of an SVD of double-precision data (backward error about
    /// <c>sqrt(mn) · u · σ_1</c>).
    /// </summary>
    public const double NegligibleSingularValue = 1e-12;

    /// <summary>
    /// How far from 0 a row's log-sum-exp in a <c>logitrank-target/1</c> table may be (<c>TargetTable.RowTolerance</c>,
    /// the format's rule, proofs-notes/target-tables.md): within it the row is renormalised, so decimal text printed with
    /// about 7 significant digits still loads; a row off by more does not sum to 1 and is not the distribution the file claims.
    /// </summary>
    public const double TableRowLogSumExp = 1e-6;

    /// <summary>
    /// How far from 1 a row of an HMM's probability matrices may sum (<c>HiddenMarkovModel.RowSumTolerance</c>): rows are
    /// given as doubles by code, whose normalisation errs by a few ulps; <c>1e-9</c> leaves room for rows computed in a few
    /// steps and rejects a row that is not a distribution.
    /// </summary>
    public const double StochasticRowSum = 1e-9;

    /// <summary>
    /// The simplex refactorises its tableau when a basic value recomputed from the original data differs from the running
    /// one by more than this (relative to <c>1 + |value|</c>): far above the rounding of a well-conditioned update
    /// (about <c>1e-15</c>), far below the drift that led to the defect of issue 15 (order one).
    /// </summary>
    public const double LpDrift = 1e-9;

    /// <summary>
    /// The largest <c>|max_i |(Ax - b)_i| - r| / (1 + Σ|x_j|)</c> (scaled data) with which the simplex accepts a final basis:
    /// a tenth of the runtime contract's <see cref="LpResidualCheck"/>, so a verified result always satisfies it.
    /// </summary>
    public const double LpVerifiedInconsistency = LpResidualCheck / 10;

    /// <summary>
    /// The largest pivot tolerance a restart after drift raises it to (a hundredfold per restart): large enough to keep
    /// the new path away from nearly singular pivots, small enough that skipped rows stay within the verified tolerance
    /// for steps of the box's size.
    /// </summary>
    public const double LpRestartPivotCeiling = 1e-4;

    /// <summary>
    /// A simplex step counts as degenerate when it lowers <c>r</c> by at most this times <c>max(1, |r|)</c> (scaled data):
    /// a few hundred ulps of <c>r</c>, so rounding noise in a zero-length step never counts as progress (L5).
    /// </summary>
    public const double LpDegenerateDecrease = 1e-13;

    /// <summary>
    /// The incremental reconstruction accepts an extension whose new block's residual is at most its parent's plus this
    /// times the block's data scale: above the rounding of a block solve (about <c>1e-15</c> relative) so that exact-rank
    /// targets never fall back to a whole-prefix solve, and small enough that the result is optimal for the whole prefix's
    /// LP within <c>(t - 1) · 1e-9 ·</c> scale, a thousandth of the default <see cref="LpRelative"/> (L10).
    /// </summary>
    public const double ReconstructionGreedySlack = 1e-9;

    /// <summary>
    /// Singular values below this fraction of the largest count as zero in the pseudo-inverses of the reconstruction's
    /// blocks. The least-squares candidate they give is checked (its residual recomputed), never trusted, so this only
    /// decides which blocks count as full column rank.
    /// </summary>
    public const double PseudoInverseRank = 1e-10;

    /// <summary>
    /// The floor of the least-squares reconstruction's ridge, relative to the mean diagonal of <c>A_sᵀA_s</c>:
    /// <c>λ̄_s = max(λ_s, 1e-12 · ||A_s||_F² / m_s)</c> (proofs-notes/lp-reconstruction.md, L11). It makes the ridge solve
    /// well posed on rank-deficient blocks (the projector's <c>R</c> has condition at most about <c>1e6</c> in units of the
    /// block's scale) while biasing an exact fit by about <c>1e-12 · κ²</c> of its size (<c>κ</c> the block's condition number), far below the residuals
    /// an approximate target produces and below <see cref="LpRelative"/>. A model property (it changes coefficients),
    /// persisted through the ridge it floors; its effect on a model is measured by the residuals in the ledger.
    /// </summary>
    public const double LeastSquaresRidgeFloor = 1e-12;
}
