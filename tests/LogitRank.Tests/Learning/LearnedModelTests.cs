using System.Reflection;
using LogitRank.Learning;
using LogitRank.Oracles;
using LogitRank.Sequences;

namespace LogitRank.Tests.Learning;

public partial class LearnedModelTests
{
    /// <summary>
    /// A hand-built model, k = 2, T = 3. F̃_0 = F̃_1 = ([0],[1],[0,0],[1,0],[0,1],[1,1]).
    /// Cut 0 (empty history): ℓ(∅) = (0.5,-0.5), ℓ([0]) = (1,-1), ℓ([1]) = (0.15,-0.15).
    /// Cut 1: one history [0] with row (0.1,-0.1, 0.2,0.4,-0.2,-0.4). Cut 2: empty.
    /// RECONSTRUCT([0,a]): c·0.1 = 1 and c·(-0.1) = -1 need c = 10 > β = 2, so the minimum is c = 2, r = 0.8 (infeasible).
    /// RECONSTRUCT([1,a]): c·0.1 = 0.15 gives c = 1.5, r = 0 (feasible); ℓ̂([1,0]) = 1.5·(0.2,-0.2) = (0.3,-0.3).
    /// </summary>
    internal static LearnedModel HandModel(FallbackPolicy fallback)
    {
        var futures = FutureSets.Initial(2, 3);
        Assert.Equal([Prefix.Of(0), Prefix.Of(1), Prefix.Of(0, 0), Prefix.Of(1, 0), Prefix.Of(0, 1), Prefix.Of(1, 1)], futures.Extended(0));
        var bases = new[]
        {
            new CutBasis(0, 6, [Prefix.Empty], [[0.5, -0.5, 1.0, 0.15, -1.0, -0.15]]),
            new CutBasis(1, 6, [Prefix.Of(0)], [[0.1, -0.1, 0.2, 0.4, -0.2, -0.4]]),
            new CutBasis(2, 2, [], []),
        };
        return new LearnedModel(futures, bases, new LearnedModelOptions(2.0, 1e-6, fallback));
    }

    [Fact]
    public void Hand_model_predicts_the_stored_rows_at_lengths_zero_and_one()
    {
        var m = HandModel(FallbackPolicy.Uniform);
        Assert.Equal([0.5, -0.5], m.NextTokenLogits(Prefix.Empty).ToArray());
        Assert.Equal([1.0, -1.0], m.NextTokenLogits(Prefix.Of(0)).ToArray());
        Assert.Equal([0.15, -0.15], m.NextTokenLogits(Prefix.Of(1)).ToArray());
    }

    [Fact]
    public void Infeasible_prefix_falls_back_to_uniform_and_feasible_one_reconstructs()
    {
        var m = HandModel(FallbackPolicy.Uniform);
        Assert.False(m.IsFeasible(Prefix.Of(0, 1)));
        Assert.Equal(0.8, m.LpResidual(Prefix.Of(0, 1)), 9); // |2·0.1 - 1|
        Assert.Equal([0.0, 0.0], m.NextTokenLogits(Prefix.Of(0, 1)).ToArray());
        Assert.True(m.IsFeasible(Prefix.Of(1, 0)));
        Assert.Equal(1.5, m.Reconstruct(Prefix.Of(1, 0)).Coefficient(1, 0), 9);
        var l = m.NextTokenLogits(Prefix.Of(1, 0));
        Assert.Equal(0.3, l[0], 9);
        Assert.Equal(-0.3, l[1], 9);
        Assert.Equal(1.0, LearningTestSupport.SumOfSequenceProbabilities(m), 12);
    }

    [Fact]
    public void Minimum_residual_fallback_uses_the_clipped_solution()
    {
        var m = HandModel(FallbackPolicy.MinimumResidual);
        Assert.False(m.IsFeasible(Prefix.Of(0, 0)));
        Assert.Equal(2.0, m.Reconstruct(Prefix.Of(0, 0)).Coefficient(1, 0), 9);
        var l = m.NextTokenLogits(Prefix.Of(0, 0)); // 2·(R_1([0,0]), R_1([0,1])) = 2·(0.2,-0.2)
        Assert.Equal(0.4, l[0], 9);
        Assert.Equal(-0.4, l[1], 9);
    }

    [Fact]
    public void Logit_bound_is_beta_times_basis_size_times_largest_row_entry()
    {
        var m = HandModel(FallbackPolicy.Uniform);
        // max(0.5 at t = 0, 2·1·1.0 at cut 0, 2·1·0.4 at cut 1) = 2, times 1 + 1e-9.
        Assert.Equal(2.0 * (1 + 1e-9), m.LogitBound, 15);
        foreach (var h in LearningTestSupport.AllPrefixes(m))
        {
            Assert.All(m.NextTokenLogits(h).ToArray(), v => Assert.True(Math.Abs(v) <= m.LogitBound));
        }
    }

