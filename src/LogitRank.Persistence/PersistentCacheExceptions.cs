using LogitRank.Numerics;
using LogitRank.Oracles;
using LogitRank.Sequences;

namespace LogitRank.Persistence;

// CA1032 (standard exception constructors): these exceptions exist to carry the offending data as properties;
// a parameterless or message-only constructor would create an instance without it.
#pragma warning disable CA1032

/// <summary>The base of the exceptions raised by the persistent query cache; every one names the cache file.</summary>
public abstract class PersistentCacheException : OracleException
{
    /// <summary>Initialises the exception with a message naming the file and the problem.</summary>
    protected PersistentCacheException(string filePath, string message, Exception? innerException = null)
        : base(message, innerException) => FilePath = filePath;

    /// <summary>The cache file.</summary>
    public string FilePath { get; }
}

/// <summary>A recorded property of a cache file that must agree with the oracle it is opened for.</summary>
public enum CacheField
{
    /// <summary>The user-supplied oracle identity string.</summary>
    Identity = 1,

    /// <summary>The alphabet size <c>k</c>.</summary>
    AlphabetSize,

    /// <summary>The horizon <c>T</c>.</summary>
    Horizon,
}

/// <summary>
/// A cache file created for another oracle: its recorded identity, <c>k</c> or <c>T</c> differs from the one it is
/// opened for. Its answers are not used (they are answers of a different oracle).
/// </summary>
public sealed class CacheMismatchException : PersistentCacheException
{
    /// <summary>Creates the exception; the message names the file, the field, the stored and the expected value.</summary>
    public CacheMismatchException(string filePath, CacheField field, string storedValue, string expectedValue)
        : base(filePath, $"The query cache '{filePath}' was created for {Describe(field)} {Quote(field, storedValue)}, but it is opened for {Quote(field, expectedValue)}; its answers belong to another oracle. Use another file, or the identity the file was created with.")
    {
        Field = field;
        StoredValue = storedValue;
        ExpectedValue = expectedValue;
    }

    /// <summary>The field that differs.</summary>
    public CacheField Field { get; }

    /// <summary>The value recorded in the file.</summary>
    public string StoredValue { get; }

    /// <summary>The value of the oracle the file was opened for.</summary>
    public string ExpectedValue { get; }

    private static string Describe(CacheField field) => field switch
    {
        CacheField.Identity => "oracle identity",
        CacheField.AlphabetSize => "alphabet size k =",
        CacheField.Horizon => "horizon T =",
        _ => field.ToString(),
    };

    private static string Quote(CacheField field, string value) => field == CacheField.Identity ? $"\"{value}\"" : value;
}

/// <summary>What is wrong with a corrupt cache file.</summary>
public enum CacheCorruption
{
    /// <summary>The file is not an SQLite database (or its header or pages are damaged).</summary>
    NotSqlite = 1,

    /// <summary>The file is an SQLite database of another application (its <c>PRAGMA application_id</c> differs).</summary>
    ForeignApplication,

    /// <summary>The schema version (<c>PRAGMA user_version</c>) is not one this library reads.</summary>
    UnsupportedSchema,

    /// <summary>The metadata table or one of its rows is missing or unreadable.</summary>
    MissingMetadata,

    /// <summary>A stored answer's checksum does not match its prefix and values.</summary>
    BadChecksum,

    /// <summary>A stored answer does not hold <c>k</c> doubles, or a stored prefix is not a whole number of tokens.</summary>
    WrongLength,

    /// <summary>A stored answer holds NaN or an infinity.</summary>
    NonFinite,

    /// <summary>SQLite found damaged pages (SQLITE_CORRUPT or SQLITE_NOTADB) while the file was in use, after it had opened cleanly.</summary>
    DamagedPages,
}

/// <summary>
/// A cache file that cannot be trusted: not SQLite, another application's database, an unknown schema, missing
/// metadata, or a stored answer with a bad checksum, a wrong length or a non-finite value. It is never silently used.
/// </summary>
public sealed class CacheCorruptException : PersistentCacheException
{
    /// <summary>Creates the exception; the message names the file, the problem and (when known) the prefix.</summary>
    public CacheCorruptException(string filePath, CacheCorruption problem, string detail, Prefix? prefix = null, Exception? innerException = null)
        : base(filePath, $"The query cache '{filePath}' is corrupt ({problem}){(prefix is null ? string.Empty : $" at prefix {prefix}")}: {detail} The file is not used; move it aside or delete it to start a new cache.", innerException)
    {
        Problem = problem;
        Detail = detail;
        Prefix = prefix;
    }

    /// <summary>What is wrong.</summary>
    public CacheCorruption Problem { get; }

