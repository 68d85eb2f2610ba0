using LogitRank.Oracles;
using LogitRank.Sequences;
using Microsoft.Data.Sqlite;

namespace LogitRank.Persistence.Tests;

/// <summary>
/// The cache never lets a raw <see cref="SqliteException"/> out: damaged pages found mid-run, a path that cannot be
/// opened, and a full disk are typed exceptions that name the file (proofs-notes/persistent-cache.md, "Storage failures").
/// </summary>
public class SqliteQueryCacheStorageFaultTests
{
    [Fact]
    public void A_path_whose_directory_does_not_exist_is_a_typed_cannot_open_error_naming_it()
    {
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.FullName, "no", "such", "dir", "cache.db");
        var e = Assert.Throws<CacheStorageException>(() => new SqliteQueryCache(path, new ModelOracle(TestModels.Isan()), TestModels.IsanIdentity));
        Assert.Equal(CacheStorageProblem.CannotOpen, e.Problem);
        Assert.Equal(path, e.FilePath);
        Assert.Contains($"'{path}'", e.Message, StringComparison.Ordinal);
        Assert.IsType<SqliteException>(e.InnerException);
        Assert.False(Directory.Exists(Path.GetDirectoryName(path)));
    }

    [Fact]
    public void A_directory_in_place_of_the_file_is_a_typed_error_naming_it()
    {
        using var dir = new TempDirectory();
        var path = dir.File("cache.db");
        Directory.CreateDirectory(path);
        var e = Assert.ThrowsAny<PersistentCacheException>(() => new SqliteQueryCache(path, new ModelOracle(TestModels.Isan()), TestModels.IsanIdentity));
        Assert.Contains($"'{path}'", e.Message, StringComparison.Ordinal);
        Assert.Equal(CacheStorageProblem.CannotOpen, Assert.IsType<CacheStorageException>(e).Problem);
        // Inspect reads existing files only: a directory is not one (its documented FileNotFoundException, naming the path).
        Assert.Contains(path, Assert.Throws<FileNotFoundException>(() => SqliteQueryCache.Inspect(path)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_full_disk_while_storing_is_a_typed_error_and_earlier_answers_stay()
    {
        // max_page_count stands in for a full disk: SQLite answers SQLITE_FULL exactly as when the device is full.
        using var dir = new TempDirectory();
        var path = dir.File("cache.db");
        var oracle = new ModelOracle(TestModels.Isan());
        long before;
        using (var cache = new SqliteQueryCache(path, oracle, TestModels.IsanIdentity, new SqliteQueryCacheOptions { MaxPageCount = 8 }))
        {
            cache.Query(SequenceSpace.AllUpTo(4, 1).ToArray());
            before = cache.Count;
            Assert.Equal(5, before);
            var e = Assert.Throws<CacheStorageException>(() => cache.Query(SequenceSpace.AllUpTo(4, 5).ToArray()));
            Assert.Equal(CacheStorageProblem.DiskFull, e.Problem);
            Assert.Equal(path, e.FilePath);
            Assert.Contains($"'{path}'", e.Message, StringComparison.Ordinal);
            Assert.Contains("disk is full", e.Message, StringComparison.Ordinal);
            Assert.Equal(13, e.SqliteErrorCode & 0xFF);
        }

        // The failed batch was not committed; the earlier one is intact and the file is usable.
        using var reopened = new SqliteQueryCache(path, oracle, TestModels.IsanIdentity);
        Assert.Equal(before, reopened.Count);
        Assert.All(reopened.ReadEntries(), entry => Assert.True(entry.Key.Length <= 1));
    }

    [Fact]
    public void Pages_damaged_while_the_cache_is_open_are_a_typed_corruption_naming_the_file()
    {
        using var dir = new TempDirectory();
        var path = dir.File("cache.db");
        var oracle = new ModelOracle(TestModels.Isan());
        using (var cache = new SqliteQueryCache(path, oracle, TestModels.IsanIdentity))
        {
            cache.Query(SequenceSpace.AllUpTo(4, 5).ToArray()); // 1365 answers: the answers table spans many pages
        }

        var length = new FileInfo(path).Length;
        Assert.True(length >= 16 * 4096, $"the file has {length} bytes");
        using var damaged = new SqliteQueryCache(path, oracle, TestModels.IsanIdentity, new SqliteQueryCacheOptions { KeepInMemory = false });

        // Damage every page after the first three (header, meta, answers root) while the cache holds the file open.
        var garbage = new byte[length - (3 * 4096)];
        new Random(3).NextBytes(garbage);
        using (var raw = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite))
        {
            raw.Seek(3 * 4096, SeekOrigin.Begin);
            raw.Write(garbage);
        }

        var e = Assert.Throws<CacheCorruptException>(() => damaged.Query(SequenceSpace.All(4, 5).Take(200).ToArray()));
        Assert.Equal(CacheCorruption.DamagedPages, e.Problem);
        Assert.Equal(path, e.FilePath);
        Assert.Contains($"'{path}'", e.Message, StringComparison.Ordinal);
        Assert.IsType<SqliteException>(e.InnerException);
        Assert.Equal(CacheCorruption.DamagedPages, Assert.Throws<CacheCorruptException>(() => damaged.ReadEntries()).Problem);
    }
}
