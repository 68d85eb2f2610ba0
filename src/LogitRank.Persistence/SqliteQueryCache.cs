using System.Globalization;
using LogitRank.Numerics;
using LogitRank.Oracles;
using LogitRank.Sequences;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace LogitRank.Persistence;

/// <summary>
/// A persistent query cache: a decorator that stores every answer of its inner logit oracle in an SQLite file, so a
/// stopped, crashed or killed run, rerun on the same file, gets the answers it already paid for from the file and
/// queries the inner oracle only for the prefixes it never had answered. Thread-safe; several instances and processes
/// may share one file.
/// </summary>
/// <remarks>
/// <para>
/// <b>Answers.</b> A call looks each distinct prefix up in memory (when <see cref="SqliteQueryCacheOptions.KeepInMemory"/>),
/// then in the file; the remaining misses go to the inner oracle in one batch with the caller's phase. Their answers are
/// written to the file in one transaction, and committed, <i>before</i> they are returned. So once a caller has seen an
/// answer, a killed process cannot lose it; a kill while the inner oracle is answering loses that batch only (it was
/// not returned, and the rerun asks for it again). Answers are stored as <c>k</c> little-endian IEEE-754 doubles and
/// come back bit for bit: a resumed run sees exactly the answers of the interrupted one, which is what the analysis
/// (a fixed oracle) needs.
/// </para>
/// <para>
/// <b>File.</b> One file serves one oracle: the metadata table records the user-supplied identity string (e.g.
/// <c>"isan:k=4,T=12,d=4,seed=1"</c> or a hash of the model file), <c>k</c> and <c>T</c>, so the key of an entry is
/// (identity, prefix tokens). The file carries <c>PRAGMA application_id = </c><see cref="ApplicationId"/> and
/// <c>PRAGMA user_version = </c><see cref="SchemaVersion"/>; each entry carries a 64-bit FNV-1a checksum of its prefix
/// and values, verified on every read. Opening a file made for another identity, <c>k</c> or <c>T</c> raises
/// <see cref="CacheMismatchException"/>; a file that is not ours or is damaged raises
/// <see cref="CacheCorruptException"/>. Neither is ever silently used.
/// </para>
/// <para>
/// <b>Concurrency.</b> The file is in WAL mode (readers do not block the writer) with a busy timeout
/// (<see cref="SqliteQueryCacheOptions.BusyTimeout"/>). Within an instance, one connection is used under a lock and the
/// inner oracle is called outside it; with the memory layer, a prefix being fetched by one thread is awaited, not
/// fetched again, by another. Across instances or processes, two may fetch the same prefix at once: inserts are
/// idempotent (<c>INSERT OR IGNORE</c>), and a second answer is compared bit for bit with the stored one; a difference
/// is a <see cref="CacheConflictException"/> (or, under <see cref="ConflictPolicy.KeepStored"/>, the stored answer is
/// returned).
/// </para>
/// <para>
/// <b>Composition.</b> Put a <see cref="CountingOracle"/> <i>inside</i> (as the <c>inner</c> argument of the
/// constructor) to count the queries actually paid for, or outside to count the requests. Prefixes are not validated
/// here beyond being non-null: the inner oracle validates them, and an answer is stored only after it accepted them.
/// </para>
/// </remarks>
public sealed class SqliteQueryCache : ILogitOracle, IDisposable
{
    /// <summary>The <c>PRAGMA application_id</c> of a cache file: the ASCII bytes "LRQK" (0x4C52514B).</summary>
    public const int ApplicationId = 0x4C52514B;

    /// <summary>The schema version written to <c>PRAGMA user_version</c>, and the only one read.</summary>
    public const int SchemaVersion = 1;

    private const int SqlitePerm = 3;
    private const int SqliteBusy = 5;
    private const int SqliteLocked = 6;
    private const int SqliteReadOnly = 8;
    private const int SqliteIoError = 10;
    private const int SqliteCorrupt = 11;
    private const int SqliteFull = 13;
    private const int SqliteCantOpen = 14;
    private const int SqliteAuth = 23;
    private const int SqliteNotADatabase = 26;

    private readonly ILogitOracle _inner;
    private readonly SqliteQueryCacheOptions _options;
    private readonly ILogger _logger;
    private readonly SqliteConnection _connection;
    private readonly Lock _db = new();
    private readonly CachingOracle? _memory;
    private readonly ILogitOracle _front;
    private long _storeHits;
    private long _duplicateHits;
    private long _misses;
    private bool _disposed;

