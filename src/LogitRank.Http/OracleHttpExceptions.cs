using System.Net;

namespace LogitRank.Http;

/// <summary>
/// The base of the errors of <see cref="OpenAiCompletionsOracle"/>: a request that failed for good (after the
/// retries the options allow). Carries the prefix, the HTTP status (if a response arrived), an excerpt of the
/// response body and the number of attempts made.
/// </summary>
public class OracleHttpException : Exception
{
    /// <summary>Creates an exception with no message.</summary>
    public OracleHttpException()
    {
    }

    /// <summary>Creates an exception with <paramref name="message"/>.</summary>
    public OracleHttpException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with <paramref name="message"/> caused by <paramref name="innerException"/>.</summary>
    public OracleHttpException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates an exception with its details.</summary>
    public OracleHttpException(string message, string? prefix, HttpStatusCode? statusCode, string? bodyExcerpt, int attempts, Exception? innerException = null)
        : base(message, innerException)
    {
        Prefix = prefix;
        StatusCode = statusCode;
        BodyExcerpt = bodyExcerpt;
        Attempts = attempts;
    }

    /// <summary>The queried prefix (its alphabet tokens, as <c>Prefix.ToString()</c> prints them), if known.</summary>
    public string? Prefix { get; }

    /// <summary>The HTTP status of the last response, or <see langword="null"/> if none arrived (timeout, connection error).</summary>
    public HttpStatusCode? StatusCode { get; }

    /// <summary>The first characters of the last response body, or <see langword="null"/>.</summary>
    public string? BodyExcerpt { get; }

    /// <summary>The number of attempts made for this prefix.</summary>
    public int Attempts { get; }
}

/// <summary>The server answered with a non-success status that is not retried, or kept failing until the retries ran out.</summary>
public sealed class OracleHttpStatusException : OracleHttpException
{
    /// <summary>Creates an exception with no message.</summary>
    public OracleHttpStatusException()
    {
    }

    /// <summary>Creates an exception with <paramref name="message"/>.</summary>
    public OracleHttpStatusException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with <paramref name="message"/> caused by <paramref name="innerException"/>.</summary>
    public OracleHttpStatusException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates an exception with its details.</summary>
    public OracleHttpStatusException(string message, string? prefix, HttpStatusCode statusCode, string? bodyExcerpt, int attempts)
        : base(message, prefix, statusCode, bodyExcerpt, attempts)
    {
    }
}

/// <summary>Every attempt exceeded <see cref="OpenAiCompletionsOptions.RequestTimeout"/>.</summary>
public sealed class OracleTimeoutException : OracleHttpException
{
    /// <summary>Creates an exception with no message.</summary>
    public OracleTimeoutException()
    {
    }

    /// <summary>Creates an exception with <paramref name="message"/>.</summary>
    public OracleTimeoutException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with <paramref name="message"/> caused by <paramref name="innerException"/>.</summary>
    public OracleTimeoutException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates an exception with its details.</summary>
    public OracleTimeoutException(string message, string? prefix, int attempts)
        : base(message, prefix, null, null, attempts)
    {
    }
}

/// <summary>A success response whose body is not the expected JSON; <see cref="Field"/> names the offending field.</summary>
public sealed class OracleResponseFormatException : OracleHttpException
{
    /// <summary>Creates an exception with no message.</summary>
    public OracleResponseFormatException()
    {
    }

    /// <summary>Creates an exception with <paramref name="message"/>.</summary>
    public OracleResponseFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with <paramref name="message"/> caused by <paramref name="innerException"/>.</summary>
    public OracleResponseFormatException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates an exception with its details.</summary>
    public OracleResponseFormatException(string message, string field, string? prefix, HttpStatusCode statusCode, string? bodyExcerpt, int attempts, Exception? innerException = null)
        : base(message, prefix, statusCode, bodyExcerpt, attempts, innerException) => Field = field;

    /// <summary>The JSON path of the missing or malformed field (e.g. <c>choices[0].logprobs.top_logprobs[0]</c>), or <c>$</c> for a body that is not JSON.</summary>
    public string? Field { get; }
}

