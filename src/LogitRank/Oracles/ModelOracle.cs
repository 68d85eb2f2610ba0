using LogitRank.Models;
using LogitRank.Numerics;
using LogitRank.Sequences;

namespace LogitRank.Oracles;

/// <summary>An exact logit oracle over any <see cref="ISequenceModel"/>: <c>Query(h) = model.NextTokenLogits(h)</c>.</summary>
public sealed class ModelOracle : ILogitOracle
{
    private readonly ISequenceModel _model;

    /// <summary>Wraps <paramref name="model"/>.</summary>
    public ModelOracle(ISequenceModel model) => _model = model ?? throw new ArgumentNullException(nameof(model));

    /// <inheritdoc/>
    public int AlphabetSize => _model.AlphabetSize;

    /// <inheritdoc/>
    public int Horizon => _model.Horizon;

    /// <inheritdoc/>
    public IReadOnlyList<LogitVector> Query(IReadOnlyList<Prefix> prefixes, QueryPhase phase = QueryPhase.Other, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prefixes);
        var result = new LogitVector[prefixes.Count];
        for (var i = 0; i < result.Length; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            result[i] = _model.NextTokenLogits(prefixes[i]);
        }

        return result;
    }
}
