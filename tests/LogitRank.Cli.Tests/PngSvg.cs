using System.Buffers.Binary;
using System.Xml.Linq;

namespace LogitRank.Cli.Tests;

/// <summary>Checks of plot files: the PNG signature and IHDR size, and an SVG that parses as XML with an svg root.</summary>
internal static class PngSvg
{
    private static readonly byte[] Signature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    public static (int Width, int Height) AssertPng(string path)
    {
        var bytes = File.ReadAllBytes(path);
        Assert.True(bytes.Length > 33, $"{path} is too short for a PNG");
        Assert.Equal(Signature, bytes[..8]);
        // The first chunk is IHDR: length 13, type "IHDR", then width and height as big-endian 32-bit integers.
        Assert.Equal(13, BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(8, 4)));
        Assert.Equal("IHDR"u8.ToArray(), bytes[12..16]);
        return (BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16, 4)), BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20, 4)));
    }

    public static XDocument AssertSvg(string path)
    {
        var document = XDocument.Load(path);
        Assert.NotNull(document.Root);
        Assert.Equal("svg", document.Root!.Name.LocalName);
        return document;
    }
}
