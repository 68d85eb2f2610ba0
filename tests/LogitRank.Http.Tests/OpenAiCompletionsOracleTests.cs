using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using LogitRank.Models;
using LogitRank.Numerics;
using LogitRank.Oracles;
using LogitRank.Sequences;

namespace LogitRank.Http.Tests;

public sealed partial class OpenAiCompletionsOracleTests
{
    // The server sends the model's float64 log-probabilities as shortest round-trip JSON numbers, so the client
    // sees the same doubles; re-centering them costs a few ulps of values of magnitude <= ~10: 1e-9 is far above
    // that and far below any real discrepancy (a wrong token mapping moves entries by O(1)).
    private const double Exact = 1e-9;

    // Every test is bounded: xunit cancels after this many milliseconds, and client timeouts/backoffs are short.
    private const int TestTimeout = 20_000;

    private const int Bos = 7;
    private const int K = 4;
    private const int T = 4;

    // Alphabet token a is model id 100 + 3a: a mapping that is not the identity, so a mix-up shows.
    private static readonly int[] Ids = [100, 103, 106, 109];

    private static readonly TimeVaryingIsan Model = TimeVaryingIsan.Random(K, T, stateDimension: 3, seed: 11, logitScale: 2.0);

    private static List<Prefix> AllPrefixes(int maxLength) =>
        Enumerable.Range(0, maxLength + 1).SelectMany(t => SequenceSpace.All(K, t)).ToList();

    private static OpenAiCompletionsOptions Options(FakeCompletionsServer server, ConcurrentQueue<TimeSpan>? waits = null) => new()
    {
        BaseAddress = server.BaseAddress,
        Horizon = T,
        TokenIds = Ids,
        BosId = Bos,
        // Generous for the tests that are not about timeouts, so that a loaded machine does not turn into retries.
        RequestTimeout = TimeSpan.FromSeconds(5),
        BackoffBase = TimeSpan.FromMilliseconds(10),
        BackoffMax = TimeSpan.FromMilliseconds(80),
        MaxRetries = 3,
        DelayOverride = waits is null ? null : (wait, ct) =>
        {
            waits.Enqueue(wait);
            return Task.Delay(1, ct);
        },
    };

    private static void AssertExact(List<Prefix> prefixes, IReadOnlyList<LogitVector> answers)
    {
        Assert.Equal(prefixes.Count, answers.Count);
        for (var i = 0; i < prefixes.Count; i++)
        {
            var expected = Model.NextTokenLogits(prefixes[i]);
            Assert.True(answers[i].MaxAbsDifference(expected) <= Exact, $"prefix {prefixes[i]}: {answers[i]} vs {expected}");
        }
    }

    [Theory(Timeout = TestTimeout)]
    [InlineData(CompletionsDialect.OpenAi)]
    [InlineData(CompletionsDialect.LlamaCpp)]
    public async Task Answers_equal_the_models_logits(CompletionsDialect dialect)
    {
        using var server = new FakeCompletionsServer(Model, Ids, Bos, dialect);
        using var oracle = new OpenAiCompletionsOracle(Options(server) with { Dialect = dialect });
        var prefixes = AllPrefixes(2);
        AssertExact(prefixes, await oracle.QueryAsync(prefixes));
        Assert.Equal(prefixes.Count, server.TotalRequests);
        Assert.Equal(0, oracle.Statistics.Retries);
        Assert.Equal(prefixes.Count, oracle.Statistics.Requests);
    }

    [Fact(Timeout = TestTimeout)]
    public async Task Synchronous_query_equals_the_model_through_the_ILogitOracle_interface()
    {
        using var server = new FakeCompletionsServer(Model, Ids, Bos);
        using var oracle = new OpenAiCompletionsOracle(Options(server));
        // CA1859 wants the concrete type; the point of this test is to go through the interface.
#pragma warning disable CA1859
        ILogitOracle asOracle = oracle;
#pragma warning restore CA1859
        Assert.Equal(K, asOracle.AlphabetSize);
        Assert.Equal(T, asOracle.Horizon);
        var prefixes = AllPrefixes(3);
        var answers = await Task.Run(() => asOracle.Query(prefixes, QueryPhase.Sampling));
        AssertExact(prefixes, answers);
    }

