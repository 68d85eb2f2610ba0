namespace LogitRank.Numerics;

/// <summary>The outcome of <see cref="MinimaxLinearProgram.Solve"/>.</summary>
public enum LpStatus
{
    /// <summary>An optimal point was found and every constraint checked on it.</summary>
    Optimal = 0,

    /// <summary>The box is empty (some lower bound exceeds its upper bound); no point exists.</summary>
    Infeasible,

    /// <summary>The solver stopped at its iteration limit; the returned point is the best feasible one found.</summary>
    IterationLimit,
}

/// <summary>
/// The result of the minimax (Chebyshev) fit <c>min_x max_i |(Ax - b)_i|</c> subject to <c>lower &lt;= x &lt;= upper</c>.
/// </summary>
/// <param name="Status">Whether the solve reached optimality.</param>
/// <param name="Solution">The returned point <c>x</c> (inside the box); empty when <see cref="LpStatus.Infeasible"/>.</param>
/// <param name="Residual">The optimal value <c>r = max_i |(Ax - b)_i|</c> as reported by the solver.</param>
/// <param name="CheckedResidual">The same maximum recomputed directly from <c>A</c>, <c>b</c> and <see cref="Solution"/> (the a posteriori check).</param>
/// <param name="MaxBoxViolation">The largest violation of a box bound by <see cref="Solution"/> (0 when inside the box).</param>
/// <param name="Iterations">The number of simplex pivots performed.</param>
public sealed record MinimaxResult(LpStatus Status, double[] Solution, double Residual, double CheckedResidual, double MaxBoxViolation, int Iterations);

/// <summary>Options of <see cref="MinimaxLinearProgram.Solve"/>.</summary>
public sealed record LpOptions
{
    /// <summary>Pivot tolerance: entries of magnitude below it are treated as zero.</summary>
    public double PivotTolerance { get; init; } = 1e-11;

    /// <summary>The largest number of pivots before <see cref="LpStatus.IterationLimit"/>.</summary>
    public int MaxIterations { get; init; } = 100_000;
}

/// <summary>
/// A deterministic, fully managed dense LP solver for the reconstruction problem of ALGORITHM.md section 3:
/// minimise <c>r</c> subject to <c>lower_j &lt;= x_j &lt;= upper_j</c> and <c>-r &lt;= (Ax - b)_i &lt;= r</c> for every row <c>i</c>.
/// </summary>
public static class MinimaxLinearProgram
{
    /// <summary>Solves <c>min_x ||Ax - b||_∞</c> over the box <c>[lower, upper]</c>.</summary>
    /// <param name="a">The <c>m×n</c> constraint matrix (<c>m &gt;= 0</c> rows, <c>n &gt;= 0</c> columns).</param>
    /// <param name="b">The right-hand side, length <c>m</c>.</param>
    /// <param name="lower">Lower bounds, length <c>n</c>, finite.</param>
    /// <param name="upper">Upper bounds, length <c>n</c>, finite.</param>
    /// <param name="options">Tolerances and limits; defaults when <see langword="null"/>.</param>
    /// <exception cref="ArgumentException">Dimensions disagree or an entry is not finite; the message names it.</exception>
    public static MinimaxResult Solve(double[,] a, double[] b, double[] lower, double[] upper, LpOptions? options = null) =>
        throw new NotImplementedException("Lands with the LP work item.");
}
