using System.Buffers.Binary;
using LogitRank.Numerics;
using LogitRank.Sequences;

namespace LogitRank.Persistence;

/// <summary>
/// The on-disk encoding of a cache entry: the prefix as little-endian 32-bit tokens, the answer as <c>k</c>
/// little-endian IEEE-754 doubles (an exact round trip of every bit), and a 64-bit FNV-1a checksum of both.
/// </summary>
internal static class AnswerCodec
{
    private const ulong FnvOffset = 14695981039346656037UL;
    private const ulong FnvPrime = 1099511628211UL;

    /// <summary>Encodes the tokens of <paramref name="prefix"/>.</summary>
    public static byte[] EncodePrefix(Prefix prefix)
    {
        var tokens = prefix.Tokens;
        var bytes = new byte[tokens.Length * sizeof(int)];
        for (var i = 0; i < tokens.Length; i++)
        {
            BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(i * sizeof(int)), tokens[i]);
        }

        return bytes;
    }

    /// <summary>Decodes a prefix, or returns null when the blob is not a whole number of tokens.</summary>
    public static Prefix? DecodePrefix(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length % sizeof(int) != 0)
        {
            return null;
        }

        var tokens = new int[bytes.Length / sizeof(int)];
        for (var i = 0; i < tokens.Length; i++)
        {
            tokens[i] = BinaryPrimitives.ReadInt32LittleEndian(bytes[(i * sizeof(int))..]);
        }

        return Prefix.From(tokens);
    }

    /// <summary>Encodes the centered values of <paramref name="logits"/>.</summary>
    public static byte[] EncodeValues(LogitVector logits)
    {
        var values = logits.Values;
        var bytes = new byte[values.Length * sizeof(double)];
        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteDoubleLittleEndian(bytes.AsSpan(i * sizeof(double)), values[i]);
        }

        return bytes;
    }

    /// <summary>Decodes <c>bytes.Length / 8</c> doubles.</summary>
    public static double[] DecodeValues(ReadOnlySpan<byte> bytes)
    {
        var values = new double[bytes.Length / sizeof(double)];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = BinaryPrimitives.ReadDoubleLittleEndian(bytes[(i * sizeof(double))..]);
        }

        return values;
    }

    /// <summary>The 64-bit FNV-1a hash of (prefix length in bytes, prefix bytes, value bytes), as a signed SQLite integer.</summary>
    public static long Checksum(ReadOnlySpan<byte> prefix, ReadOnlySpan<byte> values)
    {
        Span<byte> length = stackalloc byte[sizeof(int)];
        BinaryPrimitives.WriteInt32LittleEndian(length, prefix.Length);
        var hash = Mix(FnvOffset, length);
        hash = Mix(hash, prefix);
        hash = Mix(hash, values);
        return unchecked((long)hash);
    }

    /// <summary>
    /// A <see cref="LogitVector"/> holding exactly <paramref name="centered"/> (already centered: these are stored
    /// answers), without re-centering (<see cref="LogitVector.FromCentered"/>): re-centering can move a value by an ulp,
    /// and the analysis needs the identical answer back.
    /// </summary>
    public static LogitVector FromCentered(double[] centered) => LogitVector.FromCentered(centered);

    /// <summary>Bitwise equality of two answers (NaN-safe, distinguishes -0.0 from 0.0).</summary>
    public static bool BitwiseEqual(LogitVector a, LogitVector b)
    {
        if (a.Length != b.Length)
        {
            return false;
        }

        for (var i = 0; i < a.Length; i++)
        {
            if (BitConverter.DoubleToInt64Bits(a[i]) != BitConverter.DoubleToInt64Bits(b[i]))
            {
                return false;
            }
        }

        return true;
    }

    private static ulong Mix(ulong hash, ReadOnlySpan<byte> bytes)
    {
        foreach (var b in bytes)
        {
            hash ^= b;
            hash = unchecked(hash * FnvPrime);
        }

        return hash;
    }
}
