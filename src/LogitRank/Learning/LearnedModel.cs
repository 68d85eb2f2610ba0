using LogitRank.Models;
using LogitRank.Numerics;
using LogitRank.Sequences;

namespace LogitRank.Learning;

/// <summary>The numerical options a <see cref="LearnedModel"/> was built with (they are part of its definition).</summary>
/// <param name="Beta">The coefficient box <c>β</c> of RECONSTRUCT.</param>
/// <param name="LpTolerance">The absolute acceptance tolerance <c>τ_lp</c>: an LP is feasible when <c>r &lt;= τ_lp</c>.</param>
/// <param name="Fallback">The behaviour at infeasible prefixes.</param>
public sealed record LearnedModelOptions(double Beta, double LpTolerance, FallbackPolicy Fallback)
{
    /// <summary>
    /// The LP solver options of RECONSTRUCT (<see langword="null"/>: the solver's defaults). The learner passes the options
    /// it validated with, so validation and generation solve the identical LP with the identical solver.
    /// </summary>
    public LpOptions? Solver { get; init; }

    /// <summary>
    /// How RECONSTRUCT chooses the coefficients (<see cref="ReconstructionMethod"/>). Default
    /// <see cref="ReconstructionMethod.MinimaxLp"/>, the analysed minimax LP. <see cref="ReconstructionMethod.LeastSquares"/>
    /// always uses its solution (minimum-residual semantics), so it requires <see cref="FallbackPolicy.MinimumResidual"/>:
    /// the model's constructor rejects it with <see cref="FallbackPolicy.Uniform"/>.
    /// </summary>
    public ReconstructionMethod Method { get; init; } = ReconstructionMethod.MinimaxLp;

    /// <summary>
    /// The ridge <c>λ_s</c> per cut <c>s = 0..T-1</c> of <see cref="ReconstructionMethod.LeastSquares"/>, in squared logit
    /// units: block <c>s &gt;= 1</c> solves <c>min_c ||A_s c - b||_2² + λ̄_s ||c||_2²</c> with
    /// <c>λ̄_s = max(λ_s, 1e-12 · ||A_s||_F² / m_s)</c> (the floor, <c>1e-12</c> of the mean diagonal of <c>A_sᵀA_s</c>,
    /// keeps the solve well posed on rank-deficient blocks and changes nothing at the ridges a caller would choose).
    /// <see langword="null"/> (the default): every <c>λ_s = 0</c>, i.e. the floor alone. <c>λ_0</c> and <c>λ_{T-1}</c> are
    /// never used (cut 0 has no variable block, and no prefix of length <c>&lt;= T-1</c> uses block <c>T-1</c>) but must be
    /// valid. Ignored by <see cref="ReconstructionMethod.MinimaxLp"/>. The list is copied.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">An entry is negative, infinite or NaN; the message names its index and value.
    /// (A length other than <c>T</c> is rejected by the <see cref="LearnedModel"/> constructor.)</exception>
    public IReadOnlyList<double>? Ridge
    {
        get;
        init
        {
            if (value is null)
            {
                field = null;
                return;
            }

            var copy = value.ToArray();
            for (var s = 0; s < copy.Length; s++)
            {
                if (!(copy[s] >= 0) || !double.IsFinite(copy[s]))
                {
                    throw new ArgumentOutOfRangeException(nameof(Ridge), copy[s], $"Ridge[{s}] = {copy[s]}; expected a finite ridge λ_{s} >= 0.");
                }
            }

            field = Array.AsReadOnly(copy);
        }
    }

