using LogitRank.Http;
using LogitRank.Http.Tests;
using LogitRank.Models;

namespace LogitRank.Cli.Tests;

/// <summary>
/// <c>http:</c> targets against the loopback <see cref="FakeCompletionsServer"/> (answers from a known ISAN), and
/// <c>--cache</c>: a stopped run resumes paying only the missing queries.
/// </summary>
public sealed class HttpTargetTests : IDisposable
{
    /// <summary>The served model: the ISAN of the spec below (k = 3, T = 4).</summary>
    private const string ModelSpec = "isan:k=3,T=4,d=2,seed=7";

    private static readonly int[] Ids = [10, 11, 12];
    private readonly CliHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    internal static FakeCompletionsServer Server(CompletionsDialect dialect = CompletionsDialect.OpenAi, Func<LogitRank.Sequences.Prefix, int, Fault>? faults = null) =>
        new(TimeVaryingIsan.Random(3, 4, 2, 7), Ids, bos: 1, dialect, faults);

    internal static string Spec(FakeCompletionsServer server, string extra = "") =>
        $"http:url={server.BaseAddress},T=4,bos=1,tokens=10-12,retries=0,timeout=10{extra}";

    [Fact]
    public void Tokens_accept_ids_and_ranges_joined_by_plus()
    {
        var spec = TargetSpec.Parse("http:url=http://127.0.0.1:9/,T=2,bos=0,tokens=7+3-5+100");
        Assert.Equal([7, 3, 4, 5, 100], HttpTarget.ParseTokens(spec, spec.Parameters["tokens"]));
    }

    [Fact]
    public void Learning_from_a_server_gives_the_served_model()
    {
        using var server = Server();
        var model = _harness.PathOf("m.json");
        var learn = CliHarness.Run("learn", Spec(server), "--out", model, "--quiet", "--json");
        Assert.Equal(ExitCodes.Success, learn.Code);
        Assert.True(learn.Json().GetProperty("accepted").GetBoolean());
        Assert.True(server.TotalRequests > 0);

        // An exact-rank target learned through JSON log-probabilities (round-trip doubles, re-centered): the exact TV to
        // the served ISAN is rounding, far below 1e-6.
        var evaluate = CliHarness.Run("evaluate", model, ModelSpec, "--json");
        Assert.Equal(ExitCodes.Success, evaluate.Code);
        Assert.True(evaluate.Json().GetProperty("totalVariation").GetDouble() < 1e-6, evaluate.Out);
    }

    [Fact]
    public void Llama_cpp_dialect_and_a_vocabulary_file_with_symbols_reach_the_server()
    {
        using var server = Server(CompletionsDialect.LlamaCpp);
        var vocab = _harness.PathOf("vocab.txt");
        File.WriteAllLines(vocab, ["# id symbol", "10 a", "11 b", "", "12 c"]);
        var run = CliHarness.Run("sample", $"http:url={server.BaseAddress},T=4,bos=1,vocab={vocab},dialect=llamacpp,retries=0", "--count", "3", "--quiet");
        Assert.Equal(ExitCodes.Success, run.Code);
        var lines = run.Out.TrimEnd().Split('\n');
        Assert.Equal(3, lines.Length);
        Assert.All(lines, l => Assert.Matches("^[abc]{4}$", l));
        Assert.Contains(server.RequestBodies, b => b.Contains("\"n_probs\"", StringComparison.Ordinal));
    }

    [Fact]
    public void Cache_resumes_a_stopped_run_paying_only_the_missing_queries_and_giving_the_same_model()
    {
        // The reference: one uncached run.
        using var fresh = Server();
        var reference = _harness.PathOf("reference.json");
        Assert.Equal(ExitCodes.Success, CliHarness.Run("learn", Spec(fresh), "--out", reference, "--quiet").Code);
        var paidOnce = fresh.TotalRequests;

        // A run stopped early (here by its query budget, as a crash or Ctrl+C would), then resumed on the same cache.
        using var server = Server();
        var cache = _harness.PathOf("answers.db");
        var model = _harness.PathOf("model.json");
        var stopped = CliHarness.Run("learn", Spec(server), "--cache", cache, "--budget", "20", "--quiet");
        Assert.Equal(ExitCodes.BudgetExhausted, stopped.Code);
        var paidBeforeStop = server.TotalRequests;
        Assert.InRange(paidBeforeStop, 1, paidOnce - 1);

        var resumed = CliHarness.Run("learn", Spec(server), "--cache", cache, "--out", model, "--json");
        Assert.Equal(ExitCodes.Success, resumed.Code);
        Assert.Equal(paidOnce, server.TotalRequests);
        Assert.Equal(File.ReadAllBytes(reference), File.ReadAllBytes(model));
        var stats = resumed.Json().GetProperty("cache");
        Assert.Equal(paidOnce - paidBeforeStop, stats.GetProperty("paid").GetInt64());
        Assert.Contains("read", resumed.Err, StringComparison.Ordinal);

        // A third run pays nothing.
        Assert.Equal(ExitCodes.Success, CliHarness.Run("learn", Spec(server), "--cache", cache, "--quiet").Code);
        Assert.Equal(paidOnce, server.TotalRequests);
    }

