using LogitRank.Numerics;
using LogitRank.Sequences;

namespace LogitRank.Models;

/// <summary>
/// Base class for models defined by their next-token logits: validates arguments, and derives
/// <see cref="LogProbability"/> (chain rule) and <see cref="Sample"/> (autoregressive inverse-CDF sampling)
/// from <see cref="ComputeLogits"/>.
/// </summary>
public abstract class SequenceModel : ISequenceModel
{
    /// <summary>Initialises a model over <paramref name="alphabetSize"/> tokens with horizon <paramref name="horizon"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><c>k &lt; 2</c> or <c>T &lt; 1</c>.</exception>
    protected SequenceModel(int alphabetSize, int horizon)
    {
        SequenceGuard.AlphabetSize(alphabetSize);
        SequenceGuard.Horizon(horizon);

        AlphabetSize = alphabetSize;
        Horizon = horizon;
    }

    /// <inheritdoc/>
    public int AlphabetSize { get; }

    /// <inheritdoc/>
    public int Horizon { get; }

    /// <inheritdoc/>
    public LogitVector NextTokenLogits(Prefix prefix)
    {
        ValidatePrefix(prefix, Horizon - 1);
        return ComputeLogits(prefix);
    }

    /// <inheritdoc/>
    public virtual double LogProbability(Prefix sequence)
    {
        ValidatePrefix(sequence, Horizon, nameof(sequence));
        var total = 0.0;
        for (var t = 0; t < sequence.Length; t++)
        {
            total += ComputeLogits(sequence.Take(t)).LogProbability(sequence[t]);
        }

        return total;
    }

    /// <inheritdoc/>
    public virtual Prefix Sample(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var tokens = new int[Horizon];
        var prefix = Prefix.Empty;
        for (var t = 0; t < Horizon; t++)
        {
            tokens[t] = SampleToken(ComputeLogits(prefix).Probabilities(), random);
            prefix = prefix.Append(tokens[t]);
        }

        return prefix;
    }

    /// <summary>
    /// The sequence <see cref="Sample"/> draws when its <see cref="Random"/> returns <paramref name="uniforms"/> (one per
    /// token, in order): <see cref="Sample"/> consumes exactly <c>T</c> uniforms, one per position, so a caller can draw the
    /// uniforms of many sequences from one generator first and sample the sequences in parallel
    /// (<see cref="SequenceModelExtensions.SampleMany(ISequenceModel, int, int, int)"/>).
    /// </summary>
    internal Prefix SampleFromUniforms(ReadOnlySpan<double> uniforms)
    {
        var prefix = Prefix.Empty;
        for (var t = 0; t < Horizon; t++)
        {
            prefix = prefix.Append(SampleTokenAt(ComputeLogits(prefix).Probabilities(), uniforms[t]));
        }

        return prefix;
    }

    /// <summary>Whether <see cref="Sample"/> is this class's (not overridden), so <see cref="SampleFromUniforms"/> reproduces it.</summary>
    internal bool SamplesByInverseCdf => GetType().GetMethod(nameof(Sample), [typeof(Random)])?.DeclaringType == typeof(SequenceModel);

    /// <summary>The centered logits at an already validated prefix (<c>|h| &lt;= T-1</c>, tokens in range).</summary>
    protected abstract LogitVector ComputeLogits(Prefix prefix);

    /// <summary>
    /// Inverse-CDF draw from a probability vector with one uniform <c>u ∈ [0,1)</c>: the smallest <c>z</c>
    /// with <c>Σ_{y&lt;=z} p_y &gt; u</c> (the last token absorbs rounding).
    /// </summary>
    public static int SampleToken(ReadOnlySpan<double> probabilities, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        return SampleTokenAt(probabilities, random.NextDouble());
    }

    /// <summary>The inverse-CDF draw of <see cref="SampleToken(ReadOnlySpan{double}, Random)"/> for the uniform <paramref name="u"/>.</summary>
    internal static int SampleTokenAt(ReadOnlySpan<double> probabilities, double u)
    {
        var cumulative = 0.0;
        for (var z = 0; z < probabilities.Length - 1; z++)
        {
            cumulative += probabilities[z];
            if (u < cumulative)
            {
                return z;
            }
        }

        return probabilities.Length - 1;
    }

    /// <summary>Throws unless <paramref name="prefix"/> has length at most <paramref name="maxLength"/> and tokens in <c>0..k-1</c>.</summary>
    /// <remarks>The exceptions name the parameter <c>prefix</c>; a caller whose parameter has another name uses
    /// <see cref="ValidatePrefix(Prefix, int, string)"/>.</remarks>
    protected void ValidatePrefix(Prefix prefix, int maxLength) => ValidatePrefix(prefix, maxLength, nameof(prefix));

    /// <summary>Throws unless <paramref name="prefix"/> has length at most <paramref name="maxLength"/> and tokens in <c>0..k-1</c>.</summary>
    /// <param name="prefix">The prefix or sequence to check.</param>
    /// <param name="maxLength">The largest length allowed (<c>T - 1</c> for a prefix, <c>T</c> for a whole sequence).</param>
    /// <param name="paramName">The caller's parameter name, reported as <see cref="ArgumentException.ParamName"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="prefix"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="prefix"/> is too long or holds a token outside the alphabet.</exception>
    protected void ValidatePrefix(Prefix prefix, int maxLength, string paramName)
    {
        ArgumentNullException.ThrowIfNull(prefix, paramName);
        if (prefix.Length > maxLength)
        {
            throw new ArgumentException($"Prefix {prefix} has length {prefix.Length}; expected at most {maxLength} (horizon T = {Horizon}).", paramName);
        }

        for (var i = 0; i < prefix.Length; i++)
        {
            if (prefix[i] >= AlphabetSize)
            {
                throw new ArgumentException($"Token {prefix[i]} at position {i} of prefix {prefix} is outside the alphabet 0..{AlphabetSize - 1}.", paramName);
            }
        }
    }
}
