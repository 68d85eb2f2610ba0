using System.Text;

namespace LogitRank.Onnx.Tests;

/// <summary>
/// Writes tiny ONNX models (protobuf by hand, no generator dependency) with chosen interfaces, so that tests can
/// build models with wrong shapes or known outputs. Field numbers follow onnx.proto3 (ModelProto, GraphProto,
/// NodeProto, ValueInfoProto, TypeProto, TensorShapeProto, TensorProto, AttributeProto).
/// </summary>
internal static class TinyOnnx
{
    public const int Float = 1;
    public const int Int32 = 6;
    public const int Int64 = 7;

    /// <summary>
    /// Output <c>logits[n, i, :] = (x, -x)</c> with <c>x = float(tokens[n, i])</c>: a model whose centered answer
    /// after a sequence ending in id <c>x</c> is exactly <c>(x, -x)</c>, which pins the read position.
    /// </summary>
    public static byte[] PlusMinusModel(int tokenType) =>
        Model(
            Graph(
                "plusminus",
                [
                    Node("Cast", ["tokens"], ["x"], IntAttribute("to", Float)),
                    Node("Unsqueeze", ["x", "axes"], ["x3"]),
                    Node("Neg", ["x3"], ["negx3"]),
                    Node("Concat", ["x3", "negx3"], ["logits"], IntAttribute("axis", 2)),
                ],
                [Int64Tensor("axes", [2])],
                [ValueInfo("tokens", tokenType, ["batch", "seq"])],
                [ValueInfo("logits", Float, ["batch", "seq", 2L])]));

    /// <summary>Output <c>logits[n, i] = float(tokens[n, i])</c>: rank 2 where rank 3 is expected.</summary>
    public static byte[] RankTwoModel() =>
        Model(
            Graph(
                "ranktwo",
                [Node("Cast", ["tokens"], ["logits"], IntAttribute("to", Float))],
                [],
                [ValueInfo("tokens", Int64, ["batch", "seq"])],
                [ValueInfo("logits", Float, ["batch", "seq"])]));

    /// <summary>Output <c>[batch, seq, 1]</c>: a vocabulary of one entry.</summary>
    public static byte[] OneColumnModel() =>
        Model(
            Graph(
                "onecolumn",
                [
                    Node("Cast", ["tokens"], ["x"], IntAttribute("to", Float)),
                    Node("Unsqueeze", ["x", "axes"], ["logits"]),
                ],
                [Int64Tensor("axes", [2])],
                [ValueInfo("tokens", Int64, ["batch", "seq"])],
                [ValueInfo("logits", Float, ["batch", "seq", 1L])]));

    /// <summary>
    /// Output <c>logits[n, i, j] = x[n, i] + x[n, j]</c> of shape <c>[batch, seq, seq]</c>: the vocabulary dimension
    /// is symbolic (it equals the sequence length at run time).
    /// </summary>
    public static byte[] SymbolicVocabularyModel() =>
        Model(
            Graph(
                "symbolic",
                [
                    Node("Cast", ["tokens"], ["x"], IntAttribute("to", Float)),
                    Node("Unsqueeze", ["x", "axis2"], ["column"]),
                    Node("Unsqueeze", ["x", "axis1"], ["row"]),
                    Node("Add", ["column", "row"], ["logits"]),
                ],
                [Int64Tensor("axis2", [2]), Int64Tensor("axis1", [1])],
                [ValueInfo("tokens", Int64, ["batch", "seq"])],
                [ValueInfo("logits", Float, ["batch", "seq", "seq"])]));

    public static string WriteTemp(byte[] bytes)
    {
        var path = Path.Combine(Path.GetTempPath(), $"logitrank-onnx-{Guid.NewGuid():N}.onnx");
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static byte[] Model(byte[] graph)
    {
        var w = new Writer();
        w.Varint(1, 8); // ir_version
        w.Bytes(7, graph);
        var opset = new Writer();
        opset.String(1, string.Empty);
        opset.Varint(2, 17);
        w.Bytes(8, opset.ToArray());
        return w.ToArray();
    }

    private static byte[] Graph(string name, byte[][] nodes, byte[][] initializers, byte[][] inputs, byte[][] outputs)
    {
        var w = new Writer();
        foreach (var node in nodes)
        {
            w.Bytes(1, node);
        }

        w.String(2, name);
        foreach (var init in initializers)
        {
            w.Bytes(5, init);
        }

        foreach (var input in inputs)
        {
            w.Bytes(11, input);
        }

        foreach (var output in outputs)
        {
            w.Bytes(12, output);
        }

        return w.ToArray();
    }

    private static byte[] Node(string op, string[] inputs, string[] outputs, params byte[][] attributes)
    {
        var w = new Writer();
        foreach (var i in inputs)
        {
            w.String(1, i);
        }

        foreach (var o in outputs)
        {
            w.String(2, o);
        }

        w.String(4, op);
        foreach (var a in attributes)
        {
            w.Bytes(5, a);
        }

        return w.ToArray();
    }

    private static byte[] IntAttribute(string name, long value)
    {
        var w = new Writer();
        w.String(1, name);
        w.Varint(3, (ulong)value);
        w.Varint(20, 2); // AttributeType.INT
        return w.ToArray();
    }

    private static byte[] Int64Tensor(string name, long[] values)
    {
        var w = new Writer();
        w.Varint(1, (ulong)values.Length); // dims = [n]
        w.Varint(2, Int64);
        foreach (var v in values)
        {
            w.Varint(7, (ulong)v); // int64_data (unpacked is accepted by parsers)
        }

        w.String(8, name);
        return w.ToArray();
    }

    private static byte[] ValueInfo(string name, int elementType, object[] dims)
    {
        var shape = new Writer();
        foreach (var d in dims)
        {
            var dim = new Writer();
            if (d is long value)
            {
                dim.Varint(1, (ulong)value);
            }
            else
            {
                dim.String(2, (string)d);
            }

            shape.Bytes(1, dim.ToArray());
        }

        var tensor = new Writer();
        tensor.Varint(1, (ulong)elementType);
        tensor.Bytes(2, shape.ToArray());
        var type = new Writer();
        type.Bytes(1, tensor.ToArray());
        var w = new Writer();
        w.String(1, name);
        w.Bytes(2, type.ToArray());
        return w.ToArray();
    }

    private sealed class Writer
    {
        private readonly List<byte> _bytes = [];

        public void Varint(int field, ulong value)
        {
            Raw((ulong)(field << 3));
            Raw(value);
        }

        public void Bytes(int field, byte[] bytes)
        {
            Raw((ulong)((field << 3) | 2));
            Raw((ulong)bytes.Length);
            _bytes.AddRange(bytes);
        }

        public void String(int field, string s) => Bytes(field, Encoding.UTF8.GetBytes(s));

        public byte[] ToArray() => _bytes.ToArray();

        private void Raw(ulong value)
        {
            while (value >= 0x80)
            {
                _bytes.Add((byte)(value | 0x80));
                value >>= 7;
            }

            _bytes.Add((byte)value);
        }
    }
}
