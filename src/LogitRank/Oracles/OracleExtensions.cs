using LogitRank.Numerics;
using LogitRank.Sequences;

namespace LogitRank.Oracles;

/// <summary>
/// Fluent composition of oracle decorators. Decorators apply inside-out: in
/// <c>new ModelOracle(m).WithBudget(1000).Cached().Validated()</c> a request is validated, then looked up in the
/// cache, and only misses count against the budget.
/// </summary>
public static class OracleExtensions
{
    /// <summary>Wraps <paramref name="oracle"/> in a <see cref="CountingOracle"/>.</summary>
    public static CountingOracle Counting(this ILogitOracle oracle) => new(oracle ?? throw new ArgumentNullException(nameof(oracle)));

    /// <summary>Wraps <paramref name="oracle"/> in a <see cref="CachingOracle"/>.</summary>
    public static CachingOracle Cached(this ILogitOracle oracle) => new(oracle ?? throw new ArgumentNullException(nameof(oracle)));

    /// <summary>Wraps <paramref name="oracle"/> in a <see cref="BudgetedOracle"/> allowing <paramref name="budget"/> queries.</summary>
    public static BudgetedOracle WithBudget(this ILogitOracle oracle, long budget) => new(oracle ?? throw new ArgumentNullException(nameof(oracle)), budget);

    /// <summary>Wraps <paramref name="oracle"/> in a <see cref="NoisyOracle"/> with accuracy <paramref name="xi"/>.</summary>
    public static NoisyOracle WithNoise(this ILogitOracle oracle, double xi, int seed) => new(oracle ?? throw new ArgumentNullException(nameof(oracle)), xi, seed);

    /// <summary>Wraps <paramref name="oracle"/> in a <see cref="ValidatingOracle"/>.</summary>
    public static ValidatingOracle Validated(this ILogitOracle oracle) => new(oracle ?? throw new ArgumentNullException(nameof(oracle)));

    /// <summary>Queries a single prefix: a batch of one.</summary>
    /// <exception cref="InvalidOracleAnswerException">The oracle did not return exactly one answer.</exception>
    public static LogitVector Query(this ILogitOracle oracle, Prefix prefix, QueryPhase phase = QueryPhase.Other, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(oracle);
        ArgumentNullException.ThrowIfNull(prefix);
        var answers = oracle.Query([prefix], phase, cancellationToken);
        if (answers is null || answers.Count != 1)
        {
            throw new InvalidOracleAnswerException(AnswerProblem.WrongCount, null, -1, -1, 1, answers?.Count ?? -1);
        }

        return answers[0] ?? throw new InvalidOracleAnswerException(AnswerProblem.NullAnswer, prefix, 0, -1, oracle.AlphabetSize, -1);
    }
}
