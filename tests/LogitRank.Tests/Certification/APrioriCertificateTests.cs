using LogitRank.Certification;
using LogitRank.Learning;
using LogitRank.Models;
using LogitRank.Oracles;

namespace LogitRank.Tests.Certification;

/// <summary>
/// <see cref="APrioriCertificate.Build(LogitRank.Learning.LearnedModel, LogitRank.Learning.LearningReport, LogitRank.Learning.ILearningSchedule, double, double)"/>
/// (proofs-notes/validation-bound.md): the ledger terms against values computed by hand for a small case, a theory
/// schedule, a run with options outside the analysis, a run that did not accept, and the explanation of every ledger
/// term. The report of one small practical run is reused and edited with <c>with</c>: the certificate reads only the
/// report's fields (and the model's k, T and logit bound), so an edited report exercises each case without another run.
/// </summary>
public partial class APrioriCertificateTests
{
    private static readonly PracticalSchedule Schedule = new() { MaxEpochs = 30, ValidationSamples = 32, SpannerSampleCount = 24, WitnessThreshold = 1e-6 };

    private static readonly Lazy<LearningResult> Learned = new(() =>
        new LogitRankLearner().Learn(new ModelOracle(TimeVaryingIsan.Random(2, 5, 2, seed: 9)), Schedule, seed: 3));

    [Fact]
    public void A_theory_schedule_adds_its_epsilon_its_rank_assumption_and_its_spanner_miss_mass()
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
        Assert.Contains($"logit rank <= d = {theory.Rank}", rank, StringComparison.Ordinal);
        Assert.Contains($"TV <= ε = {theory.Epsilon}", rank, StringComparison.Ordinal);
        Assert.DoesNotContain(certificate.Assumptions, a => a.StartsWith("Practical schedule", StringComparison.Ordinal));
        // The theory schedule's spanner miss mass η is recorded (subsumed, so it costs nothing).
        var spanner = certificate.Ledger["spanner-miss-mass"];
        Assert.Equal(theory.Eta, spanner.Quantity);
        Assert.True(theory.Eta > 0, "η of a theory schedule is positive");
        Assert.Equal(0, spanner.TotalVariation);

