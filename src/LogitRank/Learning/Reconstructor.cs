using LogitRank.Numerics;
using LogitRank.Sequences;

namespace LogitRank.Learning;

/// <summary>
/// RECONSTRUCT and the prediction of ALGORITHM.md section 3 over fixed future sets and bases: a pure function of its
/// inputs (the LP solver is deterministic), shared by the learner's validation and the learned model's generation.
/// </summary>
/// <remarks>
/// <para>The LP for <c>y_{1:t}</c> (<c>t &gt;= 2</c>) has the variables <c>c_1..c_{t-1}</c> concatenated (block <c>s</c> starts at
/// <c>Offset(s) = m_1 + ... + m_{s-1}</c>), the box <c>[-β, β]</c>, and for <c>s = 0..t-2</c> and every <c>w = F̂_{s+1}[j]</c> the row
/// <c>Σ_i c_{s+1,i} R_{s+1,i}(w) - Σ_i c_{s,i} R_{s,i}(y_{s+1}∘w)</c>, with <c>c_0 = e_1</c> moved to the right-hand side.</para>
/// <para>Incremental solution (proofs-notes/lp-reconstruction.md, L10): RECONSTRUCT(<c>y_{1:t}</c>) is defined from
/// RECONSTRUCT(<c>y_{1:t-1}</c>) by <see cref="Extend"/>: keep the parent's coefficients and solve the small LP of the new
/// block <c>c_{t-1}</c> alone (the rows of cut <c>t-2</c>, with <c>c_{t-2}</c> fixed); if its residual is at most the
/// parent's residual plus <see cref="GreedySlack"/> times the data scale, the extension is optimal for the whole
/// prefix's LP (its optimum is at least the parent's); otherwise the whole prefix's LP is solved, warm-started from
/// the extension. The result is a pure function of the prefix (a chain from the empty prefix), so validation,
/// generation, enumeration and direct queries all get the same coefficients whatever the memo holds.</para>
/// <para>Under <see cref="ReconstructionMethod.LeastSquares"/> (L11) the same equations are solved in the least-squares
/// sense one cut at a time: <c>c_{t-1} = clip_β((A_{t-1}ᵀA_{t-1} + λ̄_{t-1} I)⁻¹A_{t-1}ᵀ S_{t-2} c_{t-2})</c> from the parent's
/// <c>c_{t-2}</c>, with a projector precomputed per cut (<see cref="DenseLinearAlgebra.RidgeProjector"/>): one
/// <c>O(|F̂| m)</c> product per prefix, no LP. The residual is the LP's <c>r</c> for those coefficients.</para>
/// </remarks>
internal sealed class Reconstructor
{
    /// <summary>
    /// The extension is accepted when the new block's residual is at most the parent's plus this multiple of the
    /// block's data scale (<c>max |entry|</c> of its LP): the rounding of the block LP (about <c>1e-15</c> relative) must
    /// not force a whole-prefix solve on exact-rank targets, whose residuals are about <c>1e-14</c>. The result is then
    /// optimal for the whole prefix's LP within <c>(t - 1) · 1e-9 ·</c> scale.
    /// </summary>
    internal const double GreedySlack = Tolerances.ReconstructionGreedySlack;

    /// <summary>
    /// Singular values of a block matrix below this fraction of its largest are treated as 0 in the least-squares
    /// candidate (<see cref="DenseLinearAlgebra.PseudoInverse"/>): the candidate is only tried, never trusted (its residual is
    /// recomputed and compared), so the threshold affects speed, not correctness.
    /// </summary>
    internal const double PseudoInverseThreshold = Tolerances.PseudoInverseRank;

    /// <summary>The default capacity of the memo (prefixes); see <see cref="ReconstructionCache"/>.</summary>
    internal const int DefaultMemoCapacity = 1 << 16;

    private static readonly ReconstructionResult[] Trivial =
    [
        new(0, [[1.0]], 0.0, true, null, 0) { PathFeasible = true },
        new(1, [[1.0]], 0.0, true, null, 0) { PathFeasible = true },
    ];

