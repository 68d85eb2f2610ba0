using LogitRank.Certification;
using LogitRank.Learning;
using LogitRank.Models;
using LogitRank.Numerics;
using LogitRank.Oracles;
using LogitRank.Sequences;

namespace LogitRank.Tests.Mutation;

/// <summary>
/// What <see cref="LogitRankPipeline.LearnAndCertify"/> promises beyond its callees (argument names, options checked
/// before any query, the documented hold-out seed, the query split), and cancellation inside
/// <see cref="HoldoutCertifier.Certify"/> (proofs-notes/mutation.md).
/// </summary>
public class PipelineMutationTests
{
    private static readonly PracticalSchedule Schedule = new() { MaxEpochs = 30, ValidationSamples = 32, SpannerSampleCount = 24, WitnessThreshold = 1e-6 };

    private static TimeVaryingIsan Target() => TimeVaryingIsan.Random(3, 6, 2, seed: 9);

    [Fact]
    public void Null_arguments_are_rejected_by_name()
    {
        var oracle = new ModelOracle(Target());
        var options = new CertificationOptions();
        Assert.Equal("oracle", Assert.Throws<ArgumentNullException>(() => LogitRankPipeline.LearnAndCertify(null!, Schedule, options, 1)).ParamName);
        Assert.Equal("schedule", Assert.Throws<ArgumentNullException>(() => LogitRankPipeline.LearnAndCertify(oracle, null!, options, 1)).ParamName);
        Assert.Equal("options", Assert.Throws<ArgumentNullException>(() => LogitRankPipeline.LearnAndCertify(oracle, Schedule, null!, 1)).ParamName);
    }

    [Fact]
    public void Bad_certification_options_are_rejected_before_any_query_is_paid()
    {
        var counting = new CountingOracle(new ModelOracle(Target()));
        Assert.Throws<ArgumentOutOfRangeException>(() => LogitRankPipeline.LearnAndCertify(counting, Schedule, new CertificationOptions { HoldoutSamples = 0 }, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => LogitRankPipeline.LearnAndCertify(counting, Schedule, new CertificationOptions { Delta = 1.5 }, 1));
        Assert.Equal(0, counting.Counts.Total);
    }

    [Fact]
    public void The_holdout_uses_the_documented_seed_and_pays_only_new_queries()
    {
        const int seed = 4;
        var options = new CertificationOptions { HoldoutSamples = 200, Delta = 0.1 };
        var result = LogitRankPipeline.LearnAndCertify(new ModelOracle(Target()), Schedule, options, seed);

        // The same steps by hand: the learner with the seed, then the certifier with seed ^ 0x5EED behind one cache.
        var paid = new CountingOracle(new ModelOracle(Target()));
        var shared = new CachingOracle(paid);
        var learned = new LogitRankLearner().Learn(shared, Schedule, seed);
        var learnerPaid = paid.Counts.Total;
        var holdout = HoldoutCertifier.Certify(shared, learned.Model, learned.Model.LogitBound, new HoldoutOptions { Samples = 200, Delta = 0.1, Seed = seed ^ 0x5EED });

        Assert.Equal(seed ^ 0x5EED, result.Certificate.APosteriori.Seed);
        Assert.Equal(holdout.TotalVariation, result.Certificate.APosteriori.TotalVariation);
        Assert.Equal(holdout.KullbackLeibler, result.Certificate.APosteriori.KullbackLeibler);
        Assert.Equal(paid.Counts.Total - learnerPaid, result.CertificationQueries);
        Assert.True(result.CertificationQueries > 0, "200 fresh hold-out paths reach prefixes the learner never asked");
        Assert.True(result.CertificationQueries < holdout.Queries, "prefixes the learner already paid for are served by the shared cache");
        Assert.Equal(learned.Report, result.Report);
    }

    [Fact]
    public void Certification_stops_between_samples_when_cancelled()
    {
        var target = Target();
        using var cts = new CancellationTokenSource();
        // The learned model cancels the token the first time it is evaluated, i.e. inside the first hold-out sample;
        // the sampling through the oracle is already done by then, so only the per-sample check can stop the run.
        var learned = new CancelOnFirstUse(target, cts);
        Assert.ThrowsAny<OperationCanceledException>(() =>
            HoldoutCertifier.Certify(new ModelOracle(target), learned, 10, new HoldoutOptions { Samples = 20, Seed = 1 }, cts.Token));
        Assert.True(learned.Calls <= target.Horizon, $"{learned.Calls} learned-model evaluations: the certifier went past the first sample after cancellation");
    }

    private sealed class CancelOnFirstUse(ISequenceModel inner, CancellationTokenSource cts) : ISequenceModel
    {
        public int Calls { get; private set; }

        public int AlphabetSize => inner.AlphabetSize;

        public int Horizon => inner.Horizon;

        public LogitVector NextTokenLogits(Prefix prefix)
        {
            Calls++;
            cts.Cancel();
            return inner.NextTokenLogits(prefix);
        }

        public double LogProbability(Prefix sequence) => inner.LogProbability(sequence);

        public Prefix Sample(Random random) => inner.Sample(random);
    }
}
