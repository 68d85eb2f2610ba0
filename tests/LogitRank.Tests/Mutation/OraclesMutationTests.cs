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
}
