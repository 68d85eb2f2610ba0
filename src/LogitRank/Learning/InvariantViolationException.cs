namespace LogitRank.Learning;

/// <summary>
/// A runtime check of a mathematical identity the library relies on failed beyond its stated tolerance: a bug, or an
/// oracle that changed its answers. <see cref="Identity"/> names the identity.
/// </summary>
public sealed class InvariantViolationException : Exception
{
    /// <summary>The name of the telescoping identity <c>Σ_{s=1}^{t-1} res_s = ℓ̂(y_{1:t}) - ℓ(y_{1:t})</c>.</summary>
    public const string TelescopingIdentity = "telescoping: sum_{s=1}^{t-1} res_s = lhat(y_{1:t}) - l(y_{1:t})";

    /// <summary>Creates the exception.</summary>
    public InvariantViolationException()
        : this("(unnamed)", "An invariant was violated.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public InvariantViolationException(string message)
        : this("(unnamed)", message)
    {
    }

    /// <summary>Creates the exception with a message and an inner exception.</summary>
    public InvariantViolationException(string message, Exception innerException)
        : base(message, innerException) => Identity = "(unnamed)";

    /// <summary>Creates the exception naming the violated identity.</summary>
    /// <param name="identity">The identity, for example <see cref="TelescopingIdentity"/>.</param>
    /// <param name="message">Where and by how much it failed.</param>
    public InvariantViolationException(string identity, string message)
        : base($"Invariant violated ({identity}): {message}") => Identity = identity;

    /// <summary>The violated identity.</summary>
    public string Identity { get; }
}