    private readonly CutBasis[] _bases;
    private readonly int[] _offset;          // _offset[s] = Σ_{s'=1}^{s-1} m_{s'} for s = 1..T-1; _offset[T] = total
    private readonly int[][][] _shiftIndex;  // [s][a][j] = index in F̃_s of a∘F̂_{s+1}[j], s = 0..T-2
    private readonly LpOptions? _lpOptions;
    private readonly ReconstructionCache _memo;
    private readonly double[][,] _blockMatrix; // [s] = A_s, A_s[j, i] = R_{s,i}(F̂_s[j]) (|F̂_s| × m_s), s = 1..T-1
    private readonly double[][,] _blockInverse; // [s] = A_s⁺ (m_s × |F̂_s|)
    private readonly bool[] _fullColumnRank;   // [s] = rank(A_s) = m_s: the least-squares candidate is tried
    private readonly bool _proveInfeasibility;
    private readonly double[] _blockScale;     // [s] = max |A_s|
    private readonly double[][,] _ridgeProjector; // [s] = (A_sᵀA_s + λ̄_s I)⁻¹A_sᵀ (m_s × |F̂_s|), LeastSquares only
    private readonly double[] _effectiveRidge;    // [s] = λ̄_s = max(λ_s, floor_s), LeastSquares only

    /// <param name="futures">The future sets.</param>
    /// <param name="bases">One basis per cut.</param>
    /// <param name="beta">The coefficient box <c>β</c>.</param>
    /// <param name="lpTolerance">The absolute <c>τ_lp</c>.</param>
    /// <param name="lpOptions">The LP solver's options.</param>
    /// <param name="memoCapacity">The memo's capacity (prefixes).</param>
    /// <param name="proveInfeasibility">
    /// Whether an infeasible prefix may be settled by a dual certificate instead of the whole prefix's LP
    /// (<see cref="Extend"/>, step 3): right when only feasibility matters at infeasible prefixes (the uniform fallback,
    /// and validation, which abandons its epoch there); the minimum-residual fallback needs the whole LP's solution.
    /// Not used by <see cref="ReconstructionMethod.LeastSquares"/>.
    /// </param>
    /// <param name="method">How the coefficients are chosen (<see cref="ReconstructionMethod"/>).</param>
    /// <param name="ridge">
    /// The ridge <c>λ_s</c> per cut (length <c>T</c>, finite, <c>&gt;= 0</c>) of <see cref="ReconstructionMethod.LeastSquares"/>;
    /// <see langword="null"/>: all 0 (the floor alone). See <see cref="LearnedModelOptions.Ridge"/>.
    /// </param>
    /// <exception cref="ArgumentException"><paramref name="method"/> is undefined, or <paramref name="ridge"/> has the wrong length or a bad entry.</exception>
    public Reconstructor(FutureSets futures, IReadOnlyList<CutBasis> bases, double beta, double lpTolerance, LpOptions? lpOptions = null, int memoCapacity = DefaultMemoCapacity, bool proveInfeasibility = true, ReconstructionMethod method = ReconstructionMethod.MinimaxLp, IReadOnlyList<double>? ridge = null)
    {
        if (!Enum.IsDefined(method))
        {
            throw new ArgumentException($"Method = {method} is not a defined ReconstructionMethod.", nameof(method));
        }

        ValidateRidge(ridge, futures.Horizon, nameof(ridge));
        Method = method;
        _proveInfeasibility = proveInfeasibility;
        Futures = futures;
        _bases = [.. bases];
        Beta = beta;
        LpTolerance = lpTolerance;
        _lpOptions = lpOptions;
        _memo = new ReconstructionCache(memoCapacity);
        var t = futures.Horizon;
        var k = futures.AlphabetSize;
        _offset = new int[t + 1];
        for (var s = 2; s <= t; s++)
        {
            _offset[s] = _offset[s - 1] + _bases[s - 1].Size;
        }

        _blockMatrix = new double[t][,];
        _blockInverse = new double[t][,];
        _fullColumnRank = new bool[t];
        _blockScale = new double[t];
        _ridgeProjector = new double[t][,];
        _effectiveRidge = new double[t];
        for (var s = 1; s < t; s++)
        {
            var rows = futures.Future(s).Count;
            var m = _bases[s].Size;
            var block = new double[rows, m];
            for (var j = 0; j < rows; j++)
            {
                for (var i = 0; i < m; i++)
                {
                    block[j, i] = _bases[s].RowReference(i)[j];
                    _blockScale[s] = Math.Max(_blockScale[s], Math.Abs(block[j, i]));
                }
            }

            _blockMatrix[s] = block;
            if (method == ReconstructionMethod.LeastSquares)
            {
                // L11: λ̄_s = max(λ_s, 1e-12 · ||A_s||_F² / m_s); the LP's pseudo-inverses are not needed.
                var frobenius = 0.0;
                foreach (var v in block)
                {
                    frobenius += v * v;
                }

                var floor = m == 0 ? 0.0 : Tolerances.LeastSquaresRidgeFloor * frobenius / m;
                _effectiveRidge[s] = Math.Max(ridge?[s] ?? 0.0, floor);
                _ridgeProjector[s] = DenseLinearAlgebra.RidgeProjector(block, _effectiveRidge[s]);
                _blockInverse[s] = new double[m, rows];
                continue;
            }

            // The least-squares candidate only where the block has full column rank: then an exact fit is the unique
            // block solution, the point the block LP would return too (where the block's solution set is not a point, the
            // LP's vertex is the canonical choice, and the learner's witness search depends on that choice).
            var inverse = DenseLinearAlgebra.PseudoInverse(block, PseudoInverseThreshold, out var rank);
            _blockInverse[s] = inverse;
            _fullColumnRank[s] = rank == m && m > 0;
        }

        _shiftIndex = new int[Math.Max(t - 1, 0)][][];
        for (var s = 0; s + 1 < t; s++)
        {
            var next = futures.Future(s + 1);
            _shiftIndex[s] = new int[k][];
            for (var a = 0; a < k; a++)
            {
                var map = new int[next.Count];
                for (var j = 0; j < next.Count; j++)
                {
                    map[j] = futures.IndexInExtended(s, next[j].Prepend(a));
                }

                _shiftIndex[s][a] = map;
            }
        }
    }

