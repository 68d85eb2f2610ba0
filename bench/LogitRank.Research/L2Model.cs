// RESEARCH PROTOTYPE (issue 14): the learned model's reconstruction with a least-squares objective instead of the
// minimax LP, to measure how much of the approximate-regime error is the L-infinity fit. Same futures, same stored rows.
using System.Collections.Concurrent;
using LogitRank.Learning;
using LogitRank.Models;
using LogitRank.Numerics;
using LogitRank.Sequences;
using MathNet.Numerics.LinearAlgebra;

namespace LogitRank.Research;

internal sealed class L2Model : SequenceModel
{
    private readonly FutureSets _futures;
    private readonly CutBasis[] _bases;
    private readonly double _ridge;
    private readonly double _beta;
    private readonly ConcurrentDictionary<Prefix, LogitVector> _memo = new();

    public L2Model(FutureSets futures, IReadOnlyList<CutBasis> bases, double ridge, double beta)
        : base(futures.AlphabetSize, futures.Horizon)
    {
        _futures = futures;
        _bases = [.. bases];
        _ridge = ridge;
        _beta = beta;
    }

    protected override LogitVector ComputeLogits(Prefix prefix) => _memo.GetOrAdd(prefix, Compute);

    private readonly ConcurrentDictionary<Prefix, (double[][] Blocks, double Residual)> _solutions = new();

    /// <summary>Coefficient blocks c_0..c_{t-1} (c_0 = [1]) and the largest absolute equation residual.</summary>
    public (double[][] Blocks, double Residual) Solve(Prefix y) => _solutions.GetOrAdd(y, SolveCore);

    private (double[][] Blocks, double Residual) SolveCore(Prefix y)
    {
        var t = y.Length;
        var blocks = new double[Math.Max(t, 1)][];
        blocks[0] = [1.0];
        if (t <= 1)
        {
            return (blocks, 0);
        }

        var offset = new int[t + 1];
        for (var s = 2; s <= t; s++)
        {
            offset[s] = offset[s - 1] + _bases[s - 1].Size;
        }

        var variables = offset[t];
        var rows = new List<(double[] A, double B)>();
        for (var s = 0; s <= t - 2; s++)
        {
            foreach (var w in _futures.Future(s + 1))
            {
                var a = new double[variables];
                var jNext = _futures.IndexInExtended(s + 1, w);
                for (var i = 0; i < _bases[s + 1].Size; i++)
                {
                    a[offset[s + 1] + i] = _bases[s + 1][i, jNext];
                }

                var jCur = _futures.IndexInExtended(s, w.Prepend(y[s]));
                var b = 0.0;
                if (s == 0)
                {
                    b = _bases[0][0, jCur];
                }
                else
                {
                    for (var i = 0; i < _bases[s].Size; i++)
                    {
                        a[offset[s] + i] = -_bases[s][i, jCur];
                    }
                }

                rows.Add((a, b));
            }
        }

        var x = new double[variables];
        if (variables > 0)
        {
            var matrix = Matrix<double>.Build.Dense(rows.Count, variables, (r, v) => rows[r].A[v]);
            var rhs = Vector<double>.Build.Dense(rows.Count, r => rows[r].B);
            var gram = matrix.TransposeThisAndMultiply(matrix);
            // Ridge: the given value (nu^2 from the learner), floored at 1e-12 of the mean diagonal for conditioning.
            var lambda = Math.Max(_ridge, 1e-12 * gram.Diagonal().Average());
            var normal = gram + (lambda * Matrix<double>.Build.DenseIdentity(variables));
            var solution = normal.Solve(matrix.TransposeThisAndMultiply(rhs));
            for (var v = 0; v < variables; v++)
            {
                x[v] = Math.Clamp(solution[v], -_beta, _beta);
            }
        }

        var residual = 0.0;
        foreach (var (a, b) in rows)
        {
            var lhs = -b;
            for (var v = 0; v < variables; v++)
            {
                lhs += a[v] * x[v];
            }

            residual = Math.Max(residual, Math.Abs(lhs));
        }

        for (var s = 1; s < t; s++)
        {
            blocks[s] = x.AsSpan(offset[s], _bases[s].Size).ToArray();
        }

        return (blocks, residual);
    }

    private LogitVector Compute(Prefix y)
    {
        var k = AlphabetSize;
        var t = y.Length;
        var raw = new double[k];
        if (t == 0)
        {
            for (var z = 0; z < k; z++)
            {
                raw[z] = _bases[0][0, z];
            }

            return LogitVector.FromLogits(raw);
        }

        var last = Solve(y).Blocks[t - 1];
        var basis = _bases[t - 1];
        for (var i = 0; i < basis.Size; i++)
        {
            for (var z = 0; z < k; z++)
            {
                var j = _futures.IndexInExtended(t - 1, Prefix.Of(y[t - 1], z));
                raw[z] += last[i] * basis[i, j];
            }
        }

        return LogitVector.FromLogits(raw);
    }
}
