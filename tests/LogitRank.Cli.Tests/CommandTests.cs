using System.Text.Json;
using LogitRank.Evaluation;
using LogitRank.Learning;
using LogitRank.Models;

namespace LogitRank.Cli.Tests;

/// <summary>In-process runs of every command on small targets: results, files, --json and progress.</summary>
public sealed class CommandTests : IDisposable
{
    private const string Isan = "isan:k=2,T=5,d=2,seed=3";
    private readonly CliHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    [Fact]
    public void Spectrum_json_reports_rank_at_most_d_at_every_cut()
    {
        var run = CliHarness.Run("spectrum", "isan:k=3,T=6,d=2,seed=1", "--json", "--quiet");
        Assert.Equal(ExitCodes.Success, run.Code);
        Assert.Equal(string.Empty, run.Err);
        var json = run.Json();
        Assert.Equal("isan:k=3,T=6,d=2,seed=1", json.GetProperty("target").GetString());
        var cuts = json.GetProperty("cuts").EnumerateArray().ToArray();
        Assert.Equal(6, cuts.Length);
        // Logit rank <= d for an ISAN (proofs-notes/isan-logit-rank.md); generically = min(d, k^s, k^(T-s) - 1), so cut 0 has rank 1 and cut 1 rank 2.
        Assert.All(cuts, c => Assert.InRange(c.GetProperty("rank").GetInt32(), 1, 2));
        Assert.Equal(1, cuts[0].GetProperty("rank").GetInt32());
        Assert.Equal(2, json.GetProperty("maxRank").GetInt32());
        // Best rank-r error: r = 0 is the mean |A| > 0, and r = d leaves only rounding (entries are O(1); 1e-10 is far above double rounding).
        var errors = cuts[2].GetProperty("meanAbsoluteErrors").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        Assert.True(errors[0] > 0.01);
        Assert.True(errors[2] < 1e-10);
    }

    [Fact]
    public void Spectrum_of_noisy_parity_has_rank_one()
    {
        var run = CliHarness.Run("spectrum", "parity:n=4,noise=0.2", "--json", "--quiet");
        Assert.Equal(ExitCodes.Success, run.Code);
        Assert.Equal(1, run.Json().GetProperty("maxRank").GetInt32());
    }

    [Fact]
    public void Spectrum_writes_csv_json_and_plots()
    {
        var csv = _harness.PathOf("s.csv");
        var json = _harness.PathOf("out/s.json");
        var plot = _harness.PathOf("plots/spec");
        var run = CliHarness.Run("spectrum", "isan:k=2,T=5,d=2", "--csv", csv, "--out", json, "--plot", plot);
        Assert.Equal(ExitCodes.Success, run.Code);
        Assert.Contains("Largest numerical rank over the cuts: 2.", run.Out, StringComparison.Ordinal);
        var lines = File.ReadAllLines(csv);
        Assert.Equal("cut,i,sigma,relative_frobenius_error_rank_i", lines[0]);
        using var document = JsonDocument.Parse(File.ReadAllText(json));
        var valueCount = document.RootElement.GetProperty("cuts").EnumerateArray().Sum(c => c.GetProperty("singularValues").GetArrayLength());
        Assert.Equal(valueCount, lines.Length - 1);
        Assert.Equal((Plots.Width, Plots.Height), PngSvg.AssertPng(plot + ".png"));
        PngSvg.AssertSvg(plot + ".svg");
    }

    [Fact]
    public void Spectrum_plot_changes_when_the_data_does()
    {
        var a = _harness.PathOf("a");
        var b = _harness.PathOf("b");
        Assert.Equal(ExitCodes.Success, CliHarness.Run("spectrum", "isan:k=2,T=5,d=2,seed=1", "--plot", a, "--quiet").Code);
        Assert.Equal(ExitCodes.Success, CliHarness.Run("spectrum", "isan:k=2,T=5,d=3,seed=2", "--plot", b, "--quiet").Code);
        Assert.NotEqual(File.ReadAllBytes(a + ".png"), File.ReadAllBytes(b + ".png"));
        Assert.NotEqual(File.ReadAllText(a + ".svg"), File.ReadAllText(b + ".svg"));
    }

