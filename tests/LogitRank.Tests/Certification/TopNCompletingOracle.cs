using LogitRank.Models;
using LogitRank.Numerics;
using LogitRank.Oracles;
using LogitRank.Sequences;

namespace LogitRank.Tests.Certification;

/// <summary>
/// A test double of a top-N server under the floor-at-minimum completion (proofs-notes/http-oracle.md): at each prefix
/// it "returns" the <c>n</c> most likely tokens of <paramref name="model"/> exactly and fills each of the other
/// <c>m</c> tokens with <c>min(p_min, μ/m)</c>, <c>μ</c> the unreturned mass; it reports the filled tokens through
/// <see cref="IApproximationReport"/>. Deterministic, so every answer at a prefix is the same.
/// </summary>
internal sealed class TopNCompletingOracle(ISequenceModel model, int returned) : ILogitOracle, IApproximationReport
{
    private readonly Lock _lock = new();
    private readonly Dictionary<Prefix, int[]> _filled = [];
    private long _approximated;
    private double _maxFilledMass;

    public int AlphabetSize => model.AlphabetSize;

    public int Horizon => model.Horizon;

    public bool MayApproximate => true;

    public long ApproximatedAnswers
    {
        get
        {
            lock (_lock)
            {
                return _approximated;
            }
        }
    }

    public double MaxFilledMass
    {
        get
        {
            lock (_lock)
            {
                return _maxFilledMass;
            }
        }
    }

    /// <summary>The oracle's own model: its answers at every prefix, tabulated.</summary>
    public TabularModel OwnModel() => new(AlphabetSize, Horizon, SequenceSpace.AllUpTo(AlphabetSize, Horizon - 1).ToDictionary(h => h, h => Answer(h).Answer));

    public IReadOnlyList<int> FilledTokens(Prefix prefix, LogitVector answer)
    {
        lock (_lock)
        {
            return _filled.TryGetValue(prefix, out var f) ? f : Answer(prefix).Filled;
        }
    }

    public IReadOnlyList<LogitVector> Query(IReadOnlyList<Prefix> prefixes, QueryPhase phase = QueryPhase.Other, CancellationToken cancellationToken = default)
    {
        var answers = new LogitVector[prefixes.Count];
        for (var i = 0; i < answers.Length; i++)
        {
            var (answer, filled, filledMass) = Answer(prefixes[i]);
            answers[i] = answer;
            lock (_lock)
            {
                if (_filled.TryAdd(prefixes[i], filled) && filled.Length > 0)
                {
                    _approximated++;
                    _maxFilledMass = Math.Max(_maxFilledMass, filledMass);
                }
            }
        }

        return answers;
    }

    private (LogitVector Answer, int[] Filled, double FilledMass) Answer(Prefix prefix)
    {
        var logp = model.NextTokenLogits(prefix).LogProbabilities();
        var order = Enumerable.Range(0, logp.Length).OrderByDescending(a => logp[a]).ToArray();
        var top = order.Take(returned).ToArray();
        var filled = order.Skip(returned).Order().ToArray();
        if (filled.Length == 0)
        {
            return (LogitVector.FromLogits(logp), [], 0);
        }

        var mu = Math.Max(0, 1 - top.Sum(a => Math.Exp(logp[a])));
        var fill = Math.Min(top.Min(a => logp[a]), Math.Log(Math.Max(mu, 1e-300) / filled.Length));
        var values = (double[])logp.Clone();
        foreach (var a in filled)
        {
            values[a] = fill;
        }

        var answer = LogitVector.FromLogits(values);
        var q = answer.Probabilities();
        return (answer, filled, filled.Sum(a => q[a]));
    }
}
