using System.Globalization;
using System.Net;
using System.Runtime.ExceptionServices;
using System.Text;
using LogitRank.Numerics;
using LogitRank.Oracles;
using LogitRank.Sequences;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace LogitRank.Http;

/// <summary>Counters of an <see cref="OpenAiCompletionsOracle"/> since its creation.</summary>
/// <param name="Requests">HTTP attempts sent (first tries and retries).</param>
/// <param name="Retries">Attempts that were retries.</param>
/// <param name="ApproximatedAnswers">Answers completed by <see cref="MissingTokenPolicy.FloorAtMinimum"/> (not exact).</param>
/// <param name="MaxMissingMass">The largest unreturned probability mass <c>μ</c> among those answers (0 if none).</param>
public sealed record HttpOracleStatistics(long Requests, long Retries, long ApproximatedAnswers, double MaxMissingMass);

/// <summary>
/// A logit oracle over an OpenAI-compatible completions server (vLLM, llama.cpp server):
/// <c>Query(h)[a] = center_a( log p(TokenIds[a] | [BOS] ∘ TokenIds[h]) )</c>, read from the top-N
/// log-probabilities of one generated token (see <see cref="OpenAiCompletionsOptions"/>).
/// </summary>
/// <remarks>
/// <para>
/// A batch's prefixes are requested concurrently (at most <see cref="OpenAiCompletionsOptions.MaxConcurrency"/> in
/// flight across all callers); each attempt has a timeout; 408, 429, 5xx, timeouts and connection errors are
/// retried with seeded exponential backoff with jitter, honouring <c>Retry-After</c>. The first failure of a batch
/// cancels its other requests and is thrown as a typed <see cref="OracleHttpException"/>.
/// </para>
/// <para>
/// Exactness: with every alphabet token in the answer, the result is the server's distribution (conditioned on the
/// alphabet when it is a strict subset of the vocabulary) up to the server's own arithmetic. Servers batch requests,
/// so a repeated query may differ in the last float bits; wrap the oracle in a caching decorator so that repeated
/// queries agree, as the analysis assumes.
/// </para>
/// </remarks>
public sealed class OpenAiCompletionsOracle : ILogitOracle, IApproximationReport, IDisposable
{
    /// <summary>
    /// How far above 0 a returned log-probability may be and still be read as a log-probability (then clamped to 0):
    /// servers compute in float32 and print rounded numbers, which can put a probability-1 token a few ulps above 0.
    /// A larger value is an <see cref="ImpossibleAnswerException"/> (<see cref="AnswerViolation.LogProbabilityAboveZero"/>).
    /// </summary>
    public const double LogProbabilitySlack = 1e-4;

    private const int ExcerptLength = 200;
    private readonly OpenAiCompletionsOptions _options;
    private readonly HttpClient _client;
    private readonly SemaphoreSlim _gate;
    private readonly Uri _endpoint;
    private readonly Dictionary<int, int> _alphabetOfId;
    private readonly ILogger _logger;
    private readonly Random _jitter;
    private readonly Lock _jitterLock = new();
    private readonly Lock _statsLock = new();
    private long _requests;
    private long _retries;
    private long _approximated;
    private double _maxMissingMass;
    private double _maxFilledMass;
    private readonly Dictionary<Prefix, AnswerRecord> _answers = [];
    private bool _disposed;

    /// <summary>Creates the oracle; <paramref name="handler"/> (not disposed by the oracle) replaces the default socket handler, e.g. in tests.</summary>
    /// <exception cref="ArgumentException">An option is out of range (the message names it and the expected range).</exception>
    public OpenAiCompletionsOracle(OpenAiCompletionsOptions options, HttpMessageHandler? handler = null, ILogger<OpenAiCompletionsOracle>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        Validate(options);
        _options = options;
        _alphabetOfId = options.TokenIds.Select((id, a) => (id, a)).ToDictionary(p => p.id, p => p.a);
        _client = handler is null ? new HttpClient() : new HttpClient(handler, disposeHandler: false);
        _client.Timeout = Timeout.InfiniteTimeSpan; // each attempt has its own timeout
        _gate = new SemaphoreSlim(options.MaxConcurrency, options.MaxConcurrency);
        var baseAddress = options.BaseAddress.AbsoluteUri.EndsWith('/') ? options.BaseAddress : new Uri(options.BaseAddress.AbsoluteUri + "/");
        _endpoint = new Uri(baseAddress, options.Endpoint ?? CompletionsProtocol.DefaultEndpoint(options.Dialect));
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _jitter = new Random(options.JitterSeed);
    }

