using LogitRank.Learning;
using LogitRank.Models;
using LogitRank.Oracles;
using LogitRank.Sequences;

namespace LogitRank.Tests.Learning;

/// <summary>Generation on an approximately low-rank target: every prefix has a proper next-token distribution.</summary>
public partial class LearnedModelTests
{
    /// <summary>
    /// Issue 15, step 1: the regression target <c>isan-k4-T8-d4-s3-eps0.05</c> (a perturbed ISAN, <c>Fixtures/</c>)
    /// learned with <c>PracticalSchedule { MaxEpochs = 60, ValidationSamples = 40, SpannerSampleCount = 60,
    /// WitnessThreshold = 0.05 }</c>, seed 1: learning and validation finished, but evaluating the learned model at the
    /// prefixes <c>3,3,2,0,...</c> and <c>3,2,2,0,...</c> threw <c>ContractViolationException</c> (the LP solver reported
    /// r = 5e-18 where max |Ax - b| = 22). Every prefix of those two subtrees (2 × 85 prefixes) must now give a finite,
    /// normalised distribution, and its LP residual must be the residual of the coefficients it uses.
    /// </summary>
    [Fact]
    public void Every_prefix_below_the_prefixes_where_generation_threw_has_a_proper_distribution()
    {
        var target = TargetTable.LoadFile(Path.Combine(AppContext.BaseDirectory, "Fixtures", "isan-k4-T8-d4-s3-eps0.05.json"));
        var schedule = new PracticalSchedule { MaxEpochs = 60, ValidationSamples = 40, SpannerSampleCount = 60, WitnessThreshold = 0.05 };
        var model = new LogitRankLearner().Learn(new ModelOracle(target), schedule, seed: 1).Model;
        var checkedPrefixes = 0;
        foreach (var root in new[] { Prefix.Of(3, 3, 2, 0), Prefix.Of(3, 2, 2, 0) })
        {
            foreach (var suffix in SequenceSpace.AllUpTo(4, target.Horizon - 1 - root.Length))
            {
                var prefix = root.Concat(suffix);
                var p = model.NextTokenLogits(prefix).Probabilities();
                Assert.All(p, v => Assert.True(double.IsFinite(v) && v > 0, $"{prefix}: probability {v}"));
                Assert.Equal(1.0, p.Sum(), 12); // four probabilities: rounding only
                Assert.True(double.IsFinite(model.LpResidual(prefix)), $"{prefix}: LP residual {model.LpResidual(prefix)}");
                checkedPrefixes++;
            }
        }

        Assert.Equal(2 * (1 + 4 + 16 + 64), checkedPrefixes);
    }
}