    /// <summary>
    /// The clip <c>C</c> of the predicted logits, or <see langword="null"/> (the default) for none: every raw prediction
    /// <c>ℓ̂_raw(h)[a] = Σ_i c_i R_i(y_t∘a)</c> is clamped to <c>[−C, C]</c> before centring, so every logit of the model is
    /// within <c>2C</c> (<see cref="LearnedModel.LogitBound"/> is at most <c>2C</c>). Clamping is non-expansive towards any
    /// target whose centred logits are within <c>[−C, C]</c>: it never moves a prediction away from such a truth in any
    /// coordinate. <see cref="AdaptiveSchedule"/> sets <c>C</c> to twice the largest stored logit, so that the hold-out KL
    /// certificate's range rests on the data instead of on <c>β · m · max|R|</c> (proofs-notes/adaptive-schedule.md, A9).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Not positive and finite.</exception>
    public double? LogitClip
    {
        get;
        init => field = value is null || (value > 0 && double.IsFinite(value.Value)) ? value : throw new ArgumentOutOfRangeException(nameof(LogitClip), value, $"LogitClip = {value}; expected a finite clip C > 0 (or null for none).");
    }

    /// <summary>Clamps <paramref name="raw"/> in place to <c>[−<see cref="LogitClip"/>, <see cref="LogitClip"/>]</c> (nothing without a clip) and returns it.</summary>
    internal double[] Clip(double[] raw) => ClipTo(raw, LogitClip);

    /// <summary>Clamps <paramref name="raw"/> in place to <c>[−clip, clip]</c> (nothing for <see langword="null"/>) and returns it.</summary>
    internal static double[] ClipTo(double[] raw, double? clip)
    {
        if (clip is { } c)
        {
            for (var a = 0; a < raw.Length; a++)
            {
                raw[a] = Math.Clamp(raw[a], -c, c);
            }
        }

        return raw;
    }

    /// <summary>Value equality over every option, the ridge compared entry by entry.</summary>
    public bool Equals(LearnedModelOptions? other) =>
        other is not null
        && Beta.Equals(other.Beta) && LpTolerance.Equals(other.LpTolerance) && Fallback == other.Fallback
        && Equals(Solver, other.Solver) && Method == other.Method && Nullable.Equals(LogitClip, other.LogitClip)
        && (Ridge is null ? other.Ridge is null : other.Ridge is not null && Ridge.SequenceEqual(other.Ridge));

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Beta);
        hash.Add(LpTolerance);
        hash.Add(Fallback);
        hash.Add(Solver);
        hash.Add(Method);
        hash.Add(LogitClip);
        foreach (var lambda in Ridge ?? [])
        {
            hash.Add(lambda);
        }

        return hash.ToHashCode();
    }
}

/// <summary>
/// The generator of Algorithm 2 (ALGORITHM.md section 4) as a proper model on <c>Σ^T</c>: for a prefix <c>y_{1:t}</c>,
/// <c>ℓ̂(∅) = R_{0,1}</c> on <c>Σ</c>, and for <c>t &gt;= 1</c> RECONSTRUCT(<c>y_{1:t}</c>) is solved afresh for the whole prefix and
/// <c>ℓ̂(y_{1:t})[a] = center(Σ_i c_{t-1,i} R_{t-1,i}(y_t∘a))</c>. Cuts are 0-based (see <see cref="Learning.FutureSets"/>).
/// </summary>
/// <remarks>
/// <para>The model holds only future sets, stored rows and options: no reference to any oracle, so evaluating or
/// sampling it never makes a query. Reconstructions are incremental (a prefix's coefficients extend its parent's; see
/// proofs-notes/lp-reconstruction.md, L10) and memoised per prefix in a bounded least-recently-used memo
/// (<see cref="MemoCapacity"/>, thread-safe): memory stays flat however many sequences are sampled, and since a
/// reconstruction is a pure function of its prefix, the memo never changes a probability.</para>
/// <para>Fallback: with <see cref="FallbackPolicy.Uniform"/> a prefix is <i>feasible</i> when its LP and the LPs of all its
/// non-empty prefixes have <c>r &lt;= τ_lp</c>; at an infeasible prefix the logits are 0 (uniform). With
/// <see cref="FallbackPolicy.MinimumResidual"/> the minimum-<c>r</c> solution is always used.</para>
/// <para>Method (<see cref="LearnedModelOptions.Method"/>): under <see cref="ReconstructionMethod.LeastSquares"/> the
/// coefficients are the sequential ridge least-squares solution of the same equations (proofs-notes/lp-reconstruction.md,
/// L11), always used (the fallback must be <see cref="FallbackPolicy.MinimumResidual"/>); <see cref="LpResidual"/> is the
/// largest equation residual of that solution, so it is comparable to the LP's and enters the ledger the same way.</para>
/// </remarks>
public sealed partial class LearnedModel : SequenceModel
{
    private readonly Reconstructor _engine;
    private readonly CutBasis[] _bases;

