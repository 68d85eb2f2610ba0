using LogitRank.Numerics;

namespace LogitRank.Tests.Numerics;

public partial class MinimaxSimplexTests
{
    /// <summary>
    /// The recomputation of the basic values from the original data (<see cref="MinimaxSimplex.RecomputeValues"/>, L6)
    /// agrees with the values the steps maintain, and after it the basis's r is the residual of its point
    /// (<see cref="MinimaxSimplex.Inconsistency"/>, the quantity verification checks, L9): states after 0, 1, 2, ... steps
    /// of seeded planted instances, each primal feasible up to the Harris relaxation of 1e-12 per step. Both are
    /// properties of the basis and the data, not of how the solver stores its tableau.
    /// </summary>
    [Fact]
    public void After_any_number_of_steps_the_recomputed_basis_is_consistent_with_its_point()
    {
        var states = 0;
        for (var seed = 0; seed < 6; seed++)
        {
            var m = 3 + seed;
            var n = 2 + (seed % 3);
            var (a, b, lower, upper, _) = LpReference.Planted(700 + seed, m, n, rho: 0.4);
            for (var steps = 0; steps <= 12; steps++)
            {
                var simplex = MinimaxSimplex.Start(a, b, lower, upper);
                var (status, taken) = simplex.Iterate(new LpOptions { MaxIterations = steps });
                if (taken < steps)
                {
                    break; // optimal before this many steps: no new state
                }

                var context = $"seed {seed}, after {steps} steps ({status})";
                Assert.True(simplex.RecomputeValues(out var drift), $"{context}: the basis system is singular");
                states++;

                // Data of order 1 and well-conditioned random bases of at most 16 unknowns: the maintained values
                // differ from the recomputed ones by rounding only (far below 1e-9), and the recomputed r is the
                // point's residual up to the feasibility relaxation (1e-12 per step) and rounding.
                Assert.True(drift <= 1e-9, $"{context}: drift {drift}");
                Assert.True(simplex.Inconsistency() <= 1e-10, $"{context}: inconsistency {simplex.Inconsistency()}");
            }
        }

        Assert.True(states >= 20, $"only {states} states");
    }
}
