using LogitRank.Onnx;
using LogitRank.Sequences;

namespace LogitRank.Cli;

/// <summary>
/// <c>onnx:path=model.onnx,T=8[,spec=model.json,batch=32]</c>: an <see cref="OnnxLogitOracle"/> over an exported causal LM,
/// with the interface file <c>spec</c> (default: <c>path</c> with the extension <c>.json</c>) read by
/// <see cref="OnnxModelSpec.Load"/>.
/// </summary>
internal static class OnnxTarget
{
    public static ModelSource Open(TargetSpec spec)
    {
        var path = spec.Parameters["path"];
        var horizon = spec.Integer("T", 0, 1);
        var batch = spec.Integer("batch", 32, 1);
        var specPath = spec.Parameters.TryGetValue("spec", out var s) ? s : Path.ChangeExtension(path, ".json");
        OnnxModelSpec modelSpec;
        try
        {
            modelSpec = OnnxModelSpec.Load(specPath);
        }
        catch (Exception e) when (e is FileNotFoundException or FormatException or IOException or UnauthorizedAccessException)
        {
            throw CliException.BadFile($"ONNX interface file '{specPath}' (key 'spec'): {Cli.OneLine(e.Message)}", e);
        }

        OnnxLogitOracle oracle;
        try
        {
            oracle = new OnnxLogitOracle(modelSpec.ToOptions(path, horizon) with { MaxBatchSize = batch });
        }
        catch (OnnxOracleException e)
        {
            throw CliException.BadFile($"ONNX model '{path}': {Cli.OneLine(e.Message)}", e);
        }
        catch (ArgumentException e)
        {
            throw new TargetSpecException(spec.Family, "T", spec.Parameters["T"], $"Target spec '{spec}' is invalid: {Cli.OneLine(e.Message)}", e);
        }

        var alphabet = new Alphabet([.. modelSpec.Alphabet.Select(c => c.ToString())]);
        return new ModelSource(null, oracle, spec.ToString(), isFile: false, alphabet, oracle);
    }
}
