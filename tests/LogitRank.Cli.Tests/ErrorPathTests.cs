namespace LogitRank.Cli.Tests;

/// <summary>Every failure kind: exit code, one clear line on stderr naming the bad thing, nothing on stdout, no stack trace without --verbose.</summary>
public sealed class ErrorPathTests : IDisposable
{
    private readonly CliHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    private static void AssertError(CliRun run, int code, params string[] fragments)
    {
        Assert.Equal(code, run.Code);
        Assert.Equal(string.Empty, run.Out);
        Assert.StartsWith("error: ", run.Err, StringComparison.Ordinal);
        Assert.Single(run.Err.TrimEnd().Split('\n'));
        Assert.DoesNotContain("   at ", run.Err, StringComparison.Ordinal);
        foreach (var f in fragments)
        {
            Assert.Contains(f, run.Err, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Unknown_command_is_a_usage_error_listing_the_commands() =>
        AssertError(CliHarness.Run("frob"), ExitCodes.Usage, "Unknown command 'frob'", "demo, learn, certify, spectrum, evaluate, sample");

    [Fact]
    public void Unknown_option_is_a_usage_error_listing_the_valid_options() =>
        AssertError(CliHarness.Run("sample", "isan:k=2,T=3,d=1", "--cuont", "3"), ExitCodes.Usage, "Unknown option '--cuont' for 'sample'", "--count N");

    [Fact]
    public void Unknown_fallback_policy_is_a_usage_error_naming_the_choices() =>
        AssertError(CliHarness.Run("learn", "isan:k=2,T=3,d=1", "--fallback", "best"), ExitCodes.Usage, "Invalid value 'best' for --fallback", "'uniform' or 'min-residual'");

    [Fact]
    public void Option_without_its_value_is_a_usage_error() =>
        AssertError(CliHarness.Run("sample", "isan:k=2,T=3,d=1", "--count"), ExitCodes.Usage, "'--count' expects a value <N>");

    [Theory]
    [InlineData("--count", "abc", "Invalid value 'abc' for --count: expected an integer >= 0")]
    [InlineData("--count", "-1", "Invalid value '-1' for --count: expected an integer >= 0")]
    [InlineData("--seed", "1.5", "Invalid value '1.5' for --seed: expected an integer")]
    public void Bad_option_value_names_the_option_and_the_expected_value(string option, string value, string message) =>
        AssertError(CliHarness.Run("sample", "isan:k=2,T=3,d=1", option, value), ExitCodes.Usage, message);

    [Fact]
    public void Bad_number_option_names_the_range() =>
        AssertError(CliHarness.Run("evaluate", "isan:k=2,T=3,d=1", "isan:k=2,T=3,d=1", "--samples", "10", "--delta", "1.5"), ExitCodes.Usage, "Invalid value '1.5' for --delta: expected a number in (0, 1)");

    [Fact]
    public void Missing_positional_argument_shows_the_usage() =>
        AssertError(CliHarness.Run("evaluate", "isan:k=2,T=3,d=1"), ExitCodes.Usage, "'evaluate' expects <q>", "usage: logitrank evaluate <p> <q>");

    [Fact]
    public void Extra_positional_argument_is_a_usage_error() =>
        AssertError(CliHarness.Run("sample", "isan:k=2,T=3,d=1", "extra"), ExitCodes.Usage, "Unexpected argument 'extra'");

    [Fact]
    public void Bad_spec_key_names_the_key_and_lists_the_valid_keys() =>
        AssertError(CliHarness.Run("spectrum", "isan:k=3,T=6,q=2"), ExitCodes.Usage, "Unknown key 'q' for target family 'isan'", "valid keys: k, T, d, seed, scale");

    [Fact]
    public void Bad_spec_value_names_the_key_the_value_and_the_range() =>
        AssertError(CliHarness.Run("sample", "isan:k=abc,T=6,d=2"), ExitCodes.Usage, "Bad value 'abc' for key 'k' of target family 'isan': expected an integer >= 2");

    [Fact]
    public void Out_of_range_spec_value_is_rejected_before_the_generator() =>
        AssertError(CliHarness.Run("sample", "parity:n=4,noise=0.7"), ExitCodes.Usage, "Bad value '0.7' for key 'noise'", "(0, 0.5)");

    [Fact]
    public void Missing_spec_key_lists_the_required_keys() =>
        AssertError(CliHarness.Run("sample", "hmm:k=2,T=3"), ExitCodes.Usage, "Missing key 'states' for target family 'hmm'", "required: k, T, states");

    [Fact]
    public void Unknown_family_lists_the_families() =>
        AssertError(CliHarness.Run("sample", "gpt:k=2"), ExitCodes.Usage, "Unknown target family 'gpt'", "isan, parity, hmm, perturbed, tabular, table, onnx");

    [Theory]
    [InlineData("http:url=http://127.0.0.1:9/,T=3,tokens=1+2", "Missing key 'bos' for target family 'http'")]
    [InlineData("http:url=http://127.0.0.1:9/,T=3,bos=0", "needs exactly one of the keys 'tokens'")]
    [InlineData("http:url=ftp://x/,T=3,bos=0,tokens=1+2", "Bad value 'ftp://x/' for key 'url'")]
    [InlineData("http:url=http://127.0.0.1:9/,T=3,bos=0,tokens=1+1", "at least 2 distinct model ids")]
    [InlineData("http:url=http://127.0.0.1:9/,T=3,bos=0,tokens=5-2", "'5-2' is not one")]
    [InlineData("http:url=http://127.0.0.1:9/,T=3,bos=0,tokens=1+2,dialect=grpc", "Bad value 'grpc' for key 'dialect'")]
    [InlineData("http:url=http://127.0.0.1:9/,T=3,bos=0,tokens=1+2,missing=guess", "Bad value 'guess' for key 'missing'")]
    [InlineData("http:url=http://127.0.0.1:9/,T=3,bos=0,tokens=1+2,timeout=0", "Bad value '0' for key 'timeout'")]
    public void Bad_http_spec_is_a_usage_error_naming_the_key(string spec, string message) =>
        AssertError(CliHarness.Run("sample", spec), ExitCodes.Usage, message);

    [Fact]
    public void Onnx_target_needs_a_horizon() =>
        AssertError(CliHarness.Run("sample", "onnx:path=model.onnx"), ExitCodes.Usage, "Missing key 'T' for target family 'onnx'");

    [Fact]
    public void Missing_model_file_is_a_bad_input_file_naming_the_path()
    {
        var path = _harness.PathOf("nope.json");
        AssertError(CliHarness.Run("sample", path), ExitCodes.BadInputFile, $"'{path}'", "nor an existing model file");
    }

    [Fact]
    public void Model_file_that_is_not_json_is_a_bad_input_file()
    {
        var path = _harness.PathOf("corrupt.json");
        File.WriteAllText(path, "{ this is not json");
        AssertError(CliHarness.Run("sample", path), ExitCodes.BadInputFile, $"'{path}' is not a valid saved model", "not valid JSON");
    }

    [Fact]
    public void Model_file_of_another_format_is_a_bad_input_file_naming_the_field()
    {
        var path = _harness.PathOf("other.json");
        File.WriteAllText(path, "{\"format\": \"something else\", \"version\": 1}");
        AssertError(CliHarness.Run("certify", path, "isan:k=2,T=3,d=1"), ExitCodes.BadInputFile, "field 'format'");
    }

    [Fact]
    public void Exact_evaluation_beyond_the_enumeration_limit_exits_5_and_suggests_samples() =>
        AssertError(
            CliHarness.Run("evaluate", "isan:k=4,T=14,d=2", "isan:k=4,T=14,d=3"),
            ExitCodes.EnumerationTooLarge,
            "k^T = 268435456 sequences (k = 4, T = 14)",
            "--samples N");

    [Fact]
    public void Enumeration_limit_option_is_honoured() =>
        AssertError(
            CliHarness.Run("evaluate", "isan:k=2,T=6,d=2", "isan:k=2,T=6,d=2", "--max-sequences", "63"),
            ExitCodes.EnumerationTooLarge,
            "k^T = 64 sequences",
            "limit 63");

    [Fact]
    public void Exhausted_query_budget_exits_4()
    {
        var run = CliHarness.Run("learn", "isan:k=2,T=5,d=2", "--budget", "5", "--quiet");
        AssertError(run, ExitCodes.BudgetExhausted, "budget of 5", "Raise --budget");
    }

    [Fact]
    public void Models_of_different_shape_cannot_be_compared() =>
        AssertError(CliHarness.Run("evaluate", "isan:k=2,T=4,d=2", "isan:k=3,T=4,d=2"), ExitCodes.Usage, "p has k = 2, T = 4 but q has k = 3, T = 4");

    [Fact]
    public void Certify_rejects_a_spec_as_the_model() =>
        AssertError(CliHarness.Run("certify", "isan:k=2,T=4,d=2", "isan:k=2,T=4,d=2"), ExitCodes.Usage, "expects a saved learned model file");

    [Fact]
    public void Verbose_adds_the_stack_trace()
    {
        var run = CliHarness.Run("sample", _harness.PathOf("nope.json"), "--verbose");
        Assert.Equal(ExitCodes.BadInputFile, run.Code);
        Assert.Contains("   at ", run.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void Json_mode_errors_print_an_error_object_on_stdout_and_one_line_on_stderr()
    {
        var run = CliHarness.Run("sample", "isan:k=1,T=3,d=1", "--json");
        Assert.Equal(ExitCodes.Usage, run.Code);
        Assert.Single(run.Err.TrimEnd().Split('\n'));
        Assert.StartsWith("error: ", run.Err, StringComparison.Ordinal);
        var error = run.Json().GetProperty("error");
        Assert.Equal(ExitCodes.Usage, error.GetProperty("exitCode").GetInt32());
        Assert.Equal("usage", error.GetProperty("kind").GetString());
        Assert.Contains("key 'k'", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(run.Err.Trim()["error: ".Length..], error.GetProperty("message").GetString());
    }

    [Fact]
    public void Cancellation_exits_130()
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = Cli.Run(["learn", "isan:k=2,T=5,d=2", "--quiet"], stdout, stderr, interactive: false, new CancellationToken(canceled: true));
        AssertError(new CliRun(code, stdout.ToString(), stderr.ToString()), ExitCodes.Cancelled, "Cancelled.");
    }

    [Fact]
    public void Cancelling_an_exact_evaluation_mid_enumeration_exits_130()
    {
        // Issue 16: the exact enumeration took no token. Cancel at its first progress line (after 2^14 of 2^24 sequences).
        using var cancellation = new CancellationTokenSource();
        using var stdout = new StringWriter();
        using var stderr = new CancelOnProgress(cancellation);
        var code = Cli.Run(["evaluate", "isan:k=2,T=24,d=2", "isan:k=2,T=24,d=3", "--max-sequences", "100000000"], stdout, stderr, interactive: false, cancellation.Token);
        Assert.Equal(ExitCodes.Cancelled, code);
        Assert.Equal(string.Empty, stdout.ToString());
        var lines = stderr.ToString().TrimEnd().Split('\n');
        Assert.Equal(["progress: exact KL and TV, 16384/16777216 sequences", "error: Cancelled."], lines);
    }

    /// <summary>A stderr that cancels when a progress line is written (as Ctrl+C during the work would).</summary>
    private sealed class CancelOnProgress(CancellationTokenSource cancellation) : StringWriter(System.Globalization.CultureInfo.InvariantCulture)
    {
        public override void WriteLine(string? value)
        {
            base.WriteLine(value);
            if (value?.StartsWith("progress:", StringComparison.Ordinal) == true)
            {
                cancellation.Cancel();
            }
        }
    }

    [Fact]
    public void Unwritable_output_file_is_an_output_error_naming_it_before_any_work()
    {
        var blocker = _harness.PathOf("file");
        File.WriteAllText(blocker, "x");
        var target = Path.Combine(blocker, "sub", "s.csv");
        var run = CliHarness.Run("spectrum", "isan:k=2,T=3,d=1", "--csv", target);
        AssertError(run, ExitCodes.OutputFailed, "Cannot write the --csv file", target, "is a file, not a directory");
        Assert.Equal("x", File.ReadAllText(blocker));
    }

    [Fact]
    public void Help_lists_the_commands_and_exit_codes()
    {
        var run = CliHarness.Run("--help");
        Assert.Equal(ExitCodes.Success, run.Code);
        foreach (var c in new[] { "demo", "learn", "certify", "spectrum", "evaluate", "sample", "Exit codes" })
        {
            Assert.Contains(c, run.Out, StringComparison.Ordinal);
        }

        var command = CliHarness.Run("learn", "--help");
        Assert.Equal(ExitCodes.Success, command.Code);
        Assert.Contains("--holdout-samples N", command.Out, StringComparison.Ordinal);
    }
}
