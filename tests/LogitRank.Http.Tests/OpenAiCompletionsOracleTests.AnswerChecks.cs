using System.Globalization;
using System.Net;
using LogitRank.Sequences;

namespace LogitRank.Http.Tests;

/// <content>The answer check: impossible numbers are rejected with the rule, the field and the value (proofs-notes/http-oracle.md).</content>
public sealed partial class OpenAiCompletionsOracleTests
{
    private static OpenAiCompletionsOptions Canned(CompletionsDialect dialect = CompletionsDialect.OpenAi) =>
        new() { BaseAddress = new Uri("http://model.invalid/"), Horizon = 2, TokenIds = [9, 5], BosId = 1, Dialect = dialect, MaxRetries = 3 };

    private static string OpenAiBody(string entries) => "{\"choices\": [{\"logprobs\": {\"top_logprobs\": [{" + entries + "}]}}]}";

    private static string LlamaBody(string entries) => "{\"completion_probabilities\": [{\"top_logprobs\": [" + entries + "]}]}";

    private static string L(double p) => Math.Log(p).ToString("R", CultureInfo.InvariantCulture);

    private static async Task<ImpossibleAnswerException> Rejected(string body, CompletionsDialect dialect = CompletionsDialect.OpenAi, OpenAiCompletionsOptions? options = null)
    {
        using var handler = new CannedHandler(body);
        using var oracle = new OpenAiCompletionsOracle(options ?? Canned(dialect), handler);
        var e = await Assert.ThrowsAsync<ImpossibleAnswerException>(() => oracle.QueryAsync([Prefix.Of(0)]));
        Assert.Equal(1, handler.Calls); // an impossible answer is not retried
        Assert.Equal(HttpStatusCode.OK, e.StatusCode);
        Assert.Equal("[0]", e.Prefix);
        Assert.Contains("[0]", e.Message, StringComparison.Ordinal);
        Assert.Contains($"'{e.Field}'", e.Message, StringComparison.Ordinal);
        return e;
    }

    [Fact(Timeout = TestTimeout)]
    public async Task Every_token_at_log_probability_zero_is_rejected_naming_the_sum()
    {
        // The sweep's case: k tokens all at log-probability 0, i.e. probabilities summing to k.
        var e = await Rejected(OpenAiBody("\"token_id:9\": 0, \"token_id:5\": 0, \"token_id:77\": 0, \"token_id:78\": 0"));
        Assert.Equal(AnswerViolation.ProbabilitySumAboveOne, e.Violation);
        Assert.Equal(4.0, e.Value);
        Assert.Equal("choices[0].logprobs.top_logprobs[0]", e.Field);
        Assert.Contains("sum to 4", e.Message, StringComparison.Ordinal);
    }

    [Theory(Timeout = TestTimeout)]
    [InlineData(0.7, 0.4)] // 1.1
    [InlineData(0.6, 0.4011)] // 1 + 1.1e-3: just past the default tolerance 1e-3
    public async Task Probabilities_summing_beyond_the_tolerance_are_rejected(double p0, double p1)
    {
        var e = await Rejected(OpenAiBody($"\"token_id:9\": {L(p0)}, \"token_id:5\": {L(p1)}"));
        Assert.Equal(AnswerViolation.ProbabilitySumAboveOne, e.Violation);
        Assert.Equal(p0 + p1, e.Value, 12);
        var llama = await Rejected(LlamaBody($"{{\"id\": 9, \"logprob\": {L(p0)}}}, {{\"id\": 5, \"logprob\": {L(p1)}}}"), CompletionsDialect.LlamaCpp);
        Assert.Equal(AnswerViolation.ProbabilitySumAboveOne, llama.Violation);
        Assert.Equal("completion_probabilities[0].top_logprobs", llama.Field);
    }

