namespace LogitRank.Learning;

/// <summary>The phase of <see cref="LogitRankLearner"/> that a progress report is about.</summary>
public enum LearningPhase
{
    /// <summary>SPANNER: sampling histories, querying their rows, selecting bases.</summary>
    Spanner = 0,

    /// <summary>Drawing the epoch's validation samples.</summary>
    Sampling,

    /// <summary>Reconstruction LPs and witness search on the validation samples.</summary>
    Validation,

    /// <summary>Rebuilding the bases for the final future sets after the epoch budget ran out.</summary>
    Rebuild,

    /// <summary>Learning finished.</summary>
    Done,
}

/// <summary>A progress report of <see cref="LogitRankLearner.Learn"/>.</summary>
/// <param name="Epoch">The current epoch, 1-based (<c>K + 1</c> during <see cref="LearningPhase.Rebuild"/>).</param>
/// <param name="Phase">The phase that starts.</param>
/// <param name="QueriesSoFar">Paid oracle queries so far (all phases).</param>
/// <param name="QueryBudget">The query budget, if any.</param>
public sealed record LearningProgress(int Epoch, LearningPhase Phase, long QueriesSoFar, long? QueryBudget);
