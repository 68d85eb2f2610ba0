using LogitRank.Models;
using LogitRank.Sequences;

namespace LogitRank.Cli.Tests;

/// <summary>The spec parser maps onto the real generators: the built model has the generator's parameters and logits.</summary>
public sealed class TargetSpecTests
{
    // The same generator with the same arguments is deterministic, so the logits must agree exactly; 0 tolerance.
    private static void AssertSameLogits(ISequenceModel expected, ISequenceModel actual)
    {
        Assert.Equal(expected.AlphabetSize, actual.AlphabetSize);
        Assert.Equal(expected.Horizon, actual.Horizon);
        foreach (var h in SequenceSpace.AllUpTo(expected.AlphabetSize, Math.Min(expected.Horizon - 1, 3)))
        {
            Assert.Equal(expected.NextTokenLogits(h).Values.ToArray(), actual.NextTokenLogits(h).Values.ToArray());
        }
    }

    [Fact]
    public void Isan_spec_builds_the_random_isan()
    {
        var model = Assert.IsType<TimeVaryingIsan>(TargetSpec.Parse("isan:k=3,T=6,d=2,seed=7,scale=1.5").Build());
        Assert.Equal(2, model.StateDimension);
        AssertSameLogits(TimeVaryingIsan.Random(3, 6, 2, 7, 1.5), model);
    }

    [Fact]
    public void Parity_spec_builds_noisy_parity_with_horizon_n_plus_one()
    {
        var model = Assert.IsType<NoisyParity>(TargetSpec.Parse("parity:n=5,noise=0.1,seed=3").Build());
        Assert.Equal(6, model.Horizon);
        Assert.Equal(2, model.AlphabetSize);
        Assert.Equal(0.1, model.Noise);
        AssertSameLogits(NoisyParity.Random(5, 0.1, 3), model);
    }

    [Fact]
    public void Hmm_spec_builds_the_random_hmm()
    {
        var model = Assert.IsType<HiddenMarkovModel>(TargetSpec.Parse("hmm:k=3,T=5,states=4,seed=2,concentration=0.5,smoothing=0.01").Build());
        Assert.Equal(4, model.States);
        AssertSameLogits(HiddenMarkovModel.Random(4, 3, 5, 2, 0.5, 0.01), model);
    }

    [Fact]
    public void Perturbed_spec_builds_the_perturbed_isan()
    {
        var model = Assert.IsType<PerturbedModel>(TargetSpec.Parse("perturbed:k=2,T=5,d=2,eps=0.05,seed=4").Build());
        Assert.Equal(0.05, model.Epsilon);
        AssertSameLogits(PerturbedModel.RandomIsan(2, 5, 2, 0.05, 4), model);
    }

    [Fact]
    public void Tabular_spec_builds_the_random_table()
    {
        var model = Assert.IsType<TabularModel>(TargetSpec.Parse("tabular:k=2,T=4,seed=9").Build());
        AssertSameLogits(TabularModel.Random(2, 4, 9), model);
    }

    [Fact]
    public void Keys_are_case_insensitive_and_seed_defaults_to_1()
    {
        var spec = TargetSpec.Parse(" ISAN : K=2 , t=4 , D=1 ");
        Assert.Equal("isan:k=2,T=4,d=1", spec.ToString());
        AssertSameLogits(TimeVaryingIsan.Random(2, 4, 1, 1), spec.Build());
    }

    [Fact]
    public void Huge_tabular_target_is_refused_naming_its_size()
    {
        var e = Assert.Throws<TargetSpecException>(() => TargetSpec.Parse("tabular:k=10,T=9").Build());
        Assert.Equal("T", e.Key);
        Assert.Equal("9", e.Value);
        Assert.Contains("expected at most MaxRandomPrefixes = 1048576", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("isan:k=2,T=3,d=100000", "d", "4E+10 parameters")]
    [InlineData("isan:k=1000000,T=100000000,d=1", "d", "2E+14 parameters")]
    [InlineData("perturbed:k=2,T=3,d=100000,eps=0.1", "d", "4E+10 parameters")]
    [InlineData("hmm:k=2,T=3,states=100000", "states", "1E+10 parameters")]
    [InlineData("parity:n=2000000,noise=0.1", "n", "n <= MaxRandomBits = 1048576")]
    public void Oversized_targets_are_refused_before_allocating_naming_the_key_and_the_limit(string text, string key, string message)
    {
        // Issue 16: isan d=100000 and hmm states=100000 aborted with "Out of memory." (exit 134); isan T=1e8,k=1e6 grew without end.
        var e = Assert.Throws<TargetSpecException>(() => TargetSpec.Parse(text).Build());
        Assert.Equal(key, e.Key);
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Usage, CliHarness.Run("sample", text).Code);
    }

