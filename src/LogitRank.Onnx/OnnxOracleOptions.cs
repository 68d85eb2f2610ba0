namespace LogitRank.Onnx;

/// <summary>
/// How to drive a causal language model exported to ONNX as a logit oracle over <c>Σ^T</c> with
/// <c>Σ = {0..k-1}</c>. For a prefix <c>y_1..y_t</c> the oracle feeds the token ids
/// <c>[BOS, ids[y_1], ..., ids[y_t]]</c> (without <see cref="BosId"/>: <c>[ids[y_1], ..., ids[y_t]]</c>) as an
/// integer tensor <c>[batch, seq]</c> to <see cref="InputName"/> and reads the scores of the next token from the
/// last position of the float32 output <see cref="OutputName"/> of shape <c>[batch, seq, V]</c>.
/// </summary>
public sealed record OnnxOracleOptions
{
    /// <summary>Path of the <c>.onnx</c> file.</summary>
    public required string ModelPath { get; init; }

    /// <summary>The horizon <c>T</c> of the oracle: queried prefixes have length <c>0..T-1</c>.</summary>
    public required int Horizon { get; init; }

    /// <summary>The model input that takes the token ids (int64 or int32, shape <c>[batch, seq]</c>).</summary>
    public string InputName { get; init; } = "input_ids";

    /// <summary>The model output holding the next-token scores (float32, shape <c>[batch, seq, V]</c>).</summary>
    public string OutputName { get; init; } = "logits";

    /// <summary>
    /// An optional second input that takes an all-ones attention mask of the same shape as the tokens (as
    /// Hugging Face exports need); <see langword="null"/> when the model has no such input.
    /// </summary>
    public string? AttentionMaskName { get; init; }

    /// <summary>
    /// The beginning-of-sequence id prepended to every prefix, or <see langword="null"/> for none (then the empty
    /// prefix cannot be queried: the model has no position to read its scores from).
    /// </summary>
    public int? BosId { get; init; }

    /// <summary>
    /// The alphabet-to-vocabulary map; <see langword="null"/> means the whole vocabulary (identity map, <c>k = V</c>,
    /// which needs a fixed vocabulary dimension in the model's output metadata).
    /// </summary>
    public VocabularyMapping? Vocabulary { get; init; }

    /// <summary>
    /// The model's maximum sequence length (positions, BOS included), or <see langword="null"/> if unknown; when set,
    /// the oracle refuses at construction a horizon whose longest prefix would not fit.
    /// </summary>
    public int? MaxContext { get; init; }

    /// <summary>Prefixes of equal length are run together as one tensor of at most this many rows (default 32).</summary>
    public int MaxBatchSize { get; init; } = 32;

    /// <summary>ONNX Runtime intra-op threads (default 1; 0 lets ONNX Runtime choose).</summary>
    public int IntraOpThreads { get; init; } = 1;
}
