using System.Collections.Concurrent;
using LogitRank.Numerics;
using LogitRank.Oracles;
using LogitRank.Sequences;

namespace LogitRank.Persistence.Tests;

public class SqliteQueryCacheConcurrencyTests
{
    /// <summary>
    /// Six threads over two instances on one file (one with the memory layer, one without), each asking 40 seeded random
    /// batches drawn from 341 prefixes, so batches overlap within and across instances.
    /// </summary>
    [Fact]
    public void Threads_and_two_instances_on_one_file_lose_nothing_and_agree_with_the_model()
    {
        using var dir = new TempDirectory();
        var path = dir.File("shared.db");
        var model = TestModels.Isan();
        var pool = SequenceSpace.AllUpTo(4, 4).ToArray();
        var spyA = new RecordingOracle(new ModelOracle(model));
        var spyB = new RecordingOracle(new ModelOracle(model));
        var requested = new ConcurrentDictionary<Prefix, byte>();
        var errors = new ConcurrentQueue<Exception>();
        using (var a = new SqliteQueryCache(path, spyA, TestModels.IsanIdentity, new SqliteQueryCacheOptions { Durable = false }))
        using (var b = new SqliteQueryCache(path, spyB, TestModels.IsanIdentity, new SqliteQueryCacheOptions { Durable = false, KeepInMemory = false }))
        {
            var threads = Enumerable.Range(0, 6).Select(t => new Thread(() =>
            {
                try
                {
                    var random = new Random(100 + t);
                    var cache = t % 2 == 0 ? a : b;
                    for (var round = 0; round < 40; round++)
                    {
                        var batch = Enumerable.Range(0, 1 + random.Next(24)).Select(_ => pool[random.Next(pool.Length)]).ToArray();
                        var answers = cache.Query(batch);
                        for (var i = 0; i < batch.Length; i++)
                        {
                            requested.TryAdd(batch[i], 0);
                            if (!TestModels.Bits(answers[i]).SequenceEqual(TestModels.Bits(model.NextTokenLogits(batch[i]))))
                            {
                                throw new InvalidOperationException($"Wrong answer for {batch[i]}.");
                            }
                        }
                    }
                }
                catch (Exception e)
                {
                    errors.Enqueue(e);
                }
            })).ToArray();
            foreach (var thread in threads)
            {
                thread.Start();
            }

            foreach (var thread in threads)
            {
                Assert.True(thread.Join(TimeSpan.FromSeconds(60)), "A worker thread did not finish within 60 s.");
            }

            Assert.Empty(errors);
            Assert.Equal(requested.Count, a.Count);

            // Within the instance with the memory layer, a prefix reaches its inner oracle at most once.
            Assert.Equal(spyA.Asked.Count, spyA.Asked.Distinct().Count());

            // Every stored prefix was requested and paid for by some instance, and nothing requested is missing.
            var paid = spyA.Asked.Concat(spyB.Asked).ToHashSet();
            Assert.Equal(requested.Keys.ToHashSet(), paid);
            Assert.Equal(a.Misses + b.Misses, spyA.Asked.Count + spyB.Asked.Count);
        }

        var entries = new SqliteQueryCache(path, new ModelOracle(model), TestModels.IsanIdentity).ReadEntriesAndDispose();
        Assert.Equal(requested.Count, entries.Count);
        foreach (var (prefix, logits) in entries)
        {
            Assert.True(requested.ContainsKey(prefix));
            Assert.Equal(TestModels.Bits(model.NextTokenLogits(prefix)), TestModels.Bits(logits));
        }
    }

    [Fact]
    public void Two_instances_creating_the_same_new_file_at_once_both_succeed()
    {
        using var dir = new TempDirectory();
        var path = dir.File("new.db");
        var model = TestModels.Isan();
        var errors = new ConcurrentQueue<Exception>();
        using var start = new Barrier(4);
        var threads = Enumerable.Range(0, 4).Select(t => new Thread(() =>
        {
            try
            {
                start.SignalAndWait(TimeSpan.FromSeconds(10));
                using var cache = new SqliteQueryCache(path, new ModelOracle(model), TestModels.IsanIdentity);
                cache.Query([Prefix.Of(t % 4), Prefix.Empty]);
            }
            catch (Exception e)
            {
                errors.Enqueue(e);
            }
        })).ToArray();
        foreach (var thread in threads)
        {
            thread.Start();
        }

        foreach (var thread in threads)
        {
            Assert.True(thread.Join(TimeSpan.FromSeconds(60)));
        }

        Assert.Empty(errors);
        Assert.Equal(5, SqliteQueryCache.Inspect(path, verifyEntries: true).Entries);
    }