    [Fact]
    public void Evaluate_exact_matches_the_library_and_is_zero_for_a_model_against_itself()
    {
        var same = CliHarness.Run("evaluate", Isan, Isan, "--json").Json();
        Assert.Equal("exact", same.GetProperty("method").GetString());
        Assert.Equal(0, same.GetProperty("kullbackLeibler").GetDouble(), 12);
        Assert.Equal(0, same.GetProperty("totalVariation").GetDouble(), 12);

        var q = "perturbed:k=2,T=5,d=2,eps=0.2,seed=3";
        var json = CliHarness.Run("evaluate", Isan, q, "--json").Json();
        var expected = ExactDivergence.SequenceLevel(TimeVaryingIsan.Random(2, 5, 2, 3), PerturbedModel.RandomIsan(2, 5, 2, 0.2, 3));
        Assert.True(expected.TotalVariation > 0.01);
        Assert.Equal(expected.TotalVariation, json.GetProperty("totalVariation").GetDouble(), 14);
        Assert.Equal(expected.KullbackLeibler, json.GetProperty("kullbackLeibler").GetDouble(), 14);
    }

    [Fact]
    public void Evaluate_monte_carlo_bounds_the_exact_tv()
    {
        var q = "perturbed:k=2,T=5,d=2,eps=0.2,seed=3";
        var run = CliHarness.Run("evaluate", Isan, q, "--samples", "2000", "--json");
        Assert.Equal(ExitCodes.Success, run.Code);
        var json = run.Json();
        Assert.Equal("monteCarlo", json.GetProperty("method").GetString());
        var exact = ExactDivergence.TotalVariation(TimeVaryingIsan.Random(2, 5, 2, 3), PerturbedModel.RandomIsan(2, 5, 2, 0.2, 3));
        var tv = json.GetProperty("totalVariation");
        // A 95% upper bound at the fixed seed 1: holds here (a seeded run, so this is deterministic, not flaky).
        Assert.True(tv.GetProperty("upper").GetDouble() >= exact);
        Assert.True(tv.GetProperty("upper").GetDouble() >= tv.GetProperty("mean").GetDouble());
        Assert.InRange(tv.GetProperty("mean").GetDouble(), exact / 2, exact * 2);
    }

    [Fact]
    public void Sample_prints_count_sequences_of_length_t_reproducibly()
    {
        var run = CliHarness.Run("sample", "isan:k=3,T=6,d=2", "--count", "5", "--seed", "4");
        Assert.Equal(ExitCodes.Success, run.Code);
        var lines = run.Out.TrimEnd().Split('\n');
        Assert.Equal(5, lines.Length);
        Assert.All(lines, l => Assert.All(l.Trim().Split(' '), t => Assert.InRange(int.Parse(t, System.Globalization.CultureInfo.InvariantCulture), 0, 2)));
        Assert.All(lines, l => Assert.Equal(6, l.Trim().Split(' ').Length));
        Assert.Equal(run.Out, CliHarness.Run("sample", "isan:k=3,T=6,d=2", "--count", "5", "--seed", "4").Out);
        Assert.NotEqual(run.Out, CliHarness.Run("sample", "isan:k=3,T=6,d=2", "--count", "5", "--seed", "5").Out);
        var expected = TimeVaryingIsan.Random(3, 6, 2, 1).SampleMany(5, 4);
        Assert.Equal(expected.Select(y => string.Join(' ', y.ToArray())), lines.Select(l => l.Trim()));
    }

    [Fact]
    public void Sample_json_is_the_only_stdout()
    {
        var json = CliHarness.Run("sample", "parity:n=3,noise=0.1", "--count", "3", "--json").Json();
        var samples = json.GetProperty("samples").EnumerateArray().ToArray();
        Assert.Equal(3, samples.Length);
        Assert.All(samples, s => Assert.Equal(4, s.GetArrayLength()));
    }

