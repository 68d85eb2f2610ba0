using LogitRank.Learning;
using LogitRank.Models;
using LogitRank.Numerics;
using LogitRank.Oracles;
using LogitRank.Sequences;

namespace LogitRank.Tests.Learning;

/// <summary>Counts every prefix that reaches it (duplicates included); independent of the library's counting decorator.</summary>
internal sealed class SpyOracle(ILogitOracle inner) : ILogitOracle
{
    private long _queries;

    public long Queries => Interlocked.Read(ref _queries);

    public int AlphabetSize => inner.AlphabetSize;

    public int Horizon => inner.Horizon;

    public IReadOnlyList<LogitVector> Query(IReadOnlyList<Prefix> prefixes, QueryPhase phase = QueryPhase.Other, CancellationToken cancellationToken = default)
    {
        Interlocked.Add(ref _queries, prefixes.Count);
        return inner.Query(prefixes, phase, cancellationToken);
    }
}

internal static class LearningTestSupport
{
    /// <summary>
    /// Recomputes, from the target directly (not through the learner), the residuals
    /// res_s(a) = Σ_i c_{s,i} ℓ(h_{s,i}∘y_{s+1:t})[a] - Σ_i c_{s-1,i} ℓ(h_{s-1,i}∘y_{s:t})[a] for s = 1..t-1 of the model's
    /// reconstruction of y_{1:t}, and returns their sum per token.
    /// </summary>
    public static double[] ResidualSum(LearnedModel model, ISequenceModel target, Prefix y)
    {
        var t = y.Length;
        var k = model.AlphabetSize;
        var c = model.Reconstruct(y);
        double[] P(int s)
        {
            var p = new double[k];
            var basis = model.Bases[s];
            var path = y.Slice(s, t - s);
            for (var i = 0; i < basis.Size; i++)
            {
                var l = target.NextTokenLogits(basis.Histories[i].Concat(path));
                for (var a = 0; a < k; a++)
                {
                    p[a] += c.Coefficient(s, i) * l[a];
                }
            }

            return p;
        }

        var sum = new double[k];
        for (var s = 1; s <= t - 1; s++)
        {
            var cur = P(s);
            var prev = P(s - 1);
            for (var a = 0; a < k; a++)
            {
                sum[a] += cur[a] - prev[a];
            }
        }

        return sum;
    }

    /// <summary>All prefixes of length 0..T-1 (for small k^T).</summary>
    public static IEnumerable<Prefix> AllPrefixes(ISequenceModel m) => SequenceSpace.AllUpTo(m.AlphabetSize, m.Horizon - 1);

    public static double SumOfSequenceProbabilities(ISequenceModel m) =>
        SequenceSpace.All(m.AlphabetSize, m.Horizon).Sum(y => Math.Exp(m.LogProbability(y)));
}
