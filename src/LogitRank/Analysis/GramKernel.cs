using System.Numerics;
using System.Runtime.InteropServices;

namespace LogitRank.Analysis;

/// <summary>
/// The Gram matrix <c>G = X Xᵀ</c> of the rows of a row-major matrix <c>X</c> (<c>rows×cols</c>), blocked for cache
/// reuse (tiles of rows × chunks of columns), with SIMD dot products (<see cref="Vector{T}"/>, four rows at a time)
/// and the tile pairs spread over cores. Only the lower triangle is computed; it is mirrored.
/// </summary>
internal static class GramKernel
{
    private const int TileRows = 32;
    private const int ChunkColumns = 512;

    /// <summary>Returns <c>G[i,j] = Σ_c X[i,c]·X[j,c]</c> (row-major, <c>rows×rows</c>, both triangles) for the row-major <paramref name="data"/>.</summary>
    public static double[] RowGram(double[] data, int rows, int cols)
    {
        var g = new double[rows * rows];
        var tiles = (rows + TileRows - 1) / TileRows;
        var pairs = new List<(int I, int J)>(tiles * (tiles + 1) / 2);
        for (var ti = 0; ti < tiles; ti++)
        {
            for (var tj = 0; tj <= ti; tj++)
            {
                pairs.Add((ti, tj));
            }
        }

        Parallel.For(0, pairs.Count, (int p) =>
        {
            var (ti, tj) = pairs[p];
            var i0 = ti * TileRows;
            var i1 = Math.Min(rows, i0 + TileRows);
            var j0 = tj * TileRows;
            var j1 = Math.Min(rows, j0 + TileRows);
            var acc = new double[TileRows * TileRows];
            for (var c0 = 0; c0 < cols; c0 += ChunkColumns)
            {
                var len = Math.Min(ChunkColumns, cols - c0);
                for (var i = i0; i < i1; i++)
                {
                    var rowI = new ReadOnlySpan<double>(data, (i * cols) + c0, len);
                    var jEnd = ti == tj ? i + 1 : j1;
                    var j = j0;
                    for (; j + 3 < jEnd; j += 4)
                    {
                        Dot4(
                            rowI,
                            new ReadOnlySpan<double>(data, (j * cols) + c0, len),
                            new ReadOnlySpan<double>(data, ((j + 1) * cols) + c0, len),
                            new ReadOnlySpan<double>(data, ((j + 2) * cols) + c0, len),
                            new ReadOnlySpan<double>(data, ((j + 3) * cols) + c0, len),
                            out var d0,
                            out var d1,
                            out var d2,
                            out var d3);
                        var baseIndex = ((i - i0) * TileRows) + (j - j0);
                        acc[baseIndex] += d0;
                        acc[baseIndex + 1] += d1;
                        acc[baseIndex + 2] += d2;
                        acc[baseIndex + 3] += d3;
                    }

                    for (; j < jEnd; j++)
                    {
                        acc[((i - i0) * TileRows) + (j - j0)] += Dot(rowI, new ReadOnlySpan<double>(data, (j * cols) + c0, len));
                    }
                }
            }

            for (var i = i0; i < i1; i++)
            {
                var jEnd = ti == tj ? i + 1 : j1;
                for (var j = j0; j < jEnd; j++)
                {
                    var v = acc[((i - i0) * TileRows) + (j - j0)];
                    g[(i * rows) + j] = v;
                    g[(j * rows) + i] = v;
                }
            }
        });

        return g;
    }

