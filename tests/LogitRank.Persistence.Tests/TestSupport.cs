using System.Collections.Concurrent;
using LogitRank.Models;
using LogitRank.Numerics;
using LogitRank.Oracles;
using LogitRank.Sequences;
using Microsoft.Data.Sqlite;

namespace LogitRank.Persistence.Tests;

/// <summary>A fresh directory under the temp path, deleted (best effort) on dispose.</summary>
public sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        FullName = Path.Combine(Path.GetTempPath(), "logitrank-persistence-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(FullName);
    }

    public string FullName { get; }

    public string File(string name) => Path.Combine(FullName, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(FullName, recursive: true);
        }
        catch (IOException)
        {
            // A killed child may still hold the directory for a moment; the temp folder is cleaned eventually.
        }
    }
}

/// <summary>An inner oracle that records every prefix and batch forwarded to it (thread-safe).</summary>
public sealed class RecordingOracle(ILogitOracle inner) : ILogitOracle
{
    private readonly ConcurrentQueue<Prefix[]> _batches = new();

    public int AlphabetSize => inner.AlphabetSize;

    public int Horizon => inner.Horizon;

    public IReadOnlyList<Prefix[]> Batches => _batches.ToArray();

    public IReadOnlyList<Prefix> Asked => _batches.SelectMany(b => b).ToArray();

    public IReadOnlyList<LogitVector> Query(IReadOnlyList<Prefix> prefixes, QueryPhase phase = QueryPhase.Other, CancellationToken cancellationToken = default)
    {
        var answers = inner.Query(prefixes, phase, cancellationToken);
        _batches.Enqueue(prefixes.ToArray());
        return answers;
    }
}

/// <summary>An oracle that answers from a fixed function of the prefix (for conflict and exactness tests).</summary>
public sealed class FunctionOracle(int alphabetSize, int horizon, Func<Prefix, LogitVector> answer) : ILogitOracle
{
    public int AlphabetSize => alphabetSize;

    public int Horizon => horizon;

    public IReadOnlyList<LogitVector> Query(IReadOnlyList<Prefix> prefixes, QueryPhase phase = QueryPhase.Other, CancellationToken cancellationToken = default) =>
        prefixes.Select(answer).ToArray();
}

public static class TestModels
{
    /// <summary>A seeded rank-3 ISAN over k = 4, T = 6 (identity string below).</summary>
    public static TimeVaryingIsan Isan() => TimeVaryingIsan.Random(4, 6, 3, seed: 7);

    public const string IsanIdentity = "isan:k=4,T=6,d=3,seed=7";

    public static long[] Bits(LogitVector v) => v.ToArray().Select(BitConverter.DoubleToInt64Bits).ToArray();

    /// <summary>A raw connection to a cache file (no pooling, so the file is released on dispose).</summary>
    public static SqliteConnection Raw(string path)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    public static void Execute(string path, string sql, params (string Name, object Value)[] parameters)
    {
        using var connection = Raw(path);
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        command.ExecuteNonQuery();
    }
}
