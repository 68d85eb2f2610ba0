namespace LogitRank.Models;

/// <summary>
/// A process-independent hash of (seed, prefix, token) built from the SplitMix64 finaliser (Steele, Lea, Flood 2014).
/// Unlike <see cref="string.GetHashCode()"/> or <see cref="HashCode"/> it is not randomised per process, so a model
/// defined through it is the same function in every run.
/// </summary>
internal static class StableHash
{
    private const ulong Golden = 0x9E3779B97F4A7C15UL;

    /// <summary>The SplitMix64 output function: a bijection of <c>ulong</c> with good avalanche.</summary>
    public static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Hashes the seed, the prefix length, every token and a final token (the order matters).</summary>
    public static ulong Hash(int seed, ReadOnlySpan<int> tokens, int token)
    {
        var h = Mix(unchecked((ulong)(uint)seed + Golden));
        h = Mix(h + Golden + (ulong)(uint)tokens.Length);
        foreach (var t in tokens)
        {
            h = Mix(h + Golden + (ulong)(uint)t);
        }

        return Mix(h + Golden + (ulong)(uint)token);
    }

    /// <summary>A uniform double in <c>[0, 1)</c> from the top 53 bits of <see cref="Hash"/>.</summary>
    public static double Uniform(int seed, ReadOnlySpan<int> tokens, int token) =>
        (Hash(seed, tokens, token) >> 11) * (1.0 / (1UL << 53));
}