    [Fact]
    public void Learn_writes_a_loadable_model_and_a_report_and_the_certificate_covers_the_exact_tv()
    {
        var model = _harness.PathOf("m.json");
        var report = _harness.PathOf("r.json");
        var plot = _harness.PathOf("learn");
        var run = CliHarness.Run("learn", Isan, "--out", model, "--report", report, "--plot", plot, "--holdout-samples", "200", "--json");
        Assert.Equal(ExitCodes.Success, run.Code);
        var json = run.Json();
        Assert.True(json.GetProperty("accepted").GetBoolean());
        var loaded = LearnedModel.LoadFile(model);
        Assert.Equal(2, loaded.AlphabetSize);
        Assert.Equal(5, loaded.Horizon);
        // The exact TV reported is the library's, recomputed here from the saved model.
        var exact = ExactDivergence.TotalVariation(TimeVaryingIsan.Random(2, 5, 2, 3), loaded);
        Assert.Equal(exact, json.GetProperty("exact").GetProperty("totalVariation").GetDouble(), 12);
        Assert.True(json.GetProperty("certificate").GetProperty("totalVariationUpper").GetDouble() >= exact);
        Assert.Equal(2 + 4 + 8 + 16 + 1, json.GetProperty("queries").GetProperty("tabulation").GetDouble());
        using var saved = JsonDocument.Parse(File.ReadAllText(report));
        Assert.True(saved.RootElement.GetProperty("learningReport").GetProperty("Accepted").GetBoolean());
        Assert.True(saved.RootElement.GetProperty("certificate").GetProperty("holdout").TryGetProperty("TotalVariation", out _));
        PngSvg.AssertPng(plot + ".png");
        PngSvg.AssertSvg(plot + ".svg");
        // Progress goes to stderr as lines (not an interactive terminal), never to stdout.
        Assert.Contains("progress: epoch 1, Sampling, 0 queries", run.Err, StringComparison.Ordinal); // the adaptive schedule draws its spanner samples first
    }

