namespace LogitRank.Analysis;

/// <summary>
/// How <see cref="LogitMatrix"/> chooses rows and columns when they are not given. Histories: all <c>k^s</c> of them when
/// <see cref="ExhaustiveHistories"/> is set and <c>k^s &lt;= </c><see cref="HistoryCount"/>, else <see cref="HistoryCount"/>
/// length-<c>s</c> prefixes of sequences drawn from the model (repeats kept: rows weighted as drawn). Futures: all
/// <c>f</c> with <c>|f| &lt;= T-1-s</c> when <see cref="ExhaustiveFutures"/> is set and there are at most
/// <see cref="FutureCount"/> of them, else the empty future plus distinct continuations <c>y_{s+1..s+L}</c> of drawn
/// sequences <c>y</c> with <c>L</c> uniform on <c>0..T-1-s</c>, at most <see cref="FutureCount"/> futures in all.
/// Given <see cref="Histories"/> or <see cref="Futures"/> replace the corresponding choice (sampled futures then continue
/// freshly drawn sequences, not the given histories).
/// </summary>
public sealed record LogitMatrixSampling
{
    /// <summary>Given row histories (each of length <c>s</c>), used instead of choosing them; <see langword="null"/> (default) to choose.</summary>
    public IReadOnlyList<Sequences.Prefix>? Histories { get; init; }

    /// <summary>Given distinct futures (each of length <c>&lt;= T-1-s</c>), used instead of choosing them; <see langword="null"/> (default) to choose.</summary>
    public IReadOnlyList<Sequences.Prefix>? Futures { get; init; }

    /// <summary>The number of rows when sampled, and the limit for using all histories; at least 1 (default 100).</summary>
    public int HistoryCount { get; init; } = 100;

    /// <summary>The maximum number of futures (each gives <c>k</c> columns); at least 1 (default 100).</summary>
    public int FutureCount { get; init; } = 100;

    /// <summary>Whether to use all histories when there are at most <see cref="HistoryCount"/> (default true).</summary>
    public bool ExhaustiveHistories { get; init; } = true;

    /// <summary>Whether to use all futures when there are at most <see cref="FutureCount"/> (default true).</summary>
    public bool ExhaustiveFutures { get; init; } = true;

    internal void Validate(string parameterName)
    {
        if (HistoryCount < 1)
        {
            throw new ArgumentOutOfRangeException(parameterName, HistoryCount, $"LogitMatrixSampling.HistoryCount = {HistoryCount}; expected at least 1.");
        }

        if (FutureCount < 1)
        {
            throw new ArgumentOutOfRangeException(parameterName, FutureCount, $"LogitMatrixSampling.FutureCount = {FutureCount}; expected at least 1.");
        }
    }
}
