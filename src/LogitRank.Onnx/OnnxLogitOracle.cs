using System.Globalization;
using LogitRank.Numerics;
using LogitRank.Oracles;
using LogitRank.Sequences;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace LogitRank.Onnx;

/// <summary>
/// A logit oracle over a causal language model exported to ONNX, run by ONNX Runtime on the CPU:
/// <c>Query(h)[a] = center_a( s(h)[ids[a]] )</c>, where <c>s(h) ∈ R^V</c> are the model's float32 next-token
/// scores after the prefix <c>h</c> (read at the last position of <c>[BOS, ids[h_1], ..., ids[h_t]]</c>) and
/// <c>ids</c> is the <see cref="VocabularyMapping"/>.
/// </summary>
/// <remarks>
/// <para>
/// With a mapping that covers the whole vocabulary (<see cref="IsFullVocabulary"/>) the answer is the model's own
/// next-token distribution; with a subset <c>S</c> it is the model's distribution conditioned on the next token
/// lying in <c>S</c> (centering the subset's scores is renormalising over <c>S</c>).
/// </para>
/// <para>
/// Accuracy: the scores are float32, so the oracle is exact for "the model as ONNX Runtime computes it" and within
/// about <c>1e-5</c> nats per centered coordinate of the same network evaluated elsewhere (the fixture's training
/// framework); running a prefix in a different batch can change the answer by float32 rounding (about <c>1e-6</c>),
/// so wrap the oracle in a caching decorator when repeated queries must agree bit for bit.
/// </para>
/// <para>
/// A query batch is grouped by prefix length; each group runs as <c>[batch, seq]</c> tensors of at most
/// <see cref="OnnxOracleOptions.MaxBatchSize"/> rows. The oracle is thread-safe (ONNX Runtime sessions are).
/// </para>
/// </remarks>
public sealed class OnnxLogitOracle : ILogitOracle, IDisposable
{
    private readonly InferenceSession _session;
    private readonly VocabularyMapping _mapping;
    private readonly OnnxOracleOptions _options;
    private readonly bool _inputIsInt32;
    private readonly int _bosOffset;
    private bool _disposed;

    /// <summary>Loads the model and checks its interface against <paramref name="options"/>.</summary>
    /// <exception cref="ArgumentException">An option is out of range (horizon, batch size, threads, BOS id), or the horizon does not fit <see cref="OnnxOracleOptions.MaxContext"/>.</exception>
    /// <exception cref="OnnxModelLoadException">The file is missing or ONNX Runtime cannot load it.</exception>
    /// <exception cref="OnnxModelInterfaceException">The model's inputs, outputs, element types, shapes or vocabulary do not match the options.</exception>
    public OnnxLogitOracle(OnnxOracleOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ValidateOptions(options);
        _options = options;
        _bosOffset = options.BosId is null ? 0 : 1;

        if (!File.Exists(options.ModelPath))
        {
            throw new OnnxModelLoadException(
                $"ONNX model file '{options.ModelPath}' does not exist.",
                new FileNotFoundException("Model file not found.", options.ModelPath));
        }

        _session = LoadSession(options);
        try
        {
            (_mapping, ModelVocabularySize, _inputIsInt32) = CheckInterface(_session, options);
        }
        catch
        {
            _session.Dispose();
            throw;
        }
    }

    /// <inheritdoc/>
    public int AlphabetSize => _mapping.AlphabetSize;

    /// <inheritdoc/>
    public int Horizon => _options.Horizon;

    /// <summary>The options the oracle was built with.</summary>
    public OnnxOracleOptions Options => _options;

    /// <summary>The alphabet-to-vocabulary map in use (the identity over the whole vocabulary when none was given).</summary>
    public VocabularyMapping Vocabulary => _mapping;

    /// <summary>The model's vocabulary size <c>V</c> from its output metadata, or <see langword="null"/> if that dimension is symbolic.</summary>
    public int? ModelVocabularySize { get; }

