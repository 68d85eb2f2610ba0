namespace LogitRank.Numerics;

/// <summary>
/// The bounded-variable primal simplex behind <see cref="MinimaxLinearProgram.Solve"/> (internal; inputs are
/// validated there, the box is non-empty and <c>m &gt;= 1</c>).
/// </summary>
/// <remarks>
/// <para>Variables (column index): <c>y_j = x_j - lower_j ∈ [0, u_j]</c>, <c>u_j = upper_j - lower_j</c> (columns
/// <c>0..n-1</c>); <c>r</c>, free (column <c>n</c>); slacks <c>s_q &gt;= 0</c> (columns <c>n+1..n+2m</c>).</para>
/// <para>Rows: for <c>i &lt; m</c>, <c>a_i·y - r + s_i = c_i</c> and <c>-a_i·y - r + s_{m+i} = -c_i</c> with
/// <c>c_i = b_i - a_i·lower</c>. Summing a pair gives <c>2r = s_i + s_{m+i} &gt;= 0</c>, so <c>r</c> is bounded below
/// and, once basic, never needs to leave the basis.</para>
/// <para>The tableau <c>T = B⁻¹ [A' | -1 | I]</c> is stored densely, row-major. Basic values are kept explicitly.
/// Every <see cref="RefreshPeriod"/> pivots they are recomputed from the original data (<see cref="RecomputeValues"/>)
/// and compared with the running values: drift beyond <see cref="DriftTolerance"/> refactorises the tableau from the
/// original data (<see cref="Refactor"/>), and a basis whose <c>r</c> is far from its point's residual (primal
/// infeasible for the original data) ends the run as <see cref="Outcome.Drifted"/>, after which <see cref="Run"/>
/// restarts from the best point seen. At the end,
/// optimality is verified against the original data (<see cref="Verify"/>), never read off the running tableau
/// alone (proofs-notes/lp-reconstruction.md, L6 and L9).</para>
/// </remarks>
internal sealed class MinimaxSimplex
{
    /// <summary>Where a nonbasic variable sits.</summary>
    internal enum Place : byte
    {
        /// <summary>At its lower bound (0 after the shift; slacks always).</summary>
        Lower,

        /// <summary>At its upper bound <c>u_j</c>.</summary>
        Upper,

        /// <summary>At its start value (by default <c>clip(0)</c>), strictly inside the box; never returns here once moved.</summary>
        Start,
    }

    /// <summary>Pivots between recomputations of the basic values from the original data.</summary>
    internal const int RefreshPeriod = 64;

    /// <summary>Consecutive degenerate steps after which the entering rule switches from Dantzig to Bland.</summary>
    internal const int DegenerateRunBeforeBland = 50;

    /// <summary>
    /// Largest difference between a running basic value and its recomputation from the original data (relative to
    /// <c>1 + |value|</c>) that is left alone; beyond it the tableau is refactorised.
    /// </summary>
    internal const double DriftTolerance = Tolerances.LpDrift;

    /// <summary>
    /// The largest <see cref="Inconsistency"/> a verified basis may have (on data scaled into <c>[1, 2)</c>): a tenth
    /// of the runtime contract's tolerance, so a verified result always satisfies the contract.
    /// </summary>
    internal const double VerifiedInconsistency = Tolerances.LpVerifiedInconsistency;

    /// <summary>The largest pivot threshold a restart raises the threshold to (a larger one given by the caller is kept).</summary>
    internal const double RestartPivotCeiling = Tolerances.LpRestartPivotCeiling;

    /// <summary>Restarts from the best verified point after a drifted basis, before <see cref="Run"/> gives up.</summary>
    internal const int MaxRestarts = 3;

    /// <summary>Verification rounds (refactorise, continue) before an unverifiable optimum is reported as an iteration limit.</summary>
    internal const int MaxVerifications = 4;

    /// <summary>How a call to <see cref="Iterate"/> ended.</summary>
    internal enum Outcome
    {
        /// <summary>No eligible entering column by the running tableau (to be verified by <see cref="Verify"/>).</summary>
        Optimal,

        /// <summary>The step limit was reached, or a numerically unbounded ray was met.</summary>
        IterationLimit,

        /// <summary>The basis was found primal infeasible for the original data, or singular: the run cannot go on.</summary>
        Drifted,
    }

