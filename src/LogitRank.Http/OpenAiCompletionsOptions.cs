namespace LogitRank.Http;

/// <summary>The wire format of the completions server.</summary>
public enum CompletionsDialect
{
    /// <summary>
    /// OpenAI-style <c>POST v1/completions</c> as served by vLLM: <c>prompt</c> as an array of token ids,
    /// <c>max_tokens: 1</c>, <c>logprobs: N</c>, <c>return_tokens_as_token_ids: true</c>; the answer is read from
    /// <c>choices[0].logprobs.top_logprobs[0]</c>, an object whose keys are <c>"token_id:ID"</c>.
    /// </summary>
    OpenAi = 0,

    /// <summary>
    /// llama.cpp server's native <c>POST completion</c>: <c>prompt</c> as token ids, <c>n_predict: 1</c>,
    /// <c>n_probs: N</c>; the answer is read from <c>completion_probabilities[0].top_logprobs[*]</c> (<c>id</c>, <c>logprob</c>).
    /// </summary>
    LlamaCpp = 1,
}

/// <summary>What to do when the server returns fewer next-token log-probabilities than the alphabet needs (a top-N answer).</summary>
public enum MissingTokenPolicy
{
    /// <summary>Throw <see cref="IncompleteVocabularyException"/> naming the prefix and the missing alphabet tokens (the default: the oracle stays exact).</summary>
    Reject = 0,

    /// <summary>
    /// Give each of the <c>m</c> missing alphabet tokens the log-probability <c>min(log p_min, log(μ/m))</c>, where
    /// <c>p_min</c> is the smallest returned probability and <c>μ = 1 - Σ returned p</c> the unreturned mass. Every
    /// unreturned token truly has probability at most <c>p_min</c>, and together at most <c>μ</c>, so the fill never
    /// exceeds either bound; the answer is then approximate: its total-variation distance from the model's
    /// distribution is at most <c>3μ/(2(1-μ))</c>, but a missing token's log-probability can be arbitrarily far off
    /// (see <c>proofs-notes/http-oracle.md</c>). <see cref="OpenAiCompletionsOracle.Statistics"/> reports the
    /// largest <c>μ</c> seen, and the oracle's <see cref="LogitRank.Oracles.IApproximationReport"/> (the filled tokens of
    /// each answer) lets the certificates cover the distance to the server's model: <c>LogitRankPipeline.LearnAndCertify</c>
    /// uses it when given this oracle directly, or through <c>CertificationOptions.Approximation</c> when the oracle is
    /// wrapped (e.g. in a persistent cache). See <c>proofs-notes/oracle-approximation.md</c>.
    /// </summary>
    FloorAtMinimum = 1,
}

/// <summary>
/// How to drive an OpenAI-compatible completions server (vLLM, llama.cpp server) as a logit oracle over
/// <c>Σ^T</c>, <c>Σ = {0..k-1}</c>. For a prefix <c>y_1..y_t</c> the oracle sends the prompt
/// <c>[BOS, TokenIds[y_1], ..., TokenIds[y_t]]</c> as token ids, asks for one generated token with the top
/// <see cref="LogprobsCount"/> log-probabilities at temperature 0, and centers the log-probabilities of
/// <c>TokenIds[0..k-1]</c> (a subset of the vocabulary gives the distribution conditioned on the subset).
/// </summary>
public sealed record OpenAiCompletionsOptions
{
    /// <summary>The server's base address, e.g. <c>http://127.0.0.1:8000/</c>.</summary>
    public required Uri BaseAddress { get; init; }

    /// <summary>The horizon <c>T</c>: queried prefixes have length <c>0..T-1</c>.</summary>
    public required int Horizon { get; init; }

    /// <summary>The model vocabulary id of each alphabet token (<c>k = TokenIds.Count &gt;= 2</c>, distinct, non-negative).</summary>
    public required IReadOnlyList<int> TokenIds { get; init; }

