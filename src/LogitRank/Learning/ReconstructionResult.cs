using LogitRank.Numerics;

namespace LogitRank.Learning;

/// <summary>
/// The outcome of RECONSTRUCT(<c>y_{1:t}</c>) (ALGORITHM.md section 3): coefficient vectors <c>c_0..c_{t-1}</c>
/// (<c>c_0 = e_1</c>, <c>c_s ∈ [-β, β]^{m_s}</c>) minimising the largest constraint violation <c>r</c> under
/// <see cref="ReconstructionMethod.MinimaxLp"/>, or the sequential ridge least-squares solution under
/// <see cref="ReconstructionMethod.LeastSquares"/>, with the largest violation <c>r</c> of the same constraints. Immutable.
/// </summary>
public sealed class ReconstructionResult
{
    private readonly double[][] _coefficients;

    internal ReconstructionResult(int prefixLength, double[][] coefficients, double residual, bool feasible, LpStatus? status, int iterations)
    {
        PrefixLength = prefixLength;
        _coefficients = coefficients;
        Residual = residual;
        Feasible = feasible;
        SolverStatus = status;
        Iterations = iterations;
    }

    /// <summary>The prefix length <c>t</c>.</summary>
    public int PrefixLength { get; }

    /// <summary>
    /// The residual <c>r = max |lhs - rhs|</c> over all constraints, recomputed by the library from the stored rows and the
    /// returned coefficients (clipped to the box), not taken from the solver. 0 when there is no constraint (<c>t &lt;= 1</c>).
    /// </summary>
    public double Residual { get; }

    /// <summary>Whether <c>r &lt;= τ_lp</c> (the LP counts as feasible; under <see cref="ReconstructionMethod.LeastSquares"/> the label only: the solution is used either way).</summary>
    public bool Feasible { get; }

    /// <summary>The solver's status, or <see langword="null"/> when no LP had to be solved (no variables, or <see cref="ReconstructionMethod.LeastSquares"/>).</summary>
    public LpStatus? SolverStatus { get; }

    /// <summary>The solver's pivot count (0 when no LP was solved).</summary>
    public int Iterations { get; }

    /// <summary>
    /// Whether this prefix and every non-empty prefix of it have <c>r &lt;= τ_lp</c> (the feasibility the uniform fallback
    /// uses), carried along the chain of <see cref="Reconstructor.Extend"/>.
    /// </summary>
    internal bool PathFeasible { get; set; }

    /// <summary>How the result was computed (<see cref="Reconstructor.Extend"/>).</summary>
    internal ReconstructionRoute Route { get; init; }

    /// <summary>The largest residual of each row group <c>s = 0..t-2</c> (empty for <c>t &lt;= 1</c>); <see cref="Residual"/> is their maximum.</summary>
    internal double[] GroupResiduals { get; init; } = [];

    /// <summary>The number of coefficient blocks (<c>t</c>, or 1 for <c>t = 0</c>).</summary>
    public int BlockCount => _coefficients.Length;

    /// <summary>The coefficient <c>c_{s,i}</c>.</summary>
    public double Coefficient(int cut, int index) => _coefficients[cut][index];

    /// <summary>A copy of <c>c_s</c>.</summary>
    public double[] CoefficientsAt(int cut) => (double[])_coefficients[cut].Clone();

    internal double[] Block(int cut) => _coefficients[cut];
}

/// <summary>How <see cref="Reconstructor"/> obtained a result.</summary>
internal enum ReconstructionRoute
{
    /// <summary>No LP: <c>t &lt;= 1</c>.</summary>
    Trivial,

    /// <summary>The parent's coefficients extended by the least-squares solution of the new block.</summary>
    LeastSquares,

    /// <summary>The parent's coefficients extended by the new block's own LP solution.</summary>
    BlockLp,

    /// <summary>The last few blocks re-solved with the earlier ones fixed.</summary>
    Window,

    /// <summary>The whole prefix's LP.</summary>
    WholeLp,

    /// <summary>An infeasible extension whose infeasibility for the whole prefix's LP a dual certificate proves.</summary>
    CertifiedInfeasible,

    /// <summary>
    /// <see cref="ReconstructionMethod.LeastSquares"/>: the parent's coefficients extended by the clipped ridge solution of
    /// the new block (proofs-notes/lp-reconstruction.md, L11).
    /// </summary>
    SequentialLeastSquares,
}