    private readonly double[,] _a;
    private readonly double[] _b;
    private readonly double[] _lower;
    private readonly double[] _c;
    private readonly double[] _u;
    private readonly int _m;
    private readonly int _n;
    private readonly int _rows;
    private readonly int _cols;
    private readonly double[] _t;
    private readonly double[] _val;
    private readonly int[] _basis;
    private readonly int[] _rowOf;
    private readonly Place[] _place;
    private readonly int[] _nz;

    private MinimaxSimplex(double[,] a, double[] b, double[] lower, double[] upper, double[]? start)
    {
        _a = a;
        _b = b;
        _lower = lower;
        _m = a.GetLength(0);
        _n = a.GetLength(1);
        _rows = 2 * _m;
        _cols = _n + 1 + _rows;
        _u = new double[_n];
        for (var j = 0; j < _n; j++)
        {
            _u[j] = upper[j] - lower[j];
        }

        _c = new double[_m];
        for (var i = 0; i < _m; i++)
        {
            var s = b[i];
            for (var j = 0; j < _n; j++)
            {
                s -= a[i, j] * lower[j];
            }

            _c[i] = s;
        }

        _t = new double[_rows * _cols];
        FillOriginalTableau();
        _val = new double[_cols];
        _basis = new int[_rows];
        _rowOf = new int[_cols];
        _place = new Place[_cols];
        _nz = new int[_cols];
        Array.Fill(_rowOf, -1);

        // Start: x = the start point (default clip(0)), every x_j nonbasic (possibly strictly inside the box), r = 0,
        // slacks basic.
        for (var j = 0; j < _n; j++)
        {
            var y = start is null ? Math.Clamp(0.0, lower[j], upper[j]) - lower[j] : Math.Clamp(start[j] - lower[j], 0.0, _u[j]);
            if (y <= 0)
            {
                _place[j] = Place.Lower;
                _val[j] = 0.0;
            }
            else if (y >= _u[j])
            {
                _place[j] = Place.Upper;
                _val[j] = _u[j];
            }
            else
            {
                _place[j] = Place.Start;
                _val[j] = y;
            }
        }

        for (var q = 0; q < _rows; q++)
        {
            var slack = _n + 1 + q;
            _basis[q] = slack;
            _rowOf[slack] = q;
            var row = q * _cols;
            var s = Rhs(q);
            for (var j = 0; j < _n; j++)
            {
                s -= _t[row + j] * _val[j];
            }

            _val[slack] = s;
        }
    }

    /// <summary>The start state of the simplex for validated data (tests; <see cref="Run"/> is the production entry).</summary>
    internal static MinimaxSimplex Start(double[,] a, double[] b, double[] lower, double[] upper, double[]? start = null) => new(a, b, lower, upper, start);

    /// <summary>
    /// Solves the validated problem from the start point <paramref name="start"/> (default <c>clip(0)</c>): returns
    /// the status, the (unclipped) point, the solver's <c>r</c>, the dual weights, the step count and the number of
    /// restarts.
    /// </summary>
    /// <remarks>
    /// A run of <see cref="Iterate"/> that ends <see cref="Outcome.Optimal"/> is verified against the original data
    /// (<see cref="Verify"/>): basic values recomputed, primal feasibility within the feasibility tolerance, reduced
    /// costs from freshly solved duals. A basis whose fresh reduced costs still admit an improving column is
    /// refactorised and the loop goes on (at most <see cref="MaxVerifications"/> rounds, then
    /// <see cref="LpStatus.IterationLimit"/>). A run that ends <see cref="Outcome.Drifted"/> (or fails primal
    /// verification) restarts from the best point verified so far, at most <see cref="MaxRestarts"/> times; after that
    /// the best verified point is returned with <see cref="LpStatus.IterationLimit"/>. Every returned point comes from
    /// a basis checked against the original data, so the reported <c>r</c> is the point's residual up to the
    /// feasibility tolerance (proofs-notes/lp-reconstruction.md, L9).
    /// </remarks>
    internal static (LpStatus Status, double[] X, double R, double[] Weights, int Iterations, int Restarts) Run(double[,] a, double[] b, double[] lower, double[] upper, LpOptions options, double[]? start = null)
    {
        var iterations = 0;
        var best = new BestPoint(a, b, lower, upper);
        best.Offer(start);
        for (var restart = 0; ; restart++)
        {
            var simplex = new MinimaxSimplex(a, b, lower, upper, restart == 0 ? start : best.Point);
            simplex._best = best;
            var remaining = options.MaxIterations - iterations;

            // Each restart raises the pivot threshold a hundredfold: the drift came from a nearly singular basis, and a
            // larger threshold keeps the new path away from the pivots that made it (at the price of admissible
            // infeasibility, which verification bounds).
            var attempt = options with { PivotTolerance = Math.Max(options.PivotTolerance, Math.Min(RestartPivotCeiling, options.PivotTolerance * Math.Pow(100, restart))) };
            for (var round = 1; ; round++)
            {
                var (outcome, steps) = simplex.Iterate(attempt with { MaxIterations = remaining });
                iterations += steps;
                remaining -= steps;
                if (outcome == Outcome.Drifted)
                {
                    break;
                }

                var verdict = simplex.Verify(options);
                if (verdict == Verdict.Infeasible)
                {
                    break;
                }

                if (verdict == Verdict.Optimal || outcome == Outcome.IterationLimit || round >= MaxVerifications)
                {
                    var status = verdict == Verdict.Optimal && outcome == Outcome.Optimal ? LpStatus.Optimal : LpStatus.IterationLimit;
                    return (status, simplex.Point(lower), simplex._val[simplex._n], simplex._weights, iterations, restart);
                }

                // Fresh reduced costs admit an improving column: refactorise and go on.
                if (!simplex.Refactor())
                {
                    break;
                }
            }

            best.Offer(simplex);
            if (restart >= MaxRestarts || remaining <= 0)
            {
                // Return the best verified point as a start state (r basic at its exact residual, nothing iterated).
                var fallback = new MinimaxSimplex(a, b, lower, upper, best.Point);
                fallback.Iterate(options with { MaxIterations = 0 });
                fallback.Verify(options);
                return (LpStatus.IterationLimit, fallback.Point(lower), fallback._val[fallback._n], fallback._weights, iterations, restart + 1);
            }
        }
    }

