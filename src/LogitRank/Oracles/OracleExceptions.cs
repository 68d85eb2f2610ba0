using LogitRank.Sequences;

namespace LogitRank.Oracles;

// CA1032 (standard exception constructors): these exceptions exist to carry the offending data as properties;
// a parameterless or message-only constructor would create an instance without it.
#pragma warning disable CA1032

/// <summary>The base of the exceptions raised by logit oracles and their decorators.</summary>
public abstract class OracleException : Exception
{
    /// <summary>Initialises the exception with a message naming the problem.</summary>
    protected OracleException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}

/// <summary>What is wrong with a queried prefix.</summary>
public enum QueryProblem
{
    /// <summary>The prefix is longer than <c>T-1</c>.</summary>
    TooLong = 1,

    /// <summary>A token lies outside <c>0..k-1</c>.</summary>
    TokenOutOfRange,

    /// <summary>The batch holds a null prefix.</summary>
    NullPrefix,
}

/// <summary>A query that no oracle for <c>Σ^T</c> can answer: a prefix longer than <c>T-1</c> or a token outside the alphabet.</summary>
public sealed class InvalidQueryException : OracleException
{
    /// <summary>Creates the exception; the message names the prefix, the problem and what was expected.</summary>
    public InvalidQueryException(QueryProblem problem, Prefix? prefix, int batchIndex, int position, int token, int alphabetSize, int horizon)
        : base(Describe(problem, prefix, batchIndex, position, token, alphabetSize, horizon))
    {
        Problem = problem;
        Prefix = prefix;
        BatchIndex = batchIndex;
        Position = position;
        Token = token;
        AlphabetSize = alphabetSize;
        Horizon = horizon;
    }

    /// <summary>What is wrong.</summary>
    public QueryProblem Problem { get; }

    /// <summary>The offending prefix (null for <see cref="QueryProblem.NullPrefix"/>).</summary>
    public Prefix? Prefix { get; }

    /// <summary>The zero-based index of the prefix in its batch.</summary>
    public int BatchIndex { get; }

    /// <summary>The zero-based position of the bad token (<see cref="QueryProblem.TokenOutOfRange"/>), else -1.</summary>
    public int Position { get; }

    /// <summary>The bad token (<see cref="QueryProblem.TokenOutOfRange"/>), else -1.</summary>
    public int Token { get; }

    /// <summary>The alphabet size <c>k</c> of the oracle.</summary>
    public int AlphabetSize { get; }

    /// <summary>The horizon <c>T</c> of the oracle.</summary>
    public int Horizon { get; }

    private static string Describe(QueryProblem problem, Prefix? prefix, int batchIndex, int position, int token, int k, int horizon) => problem switch
    {
        QueryProblem.TooLong => $"Query {batchIndex}: prefix {prefix} has length {prefix?.Length}; an oracle with horizon T = {horizon} answers prefixes of length at most T-1 = {horizon - 1}.",
        QueryProblem.TokenOutOfRange => $"Query {batchIndex}: token {token} at position {position} of prefix {prefix} is outside the alphabet 0..{k - 1} (k = {k}).",
        QueryProblem.NullPrefix => $"Query {batchIndex}: the prefix is null; expected a prefix of length at most {horizon - 1}.",
        _ => $"Query {batchIndex}: prefix {prefix} is invalid ({problem}).",
    };
}

/// <summary>What is wrong with an oracle's answer.</summary>
public enum AnswerProblem
{
    /// <summary>The number of answers differs from the number of prefixes.</summary>
    WrongCount = 1,

    /// <summary>An answer has a length other than <c>k</c>.</summary>
    WrongLength,

    /// <summary>An answer holds NaN.</summary>
    NaN,

    /// <summary>An answer holds <c>+∞</c> or <c>-∞</c>.</summary>
    Infinite,

    /// <summary>An answer is null.</summary>
    NullAnswer,
}

