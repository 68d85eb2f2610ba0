using LogitRank.Models;
using LogitRank.Numerics;
using LogitRank.Oracles;
using LogitRank.Sequences;

namespace LogitRank.Tests.Oracles;

public class ValidatingOracleTests
{
    private const int K = 3;
    private const int T = 4;
    private static readonly TabularModel Model = TabularModel.Random(K, T, seed: 5);
    private static readonly double[] ZeroOneTwo = [0.0, 1.0, 2.0];

    [Fact]
    public void A_prefix_longer_than_T_minus_1_is_rejected_before_forwarding()
    {
        var spy = new SpyOracle(new ModelOracle(Model));
        var ex = Assert.Throws<InvalidQueryException>(() => spy.Validated().Query([Prefix.Empty, Prefix.Of(0, 1, 2, 0)]));
        Assert.Equal(QueryProblem.TooLong, ex.Problem);
        Assert.Equal(Prefix.Of(0, 1, 2, 0), ex.Prefix);
        Assert.Equal(1, ex.BatchIndex);
        Assert.Equal(T, ex.Horizon);
        Assert.Contains("[0,1,2,0]", ex.Message, StringComparison.Ordinal);
        Assert.Contains("length 4", ex.Message, StringComparison.Ordinal);
        Assert.Contains("T = 4", ex.Message, StringComparison.Ordinal);
        Assert.Empty(spy.Batches);
    }

    [Fact]
    public void A_token_outside_the_alphabet_is_rejected_before_forwarding()
    {
        var spy = new SpyOracle(new ModelOracle(Model));
        var ex = Assert.Throws<InvalidQueryException>(() => spy.Validated().Query(Prefix.Of(1, 3)));
        Assert.Equal(QueryProblem.TokenOutOfRange, ex.Problem);
        Assert.Equal(3, ex.Token);
        Assert.Equal(1, ex.Position);
        Assert.Equal(K, ex.AlphabetSize);
        Assert.Contains("token 3 at position 1 of prefix [1,3]", ex.Message, StringComparison.Ordinal);
        Assert.Contains("0..2", ex.Message, StringComparison.Ordinal);
        Assert.Empty(spy.Batches);
    }

    [Fact]
    public void A_null_prefix_is_rejected()
    {
        var ex = Assert.Throws<InvalidQueryException>(() => new ModelOracle(Model).Validated().Query([Prefix.Empty, null!]));
        Assert.Equal(QueryProblem.NullPrefix, ex.Problem);
        Assert.Equal(1, ex.BatchIndex);
    }