    /// <summary>The current point <c>x = lower + y</c> (unclipped).</summary>
    private double[] Point(double[] lower)
    {
        var x = new double[_n];
        for (var j = 0; j < x.Length; j++)
        {
            x[j] = lower[j] + _val[j];
        }

        return x;
    }

    private BestPoint? _best;
    private double[] _weights = [];

    /// <summary>The outcome of <see cref="Verify"/>.</summary>
    internal enum Verdict
    {
        /// <summary>Primal feasible and no improving column by fresh reduced costs.</summary>
        Optimal,

        /// <summary>Primal feasible, but some fresh reduced cost admits an improving column.</summary>
        NotOptimal,

        /// <summary>The basis is singular or primal infeasible for the original data beyond the feasibility tolerance.</summary>
        Infeasible,
    }

    /// <summary>
    /// Verifies the current basis against the original data: recomputes the basic values (<see cref="RecomputeValues"/>),
    /// requires the basis's <c>r</c> to be the residual of its point (<see cref="Inconsistency"/> at most
    /// <see cref="VerifiedInconsistency"/>), solves the duals <c>Mᵀ π = e_r</c> on the active rows and sets the dual
    /// weights from them; optimal when the dual certificate closes the gap (L8) or, failing that, when no nonbasic
    /// reduced cost admits an improving move beyond <see cref="LpOptions.OptimalityTolerance"/> (L4).
    /// </summary>
    internal Verdict Verify(LpOptions options)
    {
        _weights = new double[_m];
        if (!RecomputeValues(out _) || Inconsistency() > VerifiedInconsistency)
        {
            return Verdict.Infeasible;
        }

        // Duals: B^T π = c_B. Basic slacks force π_q = 0 off the active rows; on them, Σ_q π_q Coef(q, j) = [j = r].
        var structural = BasicStructurals();
        var active = ActiveRows();
        var k = structural.Count;
        var transposed = new double[k, k];
        var pi = new double[k];
        for (var e = 0; e < k; e++)
        {
            for (var f = 0; f < k; f++)
            {
                transposed[f, e] = Coefficient(active[e], structural[f]);
            }
        }

        pi[structural.IndexOf(_n)] = 1.0;
        if (!DenseLinearAlgebra.TrySolveInPlace(transposed, pi))
        {
            return Verdict.Infeasible;
        }

        // λ_q = d_{slack q} = -π_q: the multipliers of the inequalities (see DualWeights); clipped at 0, normalised.
        var lambda = new double[_rows];
        var total = 0.0;
        for (var e = 0; e < k; e++)
        {
            lambda[active[e]] = Math.Max(0.0, -pi[e]);
            total += lambda[active[e]];
        }

        if (total > 0)
        {
            for (var i = 0; i < _m; i++)
            {
                _weights[i] = (lambda[i] / total) - (lambda[_m + i] / total);
            }
        }

        // The dual certificate (L8) closes the gap: optimal whatever the reduced costs say (they are noisy when the
        // duals are degenerate, e.g. at an exact fit r = 0).
        if (CertifiedGap() <= VerifiedInconsistency)
        {
            return Verdict.Optimal;
        }

        var optTol = options.OptimalityTolerance;
        for (var e = 0; e < k; e++)
        {
            // Slack of active row q at its lower bound 0: improving when d = -π_q < -τ.
            if (-pi[e] < -optTol)
            {
                return Verdict.NotOptimal;
            }
        }

        for (var j = 0; j < _n; j++)
        {
            if (_rowOf[j] >= 0 || !(_u[j] > 0))
            {
                continue;
            }

            var d = 0.0;
            for (var e = 0; e < k; e++)
            {
                d -= pi[e] * Coefficient(active[e], j);
            }

            var improving = _place[j] switch
            {
                Place.Lower => d < -optTol,
                Place.Upper => d > optTol,
                _ => Math.Abs(d) > optTol,
            };
            if (improving)
            {
                return Verdict.NotOptimal;
            }
        }

        return Verdict.Optimal;
    }

