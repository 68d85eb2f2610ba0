using LogitRank.Numerics;
using LogitRank.Sequences;

namespace LogitRank.Models;

/// <summary>
/// A time-varying input-switched affine network (ISAN) with state dimension <c>d</c> (ALGORITHM.md section 1):
/// a state <c>x_0 ∈ R^d</c>, transition matrices <c>A_{t,a} ∈ R^{d×d}</c> for <c>t = 1..T-1</c> and tokens <c>a</c>, and
/// read-outs <c>B_t ∈ R^{k×d}</c> for <c>t = 0..T-1</c>, with <c>x_t = A_{t,y_t} x_{t-1}</c> and
/// <c>ℓ(y_{1:t}) = center(B_t x_t)</c>. Its logit matrix has rank at most <c>d</c> at every cut.
/// </summary>
public sealed class TimeVaryingIsan : SequenceModel
{
    private readonly double[] _initialState;
    private readonly double[][][,] _transitions; // [t-1][a] for t = 1..T-1
    private readonly double[][,] _readouts;     // [t] for t = 0..T-1

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
        _transitions = new double[horizon - 1][][,];
        for (var t = 0; t < horizon - 1; t++)
        {
            if (transitions[t].Count != alphabetSize)
            {
                throw new ArgumentException($"Step {t + 1} has {transitions[t].Count} transition matrices; expected k = {alphabetSize}.", nameof(transitions));
            }

            _transitions[t] = new double[alphabetSize][,];
            for (var a = 0; a < alphabetSize; a++)
            {
                var m = transitions[t][a];
                if (m.GetLength(0) != d || m.GetLength(1) != d)
                {
                    throw new ArgumentException($"A_({t + 1},{a}) is {m.GetLength(0)}x{m.GetLength(1)}; expected {d}x{d}.", nameof(transitions));
                }

                _transitions[t][a] = (double[,])m.Clone();
            }
        }

        _readouts = new double[horizon][,];
        for (var t = 0; t < horizon; t++)
        {
            var b = readouts[t];
            if (b.GetLength(0) != alphabetSize || b.GetLength(1) != d)
            {
                throw new ArgumentException($"B_{t} is {b.GetLength(0)}x{b.GetLength(1)}; expected {alphabetSize}x{d}.", nameof(readouts));
            }

            _readouts[t] = (double[,])b.Clone();
        }
    }

    /// <summary>The state dimension <c>d</c>.</summary>
    public int StateDimension => _initialState.Length;

    /// <summary>
    /// A random ISAN: <c>x_0</c> uniform on the unit sphere, every <c>A_{t,a}</c> a random orthogonal matrix
    /// (so <c>||x_t|| = 1</c> on every path), and every row of <c>B_t</c> Gaussian rescaled to Euclidean norm
    /// <paramref name="logitScale"/>. Hence every raw score satisfies <c>|(B_t x_t)_z| &lt;= logitScale</c> and every
    /// centered logit lies in <c>[-2·logitScale, 2·logitScale]</c>. Generically the logit rank is exactly <c>min(d, ...)</c>.
    /// </summary>
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
        var b = _readouts[prefix.Length];
        var d = x.Length;
        var scores = new double[AlphabetSize];
        for (var z = 0; z < AlphabetSize; z++)
        {
            var s = 0.0;
            for (var j = 0; j < d; j++)
            {
                s += b[z, j] * x[j];
            }

            scores[z] = s;
        }

        return LogitVector.FromLogits(scores);
    }

    private double[] ComputeState(Prefix prefix)
    {
        var x = (double[])_initialState.Clone();
        var next = new double[x.Length];
        for (var t = 0; t < prefix.Length; t++)
        {
            var a = _transitions[t][prefix[t]];
            for (var i = 0; i < x.Length; i++)
            {
                var s = 0.0;
                for (var j = 0; j < x.Length; j++)
                {
                    s += a[i, j] * x[j];
                }

                next[i] = s;
            }

            (x, next) = (next, x);
        }

        return x;
    }
}