    [Fact]
    public void A_wrong_answer_count_is_rejected()
    {
        var spy = new SpyOracle(K, T, batch => [.. batch.Select(_ => LogitVector.Uniform(K)), LogitVector.Uniform(K)]);
        var ex = Assert.Throws<InvalidOracleAnswerException>(() => spy.Validated().Query([Prefix.Empty, Prefix.Of(1)]));
        Assert.Equal(AnswerProblem.WrongCount, ex.Problem);
        Assert.Equal(2, ex.Expected);
        Assert.Equal(3, ex.Actual);
        Assert.Contains("3 answers for a batch of 2", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_wrong_answer_length_is_rejected_naming_the_prefix()
    {
        var spy = new SpyOracle(K, T, batch => [.. batch.Select(p => LogitVector.Uniform(p.Length == 1 ? 2 : K))]);
        var ex = Assert.Throws<InvalidOracleAnswerException>(() => spy.Validated().Query([Prefix.Empty, Prefix.Of(2)]));
        Assert.Equal(AnswerProblem.WrongLength, ex.Problem);
        Assert.Equal(Prefix.Of(2), ex.Prefix);
        Assert.Equal(1, ex.BatchIndex);
        Assert.Contains("prefix [2]", ex.Message, StringComparison.Ordinal);
        Assert.Contains("2 entries; expected k = 3", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_null_answer_is_rejected_naming_the_prefix()
    {
        var spy = new SpyOracle(K, T, batch => [.. batch.Select(_ => (LogitVector)null!)]);
        var ex = Assert.Throws<InvalidOracleAnswerException>(() => spy.Validated().Query(Prefix.Of(0, 0)));
        Assert.Equal(AnswerProblem.NullAnswer, ex.Problem);
        Assert.Contains("[0,0]", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Valid_traffic_passes_unchanged()
    {
        var cache = new ModelOracle(Model).Cached();
        var expected = cache.Query(Prefix.Of(1, 2));
        Assert.Same(expected, cache.Validated().Query(Prefix.Of(1, 2)));
    }

    [Theory]
    [InlineData(double.NaN, AnswerProblem.NaN, "NaN at token 1")]
    [InlineData(double.PositiveInfinity, AnswerProblem.Infinite, "+infinity at token 1")]
    [InlineData(double.NegativeInfinity, AnswerProblem.Infinite, "-infinity at token 1")]
    public void A_raw_non_finite_score_is_rejected_naming_the_prefix(double bad, AnswerProblem problem, string text)
    {
        var oracle = new DelegateOracle(K, T, batch => [.. batch.Select(p => p.Length == 2 ? new[] { 0.0, bad, 1.0 } : ZeroOneTwo.ToArray())]);
        var ex = Assert.Throws<InvalidOracleAnswerException>(() => oracle.Query([Prefix.Of(1), Prefix.Of(1, 0)]));
        Assert.Equal(problem, ex.Problem);
        Assert.Equal(Prefix.Of(1, 0), ex.Prefix);
        Assert.Equal(1, ex.EntryIndex);
        Assert.Contains("prefix [1,0]", ex.Message, StringComparison.Ordinal);
        Assert.Contains(text, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_raw_answer_of_the_wrong_length_or_count_is_rejected()
    {
        var shortAnswer = new DelegateOracle(K, T, batch => [.. batch.Select(_ => ZeroOneTwo[..2])]);
        var ex = Assert.Throws<InvalidOracleAnswerException>(() => shortAnswer.Query(Prefix.Of(2, 2)));
        Assert.Equal(AnswerProblem.WrongLength, ex.Problem);
        Assert.Contains("[2,2]", ex.Message, StringComparison.Ordinal);

        var tooFew = new DelegateOracle(K, T, _ => [ZeroOneTwo.ToArray()]);
        var ex2 = Assert.Throws<InvalidOracleAnswerException>(() => tooFew.Query([Prefix.Empty, Prefix.Of(0)]));
        Assert.Equal(AnswerProblem.WrongCount, ex2.Problem);
    }

    [Fact]
    public void DelegateOracle_validates_requests_and_centers_raw_scores()
    {
        var calls = 0;
        var oracle = new DelegateOracle(K, T, batch =>
        {
            calls++;
            return [.. batch.Select(p => new[] { 10.0 + p.Length, 11.0, 13.0 })];
        });
        var answer = oracle.Query(Prefix.Of(0));
        Assert.Equal(LogitVector.FromLogits([11.0, 11.0, 13.0]), answer);
        Assert.Equal(0.0, answer.Values.ToArray().Sum(), precision: 12);
        Assert.Throws<InvalidQueryException>(() => oracle.Query(Prefix.Of(0, 0, 0, 0)));
        Assert.Throws<InvalidQueryException>(() => oracle.Query(Prefix.Of(5)));
        Assert.Empty(oracle.Query([]));
        Assert.Equal(1, calls);
    }

    [Fact]
    public void Every_oracle_exception_is_an_OracleException()
    {
        Assert.True(typeof(OracleException).IsAssignableFrom(typeof(InvalidQueryException)));
        Assert.True(typeof(OracleException).IsAssignableFrom(typeof(InvalidOracleAnswerException)));
        Assert.True(typeof(OracleException).IsAssignableFrom(typeof(QueryBudgetExceededException)));
    }
}