    /// <summary>
    /// <c>(max_i |(Ax - b)_i| - LB(w)) / (1 + Σ_j |x_j|)</c> for the current point (clipped) and the current dual weights
    /// <c>w</c>, from the (scaled) data alone (L8): an upper bound on the point's relative distance from optimality.
    /// </summary>
    private double CertifiedGap()
    {
        var x = ClippedPoint(out var size);
        var upper = new double[_n];
        var lower = new double[_n];
        for (var j = 0; j < _n; j++)
        {
            lower[j] = _lower[j];
            upper[j] = _lower[j] + _u[j];
        }

        var gap = MinimaxLinearProgram.ResidualInfinityNorm(_a, _b, x) - MinimaxLinearProgram.DualLowerBound(_a, _b, lower, upper, _weights);
        return gap / (1 + size);
    }

    private double[] ClippedPoint(out double size)
    {
        var x = new double[_n];
        size = 0.0;
        for (var j = 0; j < _n; j++)
        {
            x[j] = Math.Clamp(_val[j], 0.0, _u[j]) + _lower[j];
            size += Math.Abs(x[j]);
        }

        return x;
    }

    /// <summary>
    /// How far the basis's <c>r</c> is from the residual of its point: <c>|max_i |(Ax - b)_i| - r| / (1 + Σ_j |x_j|)</c>
    /// with <c>x</c> the current point clipped into the box, computed directly from the (scaled) data. A primal
    /// feasible basis, recomputed exactly, has 0: its active rows attain <c>r</c> and its basic slacks are
    /// non-negative. The normalisation follows the runtime contract's tolerance <c>1e-8 · scale · (1 + Σ|x|)</c>.
    /// </summary>
    internal double Inconsistency()
    {
        var x = ClippedPoint(out var size);
        return Math.Abs(MinimaxLinearProgram.ResidualInfinityNorm(_a, _b, x) - _val[_n]) / (1 + size);
    }

    private List<int> BasicStructurals()
    {
        var structural = new List<int>();
        for (var j = 0; j <= _n; j++)
        {
            if (_rowOf[j] >= 0)
            {
                structural.Add(j);
            }
        }

        return structural;
    }

    private List<int> ActiveRows()
    {
        var active = new List<int>();
        for (var q = 0; q < _rows; q++)
        {
            if (_rowOf[_n + 1 + q] < 0)
            {
                active.Add(q);
            }
        }

        return active;
    }

    /// <summary>Writes the original tableau <c>[A' | -1 | I]</c> (the slack basis) into <see cref="_t"/>.</summary>
    private void FillOriginalTableau()
    {
        Array.Clear(_t);
        for (var i = 0; i < _m; i++)
        {
            var top = i * _cols;
            var bottom = (_m + i) * _cols;
            for (var j = 0; j < _n; j++)
            {
                _t[top + j] = _a[i, j];
                _t[bottom + j] = -_a[i, j];
            }

            _t[top + _n] = -1;
            _t[bottom + _n] = -1;
            _t[top + _n + 1 + i] = 1;
            _t[bottom + _n + 1 + _m + i] = 1;
        }
    }

