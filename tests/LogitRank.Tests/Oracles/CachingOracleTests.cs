using System.Collections.Concurrent;
using LogitRank.Models;
using LogitRank.Numerics;
using LogitRank.Oracles;
using LogitRank.Sequences;

namespace LogitRank.Tests.Oracles;

public partial class CachingOracleTests
{
    private static readonly TabularModel Model = TabularModel.Random(3, 5, seed: 11);

    [Fact]
    public void A_repeated_query_returns_the_identical_instance_without_reaching_the_inner_oracle()
    {
        var spy = new SpyOracle(new ModelOracle(Model));
        var cache = spy.Cached();
        var first = cache.Query([Prefix.Of(1, 2), Prefix.Empty]);
        var second = cache.Query([Prefix.Empty, Prefix.Of(1, 2)]);

        Assert.Same(first[0], second[1]);
        Assert.Same(first[1], second[0]);
        Assert.Single(spy.Batches);
        Assert.Equal(1, spy.TimesQueried[Prefix.Of(1, 2)]);
        Assert.Equal(1, spy.TimesQueried[Prefix.Empty]);
        Assert.Equal(Model.NextTokenLogits(Prefix.Of(1, 2)), first[0]);
    }

    [Fact]
    public void Equal_prefixes_built_separately_hit_the_same_entry()
    {
        var spy = new SpyOracle(new ModelOracle(Model));
        var cache = spy.Cached();
        var a = cache.Query(Prefix.Of(0, 1, 2));
        var b = cache.Query(Prefix.Of(0, 1).Append(2));
        Assert.Same(a, b);
        Assert.Equal(1, spy.TotalQueries);
    }

    [Fact]
    public void Only_misses_are_forwarded_once_each_in_one_batch_in_first_occurrence_order()
    {
        var spy = new SpyOracle(new ModelOracle(Model));
        var cache = spy.Cached();
        cache.Query([Prefix.Of(2)], QueryPhase.Sampling);

        var answers = cache.Query([Prefix.Of(1), Prefix.Of(2), Prefix.Of(0, 0), Prefix.Of(1), Prefix.Of(0, 0), Prefix.Empty], QueryPhase.Spanner);

        Assert.Equal(2, spy.Batches.Count);
        var (batch, phase) = spy.Batches[1];
        Assert.Equal([Prefix.Of(1), Prefix.Of(0, 0), Prefix.Empty], batch);
        Assert.Equal(QueryPhase.Spanner, phase);
        Assert.Same(answers[0], answers[3]);
        Assert.Same(answers[2], answers[4]);
        for (var i = 0; i < answers.Count; i++)
        {
            Assert.Equal(Model.NextTokenLogits(new[] { Prefix.Of(1), Prefix.Of(2), Prefix.Of(0, 0), Prefix.Of(1), Prefix.Of(0, 0), Prefix.Empty }[i]), answers[i]);
        }
    }

    [Fact]
    public void A_batch_of_hits_does_not_call_the_inner_oracle()
    {
        var spy = new SpyOracle(new ModelOracle(Model));
        var cache = spy.Cached();
        cache.Query([Prefix.Of(1), Prefix.Of(2)]);
        cache.Query([Prefix.Of(2), Prefix.Of(1), Prefix.Of(2)]);
        cache.Query([]);
        Assert.Single(spy.Batches);
    }

    [Fact]
    public void Statistics_count_entries_hits_and_misses()
    {
        var cache = new ModelOracle(Model).Cached();
        cache.Query([Prefix.Empty, Prefix.Of(1), Prefix.Of(1)]); // 2 misses, 1 in-batch duplicate (hit)
        cache.Query([Prefix.Of(1), Prefix.Of(2)]);              // 1 hit, 1 miss
        Assert.Equal(3, cache.Count);
        Assert.Equal(2, cache.Hits);
        Assert.Equal(3, cache.Misses);
        Assert.Equal(new CacheStatistics(3, 2, 3), cache.Statistics);
    }

    [Fact]
    public void TryGet_reads_without_querying()
    {
        var spy = new SpyOracle(new ModelOracle(Model));
        var cache = spy.Cached();
        Assert.False(cache.TryGet(Prefix.Of(1), out var missing));
        Assert.Null(missing);
        var answer = cache.Query(Prefix.Of(1));
        Assert.True(cache.TryGet(Prefix.Of(1), out var found));
        Assert.Same(answer, found);
        Assert.False(cache.TryGet(Prefix.Empty, out _)); // an interior trie node is not an entry
        Assert.Single(spy.Batches);
    }

