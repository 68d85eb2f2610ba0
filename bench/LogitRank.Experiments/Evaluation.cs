using System.Diagnostics;
using LogitRank.Certification;
using LogitRank.Evaluation;
using LogitRank.Models;
using LogitRank.Oracles;
using LogitRank.Sequences;
using LogitRank.Statistics;

namespace LogitRank.Experiments;

/// <summary>KL(P||Q) and TV(P,Q), exact or Monte Carlo with a 95% interval.</summary>
internal sealed record Divergence(double KL, double TV, bool Exact, double? KLLow = null, double? KLHigh = null, double? TVLow = null, double? TVHigh = null, int Samples = 0)
{
    public string KLText => Exact ? Fmt.Num(KL) : $"{Fmt.Num(KL)} [{Fmt.Num(KLLow)}, {Fmt.Num(KLHigh)}]";

    public string TVText => Exact ? Fmt.Num(TV) : $"{Fmt.Num(TV)} [{Fmt.Num(TVLow)}, {Fmt.Num(TVHigh)}]";

    /// <summary>The value to compare with a TV target: exact, or the upper end of the interval.</summary>
    public double TVUpper => Exact ? TV : TVHigh ?? TV;
}

internal static class Divergences
{
    /// <summary>Enumerate when k^T is at most this.</summary>
    public const long ExactLimit = 1L << 20;

    public static Divergence Measure(ISequenceModel p, ISequenceModel q, int monteCarloSamples, int seed)
    {
        var count = SequenceSpace.Count(p.AlphabetSize, p.Horizon);
        return count > 0 && count <= ExactLimit ? Exact(p, q) : MonteCarlo(p, q, monteCarloSamples, seed);
    }

    /// <summary>
    /// Exact KL and TV by one walk of the prefix tree: each internal node costs one logit evaluation per model, the
    /// leaves accumulate P(y) log(P(y)/Q(y)) and |P(y) - Q(y)|/2 (Neumaier sums).
    /// </summary>
    public static Divergence Exact(ISequenceModel p, ISequenceModel q, CancellationToken cancellationToken = default)
    {
        double kl = 0, klc = 0, tv = 0, tvc = 0;
        void Add(ref double sum, ref double c, double v)
        {
            var t = sum + v;
            c += Math.Abs(sum) >= Math.Abs(v) ? (sum - t) + v : (v - t) + sum;
            sum = t;
        }

        void Walk(Prefix h, double logP, double logQ)
        {
            if (h.Length == p.Horizon)
            {
                var pp = Math.Exp(logP);
                Add(ref kl, ref klc, pp * (logP - logQ));
                Add(ref tv, ref tvc, 0.5 * Math.Abs(pp - Math.Exp(logQ)));
                return;
            }

            cancellationToken.ThrowIfCancellationRequested();
            var lp = p.NextTokenLogits(h).LogProbabilities();
            var lq = q.NextTokenLogits(h).LogProbabilities();
            for (var a = 0; a < lp.Length; a++)
            {
                Walk(h.Append(a), logP + lp[a], logQ + lq[a]);
            }
        }

        Walk(Prefix.Empty, 0, 0);
        return new Divergence(Math.Max(0, kl + klc), Math.Clamp(tv + tvc, 0, 1), Exact: true);
    }

    /// <summary>
    /// Monte Carlo from n samples y ~ P: KL by the chain rule (mean of Σ_t KL_t(y), <see cref="MonteCarloDivergence"/>) with a
    /// normal-approximation 95% interval (no a-priori range for KL), TV by the unbiased estimator E_P[(1 - Q(y)/P(y))^+]
    /// whose values lie in [0, 1], with the empirical Bernstein two-sided 95% interval.
    /// </summary>
    public static Divergence MonteCarlo(ISequenceModel p, ISequenceModel q, int n, int seed)
    {
        var samples = p.SampleMany(n, seed);
        var mc = MonteCarloDivergence.Estimate(p, q, samples, delta: 0.05);
        return FromSamples(mc, samples.Select(y => TvTerm(p.LogProbability(y), q.LogProbability(y))).ToArray());
    }

    /// <summary>
    /// <see cref="MonteCarlo(ISequenceModel, ISequenceModel, int, int)"/> when <c>P</c> is reachable only through an oracle:
    /// the caller draws the paths once (<see cref="OracleSampler.SampleWithLogits"/>, seeded) and reuses them for every
    /// <paramref name="q"/>; <c>P</c>'s logits along them are asked again of <paramref name="p"/> (a caching oracle answers
    /// them for free).
    /// </summary>
    public static Divergence MonteCarlo(ILogitOracle p, IReadOnlyList<SampledPath> paths, ISequenceModel q)
    {
        var samples = paths.Select(path => path.Sequence).ToArray();
        var mc = MonteCarloDivergence.Estimate(p, q, samples, delta: 0.05);
        return FromSamples(mc, paths.Select(path => TvTerm(path.LogProbability(), q.LogProbability(path.Sequence))).ToArray());
    }

    /// <summary>Exact KL and TV by <see cref="ExactDivergence.SequenceLevel(ISequenceModel, ISequenceModel, long, IProgress{EnumerationProgress}?, CancellationToken)"/> (the library's enumeration of <c>Σ^T</c>).</summary>
    public static Divergence Enumerated(ISequenceModel p, ISequenceModel q, CancellationToken cancellationToken)
    {
        var d = ExactDivergence.SequenceLevel(p, q, ExactLimit, null, cancellationToken);
        return new Divergence(d.KullbackLeibler, d.TotalVariation, Exact: true);
    }

    /// <summary>One sample's term of the unbiased TV estimator <c>E_P[(1 - Q(y)/P(y))^+]</c>.</summary>
    private static double TvTerm(double logP, double logQ) => Math.Max(0, 1 - Math.Exp(logQ - logP));

    private static Divergence FromSamples(MonteCarloDivergenceResult mc, double[] tvValues)
    {
        var n = tvValues.Length;
        var klSd = Math.Sqrt(ConcentrationBounds.SampleVariance(mc.KullbackLeibler.Samples) / n);
        var interval = ConcentrationBounds.EmpiricalBernsteinTwoSided(tvValues, 1.0, 0.05);
        var kl = mc.KullbackLeibler.Mean;
        return new Divergence(kl, tvValues.Average(), Exact: false, kl - (1.96 * klSd), kl + (1.96 * klSd), Math.Max(0, interval.Lower), Math.Min(1, interval.Upper), n);
    }
}

internal static class Fmt
{
    public static string Num(double? x) => x switch
    {
        null => "–",
        double v when double.IsNaN(v) => "NaN",
        double v when v == 0 => "0",
        double v when Math.Abs(v) >= 1e5 || Math.Abs(v) < 1e-3 => v.ToString("0.00e+0", System.Globalization.CultureInfo.InvariantCulture),
        double v => v.ToString("0.####", System.Globalization.CultureInfo.InvariantCulture),
    };

    public static string Int(long x) => x.ToString("N0", System.Globalization.CultureInfo.InvariantCulture);

    public static string Ms(TimeSpan t) => t.TotalMilliseconds.ToString("0", System.Globalization.CultureInfo.InvariantCulture);

    public static TimeSpan Time(Action action)
    {
        var sw = Stopwatch.StartNew();
        action();
        return sw.Elapsed;
    }
}
