using LogitRank.Learning;
using LogitRank.Sequences;
using static LogitRank.Tests.Learning.HandBuiltRows;

namespace LogitRank.Tests.Learning;

/// <summary>
/// <see cref="LearnedModel.LogitBound"/> equals its documented closed form, max over
/// <c>max|R_0| + |mean R_0|</c> (on <c>Σ</c>) and <c>β · m_s · (max|R_s| + δ_s)</c> for <c>s &lt;= T-2</c>, times
/// <c>1 + 1e-9</c>, on hand-built bases whose two-token groups are deliberately not centred, so that each term
/// (the mean of <c>R_0</c>, the centring defect <c>δ_s</c> of a non-first row, the last predicting cut <c>T-2</c>)
/// decides the value in one of the cases (proofs-notes/reconstruction-and-telescoping.md).
/// </summary>
public partial class LearnedModelTests
{
    private static LearnedModel Model(double beta, double[] row0, IReadOnlyList<Prefix> histories1, IReadOnlyList<double[]> rows1) =>
        new(
            Futures,
            [
                new CutBasis(0, 6, [Prefix.Empty], [row0]),
                new CutBasis(1, 6, histories1, rows1),
                new CutBasis(2, 2, [], []),
            ],
            new LearnedModelOptions(beta, 0, FallbackPolicy.Uniform));

    /// <summary>β = 2; cut 1 has two rows, the second with the non-centred group a = 1: (1.5, 0.5).</summary>
    private static LearnedModel DefectModel() =>
        Model(
            2,
            Row(0, [0.25, -0.25], new double[2, 2]),
            [Prefix.Of(0), Prefix.Of(1)],
            [Row(1, [1, 0], new double[2, 2]), Row(1, [0, 0], new double[,] { { 0, 0 }, { 1.5, 0.5 } })]);

    [Fact]
    public void The_empty_prefix_term_counts_the_mean_of_R0_on_sigma_only()
    {
        // R_0 on Σ = (3, 1): max 3, mean 2, so the t = 0 term is 3 + 2 = 5. R_0's pair entries (0.5 at [0,0]) are not
        // part of it: counting them would give 3 + 4.5/2 = 5.25. They make the cut-0 term β (max|R_0| + δ_0) =
        // 1.5 (3 + 0.25) = 4.875 and the cut-1 term is 1.5 · 1 · 0.1 = 0.15, both below 5, so 5 is the bound.
        var model = Model(
            1.5,
            Row(0, [3, 1], new double[,] { { 0.5, 0 }, { 0, 0 } }),
            [Prefix.Of(0)],
            [Row(1, [0.1, -0.1], new double[2, 2])]);
        Assert.Equal(5 * (1 + 1e-9), model.LogitBound, 14);
    }

    [Fact]
    public void The_last_predicting_cut_adds_the_centring_defect_of_every_basis_row()
    {
        // Cut 1 = T - 2 has m_1 = 2 rows; the second row's group a = 1 has pair entries (1.5, 0.5), mean δ_1 = 1, and
        // max|R_1| = 1.5: the term is β · m_1 · (1.5 + 1) = 2 · 2 · 2.5 = 10. The empty prefix gives 0.25 and cut 0
        // gives 2 · 1 · 0.25 = 0.5, so 10 is the bound; without δ_1 it would be 6, without cut 1 0.5.
        var model = DefectModel();
        Assert.Equal(10 * (1 + 1e-9), model.LogitBound, 13);
    }

    [Fact]
    public void The_bound_holds_for_every_prediction_of_the_hand_built_model()
    {
        // Soundness on the same model (the runtime contract would throw otherwise): every logit of every prefix of
        // length <= T - 1 = 2 is within the bound.
        var model = DefectModel();
        foreach (var prefix in new[] { Prefix.Empty, Prefix.Of(0), Prefix.Of(1), Prefix.Of(0, 1), Prefix.Of(1, 1) })
        {
            var logits = model.NextTokenLogits(prefix);
            for (var a = 0; a < 2; a++)
            {
                Assert.True(Math.Abs(logits[a]) <= model.LogitBound, $"|logit {a} at {prefix}| = {Math.Abs(logits[a])} > {model.LogitBound}");
            }
        }
    }
}