    /// <summary>
    /// Refactorises: rebuilds <c>T = B⁻¹ [A' | -1 | I]</c> for the current basis from the original data (Gauss-Jordan
    /// from the slack basis, each basic structural column pivoted into the still-free active row where its entry is
    /// largest: partial pivoting), then recomputes the basic values. The set of basic columns and the place of every
    /// nonbasic column are unchanged; which row holds which basic column may change.
    /// </summary>
    /// <returns><see langword="false"/> when the basis is numerically singular (the state is then unusable).</returns>
    internal bool Refactor()
    {
        var structural = BasicStructurals();
        var active = ActiveRows();
        if (structural.Count != active.Count)
        {
            return false;
        }

        FillOriginalTableau();
        for (var j = 0; j <= _n; j++)
        {
            _rowOf[j] = -1;
        }

        for (var q = 0; q < _rows; q++)
        {
            _basis[q] = _n + 1 + q;
            _rowOf[_n + 1 + q] = q;
        }

        var free = new bool[_rows];
        foreach (var q in active)
        {
            free[q] = true;
        }

        foreach (var j in structural)
        {
            var row = -1;
            var largest = 0.0;
            var column = 0.0;
            for (var q = 0; q < _rows; q++)
            {
                var v = Math.Abs(_t[(q * _cols) + j]);
                column = Math.Max(column, v);
                if (free[q] && v > largest)
                {
                    row = q;
                    largest = v;
                }
            }

            if (row < 0 || !(largest > Tolerances.SingularPivot * Math.Max(1.0, column)))
            {
                return false;
            }

            Pivot(row, j, leavingAtUpper: false);
            free[row] = false;
        }

        return RecomputeValues(out _);
    }

    private double Rhs(int q) => q < _m ? _c[q] : -_c[q - _m];

