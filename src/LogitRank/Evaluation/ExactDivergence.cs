using LogitRank.Models;

namespace LogitRank.Evaluation;

/// <summary>Exact divergences between two models on <c>Σ^T</c> by enumerating every sequence.</summary>
public static class ExactDivergence
{
    /// <summary>The default largest number of sequences <c>k^T</c> enumerated: <c>2^22</c>.</summary>
    public const long DefaultMaxSequences = 1L << 22;

    /// <summary><c>KL(P||Q) = Σ_y P(y) log(P(y)/Q(y))</c> in nats.</summary>
    public static double KullbackLeibler(ISequenceModel p, ISequenceModel q, long maxSequences = DefaultMaxSequences) =>
        throw new NotImplementedException("Lands with the evaluation work item.");

    /// <summary><c>TV(P,Q) = ½ Σ_y |P(y) - Q(y)|</c>.</summary>
    public static double TotalVariation(ISequenceModel p, ISequenceModel q, long maxSequences = DefaultMaxSequences) =>
        throw new NotImplementedException("Lands with the evaluation work item.");
}
