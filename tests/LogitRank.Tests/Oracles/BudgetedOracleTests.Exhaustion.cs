using LogitRank.Models;
using LogitRank.Numerics;
using LogitRank.Oracles;
using LogitRank.Sequences;
using LogitRank.Tests.Oracles;

namespace LogitRank.Tests.Oracles;

public partial class BudgetedOracleTests
{
    [Fact]
    public void An_exhausted_budget_reports_what_was_used_by_phase_and_batch()
    {
        var oracle = new BudgetedOracle(new ModelOracle(Model), 3);
        oracle.Query([Prefix.Empty], QueryPhase.Sampling);
        oracle.Query([Prefix.Of([0]), Prefix.Of([1])], QueryPhase.Spanner);
        var e = Assert.Throws<QueryBudgetExceededException>(() => oracle.Query([Prefix.Empty], QueryPhase.Validation));
        Assert.Equal(3, e.Budget);
        Assert.Equal(3, e.Used);
        Assert.Equal(1, e.Requested);
        Assert.Equal(QueryPhase.Validation, e.Phase);
        Assert.Equal(2, e.UsedByPhase.Batches);
        Assert.Equal(1, e.UsedByPhase[QueryPhase.Sampling]);
        Assert.Equal(2, e.UsedByPhase[QueryPhase.Spanner]);
        Assert.Contains("would bring the total to 4, above the budget of 3", e.Message, StringComparison.Ordinal);
    }

    /// <summary>An empty batch counts as a batch with no queries: no phase appears in the counts.</summary>
    [Fact]
    public void An_empty_batch_is_a_batch_and_adds_no_phase()
    {
        var budgeted = new ModelOracle(Model).WithBudget(5);
        Assert.Empty(budgeted.Query([], QueryPhase.Spanner));
        Assert.Equal(1, budgeted.Counts.Batches);
        Assert.Empty(budgeted.Counts.ByPhase);
        Assert.Equal(0, budgeted.Used);
    }
}
