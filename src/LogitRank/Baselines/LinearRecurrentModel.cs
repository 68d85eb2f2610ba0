using LogitRank.Models;
using LogitRank.Numerics;
using LogitRank.Sequences;

namespace LogitRank.Baselines;

/// <summary>
/// A time-varying linear recurrent model (a linear ISAN in basis coordinates): <c>c_0 = e_1 ∈ R^{m_0}</c>,
/// <c>c_{s+1} = A_{s, y_{s+1}} c_s</c>, next-token logits <c>ℓ̂(∅) = center(r_0)</c> and, for <c>t &gt;= 1</c>,
/// <c>ℓ̂(y_{1:t}) = center(O_{t-1, y_t} c_{t-1})</c>. Built by <see cref="LeastSquaresLearner"/>.
/// </summary>
internal sealed class LinearRecurrentModel : SequenceModel
{
    // _transitions[s][a] is m_{s+1} x m_s (row-major jagged), s = 0..T-2.
    private readonly double[][][][] _transitions;

    // _readouts[s][b] is k x m_s: row a holds R_{s,i}(b∘a) over i, s = 0..T-2.
    private readonly double[][][][] _readouts;
    private readonly LogitVector _initial;

    public LinearRecurrentModel(int alphabetSize, int horizon, double[] initialLogits, double[][][][] transitions, double[][][][] readouts)
        : base(alphabetSize, horizon)
    {
        _initial = LogitVector.FromLogits(initialLogits);
        _transitions = transitions;
        _readouts = readouts;
    }

    public override double LogProbability(Prefix sequence)
    {
        ValidatePrefix(sequence, Horizon, nameof(sequence));
        var total = 0.0;
        double[] state = [1.0];
        for (var t = 0; t < sequence.Length; t++)
        {
            total += Logits(t, t == 0 ? -1 : sequence[t - 1], state).LogProbability(sequence[t]);
            if (t >= 1 && t < sequence.Length - 1)
            {
                state = Step(t - 1, sequence[t - 1], state);
            }
        }

        return total;
    }

    public override Prefix Sample(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var tokens = new int[Horizon];
        double[] state = [1.0];
        for (var t = 0; t < Horizon; t++)
        {
            if (t >= 2)
            {
                state = Step(t - 2, tokens[t - 2], state);
            }

            tokens[t] = SampleToken(Logits(t, t == 0 ? -1 : tokens[t - 1], state).Probabilities(), random);
        }

        return Prefix.Of(tokens);
    }

    protected override LogitVector ComputeLogits(Prefix prefix)
    {
        double[] state = [1.0];
        for (var s = 0; s + 1 < prefix.Length; s++)
        {
            state = Step(s, prefix[s], state);
        }

        return Logits(prefix.Length, prefix.Length == 0 ? -1 : prefix[^1], state);
    }

    /// <summary>The logits at a prefix of length <paramref name="t"/> whose last token is <paramref name="last"/>, given <c>c_{t-1}</c>.</summary>
    private LogitVector Logits(int t, int last, double[] state)
    {
        if (t == 0)
        {
            return _initial;
        }

        var readout = _readouts[t - 1][last];
        var raw = new double[AlphabetSize];
        for (var a = 0; a < raw.Length; a++)
        {
            var row = readout[a];
            var sum = 0.0;
            for (var i = 0; i < row.Length; i++)
            {
                sum += row[i] * state[i];
            }

            raw[a] = sum;
            if (!double.IsFinite(sum))
            {
                // The unconstrained recursion can overflow on long prefixes; a non-finite score carries no usable
                // prediction, so the model falls back to the uniform distribution there (documented in LeastSquaresLearner).
                return LogitVector.Uniform(AlphabetSize);
            }
        }

        return LogitVector.FromLogits(raw);
    }

    private double[] Step(int s, int token, double[] state)
    {
        var matrix = _transitions[s][token];
        var next = new double[matrix.Length];
        for (var j = 0; j < next.Length; j++)
        {
            var row = matrix[j];
            var sum = 0.0;
            for (var i = 0; i < row.Length; i++)
            {
                sum += row[i] * state[i];
            }

            next[j] = sum;
        }

        return next;
    }
}