    /// <summary>Creates a learned model from future sets, one basis per cut <c>0..T-1</c>, and options.</summary>
    /// <exception cref="ArgumentException">The bases do not match the future sets (count, cut, width), cut 0 is not the
    /// empty history alone, or an option is out of range (including a <see cref="LearnedModelOptions.Ridge"/> whose length
    /// is not <c>T</c>, and <see cref="ReconstructionMethod.LeastSquares"/> with <see cref="FallbackPolicy.Uniform"/>); the
    /// message names it.</exception>
    public LearnedModel(FutureSets futureSets, IReadOnlyList<CutBasis> bases, LearnedModelOptions options)
        : this(futureSets, bases, options, DefaultMemoCapacity)
    {
    }

    /// <summary>
    /// Creates a learned model whose memo of reconstructions holds at most <paramref name="memoCapacity"/> prefixes
    /// (least recently used first out; 0 keeps none). The capacity changes speed and memory only, never a probability:
    /// a reconstruction is a pure function of its prefix.
    /// </summary>
    /// <exception cref="ArgumentException">As <see cref="LearnedModel(FutureSets, IReadOnlyList{CutBasis}, LearnedModelOptions)"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="memoCapacity"/> is negative.</exception>
    public LearnedModel(FutureSets futureSets, IReadOnlyList<CutBasis> bases, LearnedModelOptions options, int memoCapacity)
        : base(futureSets?.AlphabetSize ?? throw new ArgumentNullException(nameof(futureSets)), futureSets.Horizon)
    {
        if (memoCapacity < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(memoCapacity), memoCapacity, $"The memo capacity is {memoCapacity}; expected a number of prefixes >= 0.");
        }

        ArgumentNullException.ThrowIfNull(bases);
        ArgumentNullException.ThrowIfNull(options);
        if (!(options.Beta > 1) || !double.IsFinite(options.Beta))
        {
            throw new ArgumentException($"β = {options.Beta}; expected a finite number > 1.", nameof(options));
        }

        if (!(options.LpTolerance >= 0) || !double.IsFinite(options.LpTolerance))
        {
            throw new ArgumentException($"τ_lp = {options.LpTolerance}; expected a finite number >= 0.", nameof(options));
        }

        if (!Enum.IsDefined(options.Fallback))
        {
            throw new ArgumentException($"Fallback = {options.Fallback} is not a defined FallbackPolicy.", nameof(options));
        }

        if (!Enum.IsDefined(options.Method))
        {
            throw new ArgumentException($"Method = {options.Method} is not a defined ReconstructionMethod.", nameof(options));
        }

        if (options.Method == ReconstructionMethod.LeastSquares && options.Fallback == FallbackPolicy.Uniform)
        {
            throw new ArgumentException($"Method = {ReconstructionMethod.LeastSquares} with Fallback = {FallbackPolicy.Uniform}: least-squares reconstruction always uses its solution (minimum-residual semantics); expected Fallback = {FallbackPolicy.MinimumResidual}.", nameof(options));
        }

        if (options.Ridge is { } ridge && ridge.Count != Horizon)
        {
            throw new ArgumentException($"Ridge has {ridge.Count} entries; expected one per cut, T = {Horizon}.", nameof(options));
        }

        if (bases.Count != Horizon)
        {
            throw new ArgumentException($"Expected T = {Horizon} bases (cuts 0..{Horizon - 1}); got {bases.Count}.", nameof(bases));
        }

