using LogitRank.Certification;
using LogitRank.Evaluation;
using LogitRank.Learning;
using LogitRank.Numerics;
using LogitRank.Oracles;
using LogitRank.Sequences;

namespace LogitRank.Http.Tests;

/// <content>The approximation report of completed answers, and the certificate it feeds (proofs-notes/oracle-approximation.md).</content>
public sealed partial class OpenAiCompletionsOracleTests
{
    [Fact(Timeout = TestTimeout)]
    public async Task Filled_tokens_are_recorded_per_answer_and_inferred_for_answers_from_elsewhere()
    {
        using var server = new FakeCompletionsServer(Model, Ids, Bos, faults: (_, _) => Fault.Truncated(2));
        using (var exact = new OpenAiCompletionsOracle(Options(server, new())))
        {
            Assert.False(exact.MayApproximate);
            Assert.Empty(exact.FilledTokens(Prefix.Empty, Model.NextTokenLogits(Prefix.Empty)));
        }

        using var oracle = new OpenAiCompletionsOracle(Options(server, new()) with { MissingTokens = MissingTokenPolicy.FloorAtMinimum });
        Assert.True(oracle.MayApproximate);
        var prefixes = AllPrefixes(1);
        var answers = await oracle.QueryAsync(prefixes);
        var maxFilled = 0.0;
        for (var i = 0; i < prefixes.Count; i++)
        {
            var logp = Model.NextTokenLogits(prefixes[i]).LogProbabilities();
            var missing = Enumerable.Range(0, K).OrderBy(a => logp[a]).Take(2).Order().ToArray();
            Assert.Equal(missing, oracle.FilledTokens(prefixes[i], answers[i]));
            var q = answers[i].Probabilities();
            maxFilled = Math.Max(maxFilled, missing.Sum(a => q[a]));

            // An answer this oracle did not give here (e.g. the exact one, as if read from another run's cache):
            // every token at its minimum value, which for an exact answer is the single least likely token.
            var foreign = Model.NextTokenLogits(prefixes[i]);
            Assert.Equal([missing.OrderBy(a => logp[a]).First()], oracle.FilledTokens(prefixes[i], foreign));
        }

        Assert.Equal(prefixes.Count, oracle.ApproximatedAnswers);
        Assert.Equal(maxFilled, oracle.MaxFilledMass, 12);
        // The completed answer is within TV q(F) <= μ of the server's distribution: the filled mass never exceeds μ.
        Assert.True(oracle.MaxFilledMass <= oracle.Statistics.MaxMissingMass + 1e-12);
    }

    [Fact(Timeout = 60_000)]
    public async Task Floor_completed_answers_are_certified_against_the_server_model_end_to_end()
    {
        // The sweep's case in small: a top-2 server over 4 tokens, completed by the floor rule, learned and certified.
        // The certificate must cover TV to the server's model (Model), not only to the completed answers.
        using var server = new FakeCompletionsServer(Model, Ids, Bos, faults: (_, _) => Fault.Truncated(2));
        using var oracle = new OpenAiCompletionsOracle(Options(server, new()) with { MissingTokens = MissingTokenPolicy.FloorAtMinimum });
        var schedule = new PracticalSchedule { MaxEpochs = 20, ValidationSamples = 16, SpannerSampleCount = 16, WitnessThreshold = 1e-6 };
        var result = await Task.Run(() => LogitRankPipeline.LearnAndCertify(oracle, schedule, new CertificationOptions { HoldoutSamples = 400, Delta = 0.05 }, seed: 3));
        var tv = ExactDivergence.TotalVariation(Model, result.Model);
        var kl = ExactDivergence.KullbackLeibler(Model, result.Model);
        var certificate = result.Certificate;
        Assert.True(certificate.APosteriori.CoversOracleApproximation);
        Assert.True(oracle.ApproximatedAnswers > 0);
        Assert.True(tv <= certificate.APosteriori.TotalVariationUpper, $"exact TV {tv} vs hold-out {certificate.APosteriori.TotalVariationUpper}");
        Assert.True(kl <= certificate.APosteriori.KullbackLeiblerUpper, $"exact KL {kl} vs hold-out {certificate.APosteriori.KullbackLeiblerUpper}");
        Assert.True(tv <= certificate.TotalVariationUpper);
        Assert.Equal(oracle.MaxFilledMass, certificate.APriori.Ledger["oracle-approximation"].Quantity);
        Assert.Equal(T * oracle.MaxFilledMass, certificate.APriori.Ledger["oracle-approximation"].TotalVariation, 12);
        // 2δ when the a priori bound holds, δ when the run did not accept (its TV <= 1 cannot fail).
        Assert.Equal(certificate.APriori.Holds ? 0.1 : 0.05, certificate.TotalVariationBound.FailureProbability, 15);
    }
}
