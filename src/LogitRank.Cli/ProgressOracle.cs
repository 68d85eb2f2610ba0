using LogitRank.Numerics;
using LogitRank.Oracles;
using LogitRank.Sequences;

namespace LogitRank.Cli;

/// <summary>
/// A pass-through oracle that reports each answered batch to a <see cref="StepProgress"/> as one of
/// <paramref name="batches"/> steps: the samplers query one batch per position, so sampling paths of length <c>T</c>
/// takes <c>T</c> batches.
/// </summary>
internal sealed class ProgressOracle(ILogitOracle inner, StepProgress progress, long batches) : ILogitOracle
{
    private long _batches;
    private long _queries;

    public int AlphabetSize => inner.AlphabetSize;

    public int Horizon => inner.Horizon;

    public IReadOnlyList<LogitVector> Query(IReadOnlyList<Prefix> prefixes, QueryPhase phase = QueryPhase.Other, CancellationToken cancellationToken = default)
    {
        var answers = inner.Query(prefixes, phase, cancellationToken);
        _queries += prefixes.Count;
        progress.Report(++_batches, Math.Max(batches, _batches), $"positions ({_queries} prefixes queried)");
        return answers;
    }
}
