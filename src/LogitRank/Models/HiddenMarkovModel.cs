using System.Globalization;
using LogitRank.Numerics;
using LogitRank.Sequences;

namespace LogitRank.Models;

/// <summary>
/// A time-homogeneous hidden Markov model with <c>S</c> hidden states over <c>k</c> observed tokens, truncated to
/// horizon <c>T</c>: a hidden state <c>q_1 ~ π</c>, <c>q_{t+1} ~ P[q_t, ·]</c>, and each step emits
/// <c>y_t ~ E[q_t, ·]</c>.
/// </summary>
/// <remarks>
/// <para>Every entry of <c>π</c> (length <c>S</c>), of the transition matrix <c>P</c> (<c>S×S</c>, rows sum to 1) and of the
/// emission matrix <c>E</c> (<c>S×k</c>, rows sum to 1) is positive, so every next-token probability is positive.</para>
/// <para>Next-token logits come from the scaled forward algorithm: the filtering distribution
/// <c>α_t(i) = Pr[q_{t+1} = i | y_{1:t}]</c> starts at <c>α_0 = π</c> and is updated by
/// <c>α_{t+1}(j) ∝ Σ_i α_t(i) E[i, y_{t+1}] P[i, j]</c>, renormalised at every step (so nothing underflows);
/// then <c>M(z | y_{1:t}) = Σ_i α_t(i) E[i, z]</c> and the logits are <c>center(log M(· | y_{1:t}))</c>.</para>
/// <para>An HMM with <c>S</c> states need not have logit rank at most <c>S</c> (the log of a mixture is not linear in the
/// mixture weights); no rank bound is claimed.</para>
/// </remarks>
public sealed class HiddenMarkovModel : SequenceModel
{
    /// <summary>The tolerance on <c>|Σ_j row_j - 1|</c> accepted for each probability row before it is renormalised.</summary>
    public const double RowSumTolerance = Tolerances.StochasticRowSum;

    private readonly double[] _initial;
    private readonly double[,] _transition;
    private readonly double[,] _emission;

    /// <summary>Creates an HMM from explicit parameters (copied, then each row renormalised to sum to exactly 1 up to rounding).</summary>
    /// <param name="horizon">The horizon <c>T &gt;= 1</c>.</param>
    /// <param name="initial"><c>π</c>: positive, finite, length <c>S &gt;= 1</c>, summing to 1 within <see cref="RowSumTolerance"/>.</param>
    /// <param name="transition"><c>P</c>: <c>S×S</c>, positive and finite, every row summing to 1 within <see cref="RowSumTolerance"/>.</param>
    /// <param name="emission"><c>E</c>: <c>S×k</c> with <c>k &gt;= 2</c>, positive and finite, every row summing to 1 within <see cref="RowSumTolerance"/>.</param>
    /// <exception cref="ArgumentException">A dimension does not match, or an entry or row sum is invalid; the message names it.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><c>k &lt; 2</c> or <c>T &lt; 1</c>.</exception>
    public HiddenMarkovModel(int horizon, IReadOnlyList<double> initial, double[,] transition, double[,] emission)
        : base((emission ?? throw new ArgumentNullException(nameof(emission))).GetLength(1), horizon)
    {
        ArgumentNullException.ThrowIfNull(initial);
        ArgumentNullException.ThrowIfNull(transition);
        var states = initial.Count;
        if (states < 1)
        {
            throw new ArgumentException("The initial distribution is empty; expected S >= 1 states.", nameof(initial));
        }

        if (transition.GetLength(0) != states || transition.GetLength(1) != states)
        {
            throw new ArgumentException($"The transition matrix is {transition.GetLength(0)}x{transition.GetLength(1)}; expected S x S = {states}x{states}.", nameof(transition));
        }

        if (emission.GetLength(0) != states)
        {
            throw new ArgumentException($"The emission matrix has {emission.GetLength(0)} rows; expected S = {states}.", nameof(emission));
        }

        var initialCopy = new double[1, states];
        for (var i = 0; i < states; i++)
        {
            initialCopy[0, i] = initial[i];
        }

        _initial = new double[states];
        var normalisedInitial = CheckedRows(initialCopy, nameof(initial), "initial distribution");
        for (var i = 0; i < states; i++)
        {
            _initial[i] = normalisedInitial[0, i];
        }

        _transition = CheckedRows(transition, nameof(transition), "transition matrix");
        _emission = CheckedRows(emission, nameof(emission), "emission matrix");
    }