/// <summary>
/// A top-N answer lacked some alphabet tokens and the policy is <see cref="MissingTokenPolicy.Reject"/>. Raise
/// <see cref="OpenAiCompletionsOptions.LogprobsCount"/> (and the server's limit) or choose
/// <see cref="MissingTokenPolicy.FloorAtMinimum"/>.
/// </summary>
public sealed class IncompleteVocabularyException : OracleHttpException
{
    /// <summary>Creates an exception with no message.</summary>
    public IncompleteVocabularyException()
    {
    }

    /// <summary>Creates an exception with <paramref name="message"/>.</summary>
    public IncompleteVocabularyException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with <paramref name="message"/> caused by <paramref name="innerException"/>.</summary>
    public IncompleteVocabularyException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates an exception with its details.</summary>
    public IncompleteVocabularyException(string message, string prefix, IReadOnlyList<int> missingTokens, int returnedEntries, int attempts)
        : base(message, prefix, HttpStatusCode.OK, null, attempts)
    {
        MissingTokens = missingTokens;
        ReturnedEntries = returnedEntries;
    }

    /// <summary>The alphabet tokens (not model ids) absent from the answer, ascending.</summary>
    public IReadOnlyList<int> MissingTokens { get; } = [];

    /// <summary>How many log-probability entries the server returned.</summary>
    public int ReturnedEntries { get; }
}

/// <summary>Which rule an impossible answer broke (proofs-notes/http-oracle.md, "Answer check").</summary>
public enum AnswerViolation
{
    /// <summary>A value is more than <see cref="OpenAiCompletionsOracle.LogProbabilitySlack"/> above 0, so it is no log-probability.</summary>
    LogProbabilityAboveZero = 1,

    /// <summary>A token id is listed twice with different values (an identical repeat is accepted and counted once).</summary>
    ConflictingDuplicate = 2,

    /// <summary>The returned probabilities of distinct tokens sum to more than <c>1 + OpenAiCompletionsOptions.ProbabilitySumTolerance</c>.</summary>
    ProbabilitySumAboveOne = 3,
}

/// <summary>
/// A success response of the right shape whose numbers cannot be next-token log-probabilities of any model: a
/// positive log-probability, a token listed twice with different values, or probabilities summing to more than 1.
/// Not retried (the server would have to be fixed); <see cref="Field"/> and <see cref="Value"/> name the offending value.
/// </summary>
public sealed class ImpossibleAnswerException : OracleHttpException
{
    /// <summary>Creates an exception with no message.</summary>
    public ImpossibleAnswerException()
    {
    }

    /// <summary>Creates an exception with <paramref name="message"/>.</summary>
    public ImpossibleAnswerException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with <paramref name="message"/> caused by <paramref name="innerException"/>.</summary>
    public ImpossibleAnswerException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates an exception with its details.</summary>
    /// <param name="message">The message, naming the prefix, the rule, the field and the value.</param>
    /// <param name="violation">The rule broken.</param>
    /// <param name="field">The JSON path of the offending value (for a sum: of the list that holds the entries).</param>
    /// <param name="value">The offending value: the log-probability, the second of two differing values, or the sum of probabilities.</param>
    /// <param name="prefix">The queried prefix.</param>
    /// <param name="bodyExcerpt">The first characters of the body.</param>
    /// <param name="attempts">The attempts made for this prefix.</param>
    public ImpossibleAnswerException(string message, AnswerViolation violation, string field, double value, string? prefix, string? bodyExcerpt, int attempts)
        : base(message, prefix, HttpStatusCode.OK, bodyExcerpt, attempts)
    {
        Violation = violation;
        Field = field;
        Value = value;
    }

    /// <summary>The rule broken.</summary>
    public AnswerViolation Violation { get; }

    /// <summary>The JSON path of the offending value.</summary>
    public string? Field { get; }

    /// <summary>The offending value (see the constructor).</summary>
    public double Value { get; }
}
