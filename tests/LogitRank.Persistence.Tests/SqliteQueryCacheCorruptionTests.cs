using LogitRank.Numerics;
using LogitRank.Oracles;
using LogitRank.Sequences;

namespace LogitRank.Persistence.Tests;

public class SqliteQueryCacheCorruptionTests
{
    private static readonly Prefix Target = Prefix.Of(2, 1);

    private static FunctionOracle NeverCalled() =>
        new FunctionOracle(4, 6, p => throw new InvalidOperationException($"The inner oracle must not be called (asked {p})."));

    /// <summary>A valid cache file holding the answers for all prefixes of length at most 2.</summary>
    private static string Populated(TempDirectory dir)
    {
        var path = dir.File("cache.db");
        using var cache = new SqliteQueryCache(path, new ModelOracle(TestModels.Isan()), TestModels.IsanIdentity);
        cache.Query(SequenceSpace.AllUpTo(4, 2).ToArray());
        return path;
    }

    private static CacheCorruptException OpenAndQueryTarget(string path)
    {
        return Assert.Throws<CacheCorruptException>(() =>
        {
            using var cache = new SqliteQueryCache(path, NeverCalled(), TestModels.IsanIdentity);
            cache.Query([Prefix.Empty, Target]);
        });
    }

    [Fact]
    public void Garbage_file_is_reported_as_not_sqlite()
    {
        using var dir = new TempDirectory();
        var path = dir.File("garbage.db");
        var bytes = new byte[8192];
        new Random(5).NextBytes(bytes);
        File.WriteAllBytes(path, bytes);
        var e = Assert.Throws<CacheCorruptException>(() => new SqliteQueryCache(path, NeverCalled(), TestModels.IsanIdentity));
        Assert.Equal(CacheCorruption.NotSqlite, e.Problem);
        Assert.Equal(path, e.FilePath);
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
        Assert.Contains("not an SQLite database", e.Message, StringComparison.Ordinal);
        Assert.Equal(bytes, File.ReadAllBytes(path));
        Assert.Throws<CacheCorruptException>(() => SqliteQueryCache.Inspect(path));
    }

    [Fact]
    public void Text_file_is_reported_as_not_sqlite()
    {
        using var dir = new TempDirectory();
        var path = dir.File("notes.txt");
        File.WriteAllText(path, "These are my notes, not a query cache. ".PadRight(2000, '.'));
        var e = Assert.Throws<CacheCorruptException>(() => new SqliteQueryCache(path, NeverCalled(), TestModels.IsanIdentity));
        Assert.Equal(CacheCorruption.NotSqlite, e.Problem);
    }

