using System.Collections.Immutable;

namespace LogitRank.Certification;

/// <summary>
/// One named additive term of an error bound (ALGORITHM.md section 5): where an approximation enters, its
/// measured or assumed magnitude, and what it contributes to the total variation and KL bounds.
/// </summary>
/// <param name="Name">A stable machine name, e.g. <c>witness-threshold</c>.</param>
/// <param name="Quantity">The raw quantity (for example <c>g</c>, <c>ξ</c>, the largest LP residual <c>r</c>).</param>
/// <param name="TotalVariation">This term's contribution to the TV bound (0 when it is subsumed by another term).</param>
/// <param name="KullbackLeibler">This term's contribution to the KL bound in nats (0 when subsumed).</param>
/// <param name="Explanation">How the contribution follows from the quantity, and what it rests on.</param>
public sealed record LedgerTerm(string Name, double Quantity, double TotalVariation, double KullbackLeibler, string Explanation);

/// <summary>
/// An error ledger: the additive terms whose sum is an error bound. Every tolerance that can change a result
/// appears here, including those whose contribution is subsumed by a measured quantity (with contribution 0 and
/// an explanation), so a reader sees every approximation the learner made. The tolerances themselves are defined, with
/// the reason for each value, in one place (<c>LogitRank.Numerics.Tolerances</c>; proofs-notes/validation-bound.md).
/// </summary>
public sealed record ErrorLedger
{
    /// <summary>Creates a ledger from its terms.</summary>
    /// <exception cref="ArgumentException">A term has a negative or non-finite contribution, or two terms share a name.</exception>
    public ErrorLedger(IEnumerable<LedgerTerm> terms)
    {
        ArgumentNullException.ThrowIfNull(terms);
        var list = terms.ToImmutableArray();
        foreach (var term in list)
        {
            ArgumentNullException.ThrowIfNull(term, nameof(terms));
            if (!(term.TotalVariation >= 0) || !(term.KullbackLeibler >= 0) || double.IsNaN(term.Quantity))
            {
                throw new ArgumentException($"Ledger term '{term.Name}' has contributions TV = {term.TotalVariation}, KL = {term.KullbackLeibler}, quantity = {term.Quantity}; contributions must be non-negative (infinity allowed) and the quantity a number.", nameof(terms));
            }
        }

        var duplicate = list.GroupBy(t => t.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"Ledger term name '{duplicate.Key}' appears {duplicate.Count()} times; names must be unique.", nameof(terms));
        }

        Terms = list;
    }

    /// <summary>The terms, in the order given.</summary>
    public ImmutableArray<LedgerTerm> Terms { get; }

    /// <summary>The TV bound: <c>Σ_terms TotalVariation</c>, capped at 1 (TV never exceeds 1).</summary>
    public double TotalVariation => Math.Min(1.0, Terms.Sum(t => t.TotalVariation));

    /// <summary>The KL bound in nats: <c>Σ_terms KullbackLeibler</c>.</summary>
    public double KullbackLeibler => Terms.Sum(t => t.KullbackLeibler);

    /// <summary>The term named <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">No such term; the message lists the names present.</exception>
    public LedgerTerm this[string name] =>
        Terms.FirstOrDefault(t => t.Name == name) ?? throw new KeyNotFoundException($"The ledger has no term '{name}'; it has: {string.Join(", ", Terms.Select(t => t.Name))}.");
}
