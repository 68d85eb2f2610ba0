using LogitRank.Numerics;

namespace LogitRank.Learning;

/// <summary>
/// The learner's runtime check of the telescoping identity failed beyond its stated tolerance: a bug, or an oracle
/// that changed its answers. A <see cref="ContractViolationException"/> whose <see cref="ContractViolationException.Invariant"/>
/// is <see cref="Contracts.Telescoping"/>; <see cref="Identity"/> spells the identity out. Kept as a subclass so that
/// existing <c>catch (InvariantViolationException)</c> code keeps working; new code should catch the base type.
/// </summary>
public sealed class InvariantViolationException : ContractViolationException
{
    /// <summary>The name of the telescoping identity <c>Σ_{s=1}^{t-1} res_s = ℓ̂(y_{1:t}) - ℓ(y_{1:t})</c>.</summary>
    public const string TelescopingIdentity = "telescoping: sum_{s=1}^{t-1} res_s = lhat(y_{1:t}) - l(y_{1:t})";

    /// <summary>Creates the exception.</summary>
    public InvariantViolationException()
        : this("An invariant was violated.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public InvariantViolationException(string message)
        : base(message) => Identity = "(unnamed)";

    /// <summary>Creates the exception with a message and an inner exception.</summary>
    public InvariantViolationException(string message, Exception innerException)
        : base(message, innerException) => Identity = "(unnamed)";

    /// <summary>Creates the exception naming the violated identity, without a measured value.</summary>
    /// <param name="identity">The identity, for example <see cref="TelescopingIdentity"/>.</param>
    /// <param name="message">Where and by how much it failed.</param>
    public InvariantViolationException(string identity, string message)
        : this(identity, double.NaN, double.NaN, message)
    {
    }

    /// <summary>Creates the exception naming the violated identity, the measured deviation and its tolerance.</summary>
    /// <param name="identity">The identity, for example <see cref="TelescopingIdentity"/> (its <see cref="ContractViolationException.Invariant"/> is then <see cref="Contracts.Telescoping"/>).</param>
    /// <param name="value">The measured deviation between the two sides.</param>
    /// <param name="tolerance">The tolerance it had to stay within.</param>
    /// <param name="message">Where it failed.</param>
    public InvariantViolationException(string identity, double value, double tolerance, string message)
        : base(identity == TelescopingIdentity ? Contracts.Telescoping : identity, value, tolerance, $"Invariant violated ({identity}): {message}") => Identity = identity;

    /// <summary>The violated identity, spelled out.</summary>
    public string Identity { get; }
}
