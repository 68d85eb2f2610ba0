namespace LogitRank.Numerics;

/// <summary>The outcome of <see cref="MinimaxLinearProgram.Solve"/>.</summary>
public enum LpStatus
{
    /// <summary>An optimal point was found and every constraint checked on it.</summary>
    Optimal = 0,

    /// <summary>The box is empty (some lower bound exceeds its upper bound); no point exists.</summary>
    Infeasible,

    /// <summary>
    /// The solver stopped before proving optimality (its iteration limit, or a numerically unbounded ray that
    /// cannot exist mathematically); the returned point is the best feasible one found (the simplex objective never
    /// increases, so this is the last point).
    /// </summary>
    IterationLimit,
}

/// <summary>
/// The result of the minimax (Chebyshev) fit <c>min_x max_i |(Ax - b)_i|</c> subject to <c>lower &lt;= x &lt;= upper</c>.
/// </summary>
/// <param name="Status">Whether the solve reached optimality.</param>
/// <param name="Solution">The returned point <c>x</c> (inside the box); empty when <see cref="LpStatus.Infeasible"/>.</param>
/// <param name="Residual">The optimal value <c>r = max_i |(Ax - b)_i|</c> as reported by the solver (recomputed from the final basis); <see cref="double.PositiveInfinity"/> when <see cref="LpStatus.Infeasible"/>.</param>
/// <param name="CheckedResidual">The same maximum recomputed directly from <c>A</c>, <c>b</c> and <see cref="Solution"/> (the a posteriori check); <see cref="double.PositiveInfinity"/> when <see cref="LpStatus.Infeasible"/>.</param>
/// <param name="MaxBoxViolation">The largest violation of a box bound by <see cref="Solution"/> (0 when inside the box; the solver clips, so it is 0 unless the box is empty).</param>
/// <param name="Iterations">The number of simplex steps performed (pivots and bound flips).</param>
public sealed record MinimaxResult(LpStatus Status, double[] Solution, double Residual, double CheckedResidual, double MaxBoxViolation, int Iterations)
{
    /// <summary>
    /// The dual certificate: weights <c>w ∈ R^m</c> with <c>Σ_i |w_i| &lt;= 1</c>, read from the final simplex basis
    /// (empty when <c>m = 0</c> or <see cref="LpStatus.Infeasible"/>; near zero when the optimum is 0). For every
    /// <c>x</c> in the box, <c>max_i |(Ax - b)_i| &gt;= Σ_i w_i (Ax - b)_i &gt;= </c><see cref="LowerBound"/>.
    /// </summary>
    public double[] DualWeights { get; init; } = [];

    /// <summary>
    /// A lower bound on the optimal value, computed from <see cref="DualWeights"/>, <c>A</c>, <c>b</c> and the box
    /// alone: <c>min_{x ∈ box} Σ_i w_i (Ax - b)_i = Σ_j min(g_j lower_j, g_j upper_j) - w·b</c> with <c>g = Aᵀw</c>.
    /// Valid whatever the status (up to rounding in this sum); at an optimum it equals the optimal value, so
    /// <c><see cref="CheckedResidual"/> - LowerBound</c> is a certified optimality gap.
    /// <see cref="double.PositiveInfinity"/> when <see cref="LpStatus.Infeasible"/>.
    /// </summary>
    public double LowerBound { get; init; }
}

/// <summary>Options of <see cref="MinimaxLinearProgram.Solve"/>.</summary>
public sealed record LpOptions
{
    /// <summary>
    /// Pivot tolerance: in the ratio test, a tableau entry of the entering column counts as zero unless its magnitude
    /// exceeds it (the data are scaled so that <c>max(|A|, |b|) ∈ [1, 2)</c>). Too small a value admits pivots that
    /// make the basis numerically singular (proofs-notes/lp-reconstruction.md, L9); a restart after detected drift
    /// raises it.
    /// </summary>
    public double PivotTolerance { get; init; } = 1e-11;

    /// <summary>
    /// Feasibility tolerance <c>δ</c> (scaled data): the Harris ratio test lets a basic variable pass its bound by at
    /// most <c>δ</c> in exchange for a larger pivot, and a final basis is accepted only when, recomputed from the
    /// original data, no basic variable violates its bound by more than <c>δ</c>; so the reported <c>r</c> is within
    /// about <c>δ</c> (times the data scale) of the point's recomputed residual.
    /// </summary>
    public double FeasibilityTolerance { get; init; } = 1e-12;

