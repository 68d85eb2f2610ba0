namespace LogitRank.Analysis;

/// <summary>How <see cref="Spectrum.Compute(MathNet.Numerics.LinearAlgebra.Matrix{double}, SpectrumOptions?)"/> obtains singular values.</summary>
public enum SpectrumMethod
{
    /// <summary>
    /// Chooses by size: <see cref="Full"/> when <c>min(m,n) &lt;= </c><see cref="SpectrumOptions.FullSvdLimit"/>;
    /// otherwise <see cref="Randomized"/> when a rank <c>r</c> is requested with <c>r + p &lt;= min(m,n)/4</c>;
    /// otherwise <see cref="Gram"/>.
    /// </summary>
    Auto = 0,

    /// <summary>The full singular value decomposition of MathNet.Numerics (backward stable; <c>O(m n min(m,n))</c>, slow for large matrices).</summary>
    Full,

    /// <summary>
    /// Square roots of the eigenvalues of the smaller Gram matrix <c>A Aᵀ</c> (when <c>m &lt;= n</c>) or <c>Aᵀ A</c>
    /// (values-only Householder tridiagonalisation + implicit QL; negative eigenvalues from rounding are clamped to 0). Squares the condition
    /// number: values below about <c>sqrt(ε_mach)·σ_1 ≈ 1.5e-8·σ_1</c> are unreliable (see
    /// <c>proofs-notes/logit-matrix-analysis.md</c>).
    /// </summary>
    Gram,

    /// <summary>
    /// Randomized range finder (Halko, Martinsson, Tropp 2011, Algorithms 4.3/4.4 and 5.1): the top <c>r</c> values from
    /// a Gaussian sketch with oversampling <c>p</c> and <c>q</c> power iterations, seeded. Requires <see cref="SpectrumOptions.Rank"/>.
    /// </summary>
    Randomized,
}

/// <summary>Options of <see cref="Spectrum.Compute(MathNet.Numerics.LinearAlgebra.Matrix{double}, SpectrumOptions?)"/>.</summary>
public sealed record SpectrumOptions
{
    /// <summary>The method; <see cref="SpectrumMethod.Auto"/> by default.</summary>
    public SpectrumMethod Method { get; init; } = SpectrumMethod.Auto;

    /// <summary>
    /// The number <c>r</c> of leading singular values wanted (<c>1 &lt;= r</c>; values beyond <c>min(m,n)</c> are capped),
    /// or <see langword="null"/> for all <c>min(m,n)</c>. Required by <see cref="SpectrumMethod.Randomized"/>.
    /// </summary>
    public int? Rank { get; init; }

    /// <summary>The oversampling <c>p &gt;= 0</c> of the randomized method (sketch width <c>r + p</c>); 10 by default.</summary>
    public int Oversampling { get; init; } = 10;

    /// <summary>The number <c>q &gt;= 0</c> of power (subspace) iterations of the randomized method; 2 by default.</summary>
    public int PowerIterations { get; init; } = 2;

    /// <summary>The seed of the Gaussian test matrix of the randomized method.</summary>
    public int Seed { get; init; }

    /// <summary>The largest <c>min(m,n)</c> for which <see cref="SpectrumMethod.Auto"/> picks the full SVD; 256 by default.</summary>
    public int FullSvdLimit { get; init; } = 256;
}
