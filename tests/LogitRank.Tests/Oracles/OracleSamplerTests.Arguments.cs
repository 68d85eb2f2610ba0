using LogitRank.Models;
using LogitRank.Numerics;
using LogitRank.Oracles;
using LogitRank.Sequences;
using LogitRank.Tests.Oracles;

namespace LogitRank.Tests.Oracles;

public partial class OracleSamplerTests
{
    private static readonly ISequenceModel Model = TabularModel.Random(2, 3, 1, scale: 1.0);

    /// <summary>The sampler checks its random source even when no draw would be made (no sample, or length 0).</summary>
    [Theory]
    [InlineData(0, 3)]
    [InlineData(2, 0)]
    public void The_sampler_names_a_null_random_even_when_it_would_draw_nothing(int count, int length)
    {
        var oracle = new ModelOracle(Model);
        Assert.Equal("random", Assert.Throws<ArgumentNullException>(() => OracleSampler.Sample(oracle, count, length, null!)).ParamName);
        Assert.Equal("random", Assert.Throws<ArgumentNullException>(() => OracleSampler.SampleWithLogits(oracle, count, length, null!)).ParamName);
    }

    /// <summary>A cancelled token stops the sampler before its first batch, even over an oracle that ignores the token.</summary>
    [Fact]
    public void A_cancelled_token_stops_the_sampler_before_it_queries()
    {
        var spy = new SpyOracle(new ModelOracle(Model)); // forwards without the token
        using var cancellation = new CancellationTokenSource();
        cancellation.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => OracleSampler.Sample(spy, 2, 3, new Random(1), QueryPhase.Sampling, cancellation.Token));
        Assert.Empty(spy.Batches);
    }
}
