using LogitRank.Numerics;
using LogitRank.Learning;
using LogitRank.Models;
using LogitRank.Oracles;
using LogitRank.Sequences;

namespace LogitRank.Tests.Learning;

/// <summary>
/// The wall-time phases of <see cref="PhaseTimes"/> are disjoint intervals inside the whole run, each of which is
/// timed when it runs.
/// </summary>
public partial class LearnerTests
{
    private static readonly PracticalSchedule PhaseSchedule = new() { MaxEpochs = 1, ValidationSamples = 12, SpannerSampleCount = 8, WitnessThreshold = 1e-6, LpRelativeTolerance = 100 };

    [Fact]
    public void Phase_times_are_positive_and_sum_to_at_most_the_total()
    {
        var times = new LogitRankLearner().Learn(new ModelOracle(TimeVaryingIsan.Random(2, 5, 2, seed: 4)), PhaseSchedule with { MaxEpochs = 2 }, 1).Report.WallTime;
        Assert.True(times.Sampling > TimeSpan.Zero, $"sampling {times.Sampling}");
        Assert.True(times.Spanner > TimeSpan.Zero, $"spanner {times.Spanner}");
        Assert.True(times.Reconstruction > TimeSpan.Zero, $"reconstruction {times.Reconstruction}");
        Assert.True(times.WitnessSearch > TimeSpan.Zero, $"witness search {times.WitnessSearch}");

        // The phases never overlap and all lie inside the run's own stopwatch interval; each TimeSpan is rounded to
        // 100 ns from the raw timestamps, hence the 1 µs allowance.
        var sum = times.Sampling + times.Spanner + times.Reconstruction + times.WitnessSearch;
        Assert.True(sum <= times.Total + TimeSpan.FromMicroseconds(1), $"phases sum to {sum}, more than the total {times.Total}");
    }

    /// <summary>
    /// Every oracle call lies inside the wall-time phase it belongs to: the spanner-sample and validation-sample draws
    /// (tagged <see cref="QueryPhase.Sampling"/>) inside <see cref="PhaseTimes.Sampling"/>, the row queries of cut 0 and
    /// of cuts 1..T-2 (tagged <see cref="QueryPhase.Spanner"/>) inside <see cref="PhaseTimes.Spanner"/>. The oracle sleeps
    /// in every such call and measures each call with its own stopwatch; since the learner's stopwatch of a phase
    /// runs across the whole call, the phase can be no shorter than the sum of the measured calls. A phase interval
    /// that is not timed (its <c>Start</c> missing) loses at least one 100 ms sleep, far more than the tiny problem's
    /// computation that the phase still times, so the check fails.
    /// </summary>
    [Fact]
    public void Each_phase_times_every_oracle_call_made_in_it()
    {
        var oracle = new DelayingOracle(new ModelOracle(TabularModel.Random(3, 6, 3, scale: 1.0)), TimeSpan.FromMilliseconds(100));
        var times = new LogitRankLearner().Learn(oracle, PhaseSchedule, 3).Report.WallTime;

        // Both phases made calls in both of their intervals (cut 0 and cuts 1..T-2; spanner samples and validation samples).
        Assert.True(oracle.Calls[QueryPhase.Spanner] >= 2, $"spanner calls {oracle.Calls[QueryPhase.Spanner]}");
        Assert.True(oracle.Calls[QueryPhase.Sampling] >= 2, $"sampling calls {oracle.Calls[QueryPhase.Sampling]}");
        Assert.True(times.Spanner >= oracle.Measured[QueryPhase.Spanner], $"spanner phase {times.Spanner} is shorter than its oracle calls {oracle.Measured[QueryPhase.Spanner]}");
        Assert.True(times.Sampling >= oracle.Measured[QueryPhase.Sampling], $"sampling phase {times.Sampling} is shorter than its oracle calls {oracle.Measured[QueryPhase.Sampling]}");
    }

    /// <summary>Forwards to <paramref name="inner"/>; sleeps in every Sampling and Spanner call and adds up each call's measured duration per phase.</summary>
    private sealed class DelayingOracle(ILogitOracle inner, TimeSpan delay) : ILogitOracle
    {
        public Dictionary<QueryPhase, TimeSpan> Measured { get; } = new() { [QueryPhase.Sampling] = TimeSpan.Zero, [QueryPhase.Spanner] = TimeSpan.Zero };

        public Dictionary<QueryPhase, int> Calls { get; } = new() { [QueryPhase.Sampling] = 0, [QueryPhase.Spanner] = 0 };

        public int AlphabetSize => inner.AlphabetSize;

        public int Horizon => inner.Horizon;

        public IReadOnlyList<LogitVector> Query(IReadOnlyList<Prefix> prefixes, QueryPhase phase = QueryPhase.Other, CancellationToken cancellationToken = default)
        {
            if (!Measured.ContainsKey(phase))
            {
                return inner.Query(prefixes, phase, cancellationToken);
            }

            var watch = System.Diagnostics.Stopwatch.StartNew();
            Thread.Sleep(delay);
            var answer = inner.Query(prefixes, phase, cancellationToken);
            watch.Stop();
            Measured[phase] += watch.Elapsed;
            Calls[phase]++;
            return answer;
        }
    }
}
