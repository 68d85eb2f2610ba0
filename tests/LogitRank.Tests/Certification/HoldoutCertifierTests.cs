using LogitRank.Certification;
using LogitRank.Evaluation;
using LogitRank.Models;
using LogitRank.Oracles;
using LogitRank.Sequences;

namespace LogitRank.Tests.Certification;

public partial class HoldoutCertifierTests
{
    /// <summary>The exact bound <c>max_h ||ℓ(h)||_∞</c> of a small model, by enumeration.</summary>
    internal static double LogitBound(ISequenceModel model) =>
        SequenceSpace.AllUpTo(model.AlphabetSize, model.Horizon - 1).Max(h => model.NextTokenLogits(h).Values.ToArray().Max(Math.Abs));

    [Fact]
    public void Certified_bounds_cover_exact_divergences_on_random_pairs()
    {
        // 20 seeded pairs (target ISAN, learned = a nearby tabular model), δ = 0.1 per statement. If the certificate
        // is valid, each bound fails with probability <= 0.1, so P[more than 6 failures of 20] < 0.003 (binomial tail).
        const double delta = 0.1;
        var failures = 0;
        for (var seed = 0; seed < 20; seed++)
        {
            var target = TimeVaryingIsan.Random(2, 5, 2, seed, logitScale: 1.5);
            var other = TabularModel.Random(2, 5, seed + 1000, scale: 0.3 + (0.1 * (seed % 5)));
            var learned = new MixtureForTest(target, other);
            var certificate = HoldoutCertifier.Certify(new ModelOracle(target), learned, LogitBound(learned), new HoldoutOptions { Samples = 400, Delta = delta, Seed = seed });
            var tv = ExactDivergence.TotalVariation(target, learned);
            var kl = ExactDivergence.KullbackLeibler(target, learned);
            if (tv > certificate.TotalVariationUpper)
            {
                failures++;
            }

            if (kl > certificate.KullbackLeiblerUpper)
            {
                failures++;
            }

            Assert.True(tv <= certificate.HybridTotalVariation.Upper + 1e-12, $"seed {seed}: exact TV {tv} above the hybrid bound {certificate.HybridTotalVariation.Upper}");
        }

        Assert.True(failures <= 6, $"{failures} of 40 certified bounds were below the exact divergence");
    }

    [Fact]
    public void Likelihood_ratio_statistic_is_unbiased_for_the_exact_tv()
    {
        // E[Z] = TV exactly; with 4000 samples of a [0,1] statistic, the mean is within 4·sqrt(1/(4·4000)) ≈ 0.032 of TV
        // except with probability < 1e-4 (Chebyshev would need 0.16; Hoeffding gives 2·exp(-2·4000·0.032²) ≈ 5e-4).
        var target = TimeVaryingIsan.Random(3, 4, 2, seed: 7, logitScale: 2);
        var learned = TabularModel.Random(3, 4, seed: 8, scale: 1);
        var certificate = HoldoutCertifier.Certify(new ModelOracle(target), learned, LogitBound(learned), new HoldoutOptions { Samples = 4000, Seed = 3 });
        var tv = ExactDivergence.TotalVariation(target, learned);
        Assert.InRange(certificate.TotalVariation.Mean, tv - 0.032, tv + 0.032);
        var kl = ExactDivergence.KullbackLeibler(target, learned);
        Assert.InRange(certificate.KullbackLeibler.Mean, kl * 0.9, kl * 1.1); // chain-rule mean; relative error of a sum of per-step KLs (small variance)
    }

    [Fact]
    public void Exact_copy_certifies_near_zero()
    {
        var target = TimeVaryingIsan.Random(2, 6, 3, seed: 11);
        var copy = TabularModel.Tabulate(target);
        var certificate = HoldoutCertifier.Certify(new ModelOracle(target), copy, LogitBound(copy), new HoldoutOptions { Samples = 2000, Delta = 0.05, Seed = 1 });
        Assert.Equal(0, certificate.TotalVariation.Mean);
        Assert.Equal(0, certificate.KullbackLeibler.Mean, 12);
        Assert.Equal(0, certificate.MaxLogitError, 12);
        // All-zero samples: the empirical Bernstein bound reduces to 7·R·ln(2/(δ/2))/(3(n-1)).
        var expected = 7 * Math.Log(2 / 0.025) / (3 * 1999.0);
        Assert.Equal(expected, certificate.TotalVariationUpper, 9);
        Assert.True(certificate.Queries > 0);
        Assert.True(certificate.Queries <= SequenceSpace.CountUpTo(2, 5), "at most one query per distinct prefix");
    }

