using LogitRank.Numerics;
using LogitRank.Sequences;

namespace LogitRank.Learning;

/// <summary>
/// RECONSTRUCT and the prediction of ALGORITHM.md section 3 over fixed future sets and bases: a pure function of its
/// inputs (the LP solver is deterministic), shared by the learner's validation and the learned model's generation.
/// </summary>
/// <remarks>
/// The LP for <c>y_{1:t}</c> (<c>t &gt;= 2</c>) has the variables <c>c_1..c_{t-1}</c> concatenated (block <c>s</c> starts at
/// <c>Offset(s) = m_1 + ... + m_{s-1}</c>), the box <c>[-β, β]</c>, and for <c>s = 0..t-2</c> and every <c>w = F̂_{s+1}[j]</c> the row
/// <c>Σ_i c_{s+1,i} R_{s+1,i}(w) - Σ_i c_{s,i} R_{s,i}(y_{s+1}∘w)</c>, with <c>c_0 = e_1</c> moved to the right-hand side.
/// </remarks>
internal sealed class Reconstructor
{
    private readonly CutBasis[] _bases;
    private readonly int[] _offset;          // _offset[s] = Σ_{s'=1}^{s-1} m_{s'} for s = 1..T-1; _offset[T] = total
    private readonly int[][][] _shiftIndex;  // [s][a][j] = index in F̃_s of a∘F̂_{s+1}[j], s = 0..T-2
    private readonly LpOptions? _lpOptions;

    public Reconstructor(FutureSets futures, IReadOnlyList<CutBasis> bases, double beta, double lpTolerance, LpOptions? lpOptions = null)
    {
        Futures = futures;
        _bases = [.. bases];
        Beta = beta;
        LpTolerance = lpTolerance;
        _lpOptions = lpOptions;
        var t = futures.Horizon;
        var k = futures.AlphabetSize;
        _offset = new int[t + 1];
        for (var s = 2; s <= t; s++)
        {
            _offset[s] = _offset[s - 1] + _bases[s - 1].Size;
        }

        _shiftIndex = new int[Math.Max(t - 1, 0)][][];
        for (var s = 0; s + 1 < t; s++)
        {
            var next = futures.Future(s + 1);
            _shiftIndex[s] = new int[k][];
            for (var a = 0; a < k; a++)
            {
                var map = new int[next.Count];
                for (var j = 0; j < next.Count; j++)
                {
                    map[j] = futures.IndexInExtended(s, next[j].Prepend(a));
                }

                _shiftIndex[s][a] = map;
            }
        }
    }

    public FutureSets Futures { get; }

    public IReadOnlyList<CutBasis> Bases => _bases;

    public double Beta { get; }

    public double LpTolerance { get; }

    /// <summary>The index in <c>F̃_s</c> of the two-token word <c>a∘z</c> (<c>s &lt;= T-2</c>).</summary>
    public int PairIndex(int cut, int a, int z) => _shiftIndex[cut][a][z];

    /// <summary>Solves RECONSTRUCT(<paramref name="prefix"/>) for <c>0 &lt;= |prefix| &lt;= T-1</c>.</summary>
    public ReconstructionResult Solve(Prefix prefix)
    {
        var t = prefix.Length;
        if (t <= 1)
        {
            return new ReconstructionResult(t, [[1.0]], 0.0, true, null, 0);
        }

        var variables = _offset[t];
        var rowCount = 0;
        for (var s = 0; s <= t - 2; s++)
        {
            rowCount += Futures.Future(s + 1).Count;
        }

        var a = new double[rowCount, variables];
        var b = new double[rowCount];
        var row = 0;
        for (var s = 0; s <= t - 2; s++)
        {
            var token = prefix[s];
            var shift = _shiftIndex[s][token];
            var next = _bases[s + 1];
            var current = _bases[s];
            for (var j = 0; j < shift.Length; j++, row++)
            {
                for (var i = 0; i < next.Size; i++)
                {
                    a[row, _offset[s + 1] + i] = next.RowReference(i)[j];
                }

                if (s == 0)
                {
                    b[row] = current.RowReference(0)[shift[j]];
                }
                else
                {
                    for (var i = 0; i < current.Size; i++)
                    {
                        a[row, _offset[s] + i] = -current.RowReference(i)[shift[j]];
                    }
                }
            }
        }

        var x = new double[variables];
        LpStatus? status = null;
        var iterations = 0;
        if (variables > 0)
        {
            var lower = new double[variables];
            var upper = new double[variables];
            Array.Fill(lower, -Beta);
            Array.Fill(upper, Beta);
            var result = MinimaxLinearProgram.Solve(a, b, lower, upper, _lpOptions);
            if (Contracts.ExpensiveChecksEnabled)
            {
                // Opt-in runtime contract (proofs-notes/runtime-contracts.md): validation and generation must get the same coefficients.
                Contracts.CheckSameSolution(result.Solution, MinimaxLinearProgram.Solve(a, b, lower, upper, _lpOptions).Solution, prefix);
            }

            status = result.Status;
            iterations = result.Iterations;
            if (result.Solution.Length == variables)
            {
                for (var v = 0; v < variables; v++)
                {
                    x[v] = Math.Clamp(result.Solution[v], -Beta, Beta);
                }
            }
        }

        var residual = 0.0;
        for (var r = 0; r < rowCount; r++)
        {
            var lhs = -b[r];
            for (var v = 0; v < variables; v++)
            {
                lhs += a[r, v] * x[v];
            }

            residual = Math.Max(residual, Math.Abs(lhs));
        }

        var blocks = new double[t][];
        blocks[0] = [1.0];
        for (var s = 1; s < t; s++)
        {
            blocks[s] = x.AsSpan(_offset[s], _bases[s].Size).ToArray();
        }

        return new ReconstructionResult(t, blocks, residual, residual <= LpTolerance && double.IsFinite(residual), status, iterations);
    }

    /// <summary>
    /// The raw (uncentred) prediction <c>Σ_i c_{t-1,i} R_{t-1,i}(y_t∘a)</c> for <c>a ∈ Σ</c>; for <c>t = 0</c> the empty history's
    /// stored row on <c>Σ</c>.
    /// </summary>
    public double[] PredictRaw(Prefix prefix, ReconstructionResult coefficients)
    {
        var k = Futures.AlphabetSize;
        var raw = new double[k];
        var t = prefix.Length;
        if (t == 0)
        {
            var row = _bases[0].RowReference(0);
            for (var z = 0; z < k; z++)
            {
                raw[z] = row[z];
            }

            return raw;
        }

        var basis = _bases[t - 1];
        var c = coefficients.Block(t - 1);
        var shift = _shiftIndex[t - 1][prefix[t - 1]];
        for (var i = 0; i < basis.Size; i++)
        {
            var r = basis.RowReference(i);
            for (var z = 0; z < k; z++)
            {
                raw[z] += c[i] * r[shift[z]];
            }
        }

        return raw;
    }
}