    public FutureSets Futures { get; }

    /// <summary>How the coefficients are chosen.</summary>
    public ReconstructionMethod Method { get; }

    /// <summary>The ridge <c>λ̄_s</c> block <c>s</c> is solved with under <see cref="ReconstructionMethod.LeastSquares"/> (0 under the LP, and at cut 0).</summary>
    internal double EffectiveRidge(int cut) => _effectiveRidge[cut];

    /// <summary>
    /// Checks a ridge vector (<see cref="LearnedModelOptions.Ridge"/>): <see langword="null"/>, or <paramref name="horizon"/>
    /// finite entries <c>&gt;= 0</c>.
    /// </summary>
    /// <exception cref="ArgumentException">The length or an entry is wrong; the message names it.</exception>
    internal static void ValidateRidge(IReadOnlyList<double>? ridge, int horizon, string paramName)
    {
        if (ridge is null)
        {
            return;
        }

        if (ridge.Count != horizon)
        {
            throw new ArgumentException($"Ridge has {ridge.Count} entries; expected one per cut, T = {horizon}.", paramName);
        }

        for (var s = 0; s < ridge.Count; s++)
        {
            if (!(ridge[s] >= 0) || !double.IsFinite(ridge[s]))
            {
                throw new ArgumentException($"Ridge[{s}] = {ridge[s]}; expected a finite ridge λ_{s} >= 0.", paramName);
            }
        }
    }

    public IReadOnlyList<CutBasis> Bases => _bases;

    public double Beta { get; }

    public double LpTolerance { get; }

    /// <summary>The memo of this engine (tests and diagnostics).</summary>
    internal ReconstructionCache Memo => _memo;

    /// <summary>The index in <c>F̃_s</c> of the two-token word <c>a∘z</c> (<c>s &lt;= T-2</c>).</summary>
    public int PairIndex(int cut, int a, int z) => _shiftIndex[cut][a][z];

    /// <summary>
    /// RECONSTRUCT(<paramref name="prefix"/>) for <c>0 &lt;= |prefix| &lt;= T-1</c>: the chain of <see cref="Extend"/> from the
    /// longest prefix the memo holds (memoised on the way).
    /// </summary>
    public ReconstructionResult Solve(Prefix prefix)
    {
        var t = prefix.Length;
        if (t <= 1)
        {
            return Trivial[t];
        }

        if (_memo.TryGet(prefix, out var cached))
        {
            return cached;
        }

        // The longest memoised ancestor (length >= 2), else the trivial result of length 1.
        var start = t - 1;
        ReconstructionResult parent = Trivial[1];
        for (; start >= 2; start--)
        {
            if (_memo.TryGet(prefix.Take(start), out parent))
            {
                break;
            }
        }

        if (start < 2)
        {
            start = 1;
            parent = Trivial[1];
        }

        for (var length = start + 1; length <= t; length++)
        {
            var current = length == t ? prefix : prefix.Take(length);
            parent = Extend(current, parent);
            _memo.Add(current, parent);
        }

        return parent;
    }