    [Fact]
    public void Preloaded_entries_are_served_as_is_and_existing_entries_are_kept()
    {
        var spy = new SpyOracle(new ModelOracle(Model));
        var cache = spy.Cached();
        var seeded = LogitVector.FromLogits([1.0, 2.0, 3.0]); // deliberately not the model's answer
        var other = LogitVector.FromLogits([3.0, 2.0, 1.0]);
        Assert.Equal(2, cache.Preload([new(Prefix.Of(0), seeded), new(Prefix.Empty, other), new(Prefix.Of(0), other)]));

        Assert.Same(seeded, cache.Query(Prefix.Of(0)));
        Assert.Same(other, cache.Query(Prefix.Empty));
        Assert.False(cache.Add(Prefix.Of(0), other));
        Assert.Empty(spy.Batches);
        Assert.Equal(2, cache.Count);
    }

    [Fact]
    public void Add_rejects_a_vector_of_the_wrong_length()
    {
        var cache = new ModelOracle(Model).Cached();
        var ex = Assert.Throws<ArgumentException>(() => cache.Add(Prefix.Of(1), LogitVector.Uniform(4)));
        Assert.Contains("[1]", ex.Message, StringComparison.Ordinal);
        Assert.Contains("k = 3", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Entries_lists_every_stored_answer()
    {
        var cache = new ModelOracle(Model).Cached();
        var answers = cache.Query([Prefix.Of(2, 1), Prefix.Empty, Prefix.Of(0)]);
        var entries = cache.Entries();
        Assert.Equal([Prefix.Empty, Prefix.Of(0), Prefix.Of(2, 1)], entries.Select(e => e.Key));
        Assert.Same(answers[1], entries[0].Value);
        Assert.Same(answers[2], entries[1].Value);
        Assert.Same(answers[0], entries[2].Value);
    }

    [Fact]
    public void A_failed_batch_stores_nothing_and_is_retried_next_time()
    {
        var spy = new SpyOracle(new ModelOracle(Model));
        var fail = true;
        spy.OnQuery = _ =>
        {
            if (fail)
            {
                throw new InvalidOperationException("transient");
            }
        };
        var cache = spy.Cached();
        Assert.Throws<InvalidOperationException>(() => cache.Query([Prefix.Of(1)]));
        Assert.Equal(0, cache.Count);
        Assert.Equal(0, cache.Misses);

        fail = false;
        var answer = cache.Query(Prefix.Of(1));
        Assert.Equal(Model.NextTokenLogits(Prefix.Of(1)), answer);
        Assert.Equal(1, cache.Count);
    }

    [Fact]
    public async Task A_batch_with_a_null_prefix_is_rejected_without_leaving_earlier_prefixes_in_flight()
    {
        // Regression: the null check used to run inside the marking loop, after [1] had been marked in flight; the
        // later query for [1] then waited forever for a fetch that never came.
        var cache = new ModelOracle(Model).Cached();
        var ex = Assert.Throws<ArgumentException>(() => cache.Query([Prefix.Of(1), null!]));
        Assert.Contains("Query 1", ex.Message, StringComparison.Ordinal);
        // A generous timeout turns the former hang into a TimeoutException instead of a stuck test run.
        var answer = await Task.Run(() => cache.Query(Prefix.Of(1))).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(Model.NextTokenLogits(Prefix.Of(1)), answer);
    }

    [Fact]
    public void A_wrong_number_of_inner_answers_is_an_invalid_answer()
    {
        var spy = new SpyOracle(3, 5, batch => [LogitVector.Uniform(3)]);
        var cache = spy.Cached();
        var ex = Assert.Throws<InvalidOracleAnswerException>(() => cache.Query([Prefix.Empty, Prefix.Of(1)]));
        Assert.Equal(AnswerProblem.WrongCount, ex.Problem);
        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public void Concurrent_queries_keep_identity_and_reach_the_inner_oracle_once_per_prefix()
    {
        // 40 fixed prefixes; 400 batches of 8 drawn from them (seeded), run in parallel. The spy spins briefly in
        // each call to widen the window in which two threads miss the same prefix.
        var prefixes = SequenceSpace.AllUpTo(3, 3).Take(40).ToArray();
        var rng = new Random(5);
        var batches = Enumerable.Range(0, 400).Select(_ => Enumerable.Range(0, 8).Select(_ => prefixes[rng.Next(prefixes.Length)]).ToArray()).ToArray();
        var spy = new SpyOracle(new ModelOracle(Model)) { OnQuery = _ => Thread.SpinWait(2000) };
        var cache = spy.Cached();
        var seen = new ConcurrentDictionary<Prefix, LogitVector>();
        var mismatches = 0;

        Parallel.For(0, batches.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 }, b =>
        {
            var answers = cache.Query(batches[b]);
            for (var i = 0; i < answers.Count; i++)
            {
                if (!ReferenceEquals(seen.GetOrAdd(batches[b][i], answers[i]), answers[i]))
                {
                    Interlocked.Increment(ref mismatches);
                }
            }
        });

        Assert.Equal(0, mismatches);
        var distinct = batches.SelectMany(b => b).Distinct().ToArray();
        Assert.Equal(distinct.Length, cache.Count);
        Assert.All(distinct, p => Assert.Equal(1, spy.TimesQueried[p]));
        Assert.Equal(distinct.Length, spy.TotalQueries);
        Assert.Equal(400 * 8, cache.Hits + cache.Misses);
        Assert.All(distinct, p => Assert.Equal(Model.NextTokenLogits(p), seen[p]));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_query_for_a_prefix_in_flight_on_another_thread_waits_for_it_or_refetches_if_that_fails(bool ownerFails)
    {
        // Thread A misses [1] and blocks inside the inner oracle; thread B then asks for [1] and [2]. B forwards only
        // [2] and waits for A's [1]. If A's batch succeeds, B gets A's instance and [1] reached the inner oracle once;
        // if it fails, B fetches [1] itself. The assertions hold whichever thread gets there first, so no timing is
        // asserted; the wait for B's blocked state only makes the interesting interleaving the likely one.
        using var entered = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var spy = new SpyOracle(new ModelOracle(Model));
        var first = 1;
        spy.OnQuery = batch =>
        {
            if (batch.Contains(Prefix.Of(1)) && Interlocked.Exchange(ref first, 0) == 1)
            {
                entered.Set();
                release.Wait();
                if (ownerFails)
                {
                    throw new InvalidOperationException("owner failed");
                }
            }
        };
        var cache = spy.Cached();
        LogitVector? fromA = null;
        Exception? errorA = null;
        IReadOnlyList<LogitVector>? fromB = null;
        var a = new Thread(() =>
        {
            try
            {
                fromA = cache.Query(Prefix.Of(1));
            }
            catch (InvalidOperationException ex)
            {
                errorA = ex;
            }
        });
        var b = new Thread(() => fromB = cache.Query([Prefix.Of(2), Prefix.Of(1)]));
        a.Start();
        entered.Wait();
        b.Start();
        SpinWait.SpinUntil(() => (b.ThreadState & ThreadState.WaitSleepJoin) != 0, TimeSpan.FromSeconds(5));
        release.Set();
        a.Join();
        b.Join();

        Assert.NotNull(fromB);
        Assert.Equal(Model.NextTokenLogits(Prefix.Of(1)), fromB[1]);
        Assert.Equal(Model.NextTokenLogits(Prefix.Of(2)), fromB[0]);
        Assert.Equal(2, cache.Count);
        if (ownerFails)
        {
            Assert.NotNull(errorA);
            Assert.Equal(2, spy.TimesQueried[Prefix.Of(1)]);
        }
        else
        {
            Assert.Null(errorA);
            Assert.Same(fromA, fromB[1]);
            Assert.Equal(1, spy.TimesQueried[Prefix.Of(1)]);
        }

        Assert.Equal(1, spy.TimesQueried[Prefix.Of(2)]);
    }

    [Fact]
    public void Counts_pinned_for_seeded_sampling_through_a_cache()
    {
        // Sampling 10 sequences of length 5 from a seeded rank-2 ISAN over k = 3, T = 6. The outer counter sees every
        // requested prefix (10 per step, 5 steps); the inner counter sees each distinct prefix once. The distinct count
        // is recomputed here from the sampled sequences (all their prefixes of length 0..4), and also pinned as a
        // literal so that a change in the sampler's use of the random stream is noticed.
        var model = TimeVaryingIsan.Random(3, 6, 2, seed: 1);
        var inner = new ModelOracle(model).Counting();
        var outer = inner.Cached().Counting();

        var samples = OracleSampler.Sample(outer, 10, 5, new Random(42));

        var distinct = samples.SelectMany(s => Enumerable.Range(0, 5).Select(s.Take)).Distinct().Count();
        Assert.Equal(50, outer.Counts[QueryPhase.Sampling]);
        Assert.Equal(5, outer.Counts.Batches);
        Assert.Equal(distinct, inner.Counts[QueryPhase.Sampling]);
        Assert.Equal(inner.Counts.Total, inner.Counts[QueryPhase.Sampling]);
        Assert.Equal(5, inner.Counts.Batches); // every step has at least one new prefix here
        Assert.Equal(PinnedDistinctPrefixes, distinct);
    }

    private const int PinnedDistinctPrefixes = 30;
}
