namespace LogitRank.Learning;

/// <summary>
/// How RECONSTRUCT chooses the coefficients <c>c_1..c_{t-1}</c> of a prefix <c>y_{1:t}</c> from the equations
/// <c>A_{s+1} c_{s+1} = S_s c_s</c> (<c>s = 0..t-2</c>, <c>c_0 = [1]</c>; <c>A_s[w, i] = R_{s,i}(w)</c> for <c>w ∈ F̂_s</c>,
/// <c>S_s[w, i] = R_{s,i}(y_{s+1}∘w)</c> for <c>w ∈ F̂_{s+1}</c>). Both methods keep every coefficient in the box
/// <c>[-β, β]</c> and report the largest absolute equation residual <c>r</c> of the coefficients they return
/// (<see cref="ReconstructionResult.Residual"/>), so the two are compared on the same footing
/// (proofs-notes/lp-reconstruction.md, L10 and L11).
/// </summary>
public enum ReconstructionMethod
{
    /// <summary>
    /// The minimax LP of ALGORITHM.md section 3: <c>min r</c> over the box subject to every equation holding within
    /// <c>r</c>, solved incrementally along the prefix (L10). The analysed method; the default.
    /// </summary>
    MinimaxLp = 0,

    /// <summary>
    /// Sequential ridge least squares (L11): <c>c_0 = [1]</c> and, one cut at a time,
    /// <c>c_{s+1} = clip_β(argmin_c ||A_{s+1} c - S_s c_s||_2² + λ_{s+1} ||c||_2²)</c> with the ridge
    /// <c>λ_{s+1}</c> of <see cref="LearnedModelOptions.Ridge"/>; every prefix uses its solution whatever its residual
    /// (minimum-residual semantics: the uniform fallback does not apply). Outside the a priori analysis, which is for
    /// the β-box minimax LP; the hold-out certificate does not depend on it.
    /// </summary>
    LeastSquares = 1,
}
