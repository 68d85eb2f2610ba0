using System.Globalization;
using System.Numerics;

namespace LogitRank.Evaluation;

/// <summary>
/// Thrown when an exact computation would enumerate more than its limit of <c>k^T</c> complete sequences.
/// </summary>
public sealed class EnumerationTooLargeException : InvalidOperationException
{
    /// <summary>Creates the exception for alphabet size <paramref name="alphabetSize"/>, horizon <paramref name="horizon"/> and limit <paramref name="limit"/>.</summary>
    public EnumerationTooLargeException(int alphabetSize, int horizon, long limit)
        : base(string.Create(CultureInfo.InvariantCulture, $"Exact enumeration of Σ^T with k = {alphabetSize}, T = {horizon} needs k^T = {BigInteger.Pow(alphabetSize, horizon)} sequences, more than the limit {limit}; raise maxSequences or use MonteCarloDivergence."))
    {
        AlphabetSize = alphabetSize;
        Horizon = horizon;
        Sequences = BigInteger.Pow(alphabetSize, horizon);
        Limit = limit;
    }

    /// <summary>Creates the exception with a message only.</summary>
    public EnumerationTooLargeException()
        : this("Exact enumeration exceeds its limit.")
    {
    }

    /// <summary>Creates the exception with a message only.</summary>
    public EnumerationTooLargeException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and an inner exception.</summary>
    public EnumerationTooLargeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The alphabet size <c>k</c>.</summary>
    public int AlphabetSize { get; }

    /// <summary>The horizon <c>T</c>.</summary>
    public int Horizon { get; }

    /// <summary>The number of complete sequences <c>k^T</c> (exact; may exceed <see cref="long"/>).</summary>
    public BigInteger Sequences { get; }

    /// <summary>The largest number of sequences allowed.</summary>
    public long Limit { get; }
}

/// <summary>Thrown when two models compared by a divergence have different alphabet sizes or horizons.</summary>
public sealed class IncompatibleModelsException : ArgumentException
{
    /// <summary>Creates the exception naming both models' <c>(k, T)</c>.</summary>
    public IncompatibleModelsException(int firstAlphabetSize, int firstHorizon, int secondAlphabetSize, int secondHorizon, string? paramName)
        : base(string.Create(CultureInfo.InvariantCulture, $"The models are not on the same sequence space: P has k = {firstAlphabetSize}, T = {firstHorizon}; Q has k = {secondAlphabetSize}, T = {secondHorizon}."), paramName)
    {
        FirstAlphabetSize = firstAlphabetSize;
        FirstHorizon = firstHorizon;
        SecondAlphabetSize = secondAlphabetSize;
        SecondHorizon = secondHorizon;
    }

    /// <summary>Creates the exception with a message only.</summary>
    public IncompatibleModelsException()
    {
    }

    /// <summary>Creates the exception with a message only.</summary>
    public IncompatibleModelsException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and an inner exception.</summary>
    public IncompatibleModelsException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The alphabet size of the first model <c>P</c>.</summary>
    public int FirstAlphabetSize { get; }

    /// <summary>The horizon of the first model <c>P</c>.</summary>
    public int FirstHorizon { get; }

    /// <summary>The alphabet size of the second model <c>Q</c>.</summary>
    public int SecondAlphabetSize { get; }

    /// <summary>The horizon of the second model <c>Q</c>.</summary>
    public int SecondHorizon { get; }
}