    /// <summary>A description of the problem (expected and found values).</summary>
    public string Detail { get; }

    /// <summary>The prefix of the bad entry, when the problem is in one entry.</summary>
    public Prefix? Prefix { get; }
}

/// <summary>
/// The inner oracle answered a prefix differently from the answer already stored for it (by this or another
/// process). The analysis assumes a fixed oracle, so under <see cref="ConflictPolicy.Throw"/> this is an error.
/// </summary>
public sealed class CacheConflictException : PersistentCacheException
{
    /// <summary>Creates the exception; the message names the file, the prefix and the largest difference.</summary>
    public CacheConflictException(string filePath, Prefix prefix, LogitVector stored, LogitVector answered)
        : base(filePath, $"The query cache '{filePath}' holds an answer for prefix {prefix} that differs from the oracle's new answer (max |difference| = {Difference(stored, answered):R}; stored {stored}, new {answered}). The analysis assumes a fixed oracle: make the oracle deterministic, or open the cache with ConflictPolicy.KeepStored.")
    {
        Prefix = prefix;
        Stored = stored;
        Answered = answered;
    }

    /// <summary>The prefix.</summary>
    public Prefix Prefix { get; }

    /// <summary>The answer in the file.</summary>
    public LogitVector Stored { get; }

    /// <summary>The inner oracle's new answer.</summary>
    public LogitVector Answered { get; }

    private static double Difference(LogitVector a, LogitVector b) =>
        a is not null && b is not null && a.Length == b.Length ? a.MaxAbsDifference(b) : double.NaN;
}
/// <summary>What kept the cache from using its file (the SQLite result code, classified).</summary>
public enum CacheStorageProblem
{
    /// <summary>The file cannot be opened or created: a missing directory, a directory in its place, no permission (SQLITE_CANTOPEN, SQLITE_PERM, SQLITE_AUTH).</summary>
    CannotOpen = 1,

    /// <summary>The disk (or the database's page limit) is full: the batch being stored was not committed (SQLITE_FULL).</summary>
    DiskFull,

    /// <summary>The file or its directory is read-only (SQLITE_READONLY).</summary>
    ReadOnly,

    /// <summary>The operating system reported an I/O error (SQLITE_IOERR).</summary>
    IOError,

    /// <summary>Another connection held the file locked beyond the busy timeout (SQLITE_BUSY, SQLITE_LOCKED).</summary>
    Busy,

    /// <summary>Any other SQLite failure; <see cref="CacheStorageException.SqliteErrorCode"/> has the code.</summary>
    Other,
}

/// <summary>
/// The cache file could not be opened, read or written: the path cannot be opened, the disk is full, the file is
/// read-only, an I/O error, or a lock held too long. The message names the file, what failed and the SQLite error; the
/// <see cref="Exception.InnerException"/> is the <c>SqliteException</c>. Answers committed before the failure stay in the
/// file; a batch whose write failed was not committed, and a rerun asks the oracle for it again.
/// </summary>
public sealed class CacheStorageException : PersistentCacheException
{
    /// <summary>Creates the exception; the message names the file, what failed, the problem and the SQLite error.</summary>
    /// <param name="filePath">The cache file.</param>
    /// <param name="problem">The classified problem.</param>
    /// <param name="sqliteErrorCode">SQLite's (extended) result code.</param>
    /// <param name="what">What failed, e.g. "could not be opened".</param>
    /// <param name="innerException">The SQLite exception.</param>
    public CacheStorageException(string filePath, CacheStorageProblem problem, int sqliteErrorCode, string what, Exception? innerException)
        : base(filePath, $"The query cache '{filePath}' {what}: {Describe(problem)} (SQLite error {sqliteErrorCode}{(innerException is null ? string.Empty : ": " + innerException.Message)}).", innerException)
    {
        Problem = problem;
        SqliteErrorCode = sqliteErrorCode;
    }

    /// <summary>The classified problem.</summary>
    public CacheStorageProblem Problem { get; }

    /// <summary>SQLite's (extended) result code.</summary>
    public int SqliteErrorCode { get; }

    private static string Describe(CacheStorageProblem problem) => problem switch
    {
        CacheStorageProblem.CannotOpen => "the path cannot be opened or created (check that its directory exists and is writable, and that the path is not a directory)",
        CacheStorageProblem.DiskFull => "the disk is full",
        CacheStorageProblem.ReadOnly => "the file or its directory is read-only",
        CacheStorageProblem.IOError => "an I/O error",
        CacheStorageProblem.Busy => "another process held the file locked beyond the busy timeout",
        _ => "SQLite failed",
    };
}
#pragma warning restore CA1032