    /// <inheritdoc/>
    public int AlphabetSize => _options.TokenIds.Count;

    /// <inheritdoc/>
    public int Horizon => _options.Horizon;

    /// <summary>The options the oracle was built with.</summary>
    public OpenAiCompletionsOptions Options => _options;

    /// <summary>The absolute URI requests are posted to.</summary>
    public Uri Endpoint => _endpoint;

    /// <summary>Requests, retries and approximated answers so far.</summary>
    public HttpOracleStatistics Statistics
    {
        get
        {
            lock (_statsLock)
            {
                return new HttpOracleStatistics(Interlocked.Read(ref _requests), Interlocked.Read(ref _retries), _approximated, _maxMissingMass);
            }
        }
    }

    /// <summary>Whether answers can be approximate: true exactly under <see cref="MissingTokenPolicy.FloorAtMinimum"/>.</summary>
    public bool MayApproximate => _options.MissingTokens == MissingTokenPolicy.FloorAtMinimum;

    /// <summary>Answers completed by <see cref="MissingTokenPolicy.FloorAtMinimum"/> so far.</summary>
    public long ApproximatedAnswers
    {
        get
        {
            lock (_statsLock)
            {
                return _approximated;
            }
        }
    }

    /// <summary>
    /// The largest total probability <c>q(F)</c> that a completed answer (after centering) gives its filled tokens: a
    /// bound on the total-variation distance between that answer and the server's distribution (conditioned on the
    /// alphabet), by the lemma of proofs-notes/http-oracle.md. 0 when no answer was completed.
    /// </summary>
    public double MaxFilledMass
    {
        get
        {
            lock (_statsLock)
            {
                return _maxFilledMass;
            }
        }
    }

    /// <summary>
    /// The alphabet tokens filled in by <see cref="MissingTokenPolicy.FloorAtMinimum"/> in <paramref name="answer"/>:
    /// empty under <see cref="MissingTokenPolicy.Reject"/>; the recorded set when <paramref name="answer"/> is (bit for
    /// bit) this oracle's latest answer at <paramref name="prefix"/>; otherwise (an answer from a persistent cache
    /// written by an earlier process, or a server that answered differently since) every token at the answer's
    /// minimum value, which contains the filled tokens (they share the smallest value) and so keeps the contract of
    /// <see cref="IApproximationReport"/>.
    /// </summary>
    /// <param name="prefix">The queried prefix.</param>
    /// <param name="answer">The answer given at <paramref name="prefix"/>.</param>
    /// <returns>The filled (or possibly filled) alphabet tokens, ascending.</returns>
    public IReadOnlyList<int> FilledTokens(Prefix prefix, LogitVector answer)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        ArgumentNullException.ThrowIfNull(answer);
        if (!MayApproximate)
        {
            return [];
        }

        lock (_statsLock)
        {
            if (_answers.TryGetValue(prefix, out var record) && record.Answer.Values.SequenceEqual(answer.Values))
            {
                return record.Filled;
            }
        }

        var values = answer.Values;
        var min = double.PositiveInfinity;
        foreach (var v in values)
        {
            min = Math.Min(min, v);
        }

        var atMin = new List<int>();
        for (var a = 0; a < values.Length; a++)
        {
            if (values[a] == min)
            {
                atMin.Add(a);
            }
        }