    [Fact(Timeout = TestTimeout)]
    public async Task A_sum_within_the_tolerance_is_accepted_and_the_tolerance_is_an_option()
    {
        // 1 + 5e-4: float32 rounding of a real server is far smaller, so this is accepted by default ...
        var body = OpenAiBody($"\"token_id:9\": {L(0.6)}, \"token_id:5\": {L(0.4005)}");
        using (var handler = new CannedHandler(body))
        using (var oracle = new OpenAiCompletionsOracle(Canned(), handler))
        {
            var answer = Assert.Single(await oracle.QueryAsync([Prefix.Of(0)]));
            Assert.Equal(Math.Log(0.6 / 0.4005), answer[0] - answer[1], 12);
        }

        // ... and rejected with a tighter stated tolerance.
        var e = await Rejected(body, options: Canned() with { ProbabilitySumTolerance = 1e-4 });
        Assert.Equal(AnswerViolation.ProbabilitySumAboveOne, e.Violation);
        Assert.Throws<ArgumentException>(() => new OpenAiCompletionsOracle(Canned() with { ProbabilitySumTolerance = -1e-3 }));
        Assert.Throws<ArgumentException>(() => new OpenAiCompletionsOracle(Canned() with { ProbabilitySumTolerance = double.NaN }));
    }

    [Theory(Timeout = TestTimeout)]
    [InlineData(0.5)]
    [InlineData(1.5e-4)]
    public async Task A_positive_log_probability_is_rejected_naming_the_field_and_value(double value)
    {
        var text = value.ToString("R", CultureInfo.InvariantCulture);
        var e = await Rejected(OpenAiBody($"\"token_id:9\": {text}, \"token_id:5\": -3"));
        Assert.Equal(AnswerViolation.LogProbabilityAboveZero, e.Violation);
        Assert.Equal(value, e.Value);
        Assert.Equal("choices[0].logprobs.top_logprobs[0][\"token_id:9\"]", e.Field);
        Assert.Contains(text, e.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = TestTimeout)]
    public async Task A_log_probability_within_the_slack_above_zero_is_read_as_zero()
    {
        // 5e-5 <= LogProbabilitySlack: a rounded certain token. The other token's probability must then be ~0.
        using var handler = new CannedHandler(OpenAiBody("\"token_id:9\": 5e-5, \"token_id:5\": -30"));
        using var oracle = new OpenAiCompletionsOracle(Canned(), handler);
        var answer = Assert.Single(await oracle.QueryAsync([Prefix.Of(0)]));
        Assert.Equal(30.0, answer[0] - answer[1], 12); // clamped to 0, so the gap is exactly 30
    }

    [Fact(Timeout = TestTimeout)]
    public async Task A_token_repeated_with_a_different_value_is_rejected_not_first_wins()
    {
        // "token_id:9" and "9" name the same id; JSON objects may also repeat a key.
        var e = await Rejected(OpenAiBody($"\"token_id:9\": {L(0.3)}, \"token_id:5\": {L(0.2)}, \"9\": {L(0.25)}"));
        Assert.Equal(AnswerViolation.ConflictingDuplicate, e.Violation);
        Assert.Equal(Math.Log(0.25), e.Value);
        Assert.Equal("choices[0].logprobs.top_logprobs[0][\"9\"]", e.Field);
        Assert.Contains("id 9 is listed twice", e.Message, StringComparison.Ordinal);

        var llama = await Rejected(LlamaBody($"{{\"id\": 5, \"logprob\": {L(0.5)}}}, {{\"id\": 9, \"logprob\": {L(0.2)}}}, {{\"id\": 5, \"logprob\": {L(0.1)}}}"), CompletionsDialect.LlamaCpp);
        Assert.Equal(AnswerViolation.ConflictingDuplicate, llama.Violation);
        Assert.Equal("completion_probabilities[0].top_logprobs[2].logprob", llama.Field);
    }

    [Fact(Timeout = TestTimeout)]
    public async Task An_identical_repeat_is_accepted_and_counted_once()
    {
        // 0.6 listed twice would sum to 1.6 + 0.3 if counted twice; counted once the answer is (0.6, 0.3), fine.
        using var handler = new CannedHandler(OpenAiBody($"\"token_id:9\": {L(0.6)}, \"token_id:5\": {L(0.3)}, \"token_id:9\": {L(0.6)}"));
        using var oracle = new OpenAiCompletionsOracle(Canned(), handler);
        var answer = Assert.Single(await oracle.QueryAsync([Prefix.Of(0)]));
        Assert.Equal(Math.Log(2.0), answer[0] - answer[1], 12);
    }
}
