namespace LogitRank.Sequences;

/// <summary>The argument checks shared by every type over <c>Σ^T</c>: <c>k &gt;= 2</c> and <c>T &gt;= 1</c>.</summary>
internal static class SequenceGuard
{
    /// <summary>Throws unless <c>k &gt;= 2</c>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The message names the value and the expectation.</exception>
    public static void AlphabetSize(int alphabetSize, string parameterName = "alphabetSize")
    {
        if (alphabetSize < 2)
        {
            throw new ArgumentOutOfRangeException(parameterName, alphabetSize, "Expected an alphabet size k >= 2.");
        }
    }

    /// <summary>Throws unless <c>T &gt;= 1</c>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The message names the value and the expectation.</exception>
    public static void Horizon(int horizon, string parameterName = "horizon")
    {
        if (horizon < 1)
        {
            throw new ArgumentOutOfRangeException(parameterName, horizon, "Expected a horizon T >= 1.");
        }
    }
}
