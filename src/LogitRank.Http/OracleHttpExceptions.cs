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
