// RESEARCH PROTOTYPE (issue 14): sequential ("filtering") least-squares reconstruction: c_{s+1} = argmin
// ||c R_{s+1}[F̂_{s+1}] - c_s R_s[y_{s+1}∘F̂_{s+1}]||² + λ||c||², one small solve per prefix, memoised along the prefix tree.
using System.Collections.Concurrent;
using LogitRank.Learning;
using LogitRank.Models;
using LogitRank.Numerics;
using LogitRank.Sequences;
using MathNet.Numerics.LinearAlgebra;

namespace LogitRank.Research;

internal sealed class L2SeqModel : SequenceModel
{
    private readonly FutureSets _futures;
    private readonly CutBasis[] _bases;
    private readonly double _beta;
    private readonly Matrix<double>?[] _projector; // [s]: (G + λI)^{-1} R_s[F̂_s]  (m_s x |F̂_s|), s >= 1
    private readonly int[][][] _shift;             // [s][a][j]: index in F̃_s of a∘F̂_{s+1}[j]
    private readonly ConcurrentDictionary<Prefix, double[]> _coefficients = new();
    private readonly ConcurrentDictionary<Prefix, LogitVector> _memo = new();

    public L2SeqModel(FutureSets futures, IReadOnlyList<CutBasis> bases, double ridge, double beta)
        : base(futures.AlphabetSize, futures.Horizon)
    {
        _futures = futures;
        _bases = [.. bases];
        _beta = beta;
        var horizon = futures.Horizon;
        var k = futures.AlphabetSize;
        _projector = new Matrix<double>?[horizon];
        for (var s = 1; s < horizon; s++)
        {
            var m = _bases[s].Size;
            if (m == 0)
            {
                continue;
            }

            var words = futures.Future(s);
            var r = Matrix<double>.Build.Dense(m, words.Count, (i, j) => _bases[s][i, futures.IndexInExtended(s, words[j])]);
            var gram = r * r.Transpose();
            var lambda = Math.Max(ridge, 1e-12 * gram.Diagonal().Average());
            _projector[s] = (gram + (lambda * Matrix<double>.Build.DenseIdentity(m))).Inverse() * r;
        }

        _shift = new int[Math.Max(horizon - 1, 0)][][];
        for (var s = 0; s + 1 < horizon; s++)
        {
            var next = futures.Future(s + 1);
            _shift[s] = new int[k][];
            for (var a = 0; a < k; a++)
            {
                _shift[s][a] = next.Select(w => futures.IndexInExtended(s, w.Prepend(a))).ToArray();
            }
        }
    }

    /// <summary>c_{t-1} for the prefix y_{1:t} (c_0 = [1]).</summary>
    public double[] Coefficients(Prefix y) => y.Length <= 1 ? [1.0] : _coefficients.GetOrAdd(y, Compute);

    private double[] Compute(Prefix y)
    {
        // c_{t-1} from c_{t-2} (the coefficients of y_{1:t-1}) and the token y_{t-1}.
        var t = y.Length;
        var previous = Coefficients(y.Take(t - 1));
        var s = t - 2; // current cut
        var basis = _bases[s];
        var shift = _shift[s][y[s]];
        var b = Vector<double>.Build.Dense(shift.Length);
        for (var j = 0; j < shift.Length; j++)
        {
            var v = 0.0;
            for (var i = 0; i < basis.Size; i++)
            {
                v += previous[i] * basis[i, shift[j]];
            }

            b[j] = v;
        }

        var projector = _projector[s + 1];
        if (projector is null)
        {
            return [];
        }

        var c = projector * b;
        return c.Select(x => Math.Clamp(x, -_beta, _beta)).ToArray();
    }

    protected override LogitVector ComputeLogits(Prefix prefix) => _memo.GetOrAdd(prefix, p =>
    {
        var k = AlphabetSize;
        var raw = new double[k];
        var t = p.Length;
        if (t == 0)
        {
            for (var z = 0; z < k; z++)
            {
                raw[z] = _bases[0][0, z];
            }

            return LogitVector.FromLogits(raw);
        }

        var c = Coefficients(p);
        var basis = _bases[t - 1];
        for (var i = 0; i < basis.Size; i++)
        {
            for (var z = 0; z < k; z++)
            {
                raw[z] += c[i] * basis[i, _futures.IndexInExtended(t - 1, Prefix.Of(p[t - 1], z))];
            }
        }

        return LogitVector.FromLogits(raw);
    });
}