    /// <summary>
    /// Whether the mapping covers the model's whole vocabulary, so that answers are the model's distribution
    /// rather than its distribution conditioned on the subset (false when <see cref="ModelVocabularySize"/> is unknown).
    /// </summary>
    public bool IsFullVocabulary => ModelVocabularySize is { } v && _mapping.CoversVocabulary(v);

    /// <summary>The model's input names, as ONNX Runtime reports them.</summary>
    public IReadOnlyList<string> ModelInputNames => _session.InputNames;

    /// <summary>The model's output names, as ONNX Runtime reports them.</summary>
    public IReadOnlyList<string> ModelOutputNames => _session.OutputNames;

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">A prefix is longer than <c>T-1</c>, holds a token outside <c>0..k-1</c>, or is empty while no BOS id is configured (the message names the prefix's index).</exception>
    /// <exception cref="OnnxInferenceException">ONNX Runtime failed, or returned a wrongly shaped output or a non-finite score.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled (a running model call is terminated).</exception>
    public IReadOnlyList<LogitVector> Query(IReadOnlyList<Prefix> prefixes, QueryPhase phase = QueryPhase.Other, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prefixes);
        ObjectDisposedException.ThrowIf(_disposed, this);
        for (var i = 0; i < prefixes.Count; i++)
        {
            if (PrefixError(prefixes[i], i) is { } error)
            {
                throw new ArgumentException(error, nameof(prefixes));
            }
        }

        var result = new LogitVector[prefixes.Count];
        var groups = Enumerable.Range(0, prefixes.Count).GroupBy(i => prefixes[i].Length).OrderBy(g => g.Key);
        foreach (var group in groups)
        {
            foreach (var chunk in group.Chunk(_options.MaxBatchSize))
            {
                cancellationToken.ThrowIfCancellationRequested();
                RunChunk(prefixes, chunk, group.Key, result, cancellationToken);
            }
        }

