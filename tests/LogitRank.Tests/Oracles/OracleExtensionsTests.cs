using LogitRank.Models;
using LogitRank.Oracles;
using LogitRank.Sequences;

namespace LogitRank.Tests.Oracles;

public class OracleExtensionsTests
{
    private static readonly TabularModel Model = TabularModel.Random(3, 4, seed: 9);

    [Fact]
    public void Extensions_build_the_named_decorators_in_order()
    {
        var composed = new ModelOracle(Model).WithBudget(100).WithNoise(0.1, 1).Cached().Counting().Validated();
        var counting = Assert.IsType<CountingOracle>(composed.Inner);
        var cache = Assert.IsType<CachingOracle>(counting.Inner);
        var noisy = Assert.IsType<NoisyOracle>(cache.Inner);
        var budget = Assert.IsType<BudgetedOracle>(noisy.Inner);
        Assert.IsType<ModelOracle>(budget.Inner);
        Assert.Equal(0.1, noisy.Xi);
        Assert.Equal(100, budget.Budget);
        Assert.Equal(3, composed.AlphabetSize);
        Assert.Equal(4, composed.Horizon);
    }

    [Fact]
    public void Single_prefix_query_is_a_batch_of_one()
    {
        var spy = new SpyOracle(new ModelOracle(Model));
        var answer = spy.Query(Prefix.Of(2, 1), QueryPhase.Analysis);
        Assert.Equal(Model.NextTokenLogits(Prefix.Of(2, 1)), answer);
        var (batch, phase) = Assert.Single(spy.Batches);
        Assert.Equal([Prefix.Of(2, 1)], batch);
        Assert.Equal(QueryPhase.Analysis, phase);
    }
}