    /// <summary>
    /// Optimality tolerance: a reduced cost (the rate at which <c>r</c> decreases along a simplex edge) must exceed
    /// it in magnitude for the edge to be taken. Applies to the scaled data (<c>max(|A|, |b|) ∈ [1, 2)</c>).
    /// </summary>
    public double OptimalityTolerance { get; init; } = 1e-10;

    /// <summary>The largest number of simplex steps (pivots and bound flips) before <see cref="LpStatus.IterationLimit"/>.</summary>
    public int MaxIterations { get; init; } = 100_000;
}

/// <summary>
/// A deterministic, fully managed dense LP solver for the reconstruction problem of ALGORITHM.md section 3:
/// minimise <c>r</c> subject to <c>lower_j &lt;= x_j &lt;= upper_j</c> and <c>-r &lt;= (Ax - b)_i &lt;= r</c> for every row <c>i</c>.
/// </summary>
/// <remarks>
/// <para>
/// Method: bounded-variable primal simplex on a dense tableau (see <c>proofs-notes/lp-reconstruction.md</c>). The
/// variables are <c>y = x - lower ∈ [0, upper - lower]</c>, the free variable <c>r</c> and one non-negative slack
/// per inequality <c>±(Ax - b)_i - r &lt;= 0</c>. The start point is <c>x = clip(0)</c>, the box point closest to 0
/// (a coordinate strictly inside the box is a nonbasic variable off its bounds that may later move either way), with
/// <c>r</c> basic at <c>max_i |(Ax - b)_i|</c>, which is feasible, so
/// no phase 1 is needed. Entering variable: a two-tier Dantzig rule (an eligible <c>x_j</c> with the largest
/// <c>|reduced cost| · (upper_j - lower_j)</c>, else the slack with the largest <c>|reduced cost|</c>; ties to the
/// smallest index), switching to Bland's smallest-index rule after a run of degenerate steps (anti-cycling); leaving variable: minimum ratio, ties broken by larger pivot
/// magnitude then smallest variable index (Bland mode: smallest index). <c>A</c> and <c>b</c> are first scaled by the
/// power of two that brings their largest magnitude into <c>[1, 2)</c> (exact), so the tolerances in
/// <see cref="LpOptions"/> act relative to the data scale. The basic values are recomputed from the
/// original data every 64 pivots and at the end; the returned point is clipped into the box and the residual
/// recomputed from <c>A</c>, <c>b</c> and the point.
/// </para>
/// <para>
/// Canonical solution: the solver is a pure function of its input (no randomness, no parallelism, no hashing), so
/// the same input produces a bit-identical result. The learner relies on this to obtain the same coefficients in
/// validation and in generation. Inputs that differ only by a row permutation may give different optimal points
/// with the same optimal <c>r</c>. Coordinates that never enter the basis and are not pushed to a bound keep their
/// start value <c>clip(0)</c>, so coefficients the residual does not need stay 0 rather than sitting at a box corner.
/// </para>
/// </remarks>
public static class MinimaxLinearProgram
{
    /// <summary>Solves <c>min_x ||Ax - b||_∞</c> over the box <c>[lower, upper]</c>.</summary>
    /// <param name="a">The <c>m×n</c> constraint matrix (<c>m &gt;= 0</c> rows, <c>n &gt;= 0</c> columns).</param>
    /// <param name="b">The right-hand side, length <c>m</c>.</param>
    /// <param name="lower">Lower bounds, length <c>n</c>, finite.</param>
    /// <param name="upper">Upper bounds, length <c>n</c>, finite.</param>
    /// <param name="options">Tolerances and limits; defaults when <see langword="null"/>.</param>
    /// <returns>
    /// The optimal point and value. Degenerate cases: <c>m = 0</c> gives <c>r = 0</c> and the point of the box
    /// closest to 0 (<c>clip(0)</c>); <c>n = 0</c> gives <c>r = max_i |b_i|</c>; an empty box
    /// (<c>lower_j &gt; upper_j</c> for some <c>j</c>) gives <see cref="LpStatus.Infeasible"/>, not an exception.
    /// </returns>
    /// <exception cref="ArgumentNullException">An array is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">Dimensions disagree or an entry is not finite; the message names it.</exception>
    public static MinimaxResult Solve(double[,] a, double[] b, double[] lower, double[] upper, LpOptions? options = null) =>
        SolveFrom(a, b, lower, upper, options, start: null);