    /// <summary>The wire format (default <see cref="CompletionsDialect.OpenAi"/>).</summary>
    public CompletionsDialect Dialect { get; init; } = CompletionsDialect.OpenAi;

    /// <summary>The request path relative to <see cref="BaseAddress"/>; <see langword="null"/> for the dialect's default (<c>v1/completions</c> or <c>completion</c>).</summary>
    public string? Endpoint { get; init; }

    /// <summary>The <c>model</c> field of the request, or <see langword="null"/> to omit it.</summary>
    public string? Model { get; init; }

    /// <summary>
    /// The beginning-of-sequence id prepended to every prompt, or <see langword="null"/> for none (then the empty
    /// prefix cannot be queried). Servers that add BOS themselves when tokenising text do not do so for id prompts.
    /// </summary>
    public int? BosId { get; init; }

    /// <summary>
    /// How many top log-probabilities to request (<c>logprobs</c> / <c>n_probs</c>); <see langword="null"/> means
    /// <c>k</c>. To be exact with a whole-vocabulary alphabet this must be at least <c>k</c> and the server must allow
    /// it (vLLM: <c>--max-logprobs</c>); with a subset alphabet, ask for the whole vocabulary size.
    /// </summary>
    public int? LogprobsCount { get; init; }

    /// <summary>What to do with a top-N answer that misses alphabet tokens (default <see cref="MissingTokenPolicy.Reject"/>).</summary>
    public MissingTokenPolicy MissingTokens { get; init; } = MissingTokenPolicy.Reject;

    /// <summary>
    /// How far above 1 the returned probabilities <c>Σ exp(logprob)</c> (distinct ids) may sum before the answer is
    /// rejected as impossible (<see cref="ImpossibleAnswerException"/>, <see cref="AnswerViolation.ProbabilitySumAboveOne"/>).
    /// Default <c>1e-3</c>: a float32 log-softmax printed in full is off by far less, while an answer that lists every
    /// token at log-probability 0 sums to <c>N &gt;= 2</c>. Must lie in <c>[0, 1)</c>.
    /// </summary>
    public double ProbabilitySumTolerance { get; init; } = 1e-3;

    /// <summary>At most this many requests are in flight at once (default 8).</summary>
    public int MaxConcurrency { get; init; } = 8;

    /// <summary>Each attempt (request and response body) is abandoned after this long and counts as a failed attempt (default 30 s).</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Retries after the first attempt for transient failures: 408, 429, 5xx, timeouts and connection errors
    /// (default 3, so at most 4 attempts per prefix). Other statuses and malformed bodies are not retried.
    /// </summary>
    public int MaxRetries { get; init; } = 3;

    /// <summary>Backoff before retry <c>n = 0, 1, ...</c>: <c>min(BackoffMax, BackoffBase · 2^n) · (1 + U)/2</c>, <c>U ~ Uniform[0,1)</c> (default 200 ms).</summary>
    public TimeSpan BackoffBase { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The cap on the exponential backoff (default 10 s).</summary>
    public TimeSpan BackoffMax { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// A retryable answer (429, 503, ...) with a <c>Retry-After</c> header (seconds or an HTTP date) is retried after
    /// exactly that wait instead of the backoff; a longer demand than this fails at once with
    /// <see cref="OracleHttpStatusException"/> instead of waiting (default 60 s).
    /// </summary>
    public TimeSpan MaxRetryAfter { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The seed of the backoff jitter (the schedule of waits is reproducible for a fixed order of failures).</summary>
    public int JitterSeed { get; init; }

    /// <summary>Sent as <c>Authorization: Bearer ...</c> when set.</summary>
    public string? ApiKey { get; init; }

    /// <summary>The wait between attempts; tests replace it to record waits. Defaults to <see cref="Task.Delay(TimeSpan, CancellationToken)"/>.</summary>
    internal Func<TimeSpan, CancellationToken, Task>? DelayOverride { get; init; }
}
