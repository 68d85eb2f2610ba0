using LogitRank.Sequences;

namespace LogitRank.Oracles;

/// <summary>
/// A process-independent hash and random stream (SplitMix64, Steele, Lea and Flood 2014), for pseudo-randomness that
/// must be identical in every run and on every machine. <see cref="HashCode"/> and <c>string.GetHashCode</c> are
/// randomised per process and must not be used for this.
/// </summary>
internal static class StableHash
{
    /// <summary>The SplitMix64 increment <c>⌊2^64/φ⌋</c>.</summary>
    public const ulong Golden = 0x9E3779B97F4A7C15UL;

    /// <summary>The SplitMix64 output function (a bijective mixer of 64 bits).</summary>
    public static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>A 64-bit hash of <c>(seed, |h|, h_1, ..., h_t)</c>: each item is absorbed by adding it and mixing.</summary>
    public static ulong Of(int seed, Prefix prefix)
    {
        var h = Mix(unchecked((ulong)(uint)seed + Golden));
        h = Mix(h + Golden + (ulong)prefix.Length);
        foreach (var token in prefix.Tokens)
        {
            h = Mix(h + Golden + (uint)token);
        }

        return h;
    }

    /// <summary>The next output of a SplitMix64 stream with state <paramref name="state"/>, advancing the state.</summary>
    public static ulong Next(ref ulong state)
    {
        state = unchecked(state + Golden);
        return Mix(state);
    }

    /// <summary>A uniform double in <c>[0, 1)</c> (the top 53 bits of <see cref="Next"/>).</summary>
    public static double NextDouble(ref ulong state) => (Next(ref state) >> 11) * (1.0 / (1UL << 53));
}
