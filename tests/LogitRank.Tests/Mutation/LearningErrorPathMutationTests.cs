using LogitRank.Learning;
using LogitRank.Models;
using LogitRank.Oracles;
using LogitRank.Sequences;
using LogitRank.Tests.Learning;

namespace LogitRank.Tests.Mutation;

/// <summary>
/// Error paths of the Learning types that no other test reached (Stryker reported their guards as not covered,
/// proofs-notes/mutation.md): each bad input raises the documented exception type naming the parameter or JSON field,
/// and the small queries of <see cref="FutureSets"/> return their documented sentinels.
/// </summary>
public class LearningErrorPathMutationTests
{
    [Fact]
    public void Cut_basis_rejects_inconsistent_histories_and_rows()
    {
        Assert.Equal("rows", Assert.Throws<ArgumentException>(() => new CutBasis(1, 2, [Prefix.Of(0)], [])).ParamName);
        Assert.Equal("histories", Assert.Throws<ArgumentException>(() => new CutBasis(1, 2, [Prefix.Of(0, 1)], [[0.0, 0.0]])).ParamName);
        Assert.Equal("rows", Assert.Throws<ArgumentException>(() => new CutBasis(1, 2, [Prefix.Of(0)], [[0.0]])).ParamName);
        Assert.Equal("rows", Assert.Throws<ArgumentException>(() => new CutBasis(1, 2, [Prefix.Of(0)], [[0.0, double.NaN]])).ParamName);
        Assert.Equal("rows", Assert.Throws<ArgumentException>(() => new CutBasis(1, 2, [Prefix.Of(0)], [[double.PositiveInfinity, 0.0]])).ParamName);
        var ok = new CutBasis(1, 2, [Prefix.Of(0)], [[0.5, -0.5]]);
        Assert.Equal(1, ok.Size);
    }

    [Fact]
    public void Future_sets_reject_bad_lists_and_report_sentinels()
    {
        var initial = FutureSets.Initial(2, 3);
        IReadOnlyList<IReadOnlyList<Prefix>> Lists(int count) => [.. Enumerable.Range(0, count).Select(s => initial.Future(s))];
        Assert.Equal("futureSets", Assert.Throws<ArgumentException>(() => FutureSets.FromFutureSets(2, 3, Lists(2))).ParamName);
        IReadOnlyList<IReadOnlyList<Prefix>> missingOneTokenWord = [[Prefix.Of(0)], initial.Future(1), initial.Future(2)];
        Assert.Equal("futureSets", Assert.Throws<ArgumentException>(() => FutureSets.FromFutureSets(2, 3, missingOneTokenWord)).ParamName);
        IReadOnlyList<IReadOnlyList<Prefix>> tokenOutside = [[Prefix.Of(0), Prefix.Of(1), Prefix.Of(1, 2)], initial.Future(1), initial.Future(2)];
        Assert.Equal("futureSets", Assert.Throws<ArgumentException>(() => FutureSets.FromFutureSets(2, 3, tokenOutside)).ParamName);
        Assert.True(FutureSets.FromFutureSets(2, 3, Lists(3)).SameAs(initial));

        Assert.Equal("cut", Assert.Throws<ArgumentOutOfRangeException>(() => initial.WithWitness(-1, Prefix.Of(0))).ParamName);
        Assert.Equal("cut", Assert.Throws<ArgumentOutOfRangeException>(() => initial.WithWitness(3, Prefix.Of(0))).ParamName);
        Assert.Equal("word", Assert.Throws<ArgumentException>(() => initial.WithWitness(1, Prefix.Of(0, 2))).ParamName);

        Assert.Equal(-1, initial.IndexInExtended(1, Prefix.Of(1, 1, 1)));
        Assert.False(initial.SameAs(FutureSets.Initial(2, 4)));
        Assert.False(initial.SameAs(FutureSets.Initial(3, 3)));
        Assert.False(initial.SameAs(initial.WithWitness(0, Prefix.Of(1, 1))));
    }

    [Fact]
    public void Learned_model_constructor_rejects_bad_options_and_bases()
    {
        var model = LearnedModelTests.HandModel(FallbackPolicy.Uniform);
        var futures = model.FutureSets;
        var bases = model.Bases.ToArray();
        var good = new LearnedModelOptions(2.0, 1e-6, FallbackPolicy.Uniform);
        Assert.Equal("options", Assert.Throws<ArgumentException>(() => new LearnedModel(futures, bases, good with { Beta = 1.0 })).ParamName);
        Assert.Equal("options", Assert.Throws<ArgumentException>(() => new LearnedModel(futures, bases, good with { Beta = double.PositiveInfinity })).ParamName);
        Assert.Equal("options", Assert.Throws<ArgumentException>(() => new LearnedModel(futures, bases, good with { LpTolerance = -1e-9 })).ParamName);
        Assert.Equal("options", Assert.Throws<ArgumentException>(() => new LearnedModel(futures, bases, good with { Fallback = (FallbackPolicy)9 })).ParamName);
        Assert.Equal("bases", Assert.Throws<ArgumentException>(() => new LearnedModel(futures, bases[..2], good)).ParamName);
        Assert.Equal("bases", Assert.Throws<ArgumentException>(() => new LearnedModel(futures, [bases[0], bases[2], bases[1]], good)).ParamName);
        Assert.Equal(3, new LearnedModel(futures, bases, good with { LpTolerance = 0 }).Horizon);
    }

