using System.Numerics;
using LogitRank.Evaluation;
using LogitRank.Models;
using LogitRank.Tests.Models;

namespace LogitRank.Tests.Evaluation;

public partial class ExactDivergenceTests
{
    // Closed forms below are evaluated by hand; 1e-14 absolute covers rounding in sums of at most 4 terms of size <= 1.
    private const double Tolerance = 1e-14;

    [Fact]
    public void One_step_uniform_against_eight_two_has_KL_ln_1_25_and_TV_0_3()
    {
        // KL((.5,.5)||(.8,.2)) = .5 ln(.5/.8) + .5 ln(.5/.2) = .5 ln(1.5625) = ln 1.25; TV = |.5 - .8| = .3.
        var p = TestModels.Iid(1, 0.5, 0.5);
        var q = TestModels.Iid(1, 0.8, 0.2);
        Assert.Equal(Math.Log(1.25), ExactDivergence.KullbackLeibler(p, q), Tolerance);
        Assert.Equal(0.3, ExactDivergence.TotalVariation(p, q), Tolerance);
        var steps = ExactDivergence.PerStep(p, q);
        Assert.Equal(1, steps.Horizon);
        Assert.Equal(Math.Log(1.25), steps.ChainRuleKullbackLeibler, Tolerance);
        Assert.Equal(0.3, steps.HybridTotalVariationBound, Tolerance);
    }

    [Fact]
    public void Two_step_product_models_add_KL_and_have_TV_0_39_below_the_hybrid_0_6()
    {
        // P = uniform ⊗ uniform, Q = (.8,.2) ⊗ (.8,.2): Q(y) = .64, .16, .16, .04 against .25 each, so
        // TV = ½(.39 + .09 + .09 + .21) = .39 while the hybrid bound is .3 + .3 = .6; KL = 2 ln 1.25 (additivity).
        var p = TestModels.Iid(2, 0.5, 0.5);
        var q = TestModels.Iid(2, 0.8, 0.2);
        Assert.Equal(2 * Math.Log(1.25), ExactDivergence.KullbackLeibler(p, q), Tolerance);
        Assert.Equal(0.39, ExactDivergence.TotalVariation(p, q), Tolerance);
        var steps = ExactDivergence.PerStep(p, q);
        Assert.Equal([Math.Log(1.25), Math.Log(1.25)], steps.KullbackLeibler.ToArray(), new ToleranceComparer(Tolerance));
        Assert.Equal([0.3, 0.3], steps.TotalVariation.ToArray(), new ToleranceComparer(Tolerance));
        Assert.Equal(0.6, steps.HybridTotalVariationBound, Tolerance);
    }

    [Fact]
    public void History_dependent_step_is_weighted_by_the_prefix_probability_under_P()
    {
        // P: first token uniform; after 0 uniform, after 1 (.9,.1). Q: uniform everywhere.
        // P(y) = .25, .25, .45, .05, so KL = .45 ln 1.8 + .05 ln .2 and TV = ½(.2 + .2) = .2.
        // Per step: t = 0 contributes 0; t = 1 contributes ½·KL((.9,.1)||(.5,.5)) and ½·TV = ½·.4 = .2.
        var p = TestModels.FromNext(2, 2, h => h.Length == 1 && h[0] == 1 ? [0.9, 0.1] : [0.5, 0.5]);
        var q = TestModels.Iid(2, 0.5, 0.5);
        var kl = (0.45 * Math.Log(1.8)) + (0.05 * Math.Log(0.2));
        Assert.Equal(kl, ExactDivergence.KullbackLeibler(p, q), Tolerance);
        Assert.Equal(0.2, ExactDivergence.TotalVariation(p, q), Tolerance);
        var steps = ExactDivergence.PerStep(p, q);
        Assert.Equal(0.0, steps.KullbackLeibler[0], Tolerance);
        Assert.Equal(kl, steps.KullbackLeibler[1], Tolerance);
        Assert.Equal(0.0, steps.TotalVariation[0], Tolerance);
        Assert.Equal(0.2, steps.TotalVariation[1], Tolerance);

        // The reverse direction weights by Q's prefixes: KL(Q||P) = ½·KL((.5,.5)||(.9,.1)) = ½·½ ln(.5/.9 · .5/.1) = ¼ ln(25/9).
        Assert.Equal(0.25 * Math.Log(25.0 / 9.0), ExactDivergence.KullbackLeibler(q, p), Tolerance);
        Assert.Equal(0.25 * Math.Log(25.0 / 9.0), ExactDivergence.PerStep(q, p).ChainRuleKullbackLeibler, Tolerance);
    }

