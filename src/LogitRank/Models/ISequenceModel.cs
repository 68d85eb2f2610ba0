using LogitRank.Numerics;
using LogitRank.Sequences;

namespace LogitRank.Models;

/// <summary>
/// An autoregressive distribution <c>M</c> over <c>Σ^T</c> (ALGORITHM.md section 1): for every prefix
/// <c>h</c> with <c>|h| &lt;= T-1</c> a next-token distribution <c>M(·|h)</c> whose probabilities are all
/// positive, exposed as its centered logits <c>ℓ_M(h)</c>.
/// </summary>
public interface ISequenceModel
{
    /// <summary>The alphabet size <c>k = |Σ| &gt;= 2</c>; tokens are <c>0..k-1</c>.</summary>
    int AlphabetSize { get; }

    /// <summary>The horizon <c>T &gt;= 1</c>: every complete sequence has length <c>T</c>.</summary>
    int Horizon { get; }

    /// <summary>
    /// The centered next-token logits <c>ℓ_M(h)[z] = log M(z|h) - (1/k) Σ_y log M(y|h)</c>.
    /// </summary>
    /// <param name="prefix">A prefix <c>h</c> with <c>|h| &lt;= T-1</c> and tokens in <c>0..k-1</c>.</param>
    /// <exception cref="ArgumentException">The prefix is too long or holds a token outside the alphabet.</exception>
    LogitVector NextTokenLogits(Prefix prefix);

    /// <summary>
    /// The exact log-probability <c>log M(y_1..y_t) = Σ_{s=0}^{t-1} log M(y_{s+1} | y_{1:s})</c> that a sample
    /// starts with <paramref name="sequence"/> (<c>t &lt;= T</c>; for <c>t = T</c> this is the probability of the sequence).
    /// </summary>
    double LogProbability(Prefix sequence);

    /// <summary>Draws one complete sequence <c>y ∈ Σ^T</c> from <c>M</c>, consuming randomness from <paramref name="random"/> only.</summary>
    Prefix Sample(Random random);
}
