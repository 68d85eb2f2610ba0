using System.Globalization;
using LogitRank.Numerics;
using LogitRank.Sequences;

namespace LogitRank.Models;

/// <summary>
/// The noisy-parity distribution (ALGORITHM.md section 1) over binary sequences of length <c>T = n + 1</c>:
/// bits <c>x_1..x_n</c> are independent and uniform (centered logits <c>(0, 0)</c>), and the last token is the
/// label <c>⟨s, x⟩ mod 2</c> flipped with probability <c>ν</c>.
/// </summary>
/// <remarks>
/// <para>Alphabet <c>Σ = {0, 1}</c> (<c>k = 2</c>). At a prefix <c>x ∈ {0,1}^n</c> the centered label logits are
/// <c>(+B, -B)</c> when <c>⟨s, x⟩ mod 2 = 0</c> and <c>(-B, +B)</c> when it is 1, with
/// <c>B = ½ log((1-ν)/ν) &gt; 0</c> (see <see cref="LabelLogit"/>), so the correct label has probability
/// <c>e^B / (e^B + e^{-B}) = 1 - ν</c>.</para>
/// <para>Its logit matrix has rank exactly 1 at every cut <c>s = 0..n</c>: the only nonzero entries are in the columns
/// <c>(f, z)</c> with <c>|f| = n - s</c>, where <c>Row_h(f, z) = B·(-1)^{⟨s_{1:s}, h⟩}·(-1)^{⟨s_{s+1:n}, f⟩}·(-1)^z</c>, an outer
/// product (proofs-notes/isan-logit-rank.md).</para>
/// </remarks>
public sealed class NoisyParity : SequenceModel
{
    private readonly int[] _secret;
    private readonly LogitVector _labelZero;
    private readonly LogitVector _labelOne;
    private readonly LogitVector _uniform;

    /// <summary>Creates the noisy-parity model with the given secret and noise rate.</summary>
    /// <param name="secret">The secret <c>s ∈ {0,1}^n</c>, <c>n = secret.Count &gt;= 1</c>; copied.</param>
    /// <param name="noise">The flip probability <c>ν</c>, in the open interval <c>(0, 1/2)</c>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="secret"/> is null.</exception>
    /// <exception cref="ArgumentException">The secret is empty or holds an entry other than 0 or 1 (the message names it).</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="noise"/> is not in <c>(0, 1/2)</c>.</exception>
    public NoisyParity(IReadOnlyList<int> secret, double noise)
        : base(2, CheckSecret(secret).Count + 1)
    {
        CheckNoise(noise);
        _secret = secret.ToArray();
        Noise = noise;
        LabelLogit = 0.5 * Math.Log((1 - noise) / noise);
        _labelZero = LogitVector.FromLogits([LabelLogit, -LabelLogit]);
        _labelOne = LogitVector.FromLogits([-LabelLogit, LabelLogit]);
        _uniform = LogitVector.Uniform(2);
    }

    /// <summary>The number of input bits <c>n = T - 1</c>.</summary>
    public int Bits => _secret.Length;

    /// <summary>The secret <c>s ∈ {0,1}^n</c> (a copy-free read-only view).</summary>
    public IReadOnlyList<int> Secret => Array.AsReadOnly(_secret);

    /// <summary>The label flip probability <c>ν ∈ (0, 1/2)</c>.</summary>
    public double Noise { get; }

    /// <summary>The label logit magnitude <c>B = ½ log((1-ν)/ν) &gt; 0</c> (nats).</summary>
    public double LabelLogit { get; }

    /// <summary>The largest number of bits <c>n</c> that <see cref="Random"/> draws (<c>2^20</c>; the horizon is <c>n + 1</c>).</summary>
    public const int MaxRandomBits = 1 << 20;

    /// <summary>
    /// A noisy-parity model whose secret has <paramref name="bits"/> independent uniform bits drawn from
    /// <c>new Random(seed)</c> (the all-zero secret is possible, with probability <c>2^-n</c>).
    /// </summary>
    /// <param name="bits">The number of input bits <c>n &gt;= 1</c> (horizon <c>T = n + 1</c>).</param>
    /// <param name="noise">The flip probability <c>ν ∈ (0, 1/2)</c>.</param>
    /// <param name="seed">The seed of the only randomness used.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="bits"/> is below 1 or <paramref name="noise"/> is not in <c>(0, 1/2)</c>.</exception>
    public static NoisyParity Random(int bits, double noise, int seed)
    {
        if (bits < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(bits), bits, $"Expected a number of bits n >= 1; got {bits}.");
        }

        if (bits > MaxRandomBits)
        {
            throw new ArgumentOutOfRangeException(nameof(bits), bits, $"Expected a number of bits n <= MaxRandomBits = {MaxRandomBits} (each sequence has n + 1 tokens); got {bits}.");
        }

        // The noise is checked by the constructor, before anything depends on it.
        var random = new Random(seed);
        var secret = new int[bits];
        for (var i = 0; i < bits; i++)
        {
            secret[i] = random.Next(2);
        }

        return new NoisyParity(secret, noise);
    }

    /// <summary>The noiseless label <c>⟨s, x⟩ mod 2</c> of an input <c>x ∈ {0,1}^n</c>.</summary>
    /// <exception cref="ArgumentException"><paramref name="input"/> does not have length <c>n</c> or holds a token other than 0 or 1.</exception>
    public int Label(Prefix input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Length != Bits)
        {
            throw new ArgumentException($"Input {input} has length {input.Length}; expected n = {Bits} bits.", nameof(input));
        }

        ValidatePrefix(input, Bits, nameof(input));
        return Parity(input);
    }

    /// <inheritdoc/>
    protected override LogitVector ComputeLogits(Prefix prefix)
    {
        if (prefix.Length < Bits)
        {
            return _uniform;
        }

        return Parity(prefix) == 0 ? _labelZero : _labelOne;
    }

    private int Parity(Prefix input)
    {
        var parity = 0;
        for (var i = 0; i < _secret.Length; i++)
        {
            parity ^= _secret[i] & input[i];
        }

        return parity;
    }

    private static IReadOnlyList<int> CheckSecret(IReadOnlyList<int> secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        if (secret.Count < 1)
        {
            throw new ArgumentException("The secret is empty; expected n >= 1 bits.", nameof(secret));
        }

        for (var i = 0; i < secret.Count; i++)
        {
            if (secret[i] is not (0 or 1))
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"Secret bit {i} is {secret[i]}; expected 0 or 1."), nameof(secret));
            }
        }

        return secret;
    }

    private static void CheckNoise(double noise)
    {
        if (!(noise > 0 && noise < 0.5))
        {
            throw new ArgumentOutOfRangeException(nameof(noise), noise, string.Create(CultureInfo.InvariantCulture, $"Expected a noise rate ν in the open interval (0, 1/2); got {noise}."));
        }
    }
}