    /// <summary>
    /// Runs the simplex from the current state. The optional observers (tests only; <see cref="Run"/> passes none,
    /// and then nothing is recorded) see every step's choice before it is applied, with the state it was chosen
    /// from, and every periodic recomputation of the basic values right after it ran.
    /// </summary>
    /// <param name="options">Tolerances and the step limit.</param>
    /// <param name="onStep">Called with each step's choice before the step changes the state.</param>
    /// <param name="onRefresh">Called with the number of steps taken so far after each periodic <see cref="RecomputeValues"/>.</param>
    internal (Outcome Outcome, int Iterations) Iterate(LpOptions options, Action<StepChoice>? onStep = null, Action<int>? onRefresh = null)
    {
        var rCol = _n;

        if (_rowOf[rCol] < 0)
        {
            // Make r basic in the row of the most negative slack (smallest index on ties): r = max_i |(Ax - b)_i|.
            var enterRow = 0;
            for (var q = 1; q < _rows; q++)
            {
                if (_val[_basis[q]] < _val[_basis[enterRow]])
                {
                    enterRow = q;
                }
            }

            var delta = Math.Max(0.0, -_val[_basis[enterRow]]);
            Move(rCol, delta);
            Pivot(enterRow, rCol, leavingAtUpper: false);
        }

        var iterations = 0;
        var pivotsSinceRefresh = 0;
        var degenerateRun = 0;
        var bland = false;
        var optTol = options.OptimalityTolerance;
        var pivTol = options.PivotTolerance;
        var feasTol = options.FeasibilityTolerance;
        for (;;)
        {
            var p = _rowOf[rCol];
            var prow = p * _cols;

            // Entering variable: increasing it (sigma = +1) or decreasing it (sigma = -1) lowers r at rate `score`.
            var enter = -1;
            var sigma = 0;
            var bestScore = 0.0;
            var bestWeighted = 0.0;
            var bestTier = -1;
            for (var j = 0; j < _cols; j++)
            {
                if (_rowOf[j] >= 0 || j == rCol || (j < _n && !(_u[j] > 0)))
                {
                    continue;
                }

                // Increasing variable j changes r at rate -T[p, j]; a variable still at its interior start value
                // may move either way.
                var tpj = _t[prow + j];
                var s = _place[j] switch
                {
                    Place.Lower => 1,
                    Place.Upper => -1,
                    _ => tpj >= 0 ? 1 : -1,
                };
                var score = s * tpj;

                if (!(score > optTol))
                {
                    continue;
                }

                // Two-tier Dantzig: any eligible structural variable (tier 1) beats every slack (tier 0); within
                // the structurals the key is |d_j| · u_j (the decrease of r if the edge ran across the whole box),
                // within the slacks |d_j|. Both keys scale like the data, so the path does not depend on units.
                var tier = j < _n ? 1 : 0;
                var weighted = j < _n ? score * _u[j] : score;
                if (enter < 0 || (!bland && (tier > bestTier || (tier == bestTier && weighted > bestWeighted))))
                {
                    bestTier = tier;
                    enter = j;
                    sigma = s;
                    bestScore = score;
                    bestWeighted = weighted;
                    if (bland)
                    {
                        break;
                    }
                }
            }

            if (enter < 0)
            {
                return (Outcome.Optimal, iterations);
            }

            if (iterations >= options.MaxIterations)
            {
                return (Outcome.IterationLimit, iterations);
            }

            var (leaveRow, ratio, leaveAtUpper) = RatioTest(p, enter, sigma, pivTol, bland ? 0.0 : feasTol);

            // Distance of the entering variable to the bound it moves towards (a bound flip when it is the limit).
            var toBound = enter >= _n ? double.PositiveInfinity : sigma > 0 ? _u[enter] - _val[enter] : _val[enter];
            // A slack (enter >= n) has no bound to flip to (box bounds are validated finite, so a structural's toBound is
            // finite); a slack that no row limits is the unbounded-ray exit below.
            var flip = enter < _n && toBound <= ratio;
            if (!flip && leaveRow < 0)
            {
                // A ray along which r decreases without bound cannot exist (2r = s_i + s_{m+i} >= 0); it only
                // appears when every relevant entry fell below the pivot tolerance. Stop with the current point.
                return (Outcome.IterationLimit, iterations);
            }

            var step = flip ? toBound : ratio;
            if (onStep is not null)
            {
                onStep(new StepChoice(enter, sigma, flip ? -1 : _basis[leaveRow], leaveAtUpper, bland, step, bestScore));
            }

            Move(enter, sigma * step);
            iterations++;
            if (flip)
            {
                _place[enter] = sigma > 0 ? Place.Upper : Place.Lower;
                _val[enter] = sigma > 0 ? _u[enter] : 0.0;
            }
            else
            {
                Pivot(leaveRow, enter, leaveAtUpper);
                if (++pivotsSinceRefresh >= RefreshPeriod)
                {
                    pivotsSinceRefresh = 0;
                    if (!Refresh())
                    {
                        return (Outcome.Drifted, iterations);
                    }

                    if (onRefresh is not null)
                    {
                        onRefresh(iterations);
                    }
                }
            }

            var decrease = step * bestScore;
            if (decrease <= Tolerances.LpDegenerateDecrease * Math.Max(1.0, Math.Abs(_val[rCol])))
            {
                if (++degenerateRun >= DegenerateRunBeforeBland)
                {
                    bland = true;
                }
            }
            else
            {
                degenerateRun = 0;
                bland = false;
            }
        }
    }

    /// <summary>
    /// The ratio test for column <paramref name="enter"/> moving in direction <paramref name="sigma"/>, over the rows
    /// other than r's row <paramref name="p"/>. A row takes part when its pivot entry <c>α = σ·T[i, enter]</c> exceeds
    /// the pivot threshold <c>PivotTolerance</c> (towards the lower bound 0) or, for a
    /// basic structural, is below its negative (towards its upper bound). Harris's two passes: the first finds
    /// <c>θ_max</c>, the smallest ratio with every bound relaxed by <paramref name="relax"/> (the feasibility
    /// tolerance); the second takes, among the rows whose exact ratio is at most <c>θ_max</c>, the one with the
    /// largest <c>|α|</c> (ties: smaller ratio, then smaller basic-variable index). With <paramref name="relax"/> = 0
    /// (Bland mode) this is the textbook minimum ratio, ties to the smaller basic-variable index.
    /// </summary>
    private (int Row, double Ratio, bool ToUpper) RatioTest(int p, int enter, int sigma, double pivTol, double relax)
    {
        var threshold = pivTol;
        var thetaMax = double.PositiveInfinity;
        for (var i = 0; i < _rows; i++)
        {
            if (i == p)
            {
                continue;
            }

            var alpha = _t[(i * _cols) + enter] * sigma;
            var v = _basis[i];
            if (alpha > threshold)
            {
                thetaMax = Math.Min(thetaMax, Math.Max(0.0, _val[v] + relax) / alpha);
            }
            else if (alpha < -threshold && v < _n)
            {
                thetaMax = Math.Min(thetaMax, Math.Max(0.0, _u[v] - _val[v] + relax) / -alpha);
            }
        }

        var leaveRow = -1;
        var bestRatio = double.PositiveInfinity;
        var bestAlpha = 0.0;
        var leaveAtUpper = false;
        for (var i = 0; i < _rows; i++)
        {
            if (i == p)
            {
                continue;
            }

            var alpha = _t[(i * _cols) + enter] * sigma;
            var v = _basis[i];
            double ratio;
            bool toUpper;
            if (alpha > threshold)
            {
                ratio = Math.Max(0.0, _val[v]) / alpha;
                toUpper = false;
            }
            else if (alpha < -threshold && v < _n)
            {
                ratio = Math.Max(0.0, _u[v] - _val[v]) / -alpha;
                toUpper = true;
            }
            else
            {
                continue;
            }

            if (ratio > thetaMax)
            {
                continue;
            }

            bool better;
            if (leaveRow < 0)
            {
                better = true;
            }
            else if (relax == 0)
            {
                better = ratio < bestRatio || (ratio == bestRatio && v < _basis[leaveRow]);
            }
            else
            {
                var size = Math.Abs(alpha);
                var bestSize = Math.Abs(bestAlpha);
                better = size > bestSize || (size == bestSize && (ratio < bestRatio || (ratio == bestRatio && v < _basis[leaveRow])));
            }

            if (better)
            {
                leaveRow = i;
                bestRatio = ratio;
                bestAlpha = alpha;
                leaveAtUpper = toUpper;
            }
        }

        return (leaveRow, bestRatio, leaveAtUpper);
    }

