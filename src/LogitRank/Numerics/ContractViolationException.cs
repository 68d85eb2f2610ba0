using System.Globalization;

namespace LogitRank.Numerics;

/// <summary>
/// A runtime contract of the library failed: an invariant that a proof relies on (see <see cref="Contracts"/> and
/// <c>proofs-notes/runtime-contracts.md</c>) was measured outside its stated tolerance. This signals a bug in the
/// library or an input that broke a documented precondition (for example an oracle that changed its answers), never a
/// recoverable condition.
/// </summary>
public class ContractViolationException : Exception
{
    /// <summary>Creates the exception without a named invariant (<see cref="Invariant"/> is <c>"(unnamed)"</c>).</summary>
    public ContractViolationException()
        : this("A runtime contract was violated.")
    {
    }

    /// <summary>Creates the exception with a message and no named invariant.</summary>
    /// <param name="message">What failed.</param>
    public ContractViolationException(string message)
        : this(message, null!)
    {
    }

    /// <summary>Creates the exception with a message and an inner exception, and no named invariant.</summary>
    /// <param name="message">What failed.</param>
    /// <param name="innerException">The cause.</param>
    public ContractViolationException(string message, Exception innerException)
        : base(message, innerException)
    {
        Invariant = "(unnamed)";
        Value = double.NaN;
        Tolerance = double.NaN;
    }

    /// <summary>
    /// Creates the exception for the invariant <paramref name="invariant"/>, whose measured deviation
    /// <paramref name="value"/> is not within <paramref name="tolerance"/> (NaN counts as outside).
    /// </summary>
    /// <param name="invariant">The stable name of the invariant, one of the constants of <see cref="Contracts"/>.</param>
    /// <param name="value">The measured quantity (for example <c>|Σ_z ℓ[z]|</c>).</param>
    /// <param name="tolerance">The tolerance it had to stay within.</param>
    /// <param name="detail">What was measured and where.</param>
    public ContractViolationException(string invariant, double value, double tolerance, string detail)
        : base(FormatMessage(invariant, value, tolerance, detail))
    {
        Invariant = invariant;
        Value = value;
        Tolerance = tolerance;
    }

    /// <summary>The stable name of the violated invariant (for example <see cref="Contracts.LpConstraints"/>).</summary>
    public string Invariant { get; }

    /// <summary>The measured deviation (NaN when unknown or when the measurement itself was NaN).</summary>
    public double Value { get; }

    /// <summary>The tolerance the measured deviation had to stay within (NaN when unknown).</summary>
    public double Tolerance { get; }

    private static string FormatMessage(string invariant, double value, double tolerance, string detail) =>
        string.Format(
            CultureInfo.InvariantCulture,
            "Contract '{0}' violated: measured {1:R}, tolerance {2:R}. {3}",
            invariant,
            value,
            tolerance,
            detail);
}