    /// <summary>The number of hidden states <c>S</c>.</summary>
    public int States => _initial.Length;

    /// <summary><c>π(i)</c>, the probability that the first hidden state is <paramref name="state"/>.</summary>
    public double Initial(int state) => _initial[state];

    /// <summary><c>P[from, to]</c>, the probability of moving from hidden state <paramref name="from"/> to <paramref name="to"/>.</summary>
    public double Transition(int from, int to) => _transition[from, to];

    /// <summary><c>E[state, token]</c>, the probability that hidden state <paramref name="state"/> emits <paramref name="token"/>.</summary>
    public double Emission(int state, int token) => _emission[state, token];

    /// <summary>
    /// The largest number of parameters <c>S² + S·k + S</c> that <see cref="Random"/> generates (<c>2^24</c> doubles,
    /// 128 MiB): a larger request fails at once instead of exhausting memory.
    /// </summary>
    public const long MaxRandomParameters = 1L << 24;

    /// <summary>
    /// A random HMM: <c>π</c> and every row of <c>P</c> and <c>E</c> is a draw from the symmetric Dirichlet distribution with
    /// parameter <paramref name="concentration"/> (normalised Gamma(<paramref name="concentration"/>, 1) draws), mixed with the
    /// uniform distribution as <c>(1 - λ)·row + λ/len</c> with <c>λ = </c><paramref name="smoothing"/>, which makes every entry at
    /// least <c>λ/len</c>. Small concentrations give peaked (near-deterministic) rows; large ones give near-uniform rows.
    /// </summary>
    /// <param name="states">The number of hidden states <c>S &gt;= 1</c>.</param>
    /// <param name="alphabetSize">The alphabet size <c>k &gt;= 2</c>.</param>
    /// <param name="horizon">The horizon <c>T &gt;= 1</c>.</param>
    /// <param name="seed">The seed of the only randomness used.</param>
    /// <param name="concentration">The Dirichlet parameter; positive and finite.</param>
    /// <param name="smoothing">The uniform mixing weight <c>λ ∈ (0, 1]</c>.</param>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is outside its range; the message names it.</exception>
    public static HiddenMarkovModel Random(int states, int alphabetSize, int horizon, int seed, double concentration = 1.0, double smoothing = 1e-3)
    {
        if (states < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(states), states, $"Expected a number of hidden states S >= 1; got {states}.");
        }

