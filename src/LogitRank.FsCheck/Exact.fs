/// Exact quantities of small models by enumeration, for writing properties.
module LogitRank.FsCheck.Exact

open LogitRank.Models
open LogitRank.Sequences
open MathNet.Numerics.LinearAlgebra

/// Every complete sequence y ∈ Σ^T with its probability M(y), lexicographically.
let sequenceProbabilities (model: ISequenceModel) : (Prefix * float)[] =
    SequenceSpace.All(model.AlphabetSize, model.Horizon)
    |> Seq.map (fun y -> y, exp (model.LogProbability y))
    |> Seq.toArray

/// The logit matrix at cut s (0-based: rows are the histories h ∈ Σ^s, lexicographic; columns are the words (f, z)
/// with f ∈ Σ^{<= T-1-s}, shorter first, then z), entry ℓ_M(h∘f)[z].
let logitMatrix (model: ISequenceModel) (cut: int) : Matrix<float> =
    let k = model.AlphabetSize
    let rows = SequenceSpace.All(k, cut) |> Seq.toArray
    let futures = SequenceSpace.AllUpTo(k, model.Horizon - 1 - cut) |> Seq.toArray
    let m = Matrix<float>.Build.Dense(rows.Length, futures.Length * k)
    for r in 0 .. rows.Length - 1 do
        for c in 0 .. futures.Length - 1 do
            let logits = model.NextTokenLogits(rows.[r].Concat futures.[c])
            for z in 0 .. k - 1 do
                m.[r, c * k + z] <- logits.[z]
    m

/// Singular values in decreasing order. A wide matrix is transposed and a tall one is first reduced to the R factor of
/// its thin QR factorisation (A = QR with orthonormal Q, so σ(A) = σ(R); Householder QR is backward stable): MathNet's
/// SVD allocates an m×m work matrix even without singular vectors, which is slow for 2048×2 logit matrices.
let singularValues (m: Matrix<float>) : float[] =
    let a = if m.RowCount < m.ColumnCount then m.Transpose() else m
    let r = if a.RowCount > a.ColumnCount then a.QR(Factorization.QRMethod.Thin).R else a
    r.Svd(false).S.ToArray()

/// Singular values at or below this absolute floor count as zero in `numericalRank`: a logit matrix that is zero in exact
/// arithmetic has rounding residues of ~1e-15 per entry, and relative to its own σ_1 (a residue) it would look full rank.
[<Literal>]
let AbsoluteRankFloor = 1e-12

/// The number of singular values above max(`relativeTolerance`·σ_1, `AbsoluteRankFloor`).
let numericalRank (relativeTolerance: float) (m: Matrix<float>) : int =
    let s = singularValues m
    if s.Length = 0 then
        0
    else
        let threshold = max (relativeTolerance * s.[0]) AbsoluteRankFloor
        s |> Array.filter (fun v -> v > threshold) |> Array.length
