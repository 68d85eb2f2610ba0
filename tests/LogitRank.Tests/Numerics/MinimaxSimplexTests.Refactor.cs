using LogitRank.Numerics;

namespace LogitRank.Tests.Numerics;

/// <summary>
/// What a state of the simplex promises when it is taken up again (proofs-notes/lp-reconstruction.md, L6 and L9):
/// <see cref="MinimaxSimplex.Refactor"/> rebuilds the tableau of the current basis from the original data without
/// changing the basis or the place of any nonbasic column, so the run goes on along the same path;
/// <see cref="MinimaxSimplex.Iterate"/> called again on a stopped state continues from it (what <see cref="MinimaxSimplex.Run"/>
/// does after a refactorisation); and <see cref="MinimaxSimplex.Inconsistency"/> is the documented distance of the state's
/// r from its point's residual. All checked through the step observer, the verdict and the returned numbers.
/// </summary>
public partial class MinimaxSimplexTests
{
    /// <summary>
    /// Seeded planted instances stopped after k = 1, 2, ... steps: the basis there is well conditioned, so
    /// <see cref="MinimaxSimplex.Refactor"/> succeeds, leaves r equal to its point's residual, and the run continued
    /// from the refactorised state takes the same steps (entering column, direction, leaving variable, bound) as the run
    /// continued from the state as it was, and ends at a verified optimum. Slacks enter in the continued runs, so a
    /// tableau rebuilt for another basis, or with leftovers of the old one, shows in the steps.
    /// </summary>
    [Fact]
    public void A_refactorised_state_continues_along_the_same_path()
    {
        var options = new LpOptions();
        var states = 0;
        var slackSteps = 0;
        for (var seed = 0; seed < 8; seed++)
        {
            var m = 4 + seed;
            var n = 2 + (seed % 4);
            var (a, b, lower, upper, _) = LpReference.Planted(900 + seed, m, n, rho: 0.4);
            for (var k = 1; k <= 30; k++)
            {
                var context = $"seed {seed}, refactorised after {k} steps";
                var kept = MinimaxSimplex.Start(a, b, lower, upper);
                var (_, taken) = kept.Iterate(options with { MaxIterations = k });
                if (taken < k)
                {
                    break; // optimal before this many steps: no new state
                }

                var rebuilt = MinimaxSimplex.Start(a, b, lower, upper);
                rebuilt.Iterate(options with { MaxIterations = k });
                Assert.True(rebuilt.Refactor(), $"{context}: a well-conditioned basis was found singular");
                states++;

                // Data of order 1, bases of at most 23 unknowns: after the recomputation r is its point's residual up
                // to the Harris relaxation (1e-12 per step) and rounding, far below 1e-10.
                Assert.True(rebuilt.Inconsistency() <= 1e-10, $"{context}: inconsistency {rebuilt.Inconsistency()}");

                var expected = new List<MinimaxSimplex.StepChoice>();
                var actual = new List<MinimaxSimplex.StepChoice>();
                var (keptOutcome, _) = kept.Iterate(options, expected.Add);
                var (rebuiltOutcome, _) = rebuilt.Iterate(options, actual.Add);
                Assert.Equal(MinimaxSimplex.Outcome.Optimal, keptOutcome);
                Assert.True(rebuiltOutcome == MinimaxSimplex.Outcome.Optimal, $"{context}: {rebuiltOutcome}");
                Assert.True(expected.Count == actual.Count, $"{context}: {actual.Count} steps after refactorising, {expected.Count} without");
                for (var s = 0; s < expected.Count; s++)
                {
                    var (e, g) = (expected[s], actual[s]);
                    Assert.True(
                        (e.Entering, e.Direction, e.LeavingVariable, e.LeavesAtUpper) == (g.Entering, g.Direction, g.LeavingVariable, g.LeavesAtUpper),
                        $"{context}, step {s}: {g}, without refactorising {e}");

                    // The same steps from tableaux that differ by rounding only: lengths agree far within 1e-9.
                    Assert.True(Math.Abs(e.Length - g.Length) <= 1e-9, $"{context}, step {s}: length {g.Length}, without refactorising {e.Length}");
                }

                slackSteps += expected.Concat(actual).Count(s => s.Entering > n);
                Assert.Equal(MinimaxSimplex.Verdict.Optimal, kept.Verify(options));
                Assert.True(rebuilt.Verify(options) == MinimaxSimplex.Verdict.Optimal, $"{context}: not verified");
            }
        }

        Assert.True(states >= 40, $"only {states} states");
        Assert.True(slackSteps > 0, "no slack entered after a refactorisation: the family no longer brings slacks back");
    }