    /// <summary>
    /// RECONSTRUCT(<paramref name="prefix"/>) (<c>|prefix| &gt;= 2</c>) from the result <paramref name="parent"/> of
    /// <c>prefix[..^1]</c>, the first of these that fits: the parent's coefficients extended by (1) the least-squares
    /// solution <c>A⁺b</c> of the new block, if it lies in the box and its block residual is within
    /// <see cref="GreedySlack"/> of the parent's residual; (2) the block's own LP solution, under the same test (always
    /// at <c>t = 2</c>, where the block LP is the whole LP); (3) the whole prefix's LP warm-started from extension (2).
    /// An accepted extension is optimal for the whole prefix's LP within the slack, because that LP's optimum is at least
    /// the parent's (proofs-notes/lp-reconstruction.md, L10).
    /// </summary>
    internal ReconstructionResult Extend(Prefix prefix, ReconstructionResult parent)
    {
        if (Method == ReconstructionMethod.LeastSquares)
        {
            return ExtendLeastSquares(prefix, parent);
        }

        var t = prefix.Length;
        var a = _blockMatrix[t - 1];
        var rows = a.GetLength(0);
        var m = _bases[t - 1].Size;
        var b = ShiftedRightHandSide(prefix, parent);
        var scale = _blockScale[t - 1];
        foreach (var v in b)
        {
            scale = Math.Max(scale, Math.Abs(v));
        }

        // Accept an extension whose block residual is at most the parent's plus the slack (t = 2: the block LP is the
        // whole LP, whose optimum is at least 0).
        var bound = parent.Residual + (GreedySlack * scale);
        var blocks = new double[t][];
        for (var s = 0; s < t - 1; s++)
        {
            blocks[s] = parent.Block(s);
        }

        // 1. The least-squares candidate A⁺b (O(rows · m)): on exact-rank targets it fits the block exactly.
        var candidate = LeastSquares(t - 1, b);
        if (candidate is not null)
        {
            var residual = MinimaxLinearProgram.ResidualInfinityNorm(a, b, candidate);
            if (residual <= bound)
            {
                blocks[t - 1] = candidate;
                return Accept(t, blocks, residual, parent, ReconstructionRoute.LeastSquares, null, 0);
            }
        }

        // 2. The block's own LP.
        var block = new double[m];
        LpStatus? status = null;
        var iterations = 0;
        double[] dual = [];
        if (m > 0)
        {
            var lower = new double[m];
            var upper = new double[m];
            Array.Fill(lower, -Beta);
            Array.Fill(upper, Beta);
            var solved = MinimaxLinearProgram.Solve(a, b, lower, upper, _lpOptions);
            status = solved.Status;
            iterations = solved.Iterations;
            dual = solved.DualWeights;
            for (var i = 0; i < m; i++)
            {
                block[i] = Math.Clamp(solved.Solution[i], -Beta, Beta);
            }
        }

        var blockResidual = MinimaxLinearProgram.ResidualInfinityNorm(a, b, block);
        blocks[t - 1] = block;
        if (t == 2 || blockResidual <= bound)
        {
            return Accept(t, blocks, blockResidual, parent, ReconstructionRoute.BlockLp, status, iterations);
        }

        // 3. An infeasible extension whose infeasibility a dual certificate proves for the whole prefix's LP: every
        //    solution of that LP exceeds τ_lp too, so when only feasibility matters the LP need not be solved.
        var extension = Math.Max(parent.Residual, blockResidual);
        if (_proveInfeasibility && extension > LpTolerance && dual.Length == rows && InfeasibilityBound(prefix, dual) > LpTolerance)
        {
            return Accept(t, blocks, blockResidual, parent, ReconstructionRoute.CertifiedInfeasible, status, iterations);
        }

        // 4. The last 2, 4, 8, ... blocks re-solved with the earlier ones fixed, warm-started from the extension: accepted
        //    under the same test (the window's groups within the slack of the parent's residual).
        for (var width = 2; width < t - 1; width *= 2)
        {
            var (window, windowResidual) = SolveWindow(prefix, width, parent, blocks);
            if (windowResidual <= bound)
            {
                window.PathFeasible = window.Feasible && parent.PathFeasible;
                return window;
            }
        }

        // 5. The whole prefix's LP, warm-started from the extension.
        var whole = SolveWhole(prefix, blocks);
        whole.PathFeasible = whole.Feasible && parent.PathFeasible;
        return whole;
    }