    [Theory]
    [InlineData("[1,2]", "$")]
    [InlineData("\"alphabetSize\":2", "\"alphabetSize\":1", "alphabetSize")]
    [InlineData("\"horizon\":3", "\"horizon\":0", "horizon")]
    [InlineData("\"lpTolerance\":1E-06", "\"lpTolerance\":-1", "lpTolerance")]
    [InlineData("\"fallback\":\"Uniform\"", "\"fallback\":\"Uniform\",\"solver\":[1]", "solver")]
    [InlineData("{\"cut\":2,\"future\":[[0],[1]],\"histories\":[],\"rows\":[]}", "7", "cuts[2]")]
    [InlineData("{\"cut\":1,", "{\"cut\":2,", "cuts[1].cut")]
    [InlineData("\"rows\":[[0.1,", "\"rows\":[7,[0.1,", "cuts[1].rows[0]")]
    [InlineData("\"histories\":[[]],\"rows\":[[0.5,-0.5,1,0.15,-1,-0.15]]", "\"histories\":[],\"rows\":[]", "cuts[0].histories")]
    [InlineData("\"horizon\":3", "\"horizon\":\"3\"", "horizon")]
    [InlineData("\"histories\":[[0]]", "\"histories\":[7]", "cuts[1].histories[0]")]
    public void Learned_model_json_errors_name_the_field(string find, string replace, string field = "")
    {
        var json = LearnedModelTests.HandModel(FallbackPolicy.Uniform).ToJson();
        string broken;
        if (field.Length == 0)
        {
            // Single-argument form: the whole document is replaced.
            broken = find;
            field = replace;
        }
        else
        {
            Assert.Contains(find, json, StringComparison.Ordinal);
            var at = json.IndexOf(find, StringComparison.Ordinal);
            broken = json[..at] + replace + json[(at + find.Length)..];
        }

        var e = Assert.Throws<LearnedModelFormatException>(() => LearnedModel.FromJson(broken));
        Assert.Equal(field, e.Field);
    }

    [Fact]
    public void Exception_defaults_name_an_unknown_field()
    {
        var plain = new LearnedModelFormatException();
        Assert.Equal("(unknown)", plain.Field);
        Assert.False(string.IsNullOrEmpty(plain.Message));
        Assert.Equal("(unknown)", new LearnedModelFormatException("bad").Field);
        Assert.Equal("(unknown)", new LearnedModelFormatException("bad", new InvalidOperationException()).Field);
        var invariant = new InvariantViolationException();
        Assert.Equal("(unnamed)", invariant.Identity);
        Assert.Contains("An invariant was violated.", invariant.Message, StringComparison.Ordinal);
        Assert.Equal("(unnamed)", new InvariantViolationException("m", new InvalidOperationException()).Identity);
    }

    [Fact]
    public void Theory_spanner_sample_count_rejects_an_empty_extended_set()
    {
        var theory = TheorySchedule.FromTargets(0.5, 0.1, 4, 1, 1.0, 2);
        Assert.Equal("extendedFutureSize", Assert.Throws<ArgumentOutOfRangeException>(() => theory.SpannerSampleCount(0)).ParamName);
        Assert.True(theory.SpannerSampleCount(1) >= 1);
    }

    [Fact]
    public void A_schedule_asking_for_no_spanner_samples_is_rejected()
    {
        var oracle = new ModelOracle(TimeVaryingIsan.Random(2, 4, 1, seed: 1));
        var e = Assert.Throws<InvalidOperationException>(() => new LogitRankLearner().Learn(oracle, new NoSpannerSamples(), seed: 1));
        Assert.Contains("N_1 = 0", e.Message, StringComparison.Ordinal);
    }

    private sealed class NoSpannerSamples : ILearningSchedule
    {
        private readonly PracticalSchedule _inner = new();

        public string Kind => "test";

        public int MaxEpochs => _inner.MaxEpochs;

        public int ValidationSamples => _inner.ValidationSamples;

        public double WitnessThreshold => _inner.WitnessThreshold;

        public int WitnessesPerEpoch => _inner.WitnessesPerEpoch;

        public long? QueryBudget => _inner.QueryBudget;

        public double Beta => _inner.Beta;

        public double LpRelativeTolerance => _inner.LpRelativeTolerance;

        public FallbackPolicy Fallback => _inner.Fallback;

        public double SpannerRankTolerance => _inner.SpannerRankTolerance;

        public double ZeroRowTolerance => _inner.ZeroRowTolerance;

        public int SpannerSamples(int cut, int extendedFutureSize) => 0;
    }

    [Fact]
    public void A_JSON_null_is_not_a_learning_report()
    {
        var e = Assert.Throws<System.Text.Json.JsonException>(() => LearningReport.FromJson("null"));
        Assert.Contains("The JSON is null; expected a learning report.", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1, 3)] // k < 2
    [InlineData(2, 0)] // T < 1
    public void An_oracle_with_a_bad_alphabet_or_horizon_is_rejected_by_name(int k, int horizon)
    {
        var oracle = new LogitRank.Tests.Oracles.SpyOracle(k, horizon, _ => throw new InvalidOperationException("must not be queried"));
        var e = Assert.Throws<ArgumentException>(() => new LogitRankLearner().Learn(oracle, new PracticalSchedule(), seed: 1));
        Assert.Equal("oracle", e.ParamName);
        Assert.Contains($"The oracle reports k = {k}, T = {horizon}; expected k >= 2 and T >= 1.", e.Message, StringComparison.Ordinal);
        Assert.Empty(oracle.Batches);
    }
}