        for (var s = 0; s < Horizon; s++)
        {
            var basis = bases[s] ?? throw new ArgumentException($"The basis of cut {s} is null.", nameof(bases));
            if (basis.Cut != s)
            {
                throw new ArgumentException($"bases[{s}] is for cut {basis.Cut}; expected cut {s}.", nameof(bases));
            }

            if (basis.Width != futureSets.Extended(s).Count)
            {
                throw new ArgumentException($"The rows of cut {s} have width {basis.Width}; expected |F̃_{s}| = {futureSets.Extended(s).Count}.", nameof(bases));
            }
        }

        if (bases[0].Size != 1)
        {
            throw new ArgumentException($"Cut 0 must have exactly one basis history (the empty prefix); got {bases[0].Size}.", nameof(bases));
        }

        _bases = [.. bases];
        Options = options;
        _engine = new Reconstructor(futureSets, _bases, options.Beta, options.LpTolerance, options.Solver, memoCapacity, proveInfeasibility: options.Fallback == FallbackPolicy.Uniform, options.Method, options.Ridge);
        MemoCapacity = memoCapacity;
        LogitBound = ComputeLogitBound();
    }

    /// <summary>
    /// The default capacity of the memo of reconstructions: <c>2^16</c> prefixes, a few tens of megabytes at most for the
    /// models of this library (one coefficient block and a few references per prefix), enough to hold every prefix of
    /// the first few positions, which most sequences share.
    /// </summary>
    public const int DefaultMemoCapacity = Reconstructor.DefaultMemoCapacity;

    /// <summary>The largest number of prefixes whose reconstructions the model keeps (least recently used first out).</summary>
    public int MemoCapacity { get; }

    /// <summary>The same model with a memo of capacity <paramref name="memoCapacity"/> (starting empty).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="memoCapacity"/> is negative.</exception>
    public LearnedModel WithMemoCapacity(int memoCapacity) => new(FutureSets, _bases, Options, memoCapacity);

    /// <summary>The future sets <c>F̂_s</c>, <c>F̃_s</c> the model was built on.</summary>
    public FutureSets FutureSets => _engine.Futures;

    /// <summary>The bases, one per cut <c>s = 0..T-1</c> (cut <c>T-1</c> is never used and usually empty).</summary>
    public IReadOnlyList<CutBasis> Bases => _bases;

    /// <summary>The options (<c>β</c>, <c>τ_lp</c>, fallback, solver, method, ridge) that are part of the model's definition.</summary>
    public LearnedModelOptions Options { get; }

    /// <summary>
    /// A proved bound on every logit: <c>|ℓ̂(h)[a]| &lt;= LogitBound</c> for every prefix <c>h</c> with <c>|h| &lt;= T-1</c> and every
    /// <c>a</c>. It is the largest of <c>max|R_0| + |mean R_0|</c> on <c>Σ</c> (for <c>t = 0</c>) and
    /// <c>β · m_s · (max|R_s| + δ_s)</c> over the cuts <c>s &lt;= T-2</c> that predictions use, times <c>1 + 1e-9</c>, where <c>δ_s</c> bounds the centring defect of the stored two-token
    /// groups (0 up to rounding for oracle data) and the factor absorbs floating-point rounding; the uniform fallback
    /// has logits 0; with <see cref="LearnedModelOptions.LogitClip"/> <c>C</c>, at most <c>2C</c> (times the same factor). See proofs-notes/reconstruction-and-telescoping.md.
    /// </summary>
    public double LogitBound { get; }

    /// <summary>
    /// RECONSTRUCT(<paramref name="prefix"/>) (memoised): the coefficients and residual of the prefix's own LP (or of its
    /// least-squares reconstruction under <see cref="ReconstructionMethod.LeastSquares"/>).
    /// </summary>
    /// <param name="prefix">A prefix with <c>|prefix| &lt;= T-1</c>.</param>
    public ReconstructionResult Reconstruct(Prefix prefix)
    {
        ValidatePrefix(prefix, Horizon - 1);
        return ReconstructValidated(prefix);
    }

    /// <summary>
    /// The residual <c>r</c> of the prefix's reconstruction (0 for <c>|prefix| &lt;= 1</c>): the optimum of its LP within
    /// <c>(t - 1) · 1e-9</c> of the data scale, except where the uniform fallback settled the prefix, or an ancestor, as
    /// infeasible by a dual certificate: then an upper bound on the optimum, both above <c>τ_lp</c>
    /// (proofs-notes/lp-reconstruction.md, L10). Under <see cref="ReconstructionMethod.LeastSquares"/>: the largest absolute
    /// residual of the LP's equations at the least-squares coefficients, at least the LP's optimum (L11).
    /// </summary>
    public double LpResidual(Prefix prefix) => Reconstruct(prefix).Residual;

    /// <summary>
    /// Whether the prefix and all its non-empty prefixes have feasible LPs (<c>r &lt;= τ_lp</c>). Under
    /// <see cref="FallbackPolicy.Uniform"/> the model predicts uniform exactly at the prefixes where this is false; under
    /// <see cref="ReconstructionMethod.LeastSquares"/> it is a label of the residuals only.
    /// </summary>
    public bool IsFeasible(Prefix prefix)
    {
        ValidatePrefix(prefix, Horizon - 1);
        return IsFeasibleValidated(prefix);
    }

    /// <inheritdoc/>
    protected override LogitVector ComputeLogits(Prefix prefix)
    {
        var result = ReconstructValidated(prefix);
        if (Options.Fallback == FallbackPolicy.Uniform && !result.PathFeasible)
        {
            return LogitVector.Uniform(AlphabetSize);
        }

        var logits = LogitVector.FromLogits(Options.Clip(_engine.PredictRaw(prefix, result)));

        // Runtime contract (proofs-notes/runtime-contracts.md): Lemma 4's bound, which the certifier relies on; O(k).
        Contracts.CheckLogitBound(logits.Values, LogitBound, prefix);
        return logits;
    }

    internal Reconstructor Engine => _engine;

    private ReconstructionResult ReconstructValidated(Prefix prefix) => _engine.Solve(prefix);

    private bool IsFeasibleValidated(Prefix prefix) => ReconstructValidated(prefix).PathFeasible;

    private double ComputeLogitBound()
    {
        var k = AlphabetSize;

        // t = 0: ℓ̂(∅) = center(R_0 on Σ); |center(v)[z]| <= max|v| + |mean(v)|.
        var row0 = _bases[0].RowReference(0);
        var max0 = 0.0;
        var mean0 = 0.0;
        for (var z = 0; z < k; z++)
        {
            max0 = Math.Max(max0, Math.Abs(row0[z]));
            mean0 += row0[z];
        }

        var bound = max0 + Math.Abs(mean0 / k);

        // t >= 1: raw[a] = Σ_i c_i R_{t-1,i}(y_t∘a) with |c_i| <= β; centring adds at most β Σ_i |mean_a R_{t-1,i}(y_t∘a)|.
        for (var s = 0; s <= Horizon - 2; s++)
        {
            var basis = _bases[s];
            var defect = 0.0;
            for (var i = 0; i < basis.Size; i++)
            {
                var row = basis.RowReference(i);
                for (var a = 0; a < k; a++)
                {
                    var mean = 0.0;
                    for (var z = 0; z < k; z++)
                    {
                        mean += row[_engine.PairIndex(s, a, z)];
                    }

                    defect = Math.Max(defect, Math.Abs(mean / k));
                }
            }

            bound = Math.Max(bound, Options.Beta * basis.Size * (basis.MaxAbsEntry + defect));
        }

        if (Options.LogitClip is { } clip)
        {
            // Clamped to [−C, C] before centring: the mean is in [−C, C], so every centred entry is within 2C.
            bound = Math.Min(bound, 2 * clip);
        }

        return bound * (1 + Tolerances.LogitBoundRelativeSlack);
    }
}
