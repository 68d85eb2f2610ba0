using LogitRank.Models;
using LogitRank.Oracles;
using LogitRank.Sequences;

namespace LogitRank.Tests.Mutation;

/// <summary>
/// Argument and cancellation contracts of the basic oracles (proofs-notes/mutation.md): a null batch is named as
/// <c>prefixes</c> rather than failing inside, and a cancelled token stops <see cref="ModelOracle"/> before it
/// evaluates anything.
/// </summary>
public class OraclesMutationTests
{
    private static readonly ISequenceModel Model = TabularModel.Random(2, 3, 1, scale: 1.0);

    [Fact]
    public void A_null_batch_is_named()
    {
        Assert.Equal("prefixes", Assert.Throws<ArgumentNullException>(() => new ModelOracle(Model).Query(null!)).ParamName);
        Assert.Equal("prefixes", Assert.Throws<ArgumentNullException>(() => new CachingOracle(new ModelOracle(Model)).Query(null!)).ParamName);
    }

    [Fact]
    public void A_cancelled_token_stops_the_model_oracle_before_it_evaluates()
    {
        using var cancellation = new CancellationTokenSource();
        cancellation.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => new ModelOracle(Model).Query([Prefix.Empty, Prefix.Of(0)], QueryPhase.Other, cancellation.Token));
    }

    [Fact]
    public void Query_counts_format_their_non_zero_phases_in_enum_order()
    {
        var counts = new QueryCounts(new Dictionary<QueryPhase, long> { [QueryPhase.Spanner] = 2, [QueryPhase.Validation] = 0, [QueryPhase.Sampling] = 3 }, 2);
        Assert.Equal("total=5 batches=2 (Sampling=3, Spanner=2)", counts.ToString());
    }

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
}
