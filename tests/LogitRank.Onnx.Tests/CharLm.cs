using System.Text.Json;
using LogitRank.Sequences;

namespace LogitRank.Onnx.Tests;

/// <summary>The charlm-dev fixture (copied into the repository under Fixtures/charlm-dev).</summary>
internal static class CharLm
{
    public static string Directory => Path.Combine(AppContext.BaseDirectory, "Fixtures", "charlm-dev");

    public static string ModelPath => Path.Combine(Directory, "charlm-dev.onnx");

    public static string SpecPath => Path.Combine(Directory, "charlm-dev.json");

    public static OnnxModelSpec Spec => OnnxModelSpec.Load(SpecPath);

    /// <summary>The golden next-symbol log-probabilities (natural log) by prefix text, from the training framework.</summary>
    public static IReadOnlyDictionary<string, double[]> Golden =>
        JsonSerializer.Deserialize<Dictionary<string, double[]>>(File.ReadAllText(Path.Combine(Directory, "charlm-dev.golden.json")))!;

    public static OnnxOracleOptions Options(int horizon = 32, int maxBatchSize = 32) =>
        Spec.ToOptions(ModelPath, horizon) with { MaxBatchSize = maxBatchSize };

    public static Prefix Encode(string text) => Prefix.From(Spec.Encode(text));
}