    [Fact]
    public void Identical_models_have_zero_divergences()
    {
        var p = TabularModel.Random(3, 3, seed: 5);
        Assert.Equal(0.0, ExactDivergence.KullbackLeibler(p, p), 1e-15);
        Assert.Equal(0.0, ExactDivergence.TotalVariation(p, p));
        Assert.All(ExactDivergence.PerStep(p, p).KullbackLeibler, v => Assert.Equal(0.0, v));
    }

    [Fact]
    public void Enumerated_probabilities_sum_to_one_in_lexicographic_order()
    {
        var p = TestModels.FromNext(2, 2, h => h.Length == 1 && h[0] == 1 ? [0.9, 0.1] : [0.5, 0.5]);
        var probabilities = ExactDivergence.LogProbabilities(p).Select(Math.Exp).ToArray();
        Assert.Equal([0.25, 0.25, 0.45, 0.05], probabilities, new ToleranceComparer(Tolerance));
    }

    [Fact]
    public void Too_many_sequences_throws_a_typed_exception_naming_k_T_kT_and_the_limit()
    {
        var p = TabularModel.Random(2, 10, seed: 1);
        var ex = Assert.Throws<EnumerationTooLargeException>(() => ExactDivergence.KullbackLeibler(p, p, maxSequences: 1000));
        Assert.Equal(new BigInteger(1024), ex.Sequences);
        Assert.Equal(1000, ex.Limit);
        Assert.Equal(2, ex.AlphabetSize);
        Assert.Equal(10, ex.Horizon);
        Assert.Contains("k = 2", ex.Message, StringComparison.Ordinal);
        Assert.Contains("T = 10", ex.Message, StringComparison.Ordinal);
        Assert.Contains("1024", ex.Message, StringComparison.Ordinal);
        Assert.Contains("1000", ex.Message, StringComparison.Ordinal);
        Assert.Throws<EnumerationTooLargeException>(() => ExactDivergence.TotalVariation(p, p, 1000));
        Assert.Throws<EnumerationTooLargeException>(() => ExactDivergence.PerStep(p, p, 1000));
        Assert.Throws<EnumerationTooLargeException>(() => ExactDivergence.LogProbabilities(p, 1000));

        // Exactly at the limit is allowed.
        Assert.Equal(0.0, ExactDivergence.TotalVariation(p, p, 1024));
    }

