using LogitRank.Models;
using LogitRank.Numerics;
using LogitRank.Oracles;
using LogitRank.Sequences;
using LogitRank.Tests.Oracles;

namespace LogitRank.Tests.Oracles;

/// <summary>
/// The waiting paths of <see cref="CachingOracle"/>, made deterministic with gated inner
/// oracles instead of sleeps: thread A's batch blocks inside the inner oracle until an event is set, and the calling
/// thread's own batch is arranged so that its waits are registered before A can finish (the inner oracle releases A only
/// when it sees the caller's own forwarded prefix, which the caller forwards after registering every wait). The timeouts
/// are hang guards only: the original code never reaches them.
/// </summary>
public partial class CachingOracleTests
{
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(30);
    private static readonly TabularModel WaitingModel = TabularModel.Random(3, 5, seed: 11);

    /// <summary>
    /// Two prefixes of one batch in flight on another thread: the batch waits for both and gets both of A's instances
    /// (every wait is kept, not only the last one registered), each prefix reaching the inner oracle once.
    /// </summary>
    [Fact]
    public async Task A_batch_waits_for_every_prefix_another_thread_is_fetching()
    {
        using var aEntered = new ManualResetEventSlim();
        using var releaseA = new ManualResetEventSlim();
        var spy = new SpyOracle(new ModelOracle(WaitingModel))
        {
            OnQuery = batch =>
            {
                if (batch.Contains(Prefix.Of(1)))
                {
                    aEntered.Set();
                    Assert.True(releaseA.Wait(HangGuard));
                }
                else if (batch.Contains(Prefix.Of(0)))
                {
                    releaseA.Set();
                }
            },
        };
        var cache = spy.Cached();
        var a = Task.Run(() => cache.Query([Prefix.Of(1), Prefix.Of(2)]));
        Assert.True(aEntered.Wait(HangGuard));

        var b = cache.Query([Prefix.Of(1), Prefix.Of(2), Prefix.Of(0)]);

        var fromA = await a.WaitAsync(HangGuard);
        Assert.Same(fromA[0], b[0]);
        Assert.Same(fromA[1], b[1]);
        Assert.Equal(WaitingModel.NextTokenLogits(Prefix.Of(0)), b[2]);
        Assert.Equal(1, spy.TimesQueried[Prefix.Of(1)]);
        Assert.Equal(1, spy.TimesQueried[Prefix.Of(2)]);
        Assert.Equal(new CacheStatistics(3, 2, 3), cache.Statistics);
    }

    /// <summary>
    /// Two waited-for prefixes whose fetching batch fails: the waiting batch fetches both itself (every failed wait is
    /// retried, not only the last one), so each reached the inner oracle twice and the answers are the model's.
    /// </summary>
    [Fact]
    public async Task A_batch_refetches_every_prefix_whose_fetch_failed_on_another_thread()
    {
        using var aEntered = new ManualResetEventSlim();
        using var releaseA = new ManualResetEventSlim();
        var first = 1;
        var spy = new SpyOracle(new ModelOracle(WaitingModel))
        {
            OnQuery = batch =>
            {
                if (batch.Contains(Prefix.Of(1)) && Interlocked.Exchange(ref first, 0) == 1)
                {
                    aEntered.Set();
                    Assert.True(releaseA.Wait(HangGuard));
                    throw new InvalidOperationException("A's batch fails");
                }

                if (batch.Contains(Prefix.Of(0)))
                {
                    releaseA.Set();
                }
            },
        };
        var cache = spy.Cached();
        var a = Task.Run(() => cache.Query([Prefix.Of(1), Prefix.Of(2)]));
        Assert.True(aEntered.Wait(HangGuard));

        var b = cache.Query([Prefix.Of(1), Prefix.Of(2), Prefix.Of(0)]);

        await Assert.ThrowsAsync<InvalidOperationException>(() => a.WaitAsync(HangGuard));
        Assert.Equal(WaitingModel.NextTokenLogits(Prefix.Of(1)), b[0]);
        Assert.Equal(WaitingModel.NextTokenLogits(Prefix.Of(2)), b[1]);
        Assert.Equal(WaitingModel.NextTokenLogits(Prefix.Of(0)), b[2]);
        Assert.Equal(2, spy.TimesQueried[Prefix.Of(1)]);
        Assert.Equal(2, spy.TimesQueried[Prefix.Of(2)]);
        Assert.Equal(3, cache.Count);
    }

    /// <summary>
    /// A cancelled caller waiting for a prefix in flight elsewhere stops waiting: it throws
    /// <see cref="OperationCanceledException"/> while A is still blocked, instead of blocking until A's answer arrives.
    /// A then completes normally and its answer is stored.
    /// </summary>
    [Fact]
    public async Task A_cancelled_caller_stops_waiting_for_a_prefix_in_flight_elsewhere()
    {
        using var aEntered = new ManualResetEventSlim();
        using var releaseA = new ManualResetEventSlim();
        var spy = new SpyOracle(new ModelOracle(WaitingModel))
        {
            OnQuery = _ =>
            {
                aEntered.Set();
                Assert.True(releaseA.Wait(HangGuard));
            },
        };
        var cache = spy.Cached();
        var a = Task.Run(() => cache.Query([Prefix.Of(1)]));
        Assert.True(aEntered.Wait(HangGuard));
        using var cancellation = new CancellationTokenSource();
        cancellation.Cancel();

        var b = Task.Run(() => cache.Query([Prefix.Of(1)], QueryPhase.Other, cancellation.Token));
        var bError = await Record.ExceptionAsync(() => b.WaitAsync(HangGuard)); // a TimeoutException if B kept waiting
        var aStillBlocked = !a.IsCompleted;
        releaseA.Set();

        Assert.IsAssignableFrom<OperationCanceledException>(bError);
        Assert.True(aStillBlocked);
        var fromA = await a.WaitAsync(HangGuard);
        Assert.True(cache.TryGet(Prefix.Of(1), out var stored));
        Assert.Same(fromA[0], stored);
        Assert.Equal(1, spy.TimesQueried[Prefix.Of(1)]);
    }

    /// <summary>An inner answer of the wrong length is rejected by name (prefix, index, lengths) and nothing is stored.</summary>
    [Fact]
    public void An_inner_answer_of_the_wrong_length_is_an_invalid_answer()
    {
        var spy = new SpyOracle(3, 5, batch => batch.Select(_ => LogitVector.Uniform(2)).ToArray());
        var cache = spy.Cached();
        var e = Assert.Throws<InvalidOracleAnswerException>(() => cache.Query([Prefix.Of(2), Prefix.Of(1)]));
        Assert.Equal(AnswerProblem.WrongLength, e.Problem);
        Assert.Equal(Prefix.Of(2), e.Prefix);
        Assert.Equal(0, e.BatchIndex);
        Assert.Equal((3, 2), (e.Expected, e.Actual));
        Assert.Equal(0, cache.Count);
    }
}
