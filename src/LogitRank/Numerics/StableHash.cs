namespace LogitRank.Numerics;

/// <summary>
/// A process-independent hash of (seed, token sequence) built from the SplitMix64 finaliser. Unlike
/// <see cref="HashCode"/> or <see cref="string.GetHashCode()"/> (randomised per process), it gives the same value in
/// every run, so deterministic noise and perturbations (<c>NoisyOracle</c>, <c>PerturbedModel</c>) are reproducible
/// across processes.
/// </summary>
internal static class StableHash
{
    /// <summary>The SplitMix64 increment (the golden ratio in 64-bit fixed point).</summary>
    public const ulong Golden = 0x9E3779B97F4A7C15UL;

    /// <summary>The SplitMix64 finaliser: a bijective avalanche mix of 64 bits.</summary>
    public static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>The hash of <c>(seed, |tokens|, tokens...)</c>, chaining <see cref="Mix"/> over each element.</summary>
    public static ulong Of(int seed, ReadOnlySpan<int> tokens)
    {
        var h = Mix(unchecked((ulong)(uint)seed + Golden));
        h = Mix(h + Golden + (ulong)(uint)tokens.Length);
        foreach (var t in tokens)
        {
            h = Mix(h + Golden + (ulong)(uint)t);
        }

        return h;
    }

    /// <summary>The hash of <c>(seed, tokens, token)</c>: <see cref="Of"/> extended by one more element.</summary>
    public static ulong Hash(int seed, ReadOnlySpan<int> tokens, int token) => Mix(Of(seed, tokens) + Golden + (ulong)(uint)token);

    /// <summary>A uniform double in <c>[0, 1)</c> from the top 53 bits of <see cref="Hash"/>.</summary>
    public static double Uniform(int seed, ReadOnlySpan<int> tokens, int token) => (Hash(seed, tokens, token) >> 11) * (1.0 / (1UL << 53));

    /// <summary>Advances a SplitMix64 stream and returns its next 64-bit output.</summary>
    public static ulong Next(ref ulong state)
    {
        state = unchecked(state + Golden);
        return Mix(state);
    }

    /// <summary>A uniform double in <c>[0, 1)</c> (the top 53 bits of <see cref="Next"/>).</summary>
    public static double NextDouble(ref ulong state) => (Next(ref state) >> 11) * (1.0 / (1UL << 53));
}