    [Fact]
    public void The_default_limit_refuses_before_touching_a_huge_model()
    {
        // k^T = 50^30 does not fit in a long; the count is exact and nothing is enumerated.
        var p = TimeVaryingIsan.Random(50, 30, 2, seed: 3);
        var ex = Assert.Throws<EnumerationTooLargeException>(() => ExactDivergence.KullbackLeibler(p, p));
        Assert.Equal(BigInteger.Pow(50, 30), ex.Sequences);
        Assert.Equal(ExactDivergence.DefaultMaxSequences, ex.Limit);
        Assert.Contains(BigInteger.Pow(50, 30).ToString(System.Globalization.CultureInfo.InvariantCulture), ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Models_on_different_spaces_are_rejected_naming_both()
    {
        var p = TabularModel.Random(2, 3, seed: 1);
        var otherK = TabularModel.Random(3, 3, seed: 1);
        var otherT = TabularModel.Random(2, 4, seed: 1);
        var ex = Assert.Throws<IncompatibleModelsException>(() => ExactDivergence.KullbackLeibler(p, otherK));
        Assert.Contains("P has k = 2, T = 3", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Q has k = 3, T = 3", ex.Message, StringComparison.Ordinal);
        var exT = Assert.Throws<IncompatibleModelsException>(() => ExactDivergence.PerStep(p, otherT));
        Assert.Contains("Q has k = 2, T = 4", exT.Message, StringComparison.Ordinal);
        Assert.Throws<IncompatibleModelsException>(() => ExactDivergence.TotalVariation(otherT, p));
    }

    [Fact]
    public void Non_positive_limit_is_rejected()
    {
        var p = TabularModel.Random(2, 1, seed: 1);
        Assert.Throws<ArgumentOutOfRangeException>(() => ExactDivergence.KullbackLeibler(p, p, 0));
    }

    [Fact]
    public void Sequence_level_reports_progress_every_interval_and_at_the_end_with_the_same_result()
    {
        // k^T = 2^16 = 4 intervals of 2^14: reports at 2^14, 2^15, 3·2^14 (before the next sequence) and at the end.
        var p = TimeVaryingIsan.Random(2, 16, 2, 1);
        var q = TimeVaryingIsan.Random(2, 16, 2, 2);
        var reports = new List<EnumerationProgress>();
        var withProgress = ExactDivergence.SequenceLevel(p, q, ExactDivergence.DefaultMaxSequences, new SynchronousProgress<EnumerationProgress>(reports.Add), CancellationToken.None);
        Assert.Equal(ExactDivergence.SequenceLevel(p, q), withProgress);
        long[] expected = [1L << 14, 2L << 14, 3L << 14, 1L << 16];
        Assert.Equal(expected, reports.Select(r => r.Done));
        Assert.All(reports, r => Assert.Equal(1L << 16, r.Total));
    }

    [Fact]
    public void Sequence_level_stops_at_cancellation_without_scoring_the_rest()
    {
        var p = new SpyModel(TimeVaryingIsan.Random(2, 16, 2, 1));
        var q = TimeVaryingIsan.Random(2, 16, 2, 2);
        using var cancellation = new CancellationTokenSource();
        var progress = new SynchronousProgress<EnumerationProgress>(_ => cancellation.Cancel());
        Assert.ThrowsAny<OperationCanceledException>(() => ExactDivergence.SequenceLevel(p, q, ExactDivergence.DefaultMaxSequences, progress, cancellation.Token));

        // Cancelled at the first report (after 2^14 sequences): the next sequence is not scored, 3·2^14 never are.
        Assert.Equal(1 << 14, p.LogProbabilityCalls);

        var pre = new SpyModel(q);
        Assert.ThrowsAny<OperationCanceledException>(() => ExactDivergence.SequenceLevel(pre, q, ExactDivergence.DefaultMaxSequences, null, new CancellationToken(canceled: true)));
        Assert.Equal(0, pre.LogProbabilityCalls);
    }

    [Fact]
    public void Per_step_walk_stops_at_cancellation_before_any_query()
    {
        var p = new SpyModel(TimeVaryingIsan.Random(2, 4, 2, 1));
        var q = TimeVaryingIsan.Random(2, 4, 2, 2);
        Assert.ThrowsAny<OperationCanceledException>(() => ExactDivergence.PerStep(p, q, 100, new CancellationToken(canceled: true)));
        Assert.Empty(p.Queried);
        var plain = ExactDivergence.PerStep(p, q);
        var cancellable = ExactDivergence.PerStep(p, q, 100, CancellationToken.None);
        Assert.Equal(plain.KullbackLeibler, cancellable.KullbackLeibler);
        Assert.Equal(plain.TotalVariation, cancellable.TotalVariation);
    }

    /// <summary>Reports on the caller's thread (Progress&lt;T&gt; would post to the thread pool, out of order).</summary>
    private sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}

internal sealed class ToleranceComparer(double tolerance) : IEqualityComparer<double>
{
    public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance;

    public int GetHashCode(double obj) => 0;
}