    /// <summary>
    /// The right-hand side <c>b = S_{t-2} c_{t-2}</c> of the new block of <paramref name="prefix"/>
    /// (<c>|prefix| = t &gt;= 2</c>): <c>b[j] = Σ_i c_{t-2,i} R_{t-2,i}(y_{t-1}∘F̂_{t-1}[j])</c> with <c>c_{t-2}</c> the last block
    /// of <paramref name="parent"/>.
    /// </summary>
    private double[] ShiftedRightHandSide(Prefix prefix, ReconstructionResult parent)
    {
        var t = prefix.Length;
        var cut = t - 2;                      // the rows of cut t-2 link c_{t-2} (fixed) and c_{t-1} (new)
        var current = _bases[cut];
        var shift = _shiftIndex[cut][prefix[cut]];
        var previous = parent.Block(cut);
        var b = new double[shift.Length];
        for (var j = 0; j < shift.Length; j++)
        {
            var rhs = 0.0;
            for (var i = 0; i < current.Size; i++)
            {
                rhs += previous[i] * current.RowReference(i)[shift[j]];
            }

            b[j] = rhs;
        }

        return b;
    }

    /// <summary>
    /// <see cref="ReconstructionMethod.LeastSquares"/> (proofs-notes/lp-reconstruction.md, L11): the parent's blocks and
    /// <c>c_{t-1} = clip_β(P_{t-1} b)</c>, <c>P_{t-1} = (A_{t-1}ᵀA_{t-1} + λ̄_{t-1} I)⁻¹A_{t-1}ᵀ</c> precomputed per cut, <c>b</c>
    /// the LP's right-hand side for the new block (<see cref="ShiftedRightHandSide"/>). The new group's residual is the
    /// largest absolute residual of the LP's equations of cut <c>t-2</c> at the clipped coefficients, so
    /// <see cref="ReconstructionResult.Residual"/> is the largest over every equation of the prefix's LP, as for the LP.
    /// </summary>
    private ReconstructionResult ExtendLeastSquares(Prefix prefix, ReconstructionResult parent)
    {
        var t = prefix.Length;
        var b = ShiftedRightHandSide(prefix, parent);
        var projector = _ridgeProjector[t - 1];
        var m = projector.GetLength(0);
        var c = new double[m];
        for (var i = 0; i < m; i++)
        {
            var sum = 0.0;
            for (var j = 0; j < b.Length; j++)
            {
                sum += projector[i, j] * b[j];
            }

            c[i] = Math.Clamp(sum, -Beta, Beta);
        }

        var blocks = new double[t][];
        for (var s = 0; s < t - 1; s++)
        {
            blocks[s] = parent.Block(s);
        }

        blocks[t - 1] = c;
        var group = MinimaxLinearProgram.ResidualInfinityNorm(_blockMatrix[t - 1], b, c);
        return Accept(t, blocks, group, parent, ReconstructionRoute.SequentialLeastSquares, null, 0);
    }

    private ReconstructionResult Accept(int t, double[][] blocks, double newGroup, ReconstructionResult parent, ReconstructionRoute route, LpStatus? status, int iterations)
    {
        var residual = Math.Max(parent.Residual, newGroup);
        var feasible = residual <= LpTolerance && double.IsFinite(residual);
        return new ReconstructionResult(t, blocks, residual, feasible, status, iterations)
        {
            PathFeasible = feasible && parent.PathFeasible,
            Route = route,
            GroupResiduals = [.. parent.GroupResiduals, newGroup],
        };
    }

    /// <summary>
    /// The dual weights <c>λ_0..λ_{t-2}</c> of <see cref="InfeasibilityBound"/>: <c>λ_{t-2}</c> = <paramref name="lastGroup"/>
    /// and <c>λ_{s-1} = (A_s⁺)ᵀ S_sᵀ λ_s</c> backwards, which cancels the coefficients of <c>c_1..c_{t-2}</c> where
    /// <c>A_s</c> has full column rank.
    /// </summary>
    internal double[][] InfeasibilityWeights(Prefix prefix, double[] lastGroup)
    {
        var t = prefix.Length;
        var lambdas = new double[t - 1][];
        lambdas[t - 2] = lastGroup;
        for (var s = t - 2; s >= 1; s--)
        {
            // v = S_sᵀ λ_s with S_s[w, i] = R_{s,i}(y_{s+1}∘w), w ∈ F̂_{s+1}; λ_{s-1} = (A_s⁺)ᵀ v.
            var v = ShiftTranspose(s, prefix[s], lambdas[s]);
            var inverse = _blockInverse[s];
            var next = new double[inverse.GetLength(1)];
            for (var j = 0; j < next.Length; j++)
            {
                var sum = 0.0;
                for (var i = 0; i < v.Length; i++)
                {
                    sum += inverse[i, j] * v[i];
                }

                next[j] = sum;
            }

            lambdas[s - 1] = next;
        }

        return lambdas;
    }