    /// <summary>
    /// <see cref="Solve"/> from the start point
    /// <paramref name="start"/> (clipped into the box) instead of <c>clip(0)</c>: every coordinate starts nonbasic at its
    /// value and <c>r</c> at the point's residual, which is primal feasible (L2 holds for any box point); the reconstruction
    /// warm-starts from the previous prefix's coefficients this way. The result is a pure function of the inputs and
    /// the start point.
    /// </summary>
    internal static MinimaxResult SolveFrom(double[,] a, double[] b, double[] lower, double[] upper, LpOptions? options, double[]? start)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        ArgumentNullException.ThrowIfNull(lower);
        ArgumentNullException.ThrowIfNull(upper);
        options ??= new LpOptions();
        ValidateOptions(options);

        var m = a.GetLength(0);
        var n = a.GetLength(1);
        if (b.Length != m)
        {
            throw new ArgumentException($"b has length {b.Length}; expected m = {m} (the number of rows of a).", nameof(b));
        }

        if (lower.Length != n)
        {
            throw new ArgumentException($"lower has length {lower.Length}; expected n = {n} (the number of columns of a).", nameof(lower));
        }

        if (upper.Length != n)
        {
            throw new ArgumentException($"upper has length {upper.Length}; expected n = {n} (the number of columns of a).", nameof(upper));
        }

        if (start is not null && start.Length != n)
        {
            throw new ArgumentException($"start has length {start.Length}; expected n = {n}.", nameof(start));
        }

        for (var i = 0; i < m; i++)
        {
            for (var j = 0; j < n; j++)
            {
                if (!double.IsFinite(a[i, j]))
                {
                    throw new ArgumentException($"a[{i}, {j}] is {a[i, j]}; every entry must be finite.", nameof(a));
                }
            }

            if (!double.IsFinite(b[i]))
            {
                throw new ArgumentException($"b[{i}] is {b[i]}; every entry must be finite.", nameof(b));
            }
        }

        for (var j = 0; j < n; j++)
        {
            if (!double.IsFinite(lower[j]))
            {
                throw new ArgumentException($"lower[{j}] is {lower[j]}; box bounds must be finite.", nameof(lower));
            }

            if (!double.IsFinite(upper[j]))
            {
                throw new ArgumentException($"upper[{j}] is {upper[j]}; box bounds must be finite.", nameof(upper));
            }
        }

        var emptyBox = 0.0;
        for (var j = 0; j < n; j++)
        {
            emptyBox = Math.Max(emptyBox, lower[j] - upper[j]);
        }

        if (emptyBox > 0)
        {
            return new MinimaxResult(LpStatus.Infeasible, [], double.PositiveInfinity, double.PositiveInfinity, emptyBox, 0)
            {
                LowerBound = double.PositiveInfinity,
            };
        }

        if (m == 0)
        {
            var x0 = new double[n];
            for (var j = 0; j < n; j++)
            {
                x0[j] = Math.Clamp(start is null ? 0.0 : start[j], lower[j], upper[j]);
            }

            return new MinimaxResult(LpStatus.Optimal, x0, 0.0, 0.0, BoxViolation(x0, lower, upper), 0);
        }

        // Scale (A, b) by a power of two so that the largest |entry| lies in [1, 2): exact in floating point (barring
        // underflow of entries below 2^-1022 · scale), so the tolerances act on a fixed data scale and the result for
        // (2^k A, 2^k b) is the result for (A, b) with r multiplied by 2^k, bit for bit.
        var exponent = DataExponent(a, b);
        var scaledA = new double[m, n];
        var scaledB = new double[m];
        for (var i = 0; i < m; i++)
        {
            for (var j = 0; j < n; j++)
            {
                scaledA[i, j] = Math.ScaleB(a[i, j], -exponent);
            }

            scaledB[i] = Math.ScaleB(b[i], -exponent);
        }