    [Fact]
    public async Task A_different_answer_for_a_stored_prefix_is_a_conflict()
    {
        using var dir = new TempDirectory();
        var path = dir.File("conflict.db");
        var first = LogitVector.FromLogits([1.0, 0.0, 0.0, 0.0]);
        var second = LogitVector.FromLogits([1.0, 0.0, 0.0, 1e-12]);
        var p = Prefix.Of(1);
        var q = Prefix.Of(2);

        // Instance B reads before A writes (B's memory layer is off, and it has not seen p), then answers differently.
        using var a = new SqliteQueryCache(path, new FunctionOracle(4, 3, _ => first), "noisy");
        using var entered = new ManualResetEventSlim();
        using var gate = new ManualResetEventSlim();
        var bInner = new FunctionOracle(4, 3, _ =>
        {
            entered.Set();
            gate.Wait(TimeSpan.FromSeconds(10));
            return second;
        });
        using var b = new SqliteQueryCache(path, bInner, "noisy", new SqliteQueryCacheOptions { KeepInMemory = false });
        var pending = Task.Run(() => b.Query([q, p]));
        Assert.True(entered.Wait(TimeSpan.FromSeconds(10)), "B did not reach its inner oracle within 10 s.");
        a.Query([p]);
        gate.Set();
        var conflict = await Assert.ThrowsAsync<CacheConflictException>(() => pending.WaitAsync(TimeSpan.FromSeconds(20)));
        Assert.Equal(p, conflict.Prefix);
        Assert.Equal(TestModels.Bits(first), TestModels.Bits(conflict.Stored));
        Assert.Equal(TestModels.Bits(second), TestModels.Bits(conflict.Answered));
        Assert.Contains($"max |difference| = {first.MaxAbsDifference(second):R}", conflict.Message, StringComparison.Ordinal);
        Assert.Contains(p.ToString(), conflict.Message, StringComparison.Ordinal);

        // The non-conflicting answer of the same batch was stored (it was paid for); the first answer for p stays.
        using var check = new SqliteQueryCache(path, new FunctionOracle(4, 3, _ => throw new InvalidOperationException("not called")), "noisy");
        var answers = check.Query([p, q]);
        Assert.Equal(TestModels.Bits(first), TestModels.Bits(answers[0]));
        Assert.Equal(TestModels.Bits(second), TestModels.Bits(answers[1]));
    }

    [Fact]
    public async Task Keep_stored_policy_returns_the_first_answer()
    {
        using var dir = new TempDirectory();
        var path = dir.File("conflict.db");
        var first = LogitVector.FromLogits([1.0, 0.0, 0.0, 0.0]);
        var second = LogitVector.FromLogits([0.0, 1.0, 0.0, 0.0]);
        var p = Prefix.Of(1);
        using var a = new SqliteQueryCache(path, new FunctionOracle(4, 3, _ => first), "noisy");
        using var entered = new ManualResetEventSlim();
        using var gate = new ManualResetEventSlim();
        var bInner = new FunctionOracle(4, 3, _ =>
        {
            entered.Set();
            gate.Wait(TimeSpan.FromSeconds(10));
            return second;
        });
        using var b = new SqliteQueryCache(path, bInner, "noisy", new SqliteQueryCacheOptions { KeepInMemory = false, OnConflict = ConflictPolicy.KeepStored });
        var pending = Task.Run(() => b.Query([p]));
        Assert.True(entered.Wait(TimeSpan.FromSeconds(10)), "B did not reach its inner oracle within 10 s.");
        a.Query([p]);
        gate.Set();
        var answers = await pending.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(TestModels.Bits(first), TestModels.Bits(answers[0]));
    }
}

internal static class CacheTestExtensions
{
    public static IReadOnlyList<KeyValuePair<Prefix, LogitVector>> ReadEntriesAndDispose(this SqliteQueryCache cache)
    {
        using (cache)
        {
            return cache.ReadEntries();
        }
    }
}