    /// <summary>
    /// A lower bound on the optimum of the whole prefix's LP (proofs-notes/lp-reconstruction.md, L10): dual weights
    /// <c>λ_s</c> on the row groups <c>s = 0..t-2</c>, the last group's from the block LP (<paramref name="lastGroup"/>),
    /// the earlier ones propagated backwards so that the coefficients of <c>c_1..c_{t-2}</c> cancel
    /// (<c>λ_{s-1} = (A_s⁺)ᵀ S_sᵀ λ_s</c>), and then, for any weights, <c>LB = (-λ_0·b_0 - β Σ_s ||A_sᵀλ_{s-1} - S_sᵀλ_s||_1) / Σ_s ||λ_s||_1</c>
    /// (with the residual coefficients recomputed, so the bound is valid however well they cancel).
    /// </summary>
    internal double InfeasibilityBound(Prefix prefix, double[] lastGroup)
    {
        var t = prefix.Length;
        var lambdas = InfeasibilityWeights(prefix, lastGroup);
        var weight = 0.0;
        foreach (var lambda in lambdas)
        {
            foreach (var x in lambda)
            {
                weight += Math.Abs(x);
            }
        }

        if (!(weight > 0) || !double.IsFinite(weight))
        {
            return double.NegativeInfinity;
        }

        // Constant: -λ_0·b_0, b_0[j] = R_{0,0}(y_1∘F̂_1[j]).
        var shift0 = _shiftIndex[0][prefix[0]];
        var row0 = _bases[0].RowReference(0);
        var numerator = 0.0;
        for (var j = 0; j < shift0.Length; j++)
        {
            numerator -= lambdas[0][j] * row0[shift0[j]];
        }

        // -β Σ_{s=1}^{t-1} ||g_s||_1, g_s = A_sᵀ λ_{s-1} - S_sᵀ λ_s (no group t-1).
        for (var s = 1; s <= t - 1; s++)
        {
            var a = _blockMatrix[s];
            var g = s <= t - 2 ? ShiftTranspose(s, prefix[s], lambdas[s]) : new double[a.GetLength(1)];
            var norm = 0.0;
            for (var i = 0; i < g.Length; i++)
            {
                var gi = -g[i];
                for (var j = 0; j < a.GetLength(0); j++)
                {
                    gi += a[j, i] * lambdas[s - 1][j];
                }

                norm += Math.Abs(gi);
            }

            numerator -= Beta * norm;
        }

        return numerator / weight;
    }

    /// <summary><c>S_sᵀ λ</c> for the token <paramref name="token"/> = <c>y_{s+1}</c>: <c>Σ_w λ[w] R_{s,i}(y_{s+1}∘w)</c> over <c>w ∈ F̂_{s+1}</c>.</summary>
    private double[] ShiftTranspose(int s, int token, double[] lambda)
    {
        var basis = _bases[s];
        var shift = _shiftIndex[s][token];
        var v = new double[basis.Size];
        for (var i = 0; i < basis.Size; i++)
        {
            var row = basis.RowReference(i);
            var sum = 0.0;
            for (var w = 0; w < shift.Length; w++)
            {
                sum += lambda[w] * row[shift[w]];
            }

            v[i] = sum;
        }

        return v;
    }

