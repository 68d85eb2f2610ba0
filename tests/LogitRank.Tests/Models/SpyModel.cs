using LogitRank.Models;
using LogitRank.Numerics;
using LogitRank.Sequences;

namespace LogitRank.Tests.Models;

/// <summary>
/// A test double that forwards to another model and records which prefixes it was asked for and how many sequences it
/// drew (the model counterpart of <see cref="Oracles.SpyOracle"/>).
/// </summary>
internal sealed class SpyModel(ISequenceModel inner) : ISequenceModel
{
    public int AlphabetSize => inner.AlphabetSize;

    public int Horizon => inner.Horizon;

    /// <summary>Every prefix passed to <see cref="NextTokenLogits"/>, in call order.</summary>
    public List<Prefix> Queried { get; } = [];

    /// <summary>How many times <see cref="Sample"/> was called.</summary>
    public int Samples { get; private set; }

    public LogitVector NextTokenLogits(Prefix prefix)
    {
        Queried.Add(prefix);
        return inner.NextTokenLogits(prefix);
    }

    /// <summary>How many times <see cref="LogProbability"/> was called.</summary>
    public int LogProbabilityCalls { get; private set; }

    public double LogProbability(Prefix sequence)
    {
        LogProbabilityCalls++;
        return inner.LogProbability(sequence);
    }

    public Prefix Sample(Random random)
    {
        Samples++;
        return inner.Sample(random);
    }
}