    [Fact]
    public void Sqlite_file_of_another_application_is_refused_and_left_unchanged()
    {
        using var dir = new TempDirectory();
        var path = dir.File("other.db");
        TestModels.Execute(path, "PRAGMA application_id = 305419896; CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL); INSERT INTO invoices VALUES (1, 9.5);");
        var before = File.ReadAllBytes(path);
        var e = Assert.Throws<CacheCorruptException>(() => new SqliteQueryCache(path, NeverCalled(), TestModels.IsanIdentity));
        Assert.Equal(CacheCorruption.ForeignApplication, e.Problem);
        Assert.Contains("0x12345678", e.Message, StringComparison.Ordinal);
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(path));
    }

    [Fact]
    public void Sqlite_file_without_application_id_but_with_tables_is_refused()
    {
        using var dir = new TempDirectory();
        var path = dir.File("other.db");
        TestModels.Execute(path, "CREATE TABLE answers (prefix BLOB, logits BLOB, checksum INTEGER);");
        var e = Assert.Throws<CacheCorruptException>(() => new SqliteQueryCache(path, NeverCalled(), TestModels.IsanIdentity));
        Assert.Equal(CacheCorruption.ForeignApplication, e.Problem);
        Assert.Contains("application_id is 0", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_schema_version_is_refused()
    {
        using var dir = new TempDirectory();
        var path = Populated(dir);
        TestModels.Execute(path, "PRAGMA user_version = 99;");
        var e = Assert.Throws<CacheCorruptException>(() => new SqliteQueryCache(path, NeverCalled(), TestModels.IsanIdentity));
        Assert.Equal(CacheCorruption.UnsupportedSchema, e.Problem);
        Assert.Contains("99", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_metadata_is_refused()
    {
        using var dir = new TempDirectory();
        var path = Populated(dir);
        TestModels.Execute(path, "DELETE FROM meta WHERE key = 'horizon';");
        var e = Assert.Throws<CacheCorruptException>(() => new SqliteQueryCache(path, NeverCalled(), TestModels.IsanIdentity));
        Assert.Equal(CacheCorruption.MissingMetadata, e.Problem);
        Assert.Contains("'horizon'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Wrong_checksum_is_detected_on_read_and_by_inspection()
    {
        using var dir = new TempDirectory();
        var path = Populated(dir);
        TestModels.Execute(path, "UPDATE answers SET checksum = checksum + 1 WHERE prefix = $p;", ("$p", AnswerCodec.EncodePrefix(Target)));
        var e = OpenAndQueryTarget(path);
        Assert.Equal(CacheCorruption.BadChecksum, e.Problem);
        Assert.Equal(Target, e.Prefix);
        Assert.Contains(Target.ToString(), e.Message, StringComparison.Ordinal);
        Assert.Contains("checksum", e.Message, StringComparison.Ordinal);
        Assert.Equal(CacheCorruption.BadChecksum, Assert.Throws<CacheCorruptException>(() => SqliteQueryCache.Inspect(path, verifyEntries: true)).Problem);
        // Without verification, inspection only reads the header and the count.
        Assert.Equal(21, SqliteQueryCache.Inspect(path).Entries);
    }

    [Fact]
    public void A_flipped_bit_in_a_stored_value_is_detected()
    {
        using var dir = new TempDirectory();
        var path = Populated(dir);
        byte[] blob;
        using (var connection = TestModels.Raw(path))
        using (var select = connection.CreateCommand())
        {
            select.CommandText = "SELECT logits FROM answers WHERE prefix = $p;";
            select.Parameters.AddWithValue("$p", AnswerCodec.EncodePrefix(Target));
            blob = (byte[])select.ExecuteScalar()!;
        }

        blob[3] ^= 0x10; // a low mantissa bit of logit 0: the value stays finite and plausible
        TestModels.Execute(path, "UPDATE answers SET logits = $v WHERE prefix = $p;", ("$v", blob), ("$p", AnswerCodec.EncodePrefix(Target)));
        Assert.Equal(CacheCorruption.BadChecksum, OpenAndQueryTarget(path).Problem);
    }

    [Fact]
    public void Wrong_vector_length_is_detected_even_with_a_matching_checksum()
    {
        using var dir = new TempDirectory();
        var path = Populated(dir);
        var key = AnswerCodec.EncodePrefix(Target);
        var values = AnswerCodec.EncodeValues(LogitVector.FromLogits([1.0, 2.0, 3.0]));
        TestModels.Execute(path, "UPDATE answers SET logits = $v, checksum = $c WHERE prefix = $p;", ("$v", values), ("$c", AnswerCodec.Checksum(key, values)), ("$p", key));
        var e = OpenAndQueryTarget(path);
        Assert.Equal(CacheCorruption.WrongLength, e.Problem);
        Assert.Contains("24 bytes", e.Message, StringComparison.Ordinal);
        Assert.Contains("k = 4", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Non_finite_value_is_detected_even_with_a_matching_checksum()
    {
        using var dir = new TempDirectory();
        var path = Populated(dir);
        var key = AnswerCodec.EncodePrefix(Target);
        var values = new byte[32];
        BitConverter.TryWriteBytes(values.AsSpan(8), double.NaN);
        TestModels.Execute(path, "UPDATE answers SET logits = $v, checksum = $c WHERE prefix = $p;", ("$v", values), ("$c", AnswerCodec.Checksum(key, values)), ("$p", key));
        var e = OpenAndQueryTarget(path);
        Assert.Equal(CacheCorruption.NonFinite, e.Problem);
        Assert.Contains("logit 1", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_stored_prefix_that_is_not_whole_tokens_is_detected_by_inspection()
    {
        using var dir = new TempDirectory();
        var path = Populated(dir);
        TestModels.Execute(path, "INSERT INTO answers VALUES (x'010203', x'00', 0);");
        var e = Assert.Throws<CacheCorruptException>(() => SqliteQueryCache.Inspect(path, verifyEntries: true));
        Assert.Equal(CacheCorruption.WrongLength, e.Problem);
        Assert.Contains("3 bytes", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("isan:k=4,T=6,d=3,seed=8", 4, 6, CacheField.Identity, "\"isan:k=4,T=6,d=3,seed=7\"", "\"isan:k=4,T=6,d=3,seed=8\"")]
    [InlineData(TestModels.IsanIdentity, 5, 6, CacheField.AlphabetSize, "k = 4", "5")]
    [InlineData(TestModels.IsanIdentity, 4, 7, CacheField.Horizon, "T = 6", "7")]
    public void A_cache_of_another_oracle_is_a_mismatch_naming_both_values(string identity, int k, int horizon, CacheField field, string stored, string expected)
    {
        using var dir = new TempDirectory();
        var path = Populated(dir);
        var before = SqliteQueryCache.Inspect(path, verifyEntries: true);
        var e = Assert.Throws<CacheMismatchException>(() => new SqliteQueryCache(path, new FunctionOracle(k, horizon, _ => throw new InvalidOperationException("not called")), identity));
        Assert.Equal(field, e.Field);
        Assert.Contains(stored, e.Message, StringComparison.Ordinal);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
        Assert.Equal(before, SqliteQueryCache.Inspect(path, verifyEntries: true));
    }

    [Fact]
    public void Identity_comparison_is_ordinal()
    {
        using var dir = new TempDirectory();
        var path = Populated(dir);
        var e = Assert.Throws<CacheMismatchException>(() => new SqliteQueryCache(path, new ModelOracle(TestModels.Isan()), TestModels.IsanIdentity.ToUpperInvariant()));
        Assert.Equal(CacheField.Identity, e.Field);
    }
}