        if (alphabetSize < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(alphabetSize), alphabetSize, $"Expected an alphabet size k >= 2; got {alphabetSize}.");
        }

        if (horizon < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(horizon), horizon, $"Expected a horizon T >= 1; got {horizon}.");
        }

        if (!(concentration > 0) || !double.IsFinite(concentration))
        {
            throw new ArgumentOutOfRangeException(nameof(concentration), concentration, string.Create(CultureInfo.InvariantCulture, $"Expected a positive, finite Dirichlet concentration; got {concentration}."));
        }

        if (!(smoothing > 0 && smoothing <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(smoothing), smoothing, string.Create(CultureInfo.InvariantCulture, $"Expected a smoothing weight λ in (0, 1]; got {smoothing}."));
        }

        var parameters = ((double)states * states) + ((double)states * alphabetSize) + states;
        if (parameters > MaxRandomParameters)
        {
            throw new ArgumentOutOfRangeException(
                nameof(states),
                states,
                string.Create(CultureInfo.InvariantCulture, $"A random HMM with S = {states} states and k = {alphabetSize} has S² + S·k + S = {parameters:G4} parameters; expected at most MaxRandomParameters = {MaxRandomParameters} ({MaxRandomParameters * 8L >> 20} MiB of doubles): lower the states or k."));
        }

        var random = new Random(seed);
        var initial = DirichletRows(random, 1, states, concentration, smoothing);
        var transition = DirichletRows(random, states, states, concentration, smoothing);
        var emission = DirichletRows(random, states, alphabetSize, concentration, smoothing);
        return new HiddenMarkovModel(horizon, Enumerable.Range(0, states).Select(i => initial[0, i]).ToArray(), transition, emission);
    }

    /// <summary>The filtering distribution <c>α_t(i) = Pr[q_{t+1} = i | y_{1:t}]</c> after the prefix (<c>t = |h| &lt;= T-1</c>); sums to 1.</summary>
    public double[] StateDistribution(Prefix prefix)
    {
        ValidatePrefix(prefix, Horizon - 1);
        return Filter(prefix);
    }

    /// <inheritdoc/>
    protected override LogitVector ComputeLogits(Prefix prefix)
    {
        var alpha = Filter(prefix);
        var logs = new double[AlphabetSize];
        for (var z = 0; z < AlphabetSize; z++)
        {
            var p = 0.0;
            for (var i = 0; i < alpha.Length; i++)
            {
                p += alpha[i] * _emission[i, z];
            }

            logs[z] = Math.Log(p);
        }

        return LogitVector.FromLogits(logs);
    }

    private double[] Filter(Prefix prefix)
    {
        var s = States;
        var alpha = (double[])_initial.Clone();
        var weighted = new double[s];
        for (var t = 0; t < prefix.Length; t++)
        {
            var y = prefix[t];
            var total = 0.0;
            for (var i = 0; i < s; i++)
            {
                weighted[i] = alpha[i] * _emission[i, y];
                total += weighted[i];
            }

            for (var j = 0; j < s; j++)
            {
                var sum = 0.0;
                for (var i = 0; i < s; i++)
                {
                    sum += weighted[i] * _transition[i, j];
                }

                alpha[j] = sum / total;
            }
        }

        return alpha;
    }

    private static double[,] DirichletRows(Random random, int rows, int columns, double concentration, double smoothing)
    {
        var result = new double[rows, columns];
        var row = new double[columns];
        for (var r = 0; r < rows; r++)
        {
            var total = 0.0;
            for (var c = 0; c < columns; c++)
            {
                row[c] = MathNet.Numerics.Distributions.Gamma.Sample(random, concentration, 1.0);
                total += row[c];
            }

            for (var c = 0; c < columns; c++)
            {
                // total > 0 unless every Gamma draw underflowed; then fall back to the uniform row.
                var dirichlet = total > 0 ? row[c] / total : 1.0 / columns;
                result[r, c] = ((1 - smoothing) * dirichlet) + (smoothing / columns);
            }
        }

        return result;
    }

    private static double[,] CheckedRows(double[,] matrix, string parameter, string what)
    {
        var rows = matrix.GetLength(0);
        var columns = matrix.GetLength(1);
        var result = new double[rows, columns];
        for (var r = 0; r < rows; r++)
        {
            var sum = 0.0;
            for (var c = 0; c < columns; c++)
            {
                var v = matrix[r, c];
                if (!(v > 0) || !double.IsFinite(v))
                {
                    throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"Entry ({r},{c}) of the {what} is {v}; expected a positive, finite probability."), parameter);
                }

                sum += v;
            }

            if (Math.Abs(sum - 1) > RowSumTolerance)
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"Row {r} of the {what} sums to {sum:R}; expected 1 within {RowSumTolerance}."), parameter);
            }

            for (var c = 0; c < columns; c++)
            {
                result[r, c] = matrix[r, c] / sum;
            }
        }

        return result;
    }
}
