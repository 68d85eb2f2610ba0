using LogitRank.Learning;
using LogitRank.Models;
using LogitRank.Oracles;
using LogitRank.Sequences;

namespace LogitRank.Tests.Learning;

/// <summary>
/// The fallback decides how an infeasible prefix is settled: under <see cref="FallbackPolicy.Uniform"/> only feasibility
/// matters there, so a dual certificate may settle it without the whole-prefix LP; under
/// <see cref="FallbackPolicy.MinimumResidual"/> the model predicts from the minimum-residual solution, so no prefix is
/// ever settled by a certificate.
/// </summary>
public partial class LearnedModelTests
{
    [Fact]
    public void Only_the_uniform_fallback_settles_infeasible_prefixes_by_a_certificate()
    {
        // A perturbed ISAN learned with few spanner samples and not accepted (as in ReconstructorTests): many prefixes
        // of length >= 3 are infeasible, which is where a certificate can apply.
        var target = PerturbedModel.RandomIsan(3, 7, 2, 0.1, seed: 4, logitScale: 2.0);
        var learned = new LogitRankLearner().Learn(new ModelOracle(target), new PracticalSchedule { MaxEpochs = 6, ValidationSamples = 8, SpannerSampleCount = 4, WitnessThreshold = 1e-3 }, seed: 2).Model;
        var uniform = new LearnedModel(learned.FutureSets, learned.Bases, learned.Options with { Fallback = FallbackPolicy.Uniform });
        var minimumResidual = new LearnedModel(learned.FutureSets, learned.Bases, learned.Options with { Fallback = FallbackPolicy.MinimumResidual });
        var random = new Random(11);
        var prefixes = Enumerable.Range(0, 200).Select(_ => target.Sample(random).Take(target.Horizon - 1)).Distinct().ToList();

        int Certified(LearnedModel m) => prefixes.Count(p => m.Engine.Solve(p).Route == ReconstructionRoute.CertifiedInfeasible);
        Assert.True(Certified(uniform) > 0, "no sampled prefix was certified infeasible under the uniform fallback: the case does not exercise the certificate");
        Assert.Equal(0, Certified(minimumResidual));
    }
}