        return atMin;
    }

    /// <inheritdoc/>
    /// <remarks>Runs the batch's requests concurrently and blocks until all are answered (or the first fails).</remarks>
    /// <exception cref="ArgumentException">A prefix is longer than <c>T-1</c>, has a token outside <c>0..k-1</c>, or is empty without a BOS id.</exception>
    /// <exception cref="OracleHttpException">A request failed for good (see the derived types).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public IReadOnlyList<LogitVector> Query(IReadOnlyList<Prefix> prefixes, QueryPhase phase = QueryPhase.Other, CancellationToken cancellationToken = default) =>
        QueryAsync(prefixes, cancellationToken).ConfigureAwait(false).GetAwaiter().GetResult();

    /// <summary>The asynchronous form of <see cref="Query"/>.</summary>
    /// <param name="prefixes">The prefixes, each of length at most <c>T-1</c>.</param>
    /// <param name="cancellationToken">Cancels every outstanding request of the batch.</param>
    /// <returns>Element <c>i</c> is the centered next-token logits after <c>prefixes[i]</c>.</returns>
    public async Task<IReadOnlyList<LogitVector>> QueryAsync(IReadOnlyList<Prefix> prefixes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prefixes);
        ObjectDisposedException.ThrowIf(_disposed, this);
        for (var i = 0; i < prefixes.Count; i++)
        {
            if (PrefixError(prefixes[i], i) is { } error)
            {
                throw new ArgumentException(error, nameof(prefixes));
            }
        }

        cancellationToken.ThrowIfCancellationRequested();
        using var batch = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var tasks = new Task<LogitVector>[prefixes.Count];
        for (var i = 0; i < tasks.Length; i++)
        {
            tasks[i] = QueryOneCancellingOthersAsync(prefixes[i], batch);
        }

        try
        {
            return await Task.WhenAll(tasks).ConfigureAwait(false);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            // Throw the first real failure (lowest index), not the cancellations it caused in the others.
            var first = tasks
                .Where(t => t.IsFaulted)
                .Select(t => t.Exception!.InnerException!)
                .FirstOrDefault(e => e is not OperationCanceledException);
            if (first is not null)
            {
                ExceptionDispatchInfo.Throw(first);
            }

            throw;
        }
    }

    /// <summary>Releases the HTTP client (not an injected handler) and the concurrency gate.</summary>
    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            _client.Dispose();
            _gate.Dispose();
        }
    }

    private static void Validate(OpenAiCompletionsOptions o)
    {
        ArgumentNullException.ThrowIfNull(o.BaseAddress, nameof(o));
        ArgumentNullException.ThrowIfNull(o.TokenIds, nameof(o));
        if (!o.BaseAddress.IsAbsoluteUri || (o.BaseAddress.Scheme != Uri.UriSchemeHttp && o.BaseAddress.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException($"BaseAddress '{o.BaseAddress}' must be an absolute http or https URI.", nameof(o));
        }

        Check(o.Horizon >= 1, $"Horizon T = {o.Horizon}; expected T >= 1.");
        Check(o.TokenIds.Count >= 2, $"TokenIds has {o.TokenIds.Count} entries; the alphabet needs k >= 2.");
        var seen = new HashSet<int>();
        for (var a = 0; a < o.TokenIds.Count; a++)
        {
            Check(o.TokenIds[a] >= 0, $"TokenIds[{a}] = {o.TokenIds[a]}; model ids must be non-negative.");
            Check(seen.Add(o.TokenIds[a]), $"TokenIds[{a}] = {o.TokenIds[a]} repeats an earlier id; the mapping must be injective.");
        }

        Check(o.BosId is null or >= 0, $"BosId = {o.BosId}; expected a non-negative id or null.");
        Check(o.LogprobsCount is null or >= 1, $"LogprobsCount = {o.LogprobsCount}; expected at least 1 or null.");
        Check(o.MaxConcurrency >= 1, $"MaxConcurrency = {o.MaxConcurrency}; expected at least 1.");
        Check(o.RequestTimeout > TimeSpan.Zero, $"RequestTimeout = {o.RequestTimeout}; expected a positive duration.");
        Check(o.MaxRetries >= 0, $"MaxRetries = {o.MaxRetries}; expected 0 or more.");
        Check(o.BackoffBase >= TimeSpan.Zero && o.BackoffMax >= o.BackoffBase, $"BackoffBase = {o.BackoffBase}, BackoffMax = {o.BackoffMax}; expected 0 <= base <= max.");
        Check(o.MaxRetryAfter >= TimeSpan.Zero, $"MaxRetryAfter = {o.MaxRetryAfter}; expected 0 or more.");
        Check(o.ProbabilitySumTolerance >= 0 && o.ProbabilitySumTolerance < 1, $"ProbabilitySumTolerance = {o.ProbabilitySumTolerance}; expected a number in [0, 1).");
        Check(Enum.IsDefined(o.Dialect) && Enum.IsDefined(o.MissingTokens), $"Dialect = {o.Dialect}, MissingTokens = {o.MissingTokens}; expected defined values.");

        static void Check(bool ok, string message)
        {
            if (!ok)
            {
                throw new ArgumentException(message, nameof(o));
            }
        }
    }

    private static string Excerpt(string? body) =>
        body is null ? string.Empty : body.Length <= ExcerptLength ? body : body[..ExcerptLength] + "…";

    private static TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        }

        if (header?.Date is { } date)
        {
            var wait = date - DateTimeOffset.UtcNow;
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }

        return null;
    }

    private string? PrefixError(Prefix prefix, int index)
    {
        if (prefix is null)
        {
            return $"Prefix {index} is null.";
        }

        if (prefix.Length > Horizon - 1)
        {
            return $"Prefix {index} has length {prefix.Length}; the oracle answers prefixes of length at most T-1 = {Horizon - 1}.";
        }

        if (prefix.Length == 0 && _options.BosId is null)
        {
            return $"Prefix {index} is empty, but no BOS id is configured, so the prompt would be empty.";
        }

        var tokens = prefix.Tokens;
        for (var j = 0; j < tokens.Length; j++)
        {
            if ((uint)tokens[j] >= (uint)AlphabetSize)
            {
                return $"Prefix {index} has token {tokens[j]} at position {j}; tokens must lie in 0..{AlphabetSize - 1}.";
            }
        }

        return null;
    }

    private async Task<LogitVector> QueryOneCancellingOthersAsync(Prefix prefix, CancellationTokenSource batch)
    {
        try
        {
            return await QueryOneAsync(prefix, batch.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await batch.CancelAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task<LogitVector> QueryOneAsync(Prefix prefix, CancellationToken cancellationToken)
    {
        var prompt = new List<int>(prefix.Length + 1);
        if (_options.BosId is { } bos)
        {
            prompt.Add(bos);
        }

        foreach (var token in prefix.Tokens)
        {
            prompt.Add(_options.TokenIds[token]);
        }

        var body = CompletionsProtocol.BuildRequest(_options.Dialect, _options.Model, prompt, _options.LogprobsCount ?? AlphabetSize);
        var name = prefix.ToString();
        for (var attempt = 1; ; attempt++)
        {
            var outcome = await SendAsync(body, cancellationToken).ConfigureAwait(false);
            if (outcome.Body is { } text && outcome.Status == HttpStatusCode.OK)
            {
                return Answer(text, prefix, name, attempt);
            }

            var retriesLeft = attempt <= _options.MaxRetries;
            var tooLong = outcome.RetryAfter > _options.MaxRetryAfter;
            if (!outcome.Retryable || !retriesLeft || tooLong)
            {
                throw Failure(outcome, name, attempt, tooLong);
            }

            var wait = outcome.RetryAfter ?? Backoff(attempt - 1);
            _logger.LogWarning(
                "Attempt {Attempt} for prefix {Prefix} failed ({Reason}); retrying in {Wait} ms.",
                attempt,
                name,
                outcome.Describe(),
                wait.TotalMilliseconds);
            Interlocked.Increment(ref _retries);
            await (_options.DelayOverride ?? Task.Delay)(wait, cancellationToken).ConfigureAwait(false);
        }
    }

    private TimeSpan Backoff(int retry)
    {
        double u;
        lock (_jitterLock)
        {
            u = _jitter.NextDouble();
        }

        var exponential = _options.BackoffBase.TotalMilliseconds * Math.Pow(2, Math.Min(retry, 30));
        var capped = Math.Min(_options.BackoffMax.TotalMilliseconds, exponential);
        return TimeSpan.FromMilliseconds(capped * (1 + u) / 2);
    }

    private async Task<Outcome> SendAsync(string body, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            Interlocked.Increment(ref _requests);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_options.RequestTimeout);
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, _endpoint) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
                if (_options.ApiKey is { } key)
                {
                    request.Headers.Authorization = new("Bearer", key);
                }

                using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
                var text = await response.Content.ReadAsStringAsync(timeout.Token).ConfigureAwait(false);
                var status = response.StatusCode;
                if (response.IsSuccessStatusCode)
                {
                    return new Outcome(HttpStatusCode.OK, text, null, Retryable: false, TimedOut: false, null);
                }

                var retryable = status is HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout || (int)status >= 500;
                return new Outcome(status, text, RetryAfter(response), retryable, TimedOut: false, null);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return new Outcome(null, null, null, Retryable: true, TimedOut: true, null);
            }
            catch (HttpRequestException e)
            {
                return new Outcome(null, null, null, Retryable: true, TimedOut: false, e);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private LogitVector Answer(string body, Prefix parsedPrefix, string prefix, int attempts)
    {
        IReadOnlyList<ReturnedEntry> entries;
        try
        {
            entries = CompletionsProtocol.ParseResponse(_options.Dialect, body);
        }
        catch (FormatException e)
        {
            var field = e.Data["field"] as string ?? "$";
            throw new OracleResponseFormatException(
                $"The server's answer for prefix {prefix} is malformed: {e.Message} Body: {Excerpt(body)}",
                field,
                prefix,
                HttpStatusCode.OK,
                Excerpt(body),
                attempts,
                e);
        }

        var k = AlphabetSize;
        var logprobs = new double[k];
        var found = new bool[k];
        var returned = CheckAnswer(entries, prefix, body, attempts);
        var returnedMass = 0.0;
        var minLogprob = 0.0;
        foreach (var (id, logprob) in returned)
        {
            returnedMass += Math.Exp(logprob);
            minLogprob = Math.Min(minLogprob, logprob);
            if (_alphabetOfId.TryGetValue(id, out var a))
            {
                logprobs[a] = logprob;
                found[a] = true;
            }
        }

        var missing = Enumerable.Range(0, k).Where(a => !found[a]).ToArray();
        if (missing.Length > 0 && (_options.MissingTokens == MissingTokenPolicy.Reject || returned.Count == 0))
        {
            var shown = string.Join(", ", missing.Take(20).Select(a => string.Create(CultureInfo.InvariantCulture, $"{a} (id {_options.TokenIds[a]})")));
            throw new IncompleteVocabularyException(
                $"The server returned {returned.Count} log-probabilities for prefix {prefix}, missing {missing.Length} of the {k} alphabet tokens: {shown}{(missing.Length > 20 ? ", ..." : string.Empty)}. Request more (LogprobsCount, and the server's limit, e.g. vLLM --max-logprobs) or use MissingTokenPolicy.FloorAtMinimum.",
                prefix,
                missing,
                returned.Count,
                attempts);
        }

        double mu = 0;
        if (missing.Length > 0)
        {
            // FloorAtMinimum: each unreturned token has p <= p_min, and all of them together p <= μ.
            mu = Math.Clamp(1 - returnedMass, 0, 1);
            var fill = Math.Min(minLogprob, Math.Log(Math.Max(mu, 1e-300) / missing.Length));
            foreach (var a in missing)
            {
                logprobs[a] = fill;
            }
        }

        var answer = LogitVector.FromLogits(logprobs);
        if (MayApproximate)
        {
            var filledMass = 0.0;
            if (missing.Length > 0)
            {
                var q = answer.Probabilities();
                filledMass = Math.Min(1.0, missing.Sum(a => q[a]));
            }

            lock (_statsLock)
            {
                _answers[parsedPrefix] = new AnswerRecord(answer, missing);
                if (missing.Length > 0)
                {
                    _approximated++;
                    _maxMissingMass = Math.Max(_maxMissingMass, mu);
                    _maxFilledMass = Math.Max(_maxFilledMass, filledMass);
                }
            }
        }

        return answer;
    }

    /// <summary>
    /// The answer check of proofs-notes/http-oracle.md: every value a log-probability (at most
    /// <see cref="LogProbabilitySlack"/> above 0, then clamped to 0), a repeated id only with the identical value (counted
    /// once), and the returned probabilities summing to at most <c>1 + ProbabilitySumTolerance</c>.
    /// </summary>
    /// <returns>The distinct (id, log-probability) pairs, in the order first listed.</returns>
    private List<KeyValuePair<int, double>> CheckAnswer(IReadOnlyList<ReturnedEntry> entries, string prefix, string body, int attempts)
    {
        var distinct = new List<KeyValuePair<int, double>>(entries.Count);
        var first = new Dictionary<int, ReturnedEntry>(entries.Count);
        var sum = 0.0;
        foreach (var entry in entries)
        {
            if (entry.LogProbability > LogProbabilitySlack)
            {
                throw Impossible(AnswerViolation.LogProbabilityAboveZero, entry.Field, entry.LogProbability, prefix, body, attempts,
                    string.Create(CultureInfo.InvariantCulture, $"the log-probability of id {entry.Id} is {entry.LogProbability:R}; a log-probability is <= 0 (allowed rounding: {LogProbabilitySlack:R})"));
            }

            if (first.TryGetValue(entry.Id, out var earlier))
            {
                if (earlier.LogProbability != entry.LogProbability)
                {
                    throw Impossible(AnswerViolation.ConflictingDuplicate, entry.Field, entry.LogProbability, prefix, body, attempts,
                        string.Create(CultureInfo.InvariantCulture, $"id {entry.Id} is listed twice with different log-probabilities, {earlier.LogProbability:R} at '{earlier.Field}' and {entry.LogProbability:R}; a repeat must carry the identical number"));
                }

                continue; // an identical repeat says nothing new: counted once
            }

            first[entry.Id] = entry;
            var logprob = Math.Min(entry.LogProbability, 0.0);
            distinct.Add(new(entry.Id, logprob));
            sum += Math.Exp(logprob);
        }

        if (sum > 1 + _options.ProbabilitySumTolerance)
        {
            throw Impossible(AnswerViolation.ProbabilitySumAboveOne, entries.Count == 0 ? "$" : CommonField(entries[0].Field), sum, prefix, body, attempts,
                string.Create(CultureInfo.InvariantCulture, $"the {distinct.Count} returned probabilities sum to {sum:R}; they are probabilities of distinct tokens, so the sum is at most 1 (allowed rounding: {_options.ProbabilitySumTolerance:R})"));
        }

        return distinct;
    }

    private static string CommonField(string entryField)
    {
        // The list that holds the entries: "...top_logprobs[0][\"token_id:5\"]" -> "...top_logprobs[0]"; "...top_logprobs[3].logprob" -> "...top_logprobs".
        var cut = entryField.EndsWith(".logprob", StringComparison.Ordinal) ? entryField.LastIndexOf('[') : entryField.LastIndexOf("[\"", StringComparison.Ordinal);
        return cut > 0 ? entryField[..cut] : entryField;
    }

    private static ImpossibleAnswerException Impossible(AnswerViolation violation, string field, double value, string prefix, string body, int attempts, string detail) =>
        new($"The server's answer for prefix {prefix} is impossible: {detail} (field '{field}'). Body: {Excerpt(body)}", violation, field, value, prefix, Excerpt(body), attempts);

    private OracleHttpException Failure(Outcome outcome, string prefix, int attempts, bool retryAfterTooLong)
    {
        if (outcome.TimedOut)
        {
            return new OracleTimeoutException(
                $"Every one of {attempts} attempts for prefix {prefix} exceeded the request timeout of {_options.RequestTimeout.TotalMilliseconds} ms.",
                prefix,
                attempts);
        }

        if (outcome.Status is not { } status)
        {
            return new OracleHttpException(
                $"The request for prefix {prefix} to {_endpoint} failed after {attempts} attempts: {outcome.Error?.Message}",
                prefix,
                null,
                null,
                attempts,
                outcome.Error);
        }

        var reason = retryAfterTooLong
            ? $"the server asked to retry after {outcome.RetryAfter!.Value.TotalSeconds} s, more than MaxRetryAfter = {_options.MaxRetryAfter.TotalSeconds} s"
            : outcome.Retryable ? $"still failing after {attempts} attempts" : "not retried";
        return new OracleHttpStatusException(
            $"The server answered {(int)status} ({status}) for prefix {prefix} ({reason}). Body: {Excerpt(outcome.Body)}",
            prefix,
            status,
            Excerpt(outcome.Body),
            attempts);
    }

    private sealed record AnswerRecord(LogitVector Answer, int[] Filled);

    private sealed record Outcome(HttpStatusCode? Status, string? Body, TimeSpan? RetryAfter, bool Retryable, bool TimedOut, Exception? Error)
    {
        public string Describe() =>
            TimedOut ? "timeout"
            : Status is { } s ? string.Create(CultureInfo.InvariantCulture, $"HTTP {(int)s}{(RetryAfter is { } r ? $", Retry-After {r.TotalSeconds} s" : string.Empty)}")
            : $"connection error: {Error?.Message}";
    }
}