    [Fact]
    public void Save_then_load_gives_bit_identical_probabilities_on_every_prefix()
    {
        var m = HandModel(FallbackPolicy.MinimumResidual);
        var loaded = LearnedModel.FromJson(m.ToJson());
        Assert.Equal(m.Options, loaded.Options);
        Assert.True(m.FutureSets.SameAs(loaded.FutureSets));
        foreach (var h in LearningTestSupport.AllPrefixes(m))
        {
            Assert.Equal(m.NextTokenLogits(h).Probabilities(), loaded.NextTokenLogits(h).Probabilities());
        }

        Assert.Equal(m.ToJson(), loaded.ToJson());
    }

    [Fact]
    public void Concurrent_evaluation_gives_the_same_logits_as_sequential_evaluation()
    {
        var target = LogitRank.Models.TimeVaryingIsan.Random(2, 7, 3, seed: 4);
        var json = new LogitRankLearner().Learn(new ModelOracle(target), LearnerTests.Small, seed: 4).Model.ToJson();
        var sequential = LearnedModel.FromJson(json);
        var concurrent = LearnedModel.FromJson(json);
        var prefixes = LearningTestSupport.AllPrefixes(target).ToArray();
        var results = new double[prefixes.Length][];
        Parallel.For(0, prefixes.Length * 4, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
        {
            var j = (i * 7919) % prefixes.Length; // each prefix four times, in a scrambled order
            results[j] = concurrent.NextTokenLogits(prefixes[j]).ToArray();
        });
        for (var j = 0; j < prefixes.Length; j++)
        {
            Assert.Equal(sequential.NextTokenLogits(prefixes[j]).ToArray(), results[j]);
        }
    }

    [Fact]
    public void Solver_options_of_the_learner_travel_with_the_model_and_its_json()
    {
        var solver = new LogitRank.Numerics.LpOptions { PivotTolerance = 1e-12, OptimalityTolerance = 1e-11, MaxIterations = 5000 };
        var target = LogitRank.Models.TimeVaryingIsan.Random(2, 4, 2, seed: 1);
        var model = new LogitRankLearner(solver).Learn(new ModelOracle(target), LearnerTests.Small, seed: 1).Model;
        Assert.Equal(solver, model.Options.Solver);
        var loaded = LearnedModel.FromJson(model.ToJson());
        Assert.Equal(solver, loaded.Options.Solver);
        Assert.Null(LearnedModel.FromJson(HandModel(FallbackPolicy.Uniform).ToJson()).Options.Solver);
    }

    [Theory]
    [InlineData("\"pivotTolerance\":1E-12", "\"pivotTolerance\":-1", "solver.pivotTolerance")]
    [InlineData("\"pivotTolerance\":1E-12", "\"pivotTolerance\":0", "solver.pivotTolerance")]
    [InlineData("\"optimalityTolerance\":1E-11", "\"optimalityTolerance\":-1E-11", "solver.optimalityTolerance")]
    [InlineData("\"maxIterations\":5000", "\"maxIterations\":-5", "solver.maxIterations")]
    public void Load_rejects_solver_options_the_solver_would_refuse_naming_the_field(string find, string replace, string field)
    {
        // Before issue 16 these loaded, and the first reconstruction threw a bare ArgumentException (CLI exit code 1).
        var target = LogitRank.Models.TimeVaryingIsan.Random(2, 3, 2, seed: 4);
        var solver = new LogitRank.Numerics.LpOptions { PivotTolerance = 1e-12, OptimalityTolerance = 1e-11, MaxIterations = 5000 };
        var json = new LogitRankLearner(solver).Learn(new ModelOracle(target), LearnerTests.Small, seed: 1).Model.ToJson();
        Assert.Contains(find, json, StringComparison.Ordinal);
        var e = Assert.Throws<LearnedModelFormatException>(() => LearnedModel.FromJson(json.Replace(find, replace, StringComparison.Ordinal)));
        Assert.Equal(field, e.Field);
    }