    [Theory]
    [InlineData("isan:k=2,T=4,d=2,k=3", "k", "given twice")]
    [InlineData("isan:k=2,T=4,d", "d", "Malformed parameter 'd'")]
    [InlineData("perturbed:k=2,T=4,d=2,eps=-1", "eps", "Bad value '-1' for key 'eps'")]
    [InlineData("isan:k=2,T=0,d=2", "T", "expected an integer >= 1")]
    public void Spec_errors_carry_the_key(string text, string key, string message)
    {
        var e = Assert.Throws<TargetSpecException>(() => TargetSpec.Parse(text).Build());
        Assert.Equal(key, e.Key);
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("isan:k=2,T=4,d=1", true)]
    [InlineData("model.json", false)]
    [InlineData("C:\\models\\m.json", false)]
    [InlineData("./dir:x/model.json", false)]
    public void Specs_and_paths_are_told_apart(string text, bool isSpec) => Assert.Equal(isSpec, TargetSpec.LooksLikeSpec(text));

    [Fact]
    public void Table_spec_loads_an_exact_target_table_and_the_cli_evaluates_it()
    {
        using var harness = new CliHarness();
        var path = harness.PathOf("target.json");
        var model = PerturbedModel.RandomIsan(2, 5, 2, 0.2, 3);
        TargetTable.SaveFile(model, path);
        var spec = TargetSpec.Parse($"table:path={path}");
        Assert.Equal($"table:path={path}", spec.ToString());
        var table = Assert.IsType<TabularModel>(spec.Build());
        // Saved as log-softmax and re-centred on load: a few ulps of logits of size ~1 (1e-13 is far above, far below any real change).
        Assert.All(SequenceSpace.AllUpTo(2, 4), h => Assert.True(table.NextTokenLogits(h).MaxAbsDifference(model.NextTokenLogits(h)) <= 1e-13));

        // The CLI takes it as a target: exact evaluation against the model it was saved from is 0.
        var json = CliHarness.Run("evaluate", $"table:path={path}", "perturbed:k=2,T=5,d=2,eps=0.2,seed=3", "--json").Json();
        Assert.Equal("exact", json.GetProperty("method").GetString());
        Assert.Equal(0, json.GetProperty("totalVariation").GetDouble(), 12);
    }

    [Fact]
    public void Table_spec_errors_are_bad_input_files_naming_the_file_and_field()
    {
        using var harness = new CliHarness();
        var missing = harness.PathOf("nope.json");
        var e = Assert.Throws<CliException>(() => TargetSpec.Parse($"table:path={missing}").Build());
        Assert.Equal(ExitCodes.BadInputFile, e.ExitCode);
        Assert.Contains($"'{missing}'", e.Message, StringComparison.Ordinal);

        var bad = harness.PathOf("bad.json");
        File.WriteAllText(bad, "{\"format\":\"logitrank-target/1\",\"kind\":\"table\",\"k\":2,\"T\":1,\"logprobs\":{\"\":[0,0]}}");
        var run = CliHarness.Run("sample", $"table:path={bad}");
        Assert.Equal(ExitCodes.BadInputFile, run.Code);
        Assert.Contains($"'{bad}'", run.Err, StringComparison.Ordinal);
        Assert.Contains("logprobs[\"\"]", run.Err, StringComparison.Ordinal); // the row whose probabilities sum to 2
        Assert.Contains("Missing key 'path'", Assert.Throws<TargetSpecException>(() => TargetSpec.Parse("table:")).Message, StringComparison.Ordinal);
    }
}