    /// <summary>The least-squares candidate <c>A_s⁺ b</c> for block <paramref name="cut"/>, or <see langword="null"/> when the block is rank deficient or the candidate leaves the box <c>[-β, β]</c>.</summary>
    private double[]? LeastSquares(int cut, double[] b)
    {
        if (!_fullColumnRank[cut])
        {
            return null;
        }

        // x = A⁺b, then one step of iterative refinement x += A⁺(b - Ax), which removes most of the rounding of the
        // pseudo-inverse (an exact fit then has a residual of a few ulps, often exactly 0 on short dyadic data).
        var inverse = _blockInverse[cut];
        var a = _blockMatrix[cut];
        var x = Apply(inverse, b);
        var r = new double[b.Length];
        for (var j = 0; j < b.Length; j++)
        {
            var v = b[j];
            for (var i = 0; i < x.Length; i++)
            {
                v -= a[j, i] * x[i];
            }

            r[j] = v;
        }

        var correction = Apply(inverse, r);
        for (var i = 0; i < x.Length; i++)
        {
            x[i] += correction[i];
            if (!(Math.Abs(x[i]) <= Beta))
            {
                return null;
            }
        }

        return x;

        static double[] Apply(double[,] inverse, double[] v)
        {
            var y = new double[inverse.GetLength(0)];
            for (var i = 0; i < y.Length; i++)
            {
                var sum = 0.0;
                for (var j = 0; j < v.Length; j++)
                {
                    sum += inverse[i, j] * v[j];
                }

                y[i] = sum;
            }

            return y;
        }
    }

    /// <summary>
    /// The matrix and right-hand side of the whole prefix's LP (<c>|prefix| &gt;= 2</c>): variables <c>c_1..c_{t-1}</c> at
    /// <c>Offset(s)</c>, one row per <c>(s, w)</c>, <c>s = 0..t-2</c>, <c>w ∈ F̂_{s+1}</c> (see the class remarks).
    /// </summary>
    internal (double[,] A, double[] B) WholeLp(Prefix prefix)
    {
        var (a, b, _) = WindowLp(prefix, prefix.Length - 1, [1.0]);
        return (a, b);
    }

    /// <summary>
    /// The LP of the last <paramref name="width"/> blocks <c>c_{t-w}..c_{t-1}</c> of <paramref name="prefix"/> with
    /// <c>c_{t-1-w}</c> fixed to <paramref name="fixedBlock"/> (moved to the right-hand side): the rows of the groups
    /// <c>s = t-1-w..t-2</c>. <c>w = t - 1</c> with <c>c_0 = e_1</c> is the whole prefix's LP. Returns the first row of each
    /// group too (and the row count at the end).
    /// </summary>
    internal (double[,] A, double[] B, int[] GroupStart) WindowLp(Prefix prefix, int width, double[] fixedBlock)
    {
        var t = prefix.Length;
        var first = t - width;                        // the first variable block
        var variables = _offset[t] - _offset[first];
        var groupStart = new int[width + 1];
        for (var g = 0; g < width; g++)
        {
            groupStart[g + 1] = groupStart[g] + Futures.Future(first + g).Count;
        }

        var a = new double[groupStart[width], variables];
        var b = new double[groupStart[width]];
        for (var g = 0; g < width; g++)
        {
            var s = first - 1 + g;                    // the group: rows of F̂_{s+1} linking c_s and c_{s+1}
            var shift = _shiftIndex[s][prefix[s]];
            var next = _bases[s + 1];
            var current = _bases[s];
            var nextOffset = _offset[s + 1] - _offset[first];
            for (var j = 0; j < shift.Length; j++)
            {
                var row = groupStart[g] + j;
                for (var i = 0; i < next.Size; i++)
                {
                    a[row, nextOffset + i] = next.RowReference(i)[j];
                }

                if (g == 0)
                {
                    var rhs = 0.0;
                    for (var i = 0; i < current.Size; i++)
                    {
                        rhs += fixedBlock[i] * current.RowReference(i)[shift[j]];
                    }

                    b[row] = rhs;
                }
                else
                {
                    var currentOffset = _offset[s] - _offset[first];
                    for (var i = 0; i < current.Size; i++)
                    {
                        a[row, currentOffset + i] = -current.RowReference(i)[shift[j]];
                    }
                }
            }
        }

        return (a, b, groupStart);
    }

    /// <summary>
    /// The whole prefix's LP (all blocks at once), from <paramref name="start"/> (the coefficient blocks <c>c_0..c_{t-1}</c>)
    /// or, when <see langword="null"/>, from the solver's default start <c>clip(0)</c>: the reconstruction before issue 15,
    /// kept as the reference the incremental chain is tested against and as the last step of <see cref="Extend"/>.
    /// </summary>
    internal ReconstructionResult SolveWhole(Prefix prefix, double[][]? start = null)
    {
        var t = prefix.Length;
        if (t <= 1)
        {
            return Trivial[t];
        }

        var (result, _) = SolveWindow(prefix, t - 1, Trivial[1], start);
        return result;
    }