    [Fact(Timeout = TestTimeout)]
    public async Task Requests_carry_the_prompt_ids_and_ask_for_one_token_with_logprobs()
    {
        using var server = new FakeCompletionsServer(Model, Ids, Bos);
        using var oracle = new OpenAiCompletionsOracle(Options(server) with { Model = "charlm", LogprobsCount = 9 });
        await oracle.QueryAsync([Prefix.Of(2, 0)]);
        using var request = JsonDocument.Parse(Assert.Single(server.RequestBodies));
        var root = request.RootElement;
        Assert.Equal([Bos, 106, 100], root.GetProperty("prompt").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal("charlm", root.GetProperty("model").GetString());
        Assert.Equal(1, root.GetProperty("max_tokens").GetInt32());
        Assert.Equal(9, root.GetProperty("logprobs").GetInt32());
        Assert.Equal(0, root.GetProperty("temperature").GetDouble());
        Assert.True(root.GetProperty("return_tokens_as_token_ids").GetBoolean());
        Assert.Equal(new Uri(server.BaseAddress, "v1/completions"), oracle.Endpoint);
    }

    [Fact(Timeout = TestTimeout)]
    public async Task LlamaCpp_requests_use_n_predict_and_n_probs()
    {
        using var server = new FakeCompletionsServer(Model, Ids, Bos, CompletionsDialect.LlamaCpp);
        using var oracle = new OpenAiCompletionsOracle(Options(server) with { Dialect = CompletionsDialect.LlamaCpp });
        await oracle.QueryAsync([Prefix.Of(3)]);
        using var request = JsonDocument.Parse(Assert.Single(server.RequestBodies));
        Assert.Equal(1, request.RootElement.GetProperty("n_predict").GetInt32());
        Assert.Equal(K, request.RootElement.GetProperty("n_probs").GetInt32());
        Assert.False(request.RootElement.TryGetProperty("model", out _));
        Assert.Equal(new Uri(server.BaseAddress, "completion"), oracle.Endpoint);
    }

    [Fact(Timeout = TestTimeout)]
    public async Task Batch_runs_concurrently_within_the_concurrency_limit()
    {
        // Slow-but-ok answers (150 ms, well inside the 1 s timeout) keep requests in flight long enough to overlap.
        // Concurrency is counted on the client side of the wire (a counting handler around the socket handler), where
        // the limit applies; the server's own count can briefly include a request whose response was already sent.
        using var server = new FakeCompletionsServer(Model, Ids, Bos, faults: (_, _) => Fault.Slow(150));
        using var counting = new CountingHandler();
        using var oracle = new OpenAiCompletionsOracle(Options(server) with { MaxConcurrency = 3 }, counting);
        var prefixes = AllPrefixes(1);
        AssertExact(prefixes, await Task.Run(() => oracle.Query(prefixes)));
        Assert.InRange(counting.Peak, 2, 3);
        Assert.True(server.PeakInFlight >= 2);
    }

    [Fact(Timeout = TestTimeout)]
    public async Task Server_errors_are_retried_until_an_answer_arrives()
    {
        // First attempt: one transient status per prefix (408, 429 without Retry-After, 500, 502, 503); second: 504.
        int[] transient = [408, 429, 500, 502, 503];
        var waits = new ConcurrentQueue<TimeSpan>();
        using var server = new FakeCompletionsServer(
            Model,
            Ids,
            Bos,
            faults: (p, attempt) => attempt switch
            {
                1 => Fault.Error(transient[p.Length == 0 ? 0 : p[0] + 1]),
                2 => Fault.Error(504),
                _ => Fault.Ok,
            });
        using var oracle = new OpenAiCompletionsOracle(Options(server, waits) with { MaxRetries = 3 });
        var prefixes = AllPrefixes(1);
        AssertExact(prefixes, await oracle.QueryAsync(prefixes));
        Assert.All(prefixes, p => Assert.Equal(3, server.Attempts(p)));
        Assert.Equal(2 * prefixes.Count, oracle.Statistics.Retries);
        Assert.Equal(3 * prefixes.Count, oracle.Statistics.Requests);
        Assert.Equal(2 * prefixes.Count, waits.Count);
    }

    [Fact(Timeout = TestTimeout)]
    public async Task Persistent_server_error_fails_after_the_maximum_retries_with_status_and_body()
    {
        using var server = new FakeCompletionsServer(Model, Ids, Bos, faults: (_, _) => Fault.Error(500, "CUDA out of memory"));
        using var oracle = new OpenAiCompletionsOracle(Options(server, new()) with { MaxRetries = 2 });
        var e = await Assert.ThrowsAsync<OracleHttpStatusException>(() => oracle.QueryAsync([Prefix.Of(1, 2)]));
        Assert.Equal(HttpStatusCode.InternalServerError, e.StatusCode);
        Assert.Contains("CUDA out of memory", e.BodyExcerpt, StringComparison.Ordinal);
        Assert.Contains("CUDA out of memory", e.Message, StringComparison.Ordinal);
        Assert.Equal(3, e.Attempts);
        Assert.Equal(3, server.Attempts(Prefix.Of(1, 2)));
        Assert.Equal("[1,2]", e.Prefix);
    }

    [Fact(Timeout = TestTimeout)]
    public async Task Client_errors_are_not_retried()
    {
        using var server = new FakeCompletionsServer(Model, Ids, Bos, faults: (_, _) => Fault.Error(400, "logprobs exceeds max_logprobs 20"));
        using var oracle = new OpenAiCompletionsOracle(Options(server, new()));
        var e = await Assert.ThrowsAsync<OracleHttpStatusException>(() => oracle.QueryAsync([Prefix.Of(0)]));
        Assert.Equal(HttpStatusCode.BadRequest, e.StatusCode);
        Assert.Equal(1, e.Attempts);
        Assert.Equal(1, server.TotalRequests);
    }

    [Fact(Timeout = TestTimeout)]
    public async Task Rate_limit_waits_the_retry_after_the_server_asks_for()
    {
        var waits = new ConcurrentQueue<TimeSpan>();
        using var server = new FakeCompletionsServer(Model, Ids, Bos, faults: (_, attempt) => attempt == 1 ? Fault.RateLimited("2") : Fault.Ok);
        using var oracle = new OpenAiCompletionsOracle(Options(server, waits));
        var prefix = Prefix.Of(3, 1);
        AssertExact([prefix], await oracle.QueryAsync([prefix]));
        Assert.Equal(2, server.Attempts(prefix));
        Assert.Equal(TimeSpan.FromSeconds(2), Assert.Single(waits));
    }

    [Fact(Timeout = TestTimeout)]
    public async Task Retry_after_beyond_the_cap_fails_at_once()
    {
        var waits = new ConcurrentQueue<TimeSpan>();
        using var server = new FakeCompletionsServer(Model, Ids, Bos, faults: (_, _) => Fault.RateLimited("120"));
        using var oracle = new OpenAiCompletionsOracle(Options(server, waits) with { MaxRetryAfter = TimeSpan.FromSeconds(1) });
        var e = await Assert.ThrowsAsync<OracleHttpStatusException>(() => oracle.QueryAsync([Prefix.Empty]));
        Assert.Equal(HttpStatusCode.TooManyRequests, e.StatusCode);
        Assert.Contains("MaxRetryAfter", e.Message, StringComparison.Ordinal);
        Assert.Equal(1, e.Attempts);
        Assert.Empty(waits);
    }

    [Fact(Timeout = TestTimeout)]
    public async Task Backoff_doubles_with_seeded_jitter_and_is_reproducible()
    {
        async Task<TimeSpan[]> Run(int seed)
        {
            var waits = new ConcurrentQueue<TimeSpan>();
            using var server = new FakeCompletionsServer(Model, Ids, Bos, faults: (_, _) => Fault.Error(503));
            using var oracle = new OpenAiCompletionsOracle(Options(server, waits) with { MaxRetries = 4, JitterSeed = seed });
            await Assert.ThrowsAsync<OracleHttpStatusException>(() => oracle.QueryAsync([Prefix.Of(0)]));
            Assert.Equal(5, server.Attempts(Prefix.Of(0)));
            return [.. waits];
        }

        var first = await Run(42);
        // Retry n waits min(80, 10 * 2^n) * (1 + U)/2 ms: within [cap/2, cap] with cap = 10, 20, 40, 80.
        double[] caps = [10, 20, 40, 80];
        Assert.Equal(caps.Length, first.Length);
        for (var n = 0; n < caps.Length; n++)
        {
            Assert.InRange(first[n].TotalMilliseconds, caps[n] / 2, caps[n]);
        }

        Assert.Equal(first, await Run(42));
        Assert.NotEqual(first, await Run(43));
    }

    [Fact(Timeout = TestTimeout)]
    public async Task Timeouts_are_retried_then_reported_as_timeouts()
    {
        // Each attempt sleeps 3 s on the server against a 200 ms client timeout; the server stops sleeping when disposed.
        using var server = new FakeCompletionsServer(Model, Ids, Bos, faults: (_, _) => Fault.Slow(3000));
        using var oracle = new OpenAiCompletionsOracle(Options(server, new()) with { RequestTimeout = TimeSpan.FromMilliseconds(200), MaxRetries = 1 });
        var e = await Assert.ThrowsAsync<OracleTimeoutException>(() => oracle.QueryAsync([Prefix.Of(2)]));
        Assert.Equal(2, e.Attempts);
        Assert.Null(e.StatusCode);
        Assert.Equal(2, oracle.Statistics.Requests);
        // The server counts a request once it has read its body; on a loaded machine the client can give up on an
        // attempt before that, so the server may have seen only one of the two.
        Assert.InRange(server.Attempts(Prefix.Of(2)), 1, 2);
    }

    [Fact(Timeout = TestTimeout)]
    public async Task A_slow_attempt_that_times_out_is_replaced_by_a_fast_retry()
    {
        using var server = new FakeCompletionsServer(Model, Ids, Bos, faults: (_, attempt) => attempt == 1 ? Fault.Slow(3000) : Fault.Slow(20));
        using var oracle = new OpenAiCompletionsOracle(Options(server, new()) with { RequestTimeout = TimeSpan.FromMilliseconds(200) });
        var prefixes = AllPrefixes(1);
        AssertExact(prefixes, await oracle.QueryAsync(prefixes));
        // The server saw a slow first attempt and a fast one for every prefix (more if the client abandoned a request
        // before the server read it, which makes the next one "first" on the server's count).
        Assert.All(prefixes, p => Assert.InRange(server.Attempts(p), 2, 4));
        Assert.True(oracle.Statistics.Retries >= prefixes.Count);
    }

    [Theory(Timeout = TestTimeout)]
    [InlineData("{\"choices\": [", "$")]
    [InlineData("{\"object\": \"text_completion\"}", "choices")]
    [InlineData("{\"choices\": []}", "choices")]
    [InlineData("{\"choices\": [{\"logprobs\": null}]}", "choices[0].logprobs")]
    [InlineData("{\"choices\": [{\"logprobs\": {\"top_logprobs\": [null]}}]}", "choices[0].logprobs.top_logprobs[0]")]
    [InlineData("{\"choices\": [{\"logprobs\": {\"top_logprobs\": [{\"hello\": -1.0}]}}]}", "choices[0].logprobs.top_logprobs[0][\"hello\"]")]
    [InlineData("{\"choices\": [{\"logprobs\": {\"top_logprobs\": [{\"token_id:100\": \"x\"}]}}]}", "choices[0].logprobs.top_logprobs[0][\"token_id:100\"]")]
    [InlineData("{\"choices\": [{\"logprobs\": {\"top_logprobs\": [{\"token_id:100\": 1e400}]}}]}", "choices[0].logprobs.top_logprobs[0][\"token_id:100\"]")]
    public async Task Malformed_json_is_a_typed_error_naming_the_field(string body, string field)
    {
        using var server = new FakeCompletionsServer(Model, Ids, Bos, faults: (_, _) => Fault.Malformed(body));
        using var oracle = new OpenAiCompletionsOracle(Options(server, new()));
        var e = await Assert.ThrowsAsync<OracleResponseFormatException>(() => oracle.QueryAsync([Prefix.Of(1)]));
        Assert.Equal(field, e.Field);
        Assert.Contains($"'{field}'", e.Message, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, e.StatusCode);
        Assert.Equal(1, server.TotalRequests); // a malformed body is not retried
    }

    [Theory(Timeout = TestTimeout)]
    [InlineData("{\"completion_probabilities\": {}}", "completion_probabilities")]
    [InlineData("{\"completion_probabilities\": [{\"top_logprobs\": [{\"id\": -3, \"logprob\": -1}]}]}", "completion_probabilities[0].top_logprobs[0].id")]
    [InlineData("{\"completion_probabilities\": [{\"top_logprobs\": [{\"id\": 100}]}]}", "completion_probabilities[0].top_logprobs[0].logprob")]
    public async Task Malformed_llama_cpp_json_names_the_field(string body, string field)
    {
        using var server = new FakeCompletionsServer(Model, Ids, Bos, CompletionsDialect.LlamaCpp, (_, _) => Fault.Malformed(body));
        using var oracle = new OpenAiCompletionsOracle(Options(server, new()) with { Dialect = CompletionsDialect.LlamaCpp });
        var e = await Assert.ThrowsAsync<OracleResponseFormatException>(() => oracle.QueryAsync([Prefix.Of(1)]));
        Assert.Equal(field, e.Field);
    }

    [Fact(Timeout = TestTimeout)]
    public async Task Truncated_vocabulary_is_rejected_naming_the_prefix_and_missing_tokens()
    {
        using var server = new FakeCompletionsServer(Model, Ids, Bos, faults: (_, _) => Fault.Truncated(2));
        using var oracle = new OpenAiCompletionsOracle(Options(server, new()));
        var prefix = Prefix.Of(0, 3);
        var e = await Assert.ThrowsAsync<IncompleteVocabularyException>(() => oracle.QueryAsync([prefix]));
        // The two least likely tokens under the model are the ones a top-2 answer leaves out.
        var logprobs = Model.NextTokenLogits(prefix).LogProbabilities();
        var expectedMissing = Enumerable.Range(0, K).OrderBy(a => logprobs[a]).Take(2).Order().ToArray();
        Assert.Equal(expectedMissing, e.MissingTokens);
        Assert.Equal(2, e.ReturnedEntries);
        Assert.Equal("[0,3]", e.Prefix);
        Assert.Contains("[0,3]", e.Message, StringComparison.Ordinal);
        Assert.Contains($"id {Ids[expectedMissing[0]]}", e.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = TestTimeout)]
    public async Task Floor_policy_completes_a_truncated_answer_within_the_documented_bound()
    {
        using var server = new FakeCompletionsServer(Model, Ids, Bos, faults: (_, _) => Fault.Truncated(2));
        using var oracle = new OpenAiCompletionsOracle(Options(server, new()) with { MissingTokens = MissingTokenPolicy.FloorAtMinimum });
        var prefixes = AllPrefixes(2);
        var answers = await oracle.QueryAsync(prefixes);
        var maxMu = 0.0;
        for (var i = 0; i < prefixes.Count; i++)
        {
            var p = Model.NextTokenLogits(prefixes[i]).Probabilities();
            var q = answers[i].Probabilities();
            var returned = Enumerable.Range(0, K).OrderByDescending(a => p[a]).Take(2).ToArray();
            var missing = Enumerable.Range(0, K).Except(returned).ToArray();
            var mu = missing.Sum(a => p[a]);
            maxMu = Math.Max(maxMu, mu);

            // Returned tokens keep their exact log-probability ratios (centering shifts all coordinates equally).
            Assert.Equal(Math.Log(p[returned[0]] / p[returned[1]]), answers[i][returned[0]] - answers[i][returned[1]], 9);

            // The fill is min(log p_min, log(mu/m)): at most the smallest returned, and the filled mass at most mu.
            var logFill = Math.Min(Math.Log(p[returned[1]]), Math.Log(mu / missing.Length));
            var logQ = answers[i].LogProbabilities();
            var shift = logQ[returned[1]] - Math.Log(p[returned[1]]);
            Assert.All(missing, a => Assert.Equal(logFill, logQ[a] - shift, 9));

            // Total variation within 3mu / (2(1 - mu)) (proofs-notes/http-oracle.md).
            var tv = 0.5 * Enumerable.Range(0, K).Sum(a => Math.Abs(p[a] - q[a]));
            Assert.True(tv <= (1.5 * mu / (1 - mu)) + 1e-12, $"prefix {prefixes[i]}: TV {tv} vs mu {mu}");
        }

        Assert.Equal(prefixes.Count, oracle.Statistics.ApproximatedAnswers);
        Assert.Equal(maxMu, oracle.Statistics.MaxMissingMass, 9);
    }

    [Fact(Timeout = TestTimeout)]
    public async Task Extra_tokens_outside_the_alphabet_are_ignored_and_a_subset_is_renormalised()
    {
        // The alphabet {0, 2} of the oracle maps to the server's ids 100 and 106; the server returns all four tokens.
        using var server = new FakeCompletionsServer(Model, Ids, Bos);
        using var oracle = new OpenAiCompletionsOracle(Options(server) with { TokenIds = [100, 106], Horizon = 2 });
        // Oracle prefix (1) is alphabet token 1 = id 106 = the server's token 2.
        var answers = await oracle.QueryAsync([Prefix.Empty, Prefix.Of(1)]);
        Prefix[] serverPrefixes = [Prefix.Empty, Prefix.Of(2)];
        for (var i = 0; i < 2; i++)
        {
            var p = Model.NextTokenLogits(serverPrefixes[i]).Probabilities();
            var conditional = LogitVector.FromProbabilities([p[0] / (p[0] + p[2]), p[2] / (p[0] + p[2])]);
            Assert.True(answers[i].MaxAbsDifference(conditional) <= Exact);
        }
    }

    [Fact(Timeout = TestTimeout)]
    public async Task First_failure_of_a_batch_is_thrown_and_cancels_the_rest()
    {
        // Prefix (3) fails with 400; the others would take 3 s each. The batch fails with the 400, not a cancellation.
        using var server = new FakeCompletionsServer(Model, Ids, Bos, faults: (p, _) => p == Prefix.Of(3) ? Fault.Error(400, "bad") : Fault.Slow(3000));
        using var oracle = new OpenAiCompletionsOracle(Options(server, new()) with { RequestTimeout = TimeSpan.FromSeconds(10) });
        var e = await Assert.ThrowsAsync<OracleHttpStatusException>(() => oracle.QueryAsync(AllPrefixes(1)));
        Assert.Equal(HttpStatusCode.BadRequest, e.StatusCode);
        Assert.Equal("[3]", e.Prefix);
    }

    [Fact(Timeout = TestTimeout)]
    public async Task Cancellation_stops_a_batch()
    {
        using var server = new FakeCompletionsServer(Model, Ids, Bos, faults: (_, _) => Fault.Slow(5000));
        using var oracle = new OpenAiCompletionsOracle(Options(server, new()) with { RequestTimeout = TimeSpan.FromSeconds(10) });
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(150));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Task.Run(() => oracle.Query(AllPrefixes(1), QueryPhase.Other, cts.Token)));
    }

    [Fact(Timeout = TestTimeout)]
    public async Task Connection_refused_is_retried_then_typed()
    {
        var port = FakeCompletionsServer.FreePort(); // nothing listens there
        var waits = new ConcurrentQueue<TimeSpan>();
        using var oracle = new OpenAiCompletionsOracle(new OpenAiCompletionsOptions
        {
            BaseAddress = new Uri($"http://127.0.0.1:{port}/"),
            Horizon = T,
            TokenIds = Ids,
            BosId = Bos,
            MaxRetries = 2,
            RequestTimeout = TimeSpan.FromMilliseconds(500),
            DelayOverride = (wait, ct) =>
            {
                waits.Enqueue(wait);
                return Task.Delay(1, ct);
            },
        });
        var e = await Assert.ThrowsAnyAsync<OracleHttpException>(() => oracle.QueryAsync([Prefix.Of(1)]));
        Assert.Equal(3, e.Attempts);
        Assert.Null(e.StatusCode);
        Assert.Equal(2, waits.Count);
    }

    [Fact(Timeout = TestTimeout)]
    public async Task Injected_handler_is_used_without_a_network()
    {
        var handler = new CannedHandler("{\"choices\": [{\"logprobs\": {\"top_logprobs\": [{\"token_id:5\": -0.5, \"token_id:9\": -1.5}]}}]}");
        using var oracle = new OpenAiCompletionsOracle(new OpenAiCompletionsOptions { BaseAddress = new Uri("http://model.invalid/"), Horizon = 2, TokenIds = [9, 5], BosId = 1 }, handler);
        var answer = Assert.Single(await oracle.QueryAsync([Prefix.Of(0)]));
        // Token 0 is id 9 (-1.5), token 1 is id 5 (-0.5): centered (-0.5, 0.5).
        Assert.Equal([-0.5, 0.5], answer.ToArray());
        Assert.Equal(1, handler.Calls);
        handler.Dispose();
    }

    [Fact]
    public void Bad_prefixes_are_rejected_before_any_request()
    {
        var handler = new CannedHandler("{}");
        using var oracle = new OpenAiCompletionsOracle(new OpenAiCompletionsOptions { BaseAddress = new Uri("http://model.invalid/"), Horizon = 3, TokenIds = [9, 5] }, handler);
        Assert.Contains("Prefix 1 has length 3", Assert.Throws<ArgumentException>(() => oracle.Query([Prefix.Of(0), Prefix.Of(0, 1, 1)])).Message, StringComparison.Ordinal);
        Assert.Contains("token 2 at position 1", Assert.Throws<ArgumentException>(() => oracle.Query([Prefix.Of(0, 2)])).Message, StringComparison.Ordinal);
        Assert.Contains("no BOS id", Assert.Throws<ArgumentException>(() => oracle.Query([Prefix.Empty])).Message, StringComparison.Ordinal);
        Assert.Equal(0, handler.Calls);
        handler.Dispose();
    }

    [Fact]
    public void Bad_options_are_rejected()
    {
        var ok = new OpenAiCompletionsOptions { BaseAddress = new Uri("http://model.invalid/"), Horizon = 3, TokenIds = [9, 5] };
        Assert.Contains("repeats", Assert.Throws<ArgumentException>(() => new OpenAiCompletionsOracle(ok with { TokenIds = [9, 9] })).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new OpenAiCompletionsOracle(ok with { TokenIds = [9] }));
        Assert.Throws<ArgumentException>(() => new OpenAiCompletionsOracle(ok with { TokenIds = [9, -1] }));
        Assert.Throws<ArgumentException>(() => new OpenAiCompletionsOracle(ok with { Horizon = 0 }));
        Assert.Throws<ArgumentException>(() => new OpenAiCompletionsOracle(ok with { MaxConcurrency = 0 }));
        Assert.Throws<ArgumentException>(() => new OpenAiCompletionsOracle(ok with { MaxRetries = -1 }));
        Assert.Throws<ArgumentException>(() => new OpenAiCompletionsOracle(ok with { RequestTimeout = TimeSpan.Zero }));
        Assert.Throws<ArgumentException>(() => new OpenAiCompletionsOracle(ok with { LogprobsCount = 0 }));
        Assert.Throws<ArgumentException>(() => new OpenAiCompletionsOracle(ok with { BaseAddress = new Uri("ftp://model.invalid/") }));
        using var fine = new OpenAiCompletionsOracle(ok);
        fine.Dispose();
        Assert.Throws<ObjectDisposedException>(() => fine.Query([Prefix.Of(0)]));
    }

    private sealed class CountingHandler() : DelegatingHandler(new SocketsHttpHandler())
    {
        private int _inFlight;
        private int _peak;

        public int Peak => Volatile.Read(ref _peak);

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var now = Interlocked.Increment(ref _inFlight);
            int peak;
            while (now > (peak = Volatile.Read(ref _peak)) && Interlocked.CompareExchange(ref _peak, now, peak) != peak)
            {
            }

            try
            {
                var response = await base.SendAsync(request, cancellationToken);
                await response.Content.LoadIntoBufferAsync(cancellationToken);
                return response;
            }
            finally
            {
                Interlocked.Decrement(ref _inFlight);
            }
        }
    }

    private sealed class CannedHandler(string body) : HttpMessageHandler
    {
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _calls);
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(body) });
        }
    }
}