        // The practical schedule of the same run: no target ε, no rank assumption, no spanner miss mass.
        var practical = APrioriCertificate.Build(learned.Model, learned.Report, Schedule, delta: 0.1);
        Assert.Null(practical.TargetEpsilon);
        Assert.Contains(practical.Assumptions, a => a.StartsWith("Practical schedule: nothing guarantees acceptance", StringComparison.Ordinal));
        Assert.Equal(0.0, practical.Ledger["spanner-miss-mass"].Quantity);
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
        Assert.Equal("Options outside the analysis were used: first reason; second reason. The validation bound still holds for the returned model.", line);
        Assert.Equal(plain.Assumptions.Count + 1, certificate.Assumptions.Count);
        Assert.True(certificate.Holds, "options outside the analysis do not void an accepted run's bound");
    }

    [Fact]
    public void Without_acceptance_the_bounds_are_trivial_whatever_the_ledger_says()
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

        // The record itself: the trivial bounds follow from Holds alone, whatever the ledger says.
        var ledger = new ErrorLedger([new LedgerTerm("a", 0, 0.2, 0.5, "")]);
        var record = new APrioriCertificate(false, 0.1, ledger, [], null);
        Assert.Equal(1.0, record.TotalVariation);
        Assert.Equal(double.PositiveInfinity, record.KullbackLeibler);
        var accepted = record with { Holds = true };
        Assert.Equal(0.2, accepted.TotalVariation);
        Assert.Equal(0.5, accepted.KullbackLeibler);
    }

    [Fact]
    public void Every_ledger_term_and_assumption_explains_its_quantity()
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
        (string Term, string Phrase)[] quantities =
        [
            ("witness-threshold", "||ℓ̂ - ℓ||_∞ <= (t-1)g"),
            ("oracle-accuracy", "within 2βmξ of the true one"),
            ("validation-miss-mass", $"n = {Schedule.ValidationSamples} passing samples"),
            ("floating-point", "64 ulps of (2βm+1)·max(1, B)"),
            ("lp-residual", "LP residual included"),
            ("spanner-miss-mass", "an uncovered history"),
            ("infeasible-lp-mass", "an infeasible LP on a validation path"),
        ];
        foreach (var (term, phrase) in quantities)
        {
            Assert.Contains(phrase, certificate.Ledger[term].Explanation, StringComparison.Ordinal);
        }

        Assert.Equal(
            ["The oracle is fixed (cached) and within ξ = 0.01 of the target in every coordinate.",
             "The validation samples of each epoch are fresh draws from the target, independent of that epoch's bases.",
             "Practical schedule: nothing guarantees acceptance; when it happens, the bound above holds without a rank assumption."],
            certificate.Assumptions);
    }

    /// <summary>
    /// The <c>infeasible-lp-mass</c> term records the infeasible LPs of the last epoch, the one whose bases the model
    /// keeps (earlier epochs' counts do not matter). An accepted run usually ends with none, so the report's last
    /// epoch is given 7 and an earlier one 5: the term must read 7.
    /// </summary>
    [Fact]
    public void The_infeasible_lp_term_counts_the_last_epoch()
    {
        var learned = Learned.Value;
        var epochs = learned.Report.Epochs;
        Assert.True(epochs.Count >= 2, "the run takes more than one epoch");
        var report = learned.Report with { Epochs = [epochs[0] with { InfeasibleLps = 5 }, .. epochs.Skip(1).SkipLast(1), epochs[^1] with { InfeasibleLps = 7 }] };

        var certificate = APrioriCertificate.Build(learned.Model, report, Schedule, delta: 0.1);

        Assert.Equal(7, certificate.Ledger["infeasible-lp-mass"].Quantity);
        Assert.Equal(0, certificate.Ledger["infeasible-lp-mass"].TotalVariation);
    }

    [Fact]
    public void Oracle_accuracy_and_delta_are_validated()
    {
        var learned = Learned.Value;
        Assert.Throws<ArgumentOutOfRangeException>(() => APrioriCertificate.Build(learned.Model, learned.Report, Schedule, delta: 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => APrioriCertificate.Build(learned.Model, learned.Report, Schedule, delta: double.NaN));
        var inf = Assert.Throws<ArgumentOutOfRangeException>(() => APrioriCertificate.Build(learned.Model, learned.Report, Schedule, delta: 0.1, oracleAccuracy: double.PositiveInfinity));
        Assert.Equal("oracleAccuracy", inf.ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => APrioriCertificate.Build(learned.Model, learned.Report, Schedule, delta: 0.1, oracleAccuracy: double.NaN));
        Assert.Throws<ArgumentNullException>(() => APrioriCertificate.Build(null!, learned.Report, Schedule, 0.1));
        Assert.Throws<ArgumentNullException>(() => APrioriCertificate.Build(learned.Model, null!, Schedule, 0.1));
        Assert.Throws<ArgumentNullException>(() => APrioriCertificate.Build(learned.Model, learned.Report, null!, 0.1));
    }

    /// <summary>
    /// The ledger of a run whose parameters are set to round values (the report edited: T = 5 and k = 2 from the model,
    /// g = 0.01, β = 2, m = 2 rows at every cut, K = 30 epochs, n = 32 validation samples; ξ = 0.001, δ = 0.1), against
    /// values computed independently of the code: with Python's decimal module at 60 digits, from the statement of
    /// proofs-notes/validation-bound.md (e_t = ξ + (t-1)^+(g + 2βmξ) = 0.001, 0.001, 0.019, 0.037, 0.055 and, without ξ,
    /// 0, 0, 0.01, 0.02, 0.03; per step tanh(e/2) and B(2e) with B(R) = ln((e^R - 1)/R) + R/(e^R - 1) - 1; p* = ln(300)/32).
    /// The terms that involve the model's logit bound B̂ are checked through the relations the statement gives them
    /// (a failing step costs at most 2B̂ + ln k of KL; the rounding allowance is 64 ulps of (2βm + 1)·max(1, B̂) and
    /// tiny, where tanh(q/2) = q/2 and B(2q) = q²/2 to far below the tolerance).
    /// </summary>
    [Fact]
    public void Every_term_matches_the_hand_computed_validation_bound_of_a_small_case()
    {
        var learned = Learned.Value;
        Assert.True(learned.Report.Accepted, "an exact-rank ISAN with d = 2 is accepted within 30 epochs");
        Assert.Equal((5, 2), (learned.Model.Horizon, learned.Model.AlphabetSize));
        var report = learned.Report with
        {
            Schedule = learned.Report.Schedule with { WitnessThreshold = 0.01, Beta = 2, MaxEpochs = 30, ValidationSamples = 32 },
            Cuts = [.. learned.Report.Cuts.Select(c => c with { BasisSize = 2 })],
        };
        var certificate = APrioriCertificate.Build(learned.Model, report, Schedule, delta: 0.1, oracleAccuracy: 0.001);

        // The code rounds every per-step bound outward by at most 1e-14·max(1, R) (softmax-perturbation-bounds.md), and
        // these sums are of order 1e-3 to 1: relative 1e-9 is far above that and far below any change of a term.
        var witness = certificate.Ledger["witness-threshold"];
        Assert.Equal(0.01, witness.Quantity);
        AssertRelative(0.0299985001149902359816188840179, witness.TotalVariation, 1e-9);
        AssertRelative(0.000699972779738109285730431641403, witness.KullbackLeibler, 1e-9);
        var oracle = certificate.Ledger["oracle-accuracy"];
        Assert.Equal(0.001, oracle.Quantity);
        AssertRelative(0.0264921735722628012373029610169, oracle.TotalVariation, 1e-9);
        AssertRelative(0.00167821743090078130530200069775, oracle.KullbackLeibler, 1e-9);

        // Outward rounding: the witness sums and the totals (witness plus oracle) are never below the exact values.
        Assert.True(witness.TotalVariation >= 0.0299985001149902 && witness.KullbackLeibler >= 0.000699972779738109, "the witness term is below its exact value");
        Assert.True(witness.TotalVariation + oracle.TotalVariation >= 0.0564906736872530 && witness.KullbackLeibler + oracle.KullbackLeibler >= 0.00237819021063889, "the accuracy terms are below their exact value");

        var miss = certificate.Ledger["validation-miss-mass"];
        AssertRelative(0.178243202333006283107225879572, miss.Quantity, 1e-14);
        AssertRelative(0.891216011665031415536129397858, miss.TotalVariation, 1e-14);
        AssertRelative((2 * learned.Model.LogitBound) + Math.Log(2), miss.KullbackLeibler / miss.TotalVariation, 1e-14);

        var fp = certificate.Ledger["floating-point"];
        AssertRelative(576 * Math.Pow(2, -52), fp.Quantity / Math.Max(1, learned.Model.LogitBound), 1e-14); // 64 · (2·2·2 + 1) = 576 ulps
        Assert.True(fp.Quantity < 1e-9, $"the rounding allowance {fp.Quantity} is not tiny");
        AssertRelative(5 * fp.Quantity / 2, fp.TotalVariation, 1e-9);
        AssertRelative(5 * fp.Quantity * fp.Quantity / 2, fp.KullbackLeibler, 1e-9);

        Assert.Equal(report.LargestAcceptedLpResidual, certificate.Ledger["lp-residual"].Quantity);
        Assert.Equal((0.0, 0.0), (certificate.Ledger["lp-residual"].TotalVariation, certificate.Ledger["lp-residual"].KullbackLeibler));
        Assert.Equal(0, certificate.Ledger["spanner-miss-mass"].Quantity);
        Assert.Equal(report.Epochs[^1].InfeasibleLps, certificate.Ledger["infeasible-lp-mass"].Quantity);
        Assert.Equal(0, certificate.Ledger["oracle-approximation"].TotalVariation);

        Assert.True(certificate.Holds);
        Assert.Equal(0.1, certificate.Delta);
        Assert.Null(certificate.TargetEpsilon);
        Assert.Equal(certificate.Ledger.TotalVariation, certificate.TotalVariation);
        Assert.Equal(certificate.Ledger.KullbackLeibler, certificate.KullbackLeibler);
        Assert.Contains(certificate.Assumptions, a => a.Contains("ξ = 0.001", StringComparison.Ordinal));
    }

    /// <summary>
    /// Properties the statement implies whatever the numbers: the oracle-accuracy term vanishes for an exact oracle
    /// (ξ = 0) and grows with ξ; the witness term does not depend on ξ; the validation miss mass shrinks as n grows and
    /// grows with K/δ.
    /// </summary>
    [Fact]
    public void The_ledger_terms_move_with_their_parameters_as_the_bound_says()
    {
        var learned = Learned.Value;
        APrioriCertificate Build(double xi, int samples = 32, int epochs = 30, double delta = 0.1) => APrioriCertificate.Build(
            learned.Model,
            learned.Report with { Schedule = learned.Report.Schedule with { ValidationSamples = samples, MaxEpochs = epochs } },
            Schedule,
            delta,
            xi);
        var exact = Build(0);
        Assert.Equal((0.0, 0.0, 0.0), (exact.Ledger["oracle-accuracy"].Quantity, exact.Ledger["oracle-accuracy"].TotalVariation, exact.Ledger["oracle-accuracy"].KullbackLeibler));
        var previous = exact;
        foreach (var xi in new[] { 1e-6, 1e-4, 1e-2 })
        {
            var next = Build(xi);
            Assert.True(next.Ledger["oracle-accuracy"].TotalVariation > previous.Ledger["oracle-accuracy"].TotalVariation, $"ξ = {xi}");
            Assert.True(next.Ledger["oracle-accuracy"].KullbackLeibler > previous.Ledger["oracle-accuracy"].KullbackLeibler, $"ξ = {xi}");
            Assert.Equal(exact.Ledger["witness-threshold"], next.Ledger["witness-threshold"]);
            previous = next;
        }

        Assert.True(Build(0, samples: 64).Ledger["validation-miss-mass"].Quantity < exact.Ledger["validation-miss-mass"].Quantity);
        Assert.True(Build(0, epochs: 60).Ledger["validation-miss-mass"].Quantity > exact.Ledger["validation-miss-mass"].Quantity);
        Assert.True(Build(0, delta: 0.05).Ledger["validation-miss-mass"].Quantity > exact.Ledger["validation-miss-mass"].Quantity);
    }

    private static void AssertRelative(double expected, double actual, double relative) =>
        Assert.True(Math.Abs(expected - actual) <= (relative * Math.Abs(expected)) + 1e-300, $"expected {expected:R}, got {actual:R} (relative tolerance {relative})");
}
