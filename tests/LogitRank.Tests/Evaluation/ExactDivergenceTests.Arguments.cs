using LogitRank.Evaluation;
using LogitRank.Models;
using LogitRank.Numerics;
using LogitRank.Oracles;
using LogitRank.Sequences;
using LogitRank.Tests.Evaluation;
using LogitRank.Tests.Models;
using LogitRank.Tests.Oracles;

namespace LogitRank.Tests.Evaluation;

/// <summary>The argument checks of <see cref="ExactDivergence"/> and the prefixes its walk queries.</summary>
public partial class ExactDivergenceTests
{
    private static readonly ISequenceModel Small = TabularModel.Random(2, 3, 1, scale: 1.0);

    [Fact]
    public void Exact_divergence_names_a_null_model_and_checks_the_limit_before_the_size()
    {
        Assert.Equal("p", Assert.Throws<ArgumentNullException>(() => ExactDivergence.KullbackLeibler(null!, Small)).ParamName);
        Assert.Equal("q", Assert.Throws<ArgumentNullException>(() => ExactDivergence.TotalVariation(Small, null!)).ParamName);

        // A limit of 1 is a valid limit (>= 1) that the 2^3 sequences exceed; 0 is not a valid limit.
        Assert.Throws<EnumerationTooLargeException>(() => ExactDivergence.KullbackLeibler(Small, Small, maxSequences: 1));
        Assert.Equal("maxSequences", Assert.Throws<ArgumentOutOfRangeException>(() => ExactDivergence.KullbackLeibler(Small, Small, maxSequences: 0)).ParamName);
    }

    [Fact]
    public void Incompatible_models_are_named_with_both_shapes()
    {
        var other = TabularModel.Random(3, 4, 1, scale: 1.0);
        var e = Assert.Throws<IncompatibleModelsException>(() => ExactDivergence.KullbackLeibler(Small, other));
        Assert.Equal("q", e.ParamName);
        Assert.Equal((2, 3, 3, 4), (e.FirstAlphabetSize, e.FirstHorizon, e.SecondAlphabetSize, e.SecondHorizon));
        Assert.Contains("P has k = 2, T = 3; Q has k = 3, T = 4", e.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// The exact per-step walk skips prefixes whose <c>P</c>-probability underflows to 0: with <c>P(1) = e^{-800}/(1 + e^{-800})</c>
    /// at the root (0 in double precision), the subtree under [1] is never queried.
    /// </summary>
    [Fact]
    public void The_exact_walk_does_not_query_prefixes_of_probability_zero()
    {
        var table = SequenceSpace.AllUpTo(2, 1).ToDictionary(h => h, _ => LogitVector.FromLogits([400.0, -400.0]));
        var p = new SpyModel(new TabularModel(2, 2, table));
        var q = TestModels.Iid(2, 0.5, 0.5);

        var perStep = ExactDivergence.PerStep(p, q);

        Assert.Equal([Prefix.Empty, Prefix.Of([0])], p.Queried.OrderBy(h => h.Length));
        Assert.All(perStep.KullbackLeibler, kl => Assert.True(double.IsFinite(kl)));
    }
}
