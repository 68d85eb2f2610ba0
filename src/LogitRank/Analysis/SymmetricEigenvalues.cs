using System.Numerics;
using System.Runtime.InteropServices;
using LogitRank.Numerics;

namespace LogitRank.Analysis;

/// <summary>
/// Eigenvalues only of a real symmetric matrix: Householder reduction to tridiagonal form (vectorised, the matrix–vector
/// product and the rank-2 update spread over cores for large trailing blocks), then the implicit QL iteration with
/// Wilkinson-type shifts on the tridiagonal matrix (EISPACK <c>tql1</c>, as in Numerical Recipes <c>tqli</c> without
/// vectors). Cost <c>~ n³</c> multiply–adds plus <c>O(n²)</c>; no eigenvectors are formed. Both steps are backward stable:
/// the computed values are exact for a matrix within <c>c·n·ε·||G||₂</c> of <c>G</c>.
/// </summary>
internal static class SymmetricEigenvalues
{
    private const int ParallelThreshold = 192;

    /// <summary>The eigenvalues of the symmetric <paramref name="n"/>×<paramref name="n"/> row-major matrix (destroyed), unsorted.</summary>
    public static double[] Compute(double[] a, int n)
    {
        var d = new double[n];
        var e = new double[n];
        Tridiagonalize(a, n, d, e);

        // The reduction leaves the large entries at the top-left of a graded matrix (e.g. a low-rank Gram matrix), while
        // QL converges reliably when they sit at the bottom-right: reverse the order (a permutation similarity).
        if (n >= 2 && Math.Abs(d[0]) > Math.Abs(d[n - 1]))
        {
            Array.Reverse(d);
            Array.Reverse(e, 0, n - 1);
        }

        TridiagonalQl(d, e);
        return d;
    }

    /// <summary>Reduces <c>a</c> to tridiagonal form: diagonal <paramref name="d"/>, off-diagonal <c>e[i]</c> between <c>i</c> and <c>i+1</c> (<c>e[n-1] = 0</c>).</summary>
    private static void Tridiagonalize(double[] a, int n, double[] d, double[] e)
    {
        var v = new double[n];
        var p = new double[n];
        for (var k = 0; k + 2 < n; k++)
        {
            var start = k + 1;
            var len = n - start;
            var x = new ReadOnlySpan<double>(a, (k * n) + start, len); // a[k, k+1..] = a[k+1.., k] by symmetry
            var largest = 0.0;
            foreach (var xi in x)
            {
                largest = Math.Max(largest, Math.Abs(xi));
            }

            d[k] = a[(k * n) + k];
            if (largest == 0)
            {
                e[k] = 0;
                continue;
            }

            // Householder vector v = (x - α e_1)/scale with α = -sign(x_0)·||x||, β = 2 / vᵀv (H = I - β v vᵀ maps x to
            // α e_1; H does not depend on the scaling of v). The scale is the power of two at or below max |x_i|, so x/scale
            // is exact (but for entries below 2^-1022 of the largest, which lose bits far below ε), its largest entry lies
            // in [1, 2), and vᵀv >= 2 can neither underflow nor overflow: unscaled, a column with ||x|| < 1e-154 made vᵀv
            // underflow to 0 and β infinite (NaN eigenvalues, then the sweep-limit exception).
            var scale = Math.ScaleB(1.0, Math.ILogB(largest));
            var vs = v.AsSpan(0, len);
            var norm2 = 0.0;
            for (var i = 0; i < len; i++)
            {
                vs[i] = x[i] / scale;
                norm2 += vs[i] * vs[i];
            }

            var scaledNorm = Math.Sqrt(norm2);
            var scaledX0 = vs[0];
            var scaledAlpha = x[0] > 0 ? -scaledNorm : scaledNorm;
            vs[0] -= scaledAlpha;
            var vtv = 2 * scaledNorm * (scaledNorm + Math.Abs(scaledX0));
            var beta = 2 / vtv;
            e[k] = scale * scaledAlpha;

            // p = β A22 v, then w = p - (β/2)(pᵀv) v, then A22 -= v wᵀ + w vᵀ.
            var ps = p.AsSpan(0, len);
            var vArray = v;
            var pArray = p;
            For(len, i => pArray[i] = beta * Dot(new ReadOnlySpan<double>(a, ((start + i) * n) + start, len), new ReadOnlySpan<double>(vArray, 0, len)));
            var kappa = 0.5 * beta * Dot(ps, vs);
            for (var i = 0; i < len; i++)
            {
                ps[i] -= kappa * vs[i];
            }

            For(len, i => RankTwoUpdate(new Span<double>(a, ((start + i) * n) + start, len), vArray[i], pArray[i], new ReadOnlySpan<double>(pArray, 0, len), new ReadOnlySpan<double>(vArray, 0, len)));
        }

        if (n >= 2)
        {
            d[n - 2] = a[((n - 2) * n) + n - 2];
            e[n - 2] = a[((n - 2) * n) + n - 1];
        }

        d[n - 1] = a[((n - 1) * n) + n - 1];
        e[n - 1] = 0;
    }