    /// <summary>
    /// Opens (or creates) the cache file <paramref name="filePath"/> for <paramref name="inner"/>, whose answers it
    /// stores under <paramref name="identity"/>.
    /// </summary>
    /// <param name="filePath">The SQLite file; created with its directory's permissions when missing.</param>
    /// <param name="inner">The oracle whose answers are cached.</param>
    /// <param name="identity">
    /// A string that names the oracle's answers exactly (model, weights, precision, seed): two oracles with the same
    /// identity must give the same answers. Compared ordinally with the one recorded in the file.
    /// </param>
    /// <param name="options">Options; null for the defaults.</param>
    /// <exception cref="ArgumentException"><paramref name="filePath"/> or <paramref name="identity"/> is empty or white space.</exception>
    /// <exception cref="CacheMismatchException">The file was created for another identity, <c>k</c> or <c>T</c>.</exception>
    /// <exception cref="CacheCorruptException">The file is not SQLite, belongs to another application, has another schema version or lacks its metadata.</exception>
    /// <exception cref="CacheStorageException">The path cannot be opened or created (missing directory, a directory, no permission), the disk is full, or another SQLite failure; the message names the file.</exception>
    public SqliteQueryCache(string filePath, ILogitOracle inner, string identity, SqliteQueryCacheOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(filePath);
        ArgumentException.ThrowIfNullOrWhiteSpace(identity);
        _inner = inner ?? throw new ArgumentNullException(nameof(inner));
        _options = options ?? new SqliteQueryCacheOptions();
        if (_options.BusyTimeout < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(options), _options.BusyTimeout, "Expected a non-negative busy timeout.");
        }

        _logger = _options.Logger ?? NullLogger.Instance;
        FilePath = Path.GetFullPath(filePath);
        Identity = identity;
        _connection = Open(FilePath, SqliteOpenMode.ReadWriteCreate, _options.BusyTimeout);
        try
        {
            if (_options.MaxPageCount is { } maxPages)
            {
                Execute(_connection, $"PRAGMA max_page_count = {maxPages};");
            }

            var header = ReadHeader(_connection, FilePath, (identity, inner.AlphabetSize, inner.Horizon), out var created);
            Check(CacheField.Identity, header.Identity, identity);
            Check(CacheField.AlphabetSize, header.AlphabetSize.ToString(CultureInfo.InvariantCulture), inner.AlphabetSize.ToString(CultureInfo.InvariantCulture));
            Check(CacheField.Horizon, header.Horizon.ToString(CultureInfo.InvariantCulture), inner.Horizon.ToString(CultureInfo.InvariantCulture));
            Execute(_connection, "PRAGMA journal_mode = WAL;");
            Execute(_connection, _options.Durable ? "PRAGMA synchronous = FULL;" : "PRAGMA synchronous = NORMAL;");
            if (_logger.IsEnabled(LogLevel.Information))
            {
                _logger.LogInformation("Query cache {Path} {Action} for {Identity} (k={K}, T={T}): {Entries} stored answers.", FilePath, created ? "created" : "opened", identity, inner.AlphabetSize, inner.Horizon, CountEntries(_connection, FilePath));
            }
        }
        catch (SqliteException e)
        {
            _connection.Dispose();
            throw StorageFailure(FilePath, e, "could not be opened");
        }
        catch
        {
            _connection.Dispose();
            throw;
        }

        var store = new StoreLayer(this);
        _memory = _options.KeepInMemory ? new CachingOracle(store) : null;
        _front = (ILogitOracle?)_memory ?? store;

