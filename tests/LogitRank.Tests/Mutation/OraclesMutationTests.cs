using LogitRank.Models;
using LogitRank.Numerics;
using LogitRank.Oracles;
using LogitRank.Sequences;
using LogitRank.Tests.Oracles;

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

    /// <summary>An empty batch counts as a batch with no queries: no phase appears in the counts, in either counter.</summary>
    [Fact]
    public void An_empty_batch_is_a_batch_and_adds_no_phase()
    {
        var counting = new ModelOracle(Model).Counting();
        var budgeted = new ModelOracle(Model).WithBudget(5);
        Assert.Empty(counting.Query([], QueryPhase.Spanner));
        Assert.Empty(budgeted.Query([], QueryPhase.Spanner));

        Assert.Equal(1, counting.Counts.Batches);
        Assert.Empty(counting.Counts.ByPhase);
        Assert.Equal(1, budgeted.Counts.Batches);
        Assert.Empty(budgeted.Counts.ByPhase);
        Assert.Equal(0, budgeted.Used);
    }

    /// <summary>With <c>ξ = 0</c> the perturbation is exactly zero: positive zeros, not the signed zeros of <c>0·(u - ū)</c>.</summary>
    [Fact]
    public void A_noiseless_perturbation_is_exactly_zero()
    {
        var noisy = new NoisyOracle(new ModelOracle(Model), 0, seed: 3);
        foreach (var prefix in new[] { Prefix.Empty, Prefix.Of(1), Prefix.Of(0, 1) })
        {
            Assert.All(noisy.Perturbation(prefix), e => Assert.Equal(0L, BitConverter.DoubleToInt64Bits(e)));
        }
    }

    /// <summary>
    /// The boundary of the length check: a prefix of length <c>T-1</c> is valid, one of length <c>T</c> is too long, and
    /// the message says what was expected (<c>T-1 = 2</c> for <c>T = 3</c>).
    /// </summary>
    [Fact]
    public void A_query_may_be_T_minus_one_long_and_no_longer()
    {
        OracleValidation.ValidateQuery([Prefix.Of(0, 1)], 2, 3);
        var e = Assert.Throws<InvalidQueryException>(() => OracleValidation.ValidateQuery([Prefix.Of(0, 1), Prefix.Of(0, 1, 0)], 2, 3));
        Assert.Equal(QueryProblem.TooLong, e.Problem);
        Assert.Equal(1, e.BatchIndex);
        Assert.Contains("Query 1: prefix [0,1,0] has length 3; an oracle with horizon T = 3 answers prefixes of length at most T-1 = 2.", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_null_prefix_in_a_batch_is_named_by_its_index_with_the_longest_allowed_length()
    {
        var e = Assert.Throws<InvalidQueryException>(() => OracleValidation.ValidateQuery([Prefix.Empty, null!], 2, 3));
        Assert.Equal(QueryProblem.NullPrefix, e.Problem);
        Assert.Equal(1, e.BatchIndex);
        Assert.Contains("Query 1: the prefix is null; expected a prefix of length at most 2.", e.Message, StringComparison.Ordinal);
    }

    /// <summary>The constructors are public: a problem value outside the enum still gives a message naming the query, the prefix and the value.</summary>
    [Fact]
    public void An_undefined_problem_value_is_still_described()
    {
        var query = new InvalidQueryException((QueryProblem)99, Prefix.Of(1), 4, -1, -1, 2, 3);
        Assert.Contains("Query 4: prefix [1] is invalid (99).", query.Message, StringComparison.Ordinal);
        var answer = new InvalidOracleAnswerException((AnswerProblem)99, Prefix.Of(1), 4, -1, -1, -1);
        Assert.Contains("The oracle's answer for prefix [1] (query 4) is invalid (99).", answer.Message, StringComparison.Ordinal);
    }

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

    [Fact]
    public void A_raw_logit_oracle_needs_two_tokens_and_a_horizon_of_one()
    {
        static IReadOnlyList<double[]> Scores(IReadOnlyList<Prefix> batch) => batch.Select(_ => (double[])[0.0, 1.0]).ToArray();
        Assert.Equal("alphabetSize", Assert.Throws<ArgumentOutOfRangeException>(() => new DelegateOracle(1, 3, Scores)).ParamName);
        Assert.Equal("horizon", Assert.Throws<ArgumentOutOfRangeException>(() => new DelegateOracle(2, 0, Scores)).ParamName);
        Assert.Equal(2, new DelegateOracle(2, 1, Scores).Query(Prefix.Empty).Length);
    }
}
