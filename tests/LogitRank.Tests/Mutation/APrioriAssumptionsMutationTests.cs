using LogitRank.Certification;
using LogitRank.Learning;
using LogitRank.Models;
using LogitRank.Oracles;

namespace LogitRank.Tests.Mutation;

/// <summary>
/// The branches of <see cref="APrioriCertificate.Build(LogitRank.Learning.LearnedModel, LogitRank.Learning.LearningReport, LogitRank.Learning.ILearningSchedule, double, double)"/> that the ledger test does not reach: a theory schedule, a run
/// with options outside the analysis, a run that did not accept, and the explanation of every ledger term
/// (proofs-notes/mutation.md). The report of one small practical run is reused and edited with <c>with</c>: the
/// certificate reads only the report's fields, so an edited report exercises each branch without another run.
/// </summary>
public class APrioriAssumptionsMutationTests
{
    private static readonly PracticalSchedule Schedule = new() { MaxEpochs = 30, ValidationSamples = 32, SpannerSampleCount = 24, WitnessThreshold = 1e-6 };

    private static readonly Lazy<LearningResult> Learned = new(() =>
        new LogitRankLearner().Learn(new ModelOracle(TimeVaryingIsan.Random(2, 5, 2, seed: 9)), Schedule, seed: 3));

    [Fact]
    public void A_theory_schedule_adds_its_target_epsilon_and_its_rank_assumption()
    {
        var learned = Learned.Value;
        var theory = TheorySchedule.FromTargets(epsilon: 0.25, delta: 0.1, horizon: 5, rank: 2, alpha: 1.5, alphabetSize: 2);
        var certificate = APrioriCertificate.Build(learned.Model, learned.Report, theory, 0.1);

        Assert.Equal(0.25, certificate.TargetEpsilon);
        var rank = Assert.Single(certificate.Assumptions, a => a.StartsWith("Acceptance within K = ", StringComparison.Ordinal));
        Assert.Contains($"K = {theory.EpochCount} epochs", rank, StringComparison.Ordinal);
        Assert.Contains("d = 2", rank, StringComparison.Ordinal);
        Assert.Contains("α = 1.5", rank, StringComparison.Ordinal);
        Assert.Contains($"ξ <= {theory.RequiredOracleAccuracy}", rank, StringComparison.Ordinal);
        Assert.Contains("ε = 0.25", rank, StringComparison.Ordinal);
        Assert.DoesNotContain(certificate.Assumptions, a => a.StartsWith("Practical schedule", StringComparison.Ordinal));
        // The theory schedule's spanner miss mass η is recorded (subsumed, so it costs nothing).
        var spanner = certificate.Ledger["spanner-miss-mass"];
        Assert.Equal(theory.Eta, spanner.Quantity);
        Assert.True(theory.Eta > 0, "η of a theory schedule is positive");
        Assert.Equal(0, spanner.TotalVariation);
    }

    [Fact]
    public void Options_outside_the_analysis_are_named_in_the_assumptions()
    {
        var learned = Learned.Value;
        var plain = APrioriCertificate.Build(learned.Model, learned.Report, Schedule, 0.1);
        Assert.DoesNotContain(plain.Assumptions, a => a.StartsWith("Options outside the analysis", StringComparison.Ordinal));

        var outside = learned.Report with { OutsideAnalysis = true, OutsideAnalysisReasons = ["first reason", "second reason"] };
        var certificate = APrioriCertificate.Build(learned.Model, outside, Schedule, 0.1);
        var line = Assert.Single(certificate.Assumptions, a => a.StartsWith("Options outside the analysis were used: ", StringComparison.Ordinal));
        Assert.Contains("first reason; second reason", line, StringComparison.Ordinal);
        Assert.EndsWith("The validation bound still holds for the returned model.", line, StringComparison.Ordinal);
        Assert.True(certificate.Holds, "options outside the analysis do not void an accepted run's bound");
    }

    [Fact]
    public void A_run_that_did_not_accept_has_trivial_bounds_even_when_its_ledger_is_small()
    {
        var learned = Learned.Value;
        var rejected = learned.Report with { Accepted = false };
        var certificate = APrioriCertificate.Build(learned.Model, rejected, Schedule, 0.1);

        Assert.False(certificate.Holds);
        // The ledger is the same as for the accepted run (T·ln(K/δ)/n = 5·ln(300)/32 ≈ 0.89 plus tiny terms, below 1),
        // so only the Holds branch can make the TV bound 1.
        Assert.True(certificate.Ledger.TotalVariation < 0.95, $"ledger TV {certificate.Ledger.TotalVariation} is below 1");
        Assert.Equal(1.0, certificate.TotalVariation);
        Assert.Equal(double.PositiveInfinity, certificate.KullbackLeibler);
        Assert.Contains(certificate.Assumptions, a => a == "The run did not accept an epoch: no a priori bound applies (TV <= 1 trivially).");
    }

    [Fact]
    public void Every_ledger_term_explains_itself_and_the_fixed_assumptions_are_stated()
    {
        var learned = Learned.Value;
        var certificate = APrioriCertificate.Build(learned.Model, learned.Report, Schedule, 0.1, oracleAccuracy: 0.01);
        var expected = new Dictionary<string, string>
        {
            ["witness-threshold"] = "Every checked residual is at most g",
            ["oracle-accuracy"] = "Queries are within ξ",
            ["validation-miss-mass"] = $"Acceptance after n = {Schedule.ValidationSamples} passing samples",
            ["floating-point"] = "Rounding in the residual check",
            ["lp-residual"] = "Subsumed: the witness check measures the residuals",
            ["spanner-miss-mass"] = "Subsumed by the validation miss mass: an uncovered history",
            ["infeasible-lp-mass"] = "Subsumed by the validation miss mass: an infeasible LP",
            ["oracle-approximation"] = "Every answer is the oracle's model's own",
        };
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), certificate.Ledger.Terms.Select(t => t.Name).Order(StringComparer.Ordinal));
        foreach (var (name, phrase) in expected)
        {
            Assert.StartsWith(phrase, certificate.Ledger[name].Explanation, StringComparison.Ordinal);
        }

        Assert.Contains($"K = {Schedule.MaxEpochs} epochs", certificate.Ledger["validation-miss-mass"].Explanation, StringComparison.Ordinal);
        Assert.Equal(
            ["The oracle is fixed (cached) and within ξ = 0.01 of the target in every coordinate.",
             "The validation samples of each epoch are fresh draws from the target, independent of that epoch's bases.",
             "Practical schedule: nothing guarantees acceptance; when it happens, the bound above holds without a rank assumption."],
            certificate.Assumptions);
    }
}
