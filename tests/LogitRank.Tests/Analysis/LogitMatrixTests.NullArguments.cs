using LogitRank.Analysis;
using LogitRank.Oracles;
using LogitRank.Sequences;
using LogitRank.Tests.Models;
using LogitRank.Tests.Oracles;

namespace LogitRank.Tests.Analysis;

/// <summary>
/// Every <see cref="LogitMatrix"/> build overload rejects a null argument with <see cref="ArgumentNullException"/> naming
/// it, before the oracle is queried or a sequence drawn, and a null random even when the sampling would draw nothing.
/// </summary>
public partial class LogitMatrixTests
{
    /// <summary>Default sampling at cut 0 of <see cref="Isan"/> (k = 2, T = 6): the one empty history and all 63 futures fit the default counts of 100, so nothing is drawn.</summary>
    private static readonly LogitMatrixSampling NothingToDraw = new();

    /// <summary>The explicit overload names a null oracle, history list or future list.</summary>
    [Fact]
    public void The_explicit_overload_names_a_null_oracle_history_list_or_future_list()
    {
        Prefix[] one = [Prefix.Empty];
        var spy = new SpyOracle(new ModelOracle(Isan));
        Assert.Equal("oracle", Assert.Throws<ArgumentNullException>(() => LogitMatrix.Build((ILogitOracle)null!, 0, one, one)).ParamName);
        Assert.Equal("histories", Assert.Throws<ArgumentNullException>(() => LogitMatrix.Build(spy, 0, null!, one)).ParamName);
        Assert.Equal("futures", Assert.Throws<ArgumentNullException>(() => LogitMatrix.Build(spy, 0, one, null!)).ParamName);
        Assert.Equal(0, spy.TotalQueries);
    }

    /// <summary>The sampled oracle overload names a null oracle or sampling, and a null random before any query.</summary>
    [Fact]
    public void The_sampled_oracle_overload_names_a_null_oracle_sampling_or_random()
    {
        var spy = new SpyOracle(new ModelOracle(Isan));
        Assert.Equal("oracle", Assert.Throws<ArgumentNullException>(() => LogitMatrix.Build((ILogitOracle)null!, 0, NothingToDraw, new Random(1))).ParamName);
        Assert.Equal("sampling", Assert.Throws<ArgumentNullException>(() => LogitMatrix.Build(spy, 0, null!, new Random(1))).ParamName);

        // Nothing would be drawn here, so only the argument check can notice the missing random.
        Assert.Equal("random", Assert.Throws<ArgumentNullException>(() => LogitMatrix.Build(spy, 0, NothingToDraw, null!)).ParamName);
        Assert.Equal(0, spy.TotalQueries);
    }

    /// <summary>The model overload names a null random even when the sampling would draw nothing.</summary>
    [Fact]
    public void The_model_overload_names_a_null_random_even_when_nothing_would_be_drawn()
    {
        var model = new SpyModel(Isan);
        Assert.Equal("random", Assert.Throws<ArgumentNullException>(() => LogitMatrix.Build(model, 0, NothingToDraw, null!)).ParamName);
        Assert.Equal(0, model.Samples);

        // The premise: with a random, this sampling indeed draws nothing.
        var matrix = LogitMatrix.Build(model, 0, NothingToDraw, new Random(1));
        Assert.Equal((1, 63), (matrix.RowCount, matrix.Futures.Count));
        Assert.Equal(0, model.Samples);
    }
}