    /// <summary>
    /// Re-solves the last <paramref name="width"/> blocks of <paramref name="prefix"/> with the earlier ones fixed to
    /// <paramref name="parent"/>'s (<see cref="WindowLp"/>), from <paramref name="start"/>'s blocks (or <c>clip(0)</c>).
    /// Returns the result (residual and group residuals exact over every constraint) and the largest residual of the
    /// window's own groups.
    /// </summary>
    private (ReconstructionResult Result, double WindowResidual) SolveWindow(Prefix prefix, int width, ReconstructionResult parent, double[][]? start)
    {
        var t = prefix.Length;
        var first = t - width;
        var (a, b, groupStart) = WindowLp(prefix, width, parent.Block(first - 1));
        var variables = a.GetLength(1);
        var x = new double[variables];
        LpStatus? status = null;
        var iterations = 0;
        if (variables > 0)
        {
            var lower = new double[variables];
            var upper = new double[variables];
            Array.Fill(lower, -Beta);
            Array.Fill(upper, Beta);
            double[]? warm = null;
            if (start is not null)
            {
                warm = new double[variables];
                for (var s = first; s < t; s++)
                {
                    start[s].CopyTo(warm, _offset[s] - _offset[first]);
                }
            }

            var result = MinimaxLinearProgram.SolveFrom(a, b, lower, upper, _lpOptions, warm);
            if (Contracts.ExpensiveChecksEnabled)
            {
                // Opt-in runtime contract (proofs-notes/runtime-contracts.md): validation and generation must get the same coefficients.
                Contracts.CheckSameSolution(result.Solution, MinimaxLinearProgram.SolveFrom(a, b, lower, upper, _lpOptions, warm).Solution, prefix);
            }

            status = result.Status;
            iterations = result.Iterations;
            if (result.Solution.Length == variables)
            {
                for (var v = 0; v < variables; v++)
                {
                    x[v] = Math.Clamp(result.Solution[v], -Beta, Beta);
                }
            }
        }

        // Group residuals: the parent's for the groups before the window (their blocks are the parent's), recomputed for
        // the window's groups.
        var groups = new double[t - 1];
        var windowResidual = 0.0;
        for (var g = 0; g < first - 1; g++)
        {
            groups[g] = parent.GroupResiduals[g];
        }

        for (var g = 0; g < width; g++)
        {
            var worst = 0.0;
            for (var r = groupStart[g]; r < groupStart[g + 1]; r++)
            {
                var lhs = -b[r];
                for (var v = 0; v < variables; v++)
                {
                    lhs += a[r, v] * x[v];
                }

                worst = Math.Max(worst, Math.Abs(lhs));
            }

            groups[first - 1 + g] = worst;
            windowResidual = Math.Max(windowResidual, worst);
        }

        var blocks = new double[t][];
        for (var s = 0; s < first; s++)
        {
            blocks[s] = parent.Block(s);
        }

        for (var s = first; s < t; s++)
        {
            blocks[s] = x.AsSpan(_offset[s] - _offset[first], _bases[s].Size).ToArray();
        }

        var residual = groups.Length == 0 ? 0.0 : groups.Max();
        var feasible = residual <= LpTolerance && double.IsFinite(residual);
        var route = first == 1 ? ReconstructionRoute.WholeLp : ReconstructionRoute.Window;
        return (new ReconstructionResult(t, blocks, residual, feasible, status, iterations) { PathFeasible = feasible, Route = route, GroupResiduals = groups }, windowResidual);
    }

    /// <summary>
    /// The raw (uncentred) prediction <c>Σ_i c_{t-1,i} R_{t-1,i}(y_t∘a)</c> for <c>a ∈ Σ</c>; for <c>t = 0</c> the empty history's
    /// stored row on <c>Σ</c>.
    /// </summary>
    public double[] PredictRaw(Prefix prefix, ReconstructionResult coefficients)
    {
        var k = Futures.AlphabetSize;
        var raw = new double[k];
        var t = prefix.Length;
        if (t == 0)
        {
            var row = _bases[0].RowReference(0);
            for (var z = 0; z < k; z++)
            {
                raw[z] = row[z];
            }

            return raw;
        }

        var basis = _bases[t - 1];
        var c = coefficients.Block(t - 1);
        var shift = _shiftIndex[t - 1][prefix[t - 1]];
        for (var i = 0; i < basis.Size; i++)
        {
            var r = basis.RowReference(i);
            for (var z = 0; z < k; z++)
            {
                raw[z] += c[i] * r[shift[z]];
            }
        }

        return raw;
    }
}
