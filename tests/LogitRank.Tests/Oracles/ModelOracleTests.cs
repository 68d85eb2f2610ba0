using LogitRank.Models;
using LogitRank.Numerics;
using LogitRank.Oracles;
using LogitRank.Sequences;
using LogitRank.Tests.Oracles;

namespace LogitRank.Tests.Oracles;

/// <summary><see cref="ModelOracle"/>: its argument and cancellation contracts.</summary>
public partial class ModelOracleTests
{
    private static readonly ISequenceModel Model = TabularModel.Random(2, 3, 1, scale: 1.0);

    [Fact]
    public void A_null_batch_is_named()
    {
        Assert.Equal("prefixes", Assert.Throws<ArgumentNullException>(() => new ModelOracle(Model).Query(null!)).ParamName);
    }

    [Fact]
    public void A_cancelled_token_stops_the_model_oracle_before_it_evaluates()
    {
        using var cancellation = new CancellationTokenSource();
        cancellation.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => new ModelOracle(Model).Query([Prefix.Empty, Prefix.Of(0)], QueryPhase.Other, cancellation.Token));
    }
}