    [Fact]
    public void Save_file_and_load_file_round_trip()
    {
        var m = HandModel(FallbackPolicy.Uniform);
        var path = Path.Combine(Path.GetTempPath(), $"learned-{Guid.NewGuid():N}.json");
        try
        {
            m.SaveFile(path);
            var loaded = LearnedModel.LoadFile(path);
            Assert.Equal(m.ToJson(), loaded.ToJson());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("\"version\":2", "\"version\":3", "version")]
    [InlineData("\"format\":\"LogitRank.LearnedModel\"", "\"format\":\"x\"", "format")]
    [InlineData("\"beta\":2", "\"beta\":1", "beta")]
    [InlineData("\"fallback\":\"Uniform\"", "\"fallback\":\"Sometimes\"", "fallback")]
    [InlineData("\"horizon\":3", "\"horizon\":4", "cuts")]
    [InlineData("[0.1,-0.1,0.2,0.4,-0.2,-0.4]", "[0.1,-0.1,0.2,0.4,-0.2]", "cuts[1].rows[0]")]
    [InlineData("[0.1,-0.1,0.2,0.4,-0.2,-0.4]", "[0.1,\"x\",0.2,0.4,-0.2,-0.4]", "cuts[1].rows[0][1]")]
    [InlineData("\"histories\":[[0]]", "\"histories\":[[0,1]]", "cuts[1].histories[0]")]
    [InlineData("\"histories\":[[0]]", "\"histories\":[[5]]", "cuts[1].histories[0][0]")]
    [InlineData("\"lpTolerance\":1E-06,", "", "lpTolerance")]
    public void Load_rejects_a_bad_field_naming_it(string find, string replace, string field)
    {
        var json = HandModel(FallbackPolicy.Uniform).ToJson();
        Assert.Contains(find, json, StringComparison.Ordinal);
        var e = Assert.Throws<LearnedModelFormatException>(() => LearnedModel.FromJson(json.Replace(find, replace, StringComparison.Ordinal)));
        Assert.Equal(field, e.Field);
        Assert.Contains(field, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_rejects_malformed_json()
    {
        var e = Assert.Throws<LearnedModelFormatException>(() => LearnedModel.FromJson("{ not json"));
        Assert.Equal("$", e.Field);
    }

    [Fact]
    public void Constructor_rejects_bases_that_do_not_match_the_future_sets()
    {
        var futures = FutureSets.Initial(2, 3);
        var good0 = new CutBasis(0, 6, [Prefix.Empty], [[0.5, -0.5, 1, 0.15, -1, -0.15]]);
        var e = Assert.Throws<ArgumentException>(() => new LearnedModel(futures, [good0, new CutBasis(1, 5, [], []), new CutBasis(2, 2, [], [])], new LearnedModelOptions(2, 1e-6, FallbackPolicy.Uniform)));
        Assert.Contains("cut 1", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new LearnedModel(futures, [new CutBasis(0, 6, [], []), new CutBasis(1, 6, [], []), new CutBasis(2, 2, [], [])], new LearnedModelOptions(2, 1e-6, FallbackPolicy.Uniform)));
    }

    /// <summary>Field paths, recursively through the types held (arrays, generic arguments, fields of library types), whose type is an oracle.</summary>
    internal static List<string> OracleFields(Type root, HashSet<Type> seen)
    {
        var offenders = new List<string>();
        void Visit(Type type, string path)
        {
            if (typeof(ILogitOracle).IsAssignableFrom(type))
            {
                offenders.Add(path);
                return;
            }

            if (!seen.Add(type))
            {
                return;
            }

            if (type.IsArray)
            {
                Visit(type.GetElementType()!, path + "[]");
                return;
            }

            if (type.IsGenericType)
            {
                foreach (var arg in type.GetGenericArguments())
                {
                    Visit(arg, path + "<" + arg.Name + ">");
                }
            }

            if (type.IsPrimitive || type.IsEnum || type == typeof(string) || type.Namespace?.StartsWith("System", StringComparison.Ordinal) == true)
            {
                return; // framework collections hold only their generic arguments (visited above)
            }

            for (var t = type; t is not null && t != typeof(object); t = t.BaseType)
            {
                foreach (var f in t.GetFields(BindingFlags.Instance | BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
                {
                    Visit(f.FieldType, path + "." + f.Name);
                }
            }
        }

        Visit(root, root.Name);
        return offenders;
    }

    [Fact]
    public void Learned_model_holds_no_oracle_reference_anywhere_in_its_field_graph()
    {
        var seen = new HashSet<Type>();
        Assert.Empty(OracleFields(typeof(LearnedModel), seen));
        // The walk does reach the types the model holds (it would see an oracle field there).
        Assert.Contains(typeof(CutBasis), seen);
        Assert.Contains(typeof(FutureSets), seen);
        Assert.Contains(typeof(ReconstructionResult), seen);
    }

    private sealed class HolderOfOracles
    {
#pragma warning disable CS0649, CS0169 // never assigned: only the field's type matters here
        private readonly Dictionary<int, List<SpyOracle>[]>? _nested;
#pragma warning restore CS0649, CS0169

        public int Count => _nested?.Count ?? 0;
    }

    [Fact]
    public void Reflection_walk_detects_an_oracle_nested_in_collections()
    {
        var found = OracleFields(typeof(HolderOfOracles), []);
        Assert.Single(found);
        Assert.Contains("_nested", found[0], StringComparison.Ordinal);
    }
}
