using LogitRank.Numerics;
using LogitRank.Sequences;

namespace LogitRank.Oracles;

/// <summary>
/// Implemented by a logit oracle some of whose answers are completions rather than the model's own numbers (for
/// example a top-N server answer whose missing tokens were filled in), so that a certificate can cover the distance to
/// the true model and not only to the oracle's approximation of it (proofs-notes/oracle-approximation.md).
/// </summary>
/// <remarks>
/// <para><b>Contract.</b> Write <c>q = softmax(answer)</c> for an answer at prefix <c>h</c> and <c>F</c> for the tokens
/// <see cref="FilledTokens"/> names for it. The true next-token distribution <c>p = p(·|h)</c> (conditioned on the
/// alphabet) satisfies <c>p(a) = λ·q(a)</c> for every <c>a ∉ F</c>, with one factor <c>λ &gt;= 1</c>: the tokens outside
/// <c>F</c> keep their exact ratios, and the fill gives <c>F</c> at least its true total mass. Then
/// <c>p</c> lies in the convex hull of the <c>|F| + 1</c> distributions <c>q</c> restricted to the complement of
/// <c>F</c> and renormalised, and <c>q</c> outside <c>F</c> plus all of <c>q(F)</c> on one <c>b ∈ F</c>; in particular
/// <c>TV(p, q) &lt;= q(F)</c>. An exact answer has <c>F = ∅</c>. Naming more tokens than were filled keeps the
/// contract true (the set of possible <c>p</c> only grows), so an implementation that cannot tell may over-report.</para>
/// <para>Decorators (caching, counting, persistent caches) do not forward this interface: pass the report itself to
/// the certifiers (<c>HoldoutOptions.Approximation</c>, <c>CertificationOptions.Approximation</c>).</para>
/// </remarks>
public interface IApproximationReport
{
    /// <summary>Whether any answer may be approximate. When false, <see cref="FilledTokens"/> is always empty.</summary>
    bool MayApproximate { get; }

    /// <summary>How many answers so far had at least one filled token.</summary>
    long ApproximatedAnswers { get; }

    /// <summary>
    /// The largest <c>q(F)</c> among the answers given so far (0 if none was approximate): a bound on
    /// <c>TV(p(·|h), q(·|h))</c> at every prefix answered so far. Prefixes not yet asked are not covered.
    /// </summary>
    double MaxFilledMass { get; }

    /// <summary>
    /// The alphabet tokens (ascending, <c>0..k-1</c>) whose values in <paramref name="answer"/>, the answer the
    /// oracle gave (directly or through a cache) at <paramref name="prefix"/>, may have been filled in.
    /// </summary>
    /// <param name="prefix">The queried prefix.</param>
    /// <param name="answer">The answer given at <paramref name="prefix"/> (from this oracle, possibly through a cache).</param>
    /// <returns>The filled tokens <c>F</c>; empty for an exact answer.</returns>
    IReadOnlyList<int> FilledTokens(Prefix prefix, LogitVector answer);
}
