using LogitRank.Models;
using LogitRank.Numerics;
using LogitRank.Sequences;

namespace LogitRank.Tests.Evaluation;

/// <summary>Small hand-specified models with closed-form divergences.</summary>
internal static class TestModels
{
    /// <summary>A model on Σ^T (k = probabilities' length) whose next-token distribution at every prefix is given by <paramref name="next"/>.</summary>
    public static TabularModel FromNext(int k, int horizon, Func<Prefix, double[]> next) =>
        new(k, horizon, SequenceSpace.AllUpTo(k, horizon - 1).ToDictionary(h => h, h => LogitVector.FromProbabilities(next(h))));

    /// <summary>The i.i.d. product model p ⊗ ... ⊗ p on Σ^T.</summary>
    public static TabularModel Iid(int horizon, params double[] p) => FromNext(p.Length, horizon, _ => p);
}
