using LogitRank.Certification;
using LogitRank.Learning;
using LogitRank.Models;
using LogitRank.Oracles;

namespace LogitRank.Tests.Mutation;

/// <summary>
/// The branches of <see cref="APrioriCertificate"/> that a plain practical run does not reach
/// (proofs-notes/mutation.md): trivial bounds for a run that did not accept whatever its ledger says, the
/// <see cref="TheorySchedule"/> additions (target ε, rank assumption, spanner miss mass η), and the naming of
/// options outside the analysis.
/// </summary>
public class APrioriCertificateMutationTests
{
    private static readonly PracticalSchedule Schedule = new() { MaxEpochs = 2, ValidationSamples = 12, SpannerSampleCount = 8 };

    private static readonly Lazy<LearningResult> Run = new(() => new LogitRankLearner().Learn(new ModelOracle(TimeVaryingIsan.Random(2, 5, 2, seed: 9)), Schedule, seed: 3));

    [Fact]
    public void Without_acceptance_the_bounds_are_trivial_whatever_the_ledger_says()
    {
        var ledger = new ErrorLedger([new LedgerTerm("a", 0, 0.2, 0.5, "")]);
        var rejected = new APrioriCertificate(false, 0.1, ledger, [], null);
        Assert.Equal(1.0, rejected.TotalVariation);
        Assert.Equal(double.PositiveInfinity, rejected.KullbackLeibler);

        var accepted = rejected with { Holds = true };
        Assert.Equal(0.2, accepted.TotalVariation);
        Assert.Equal(0.5, accepted.KullbackLeibler);
    }

    [Fact]
    public void A_theory_schedule_adds_its_epsilon_its_rank_assumption_and_its_spanner_miss_mass()
    {
        var result = Run.Value;
        var theory = TheorySchedule.FromTargets(epsilon: 0.5, delta: 0.1, horizon: 5, rank: 2, alpha: 1.0, alphabetSize: 2);
        var certificate = APrioriCertificate.Build(result.Model, result.Report, theory, delta: 0.1);
        Assert.Equal(theory.Epsilon, certificate.TargetEpsilon);
        Assert.Contains(certificate.Assumptions, a => a.Contains($"logit rank <= d = {theory.Rank}", StringComparison.Ordinal) && a.Contains($"TV <= ε = {theory.Epsilon}", StringComparison.Ordinal));
        Assert.DoesNotContain(certificate.Assumptions, a => a.StartsWith("Practical schedule", StringComparison.Ordinal));
        Assert.Equal(theory.Eta, certificate.Ledger["spanner-miss-mass"].Quantity);

        var practical = APrioriCertificate.Build(result.Model, result.Report, Schedule, delta: 0.1);
        Assert.Null(practical.TargetEpsilon);
        Assert.Contains(practical.Assumptions, a => a.StartsWith("Practical schedule: nothing guarantees acceptance", StringComparison.Ordinal));
        Assert.Equal(0.0, practical.Ledger["spanner-miss-mass"].Quantity);
    }

    [Fact]
    public void Options_outside_the_analysis_are_named_in_the_assumptions()
    {
        var result = Run.Value;
        var plain = APrioriCertificate.Build(result.Model, result.Report, Schedule, delta: 0.1);
        Assert.DoesNotContain(plain.Assumptions, a => a.Contains("outside the analysis", StringComparison.Ordinal));

        var outside = result.Report with { OutsideAnalysis = true, OutsideAnalysisReasons = ["reason one", "reason two"] };
        var certificate = APrioriCertificate.Build(result.Model, outside, Schedule, delta: 0.1);
        Assert.Contains("Options outside the analysis were used: reason one; reason two. The validation bound still holds for the returned model.", certificate.Assumptions);
        Assert.Equal(plain.Assumptions.Count + 1, certificate.Assumptions.Count);
    }

    /// <summary>
    /// Each ledger term and each standing assumption explains itself in words that name its quantity (the texts are
    /// part of the certificate a user reads; an empty or swapped explanation would go unnoticed otherwise).
    /// </summary>
    [Fact]
    public void Every_ledger_term_and_assumption_explains_its_quantity()
    {
        var result = Run.Value;
        var certificate = APrioriCertificate.Build(result.Model, result.Report, Schedule, delta: 0.1, oracleAccuracy: 0.001);
        (string Term, string Phrase)[] expected =
        [
            ("witness-threshold", "||ℓ̂ - ℓ||_∞ <= (t-1)g"),
            ("oracle-accuracy", "within 2βmξ of the true one"),
            ("validation-miss-mass", $"n = {Schedule.ValidationSamples} passing samples"),
            ("validation-miss-mass", $"K = {Schedule.MaxEpochs} epochs"),
            ("floating-point", "64 ulps of (2βm+1)·max(1, B)"),
            ("lp-residual", "LP residual included"),
            ("spanner-miss-mass", "an uncovered history"),
            ("infeasible-lp-mass", "an infeasible LP on a validation path"),
        ];
        foreach (var (term, phrase) in expected)
        {
            Assert.Contains(phrase, certificate.Ledger[term].Explanation, StringComparison.Ordinal);
        }

        Assert.Contains(certificate.Assumptions, a => a.StartsWith("The oracle is fixed (cached) and within ξ = 0.001", StringComparison.Ordinal));
        Assert.Contains(certificate.Assumptions, a => a.Contains("fresh draws from the target", StringComparison.Ordinal));
    }
}
