using LogitRank.Numerics;

namespace LogitRank.Tests.Numerics;

public partial class MinimaxLinearProgramTests
{
    /// <summary>
    /// The periodic check of <see cref="MinimaxSimplex.Iterate"/> (L6, L9): a run goes on past a refresh only from a
    /// basis consistent with the original data, and a basis found inconsistent (its r more than 1000 times
    /// <see cref="MinimaxSimplex.VerifiedInconsistency"/> from its point's residual) ends the run as
    /// <see cref="MinimaxSimplex.Outcome.Drifted"/>. On the nearly degenerate family with the Harris relaxation practically
    /// off (as in <see cref="A_drifted_basis_is_caught_by_verification_and_the_solver_restarts"/>), every state the refresh
    /// observer sees is consistent, and some run does end drifted at a refresh, so the test cannot pass vacuously.
    /// </summary>
    [Fact]
    public void A_run_goes_on_past_a_refresh_only_from_a_consistent_basis()
    {
        var options = new LpOptions { FeasibilityTolerance = 1e-15 };
        var drifted = 0;
        var refreshes = 0;
        for (var seed = 0; seed < 120; seed++)
        {
            var (a, b) = NearlyDegenerate(seed);
            var n = a.GetLength(1);
            var lower = Enumerable.Repeat(-2.0, n).ToArray();
            var upper = Enumerable.Repeat(2.0, n).ToArray();
            var simplex = MinimaxSimplex.Start(a, b, lower, upper);
            var (outcome, _) = simplex.Iterate(options, onRefresh: steps =>
            {
                refreshes++;
                var inconsistency = simplex.Inconsistency();
                Assert.True(inconsistency <= 1000 * MinimaxSimplex.VerifiedInconsistency, $"seed {seed}: the run went on after {steps} steps from a basis with inconsistency {inconsistency}");
            });
            drifted += outcome == MinimaxSimplex.Outcome.Drifted ? 1 : 0;
        }

        Assert.True(refreshes > 0, "no run reached a refresh");
        Assert.True(drifted > 0, "no run ended drifted: the test no longer reaches the failed check");
    }
}
