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
}