    /// <summary>Eigenvalues of the symmetric tridiagonal matrix (diagonal <paramref name="d"/>, off-diagonal <paramref name="e"/>), into <paramref name="d"/>.</summary>
    private static void TridiagonalQl(double[] d, double[] e)
    {
        var n = d.Length;
        for (var l = 0; l < n; l++)
        {
            var iterations = 0;
            int m;
            do
            {
                for (m = l; m < n - 1; m++)
                {
                    var dd = Math.Abs(d[m]) + Math.Abs(d[m + 1]);
                    if (Math.Abs(e[m]) <= Tolerances.MachineEpsilon * dd)
                    {
                        break;
                    }
                }

                if (m != l)
                {
                    if (++iterations > 60)
                    {
                        throw new InvalidOperationException($"The tridiagonal QL iteration did not converge for eigenvalue {l} after 60 sweeps.");
                    }

                    var g = (d[l + 1] - d[l]) / (2.0 * e[l]);
                    var r = Hypot(g, 1.0);
                    g = d[m] - d[l] + (e[l] / (g + (g >= 0 ? Math.Abs(r) : -Math.Abs(r))));
                    double s = 1.0, c = 1.0, pp = 0.0;
                    var i = m - 1;
                    var deflated = false;
                    for (; i >= l; i--)
                    {
                        var f = s * e[i];
                        var b = c * e[i];
                        r = Hypot(f, g);
                        e[i + 1] = r;
                        if (r == 0.0)
                        {
                            // Underflow: the matrix splits; recover and restart this l.
                            d[i + 1] -= pp;
                            e[m] = 0.0;
                            deflated = true;
                            break;
                        }

                        s = f / r;
                        c = g / r;
                        g = d[i + 1] - pp;
                        r = ((d[i] - g) * s) + (2.0 * c * b);
                        pp = s * r;
                        d[i + 1] = g + pp;
                        g = (c * r) - b;
                    }

                    if (deflated)
                    {
                        continue;
                    }

                    d[l] -= pp;
                    e[l] = g;
                    e[m] = 0.0;
                }
            }
            while (m != l);
        }
    }

    private static double Hypot(double a, double b)
    {
        var absA = Math.Abs(a);
        var absB = Math.Abs(b);
        if (absA > absB)
        {
            var t = absB / absA;
            return absA * Math.Sqrt(1.0 + (t * t));
        }

        if (absB == 0)
        {
            return 0;
        }

        var u = absA / absB;
        return absB * Math.Sqrt(1.0 + (u * u));
    }

    private static void For(int count, Action<int> body)
    {
        if (count >= ParallelThreshold)
        {
            // Row blocks keep the per-task overhead small against the O(count) work per row.
            var blocks = Math.Min(Environment.ProcessorCount * 4, count);
            Parallel.For(0, blocks, block =>
            {
                var from = (int)((long)count * block / blocks);
                var to = (int)((long)count * (block + 1) / blocks);
                for (var i = from; i < to; i++)
                {
                    body(i);
                }
            });
        }
        else
        {
            for (var i = 0; i < count; i++)
            {
                body(i);
            }
        }
    }

    private static double Dot(ReadOnlySpan<double> x, ReadOnlySpan<double> y) => GramKernel.Dot(x, y);

    /// <summary><c>row -= vi·w + wi·v</c>.</summary>
    private static void RankTwoUpdate(Span<double> row, double vi, double wi, ReadOnlySpan<double> w, ReadOnlySpan<double> v)
    {
        var vr = MemoryMarshal.Cast<double, Vector<double>>(row);
        var vw = MemoryMarshal.Cast<double, Vector<double>>(w);
        var vv = MemoryMarshal.Cast<double, Vector<double>>(v);
        var svi = new Vector<double>(vi);
        var swi = new Vector<double>(wi);
        for (var j = 0; j < vr.Length; j++)
        {
            vr[j] -= (svi * vw[j]) + (swi * vv[j]);
        }

        for (var j = vr.Length * Vector<double>.Count; j < row.Length; j++)
        {
            row[j] -= (vi * w[j]) + (wi * v[j]);
        }
    }
}
