using LogitRank.Evaluation;
using LogitRank.Numerics;

namespace LogitRank.Tests.Evaluation;

public class PathDivergenceAccumulatorTests
{
    [Fact]
    public void Path_sums_and_step_means_are_the_sums_and_means_of_the_per_step_divergences()
    {
        // Two paths of two steps over k = 2. Step values by hand: p = (.9,.1) against q = (.5,.5) has
        // KL = .9 ln 1.8 + .1 ln .2 and TV = .4; identical vectors give 0 and 0.
        var skewed = LogitVector.FromProbabilities([0.9, 0.1]);
        var uniform = LogitVector.FromProbabilities([0.5, 0.5]);
        var kl = (0.9 * Math.Log(1.8)) + (0.1 * Math.Log(0.2));
        var accumulator = new PathDivergenceAccumulator(paths: 2, horizon: 2, keepSteps: true);
        var (stepKl, stepTv) = accumulator.Add(0, 0, skewed, uniform);
        accumulator.Add(0, 1, uniform, uniform);
        accumulator.Add(1, 0, skewed, uniform);
        accumulator.Add(1, 1, 0.25, 0.5); // a step whose values the caller computed (e.g. a worst case)

        // Tolerance 1e-15: the values go through log-softmax of two-entry vectors (a few ulps of numbers below 1).
        Assert.Equal(kl, stepKl, 1e-15);
        Assert.Equal(0.4, stepTv, 1e-15);
        Assert.Equal(kl, accumulator.PathKullbackLeibler[0], 1e-15);
        Assert.Equal(kl + 0.25, accumulator.PathKullbackLeibler[1], 1e-15);
        Assert.Equal(0.4, accumulator.PathTotalVariation[0], 1e-15);
        Assert.Equal(0.9, accumulator.PathTotalVariation[1], 1e-15);
        Assert.Equal([kl, 0.125], accumulator.PerStepKullbackLeiblerMeans(), new ToleranceComparer(1e-15));
        Assert.Equal([0.4, 0.25], accumulator.PerStepTotalVariationMeans(), new ToleranceComparer(1e-15));
        Assert.Equal(0.25, accumulator.StepKullbackLeibler[1][1]);
        Assert.Equal(0.5, accumulator.StepTotalVariation[1][1]);
        Assert.Equal(0.0, accumulator.StepTotalVariation[0][1]);
    }

    [Fact]
    public void Sums_do_not_depend_on_whether_paths_or_steps_are_visited_first()
    {
        // The Monte Carlo estimator visits step by step across all paths, the certifier path by path: both must give
        // bit-identical sums, because each path's steps and each step's paths are added in the same order either way.
        var random = new Random(17);
        const int paths = 7, horizon = 5;
        var values = new (double Kl, double Tv)[paths, horizon];
        for (var i = 0; i < paths; i++)
        {
            for (var t = 0; t < horizon; t++)
            {
                values[i, t] = (random.NextDouble() * 3, random.NextDouble());
            }
        }

        var byPath = new PathDivergenceAccumulator(paths, horizon);
        for (var i = 0; i < paths; i++)
        {
            for (var t = 0; t < horizon; t++)
            {
                byPath.Add(i, t, values[i, t].Kl, values[i, t].Tv);
            }
        }

        var byStep = new PathDivergenceAccumulator(paths, horizon);
        for (var t = 0; t < horizon; t++)
        {
            for (var i = 0; i < paths; i++)
            {
                byStep.Add(i, t, values[i, t].Kl, values[i, t].Tv);
            }
        }

        Assert.Equal(byPath.PathKullbackLeibler, byStep.PathKullbackLeibler);
        Assert.Equal(byPath.PathTotalVariation, byStep.PathTotalVariation);
        Assert.Equal(byPath.PerStepKullbackLeiblerMeans(), byStep.PerStepKullbackLeiblerMeans());
        Assert.Equal(byPath.PerStepTotalVariationMeans(), byStep.PerStepTotalVariationMeans());
        var first = 0.0;
        for (var t = 0; t < horizon; t++)
        {
            first += values[0, t].Kl;
        }

        Assert.Equal(first, byStep.PathKullbackLeibler[0]); // the sum in the order of t, from 0: exact
    }

    [Fact]
    public void A_step_out_of_order_or_missing_is_an_error_naming_it()
    {
        var accumulator = new PathDivergenceAccumulator(paths: 2, horizon: 2);
        var skipped = Assert.Throws<InvalidOperationException>(() => accumulator.Add(0, 1, 0.0, 0.0));
        Assert.Contains("Step 1 of path 0", skipped.Message, StringComparison.Ordinal);
        accumulator.Add(0, 0, 0.0, 0.0);
        Assert.Throws<InvalidOperationException>(() => accumulator.Add(0, 0, 0.0, 0.0)); // twice
        accumulator.Add(0, 1, 0.0, 0.0);
        accumulator.Add(1, 0, 0.0, 0.0);
        var incomplete = Assert.Throws<InvalidOperationException>(accumulator.PerStepKullbackLeiblerMeans);
        Assert.Contains("Path 1 has 1 of its 2 steps", incomplete.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => accumulator.StepKullbackLeibler); // not kept
        Assert.Throws<ArgumentOutOfRangeException>(() => new PathDivergenceAccumulator(0, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => new PathDivergenceAccumulator(2, 0));
    }
}
