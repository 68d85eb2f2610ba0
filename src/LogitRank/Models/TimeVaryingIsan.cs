using System.Globalization;
using LogitRank.Numerics;
using LogitRank.Sequences;

namespace LogitRank.Models;

/// <summary>
/// A time-varying input-switched affine network (ISAN) with state dimension <c>d</c> (ALGORITHM.md section 1):
/// a state <c>x_0 ∈ R^d</c>, transition matrices <c>A_{t,a} ∈ R^{d×d}</c> for <c>t = 1..T-1</c> and tokens <c>a</c>, and
/// read-outs <c>B_t ∈ R^{k×d}</c> for <c>t = 0..T-1</c>, with <c>x_t = A_{t,y_t} x_{t-1}</c> and
/// <c>ℓ(y_{1:t}) = center(B_t x_t)</c>. Its logit matrix has rank at most <c>d</c> at every cut
/// (proofs-notes/isan-logit-rank.md).
/// </summary>
/// <remarks>
/// Indices: <c>transitions[t-1][a]</c> is the matrix applied when the <c>t</c>-th token (<c>y_t = prefix[t-1]</c>) is read,
/// and <c>readouts[t]</c> produces the logits of token <c>y_{t+1}</c> after a prefix of length <c>t</c>.
/// </remarks>
public sealed class TimeVaryingIsan : SequenceModel
{
    private readonly double[] _initialState;
    private readonly double[][][,] _transitions; // [t-1][a] for t = 1..T-1
    private readonly double[][,] _readouts;     // [t] for t = 0..T-1
    private readonly double[][][] _flatTransitions; // the same matrices row-major (d·d), for the state recursion
    private readonly double[][] _flatReadouts;      // the same readouts row-major (k·d)

