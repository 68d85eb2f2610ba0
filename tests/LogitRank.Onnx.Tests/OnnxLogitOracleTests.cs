using LogitRank.Numerics;
using LogitRank.Oracles;
using LogitRank.Sequences;

namespace LogitRank.Onnx.Tests;

public sealed class OnnxLogitOracleTests
{
    // The README of charlm-dev states that ONNX Runtime on CPU reproduces the golden values to about 1e-5
    // (the JSON records a max abs difference of 5.8e-6 against the training framework); 1e-4 leaves a
    // tenfold margin for a different CPU's float32 kernels while still catching any off-by-one in the read
    // position (neighbouring positions differ by whole nats).
    private const double GoldenTolerance = 1e-4;

    // Batching changes only the float32 kernel path (GEMM blocking over a different batch dimension), so the
    // same prefix could differ by an ulp or so of a logit of magnitude <= 8 (float32 ulp 9.5e-7 at 8), and
    // centering at most doubles a per-coordinate difference; in practice ONNX
    // Runtime's CPU kernels compute each row independently: measured max difference 0 over 300 random prefixes
    // of lengths 0..19 (batch 128 vs batch 1). 1e-6 is about one float32 ulp at the logits' scale.
    private const double BatchTolerance = 1e-6;

    [Fact]
    public void Golden_log_probabilities_are_reproduced()
    {
        using var oracle = new OnnxLogitOracle(CharLm.Options());
        Assert.Equal(32, oracle.AlphabetSize);
        Assert.True(oracle.IsFullVocabulary);
        var golden = CharLm.Golden;
        Assert.NotEmpty(golden);
        var answers = oracle.Query(golden.Keys.Select(CharLm.Encode).ToList());
        var i = 0;
        foreach (var (text, expected) in golden)
        {
            var actual = answers[i++].LogProbabilities();
            Assert.Equal(expected.Length, actual.Length);
            for (var z = 0; z < expected.Length; z++)
            {
                Assert.True(Math.Abs(actual[z] - expected[z]) <= GoldenTolerance, $"prefix \"{text}\", symbol {z}: {actual[z]} vs golden {expected[z]}");
            }
        }
    }

    [Fact]
    public void Golden_centered_vectors_are_reproduced()
    {
        using var oracle = new OnnxLogitOracle(CharLm.Options());
        foreach (var (text, expected) in CharLm.Golden)
        {
            // Centering the golden log-probabilities gives the centered logits independently of the oracle.
            var expectedCentered = LogitVector.FromLogits(expected);
            var actual = oracle.Query([CharLm.Encode(text)])[0];
            Assert.True(actual.MaxAbsDifference(expectedCentered) <= GoldenTolerance, $"prefix \"{text}\": {actual.MaxAbsDifference(expectedCentered)}");
            Assert.Equal(0.0, actual.Values.ToArray().Sum(), 9);
        }
    }

    [Fact]
    public void Golden_values_hold_with_more_intra_op_threads()
    {
        using var oracle = new OnnxLogitOracle(CharLm.Options() with { IntraOpThreads = 2 });
        var (text, expected) = CharLm.Golden.Last();
        var actual = oracle.Query([CharLm.Encode(text)])[0].LogProbabilities();
        Assert.True(actual.Zip(expected).All(p => Math.Abs(p.First - p.Second) <= GoldenTolerance));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(32)]
    public void Batched_queries_equal_single_queries(int maxBatchSize)
    {
        var random = new Random(20261128);
        var prefixes = Enumerable.Range(0, 40).Select(_ => RandomPrefix(random, 6)).ToList();
        using var single = new OnnxLogitOracle(CharLm.Options(maxBatchSize: 1));
        using var batched = new OnnxLogitOracle(CharLm.Options(maxBatchSize: maxBatchSize));
        var expected = prefixes.Select(p => single.Query([p])[0]).ToList();
        var actual = batched.Query(prefixes);
        Assert.Equal(prefixes.Count, actual.Count);
        for (var i = 0; i < prefixes.Count; i++)
        {
            Assert.True(actual[i].MaxAbsDifference(expected[i]) <= BatchTolerance, $"prefix {i}: {actual[i].MaxAbsDifference(expected[i])}");
        }
    }

