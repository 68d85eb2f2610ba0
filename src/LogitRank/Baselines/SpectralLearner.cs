using LogitRank.Models;
using LogitRank.Numerics;
using LogitRank.Sequences;
using MathNet.Numerics.LinearAlgebra;

namespace LogitRank.Baselines;

/// <summary>What <see cref="SpectralLearner"/> built.</summary>
/// <param name="Model">The learned model.</param>
/// <param name="Rank">The rank <c>r</c> of the weighted automaton.</param>
/// <param name="SingularValues">All singular values of the empirical Hankel matrix <c>H</c>, descending.</param>
/// <param name="PrefixBasisLength">The length <c>L_p</c> of the longest basis prefix actually used.</param>
/// <param name="SuffixBasisLength">The length <c>L_s</c> of the longest basis suffix actually used.</param>
public sealed record SpectralResult(ISequenceModel Model, int Rank, IReadOnlyList<double> SingularValues, int PrefixBasisLength, int SuffixBasisLength);

/// <summary>
/// Spectral learning of a weighted finite automaton (WFA) from samples only (Hsu, Kakade, Zhang, <i>A Spectral Algorithm
/// for Learning Hidden Markov Models</i>, 2009/2012; Balle, Carreras, Luque, Quattoni, <i>Spectral Learning of Weighted
/// Automata</i>, Machine Learning 2014), in its standard time-homogeneous form on the prefix function
/// <c>f(x) = Pr_{y~M}[y starts with x]</c>, with next-token probabilities from the ratios <c>f(h a)/f(h)</c>.
/// </summary>
/// <remarks>
/// <para><b>Hankel matrices.</b> Prefixes <c>P = Σ^{&lt;= L_p}</c>, suffixes <c>S = Σ^{&lt;= L_s}</c> with
/// <c>L_p + L_s + 1 &lt;= T</c> (the requested <see cref="BasisLength"/> is reduced to fit, prefixes first). From <c>n</c>
/// samples, <c>f̂(x) = #{i : y_i starts with x}/n</c>; <c>H[u, v] = f̂(uv)</c>, <c>H_a[u, v] = f̂(u a v)</c>,
/// <c>h_S[v] = f̂(v)</c>, <c>h_P[u] = f̂(u)</c>.</para>
/// <para><b>Operators.</b> With <c>V</c> the top-<c>r</c> right singular vectors of <c>H</c> and <c>F = H V</c>:
/// <c>α_0ᵀ = h_Sᵀ V</c>, <c>α_∞ = F⁺ h_P</c>, <c>B_a = F⁺ H_a V</c>, so <c>f(x) ≈ α_0ᵀ B_{x_1}…B_{x_t} α_∞</c>. When the target's
/// prefix function has a rank-<c>r</c> WFA (e.g. an HMM with <c>r</c> hidden states) and the Hankel rank is <c>r</c>, the
/// estimate is consistent.</para>
/// <para><b>Next-token distribution and the fix for non-positive outputs.</b> At <c>h</c>,
/// <c>q_a = α_0ᵀ B_h B_a α_∞</c> (the state <c>α_0ᵀ B_h</c> is rescaled to unit max-norm at every step, which leaves the
/// ratios unchanged). The sign is made that of <c>Σ_a q_a ≈ f(h)</c> (a zero sum counts as positive); negative entries are
/// clipped to 0 and the vector is normalised; then every probability is raised to at least <see cref="Floor"/> and the
/// vector renormalised. If no entry is positive (or one is not finite) the prediction is uniform. So the model is a proper
/// distribution with every probability at least <c>Floor/(1 + k·Floor)</c>; the clipping is the standard practical fix
/// (Balle et al. 2014, section 6) and is the only deviation from the estimated WFA.</para>
/// <para><b>Rank.</b> Fixed (<see cref="Rank"/>), or automatic: the number of singular values above
/// <c>(√|P| + √|S|)/(2√n)</c>, a rough operator-norm scale of the sampling noise in <c>H</c> (each entry has standard
/// deviation at most <c>1/(2√n)</c>), and at least 1. Budget: samples (<c>n</c>).</para>
/// </remarks>
public sealed class SpectralLearner : ISampleLearner
{
    /// <summary>Creates the learner.</summary>
    /// <param name="rank">The WFA rank <c>r &gt;= 1</c>, or null to choose it from the singular values.</param>
    /// <param name="basisLength">The longest basis prefix and suffix <c>L &gt;= 0</c> (reduced to fit <c>T</c>).</param>
    /// <param name="floor">The probability floor, in <c>(0, 1/k)</c> for every alphabet used (checked in <see cref="Learn"/>).</param>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is outside its range; the message names it.</exception>
    public SpectralLearner(int? rank = null, int basisLength = 2, double floor = 1e-3)
    {
        if (rank is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(rank), rank, $"Expected a rank r >= 1 or null; got {rank}.");
        }