        return result;
    }

    /// <summary>Releases the ONNX Runtime session.</summary>
    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            _session.Dispose();
        }
    }

    private static void ValidateOptions(OnnxOracleOptions options)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(options.ModelPath, nameof(options));
        ArgumentException.ThrowIfNullOrWhiteSpace(options.InputName, nameof(options));
        ArgumentException.ThrowIfNullOrWhiteSpace(options.OutputName, nameof(options));
        if (options.Horizon < 1)
        {
            throw new ArgumentException($"Horizon T = {options.Horizon}; expected T >= 1.", nameof(options));
        }

        if (options.MaxBatchSize < 1)
        {
            throw new ArgumentException($"MaxBatchSize = {options.MaxBatchSize}; expected at least 1.", nameof(options));
        }

        if (options.IntraOpThreads < 0)
        {
            throw new ArgumentException($"IntraOpThreads = {options.IntraOpThreads}; expected 0 (runtime's choice) or more.", nameof(options));
        }

        if (options.BosId is < 0)
        {
            throw new ArgumentException($"BosId = {options.BosId}; expected a non-negative model id or null.", nameof(options));
        }

        var bos = options.BosId is null ? 0 : 1;
        if (options.MaxContext is { } context && options.Horizon - 1 + bos > context)
        {
            throw new ArgumentException(
                $"Horizon T = {options.Horizon} needs sequences of {options.Horizon - 1 + bos} positions (prefixes up to T-1 = {options.Horizon - 1}{(bos == 1 ? " plus BOS" : string.Empty)}), but the model's context is {context}.",
                nameof(options));
        }
    }

    private static InferenceSession LoadSession(OnnxOracleOptions options)
    {
        // Fatal only: ONNX Runtime otherwise prints its own coloured error line on stderr (e.g. a BOS id outside the input
        // embedding fails in a Gather node) before the error reaches us; every failure is thrown as a typed exception.
        using var sessionOptions = new SessionOptions
        {
            IntraOpNumThreads = options.IntraOpThreads,
            InterOpNumThreads = 1,
            LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL,
        };
        try
        {
            return new InferenceSession(options.ModelPath, sessionOptions);
        }
        catch (OnnxRuntimeException e)
        {
            throw new OnnxModelLoadException($"ONNX Runtime could not load '{options.ModelPath}' as an ONNX model: {e.Message}", e);
        }
    }

    private static (VocabularyMapping Mapping, int? Vocabulary, bool InputIsInt32) CheckInterface(InferenceSession session, OnnxOracleOptions options)
    {
        string Names() => string.Create(
            CultureInfo.InvariantCulture,
            $"the model's inputs are [{string.Join(", ", session.InputNames)}] and its outputs are [{string.Join(", ", session.OutputNames)}]");

        if (!session.InputMetadata.TryGetValue(options.InputName, out var input))
        {
            throw new OnnxModelInterfaceException($"The model has no input named '{options.InputName}'; {Names()}.");
        }

        if (options.AttentionMaskName is { } mask && !session.InputMetadata.ContainsKey(mask))
        {
            throw new OnnxModelInterfaceException($"The model has no attention-mask input named '{mask}'; {Names()}.");
        }

        var expectedInputs = options.AttentionMaskName is null ? 1 : 2;
        if (session.InputMetadata.Count != expectedInputs)
        {
            throw new OnnxModelInterfaceException($"The model needs {session.InputMetadata.Count} inputs but the options feed {expectedInputs}; {Names()}.");
        }

        if (!session.OutputMetadata.TryGetValue(options.OutputName, out var output))
        {
            throw new OnnxModelInterfaceException($"The model has no output named '{options.OutputName}'; {Names()}.");
        }

        if (!input.IsTensor || input.ElementDataType is not (TensorElementType.Int64 or TensorElementType.Int32) || input.Dimensions.Length != 2)
        {
            throw new OnnxModelInterfaceException(
                $"Input '{options.InputName}' is {Describe(input)}; expected an int64 or int32 tensor of shape [batch, seq].");
        }

        if (!output.IsTensor || output.ElementDataType != TensorElementType.Float || output.Dimensions.Length != 3)
        {
            throw new OnnxModelInterfaceException(
                $"Output '{options.OutputName}' is {Describe(output)}; expected a float32 tensor of shape [batch, seq, V].");
        }

        int? vocabulary = output.Dimensions[2] > 0 ? output.Dimensions[2] : null;
        VocabularyMapping mapping;
        if (options.Vocabulary is { } given)
        {
            mapping = given;
        }
        else if (vocabulary is { } v)
        {
            if (v < 2)
            {
                throw new OnnxModelInterfaceException($"Output '{options.OutputName}' has a vocabulary of V = {v} entries; a next-token distribution needs at least 2.");
            }

            mapping = VocabularyMapping.FullVocabulary(v);
        }
        else
        {
            throw new OnnxModelInterfaceException(
                $"Output '{options.OutputName}' has a symbolic vocabulary dimension ({Describe(output)}); give OnnxOracleOptions.Vocabulary explicitly.");
        }

        if (vocabulary is { } size && mapping.MaxModelId >= size)
        {
            throw new OnnxModelInterfaceException(
                $"The vocabulary mapping uses model id {mapping.MaxModelId}, but output '{options.OutputName}' has only V = {size} vocabulary entries (ids 0..{size - 1}).");
        }

        return (mapping, vocabulary, input.ElementDataType == TensorElementType.Int32);
    }

    private static string Describe(NodeMetadata node)
    {
        if (!node.IsTensor)
        {
            return $"a non-tensor value ({node.OnnxValueType})";
        }

        var dims = node.Dimensions.Select((d, i) => d > 0 ? d.ToString(CultureInfo.InvariantCulture) : (string.IsNullOrEmpty(node.SymbolicDimensions[i]) ? "?" : node.SymbolicDimensions[i]));
        return $"a {node.ElementDataType} tensor of shape [{string.Join(", ", dims)}]";
    }

    private string? PrefixError(Prefix prefix, int index)
    {
        if (prefix is null)
        {
            return $"Prefix {index} is null.";
        }

        if (prefix.Length > Horizon - 1)
        {
            return $"Prefix {index} has length {prefix.Length}; the oracle answers prefixes of length at most T-1 = {Horizon - 1}.";
        }

        if (prefix.Length == 0 && _bosOffset == 0)
        {
            return $"Prefix {index} is empty, but no BOS id is configured, so the model has no position to predict the first token from.";
        }

        var tokens = prefix.Tokens;
        for (var j = 0; j < tokens.Length; j++)
        {
            if ((uint)tokens[j] >= (uint)AlphabetSize)
            {
                return $"Prefix {index} has token {tokens[j]} at position {j}; tokens must lie in 0..{AlphabetSize - 1}.";
            }
        }

        return null;
    }

    private void RunChunk(IReadOnlyList<Prefix> prefixes, int[] rows, int prefixLength, LogitVector[] result, CancellationToken cancellationToken)
    {
        var seq = prefixLength + _bosOffset;
        var shape = new long[] { rows.Length, seq };
        var ids = new long[rows.Length * seq];
        for (var r = 0; r < rows.Length; r++)
        {
            var offset = r * seq;
            if (_options.BosId is { } bos)
            {
                ids[offset] = bos;
            }

            var tokens = prefixes[rows[r]].Tokens;
            for (var j = 0; j < tokens.Length; j++)
            {
                ids[offset + _bosOffset + j] = _mapping[tokens[j]];
            }
        }

        var names = new List<string> { _options.InputName };
        var values = new List<OrtValue> { CreateIdTensor(ids, shape) };
        try
        {
            if (_options.AttentionMaskName is { } mask)
            {
                names.Add(mask);
                var ones = new long[ids.Length];
                Array.Fill(ones, 1L);
                values.Add(CreateIdTensor(ones, shape));
            }

            using var runOptions = new RunOptions { LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL };
            using var registration = cancellationToken.Register(() => runOptions.Terminate = true);
            IDisposableReadOnlyCollection<OrtValue> outputs;
            try
            {
                outputs = _session.Run(runOptions, names, values, [_options.OutputName]);
            }
            catch (OnnxRuntimeException e)
            {
                cancellationToken.ThrowIfCancellationRequested();
                throw new OnnxInferenceException(
                    $"ONNX Runtime failed on a batch of {rows.Length} prefixes of length {prefixLength} (input shape [{rows.Length}, {seq}]): {e.Message}", e);
            }

            using (outputs)
            {
                ReadScores(outputs[0], rows, seq, prefixLength, result);
            }
        }
        finally
        {
            foreach (var value in values)
            {
                value.Dispose();
            }
        }
    }

    private OrtValue CreateIdTensor(long[] ids, long[] shape) =>
        _inputIsInt32
            ? OrtValue.CreateTensorValueFromMemory(Array.ConvertAll(ids, id => checked((int)id)), shape)
            : OrtValue.CreateTensorValueFromMemory(ids, shape);

    private void ReadScores(OrtValue output, int[] rows, int seq, int prefixLength, LogitVector[] result)
    {
        var info = output.GetTensorTypeAndShape();
        var shape = info.Shape;
        if (info.ElementDataType != TensorElementType.Float || shape.Length != 3 || shape[0] != rows.Length || shape[1] != seq || shape[2] <= _mapping.MaxModelId)
        {
            throw new OnnxInferenceException(
                $"Output '{_options.OutputName}' came back as a {info.ElementDataType} tensor of shape [{string.Join(", ", shape)}]; expected float32 [{rows.Length}, {seq}, V] with V > {_mapping.MaxModelId}.");
        }

        var vocabulary = (int)shape[2];
        var data = output.GetTensorDataAsSpan<float>();
        var scores = new double[AlphabetSize];
        for (var r = 0; r < rows.Length; r++)
        {
            var offset = ((r * seq) + (seq - 1)) * vocabulary;
            for (var a = 0; a < scores.Length; a++)
            {
                var s = data[offset + _mapping[a]];
                if (!float.IsFinite(s))
                {
                    throw new OnnxInferenceException(
                        $"The model returned score {s} for alphabet token {a} (model id {_mapping[a]}) after a prefix of length {prefixLength} (query {rows[r]}); scores must be finite.");
                }

                scores[a] = s;
            }

            result[rows[r]] = LogitVector.FromLogits(scores);
        }
    }
}
