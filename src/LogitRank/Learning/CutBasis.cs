using LogitRank.Sequences;

namespace LogitRank.Learning;

/// <summary>
/// The basis at one cut <c>s</c> (ALGORITHM.md section 3): histories <c>h_{s,1..m_s}</c> of length <c>s</c> and their stored
/// rows <c>R_{s,i} = Row_{h_{s,i}}</c> restricted to <c>F̃_s</c> (entry <c>j</c> is <c>Row_{h_{s,i}}(F̃_s[j])</c>). Immutable
/// (rows are copied in). An empty basis (<c>m_s = 0</c>) means every sampled row was numerically zero; its coefficient
/// block has no variables and contributes 0.
/// </summary>
public sealed class CutBasis
{
    private readonly double[][] _rows;
    private readonly Prefix[] _histories;

    /// <summary>Creates a basis; the rows are copied.</summary>
    /// <param name="cut">The cut <c>s &gt;= 0</c>.</param>
    /// <param name="width">The row length <c>|F̃_s|</c>.</param>
    /// <param name="histories">The basis histories, each of length <paramref name="cut"/>.</param>
    /// <param name="rows">One row of length <paramref name="width"/> per history, all entries finite.</param>
    /// <exception cref="ArgumentException">Counts, lengths or entries do not match; the message names the offending item.</exception>
    public CutBasis(int cut, int width, IReadOnlyList<Prefix> histories, IReadOnlyList<IReadOnlyList<double>> rows)
    {
        ArgumentNullException.ThrowIfNull(histories);
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(cut);
        ArgumentOutOfRangeException.ThrowIfNegative(width);
        if (histories.Count != rows.Count)
        {
            throw new ArgumentException($"Cut {cut}: {histories.Count} basis histories but {rows.Count} rows.", nameof(rows));
        }

        Cut = cut;
        Width = width;
        _histories = new Prefix[histories.Count];
        _rows = new double[rows.Count][];
        for (var i = 0; i < rows.Count; i++)
        {
            var h = histories[i] ?? throw new ArgumentException($"Cut {cut}: basis history {i} is null.", nameof(histories));
            if (h.Length != cut)
            {
                throw new ArgumentException($"Cut {cut}: basis history {i} = {h} has length {h.Length}; expected {cut}.", nameof(histories));
            }

            _histories[i] = h;
            var row = rows[i] ?? throw new ArgumentException($"Cut {cut}: row {i} is null.", nameof(rows));
            if (row.Count != width)
            {
                throw new ArgumentException($"Cut {cut}: row {i} has length {row.Count}; expected |F̃_{cut}| = {width}.", nameof(rows));
            }

            _rows[i] = new double[width];
            for (var j = 0; j < width; j++)
            {
                var v = row[j];
                if (!double.IsFinite(v))
                {
                    throw new ArgumentException($"Cut {cut}: row {i} entry {j} is {v}; expected a finite number.", nameof(rows));
                }

                _rows[i][j] = v;
                MaxAbsEntry = Math.Max(MaxAbsEntry, Math.Abs(v));
            }
        }
    }

    /// <summary>The cut <c>s</c>.</summary>
    public int Cut { get; }

    /// <summary>The row length <c>|F̃_s|</c>.</summary>
    public int Width { get; }

    /// <summary>The basis size <c>m_s</c>.</summary>
    public int Size => _rows.Length;

    /// <summary>The basis histories <c>h_{s,1..m_s}</c>.</summary>
    public IReadOnlyList<Prefix> Histories => _histories;

    /// <summary><c>max_{i,j} |R_{s,i}(F̃_s[j])|</c> (0 for an empty basis).</summary>
    public double MaxAbsEntry { get; }

    /// <summary>The stored entry <c>R_{s,i}(F̃_s[j])</c>.</summary>
    public double this[int i, int j] => _rows[i][j];

    /// <summary>A copy of row <paramref name="i"/>.</summary>
    public double[] RowToArray(int i) => (double[])_rows[i].Clone();

    internal double[] RowReference(int i) => _rows[i];
}