        void Check(CacheField field, string stored, string expected)
        {
            if (!string.Equals(stored, expected, StringComparison.Ordinal))
            {
                throw new CacheMismatchException(FilePath, field, stored, expected);
            }
        }
    }

    /// <inheritdoc/>
    public int AlphabetSize => _inner.AlphabetSize;

    /// <inheritdoc/>
    public int Horizon => _inner.Horizon;

    /// <summary>The decorated oracle.</summary>
    public ILogitOracle Inner => _inner;

    /// <summary>The full path of the cache file.</summary>
    public string FilePath { get; }

    /// <summary>The oracle identity the file is bound to.</summary>
    public string Identity { get; }

    /// <summary>The number of answers stored in the file (by any instance or process), read from the file.</summary>
    /// <exception cref="ObjectDisposedException">The cache was disposed.</exception>
    public long Count
    {
        get
        {
            lock (_db)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                return Guard(FilePath, "could not be read", () => CountEntries(_connection, FilePath));
            }
        }
    }

    /// <summary>Requested prefixes answered without the inner oracle (see <see cref="PersistentCacheStatistics.Hits"/>).</summary>
    public long Hits => (_memory?.Hits ?? 0) + Interlocked.Read(ref _storeHits) + Interlocked.Read(ref _duplicateHits);

    /// <summary>Requested prefixes answered from the file (see <see cref="PersistentCacheStatistics.StoreHits"/>).</summary>
    public long StoreHits => Interlocked.Read(ref _storeHits);

    /// <summary>Prefixes forwarded to (and answered by) the inner oracle through this instance.</summary>
    public long Misses => Interlocked.Read(ref _misses);

    /// <summary>A snapshot of entries, hits, file hits and misses.</summary>
    /// <exception cref="ObjectDisposedException">The cache was disposed.</exception>
    public PersistentCacheStatistics Statistics => new(Count, Hits, StoreHits, Misses);

    /// <summary>
    /// Reads what a cache file records, without an oracle and without changing the file.
    /// </summary>
    /// <param name="filePath">An existing cache file.</param>
    /// <param name="verifyEntries">Also read every entry and verify its length, checksum and finiteness.</param>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="CacheCorruptException">The file is not a valid cache file, or (with <paramref name="verifyEntries"/>) an entry is damaged.</exception>
    /// <exception cref="CacheStorageException">The file cannot be opened or read.</exception>
    public static CacheFileInfo Inspect(string filePath, bool verifyEntries = false)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(filePath);
        var path = Path.GetFullPath(filePath);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"The query cache file '{path}' does not exist.", path);
        }

        return Guard(path, "could not be inspected", () =>
        {
            using var connection = Open(path, SqliteOpenMode.ReadWrite, TimeSpan.FromSeconds(30));
            var header = ReadHeader(connection, path, create: null, out _);
            var entries = verifyEntries ? ReadAll(connection, path, header.AlphabetSize).Count : CountEntries(connection, path);
            return new CacheFileInfo(path, header.Identity, header.AlphabetSize, header.Horizon, SchemaVersion, entries);
        });
    }

    /// <summary>All stored answers, each verified (length, checksum, finite values), in no particular order.</summary>
    /// <exception cref="CacheCorruptException">An entry, or a page of the file, is damaged.</exception>
    /// <exception cref="CacheStorageException">The file cannot be read.</exception>
    /// <exception cref="ObjectDisposedException">The cache was disposed.</exception>
    public IReadOnlyList<KeyValuePair<Prefix, LogitVector>> ReadEntries()
    {
        lock (_db)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return Guard(FilePath, "could not be read", () => ReadAll(_connection, FilePath, AlphabetSize));
        }
    }

    /// <inheritdoc/>
    /// <exception cref="CacheCorruptException">A stored answer needed by the batch is damaged, or SQLite finds damaged pages (<see cref="CacheCorruption.DamagedPages"/>).</exception>
    /// <exception cref="CacheStorageException">The file cannot be read or written (disk full while storing the batch, I/O error, lock timeout); answers committed earlier stay in the file.</exception>
    /// <exception cref="CacheConflictException">The inner oracle answered a stored prefix differently (under <see cref="ConflictPolicy.Throw"/>); the batch's other answers are stored first.</exception>
    /// <exception cref="InvalidOracleAnswerException">The inner oracle returned the wrong number of answers, or a null or wrong-length one; nothing of that batch is stored.</exception>
    /// <exception cref="ObjectDisposedException">The cache was disposed.</exception>
    public IReadOnlyList<LogitVector> Query(IReadOnlyList<Prefix> prefixes, QueryPhase phase = QueryPhase.Other, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prefixes);
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _front.Query(prefixes, phase, cancellationToken);
    }

    /// <summary>Closes the file. Answers already returned are in it; the instance cannot be used afterwards.</summary>
    public void Dispose()
    {
        lock (_db)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _connection.Dispose();
        }
    }

    /// <summary>The file layer: looks distinct prefixes up in the file, forwards the rest, stores their answers.</summary>
    private LogitVector[] QueryStore(IReadOnlyList<Prefix> prefixes, QueryPhase phase, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(prefixes);
        var n = prefixes.Count;
        var slot = new int[n];
        var index = new Dictionary<Prefix, int>();
        var distinct = new List<Prefix>();
        for (var i = 0; i < n; i++)
        {
            var prefix = prefixes[i] ?? throw new ArgumentException($"Query {i} of the batch is a null prefix.", nameof(prefixes));
            if (!index.TryGetValue(prefix, out var j))
            {
                j = distinct.Count;
                index[prefix] = j;
                distinct.Add(prefix);
            }

            slot[i] = j;
        }

        cancellationToken.ThrowIfCancellationRequested();
        var answers = new LogitVector?[distinct.Count];
        lock (_db)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            Guard(FilePath, "could not be read", () => ReadStored(distinct, answers));
        }

        var missing = new List<int>();
        for (var j = 0; j < answers.Length; j++)
        {
            if (answers[j] is null)
            {
                missing.Add(j);
            }
        }

        if (missing.Count > 0)
        {
            var ask = missing.Select(j => distinct[j]).ToArray();
            var fresh = CheckAnswers(ask, _inner.Query(ask, phase, cancellationToken));

            // The inner oracle has answered (and been paid): store regardless of cancellation, then return.
            LogitVector[] stored;
            lock (_db)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                stored = Guard(FilePath, $"could not store the {ask.Length} answers just paid for (they are returned to no one and a rerun asks for them again)", () => WriteAnswers(ask, fresh));
            }

            Interlocked.Add(ref _misses, ask.Length);
            for (var m = 0; m < missing.Count; m++)
            {
                answers[missing[m]] = stored[m];
            }
        }

        Interlocked.Add(ref _storeHits, distinct.Count - missing.Count);
        Interlocked.Add(ref _duplicateHits, n - distinct.Count);
        if (_logger.IsEnabled(LogLevel.Debug))
        {
            _logger.LogDebug("Query cache {Path}: batch of {Count} ({Distinct} distinct): {StoreHits} from the file, {Misses} forwarded.", FilePath, n, distinct.Count, distinct.Count - missing.Count, missing.Count);
        }

        var result = new LogitVector[n];
        for (var i = 0; i < n; i++)
        {
            result[i] = answers[slot[i]]!;
        }

        return result;
    }

    private void ReadStored(List<Prefix> prefixes, LogitVector?[] answers)
    {
        using var transaction = _connection.BeginTransaction(deferred: true);
        using var select = _connection.CreateCommand();
        select.Transaction = transaction;
        select.CommandText = "SELECT logits, checksum FROM answers WHERE prefix = $prefix;";
        var parameter = select.Parameters.Add("$prefix", SqliteType.Blob);
        for (var j = 0; j < prefixes.Count; j++)
        {
            var key = AnswerCodec.EncodePrefix(prefixes[j]);
            parameter.Value = key;
            using var reader = select.ExecuteReader();
            if (reader.Read())
            {
                answers[j] = Decode(FilePath, prefixes[j], key, (byte[])reader.GetValue(0), reader.GetInt64(1), AlphabetSize);
            }
        }

        transaction.Commit();
    }

    private LogitVector[] WriteAnswers(Prefix[] prefixes, LogitVector[] fresh)
    {
        var result = new LogitVector[prefixes.Length];
        CacheConflictException? conflict = null;
        using (var transaction = _connection.BeginTransaction(deferred: false))
        {
            using var insert = _connection.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText = "INSERT OR IGNORE INTO answers (prefix, logits, checksum) VALUES ($prefix, $logits, $checksum);";
            var prefixParameter = insert.Parameters.Add("$prefix", SqliteType.Blob);
            var logitsParameter = insert.Parameters.Add("$logits", SqliteType.Blob);
            var checksumParameter = insert.Parameters.Add("$checksum", SqliteType.Integer);
            using var select = _connection.CreateCommand();
            select.Transaction = transaction;
            select.CommandText = "SELECT logits, checksum FROM answers WHERE prefix = $prefix;";
            var selectParameter = select.Parameters.Add("$prefix", SqliteType.Blob);
            for (var j = 0; j < prefixes.Length; j++)
            {
                var key = AnswerCodec.EncodePrefix(prefixes[j]);
                var values = AnswerCodec.EncodeValues(fresh[j]);
                prefixParameter.Value = key;
                logitsParameter.Value = values;
                checksumParameter.Value = AnswerCodec.Checksum(key, values);
                result[j] = fresh[j];
                if (insert.ExecuteNonQuery() != 0)
                {
                    continue;
                }

                // Another instance stored this prefix since our read: the oracle is fixed, so the answers must agree.
                selectParameter.Value = key;
                LogitVector stored;
                using (var reader = select.ExecuteReader())
                {
                    reader.Read();
                    stored = Decode(FilePath, prefixes[j], key, (byte[])reader.GetValue(0), reader.GetInt64(1), AlphabetSize);
                }

                if (!AnswerCodec.BitwiseEqual(stored, fresh[j]))
                {
                    if (_options.OnConflict == ConflictPolicy.Throw)
                    {
                        conflict ??= new CacheConflictException(FilePath, prefixes[j], stored, fresh[j]);
                    }
                    else
                    {
                        _logger.LogWarning("Query cache {Path}: the oracle answered prefix {Prefix} differently from the stored answer (max |difference| = {Difference}); keeping the stored answer.", FilePath, prefixes[j], stored.MaxAbsDifference(fresh[j]));
                        result[j] = stored;
                    }
                }
            }

            transaction.Commit();
        }

        return conflict is null ? result : throw conflict;
    }

    private LogitVector[] CheckAnswers(Prefix[] asked, IReadOnlyList<LogitVector>? answers)
    {
        if (answers is null || answers.Count != asked.Length)
        {
            throw new InvalidOracleAnswerException(AnswerProblem.WrongCount, null, -1, -1, asked.Length, answers?.Count ?? -1);
        }

        var copy = new LogitVector[asked.Length];
        for (var j = 0; j < copy.Length; j++)
        {
            var answer = answers[j] ?? throw new InvalidOracleAnswerException(AnswerProblem.NullAnswer, asked[j], j, -1, AlphabetSize, -1);
            if (answer.Length != AlphabetSize)
            {
                throw new InvalidOracleAnswerException(AnswerProblem.WrongLength, asked[j], j, -1, AlphabetSize, answer.Length);
            }

            copy[j] = answer;
        }

        return copy;
    }

    private static LogitVector Decode(string path, Prefix prefix, ReadOnlySpan<byte> key, byte[] valueBytes, long checksum, int alphabetSize)
    {
        if (valueBytes.Length != alphabetSize * sizeof(double))
        {
            throw new CacheCorruptException(path, CacheCorruption.WrongLength, $"the stored answer has {valueBytes.Length} bytes; expected k = {alphabetSize} doubles ({alphabetSize * sizeof(double)} bytes).", prefix);
        }

        var expected = AnswerCodec.Checksum(key, valueBytes);
        if (expected != checksum)
        {
            throw new CacheCorruptException(path, CacheCorruption.BadChecksum, $"the stored checksum is 0x{checksum:X16} but the prefix and values hash to 0x{expected:X16}.", prefix);
        }

        var values = AnswerCodec.DecodeValues(valueBytes);
        for (var i = 0; i < values.Length; i++)
        {
            if (!double.IsFinite(values[i]))
            {
                throw new CacheCorruptException(path, CacheCorruption.NonFinite, $"logit {i} of the stored answer is {values[i]}; every logit must be finite.", prefix);
            }
        }

        return AnswerCodec.FromCentered(values);
    }

    private static List<KeyValuePair<Prefix, LogitVector>> ReadAll(SqliteConnection connection, string path, int alphabetSize)
    {
        var list = new List<KeyValuePair<Prefix, LogitVector>>();
        using var transaction = connection.BeginTransaction(deferred: true);
        using var select = connection.CreateCommand();
        select.Transaction = transaction;
        select.CommandText = "SELECT prefix, logits, checksum FROM answers;";
        using var reader = select.ExecuteReader();
        while (reader.Read())
        {
            var key = (byte[])reader.GetValue(0);
            var prefix = AnswerCodec.DecodePrefix(key)
                ?? throw new CacheCorruptException(path, CacheCorruption.WrongLength, $"a stored prefix has {key.Length} bytes, not a whole number of 4-byte tokens.");
            list.Add(new(prefix, Decode(path, prefix, key, (byte[])reader.GetValue(1), reader.GetInt64(2), alphabetSize)));
        }

        return list;
    }

    private static SqliteConnection Open(string path, SqliteOpenMode mode, TimeSpan busyTimeout)
    {
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = mode,
            Pooling = false,
            DefaultTimeout = (int)Math.Min(int.MaxValue, Math.Ceiling(busyTimeout.TotalSeconds)),
        };
        var connection = new SqliteConnection(builder.ToString());
        try
        {
            connection.Open();
            Execute(connection, $"PRAGMA busy_timeout = {(long)Math.Min(int.MaxValue, busyTimeout.TotalMilliseconds)};");
            return connection;
        }
        catch (SqliteException e) when (e.SqliteErrorCode is SqliteNotADatabase or SqliteCorrupt)
        {
            connection.Dispose();
            throw NotSqlite(path, e);
        }
        catch (SqliteException e)
        {
            connection.Dispose();
            throw StorageFailure(path, e, "could not be opened");
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private static (string Identity, int AlphabetSize, int Horizon) ReadHeader(SqliteConnection connection, string path, (string Identity, int AlphabetSize, int Horizon)? create, out bool created)
    {
        created = false;
        try
        {
            var applicationId = Scalar(connection, "PRAGMA application_id;");
            if (applicationId == 0 && create is { } values)
            {
                // BEGIN IMMEDIATE: of several processes creating the file at once, one initialises it, the others then read it.
                using var transaction = connection.BeginTransaction(deferred: false);
                if (Scalar(connection, "PRAGMA application_id;", transaction) == 0 && Scalar(connection, "SELECT count(*) FROM sqlite_master;", transaction) == 0)
                {
                    CreateSchema(connection, transaction, values);
                    created = true;
                }

                transaction.Commit();
                applicationId = Scalar(connection, "PRAGMA application_id;");
            }

            if (applicationId != ApplicationId)
            {
                var detail = applicationId != 0
                    ? $"its PRAGMA application_id is 0x{applicationId:X8}; expected 0x{ApplicationId:X8} (\"LRQK\"): an SQLite database of another application."
                    : Scalar(connection, "SELECT count(*) FROM sqlite_master;") == 0
                        ? $"it is an empty SQLite database (PRAGMA application_id 0; expected 0x{ApplicationId:X8}): no query cache was created in it."
                        : $"its PRAGMA application_id is 0; expected 0x{ApplicationId:X8} (\"LRQK\"): an SQLite database of another application.";
                throw new CacheCorruptException(path, CacheCorruption.ForeignApplication, detail);
            }

            var version = Scalar(connection, "PRAGMA user_version;");
            if (version != SchemaVersion)
            {
                throw new CacheCorruptException(path, CacheCorruption.UnsupportedSchema, $"its schema version (PRAGMA user_version) is {version}; this library reads version {SchemaVersion}.");
            }

            var meta = ReadMeta(connection, path);
            return (Require(meta, "identity", path), ParseInt(meta, "alphabet_size", path), ParseInt(meta, "horizon", path));
        }
        catch (SqliteException e) when (e.SqliteErrorCode is SqliteNotADatabase or SqliteCorrupt)
        {
            throw NotSqlite(path, e);
        }
    }

    private static void CreateSchema(SqliteConnection connection, SqliteTransaction transaction, (string Identity, int AlphabetSize, int Horizon) values)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText =
            "CREATE TABLE meta (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL) WITHOUT ROWID;" +
            "CREATE TABLE answers (prefix BLOB PRIMARY KEY NOT NULL, logits BLOB NOT NULL, checksum INTEGER NOT NULL) WITHOUT ROWID;" +
            "INSERT INTO meta (key, value) VALUES ('schema', $schema), ('identity', $identity), ('alphabet_size', $k), ('horizon', $t), ('encoding', 'prefix: int32 LE tokens; logits: k float64 LE centered; checksum: FNV-1a 64 of (int32 LE prefix byte length, prefix, logits)');" +
            $"PRAGMA application_id = {ApplicationId};" +
            $"PRAGMA user_version = {SchemaVersion};";
        command.Parameters.AddWithValue("$schema", SchemaVersion.ToString(CultureInfo.InvariantCulture));
        command.Parameters.AddWithValue("$identity", values.Identity);
        command.Parameters.AddWithValue("$k", values.AlphabetSize.ToString(CultureInfo.InvariantCulture));
        command.Parameters.AddWithValue("$t", values.Horizon.ToString(CultureInfo.InvariantCulture));
        command.ExecuteNonQuery();
    }

    private static Dictionary<string, string> ReadMeta(SqliteConnection connection, string path)
    {
        var meta = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT key, value FROM meta;";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                meta[reader.GetString(0)] = reader.GetString(1);
            }
        }
        catch (SqliteException e) when (e.SqliteErrorCode is not (SqliteNotADatabase or SqliteCorrupt))
        {
            throw new CacheCorruptException(path, CacheCorruption.MissingMetadata, $"its metadata table cannot be read ({e.Message}).", innerException: e);
        }

        return meta;
    }

    private static string Require(Dictionary<string, string> meta, string key, string path) =>
        meta.TryGetValue(key, out var value) ? value : throw new CacheCorruptException(path, CacheCorruption.MissingMetadata, $"its metadata has no '{key}' entry.");

    private static int ParseInt(Dictionary<string, string> meta, string key, string path)
    {
        var text = Require(meta, key, path);
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new CacheCorruptException(path, CacheCorruption.MissingMetadata, $"its metadata entry '{key}' is \"{text}\"; expected a non-negative integer.");
    }

    /// <summary>Runs a database step; an <see cref="SqliteException"/> becomes the typed exception of <see cref="StorageFailure"/>.</summary>
    private static T Guard<T>(string path, string what, Func<T> step)
    {
        try
        {
            return step();
        }
        catch (SqliteException e)
        {
            throw StorageFailure(path, e, what);
        }
    }

    private static void Guard(string path, string what, Action step) => Guard<object?>(path, what, () =>
    {
        step();
        return null;
    });

    /// <summary>
    /// The typed form of an SQLite failure found while the file is in use: damaged pages (SQLITE_CORRUPT, SQLITE_NOTADB) are
    /// <see cref="CacheCorruptException"/> (<see cref="CacheCorruption.DamagedPages"/>); everything else is a
    /// <see cref="CacheStorageException"/> whose <see cref="CacheStorageException.Problem"/> says which (cannot open, disk
    /// full, read-only, I/O error, busy). Every message names the file.
    /// </summary>
    private static PersistentCacheException StorageFailure(string path, SqliteException e, string what)
    {
        var primary = e.SqliteErrorCode & 0xFF; // extended result codes keep the primary code in the low byte
        if (primary is SqliteCorrupt or SqliteNotADatabase)
        {
            return new CacheCorruptException(path, CacheCorruption.DamagedPages, $"SQLite found damaged pages while the file was in use: it {what} (SQLite error {e.SqliteErrorCode}: {e.Message}).", innerException: e);
        }

        var problem = primary switch
        {
            SqliteCantOpen or SqlitePerm or SqliteAuth => CacheStorageProblem.CannotOpen,
            SqliteFull => CacheStorageProblem.DiskFull,
            SqliteReadOnly => CacheStorageProblem.ReadOnly,
            SqliteIoError => CacheStorageProblem.IOError,
            SqliteBusy or SqliteLocked => CacheStorageProblem.Busy,
            _ => CacheStorageProblem.Other,
        };
        return new CacheStorageException(path, problem, e.SqliteErrorCode, what, e);
    }

    private static CacheCorruptException NotSqlite(string path, SqliteException e) =>
        new(path, CacheCorruption.NotSqlite, $"it is not an SQLite database, or its pages are damaged (SQLite error {e.SqliteErrorCode}: {e.Message}).", innerException: e);

    private static long CountEntries(SqliteConnection connection, string path)
    {
        try
        {
            return Scalar(connection, "SELECT count(*) FROM answers;");
        }
        catch (SqliteException e) when (e.SqliteErrorCode is SqliteNotADatabase or SqliteCorrupt)
        {
            throw NotSqlite(path, e);
        }
    }

    private static long Scalar(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>The file layer as an oracle, so that the memory layer can sit in front of it.</summary>
    private sealed class StoreLayer(SqliteQueryCache owner) : ILogitOracle
    {
        public int AlphabetSize => owner.AlphabetSize;

        public int Horizon => owner.Horizon;

        public IReadOnlyList<LogitVector> Query(IReadOnlyList<Prefix> prefixes, QueryPhase phase = QueryPhase.Other, CancellationToken cancellationToken = default) =>
            owner.QueryStore(prefixes, phase, cancellationToken);
    }
}
