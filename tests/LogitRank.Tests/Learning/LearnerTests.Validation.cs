using LogitRank.Learning;
using LogitRank.Models;
using LogitRank.Numerics;
using LogitRank.Oracles;
using LogitRank.Sequences;

namespace LogitRank.Tests.Learning;

/// <summary>
/// The validation step of <see cref="LogitRankLearner"/> (the witness search): the epoch's sample count, its largest
/// logit error against the telescoping identity <c>ℓ̂ - ℓ = Σ_s res_s</c>, and the relative tolerance of the runtime
/// telescoping check at large logit scales.
/// </summary>
public partial class LearnerTests
{
    private static readonly PracticalSchedule ThresholdSchedule = new() { MaxEpochs = 1, ValidationSamples = 12, SpannerSampleCount = 8, WitnessThreshold = 1e-6, LpRelativeTolerance = 100 };

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
    [InlineData(4)]
    [InlineData(5)]
    public void Logits_mixing_unit_and_1e9_scales_pass_the_relative_telescoping_check(int horizon)
    {
        // Half the prefixes (seeded) have O(1) logits; the other half have two near-tied tokens about 3e9 nats above the
        // third (so sampling still branches). A rank-deficient reconstruction then mixes O(1e9) and O(1) terms in the
        // residual sums, and their rounding (a few ulps of 1e9, ~1e-7) is far above an absolute 1e-9 but far below the
        // documented relative tolerance 1e-9 · max(1, t · max m_s |c| |ℓ|) >= 1 (proofs-notes/reconstruction-and-telescoping.md,
        // Runtime check). On correct code the check must not fire.
        const double big = 1e9;
        var random = new Random(7);
        var table = new Dictionary<Prefix, LogitVector>();
        foreach (var p in SequenceSpace.AllUpTo(3, horizon - 1))
        {
            var a = random.Next(2) == 0 ? 0 : big * (1 + random.NextDouble());
            table[p] = LogitVector.FromLogits([a + random.NextDouble(), a + random.NextDouble(), (-2 * a) + random.NextDouble()]);
        }

        var target = new TabularModel(3, horizon, table);
        var schedule = new PracticalSchedule { MaxEpochs = 4, ValidationSamples = 12, SpannerSampleCount = 4, LpRelativeTolerance = 100 };
        var report = new LogitRankLearner().Learn(new ModelOracle(target), schedule, seed: 1).Report;
        Assert.Equal(4, report.EpochsRun);
        Assert.All(report.Epochs, e => Assert.Equal(12, e.ValidatedSamples));
        Assert.Contains(report.Epochs, e => e.MaxResidual > 1e6); // the sums do mix the two scales
    }

    [Fact]
    public void The_telescoping_check_accepts_a_deviation_equal_to_the_tolerance()
    {
        // Documented: it throws unless |Σ res - (ℓ̂_raw - ℓ)| <= tolerance; an exact identity (deviation 0) with tolerance 0
        // and a deviation of exactly 0.25 with tolerance 0.25 (all values exact in binary) must pass.
        WitnessSearch.CheckTelescoping(Prefix.Of(0, 1), [1.5, -1.5], [2.0, -2.0], [0.5, -0.5], 0.0);
        WitnessSearch.CheckTelescoping(Prefix.Of(0, 1), [1.25, -1.25], [2.0, -2.0], [0.5, -0.5], 0.25);
        Assert.Throws<InvariantViolationException>(() => WitnessSearch.CheckTelescoping(Prefix.Of(0, 1), [1.25, -1.25], [2.0, -2.0], [0.5, -0.5], Math.BitDecrement(0.25)));
    }

    private static TabularModel Antisymmetric(int horizon, int seed)
    {
        var random = new Random(seed);
        var table = SequenceSpace.AllUpTo(2, horizon - 1)
            .ToDictionary(p => p, _ => { var u = (random.NextDouble() * 4) - 2; return LogitVector.FromLogits([u, -u]); });
        return new TabularModel(2, horizon, table);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 1)]
    [InlineData(1, 2)]
    [InlineData(2, 2)]
    public void A_tie_between_the_two_tokens_goes_to_token_0(int witnessesPerEpoch, int seed)
    {
        var target = Antisymmetric(5, seed);
        // τ_lp = 100 · max|R|: every LP is feasible, so no epoch is abandoned and the witness search runs.
        var schedule = new PracticalSchedule { MaxEpochs = 1, ValidationSamples = 16, SpannerSampleCount = 8, WitnessThreshold = 1e-6, WitnessesPerEpoch = witnessesPerEpoch, LpRelativeTolerance = 100 };
        var report = new LogitRankLearner().Learn(new ModelOracle(target), schedule, seed).Report;
        var witnesses = report.Epochs[0].Witnesses;
        Assert.False(report.Epochs[0].Abandoned);
        Assert.NotEmpty(witnesses); // a random table is far from low rank: epoch 1 finds witnesses
        Assert.All(witnesses, w => Assert.Equal(0, w.Word[^1]));
    }

    [Theory]
    [InlineData(2, 1)]
    [InlineData(3, 2)]
    public void A_residual_equal_to_g_is_not_a_witness_and_does_not_block_acceptance(int alphabetSize, int seed)
    {
        var oracle = new ModelOracle(TabularModel.Random(alphabetSize, 4, seed, scale: 1.0));
        var first = new LogitRankLearner().Learn(oracle, ThresholdSchedule, seed).Report.Epochs[0];
        Assert.False(first.Abandoned);
        var largest = Assert.Single(first.Witnesses); // the candidate of largest |res| (one witness per epoch)

        // Same seed, g = that |res|: the same residuals are computed, none of the candidates exceeds g any more.
        var again = new LogitRankLearner().Learn(oracle, ThresholdSchedule with { WitnessThreshold = Math.Abs(largest.Residual) }, seed).Report.Epochs[0];
        Assert.Equal(first.MaxResidual, again.MaxResidual);
        Assert.Empty(again.Witnesses);

        // g = the largest residual of all (words already in F̂_s included): every residual is at most g, so the epoch accepts.
        var accepted = new LogitRankLearner().Learn(oracle, ThresholdSchedule with { WitnessThreshold = first.MaxResidual }, seed).Report;
        Assert.True(accepted.Accepted);
        Assert.Empty(accepted.Epochs[0].Witnesses);
    }
}
