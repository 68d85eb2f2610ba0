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
/// <para>The tableau <c>T = B⁻¹ [A' | -1 | I]</c> is stored densely, row-major. Basic values are kept explicitly and
/// recomputed from the original data (<see cref="RecomputeValues"/>) every <see cref="RefreshPeriod"/> pivots and at
/// the end.</para>
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

        /// <summary>At its start value <c>clip(0)</c>, strictly inside the box; never returns here once moved.</summary>
        Start,
    }

    /// <summary>Pivots between recomputations of the basic values from the original data.</summary>
    internal const int RefreshPeriod = 64;

    /// <summary>Consecutive degenerate steps after which the entering rule switches from Dantzig to Bland.</summary>
    internal const int DegenerateRunBeforeBland = 50;

    private readonly double[,] _a;
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

    private MinimaxSimplex(double[,] a, double[] b, double[] lower, double[] upper)
    {
        _a = a;
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
        for (var i = 0; i < _m; i++)
        {
            var top = i * _cols;
            var bottom = (_m + i) * _cols;
            for (var j = 0; j < _n; j++)
            {
                _t[top + j] = a[i, j];
                _t[bottom + j] = -a[i, j];
            }

            _t[top + _n] = -1;
            _t[bottom + _n] = -1;
            _t[top + _n + 1 + i] = 1;
            _t[bottom + _n + 1 + _m + i] = 1;
        }

        _val = new double[_cols];
        _basis = new int[_rows];
        _rowOf = new int[_cols];
        _place = new Place[_cols];
        _nz = new int[_cols];
        Array.Fill(_rowOf, -1);

        // Start: x = clip(0) (nonbasic, possibly strictly inside the box), r = 0, slacks basic.
        for (var j = 0; j < _n; j++)
        {
            if (lower[j] >= 0)
            {
                _place[j] = Place.Lower;
                _val[j] = 0.0;
            }
            else if (upper[j] <= 0)
            {
                _place[j] = Place.Upper;
                _val[j] = _u[j];
            }
            else
            {
                _place[j] = Place.Start;
                _val[j] = -lower[j];
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

    /// <summary>The number <c>n</c> of structural columns; column <c>n</c> is <c>r</c>, columns <c>n+1..n+2m</c> the slacks (tests).</summary>
    internal int StructuralCount => _n;

    /// <summary>The number <c>2m</c> of tableau rows (tests).</summary>
    internal int RowCount => _rows;

    /// <summary>The number <c>n + 1 + 2m</c> of tableau columns (tests).</summary>
    internal int ColumnCount => _cols;

    /// <summary>The live tableau <c>B⁻¹ [A' | -1 | I]</c>, row-major, <see cref="ColumnCount"/> entries a row (tests; not a copy).</summary>
    internal double[] Tableau => _t;

    /// <summary>The live value of every column (shifted <c>y_j</c>, <c>r</c>, slacks), basic or not (tests; not a copy).</summary>
    internal double[] Values => _val;

    /// <summary>The live basic column of every row (tests; not a copy).</summary>
    internal int[] Basis => _basis;

    /// <summary>The live row of every column, <c>-1</c> when nonbasic (tests; not a copy).</summary>
    internal int[] RowOf => _rowOf;

    /// <summary>Where nonbasic column <paramref name="j"/> sits (tests).</summary>
    internal Place PlaceOf(int j) => _place[j];

    /// <summary>The box width <c>u_j</c> of structural column <paramref name="j"/> (tests).</summary>
    internal double Width(int j) => _u[j];

    /// <summary>The start state of the simplex for validated data (tests; <see cref="Run"/> is the production entry).</summary>
    internal static MinimaxSimplex Start(double[,] a, double[] b, double[] lower, double[] upper) => new(a, b, lower, upper);

    /// <summary>Solves the validated problem: returns the status, the (unclipped) point, the solver's <c>r</c> and the step count.</summary>
    internal static (LpStatus Status, double[] X, double R, double[] Weights, int Iterations) Run(double[,] a, double[] b, double[] lower, double[] upper, LpOptions options)
    {
        var simplex = new MinimaxSimplex(a, b, lower, upper);
        var (status, iterations) = simplex.Iterate(options);
        simplex.RecomputeValues();
        var x = new double[simplex._n];
        for (var j = 0; j < x.Length; j++)
        {
            x[j] = lower[j] + simplex._val[j];
        }

        return (status, x, simplex._val[simplex._n], simplex.DualWeights(), iterations);
    }

    /// <summary>
    /// Dual weights read from the final basis: with <c>r</c> basic in row <c>p</c>, <c>λ_q = -T[p, slack_q]</c> is the
    /// multiplier of inequality <c>q</c> (<c>Σ_q λ_q = T[p, r] = 1</c>; <c>λ_q &gt;= -τ</c> at termination). Negative
    /// rounding is clipped to 0, the <c>λ</c> are divided by their sum, and <c>w_i = λ_i - λ_{m+i}</c>, so
    /// <c>Σ_i |w_i| &lt;= 1</c>: every such <c>w</c> yields a valid lower bound, and at an optimal basis the bound
    /// equals the optimum (LP duality). Normalising by <c>Σ|w|</c> instead would blow rounding noise up when the
    /// optimum is 0 (then <c>λ_i ≈ λ_{m+i}</c> and <c>w ≈ 0</c>).
    /// </summary>
    private double[] DualWeights()
    {
        var w = new double[_m];
        var p = _rowOf[_n];
        if (p < 0)
        {
            return w;
        }

        var prow = p * _cols;
        var total = 0.0;
        for (var q = 0; q < _rows; q++)
        {
            total += Math.Max(0.0, -_t[prow + _n + 1 + q]);
        }

        if (!(total > 0))
        {
            return w;
        }

        for (var i = 0; i < _m; i++)
        {
            var up = Math.Max(0.0, -_t[prow + _n + 1 + i]);
            var down = Math.Max(0.0, -_t[prow + _n + 1 + _m + i]);
            w[i] = (up / total) - (down / total);
        }

        return w;
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
    internal (LpStatus Status, int Iterations) Iterate(LpOptions options, Action<StepChoice>? onStep = null, Action<int>? onRefresh = null)
    {
        var rCol = _n;

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

        var iterations = 0;
        var pivotsSinceRefresh = 0;
        var degenerateRun = 0;
        var bland = false;
        var optTol = options.OptimalityTolerance;
        var pivTol = options.PivotTolerance;
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
                return (LpStatus.Optimal, iterations);
            }

            if (iterations >= options.MaxIterations)
            {
                return (LpStatus.IterationLimit, iterations);
            }

            // Ratio test over the basic rows (r's row is unbounded below in the sense that r is free).
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

                var alpha = _t[i * _cols + enter] * sigma;
                var v = _basis[i];
                double ratio = 0; // assigned below on every path; initialised so that Stryker can mutate this method (CS0165 otherwise drops it)
                bool toUpper = false;
                if (alpha > pivTol)
                {
                    ratio = Math.Max(0.0, _val[v]) / alpha;
                    toUpper = false;
                }
                else if (alpha < -pivTol && v < _n)
                {
                    ratio = Math.Max(0.0, _u[v] - _val[v]) / -alpha;
                    toUpper = true;
                }
                else
                {
                    continue;
                }

                var better = ratio < bestRatio
                    || (ratio == bestRatio && (bland
                        ? v < _basis[leaveRow]
                        : Math.Abs(alpha) > Math.Abs(bestAlpha) || (Math.Abs(alpha) == Math.Abs(bestAlpha) && v < _basis[leaveRow])));
                if (better)
                {
                    leaveRow = i;
                    bestRatio = ratio;
                    bestAlpha = alpha;
                    leaveAtUpper = toUpper;
                }
            }

            // Distance of the entering variable to the bound it moves towards (a bound flip when it is the limit).
            var toBound = enter >= _n ? double.PositiveInfinity : sigma > 0 ? _u[enter] - _val[enter] : _val[enter];
            // A slack (enter >= n) has no bound to flip to (box bounds are validated finite, so a structural's toBound is
            // finite); a slack that no row limits is the unbounded-ray exit below.
            var flip = enter < _n && toBound <= bestRatio;
            if (!flip && leaveRow < 0)
            {
                // A ray along which r decreases without bound cannot exist (2r = s_i + s_{m+i} >= 0); it only
                // appears when every relevant entry fell below the pivot tolerance. Stop with the current point.
                return (LpStatus.IterationLimit, iterations);
            }

            var step = flip ? toBound : bestRatio;
            if (onStep is not null)
            {
                onStep(new StepChoice(enter, sigma, flip ? -1 : leaveRow, leaveAtUpper, bland, step, bestScore));
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
                    RecomputeValues();
                    if (onRefresh is not null)
                    {
                        onRefresh(iterations);
                    }
                }
            }

            var decrease = step * bestScore;
            if (decrease <= 1e-13 * Math.Max(1.0, Math.Abs(_val[rCol])))
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
    internal void RecomputeValues()
    {
        var structural = new List<int>();
        for (var j = 0; j <= _n; j++)
        {
            if (_rowOf[j] >= 0)
            {
                structural.Add(j);
            }
        }

        var active = new List<int>();
        for (var q = 0; q < _rows; q++)
        {
            if (_rowOf[_n + 1 + q] < 0)
            {
                active.Add(q);
            }
        }

        var k = structural.Count;
        if (active.Count != k)
        {
            return;
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
            return;
        }

        for (var f = 0; f < k; f++)
        {
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

            _val[slack] = s;
        }
    }

    /// <summary>One step of <see cref="Iterate"/> as chosen (tests).</summary>
    /// <param name="Entering">The entering column.</param>
    /// <param name="Direction">+1 when it increases, -1 when it decreases.</param>
    /// <param name="LeavingRow">The row whose basic variable leaves, or -1 for a bound flip of the entering column.</param>
    /// <param name="LeavesAtUpper">Whether the leaving variable leaves at its upper bound (meaningless for a flip).</param>
    /// <param name="Bland">Whether the step was chosen by Bland's rule.</param>
    /// <param name="Length">How far the entering column moves.</param>
    /// <param name="Rate">The rate at which <c>r</c> decreases along the step (the entering column's reduced cost).</param>
    internal readonly record struct StepChoice(int Entering, int Direction, int LeavingRow, bool LeavesAtUpper, bool Bland, double Length, double Rate);
}
