namespace LogitRank.Cli.Tests;

/// <summary><c>onnx:</c> targets over the charlm-dev fixture (32 symbols, context 32): oracle-only commands and their errors.</summary>
public sealed class OnnxTargetTests
{
    private const string Alphabet = " !',.?abcdefghijklmnopqrstuvwxyz";

    private static string ModelPath => Path.Combine(AppContext.BaseDirectory, "Fixtures", "charlm-dev", "charlm-dev.onnx");

    private static string Target(int horizon) => $"onnx:path={ModelPath},T={horizon}";

    [Fact]
    public void Sample_prints_text_over_the_models_alphabet()
    {
        var run = CliHarness.Run("sample", Target(12), "--count", "3", "--seed", "2");
        Assert.Equal(ExitCodes.Success, run.Code);
        var lines = run.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();
        Assert.Equal(3, lines.Length);
        Assert.All(lines, l => Assert.Equal(12, l.Length));
        Assert.All(lines, l => Assert.All(l, c => Assert.Contains(c, Alphabet)));
        Assert.Equal(run.Out, CliHarness.Run("sample", Target(12), "--count", "3", "--seed", "2").Out);
    }

    [Fact]
    public void Spectrum_of_the_onnx_model_runs_through_the_oracle()
    {
        var run = CliHarness.Run("spectrum", Target(3), "--histories", "40", "--futures", "10", "--json", "--quiet");
        Assert.Equal(ExitCodes.Success, run.Code);
        var json = run.Json();
        Assert.Equal(32, json.GetProperty("alphabetSize").GetInt32());
        Assert.Equal(3, json.GetProperty("cuts").GetArrayLength());
        // A trained LM is not exactly low rank: at cut 1 (32 one-symbol histories) the numerical rank exceeds a few.
        Assert.True(json.GetProperty("cuts")[1].GetProperty("rank").GetInt32() > 4);
    }

    [Fact]
    public void Exact_evaluation_of_an_oracle_only_target_is_a_usage_error()
    {
        var run = CliHarness.Run("evaluate", Target(2), "tabular:k=32,T=2");
        Assert.Equal(ExitCodes.Usage, run.Code);
        Assert.Contains("needs exact probabilities", run.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void Monte_carlo_evaluation_draws_through_the_oracle()
    {
        var run = CliHarness.Run("evaluate", Target(2), "tabular:k=32,T=2", "--samples", "50", "--json");
        Assert.Equal(ExitCodes.Success, run.Code);
        var tv = run.Json().GetProperty("totalVariation");
        Assert.InRange(tv.GetProperty("mean").GetDouble(), 0, 1);
        Assert.True(tv.GetProperty("upper").GetDouble() >= tv.GetProperty("mean").GetDouble());
    }

    [Fact]
    public void Missing_onnx_files_are_bad_input_files()
    {
        var run = CliHarness.Run("sample", "onnx:path=/no/such/model.onnx,T=3");
        Assert.Equal(ExitCodes.BadInputFile, run.Code);
        Assert.Contains("'/no/such/model.json'", run.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void Horizon_beyond_the_context_names_the_key_t()
    {
        var run = CliHarness.Run("sample", Target(300));
        Assert.Equal(ExitCodes.Usage, run.Code);
        Assert.Contains("context is 32", run.Err, StringComparison.Ordinal);
        Assert.DoesNotContain("(Parameter", run.Err, StringComparison.Ordinal);
    }
}
