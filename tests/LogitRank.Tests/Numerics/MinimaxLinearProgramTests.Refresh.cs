using LogitRank.Numerics;

namespace LogitRank.Tests.Numerics;

/// <summary>
/// The periodic check of <see cref="MinimaxSimplex.Iterate"/> (proofs-notes/lp-reconstruction.md, L6 and L9), seen from
/// the states it acts on. Every <see cref="MinimaxSimplex.RefreshPeriod"/> pivots the basic values are recomputed from
/// the original data (<see cref="MinimaxSimplex.RecomputeValues"/>); a basis that is singular or whose r is more than
/// 1000 · <see cref="MinimaxSimplex.VerifiedInconsistency"/> from its point's residual ends the run as
/// <see cref="MinimaxSimplex.Outcome.Drifted"/>; otherwise a drift beyond <see cref="MinimaxSimplex.DriftTolerance"/>
/// refactorises the tableau (<see cref="MinimaxSimplex.Refactor"/>) and the run goes on.
/// </summary>
public partial class MinimaxLinearProgramTests
{
    /// <summary>
    /// On the nearly degenerate family, with the Harris relaxation practically off (1e-15, as in
    /// <see cref="A_drifted_basis_is_caught_by_verification_and_the_solver_restarts"/>) and at its default (1e-12), the
    /// first four refreshes of an uninterrupted run, and the refresh that ended it drifted, are replayed: the same steps taken in two calls, the second a single step (each call counts pivots afresh, so
    /// the replay skips the refresh at its last step and runs the earlier ones as the run did), reach the state the
    /// refresh saw, and <see cref="MinimaxSimplex.RecomputeValues"/> on it gives the drift the refresh
    /// measured. Then
    /// <list type="bullet">
    /// <item>a run ends drifted at a refresh only when that basis is singular, inconsistent beyond 1000 ·
    /// <see cref="MinimaxSimplex.VerifiedInconsistency"/>, or drifted and not refactorisable;</item>
    /// <item>a run that went on past a refresh with drift beyond <see cref="MinimaxSimplex.DriftTolerance"/> continues
    /// exactly as the replayed state does after an explicit <see cref="MinimaxSimplex.Refactor"/>, and one with drift
    /// within it exactly as the replayed state does after the recomputation alone;</item>
    /// <item>when the running r had drifted from its point's residual (inconsistency above 1e-9 before the
    /// recomputation) and the run went on, the recomputation brought it back to rounding (1e-12).</item>
    /// </list>
    /// Each case must occur (the counts at the end), so a refresh that never refactorises, or a recomputation that leaves
    /// a drifted r in place (the run then ends drifted instead of going on), fails the test.
    /// Exact equality of the continued steps is justified: both states come from the same floating-point operations on
    /// the same basis and nonbasic values (a recomputation depends on nothing else), so they are bitwise the same.
    /// </summary>
    [Fact]
    public void A_refresh_refactorises_exactly_when_the_values_drifted_and_ends_the_run_only_for_a_bad_basis()
    {
        var refactorised = 0;
        var kept = 0;
        var drifted = 0;
        var broughtBack = 0;
        foreach (var feasibility in new[] { 1e-15, 1e-12 })
        {
            var options = new LpOptions { FeasibilityTolerance = feasibility };
            for (var seed = 0; seed < 30; seed++)
            {
                var (a, b) = NearlyDegenerate(seed);
                var n = a.GetLength(1);
                var lower = Enumerable.Repeat(-2.0, n).ToArray();
                var upper = Enumerable.Repeat(2.0, n).ToArray();
                var whole = new List<MinimaxSimplex.StepChoice>();
                var refreshes = new List<int>();
                var (outcome, taken) = MinimaxSimplex.Start(a, b, lower, upper).Iterate(options, whole.Add, refreshes.Add);
                var checkpoints = refreshes.Take(4).ToList();
                if (outcome == MinimaxSimplex.Outcome.Drifted)
                {
                    checkpoints.Add(taken);
                }

                foreach (var k in checkpoints)
                {
                    var context = $"feasibility {feasibility}, seed {seed}, refresh after {k} steps";
                    var (replayed, replayedSteps) = StateAfterPivots(a, b, lower, upper, options, k);
                    Assert.True(replayedSteps.SequenceEqual(whole.Take(k)), $"{context}: the replay took other steps");
                    var before = replayed.Inconsistency();
                    var recomputed = replayed.RecomputeValues(out var drift);
                    var inconsistency = replayed.Inconsistency();
                    if (!refreshes.Contains(k))
                    {
                        drifted++;
                        var refactorable = drift <= MinimaxSimplex.DriftTolerance || StateAfterPivots(a, b, lower, upper, options, k).Simplex.Refactor();
                        Assert.True(!recomputed || inconsistency > 1000 * MinimaxSimplex.VerifiedInconsistency || !refactorable, $"{context}: the run ended drifted from a consistent basis (inconsistency {inconsistency}, drift {drift})");
                        continue;
                    }

                    Assert.True(recomputed, $"{context}: the run went on from a singular basis");
                    if (before > 1e-9)
                    {
                        // The recomputed basic values solve the active rows to rounding of O(1) data (about 1e-14 here);
                        // basic slacks are at most 64 relaxations of 1e-12 below 0.
                        broughtBack++;
                        Assert.True(inconsistency <= 1e-12, $"{context}: inconsistency {before} before the recomputation, {inconsistency} after");
                    }

                    var (run, _) = StateAfterPivots(a, b, lower, upper, options, k, inOneCall: true);
                    MinimaxSimplex reference;
                    if (drift > MinimaxSimplex.DriftTolerance)
                    {
                        refactorised++;
                        reference = StateAfterPivots(a, b, lower, upper, options, k).Simplex;
                        Assert.True(reference.Refactor(), $"{context}: refactorisation failed where the run went on");
                    }
                    else
                    {
                        kept++;
                        reference = replayed;
                    }

                    var expected = new List<MinimaxSimplex.StepChoice>();
                    var actual = new List<MinimaxSimplex.StepChoice>();
                    reference.Iterate(options with { MaxIterations = 20 }, expected.Add);
                    run.Iterate(options with { MaxIterations = 20 }, actual.Add);
                    Assert.True(expected.SequenceEqual(actual), $"{context} (drift {drift}): the run continued otherwise than the {(drift > MinimaxSimplex.DriftTolerance ? "refactorised" : "recomputed")} state");
                }
            }
        }

        Assert.True(refactorised >= 3 && kept >= 3 && drifted >= 3 && broughtBack >= 3, $"refactorised {refactorised}, kept {kept}, drifted {drifted}, brought back {broughtBack}: the family no longer reaches every case");
    }

    /// <summary>
    /// The state after <paramref name="pivots"/> steps: in one call (a refresh runs at the last step when it is the
    /// <see cref="MinimaxSimplex.RefreshPeriod"/>-th pivot), or split into calls of <paramref name="pivots"/> - 1 and 1
    /// steps, which skips that refresh (each call counts pivots afresh) and runs the earlier ones as one call does.
    /// </summary>
    private static (MinimaxSimplex Simplex, List<MinimaxSimplex.StepChoice> Steps) StateAfterPivots(double[,] a, double[] b, double[] lower, double[] upper, LpOptions options, int pivots, bool inOneCall = false)
    {
        var simplex = MinimaxSimplex.Start(a, b, lower, upper);
        var steps = new List<MinimaxSimplex.StepChoice>();
        if (inOneCall)
        {
            simplex.Iterate(options with { MaxIterations = pivots }, steps.Add);
        }
        else
        {
            simplex.Iterate(options with { MaxIterations = pivots - 1 }, steps.Add);
            simplex.Iterate(options with { MaxIterations = 1 }, steps.Add);
        }

        return (simplex, steps);
    }
}