/// <summary>An answer that no logit oracle may give: the wrong number of vectors, a vector of the wrong length, or a non-finite logit.</summary>
public sealed class InvalidOracleAnswerException : OracleException
{
    /// <summary>Creates the exception with a message naming the prefix (when known) and the problem.</summary>
    /// <param name="problem">What is wrong.</param>
    /// <param name="prefix">The prefix whose answer is bad (null for <see cref="AnswerProblem.WrongCount"/>).</param>
    /// <param name="batchIndex">The index of that prefix in its batch, or -1.</param>
    /// <param name="entryIndex">The bad entry (token index) for NaN/∞, or -1.</param>
    /// <param name="expected">The expected count or length (k), or -1.</param>
    /// <param name="actual">The actual count or length, or -1.</param>
    /// <param name="value">The bad entry's value for NaN/∞, else NaN.</param>
    /// <param name="innerException">The cause, if any.</param>
    public InvalidOracleAnswerException(AnswerProblem problem, Prefix? prefix, int batchIndex, int entryIndex, int expected, int actual, double value = double.NaN, Exception? innerException = null)
        : base(Describe(problem, prefix, batchIndex, entryIndex, expected, actual, value), innerException)
    {
        Problem = problem;
        Prefix = prefix;
        BatchIndex = batchIndex;
        EntryIndex = entryIndex;
        Expected = expected;
        Actual = actual;
        Value = value;
    }

    /// <summary>What is wrong.</summary>
    public AnswerProblem Problem { get; }

    /// <summary>The prefix whose answer is bad (null when the whole batch is, e.g. a wrong count).</summary>
    public Prefix? Prefix { get; }

    /// <summary>The index of <see cref="Prefix"/> in its batch, or -1.</summary>
    public int BatchIndex { get; }

    /// <summary>The bad entry (token) index for NaN/∞, or -1.</summary>
    public int EntryIndex { get; }

    /// <summary>The expected count or length, or -1.</summary>
    public int Expected { get; }

    /// <summary>The actual count or length, or -1.</summary>
    public int Actual { get; }

    /// <summary>The bad value for NaN/∞ (else NaN).</summary>
    public double Value { get; }

    private static string Describe(AnswerProblem problem, Prefix? prefix, int batchIndex, int entryIndex, int expected, int actual, double value) => problem switch
    {
        AnswerProblem.WrongCount => $"The oracle returned {actual} answers for a batch of {expected} prefixes; expected one logit vector per prefix.",
        AnswerProblem.WrongLength => $"The oracle's answer for prefix {prefix} (query {batchIndex}) has {actual} entries; expected k = {expected}.",
        AnswerProblem.NaN => $"The oracle's answer for prefix {prefix} (query {batchIndex}) has NaN at token {entryIndex}; every logit must be finite.",
        AnswerProblem.Infinite => $"The oracle's answer for prefix {prefix} (query {batchIndex}) has {(double.IsPositiveInfinity(value) ? "+infinity" : "-infinity")} at token {entryIndex}; every logit must be finite (a top-k or masked answer is not a full logit vector).",
        AnswerProblem.NullAnswer => $"The oracle's answer for prefix {prefix} (query {batchIndex}) is null; expected a logit vector of length {expected}.",
        _ => $"The oracle's answer for prefix {prefix} (query {batchIndex}) is invalid ({problem}).",
    };
}

/// <summary>
/// A batch that would take the queries past the budget of a <see cref="BudgetedOracle"/>. Raised before the inner
/// oracle is called: no query of the rejected batch was made (or paid for).
/// </summary>
public sealed class QueryBudgetExceededException : OracleException
{
    /// <summary>Creates the exception; the message names the budget, the queries used and the batch size.</summary>
    public QueryBudgetExceededException(long budget, long used, long requested, QueryPhase phase, QueryCounts usedByPhase)
        : base($"Query budget exceeded: a batch of {requested} {phase} queries would bring the total to {used + requested}, above the budget of {budget} ({used} used so far: {usedByPhase}). The batch was not sent.")
    {
        Budget = budget;
        Used = used;
        Requested = requested;
        Phase = phase;
        UsedByPhase = usedByPhase ?? throw new ArgumentNullException(nameof(usedByPhase));
    }

    /// <summary>The budget: the most queries the oracle may forward.</summary>
    public long Budget { get; }

    /// <summary>The queries forwarded before the rejected batch.</summary>
    public long Used { get; }

    /// <summary>The size of the rejected batch.</summary>
    public long Requested { get; }

    /// <summary>The phase of the rejected batch.</summary>
    public QueryPhase Phase { get; }

    /// <summary>The queries forwarded before the rejected batch, by phase.</summary>
    public QueryCounts UsedByPhase { get; }
}
#pragma warning restore CA1032