    /// <summary>
    /// The periodic check: recomputes the basic values from the original data; refactorises the tableau when they had
    /// drifted by more than <see cref="DriftTolerance"/>; offers the point to the best-point record when the basis is
    /// consistent.
    /// </summary>
    /// <returns><see langword="false"/> when the basis is singular, or inconsistent with the data beyond 1000 times <see cref="VerifiedInconsistency"/> (primal infeasible: the tableau has drifted to a wrong basis).</returns>
    private bool Refresh()
    {
        if (!RecomputeValues(out var drift))
        {
            return false;
        }

        var inconsistency = Inconsistency();
        if (inconsistency > 1000 * VerifiedInconsistency)
        {
            return false;
        }

        if (drift > DriftTolerance && !Refactor())
        {
            return false;
        }

        _best?.Offer(this);
        return true;
    }

    /// <summary>Changes nonbasic variable <paramref name="j"/> by <paramref name="delta"/> and updates every basic value.</summary>
    private void Move(int j, double delta)
    {
        if (delta == 0)
        {
            return;
        }

        _val[j] += delta;
        for (var i = 0; i < _rows; i++)
        {
            var tij = _t[i * _cols + j];
            if (tij != 0)
            {
                _val[_basis[i]] -= tij * delta;
            }
        }
    }

    /// <summary>Exchanges the basic variable of row <paramref name="q"/> for column <paramref name="j"/>.</summary>
    private void Pivot(int q, int j, bool leavingAtUpper)
    {
        var leaving = _basis[q];
        var qrow = q * _cols;
        var inv = 1.0 / _t[qrow + j];
        var count = 0;
        for (var k = 0; k < _cols; k++)
        {
            if (_t[qrow + k] != 0)
            {
                _t[qrow + k] *= inv;
                _nz[count++] = k;
            }
        }

        _t[qrow + j] = 1.0;
        for (var i = 0; i < _rows; i++)
        {
            if (i == q)
            {
                continue;
            }

            var irow = i * _cols;
            var f = _t[irow + j];
            if (f == 0)
            {
                continue;
            }

            for (var z = 0; z < count; z++)
            {
                var k = _nz[z];
                _t[irow + k] -= f * _t[qrow + k];
            }

            _t[irow + j] = 0.0;
        }

        _basis[q] = j;
        _rowOf[j] = q;
        _rowOf[leaving] = -1;
        _place[leaving] = leavingAtUpper ? Place.Upper : Place.Lower;
        _val[leaving] = leavingAtUpper ? _u[leaving] : 0.0;
    }

    /// <summary>Original coefficient of column <paramref name="j"/> (<c>j &lt;= n</c>) in row <paramref name="q"/>.</summary>
    private double Coefficient(int q, int j)
    {
        if (j == _n)
        {
            return -1.0;
        }

        return q < _m ? _a[q, j] : -_a[q - _m, j];
    }