    /// <summary>
    /// A state stopped by the step limit and iterated again continues where it stopped: one step at a time, tiny dyadic
    /// instances (fewer steps than a degenerate run before Bland mode or a refresh period, whose counters start afresh
    /// with every call) take exactly the steps of one uninterrupted call. The first instance is built so that r enters
    /// in row 0 (the start slack of row 0, <c>-2 - 0 = -2</c>, is the most negative): a state whose r is basic in any row
    /// must not be made basic again.
    /// </summary>
    [Fact]
    public void Iterating_a_stopped_state_again_continues_the_same_path()
    {
        var instances = new List<(double[,] A, double[] B, double[] Lower, double[] Upper)>
        {
            (new double[,] { { 1.0, 0.5 }, { 0.5, -1.0 } }, [-2.0, 1.0], [-4.0, -4.0], [4.0, 4.0]),
        };
        for (var seed = 0; seed < 40; seed++)
        {
            instances.Add(Dyadic(4000 + seed, 2 + (seed % 3), 1 + (seed % 3), duplicate: seed % 2 == 0));
        }

        var options = new LpOptions();
        var multiStep = 0;
        for (var index = 0; index < instances.Count; index++)
        {
            var (a, b, lower, upper) = instances[index];
            var whole = new List<MinimaxSimplex.StepChoice>();
            var (outcome, _) = MinimaxSimplex.Start(a, b, lower, upper).Iterate(options, whole.Add);
            Assert.Equal(MinimaxSimplex.Outcome.Optimal, outcome);
            Assert.True(whole.Count < MinimaxSimplex.DegenerateRunBeforeBland, $"instance {index}: {whole.Count} steps");
            multiStep += whole.Count > 1 ? 1 : 0;

            var pieces = new List<MinimaxSimplex.StepChoice>();
            var simplex = MinimaxSimplex.Start(a, b, lower, upper);
            for (var call = 0; call <= whole.Count; call++)
            {
                var (pieceOutcome, steps) = simplex.Iterate(options with { MaxIterations = 1 }, pieces.Add);
                if (pieceOutcome == MinimaxSimplex.Outcome.Optimal)
                {
                    break;
                }

                Assert.True((pieceOutcome, steps) == (MinimaxSimplex.Outcome.IterationLimit, 1), $"instance {index}, call {call}: {pieceOutcome} after {steps} steps");
            }

            Assert.Equal(whole, pieces);
        }

        Assert.True(multiStep >= 10, $"only {multiStep} instances take more than one step");
    }

    /// <summary>
    /// <see cref="MinimaxSimplex.Inconsistency"/> is <c>|max_i |(Ax - b)_i| - r| / (1 + Σ_j |x_j|)</c>. In the start state
    /// r is still nonbasic at 0, so it is the start point's residual divided by <c>1 + Σ|x|</c>: for
    /// min max(|x₀ + x₁ - 5|, |x₀ - x₁|) from (1, -2), the residuals are |-6| and 3, so it is 6 / (1 + 3) = 3/2, exactly.
    /// Once r has entered (no step taken) it is the residual itself, and the inconsistency is 0.
    /// </summary>
    [Fact]
    public void Inconsistency_is_the_distance_of_r_from_the_residual_relative_to_the_point()
    {
        double[,] a = { { 1.0, 1.0 }, { 1.0, -1.0 } };
        double[] b = [5.0, 0.0], lower = [-4.0, -4.0], upper = [4.0, 4.0];
        var simplex = MinimaxSimplex.Start(a, b, lower, upper, [1.0, -2.0]);
        Assert.Equal(1.5, simplex.Inconsistency());

        Assert.Equal((MinimaxSimplex.Outcome.IterationLimit, 0), simplex.Iterate(new LpOptions { MaxIterations = 0 }));
        Assert.Equal(0.0, simplex.Inconsistency());
    }
}
