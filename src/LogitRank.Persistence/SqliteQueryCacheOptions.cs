using Microsoft.Extensions.Logging;

namespace LogitRank.Persistence;

/// <summary>What to do when the inner oracle answers a stored prefix with different values.</summary>
public enum ConflictPolicy
{
    /// <summary>Raise <see cref="CacheConflictException"/> (the default: the analysis assumes a fixed oracle).</summary>
    Throw = 0,

    /// <summary>Keep and return the stored answer (first answer wins), logging a warning. For oracles that are not bit-deterministic.</summary>
    KeepStored,
}

/// <summary>Options of a <see cref="SqliteQueryCache"/>; the defaults suit a single long learning run.</summary>
public sealed record SqliteQueryCacheOptions
{
    /// <summary>
    /// Keep every answer in memory as well (a <see cref="LogitRank.Oracles.CachingOracle"/> in front of the file), so a
    /// repeated prefix returns the identical <see cref="LogitRank.Numerics.LogitVector"/> instance without a database
    /// read. Default true; set false when the answers do not fit in memory, or when the consumer caches already
    /// (<c>LogitRankLearner</c> puts its own <see cref="LogitRank.Oracles.CachingOracle"/> in front of the oracle it is
    /// given), to avoid a second copy.
    /// </summary>
    public bool KeepInMemory { get; init; } = true;

    /// <summary>How long a statement waits for another connection's lock before failing (SQLite busy timeout). Default 30 s.</summary>
    public TimeSpan BusyTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Flush every committed batch to stable storage (<c>PRAGMA synchronous = FULL</c>), so it also survives a power
    /// loss or OS crash. When false (<c>NORMAL</c>), a committed batch survives a killed process but not a power loss.
    /// Default true.
    /// </summary>
    public bool Durable { get; init; } = true;

    /// <summary>What to do when a fresh answer differs from the stored one. Default <see cref="ConflictPolicy.Throw"/>.</summary>
    public ConflictPolicy OnConflict { get; init; } = ConflictPolicy.Throw;

    /// <summary>Receives open/resume information and conflict warnings; null for none.</summary>
    public ILogger? Logger { get; init; }

    /// <summary>Tests only: <c>PRAGMA max_page_count</c> of the connection, to make "disk full" (SQLITE_FULL) happen on demand.</summary>
    internal int? MaxPageCount { get; init; }
}

/// <summary>Persistent cache statistics: a snapshot.</summary>
/// <param name="Entries">The answers stored in the file (by any process).</param>
/// <param name="Hits">Requested prefixes answered without the inner oracle (from memory, from the file, or a duplicate in the same batch).</param>
/// <param name="StoreHits">The part of <paramref name="Hits"/> read from the file (answers paid for by an earlier run or another instance).</param>
/// <param name="Misses">Prefixes forwarded to the inner oracle (paid for) by this instance.</param>
public readonly record struct PersistentCacheStatistics(long Entries, long Hits, long StoreHits, long Misses);

/// <summary>What a cache file records.</summary>
/// <param name="FilePath">The file.</param>
/// <param name="Identity">The oracle identity it was created for.</param>
/// <param name="AlphabetSize">The alphabet size <c>k</c>.</param>
/// <param name="Horizon">The horizon <c>T</c>.</param>
/// <param name="SchemaVersion">The schema version (<c>PRAGMA user_version</c>).</param>
/// <param name="Entries">The number of stored answers.</param>
public sealed record CacheFileInfo(string FilePath, string Identity, int AlphabetSize, int Horizon, int SchemaVersion, long Entries);