    [Fact]
    public void Learn_uses_the_adaptive_schedule_by_default_and_reports_its_noise_floors()
    {
        var run = CliHarness.Run("learn", Isan, "--epochs", "2", "--validation-samples", "3", "--spanner-samples", "8", "--budget", "100000", "--holdout-samples", "50", "--json", "--quiet");
        Assert.Equal(ExitCodes.Success, run.Code);
        var report = run.Json().GetProperty("learningReport");
        var schedule = report.GetProperty("Schedule");
        Assert.Equal("adaptive", schedule.GetProperty("Kind").GetString());
        Assert.Equal(2, schedule.GetProperty("MaxEpochs").GetInt32());
        Assert.Equal(3, schedule.GetProperty("ValidationSamples").GetInt32());
        Assert.Equal(100000, schedule.GetProperty("QueryBudget").GetInt64());
        Assert.Equal("MinimumResidual", schedule.GetProperty("Fallback").GetString());

        // One noise record per cut 1..T-2 per epoch, each with the N_s the run used (8 here: the flag reached the learner).
        var floors = report.GetProperty("NoiseFloors").EnumerateArray().ToArray();
        Assert.Equal(report.GetProperty("EpochsRun").GetInt32() * (5 - 2), floors.Length);
        Assert.All(floors, f => Assert.Equal(8, f.GetProperty("SpannerSamples").GetInt32()));

        var text = CliHarness.Run("learn", Isan, "--epochs", "2", "--validation-samples", "3", "--holdout-samples", "50", "--quiet");
        Assert.Contains("Learning (adaptive schedule): ", text.Out, StringComparison.Ordinal);
        Assert.Contains("Noise floor per cut (nats): ", text.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void The_summary_says_whether_the_tails_beyond_the_knees_were_kept()
    {
        // A 4-state HMM (k = 3, T = 8): its decaying spectrum has knees with a deterministic tail, which validation keeps
        // (LearnerTests.Keeping_the_tails_costs_no_query_and_changes_only_the_returned_bases).
        var run = CliHarness.Run("learn", "hmm:states=4,k=3,T=8,seed=1", "--holdout-samples", "50", "--quiet");
        Assert.Equal(ExitCodes.Success, run.Code);
        Assert.Contains("Tails beyond the knees: kept (validation TV ", run.Out, StringComparison.Ordinal);

        // An accepted run that keeps the tails: the summary says why the a priori bound does not apply.
        var accepted = CliHarness.Run("learn", "perturbed:k=3,T=6,d=2,eps=0.05,seed=4", "--holdout-samples", "50", "--quiet");
        Assert.Equal(ExitCodes.Success, accepted.Code);
        Assert.Contains(", accepted, ", accepted.Out, StringComparison.Ordinal);
        Assert.Contains("Tails beyond the knees: kept", accepted.Out, StringComparison.Ordinal);
        Assert.Contains("A priori bound: does not apply (the model keeps the tails beyond the knees", accepted.Out, StringComparison.Ordinal);

        var json = CliHarness.Run("learn", "hmm:states=4,k=3,T=8,seed=1", "--holdout-samples", "50", "--json", "--quiet").Json().GetProperty("learningReport");
        Assert.True(json.GetProperty("ReturnedTail").GetBoolean());
        Assert.NotEmpty(json.GetProperty("TailChoices").EnumerateArray());

        // An exact ISAN has no tail: no such line.
        var exact = CliHarness.Run("learn", Isan, "--holdout-samples", "50", "--quiet");
        Assert.DoesNotContain("Tails beyond the knees", exact.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void A_practical_knob_selects_the_practical_schedule_and_the_adaptive_one_refuses_it()
    {
        var practical = CliHarness.Run("learn", Isan, "--epochs", "1", "--threshold", "0.5", "--holdout-samples", "50", "--json", "--quiet");
        Assert.Equal(ExitCodes.Success, practical.Code);
        Assert.Equal("practical", practical.Json().GetProperty("learningReport").GetProperty("Schedule").GetProperty("Kind").GetString());

        var refused = CliHarness.Run("learn", Isan, "--schedule", "adaptive", "--lp-tolerance", "0.1", "--quiet");
        Assert.Equal(ExitCodes.Usage, refused.Code);
        Assert.Contains("--lp-tolerance is an option of the practical schedule", refused.Err, StringComparison.Ordinal);

        var unknown = CliHarness.Run("learn", Isan, "--schedule", "theory", "--quiet");
        Assert.Equal(ExitCodes.Usage, unknown.Code);
        Assert.Contains("Invalid value 'theory' for --schedule", unknown.Err, StringComparison.Ordinal);

        var policy = CliHarness.Run("learn", Isan, "--on-budget", "later", "--quiet");
        Assert.Equal(ExitCodes.Usage, policy.Code);
        Assert.Contains("Invalid value 'later' for --on-budget", policy.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void A_budget_that_runs_out_returns_the_best_model_unless_asked_to_stop()
    {
        // The practical schedule on a target it cannot accept in one epoch pays about 200 queries per epoch here; a budget
        // of 300 runs out in the second epoch, after the first was validated.
        string[] args = ["learn", "perturbed:k=3,T=6,d=2,eps=0.1,seed=2", "--schedule", "practical", "--epochs", "10", "--spanner-samples", "8", "--validation-samples", "8", "--holdout-samples", "50", "--budget", "300"];
        var best = CliHarness.Run([.. args, "--json", "--quiet"]);
        Assert.Equal(ExitCodes.Success, best.Code);
        var report = best.Json().GetProperty("learningReport");
        Assert.True(report.GetProperty("BudgetExhausted").GetBoolean());
        Assert.Equal("Budget", report.GetProperty("StoppedBy").GetString());
        Assert.True(report.GetProperty("Queries").GetProperty("Total").GetInt64() <= 300);

        var stop = CliHarness.Run([.. args, "--on-budget", "stop", "--quiet"]);
        Assert.Equal(ExitCodes.BudgetExhausted, stop.Code);
    }

    [Fact]
    public void Learn_schedule_options_reach_the_learner()
    {
        var run = CliHarness.Run("learn", Isan, "--epochs", "1", "--validation-samples", "3", "--spanner-samples", "4", "--threshold", "0.5", "--witnesses-per-epoch", "2", "--budget", "100000", "--holdout-samples", "50", "--delta", "0.1", "--fallback", "min-residual", "--rank-tolerance", "0.01", "--lp-tolerance", "0.001", "--json", "--quiet");
        Assert.Equal(ExitCodes.Success, run.Code);
        Assert.Equal(string.Empty, run.Err);
        var json = run.Json();
        var schedule = json.GetProperty("learningReport").GetProperty("Schedule");
        Assert.Equal(1, schedule.GetProperty("MaxEpochs").GetInt32());
        Assert.Equal(3, schedule.GetProperty("ValidationSamples").GetInt32());
        Assert.Equal(0.5, schedule.GetProperty("WitnessThreshold").GetDouble());
        Assert.Equal(2, schedule.GetProperty("WitnessesPerEpoch").GetInt32());
        Assert.Equal(100000, schedule.GetProperty("QueryBudget").GetInt64());
        Assert.Equal("MinimumResidual", schedule.GetProperty("Fallback").GetString());
        Assert.Equal(0.01, schedule.GetProperty("SpannerRankTolerance").GetDouble());
        Assert.Equal(0.001, schedule.GetProperty("LpRelativeTolerance").GetDouble());
        Assert.True(json.GetProperty("learningReport").GetProperty("OutsideAnalysis").GetBoolean());
        Assert.Equal(0.1, json.GetProperty("certificate").GetProperty("delta").GetDouble());
        Assert.Equal(50, json.GetProperty("certificate").GetProperty("holdout").GetProperty("TotalVariation").GetProperty("Samples").GetInt32());
        Assert.True(json.GetProperty("learningReport").GetProperty("Cuts").EnumerateArray().Where(c => c.GetProperty("SpannerSamples").GetInt32() > 0).All(c => c.GetProperty("SpannerSamples").GetInt32() == 4));
    }

    [Fact]
    public void Learn_plot_changes_when_the_data_does()
    {
        var a = _harness.PathOf("la");
        var b = _harness.PathOf("lb");
        Assert.Equal(ExitCodes.Success, CliHarness.Run("learn", Isan, "--plot", a, "--holdout-samples", "50", "--quiet").Code);
        Assert.Equal(ExitCodes.Success, CliHarness.Run("learn", "isan:k=2,T=5,d=2,seed=4", "--plot", b, "--holdout-samples", "50", "--quiet").Code);
        Assert.NotEqual(File.ReadAllText(a + ".svg"), File.ReadAllText(b + ".svg"));
    }

    [Fact]
    public void Certify_a_saved_model_and_use_it_in_evaluate_and_sample()
    {
        var model = _harness.PathOf("m.json");
        Assert.Equal(ExitCodes.Success, CliHarness.Run("learn", Isan, "--out", model, "--holdout-samples", "50", "--quiet").Code);
        var report = _harness.PathOf("cert.json");
        var run = CliHarness.Run("certify", model, Isan, "--holdout-samples", "300", "--report", report, "--json");
        Assert.Equal(ExitCodes.Success, run.Code);
        var json = run.Json();
        Assert.InRange(json.GetProperty("totalVariationUpper").GetDouble(), 0, 1);
        Assert.True(json.GetProperty("kullbackLeiblerUpper").GetDouble() >= 0);
        Assert.True(json.GetProperty("queries").GetInt64() > 0);
        Assert.True(File.Exists(report));

        var evaluate = CliHarness.Run("evaluate", Isan, model, "--json").Json();
        Assert.True(evaluate.GetProperty("totalVariation").GetDouble() <= json.GetProperty("totalVariationUpper").GetDouble());
        var sample = CliHarness.Run("sample", model, "--count", "2");
        Assert.Equal(ExitCodes.Success, sample.Code);
        Assert.Equal(2, sample.Out.TrimEnd().Split('\n').Length);
    }

    [Fact]
    public void Certify_rejects_a_model_of_another_shape()
    {
        var model = _harness.PathOf("m.json");
        Assert.Equal(ExitCodes.Success, CliHarness.Run("learn", Isan, "--out", model, "--holdout-samples", "50", "--quiet").Code);
        var run = CliHarness.Run("certify", model, "isan:k=2,T=6,d=2");
        Assert.Equal(ExitCodes.Usage, run.Code);
        Assert.Contains("k = 2, T = 5", run.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void Demo_learns_certifies_and_reports_exact_divergences()
    {
        var run = CliHarness.Run("demo", "--json", "--quiet");
        Assert.Equal(ExitCodes.Success, run.Code);
        Assert.Equal(string.Empty, run.Err);
        var json = run.Json();
        Assert.Equal(DemoCommand.DefaultTarget, json.GetProperty("target").GetString());
        // An exact-rank target learned with an accepted run: the exact TV is at rounding level (1e-9 leaves ample room).
        Assert.True(json.GetProperty("accepted").GetBoolean());
        Assert.True(json.GetProperty("exact").GetProperty("totalVariation").GetDouble() < 1e-9);
        Assert.True(json.GetProperty("queries").GetProperty("learning").GetInt64() < json.GetProperty("queries").GetProperty("tabulation").GetDouble());
        Assert.True(json.GetProperty("certificate").GetProperty("totalVariationUpper").GetDouble() < 0.05);
    }

    [Fact]
    public void Demo_human_summary_names_every_quantity()
    {
        var run = CliHarness.Run("demo", "--quiet");
        Assert.Equal(ExitCodes.Success, run.Code);
        foreach (var part in new[] { "Queries:", "tabulating", "Exact", "KL(M||M^)", "Certified", "delta = 0.05", "accepted", "witness" })
        {
            Assert.Contains(part, run.Out, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Demo_spectrum_keeps_the_interim_table()
    {
        var run = CliHarness.Run("demo", "--spectrum");
        Assert.Equal(ExitCodes.Success, run.Code);
        Assert.Contains("Largest numerical rank over the cuts: 3 (bound d = 3).", run.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("isan:k=2,T=4,d=2,scale=1e154", 1e150)]
    [InlineData("perturbed:k=2,T=4,d=2,eps=1e300", 1e296)]
    public void Spectrum_of_targets_with_huge_logits_finishes_with_finite_values(string target, double atLeast)
    {
        // Issue 16: these spun forever inside MathNet's SVD (entries near 1e154 overflow its squares).
        var run = CliHarness.Run("spectrum", target, "--json", "--quiet");
        Assert.Equal(ExitCodes.Success, run.Code);
        foreach (var cut in run.Json().GetProperty("cuts").EnumerateArray())
        {
            var sigma1 = cut.GetProperty("singularValues")[0].GetDouble();
            Assert.True(double.IsFinite(sigma1) && sigma1 >= atLeast, $"cut {cut.GetProperty("cut")}: σ_1 = {sigma1}");
        }
    }

    [Fact]
    public void Certify_and_evaluate_report_progress_on_stderr_unless_quiet()
    {
        var model = _harness.PathOf("m.json");
        Assert.Equal(ExitCodes.Success, CliHarness.Run("learn", "isan:k=2,T=4,d=2", "--out", model, "--quiet").Code);
        var certify = CliHarness.Run("certify", model, "isan:k=2,T=4,d=2", "--holdout-samples", "50");
        Assert.Equal(ExitCodes.Success, certify.Code);
        Assert.Contains("progress: certify, 4/4 positions", certify.Err, StringComparison.Ordinal);
        var evaluate = CliHarness.Run("evaluate", model, "isan:k=2,T=4,d=2");
        Assert.Equal(ExitCodes.Success, evaluate.Code);
        Assert.Contains("progress: exact KL and TV, 16/16 sequences", evaluate.Err, StringComparison.Ordinal);
        Assert.DoesNotContain("progress", CliHarness.Run("certify", model, "isan:k=2,T=4,d=2", "--holdout-samples", "50", "--quiet").Err, StringComparison.Ordinal);
        Assert.DoesNotContain("progress", CliHarness.Run("evaluate", model, "isan:k=2,T=4,d=2", "--quiet").Err, StringComparison.Ordinal);
    }
}