        if (basisLength < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(basisLength), basisLength, $"Expected a basis length L >= 0; got {basisLength}.");
        }

        if (!(floor > 0 && floor < 0.5))
        {
            throw new ArgumentOutOfRangeException(nameof(floor), floor, $"Expected a probability floor in (0, 1/2); got {floor}.");
        }

        Rank = rank;
        BasisLength = basisLength;
        Floor = floor;
    }

    /// <inheritdoc/>
    public string Name => "spectral";

    /// <summary>The fixed rank, or null for the automatic choice.</summary>
    public int? Rank { get; }

    /// <summary>The requested longest basis prefix and suffix.</summary>
    public int BasisLength { get; }

    /// <summary>The probability floor applied after clipping.</summary>
    public double Floor { get; }

    /// <inheritdoc/>
    ISequenceModel ISampleLearner.Learn(int alphabetSize, int horizon, IReadOnlyList<Prefix> samples) => Learn(alphabetSize, horizon, samples).Model;

    /// <summary>Learns the WFA and returns it with its diagnostics.</summary>
    /// <inheritdoc cref="ISampleLearner.Learn"/>
    /// <exception cref="ArgumentException">No samples, or a sample of the wrong length or with a token outside the alphabet.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="Floor"/> is not below <c>1/k</c>.</exception>
    public SpectralResult Learn(int alphabetSize, int horizon, IReadOnlyList<Prefix> samples)
    {
        BaselineValidation.CheckSamples(alphabetSize, horizon, samples);
        if (!(Floor < 1.0 / alphabetSize))
        {
            throw new ArgumentOutOfRangeException(nameof(alphabetSize), alphabetSize, $"The probability floor {Floor} must be below 1/k = {1.0 / alphabetSize}.");
        }

        var k = alphabetSize;
        var prefixLength = Math.Min(BasisLength, (horizon - 1) / 2);
        var suffixLength = Math.Min(BasisLength, horizon - 1 - prefixLength);
        var maxLength = prefixLength + suffixLength + 1;
        var counts = new Dictionary<Prefix, long>();
        foreach (var y in samples)
        {
            for (var j = 1; j <= maxLength; j++)
            {
                var x = y.Take(j);
                counts[x] = counts.GetValueOrDefault(x) + 1;
            }
        }

        double n = samples.Count;
        double F(Prefix x) => x.Length == 0 ? 1.0 : counts.GetValueOrDefault(x) / n;

        var prefixes = SequenceSpace.AllUpTo(k, prefixLength).ToArray();
        var suffixes = SequenceSpace.AllUpTo(k, suffixLength).ToArray();
        var h = Matrix<double>.Build.Dense(prefixes.Length, suffixes.Length, (i, j) => F(Prefix.Concatenate(prefixes[i], suffixes[j])));
        var svd = h.Svd(computeVectors: true);
        var singular = svd.S.ToArray();
        var threshold = (Math.Sqrt(prefixes.Length) + Math.Sqrt(suffixes.Length)) / (2 * Math.Sqrt(n));
        var rank = Rank ?? Math.Max(1, singular.Count(s => s > threshold));
        rank = Math.Min(rank, Math.Min(prefixes.Length, suffixes.Length));
        var v = svd.VT.SubMatrix(0, rank, 0, suffixes.Length).Transpose();
        var fPlus = (h * v).PseudoInverse();
        var hS = Vector<double>.Build.Dense(suffixes.Length, j => F(suffixes[j]));
        var hP = Vector<double>.Build.Dense(prefixes.Length, i => F(prefixes[i]));
        var alpha0 = (hS.ToRowMatrix() * v).Row(0).ToArray();
        var alphaInf = (fPlus * hP).ToArray();
        var operators = new double[k][,];
        for (var a = 0; a < k; a++)
        {
            var token = a;
            var ha = Matrix<double>.Build.Dense(prefixes.Length, suffixes.Length, (i, j) => F(Prefix.Concatenate(prefixes[i].Append(token), suffixes[j])));
            operators[a] = (fPlus * ha * v).ToArray();
        }

        var model = new WfaModel(k, horizon, alpha0, operators, alphaInf, Floor);
        return new SpectralResult(model, rank, singular, prefixLength, suffixLength);
    }

    /// <summary>The WFA <c>(α_0, B_a, α_∞)</c> read as an autoregressive model with clipped ratios (internal for the tests of
    /// the clipping rule on hand-built automata).</summary>
    internal sealed class WfaModel : SequenceModel
    {
        private readonly double[] _alpha0;
        private readonly double[][,] _operators;
        private readonly double[] _alphaInf;
        private readonly double[][] _outputs;
        private readonly double _floor;

        public WfaModel(int alphabetSize, int horizon, double[] alpha0, double[][,] operators, double[] alphaInf, double floor)
            : base(alphabetSize, horizon)
        {
            _alpha0 = Normalised(alpha0);
            _operators = operators;
            _alphaInf = alphaInf;
            _floor = floor;

            // _outputs[a] = B_a α_∞, so q_a = state · _outputs[a].
            _outputs = new double[alphabetSize][];
            for (var a = 0; a < alphabetSize; a++)
            {
                var r = alphaInf.Length;
                _outputs[a] = new double[r];
                for (var i = 0; i < r; i++)
                {
                    var sum = 0.0;
                    for (var j = 0; j < r; j++)
                    {
                        sum += operators[a][i, j] * _alphaInf[j];
                    }

                    _outputs[a][i] = sum;
                }
            }
        }

        public override double LogProbability(Prefix sequence)
        {
            ValidatePrefix(sequence, Horizon, nameof(sequence));
            var state = _alpha0;
            var total = 0.0;
            for (var t = 0; t < sequence.Length; t++)
            {
                total += Math.Log(Distribution(state)[sequence[t]]);
                state = Step(state, sequence[t]);
            }

            return total;
        }

        public override Prefix Sample(Random random)
        {
            ArgumentNullException.ThrowIfNull(random);
            var state = _alpha0;
            var tokens = new int[Horizon];
            for (var t = 0; t < Horizon; t++)
            {
                tokens[t] = SampleToken(Distribution(state), random);
                state = Step(state, tokens[t]);
            }

            return Prefix.Of(tokens);
        }

        protected override LogitVector ComputeLogits(Prefix prefix)
        {
            var state = _alpha0;
            foreach (var token in prefix.Tokens)
            {
                state = Step(state, token);
            }

            return LogitVector.FromProbabilities(Distribution(state));
        }

        private double[] Distribution(double[] state)
        {
            var k = AlphabetSize;
            var q = new double[k];
            var total = 0.0;
            for (var a = 0; a < k; a++)
            {
                var sum = 0.0;
                for (var i = 0; i < state.Length; i++)
                {
                    sum += state[i] * _outputs[a][i];
                }

                q[a] = sum;
                total += sum;
            }

            var sign = total < 0 ? -1.0 : 1.0;
            var positive = 0.0;
            for (var a = 0; a < k; a++)
            {
                q[a] = Math.Max(sign * q[a], 0);
                positive += q[a];
            }

            if (!(positive > 0) || !double.IsFinite(positive))
            {
                Array.Fill(q, 1.0 / k);
                return q;
            }

            var renormalised = 0.0;
            for (var a = 0; a < k; a++)
            {
                q[a] = Math.Max(q[a] / positive, _floor);
                renormalised += q[a];
            }

            for (var a = 0; a < k; a++)
            {
                q[a] /= renormalised;
            }

            return q;
        }

        private double[] Step(double[] state, int token)
        {
            var b = _operators[token];
            var r = state.Length;
            var next = new double[r];
            for (var j = 0; j < r; j++)
            {
                var sum = 0.0;
                for (var i = 0; i < r; i++)
                {
                    sum += state[i] * b[i, j];
                }

                next[j] = sum;
            }

            return Normalised(next);
        }

        private static double[] Normalised(double[] state)
        {
            var max = 0.0;
            foreach (var x in state)
            {
                max = Math.Max(max, Math.Abs(x));
            }

            if (max > 0 && double.IsFinite(max))
            {
                for (var i = 0; i < state.Length; i++)
                {
                    state[i] /= max;
                }
            }

            return state;
        }
    }
}
