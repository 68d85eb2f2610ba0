using System.Reflection;
using LogitRank.Analysis;
using LogitRank.Learning;
using LogitRank.Numerics;

namespace LogitRank.Tests.Numerics;

/// <summary>The documented relations between the tolerances, which a change of one value could silently break.</summary>
public class TolerancesTests
{
    [Fact]
    public void Machine_epsilon_is_the_spacing_of_doubles_at_one_and_the_centering_level_is_two_to_the_minus_40()
    {
        Assert.Equal(Tolerances.MachineEpsilon, Math.BitIncrement(1.0) - 1.0);
        Assert.Equal(Tolerances.CenteredSumRelative, Math.ScaleB(1.0, -40));
    }

    [Fact]
    public void Both_schedules_and_the_spanner_default_to_the_same_tolerances()
    {
        var practical = new PracticalSchedule();
        var theory = TheorySchedule.FromTargets(epsilon: 0.5, delta: 0.1, horizon: 2, rank: 1, alpha: 1, alphabetSize: 2);
        Assert.Equal(Tolerances.LpRelative, practical.LpRelativeTolerance);
        Assert.Equal(Tolerances.LpRelative, theory.LpRelativeTolerance);
        Assert.Equal(Tolerances.SpannerRank, practical.SpannerRankTolerance);
        Assert.Equal(Tolerances.SpannerRank, theory.SpannerRankTolerance);
        Assert.Equal(Tolerances.ZeroRow, practical.ZeroRowTolerance);
        Assert.Equal(Tolerances.ZeroRow, theory.ZeroRowTolerance);
        var select = typeof(BarycentricSpanner).GetMethod(nameof(BarycentricSpanner.Select), BindingFlags.Public | BindingFlags.Static)!;
        Assert.Equal(Tolerances.SpannerRank, select.GetParameters().Single(p => p.Name == "rankTolerance").DefaultValue);
        var largestGap = typeof(RankStrategy).GetMethod(nameof(RankStrategy.LargestGap))!;
        Assert.Equal(Tolerances.NegligibleSingularValue, largestGap.GetParameters().Single().DefaultValue);
    }

    [Fact]
    public void Checks_sit_above_the_rounding_they_guard()
    {
        // The spanner's default rank tolerance must stay above its floor (ten times the LU singularity threshold), or
        // the floor would silently replace it.
        Assert.True(Tolerances.SpannerRank > BarycentricSpanner.MinimumRankTolerance);
        Assert.Equal(10 * Tolerances.SingularPivot, BarycentricSpanner.MinimumRankTolerance);

        // A basis the solver verified (inconsistency <= VerifiedInconsistency) satisfies the LP contract: a tenth of it.
        Assert.Equal(Tolerances.LpResidualCheck, 10 * MinimaxSimplex.VerifiedInconsistency, 1e-24);

        // The public constants of the input checks are the ones documented here.
        Assert.Equal(Tolerances.TableRowLogSumExp, LogitRank.Models.TargetTable.RowTolerance);
        Assert.Equal(Tolerances.StochasticRowSum, LogitRank.Models.HiddenMarkovModel.RowSumTolerance);

        // The incremental reconstruction's slack stays far below the default LP acceptance tolerance (its accumulated
        // (t - 1) · slack over a horizon of 100 is still below a fifth of it), and the drift trigger far above rounding.
        Assert.True(100 * Tolerances.ReconstructionGreedySlack < Tolerances.LpRelative / 5);
        Assert.True(Tolerances.LpDrift > 1e4 * Tolerances.MachineEpsilon);
        Assert.True(Tolerances.LpDegenerateDecrease > 100 * Tolerances.MachineEpsilon);

        // Each slack exceeds the rounding of its computation by orders of magnitude (64 ulps is the ledger's own unit).
        Assert.True(Tolerances.TelescopingRelative > 1e4 * Tolerances.MachineEpsilon);
        Assert.True(Tolerances.LogitBoundRelativeSlack > 1e4 * Tolerances.MachineEpsilon);
        Assert.True(Tolerances.OutwardRelative > 10 * Tolerances.MachineEpsilon);
        Assert.Equal(Tolerances.FloatingPointLedgerUlps * Tolerances.MachineEpsilon, Math.ScaleB(1.0, -46));
    }
}