    [Fact]
    public void Mixed_length_batch_keeps_the_order_of_the_queries()
    {
        var golden = CharLm.Golden;
        // Interleave lengths 0, 1, 2, 4, 17, 5 with repeats so that groups are split and reassembled.
        var texts = new[] { "what?", "", "t", "a celebrity is a ", "th", "t", "the ", "", "what?", "th" };
        using var oracle = new OnnxLogitOracle(CharLm.Options(maxBatchSize: 2));
        var answers = oracle.Query(texts.Select(CharLm.Encode).ToList());
        Assert.Equal(texts.Length, answers.Count);
        for (var i = 0; i < texts.Length; i++)
        {
            var expected = LogitVector.FromLogits(golden[texts[i]]);
            Assert.True(answers[i].MaxAbsDifference(expected) <= GoldenTolerance, $"query {i} (\"{texts[i]}\")");
        }
    }

    [Fact]
    public void Empty_batch_returns_empty()
    {
        using var oracle = new OnnxLogitOracle(CharLm.Options());
        Assert.Empty(oracle.Query([]));
    }

    [Fact]
    public void Subset_mapping_is_the_conditional_distribution_on_the_subset()
    {
        // Symbols ' ', 'e', 't', 'a', 'z' (alphabet positions in the fixture's alphabet string).
        var spec = CharLm.Spec;
        var ids = " etaz".Select(c => spec.Alphabet.IndexOf(c, StringComparison.Ordinal)).ToArray();
        var options = CharLm.Options() with { Vocabulary = VocabularyMapping.Subset(ids) };
        using var oracle = new OnnxLogitOracle(options);
        Assert.Equal(5, oracle.AlphabetSize);
        Assert.False(oracle.IsFullVocabulary);
        foreach (var (text, golden) in CharLm.Golden)
        {
            // Prefixes are over the subset alphabet; keep only golden prefixes that lie in it.
            if (!text.All(c => ids.Contains(spec.Alphabet.IndexOf(c, StringComparison.Ordinal))))
            {
                continue;
            }

            var prefix = Prefix.From(text.Select(c => Array.IndexOf(ids, spec.Alphabet.IndexOf(c, StringComparison.Ordinal))));
            var actual = oracle.Query([prefix])[0].LogProbabilities();
            // Conditional: log p(a | next in S) = log p(a) - log sum_{b in S} p(b), from the golden values alone.
            var logMass = LogSpace.LogSumExp(ids.Select(id => golden[id]).ToArray());
            for (var a = 0; a < ids.Length; a++)
            {
                Assert.True(Math.Abs(actual[a] - (golden[ids[a]] - logMass)) <= GoldenTolerance, $"prefix \"{text}\", subset token {a}");
            }
        }
    }

    [Fact]
    public void Permuted_full_mapping_is_exact_and_permutes_the_answer()
    {
        var reversed = Enumerable.Range(0, 32).Reverse().ToArray();
        using var oracle = new OnnxLogitOracle(CharLm.Options() with { Vocabulary = VocabularyMapping.Subset(reversed) });
        Assert.True(oracle.IsFullVocabulary);
        var golden = LogitVector.FromLogits(CharLm.Golden["t"]);
        // Symbol 't' is model id 25, which the reversed mapping calls alphabet token 31 - 25 = 6.
        var answer = oracle.Query([Prefix.Of(31 - CharLm.Spec.Alphabet.IndexOf('t', StringComparison.Ordinal))])[0];
        for (var a = 0; a < 32; a++)
        {
            Assert.True(Math.Abs(answer[a] - golden[31 - a]) <= GoldenTolerance);
        }
    }