    /// <summary>Creates an ISAN from explicit parameters (copied).</summary>
    /// <param name="alphabetSize">The alphabet size <c>k</c>.</param>
    /// <param name="horizon">The horizon <c>T</c>.</param>
    /// <param name="initialState"><c>x_0</c>, of length <c>d &gt;= 1</c>.</param>
    /// <param name="transitions"><c>transitions[t-1][a] = A_{t,a}</c> (<c>d×d</c>) for <c>t = 1..T-1</c>.</param>
    /// <param name="readouts"><c>readouts[t] = B_t</c> (<c>k×d</c>) for <c>t = 0..T-1</c>.</param>
    /// <exception cref="ArgumentException">A dimension does not match; the message names it.</exception>
    public TimeVaryingIsan(int alphabetSize, int horizon, IReadOnlyList<double> initialState, IReadOnlyList<IReadOnlyList<double[,]>> transitions, IReadOnlyList<double[,]> readouts)
        : base(alphabetSize, horizon)
    {
        ArgumentNullException.ThrowIfNull(initialState);
        ArgumentNullException.ThrowIfNull(transitions);
        ArgumentNullException.ThrowIfNull(readouts);
        var d = initialState.Count;
        if (d < 1)
        {
            throw new ArgumentException("The state dimension d must be at least 1.", nameof(initialState));
        }

        if (transitions.Count != horizon - 1)
        {
            throw new ArgumentException($"Expected T-1 = {horizon - 1} transition steps; got {transitions.Count}.", nameof(transitions));
        }

        if (readouts.Count != horizon)
        {
            throw new ArgumentException($"Expected T = {horizon} read-outs; got {readouts.Count}.", nameof(readouts));
        }

        _initialState = initialState.ToArray();
        for (var i = 0; i < d; i++)
        {
            if (!double.IsFinite(_initialState[i]))
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"Entry {i} of x_0 is {_initialState[i]}; expected a finite number."), nameof(initialState));
            }
        }

        _transitions = new double[horizon - 1][][,];
        for (var t = 0; t < horizon - 1; t++)
        {
            if (transitions[t] is null)
            {
                throw new ArgumentException($"Step {t + 1} of the transitions is null; expected k = {alphabetSize} matrices.", nameof(transitions));
            }

            if (transitions[t].Count != alphabetSize)
            {
                throw new ArgumentException($"Step {t + 1} has {transitions[t].Count} transition matrices; expected k = {alphabetSize}.", nameof(transitions));
            }

            _transitions[t] = new double[alphabetSize][,];
            for (var a = 0; a < alphabetSize; a++)
            {
                var m = transitions[t][a] ?? throw new ArgumentException($"A_({t + 1},{a}) is null; expected a {d}x{d} matrix.", nameof(transitions));
                if (m.GetLength(0) != d || m.GetLength(1) != d)
                {
                    throw new ArgumentException($"A_({t + 1},{a}) is {m.GetLength(0)}x{m.GetLength(1)}; expected {d}x{d}.", nameof(transitions));
                }

                CheckFinite(m, $"A_({t + 1},{a})", nameof(transitions));
                _transitions[t][a] = (double[,])m.Clone();
            }
        }

        _flatTransitions = [.. _transitions.Select(step => step.Select(Flatten).ToArray())];
        _readouts = new double[horizon][,];
        for (var t = 0; t < horizon; t++)
        {
            var b = readouts[t] ?? throw new ArgumentException($"B_{t} is null; expected a {alphabetSize}x{d} matrix.", nameof(readouts));
            if (b.GetLength(0) != alphabetSize || b.GetLength(1) != d)
            {
                throw new ArgumentException($"B_{t} is {b.GetLength(0)}x{b.GetLength(1)}; expected {alphabetSize}x{d}.", nameof(readouts));
            }

            CheckFinite(b, $"B_{t}", nameof(readouts));
            _readouts[t] = (double[,])b.Clone();
        }

        _flatReadouts = [.. _readouts.Select(Flatten)];
    }

    /// <summary>The state dimension <c>d</c>.</summary>
    public int StateDimension => _initialState.Length;

    /// <summary>
    /// The largest number of parameters <c>(T-1)·k·d² + T·k·d + d</c> that <see cref="Random"/> generates (<c>2^24</c>
    /// doubles, 128 MiB): a larger request fails at once instead of exhausting memory (and the <c>O((T-1)·k·d³)</c>
    /// orthogonalisation time).
    /// </summary>
    public const long MaxRandomParameters = 1L << 24;

    /// <summary>The parameter count <c>(T-1)·k·d² + T·k·d + d</c>, as a double (no overflow for any int arguments).</summary>
    internal static double RandomParameterCount(int alphabetSize, int horizon, int stateDimension)
    {
        double k = Math.Max(alphabetSize, 0), t = Math.Max(horizon, 0), d = stateDimension;
        return (Math.Max(t - 1, 0) * k * d * d) + (t * k * d) + d;
    }

    /// <summary>
    /// A random ISAN: <c>x_0</c> uniform on the unit sphere, every <c>A_{t,a}</c> a random orthogonal matrix
    /// (so <c>||x_t|| = 1</c> on every path), and every row of <c>B_t</c> Gaussian rescaled to Euclidean norm
    /// <paramref name="logitScale"/>. Hence every raw score satisfies <c>|(B_t x_t)_z| &lt;= logitScale</c> and every
    /// centered logit lies in <c>[-2·logitScale, 2·logitScale]</c>.
    /// </summary>
    /// <remarks>
    /// For <c>d &gt;= 2</c>, generically (for all parameters outside a measure-zero set; checked on fixed seeds by
    /// <c>TimeVaryingIsanTests.Random_isan_has_the_generic_rank_at_every_cut</c>) the logit matrix at cut <c>s</c>
    /// (<c>s = 0..T-1</c>) has rank exactly <c>min(d, k^s, k^{T-s} - 1)</c>: the history states <c>x_s(h)</c>, <c>h ∈ Σ^s</c>,
    /// span <c>min(d, k^s)</c> dimensions, and the column functionals span <c>min(d, (k-1)·|Σ^{&lt;=T-1-s}|) = min(d, k^{T-s} - 1)</c>
    /// dimensions (each future contributes the <c>k-1</c>-dimensional row space of <c>center(B_{s+|f|} A_f)</c>); the two
    /// groups of parameters are independent, so the rank is the smaller of the two (proofs-notes/isan-logit-rank.md).
    /// For <c>d = 1</c> the formula can fail: a normalised one-dimensional Gaussian row is <c>±logitScale</c>, so all
    /// read-out rows of a step coincide with probability <c>2^{1-k}</c> and the logits there are 0.
    /// </remarks>
    /// <param name="alphabetSize">The alphabet size <c>k &gt;= 2</c>.</param>
    /// <param name="horizon">The horizon <c>T &gt;= 1</c>.</param>
    /// <param name="stateDimension">The state dimension <c>d &gt;= 1</c>.</param>
    /// <param name="seed">The seed of the only randomness used.</param>
    /// <param name="logitScale">The bound on the raw scores; positive and finite.</param>
    public static TimeVaryingIsan Random(int alphabetSize, int horizon, int stateDimension, int seed, double logitScale = 1.0)
    {
        if (stateDimension < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(stateDimension), stateDimension, "Expected a state dimension d >= 1.");
        }

        var parameters = RandomParameterCount(alphabetSize, horizon, stateDimension);
        if (parameters > MaxRandomParameters)
        {
            throw new ArgumentOutOfRangeException(
                nameof(stateDimension),
                stateDimension,
                string.Create(CultureInfo.InvariantCulture, $"A random ISAN with k = {alphabetSize}, T = {horizon}, d = {stateDimension} has (T-1)·k·d² + T·k·d + d = {parameters:G4} parameters; expected at most MaxRandomParameters = {MaxRandomParameters} ({MaxRandomParameters * 8L >> 20} MiB of doubles): lower k, T or d."));
        }

        if (!(logitScale > 0) || !double.IsFinite(logitScale))
        {
            throw new ArgumentOutOfRangeException(nameof(logitScale), logitScale, "Expected a positive, finite logit scale.");
        }

        if (alphabetSize < 2 || horizon < 1)
        {
            // Let the base constructor produce the message.
            return new TimeVaryingIsan(alphabetSize, horizon, [1.0], [], []);
        }

        var random = new Random(seed);
        var d = stateDimension;
        var x0 = Gaussian.Vector(random, d);
        Gaussian.Normalize(x0, 1.0);
        var transitions = new List<IReadOnlyList<double[,]>>();
        for (var t = 1; t < horizon; t++)
        {
            var step = new double[alphabetSize][,];
            for (var a = 0; a < alphabetSize; a++)
            {
                step[a] = Gaussian.Orthogonal(random, d);
            }

            transitions.Add(step);
        }

        var readouts = new double[horizon][,];
        for (var t = 0; t < horizon; t++)
        {
            var b = new double[alphabetSize, d];
            for (var z = 0; z < alphabetSize; z++)
            {
                var row = Gaussian.Vector(random, d);
                Gaussian.Normalize(row, logitScale);
                for (var j = 0; j < d; j++)
                {
                    b[z, j] = row[j];
                }
            }

            readouts[t] = b;
        }

        return new TimeVaryingIsan(alphabetSize, horizon, x0, transitions, readouts);
    }

    /// <summary>
    /// Folds an affine ISAN into a linear one of state dimension <c>d + 1</c>: the affine recursion
    /// <c>x_t = A_{t,y_t} x_{t-1} + c_{t,y_t}</c> with logits <c>ℓ(y_{1:t}) = center(B_t x_t + e_t)</c> equals the linear ISAN with
    /// state <c>(x_t, 1)</c>, matrices <c>[[A, c], [0, 1]]</c> and read-outs <c>[B_t, e_t]</c>.
    /// </summary>
    /// <param name="alphabetSize">The alphabet size <c>k</c>.</param>
    /// <param name="horizon">The horizon <c>T</c>.</param>
    /// <param name="initialState"><c>x_0 ∈ R^d</c>.</param>
    /// <param name="transitions"><c>transitions[t-1][a] = A_{t,a}</c> (<c>d×d</c>), <c>t = 1..T-1</c>.</param>
    /// <param name="offsets"><c>offsets[t-1][a] = c_{t,a} ∈ R^d</c>, <c>t = 1..T-1</c>.</param>
    /// <param name="readouts"><c>readouts[t] = B_t</c> (<c>k×d</c>), <c>t = 0..T-1</c>.</param>
    /// <param name="readoutOffsets"><c>readoutOffsets[t] = e_t ∈ R^k</c>, <c>t = 0..T-1</c>.</param>
    /// <exception cref="ArgumentException">A dimension does not match; the message names it.</exception>
    public static TimeVaryingIsan FromAffine(
        int alphabetSize,
        int horizon,
        IReadOnlyList<double> initialState,
        IReadOnlyList<IReadOnlyList<double[,]>> transitions,
        IReadOnlyList<IReadOnlyList<double[]>> offsets,
        IReadOnlyList<double[,]> readouts,
        IReadOnlyList<double[]> readoutOffsets)
    {
        ArgumentNullException.ThrowIfNull(initialState);
        ArgumentNullException.ThrowIfNull(transitions);
        ArgumentNullException.ThrowIfNull(offsets);
        ArgumentNullException.ThrowIfNull(readouts);
        ArgumentNullException.ThrowIfNull(readoutOffsets);
        var d = initialState.Count;
        if (offsets.Count != transitions.Count)
        {
            throw new ArgumentException($"Expected one offset list per transition step ({transitions.Count}); got {offsets.Count}.", nameof(offsets));
        }

        if (readoutOffsets.Count != readouts.Count)
        {
            throw new ArgumentException($"Expected one read-out offset per read-out ({readouts.Count}); got {readoutOffsets.Count}.", nameof(readoutOffsets));
        }

        var x0 = initialState.Append(1.0).ToArray();
        var linearTransitions = new List<IReadOnlyList<double[,]>>(transitions.Count);
        for (var t = 0; t < transitions.Count; t++)
        {
            var step = transitions[t] ?? throw new ArgumentException($"Step {t + 1} of the transitions is null.", nameof(transitions));
            var stepOffsets = offsets[t] ?? throw new ArgumentException($"Step {t + 1} of the offsets is null.", nameof(offsets));
            if (stepOffsets.Count != step.Count)
            {
                throw new ArgumentException($"Step {t + 1} has {stepOffsets.Count} offsets; expected one per transition matrix ({step.Count}).", nameof(offsets));
            }

            var linear = new double[step.Count][,];
            for (var a = 0; a < step.Count; a++)
            {
                var m = step[a] ?? throw new ArgumentException($"A_({t + 1},{a}) is null.", nameof(transitions));
                var c = stepOffsets[a] ?? throw new ArgumentException($"c_({t + 1},{a}) is null.", nameof(offsets));
                if (m.GetLength(0) != d || m.GetLength(1) != d)
                {
                    throw new ArgumentException($"A_({t + 1},{a}) is {m.GetLength(0)}x{m.GetLength(1)}; expected {d}x{d}.", nameof(transitions));
                }

                if (c.Length != d)
                {
                    throw new ArgumentException($"c_({t + 1},{a}) has length {c.Length}; expected d = {d}.", nameof(offsets));
                }

                var l = new double[d + 1, d + 1];
                for (var i = 0; i < d; i++)
                {
                    for (var j = 0; j < d; j++)
                    {
                        l[i, j] = m[i, j];
                    }

                    l[i, d] = c[i];
                }

                l[d, d] = 1.0;
                linear[a] = l;
            }

            linearTransitions.Add(linear);
        }

        var linearReadouts = new double[readouts.Count][,];
        for (var t = 0; t < readouts.Count; t++)
        {
            var b = readouts[t] ?? throw new ArgumentException($"B_{t} is null.", nameof(readouts));
            var e = readoutOffsets[t] ?? throw new ArgumentException($"e_{t} is null.", nameof(readoutOffsets));
            if (b.GetLength(1) != d)
            {
                throw new ArgumentException($"B_{t} has {b.GetLength(1)} columns; expected d = {d}.", nameof(readouts));
            }

            if (e.Length != b.GetLength(0))
            {
                throw new ArgumentException($"e_{t} has length {e.Length}; expected k = {b.GetLength(0)} (the rows of B_{t}).", nameof(readoutOffsets));
            }

            var l = new double[b.GetLength(0), d + 1];
            for (var z = 0; z < b.GetLength(0); z++)
            {
                for (var j = 0; j < d; j++)
                {
                    l[z, j] = b[z, j];
                }

                l[z, d] = e[z];
            }

            linearReadouts[t] = l;
        }

        return new TimeVaryingIsan(alphabetSize, horizon, x0, linearTransitions, linearReadouts);
    }

    /// <summary>The state <c>x_t(h)</c> after reading the prefix <paramref name="prefix"/> (<c>t = |h| &lt;= T-1</c>).</summary>
    public double[] State(Prefix prefix)
    {
        ValidatePrefix(prefix, Horizon - 1);
        return ComputeState(prefix);
    }

    /// <inheritdoc/>
    protected override LogitVector ComputeLogits(Prefix prefix)
    {
        var x = ComputeState(prefix);
        var b = _flatReadouts[prefix.Length];
        var d = x.Length;
        var scores = new double[AlphabetSize];
        for (var z = 0; z < AlphabetSize; z++)
        {
            var row = b.AsSpan(z * d, d);
            var s = 0.0;
            for (var j = 0; j < d; j++)
            {
                s += row[j] * x[j];
            }

            scores[z] = s;
        }

        return LogitVector.FromLogits(scores);
    }

    /// <summary>A row-major copy of <paramref name="matrix"/> (the recursion reads it through spans: no 2-D bounds checks).</summary>
    private static double[] Flatten(double[,] matrix)
    {
        var flat = new double[matrix.Length];
        var columns = matrix.GetLength(1);
        for (var i = 0; i < matrix.GetLength(0); i++)
        {
            for (var j = 0; j < columns; j++)
            {
                flat[(i * columns) + j] = matrix[i, j];
            }
        }

        return flat;
    }

    private static void CheckFinite(double[,] matrix, string name, string parameter)
    {
        for (var i = 0; i < matrix.GetLength(0); i++)
        {
            for (var j = 0; j < matrix.GetLength(1); j++)
            {
                if (!double.IsFinite(matrix[i, j]))
                {
                    throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"Entry ({i},{j}) of {name} is {matrix[i, j]}; expected a finite number."), parameter);
                }
            }
        }
    }

    private double[] ComputeState(Prefix prefix)
    {
        // x_t = A_{t,y_t} x_{t-1}, each entry summed over j in ascending order (bit-identical to the textbook loop).
        var d = _initialState.Length;
        var x = (double[])_initialState.Clone();
        var next = new double[d];
        var tokens = prefix.Tokens;
        for (var t = 0; t < tokens.Length; t++)
        {
            var a = _flatTransitions[t][tokens[t]];
            for (var i = 0; i < d; i++)
            {
                var row = a.AsSpan(i * d, d);
                var s = 0.0;
                for (var j = 0; j < row.Length; j++)
                {
                    s += row[j] * x[j];
                }

                next[i] = s;
            }

            (x, next) = (next, x);
        }

        return x;
    }
}
