namespace LogitRank.Sequences;

/// <summary>
/// Enumeration of <c>Σ^t</c> and <c>Σ^{&lt;= t}</c> in lexicographic order (token 0 first, the last
/// position varying fastest).
/// </summary>
public static class SequenceSpace
{
    /// <summary>
    /// <c>k^t</c> as a 64-bit integer.
    /// </summary>
    /// <exception cref="OverflowException"><c>k^t</c> does not fit in a <see cref="long"/>.</exception>
    public static long Count(int alphabetSize, int length)
    {
        CheckArguments(alphabetSize, length, nameof(length));
        long count = 1;
        for (var i = 0; i < length; i++)
        {
            count = checked(count * alphabetSize);
        }

        return count;
    }

    /// <summary>
    /// The number of sequences of length at most <paramref name="maxLength"/>:
    /// <c>Σ_{t=0}^{maxLength} k^t = (k^{maxLength+1} - 1)/(k - 1)</c>.
    /// </summary>
    public static long CountUpTo(int alphabetSize, int maxLength)
    {
        CheckArguments(alphabetSize, maxLength, nameof(maxLength));
        long total = 0;
        for (var t = 0; t <= maxLength; t++)
        {
            total = checked(total + Count(alphabetSize, t));
        }

        return total;
    }

    /// <summary>Every sequence in <c>Σ^t</c>, lexicographically.</summary>
    /// <param name="alphabetSize">The alphabet size <c>k &gt;= 1</c>.</param>
    /// <param name="length">The length <c>t &gt;= 0</c>; <c>t = 0</c> yields only the empty prefix.</param>
    public static IEnumerable<Prefix> All(int alphabetSize, int length)
    {
        CheckArguments(alphabetSize, length, nameof(length));
        return Enumerate(alphabetSize, length);
    }

    /// <summary>Every sequence of length <c>0..maxLength</c>, shorter ones first.</summary>
    /// <param name="alphabetSize">The alphabet size <c>k &gt;= 1</c>.</param>
    /// <param name="maxLength">The largest length <c>&gt;= 0</c>.</param>
    public static IEnumerable<Prefix> AllUpTo(int alphabetSize, int maxLength)
    {
        CheckArguments(alphabetSize, maxLength, nameof(maxLength));
        return EnumerateUpTo(alphabetSize, maxLength);
    }

    private static IEnumerable<Prefix> EnumerateUpTo(int alphabetSize, int maxLength)
    {
        for (var t = 0; t <= maxLength; t++)
        {
            foreach (var p in Enumerate(alphabetSize, t))
            {
                yield return p;
            }
        }
    }

    private static IEnumerable<Prefix> Enumerate(int alphabetSize, int length)
    {
        var digits = new int[length];
        while (true)
        {
            yield return Prefix.Of(digits);
            var position = length - 1;
            while (position >= 0 && ++digits[position] == alphabetSize)
            {
                digits[position] = 0;
                position--;
            }

            if (position < 0)
            {
                yield break;
            }
        }
    }

    private static void CheckArguments(int alphabetSize, int length, string lengthName)
    {
        if (alphabetSize < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(alphabetSize), alphabetSize, "Expected an alphabet size k >= 1.");
        }

        if (length < 0)
        {
            throw new ArgumentOutOfRangeException(lengthName, length, $"Expected {lengthName} >= 0.");
        }
    }
}
