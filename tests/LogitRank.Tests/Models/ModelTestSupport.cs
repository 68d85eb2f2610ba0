using LogitRank.Models;
using LogitRank.Sequences;
using MathNet.Numerics.LinearAlgebra;

namespace LogitRank.Tests.Models;

/// <summary>Exact enumeration helpers for model tests (independent of the learner and of Analysis/).</summary>
internal static class ModelTestSupport
{
    /// <summary>
    /// Singular values below this fraction of the largest count as zero. The entries are computed with a few dozen
    /// floating-point operations each, so their absolute error is ~1e-15·max|entry|; a backward-stable SVD adds
    /// ~sqrt(rows·cols)·1e-16·σ_1. For our sizes (≤ 4096 entries) spurious singular values stay below ~1e-13·σ_1,
    /// four orders under this threshold, while the genuine ones of generic random models are ≥ ~1e-4·σ_1.
    /// </summary>
    public const double RankTolerance = 1e-9;

    /// <summary>
    /// Singular values at or below this absolute floor also count as zero: logits of our models are O(1)–O(10), so a
    /// logit matrix that is zero in exact arithmetic has rounding residues of ~1e-15 per entry, and σ_1 of such a
    /// matrix is itself a residue (relative tolerance alone would then call it rank 1).
    /// </summary>
    public const double AbsoluteRankFloor = 1e-12;

    /// <summary>The five model families, by name.</summary>
    public static IReadOnlyList<string> Names { get; } = ["isan", "parity", "hmm", "perturbed", "tabular"];

    /// <summary>The five model families, by name, as xunit theory data.</summary>
    public static TheoryData<string> FamilyNames => new(Names);

    /// <summary>A small member of each family (<c>k^T ≤ 81</c>), fixed seed.</summary>
    public static ISequenceModel Tiny(string family, int seed = 7) => family switch
    {
        "isan" => TimeVaryingIsan.Random(3, 3, 2, seed, 1.5),
        "parity" => NoisyParity.Random(3, 0.2, seed),
        "hmm" => HiddenMarkovModel.Random(2, 3, 3, seed, concentration: 2.0),
        "perturbed" => PerturbedModel.RandomIsan(3, 3, 2, 0.3, seed),
        "tabular" => TabularModel.Random(3, 3, seed),
        _ => throw new ArgumentOutOfRangeException(nameof(family), family, "Unknown family."),
    };

    /// <summary>
    /// The logit matrix at cut <paramref name="cut"/> (rows <c>h ∈ Σ^s</c> lexicographic; columns <c>(f, z)</c> for
    /// <c>f ∈ Σ^{≤T-1-s}</c> shorter first, then <c>z</c>), entry <c>ℓ(h∘f)[z]</c>.
    /// </summary>
    public static Matrix<double> LogitMatrix(ISequenceModel model, int cut)
    {
        var k = model.AlphabetSize;
        var rows = SequenceSpace.All(k, cut).ToList();
        var futures = SequenceSpace.AllUpTo(k, model.Horizon - 1 - cut).ToList();
        var m = Matrix<double>.Build.Dense(rows.Count, futures.Count * k);
        for (var r = 0; r < rows.Count; r++)
        {
            for (var c = 0; c < futures.Count; c++)
            {
                var logits = model.NextTokenLogits(rows[r].Concat(futures[c]));
                for (var z = 0; z < k; z++)
                {
                    m[r, (c * k) + z] = logits[z];
                }
            }
        }

        return m;
    }

    /// <summary>
    /// Singular values in decreasing order. Wide matrices are transposed and tall ones reduced to the R of a thin QR
    /// (<c>σ(QR) = σ(R)</c> for orthonormal Q; Householder QR is backward stable), because MathNet's SVD allocates an
    /// m×m work matrix even without vectors.
    /// </summary>
    public static double[] SingularValues(Matrix<double> m)
    {
        var a = m.RowCount < m.ColumnCount ? m.Transpose() : m;
        var r = a.RowCount > a.ColumnCount ? a.QR(MathNet.Numerics.LinearAlgebra.Factorization.QRMethod.Thin).R : a;
        return r.Svd(computeVectors: false).S.ToArray();
    }

    /// <summary>The number of singular values above <c>max(</c><see cref="RankTolerance"/>·σ_1, <see cref="AbsoluteRankFloor"/><c>)</c>.</summary>
    public static int NumericalRank(Matrix<double> m)
    {
        var s = SingularValues(m);
        if (s.Length == 0)
        {
            return 0;
        }

        var threshold = Math.Max(RankTolerance * s[0], AbsoluteRankFloor);
        return s.Count(v => v > threshold);
    }
}