    /// <summary>
    /// Recomputes the basic values from the original data: the basic structural variables (basic <c>y_j</c> and
    /// <c>r</c>) solve the square system of the rows whose slack is nonbasic (at 0), then each basic slack follows
    /// from its row. Keeps the current values when that system is numerically singular.
    /// </summary>
    /// <param name="drift">The largest change of a basic value, relative to <c>1 + |new value|</c> (0 when nothing was recomputed).</param>
    /// <returns><see langword="false"/> when the system is not square or numerically singular (nothing changed).</returns>
    internal bool RecomputeValues(out double drift)
    {
        drift = 0.0;
        var structural = BasicStructurals();
        var active = ActiveRows();
        var k = structural.Count;
        if (active.Count != k)
        {
            return false;
        }

        var matrix = new double[k, k];
        var rhs = new double[k];
        for (var e = 0; e < k; e++)
        {
            var q = active[e];
            var s = Rhs(q);
            for (var j = 0; j < _n; j++)
            {
                if (_rowOf[j] < 0 && _val[j] != 0)
                {
                    s -= Coefficient(q, j) * _val[j];
                }
            }

            rhs[e] = s;
            for (var f = 0; f < k; f++)
            {
                matrix[e, f] = Coefficient(q, structural[f]);
            }
        }

        if (!DenseLinearAlgebra.TrySolveInPlace(matrix, rhs))
        {
            return false;
        }

        for (var f = 0; f < k; f++)
        {
            drift = Math.Max(drift, Math.Abs(_val[structural[f]] - rhs[f]) / (1 + Math.Abs(rhs[f])));
            _val[structural[f]] = rhs[f];
        }

        for (var q = 0; q < _rows; q++)
        {
            var slack = _n + 1 + q;
            if (_rowOf[slack] < 0)
            {
                continue;
            }

            var s = Rhs(q) + _val[_n];
            for (var j = 0; j < _n; j++)
            {
                if (_val[j] != 0)
                {
                    s -= Coefficient(q, j) * _val[j];
                }
            }

            drift = Math.Max(drift, Math.Abs(_val[slack] - s) / (1 + Math.Abs(s)));
            _val[slack] = s;
        }

        return true;
    }

    /// <summary>
    /// The best point seen in a run of <see cref="Run"/>: every offered point is clipped into the box and its residual
    /// <c>max_i |(Ax - b)_i|</c> computed directly from the data, so the record does not trust any tableau.
    /// </summary>
    private sealed class BestPoint(double[,] a, double[] b, double[] lower, double[] upper)
    {
        /// <summary>The best point so far (inside the box), or <see langword="null"/> before the first offer.</summary>
        public double[]? Point { get; private set; }

        /// <summary>Its residual, computed directly.</summary>
        public double Residual { get; private set; } = double.PositiveInfinity;

        /// <summary>Offers <paramref name="x"/> (<see langword="null"/>: the box point closest to 0).</summary>
        public void Offer(double[]? x)
        {
            var point = new double[lower.Length];
            for (var j = 0; j < point.Length; j++)
            {
                point[j] = Math.Clamp(x is null ? 0.0 : x[j], lower[j], upper[j]);
            }

            var residual = MinimaxLinearProgram.ResidualInfinityNorm(a, b, point);
            if (residual < Residual)
            {
                Point = point;
                Residual = residual;
            }
        }

        /// <summary>Offers the current point of <paramref name="simplex"/>.</summary>
        public void Offer(MinimaxSimplex simplex) => Offer(simplex.Point(lower));
    }

    /// <summary>One step of <see cref="Iterate"/> as chosen (tests).</summary>
    /// <param name="Entering">The entering column.</param>
    /// <param name="Direction">+1 when it increases, -1 when it decreases.</param>
    /// <param name="LeavingVariable">The column of the basic variable that leaves the basis, or -1 for a bound flip of the entering column (a column index, not a tableau row, so that tests do not depend on how the basis is stored).</param>
    /// <param name="LeavesAtUpper">Whether the leaving variable leaves at its upper bound (meaningless for a flip).</param>
    /// <param name="Bland">Whether the step was chosen by Bland's rule.</param>
    /// <param name="Length">How far the entering column moves.</param>
    /// <param name="Rate">The rate at which <c>r</c> decreases along the step (the entering column's reduced cost).</param>
    internal readonly record struct StepChoice(int Entering, int Direction, int LeavingVariable, bool LeavesAtUpper, bool Bland, double Length, double Rate);
}