    [Fact]
    public void Bad_inputs_raise_typed_errors()
    {
        var target = TimeVaryingIsan.Random(2, 4, 2, seed: 1);
        var oracle = new ModelOracle(target);
        var wrongHorizon = TabularModel.Random(2, 5, seed: 1);
        var e1 = Assert.Throws<ArgumentException>(() => HoldoutCertifier.Certify(oracle, wrongHorizon, 10, new HoldoutOptions()));
        Assert.Contains("T = 4", e1.Message, StringComparison.Ordinal);
        Assert.Contains("T = 5", e1.Message, StringComparison.Ordinal);
        var e2 = Assert.Throws<ArgumentException>(() => HoldoutCertifier.Certify(oracle, target, double.NaN, new HoldoutOptions()));
        Assert.Contains("NaN", e2.Message, StringComparison.Ordinal);
        var e3 = Assert.Throws<ArgumentOutOfRangeException>(() => HoldoutCertifier.Certify(oracle, target, 10, new HoldoutOptions { Samples = 1 }));
        Assert.Contains("Samples", e3.Message, StringComparison.Ordinal);
        var e4 = Assert.Throws<ArgumentOutOfRangeException>(() => HoldoutCertifier.Certify(oracle, target, 10, new HoldoutOptions { Delta = 1 }));
        Assert.Contains("Delta", e4.Message, StringComparison.Ordinal);
        // A false logit bound is caught rather than silently producing a wrong range.
        var e5 = Assert.Throws<InvalidOperationException>(() => HoldoutCertifier.Certify(oracle, target, 1e-6, new HoldoutOptions { Samples = 10 }));
        Assert.Contains("exceeds the stated bound", e5.Message, StringComparison.Ordinal);
    }

    /// <summary>The model whose logits are the average of two models' logits (a smooth "learned" stand-in).</summary>
    /// <summary>
    /// Cancellation reaches the evaluation loop, not only the sampling: a token cancelled while the first sampled path
    /// is being evaluated stops the certifier before the second path (the sampler has already finished by then).
    /// </summary>
    [Fact]
    public void Cancellation_during_evaluation_stops_before_the_next_path()
    {
        var target = TabularModel.Random(2, 3, 7, scale: 1.0);
        using var cancellation = new CancellationTokenSource();
        var learned = new CancellingModel(target, cancellation);
        var options = new HoldoutOptions { Samples = 50, Delta = 0.1, Seed = 3 };
        Assert.ThrowsAny<OperationCanceledException>(() => HoldoutCertifier.Certify(new ModelOracle(target), learned, LogitBound(target), options, cancellation.Token));

        // The first path is evaluated at its T = 3 prefixes; nothing after the cancellation.
        Assert.Equal(3, learned.Evaluations);
    }

    /// <summary>
    /// The documented range is B >= 0, and B = 0 is exact for the uniform model (all logits 0): certifying it with
    /// B = 0 must not trip the logit-bound check, whose slack is relative plus 1e-12 absolute, never negative.
    /// </summary>
    [Fact]
    public void The_uniform_model_certifies_with_logit_bound_zero()
    {
        var uniform = global::LogitRank.Tests.Evaluation.TestModels.Iid(3, 0.5, 0.5);
        Assert.Equal(0.0, LogitBound(uniform));
        var certificate = HoldoutCertifier.Certify(new ModelOracle(uniform), uniform, 0.0, new HoldoutOptions { Samples = 20, Delta = 0.1, Seed = 1 });
        Assert.Equal(0.0, certificate.TotalVariation.Mean);
    }

    /// <summary>Forwards to <paramref name="inner"/> and cancels <paramref name="source"/> on its first evaluation.</summary>
    private sealed class CancellingModel(ISequenceModel inner, CancellationTokenSource source) : SequenceModel(inner.AlphabetSize, inner.Horizon)
    {
        public int Evaluations { get; private set; }

        protected override global::LogitRank.Numerics.LogitVector ComputeLogits(Prefix prefix)
        {
            Evaluations++;
            source.Cancel();
            return inner.NextTokenLogits(prefix);
        }
    }

    private sealed class MixtureForTest(ISequenceModel a, ISequenceModel b) : SequenceModel(a.AlphabetSize, a.Horizon)
    {
        protected override global::LogitRank.Numerics.LogitVector ComputeLogits(Prefix prefix)
        {
            var u = a.NextTokenLogits(prefix).Values;
            var v = b.NextTokenLogits(prefix).Values;
            var w = new double[u.Length];
            for (var i = 0; i < w.Length; i++)
            {
                w[i] = u[i] + v[i];
            }

            return global::LogitRank.Numerics.LogitVector.FromLogits(w);
        }
    }
}
