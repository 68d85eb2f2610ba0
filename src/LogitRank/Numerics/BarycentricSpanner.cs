namespace LogitRank.Numerics;

/// <summary>
/// The result of <see cref="BarycentricSpanner.Select"/>: indices of selected rows such that every input row is a
/// linear combination of them with all coefficients in <c>[-β, β]</c>.
/// </summary>
/// <param name="Selected">Indices (into the input list) of the selected rows, in the order of the basis.</param>
/// <param name="Coefficients"><c>Coefficients[i][j]</c>: coefficient of selected row <c>j</c> in the representation of input row <c>i</c>.</param>
/// <param name="MaxCoefficient">The largest <c>|Coefficients[i][j]|</c>.</param>
/// <param name="MaxRepresentationError">The largest <c>||row_i - Σ_j c_ij row_{Selected[j]}||_∞</c> (rows outside the numerical span show here).</param>
/// <param name="Swaps">The number of basis exchanges performed.</param>
public sealed record SpannerResult(IReadOnlyList<int> Selected, IReadOnlyList<double[]> Coefficients, double MaxCoefficient, double MaxRepresentationError, int Swaps);

/// <summary>
/// A <c>β</c>-approximate barycentric spanner (Awerbuch–Kleinberg) of a finite set of row vectors, by basis exchange
/// (ALGORITHM.md section 3, SPANNER).
/// </summary>
public static class BarycentricSpanner
{
    /// <summary>Selects a <paramref name="beta"/>-approximate barycentric spanner of <paramref name="rows"/>.</summary>
    /// <param name="rows">The row vectors, all of the same length.</param>
    /// <param name="beta">The coefficient bound <c>β &gt; 1</c> (the learner uses 2).</param>
    /// <param name="rankTolerance">Relative numerical-rank tolerance: a row whose residual against the current span is at most <c>rankTolerance · max row norm</c> counts as dependent.</param>
    public static SpannerResult Select(IReadOnlyList<double[]> rows, double beta = 2.0, double rankTolerance = 1e-9) =>
        throw new NotImplementedException("Lands with the spanner work item.");
}
