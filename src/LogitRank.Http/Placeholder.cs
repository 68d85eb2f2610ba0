namespace LogitRank.Http;

/// <summary>Marker for the ONNX adapter assembly (the oracle lands with issue 6).</summary>
internal static class AssemblyMarker;
