using LogitRank.Learning;
using LogitRank.Models;
using LogitRank.Oracles;

namespace LogitRank.Tests.Mutation;

/// <summary>
/// The validation step of <see cref="LogitRankLearner"/> (the witness search): the epoch's sample count, its largest
/// logit error against the telescoping identity <c>ℓ̂ - ℓ = Σ_s res_s</c>, and the relative tolerance of the runtime
/// telescoping check at large logit scales (proofs-notes/mutation.md).
/// </summary>
public class LogitRankLearnerValidationMutationTests
{
    [Fact]
    public void Every_sample_of_an_epoch_that_is_not_abandoned_is_validated()
    {
        // An exact-rank target: every reconstruction LP is feasible, so no epoch is abandoned.
        var schedule = new PracticalSchedule { MaxEpochs = 20, ValidationSamples = 12, SpannerSampleCount = 12, WitnessThreshold = 1e-6 };
        var report = new LogitRankLearner().Learn(new ModelOracle(TimeVaryingIsan.Random(2, 5, 2, seed: 3)), schedule, seed: 1).Report;
        Assert.All(report.Epochs, e => Assert.False(e.Abandoned));
        Assert.All(report.Epochs, e => Assert.Equal(12, e.ValidatedSamples));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void With_T_3_the_largest_logit_error_is_the_largest_residual(int seed)
    {
        // T = 3: a prefix of length 1 is predicted from cut 0 alone (exact), and one of length 2 has the single residual
        // res_1 = P_1 - P_0 = ℓ̂ - ℓ (P_0 = ℓ(y_{1:2}); P_1 is a combination of centered rows, so centered). Hence the
        // epoch's largest ||ℓ̂ - ℓ||_∞ is its largest |res|. One spanner sample gives a basis of one of the three
        // histories of cut 1, so residuals are nonzero; a loose τ_lp keeps every LP feasible (no abandoned epoch).
        var target = TabularModel.Random(3, 3, seed, scale: 1.0);
        var schedule = new PracticalSchedule { MaxEpochs = 2, ValidationSamples = 16, SpannerSampleCount = 1, LpRelativeTolerance = 100 };
        var report = new LogitRankLearner().Learn(new ModelOracle(target), schedule, seed: 1).Report;
        foreach (var e in report.Epochs)
        {
            Assert.False(e.Abandoned);
            Assert.True(e.MaxResidual > 1e-3, $"epoch {e.Epoch}: max residual {e.MaxResidual}; the check needs a visible error");
            // Both sides are the same few O(1) sums, evaluated in a different order: they agree to rounding, far below 1e-12.
            Assert.Equal(e.MaxResidual, e.MaxLogitError, 1e-12);
        }

        Assert.Equal(report.Epochs.Max(e => e.MaxLogitError), report.MaxValidationLogitError);
    }

    [Fact]
    public void The_logit_error_is_at_most_T_minus_2_times_the_largest_residual()
    {
        // ℓ̂(y_{1:t}) - ℓ(y_{1:t}) = Σ_{s=1}^{t-1} res_s, so ||ℓ̂ - ℓ||_∞ <= (t - 1) max|res| <= (T - 2) max|res|; the 1e-12
        // slack covers rounding of O(1) sums (exact-rank target: residuals are themselves rounding-sized once accepted).
        const int horizon = 6;
        var schedule = new PracticalSchedule { MaxEpochs = 20, ValidationSamples = 12, SpannerSampleCount = 12, WitnessThreshold = 1e-6 };
        var report = new LogitRankLearner().Learn(new ModelOracle(TimeVaryingIsan.Random(3, horizon, 3, seed: 2)), schedule, seed: 1).Report;
        Assert.True(report.Accepted);
        Assert.All(report.Epochs, e => Assert.True(e.MaxLogitError <= ((horizon - 2) * e.MaxResidual) + 1e-12, $"epoch {e.Epoch}: error {e.MaxLogitError}, residual {e.MaxResidual}"));
        Assert.Contains(report.Epochs, e => e.MaxLogitError > 1e-3); // the first epochs do have errors (F̂ = Σ is too small)
    }

    [Theory]
    [InlineData(1e6)]
    [InlineData(1e9)]
    public void Large_logits_pass_the_relative_telescoping_check_and_are_learned(double logitScale)
    {
        // The telescoping identity holds exactly in real arithmetic; in doubles its rounding error scales with the size
        // of the summed terms (max |c_i|·|ℓ_a|·m_s), which the runtime check's tolerance 1e-9·max(1, scale·t) follows.
        // At logit scale 1e6..1e9 that rounding is far above an absolute 1e-9, so an absolute tolerance would throw.
        var target = TimeVaryingIsan.Random(2, 5, 2, seed: 3, logitScale: logitScale);
        var schedule = new PracticalSchedule { MaxEpochs = 20, ValidationSamples = 12, SpannerSampleCount = 12, WitnessThreshold = 1e-6 * logitScale };
        var report = new LogitRankLearner().Learn(new ModelOracle(target), schedule, seed: 1).Report;
        Assert.True(report.Accepted);
        // Accepted: every |res| <= g, so the last epoch's logit error is at most (T - 2)·g (telescoping identity).
        Assert.True(report.Epochs[^1].MaxLogitError <= 3 * schedule.WitnessThreshold, $"max logit error {report.Epochs[^1].MaxLogitError}");
    }
}
