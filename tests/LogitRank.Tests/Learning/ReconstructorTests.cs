using LogitRank.Learning;
using LogitRank.Sequences;
using static LogitRank.Tests.Learning.HandBuiltRows;

namespace LogitRank.Tests.Learning;

/// <summary>
/// RECONSTRUCT on hand-built bases (k = 2, T = 3) where the answer is known exactly: an LP whose optimum has residual
/// exactly 0 is feasible under <c>τ_lp = 0</c> (the test is <c>r &lt;= τ_lp</c>, at-or-below), and a prefix whose
/// cut-1 basis is empty has no LP variable, so no LP is solved (proofs-notes/lp-reconstruction.md).
/// </summary>
public partial class ReconstructorTests
{
    [Fact]
    public void An_exact_reconstruction_is_feasible_at_zero_tolerance()
    {
        // R_0(a∘z) = ±0.5 (+ for z = 0) for both a; the one cut-1 row has R_1(z) = (1, -1) on F̂_1 = Σ, so the LP of
        // the prefix [a, b] is c · (1, -1) = (0.5, -0.5): c = 0.5 exactly, residual exactly 0 = τ_lp.
        var model = ExactHandModel();
        var prefix = Prefix.Of(1, 1);
        var result = model.Reconstruct(prefix);
        Assert.Equal(0.0, result.Residual);
        Assert.Equal(0.5, result.Coefficient(1, 0));
        Assert.True(result.Feasible);
        Assert.True(model.IsFeasible(prefix));
        // Not the uniform fallback: the prediction is 0.5 · R_1([1]∘z) = (1, -1), already centred.
        var logits = model.NextTokenLogits(prefix);
        Assert.Equal(1.0, logits[0], 12);
        Assert.Equal(-1.0, logits[1], 12);
    }

    /// <summary>
    /// The whole prefix's LP (the reference the chain is checked against, and the last step of an extension) meets the
    /// same rules: on the exact case above its optimum, residual exactly 0, is feasible at <c>τ_lp = 0</c>; a prefix of at
    /// most one token is the trivial result of its own length, with no LP; and where every variable block is empty no
    /// LP is solved.
    /// </summary>
    [Fact]
    public void The_whole_prefix_lp_is_feasible_when_exact_trivial_when_short_and_not_solved_without_variables()
    {
        var exact = ExactHandModel();
        var whole = exact.Engine.SolveWhole(Prefix.Of(1, 1));
        Assert.Equal(0.0, whole.Residual);
        Assert.Equal(0.5, whole.Coefficient(1, 0));
        Assert.True(whole.Feasible);
        Assert.True(whole.PathFeasible);
        Assert.NotNull(whole.SolverStatus);
        foreach (var prefix in new[] { Prefix.Empty, Prefix.Of(1) })
        {
            var trivial = exact.Engine.SolveWhole(prefix);
            Assert.Equal(prefix.Length, trivial.PrefixLength);
            Assert.Equal(ReconstructionRoute.Trivial, trivial.Route);
            Assert.Equal(0.0, trivial.Residual);
            Assert.Null(trivial.SolverStatus);
        }

        var empty = EmptyCutHandModel();
        var none = empty.Engine.SolveWhole(Prefix.Of(0, 1));
        Assert.Null(none.SolverStatus);
        Assert.Equal(0, none.Iterations);
        Assert.Equal(0.25, none.Residual);
    }

    [Fact]
    public void A_prefix_whose_cut_has_an_empty_basis_solves_no_lp()
    {
        // Cut 1 has no basis row (all its rows were zero): the LP of a length-2 prefix has no variable, so it is not
        // solved (no solver status, no iteration) and its residual is max |R_0(a∘z)| over the group.
        var model = EmptyCutHandModel();
        var result = model.Reconstruct(Prefix.Of(0, 1));
        Assert.Null(result.SolverStatus);
        Assert.Equal(0, result.Iterations);
        Assert.Equal(0.25, result.Residual);
        Assert.True(result.Feasible);
    }

    /// <summary>
    /// The exact case: <c>R_0(a∘z) = ±0.5</c> (+ for <c>z = 0</c>) for both <c>a</c>; one cut-1 row with <c>R_1(z) = (1, -1)</c>
    /// on <c>F̂_1 = Σ</c>, so the LP of <c>[a, b]</c> is <c>c · (1, -1) = (0.5, -0.5)</c>: <c>c = 0.5</c>, residual exactly 0;
    /// β = 2, <c>τ_lp = 0</c>.
    /// </summary>
    private static LearnedModel ExactHandModel() => new(
        Futures,
        [
            new CutBasis(0, 6, [Prefix.Empty], [Row(0, [0.5, -0.5], new double[,] { { 0.5, -0.5 }, { 0.5, -0.5 } })]),
            new CutBasis(1, 6, [Prefix.Of(0)], [Row(1, [1, -1], new double[,] { { 0.25, -0.25 }, { 2, -2 } })]),
            new CutBasis(2, 2, [], []),
        ],
        new LearnedModelOptions(2, 0, FallbackPolicy.Uniform));

    /// <summary>Cut 1 without a basis row: a length-2 prefix's LP has no variable; its residual is <c>max |R_0(a∘z)|</c> = 0.25 for <c>a = 0</c>; β = 2, <c>τ_lp = 1</c>.</summary>
    private static LearnedModel EmptyCutHandModel() => new(
        Futures,
        [
            new CutBasis(0, 6, [Prefix.Empty], [Row(0, [0.5, -0.5], new double[,] { { 0.25, -0.25 }, { 0.125, -0.125 } })]),
            new CutBasis(1, 6, [], []),
            new CutBasis(2, 2, [], []),
        ],
        new LearnedModelOptions(2, 1, FallbackPolicy.Uniform));
}