        var (status, x, scaledR, weights, iterations, _) = MinimaxSimplex.Run(scaledA, scaledB, lower, upper, options, start);
        var r = Math.ScaleB(scaledR, exponent);
        for (var j = 0; j < n; j++)
        {
            x[j] = Math.Clamp(x[j], lower[j], upper[j]);
        }

        var check = ResidualInfinityNorm(a, b, x);
        var solved = new MinimaxResult(status, x, r, check, BoxViolation(x, lower, upper), iterations)
        {
            DualWeights = weights,
            LowerBound = DualLowerBound(a, b, lower, upper, weights),
        };

        // Runtime contract (proofs-notes/runtime-contracts.md): O(n) on top of the O(mn) recomputation above.
        Contracts.CheckLp(solved, Math.ScaleB(2.0, exponent), Contracts.ExpensiveChecksEnabled);
        return solved;
    }

    /// <summary>
    /// <c>min_{x ∈ box} Σ_i w_i (Ax - b)_i = Σ_j min(g_j lower_j, g_j upper_j) - w·b</c>, <c>g = Aᵀw</c>: a lower bound
    /// on <c>max_i |(Ax - b)_i|</c> over the box whenever <c>Σ_i |w_i| &lt;= 1</c>.
    /// </summary>
    internal static double DualLowerBound(double[,] a, double[] b, double[] lower, double[] upper, double[] w)
    {
        var m = a.GetLength(0);
        var n = a.GetLength(1);
        var bound = 0.0;
        for (var i = 0; i < m; i++)
        {
            bound -= w[i] * b[i];
        }

        for (var j = 0; j < n; j++)
        {
            var g = 0.0;
            for (var i = 0; i < m; i++)
            {
                g += a[i, j] * w[i];
            }

            bound += Math.Min(g * lower[j], g * upper[j]);
        }

        return bound;
    }

    /// <summary>The binary exponent <c>e</c> with <c>max(|A|, |b|) ∈ [2^e, 2^{e+1})</c>; 0 when all entries are 0.</summary>
    private static int DataExponent(double[,] a, double[] b)
    {
        var largest = 0.0;
        foreach (var v in a)
        {
            largest = Math.Max(largest, Math.Abs(v));
        }

        foreach (var v in b)
        {
            largest = Math.Max(largest, Math.Abs(v));
        }

        return largest > 0 ? Math.ILogB(largest) : 0;
    }

    /// <summary><c>max_i |(Ax - b)_i|</c> evaluated directly (0 when <c>m = 0</c>).</summary>
    internal static double ResidualInfinityNorm(double[,] a, double[] b, double[] x)
    {
        var m = a.GetLength(0);
        var n = a.GetLength(1);
        var worst = 0.0;
        for (var i = 0; i < m; i++)
        {
            var s = -b[i];
            for (var j = 0; j < n; j++)
            {
                s += a[i, j] * x[j];
            }

            worst = Math.Max(worst, Math.Abs(s));
        }

        return worst;
    }

    private static double BoxViolation(double[] x, double[] lower, double[] upper)
    {
        var v = 0.0;
        for (var j = 0; j < x.Length; j++)
        {
            v = Math.Max(v, Math.Max(lower[j] - x[j], x[j] - upper[j]));
        }

        return v;
    }

    private static void ValidateOptions(LpOptions options)
    {
        if (!(options.PivotTolerance > 0) || !double.IsFinite(options.PivotTolerance))
        {
            throw new ArgumentException($"PivotTolerance is {options.PivotTolerance}; expected a finite positive number.", nameof(options));
        }

        if (!(options.OptimalityTolerance > 0) || !double.IsFinite(options.OptimalityTolerance))
        {
            throw new ArgumentException($"OptimalityTolerance is {options.OptimalityTolerance}; expected a finite positive number.", nameof(options));
        }

        if (!(options.FeasibilityTolerance > 0) || !double.IsFinite(options.FeasibilityTolerance))
        {
            throw new ArgumentException($"FeasibilityTolerance is {options.FeasibilityTolerance}; expected a finite positive number.", nameof(options));
        }

        if (options.MaxIterations < 0)
        {
            throw new ArgumentException($"MaxIterations is {options.MaxIterations}; expected a non-negative number.", nameof(options));
        }
    }
}