    [Fact]
    public void Cache_of_another_target_is_refused_naming_the_file()
    {
        var cache = _harness.PathOf("answers.db");
        Assert.Equal(ExitCodes.Success, CliHarness.Run("sample", "isan:k=3,T=4,d=2", "--cache", cache, "--count", "1").Code);
        var run = CliHarness.Run("spectrum", "isan:k=3,T=4,d=3", "--cache", cache);
        Assert.Equal(ExitCodes.BadInputFile, run.Code);
        Assert.Contains(cache, run.Err, StringComparison.Ordinal);
        Assert.Single(run.Err.TrimEnd().Split('\n'));
    }

    [Theory]
    [InlineData(500)]
    [InlineData(404)]
    public void Server_errors_exit_6_with_one_line(int status)
    {
        using var server = Server(faults: (_, _) => Fault.Error(status));
        var run = CliHarness.Run("learn", Spec(server), "--quiet");
        Assert.Equal(ExitCodes.OracleFailed, run.Code);
        Assert.Single(run.Err.TrimEnd().Split('\n'));
        Assert.Contains("The HTTP oracle failed", run.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void Unreachable_server_exits_6()
    {
        var run = CliHarness.Run("sample", $"http:url=http://127.0.0.1:{FakeCompletionsServer.FreePort()}/,T=3,bos=1,tokens=1+2,retries=0,timeout=5", "--quiet");
        Assert.Equal(ExitCodes.OracleFailed, run.Code);
        Assert.Single(run.Err.TrimEnd().Split('\n'));
    }

    [Fact]
    public void Top_n_answer_missing_alphabet_tokens_is_refused_unless_floored()
    {
        using var server = Server(faults: (_, _) => Fault.Truncated(2));
        var refused = CliHarness.Run("sample", Spec(server), "--quiet");
        Assert.Equal(ExitCodes.OracleFailed, refused.Code);
        var floored = CliHarness.Run("sample", Spec(server, ",missing=floor"), "--quiet", "--count", "2");
        Assert.Equal(ExitCodes.Success, floored.Code);
    }

    /// <summary>
    /// Issue 16: with <c>missing=floor</c> the certificate must cover the oracle's approximation, also when <c>--cache</c>
    /// wraps the HTTP oracle (the decorator hides the oracle's approximation report from the pipeline unless the CLI
    /// passes it on). Top-2-of-3 answers: every answer has a filled-in token.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Learning_from_floored_top_n_answers_certifies_the_approximation_with_or_without_a_cache(bool cached)
    {
        using var server = Server(faults: (_, _) => Fault.Truncated(2));
        string[] cache = cached ? ["--cache", _harness.PathOf("c.sqlite")] : [];
        var learn = CliHarness.Run(["learn", Spec(server, ",missing=floor"), "--quiet", "--json", "--epochs", "3", "--holdout-samples", "50", .. cache]);
        Assert.Equal(ExitCodes.Success, learn.Code);
        var certificate = learn.Json().GetProperty("certificate");
        Assert.True(certificate.GetProperty("holdout").GetProperty("CoversOracleApproximation").GetBoolean(), learn.Out);
        Assert.True(certificate.GetProperty("holdout").GetProperty("PathsThroughFilledTokens").GetInt32() > 0, learn.Out);
    }

    /// <summary>The same for <c>certify</c>: a model certified against floored top-2 answers through a cache.</summary>
    [Fact]
    public void Certifying_against_floored_top_n_answers_through_a_cache_covers_the_approximation()
    {
        using var server = Server(faults: (_, _) => Fault.Truncated(2));
        var model = _harness.PathOf("m.json");
        Assert.Equal(ExitCodes.Success, CliHarness.Run("learn", ModelSpec, "--out", model, "--quiet").Code);
        var certify = CliHarness.Run("certify", model, Spec(server, ",missing=floor"), "--holdout-samples", "50", "--cache", _harness.PathOf("c.sqlite"), "--quiet", "--json");
        Assert.Equal(ExitCodes.Success, certify.Code);
        Assert.Contains("\"CoversOracleApproximation\":true", certify.Out.Replace(" ", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }
}