    [Theory]
    [InlineData(TinyOnnx.Int64)]
    [InlineData(TinyOnnx.Int32)]
    public void Reads_the_last_position_and_prepends_bos(int tokenType)
    {
        // The plus-minus model answers (x, -x) for last id x, so [BOS=5] gives (5, -5) and [5, 1, 0] gives (0, 0).
        var path = TinyOnnx.WriteTemp(TinyOnnx.PlusMinusModel(tokenType));
        try
        {
            using var oracle = new OnnxLogitOracle(new OnnxOracleOptions { ModelPath = path, Horizon = 4, InputName = "tokens", BosId = 5 });
            Assert.Equal(2, oracle.AlphabetSize);
            var answers = oracle.Query([Prefix.Empty, Prefix.Of(1), Prefix.Of(1, 0), Prefix.Of(0, 0, 1)]);
            Assert.Equal([5.0, -5.0], answers[0].ToArray());
            Assert.Equal([1.0, -1.0], answers[1].ToArray());
            Assert.Equal([0.0, 0.0], answers[2].ToArray());
            Assert.Equal([1.0, -1.0], answers[3].ToArray());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Without_bos_the_empty_prefix_is_rejected_and_others_are_read_at_their_last_token()
    {
        var path = TinyOnnx.WriteTemp(TinyOnnx.PlusMinusModel(TinyOnnx.Int64));
        try
        {
            using var oracle = new OnnxLogitOracle(new OnnxOracleOptions { ModelPath = path, Horizon = 3, InputName = "tokens" });
            Assert.Equal([1.0, -1.0], oracle.Query([Prefix.Of(0, 1)])[0].ToArray());
            var e = Assert.Throws<ArgumentException>(() => oracle.Query([Prefix.Of(1), Prefix.Empty]));
            Assert.Contains("Prefix 1 is empty", e.Message, StringComparison.Ordinal);
            Assert.Contains("BOS", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Garbage_model_file_is_a_load_error()
    {
        var path = Path.Combine(Path.GetTempPath(), $"logitrank-garbage-{Guid.NewGuid():N}.onnx");
        var bytes = new byte[4096];
        new Random(7).NextBytes(bytes);
        File.WriteAllBytes(path, bytes);
        try
        {
            var e = Assert.Throws<OnnxModelLoadException>(() => new OnnxLogitOracle(CharLm.Options() with { ModelPath = path }));
            Assert.Contains(path, e.Message, StringComparison.Ordinal);
            Assert.NotNull(e.InnerException);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Missing_model_file_is_a_load_error()
    {
        var path = Path.Combine(Path.GetTempPath(), $"logitrank-missing-{Guid.NewGuid():N}.onnx");
        var e = Assert.Throws<OnnxModelLoadException>(() => new OnnxLogitOracle(CharLm.Options() with { ModelPath = path }));
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
        Assert.IsType<FileNotFoundException>(e.InnerException);
    }

    [Fact]
    public void Wrong_input_name_lists_the_models_names()
    {
        var e = Assert.Throws<OnnxModelInterfaceException>(() => new OnnxLogitOracle(CharLm.Options() with { InputName = "input_ids" }));
        Assert.Contains("'input_ids'", e.Message, StringComparison.Ordinal);
        Assert.Contains("[tokens]", e.Message, StringComparison.Ordinal);
        Assert.Contains("[logits]", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Wrong_output_name_lists_the_models_names()
    {
        var e = Assert.Throws<OnnxModelInterfaceException>(() => new OnnxLogitOracle(CharLm.Options() with { OutputName = "scores" }));
        Assert.Contains("'scores'", e.Message, StringComparison.Ordinal);
        Assert.Contains("[tokens]", e.Message, StringComparison.Ordinal);
        Assert.Contains("[logits]", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_attention_mask_input_is_an_interface_error()
    {
        var e = Assert.Throws<OnnxModelInterfaceException>(() => new OnnxLogitOracle(CharLm.Options() with { AttentionMaskName = "attention_mask" }));
        Assert.Contains("'attention_mask'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Mapping_beyond_the_vocabulary_is_an_interface_error()
    {
        var ids = Enumerable.Range(0, 31).Append(40).ToArray();
        var e = Assert.Throws<OnnxModelInterfaceException>(() => new OnnxLogitOracle(CharLm.Options() with { Vocabulary = VocabularyMapping.Subset(ids) }));
        Assert.Contains("40", e.Message, StringComparison.Ordinal);
        Assert.Contains("V = 32", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rank_two_output_is_an_interface_error()
    {
        var path = TinyOnnx.WriteTemp(TinyOnnx.RankTwoModel());
        try
        {
            var e = Assert.Throws<OnnxModelInterfaceException>(() => new OnnxLogitOracle(new OnnxOracleOptions { ModelPath = path, Horizon = 3, InputName = "tokens", BosId = 0 }));
            Assert.Contains("[batch, seq, V]", e.Message, StringComparison.Ordinal);
            Assert.Contains("[batch, seq]", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Vocabulary_of_one_entry_is_an_interface_error()
    {
        var path = TinyOnnx.WriteTemp(TinyOnnx.OneColumnModel());
        try
        {
            var e = Assert.Throws<OnnxModelInterfaceException>(() => new OnnxLogitOracle(new OnnxOracleOptions { ModelPath = path, Horizon = 3, InputName = "tokens", BosId = 0 }));
            Assert.Contains("V = 1", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Symbolic_vocabulary_needs_an_explicit_mapping()
    {
        var path = TinyOnnx.WriteTemp(TinyOnnx.SymbolicVocabularyModel());
        try
        {
            var e = Assert.Throws<OnnxModelInterfaceException>(() => new OnnxLogitOracle(new OnnxOracleOptions { ModelPath = path, Horizon = 3, InputName = "tokens", BosId = 0 }));
            Assert.Contains("symbolic vocabulary", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Output_narrower_than_the_mapping_at_run_time_is_an_inference_error()
    {
        // The symbolic model's vocabulary equals the sequence length: 1 after [BOS] (too narrow for ids 0 and 1),
        // 2 after [BOS, y1], where the scores are x_last + x_j = (1 + 0, 1 + 1) for [BOS = 0, 1].
        var path = TinyOnnx.WriteTemp(TinyOnnx.SymbolicVocabularyModel());
        try
        {
            using var oracle = new OnnxLogitOracle(new OnnxOracleOptions
            {
                ModelPath = path,
                Horizon = 3,
                InputName = "tokens",
                BosId = 0,
                Vocabulary = VocabularyMapping.Subset([0, 1]),
            });
            Assert.Null(oracle.ModelVocabularySize);
            Assert.False(oracle.IsFullVocabulary);
            Assert.Equal([-0.5, 0.5], oracle.Query([Prefix.Of(1)])[0].ToArray());
            var e = Assert.Throws<OnnxInferenceException>(() => oracle.Query([Prefix.Empty]));
            Assert.Contains("[1, 1, 1]", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Prefix_longer_than_the_horizon_is_rejected()
    {
        using var oracle = new OnnxLogitOracle(CharLm.Options(horizon: 4));
        var e = Assert.Throws<ArgumentException>(() => oracle.Query([Prefix.Of(1, 2, 3), Prefix.Of(1, 2, 3, 4)]));
        Assert.Contains("Prefix 1 has length 4", e.Message, StringComparison.Ordinal);
        Assert.Contains("T-1 = 3", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Horizon_beyond_the_context_is_rejected_at_construction()
    {
        // charlm-dev has 32 positions; with BOS, T = 33 needs prefixes of 32 plus BOS = 33 positions.
        var e = Assert.Throws<ArgumentException>(() => new OnnxLogitOracle(CharLm.Options(horizon: 33)));
        Assert.Contains("context is 32", e.Message, StringComparison.Ordinal);
        using var ok = new OnnxLogitOracle(CharLm.Options(horizon: 32));
        Assert.Equal(32, ok.Horizon);
        Assert.Single(ok.Query([Prefix.From(Enumerable.Repeat(7, 31))]));
    }

    [Fact]
    public void Prefix_beyond_the_models_context_is_an_inference_error_when_the_context_is_not_declared()
    {
        using var oracle = new OnnxLogitOracle(CharLm.Options(horizon: 40) with { MaxContext = null });
        var e = Assert.Throws<OnnxInferenceException>(() => oracle.Query([Prefix.From(Enumerable.Repeat(7, 35))]));
        Assert.Contains("[1, 36]", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Token_outside_the_alphabet_is_rejected()
    {
        using var oracle = new OnnxLogitOracle(CharLm.Options());
        var e = Assert.Throws<ArgumentException>(() => oracle.Query([Prefix.Of(3, 32)]));
        Assert.Contains("token 32 at position 1", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, 32, 1)]
    [InlineData(4, 0, 1)]
    [InlineData(4, 32, -1)]
    public void Bad_options_are_rejected(int horizon, int maxBatchSize, int threads)
    {
        Assert.Throws<ArgumentException>(() => new OnnxLogitOracle(CharLm.Options(horizon, maxBatchSize) with { IntraOpThreads = threads }));
    }

    [Fact]
    public void Cancelled_token_stops_the_query()
    {
        using var oracle = new OnnxLogitOracle(CharLm.Options());
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => oracle.Query([Prefix.Of(1)], QueryPhase.Other, cts.Token));
    }

    [Fact]
    public void Cancellation_during_a_batch_stops_it()
    {
        // Deterministic: the token is cancelled from inside the call, when the oracle reads prefix 2000 of 4000
        // (a timer-based cancel raced the batch on a quiet machine and let it finish first).
        var random = new Random(3);
        using var cts = new CancellationTokenSource();
        var prefixes = new CancellingList(Enumerable.Range(0, 4000).Select(_ => RandomPrefix(random, 10)).ToList(), 2000, cts);
        using var oracle = new OnnxLogitOracle(CharLm.Options(maxBatchSize: 1));
        Assert.ThrowsAny<OperationCanceledException>(() => oracle.Query(prefixes, QueryPhase.Other, cts.Token));
        Assert.True(cts.IsCancellationRequested);
    }

    /// <summary>A list that cancels a token the first time element <c>trigger</c> is read.</summary>
    private sealed class CancellingList(IReadOnlyList<Prefix> inner, int trigger, CancellationTokenSource source) : IReadOnlyList<Prefix>
    {
        public Prefix this[int index]
        {
            get
            {
                if (index == trigger)
                {
                    source.Cancel();
                }

                return inner[index];
            }
        }

        public int Count => inner.Count;

        public IEnumerator<Prefix> GetEnumerator()
        {
            for (var i = 0; i < Count; i++)
            {
                yield return this[i];
            }
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }

    [Fact]
    public void Query_after_dispose_throws()
    {
        var oracle = new OnnxLogitOracle(CharLm.Options());
        oracle.Dispose();
        oracle.Dispose();
        Assert.Throws<ObjectDisposedException>(() => oracle.Query([Prefix.Of(1)]));
    }

    [Fact]
    public void Subset_mapping_rejects_repeats_and_negative_ids()
    {
        Assert.Contains("both map to model id 3", Assert.Throws<ArgumentException>(() => VocabularyMapping.Subset([1, 3, 3])).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => VocabularyMapping.Subset([1, -2]));
        Assert.Throws<ArgumentException>(() => VocabularyMapping.Subset([1]));
        Assert.Throws<ArgumentOutOfRangeException>(() => VocabularyMapping.FullVocabulary(1));
    }

    private static Prefix RandomPrefix(Random random, int length) =>
        Prefix.From(Enumerable.Range(0, length).Select(_ => random.Next(32)));
}