    /// <summary>
    /// The cross products <c>C[i,j] = Σ_c X[i,c]·Y[j,c]</c> of the rows of row-major <c>X</c> (<paramref name="p"/>×<paramref name="length"/>)
    /// and <c>Y</c> (<paramref name="q"/>×<paramref name="length"/>), returned column-major (<c>p×q</c>): i.e. <c>X Yᵀ</c>. Meant for a
    /// small <paramref name="q"/> (a sketch), so <c>Y</c> stays in cache while the rows of <c>X</c> stream through once.
    /// </summary>
    public static double[] CrossDot(double[] x, int p, double[] y, int q, int length)
    {
        var c = new double[p * q];
        var blocks = Math.Max(1, Math.Min(p / 16, Environment.ProcessorCount * 8));
        Parallel.For(0, blocks, block =>
        {
            var from = (int)((long)p * block / blocks);
            var to = (int)((long)p * (block + 1) / blocks);
            for (var i = from; i < to; i++)
            {
                var rowI = new ReadOnlySpan<double>(x, i * length, length);
                var j = 0;
                for (; j + 3 < q; j += 4)
                {
                    Dot4(
                        rowI,
                        new ReadOnlySpan<double>(y, j * length, length),
                        new ReadOnlySpan<double>(y, (j + 1) * length, length),
                        new ReadOnlySpan<double>(y, (j + 2) * length, length),
                        new ReadOnlySpan<double>(y, (j + 3) * length, length),
                        out var d0,
                        out var d1,
                        out var d2,
                        out var d3);
                    c[(j * p) + i] = d0;
                    c[((j + 1) * p) + i] = d1;
                    c[((j + 2) * p) + i] = d2;
                    c[((j + 3) * p) + i] = d3;
                }

                for (; j < q; j++)
                {
                    c[(j * p) + i] = Dot(rowI, new ReadOnlySpan<double>(y, j * length, length));
                }
            }
        });

        return c;
    }

    /// <summary>
    /// The transpose of a column-major <paramref name="rows"/>×<paramref name="cols"/> array as a row-major one (i.e. the
    /// row-major copy of the same matrix), in 32×32 blocks for cache reuse.
    /// </summary>
    public static double[] ColumnMajorToRowMajor(double[] columnMajor, int rows, int cols)
    {
        const int Block = 32;
        var result = new double[columnMajor.Length];
        for (var j0 = 0; j0 < cols; j0 += Block)
        {
            var j1 = Math.Min(cols, j0 + Block);
            for (var i0 = 0; i0 < rows; i0 += Block)
            {
                var i1 = Math.Min(rows, i0 + Block);
                for (var j = j0; j < j1; j++)
                {
                    for (var i = i0; i < i1; i++)
                    {
                        result[(i * cols) + j] = columnMajor[(j * rows) + i];
                    }
                }
            }
        }

        return result;
    }

    /// <summary>The dot product of two spans of equal length.</summary>
    public static double Dot(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        var vx = MemoryMarshal.Cast<double, Vector<double>>(x);
        var vy = MemoryMarshal.Cast<double, Vector<double>>(y);
        var s = Vector<double>.Zero;
        for (var v = 0; v < vx.Length; v++)
        {
            s += vx[v] * vy[v];
        }

        var total = Vector.Sum(s);
        for (var c = vx.Length * Vector<double>.Count; c < x.Length; c++)
        {
            total += x[c] * y[c];
        }

        return total;
    }

    private static void Dot4(ReadOnlySpan<double> x, ReadOnlySpan<double> y0, ReadOnlySpan<double> y1, ReadOnlySpan<double> y2, ReadOnlySpan<double> y3, out double d0, out double d1, out double d2, out double d3)
    {
        var vx = MemoryMarshal.Cast<double, Vector<double>>(x);
        var v0 = MemoryMarshal.Cast<double, Vector<double>>(y0);
        var v1 = MemoryMarshal.Cast<double, Vector<double>>(y1);
        var v2 = MemoryMarshal.Cast<double, Vector<double>>(y2);
        var v3 = MemoryMarshal.Cast<double, Vector<double>>(y3);
        Vector<double> s0 = Vector<double>.Zero, s1 = Vector<double>.Zero, s2 = Vector<double>.Zero, s3 = Vector<double>.Zero;
        for (var v = 0; v < vx.Length; v++)
        {
            var a = vx[v];
            s0 += a * v0[v];
            s1 += a * v1[v];
            s2 += a * v2[v];
            s3 += a * v3[v];
        }

        d0 = Vector.Sum(s0);
        d1 = Vector.Sum(s1);
        d2 = Vector.Sum(s2);
        d3 = Vector.Sum(s3);
        for (var c = vx.Length * Vector<double>.Count; c < x.Length; c++)
        {
            var a = x[c];
            d0 += a * y0[c];
            d1 += a * y1[c];
            d2 += a * y2[c];
            d3 += a * y3[c];
        }
    }
}
