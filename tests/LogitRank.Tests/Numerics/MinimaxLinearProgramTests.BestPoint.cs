using LogitRank.Numerics;

namespace LogitRank.Tests.Numerics;

/// <summary>
/// The best point that <see cref="MinimaxSimplex.Run"/> keeps for its restarts and its last resort
/// (proofs-notes/lp-reconstruction.md, L9): every consistent basis a refresh passes is offered to it, and a run that
/// cannot go on returns the best point offered.
/// </summary>
public partial class MinimaxLinearProgramTests
{
    /// <summary>
    /// Runs of the nearly degenerate family (Harris relaxation practically off) that end drifted at step K, given a step
    /// limit of exactly K: nothing is left for a restart, so <see cref="MinimaxSimplex.Run"/> returns its best point with
    /// <see cref="LpStatus.IterationLimit"/> after one attempt. That point is no worse than the start <c>clip(0) = 0</c>
    /// nor than the point of any refresh the run went on from; the latter is what <see cref="MinimaxSimplex.Run"/>
    /// returns when its step limit is that refresh's step (the refresh's recomputed basis, verified again, identically).
    /// Some instance must have a refresh strictly better than the start, so the comparison can fail.
    /// </summary>
    [Fact]
    public void A_run_out_of_steps_after_a_drifted_basis_returns_the_best_point_it_was_offered()
    {
        var options = new LpOptions { FeasibilityTolerance = 1e-15 };
        var cases = 0;
        var improved = 0;
        for (var seed = 0; seed < 30; seed++)
        {
            var (a, b) = NearlyDegenerate(seed);
            var n = a.GetLength(1);
            var lower = Enumerable.Repeat(-2.0, n).ToArray();
            var upper = Enumerable.Repeat(2.0, n).ToArray();
            var refreshes = new List<int>();
            var (outcome, taken) = MinimaxSimplex.Start(a, b, lower, upper).Iterate(options, onRefresh: refreshes.Add);
            if (outcome != MinimaxSimplex.Outcome.Drifted || refreshes.Count == 0)
            {
                continue;
            }

            cases++;
            var context = $"seed {seed}, drifted after {taken} steps";
            var (status, x, r, _, iterations, restarts) = MinimaxSimplex.Run(a, b, lower, upper, options with { MaxIterations = taken });
            Assert.True((status, iterations, restarts) == (LpStatus.IterationLimit, taken, 1), $"{context}: {status} after {iterations} steps and {restarts} restarts");
            var residual = LpReference.Objective(a, b, x);

            // The returned point is the best point, moved to lower + (x - lower): one rounding per coordinate of O(1)
            // numbers, which changes a residual of O(1) data with at most 80 columns by far less than 1e-12. Its r is
            // its residual (r basic at the start point, nothing iterated), to the same rounding.
            const double rounding = 1e-12;
            Assert.True(Math.Abs(r - residual) <= rounding, $"{context}: r {r}, residual {residual}");
            var offered = new List<double> { LpReference.Objective(a, b, new double[n]) };
            foreach (var k in refreshes)
            {
                var (kStatus, kx, _, _, _, kRestarts) = MinimaxSimplex.Run(a, b, lower, upper, options with { MaxIterations = k });
                Assert.True((kStatus, kRestarts) == (LpStatus.IterationLimit, 0), $"{context}: the run stopped at the refresh after {k} steps ended {kStatus} after {kRestarts} restarts");
                offered.Add(LpReference.Objective(a, b, [.. kx.Select(v => Math.Clamp(v, -2.0, 2.0))]));
            }

            improved += offered.Skip(1).Min() < offered[0] - rounding ? 1 : 0;
            Assert.True(residual <= offered.Min() + rounding, $"{context}: returned residual {residual}, offered [{string.Join(", ", offered)}]");
        }

        Assert.True(cases >= 3 && improved >= 1, $"{cases} drifted runs with a refresh, {improved} improving on the start: the family no longer reaches the fallback");
    }
}
