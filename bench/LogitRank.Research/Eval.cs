// RESEARCH PROTOTYPE (issue 14): exact (enumeration) and Monte Carlo KL/TV of a learned model against a target.
using LogitRank.Models;
using LogitRank.Sequences;

namespace LogitRank.Research;

internal sealed record Div(double KL, double TV, bool Exact, double KLse = 0, double TVse = 0)
{
    public override string ToString() => Exact
        ? FormattableString.Invariant($"KL {KL:G3} TV {TV:G3} (exact)")
        : FormattableString.Invariant($"KL {KL:G3}±{1.96 * KLse:G2} TV {TV:G3}±{1.96 * TVse:G2} (MC)");
}

internal static class Eval
{
    public static Div Measure(ISequenceModel p, ISequenceModel q, long exactLimit = 1L << 20, int mc = 2000, int seed = 7)
    {
        var count = Math.Pow(p.AlphabetSize, p.Horizon);
        return count <= exactLimit ? Exact(p, q) : MonteCarlo(p, q, mc, seed);
    }

    public static Div Exact(ISequenceModel p, ISequenceModel q)
    {
        double kl = 0, tv = 0;
        void Walk(Prefix h, double logP, double logQ)
        {
            if (h.Length == p.Horizon)
            {
                var pp = Math.Exp(logP);
                kl += pp * (logP - logQ);
                tv += 0.5 * Math.Abs(pp - Math.Exp(logQ));
                return;
            }

            var lp = p.NextTokenLogits(h).LogProbabilities();
            var lq = q.NextTokenLogits(h).LogProbabilities();
            for (var a = 0; a < lp.Length; a++)
            {
                Walk(h.Append(a), logP + lp[a], logQ + lq[a]);
            }
        }

        Walk(Prefix.Empty, 0, 0);
        return new Div(Math.Max(0, kl), Math.Clamp(tv, 0, 1), true);
    }

    /// <summary>KL by the chain rule, TV by E_P[(1 - Q/P)^+], n samples y ~ P (seeded).</summary>
    public static Div MonteCarlo(ISequenceModel p, ISequenceModel q, int n, int seed)
    {
        var random = new Random(seed);
        var kls = new double[n];
        var tvs = new double[n];
        for (var i = 0; i < n; i++)
        {
            var h = Prefix.Empty;
            double kl = 0, logP = 0, logQ = 0;
            for (var t = 0; t < p.Horizon; t++)
            {
                var lp = p.NextTokenLogits(h).LogProbabilities();
                var lq = q.NextTokenLogits(h).LogProbabilities();
                for (var a = 0; a < lp.Length; a++)
                {
                    kl += Math.Exp(lp[a]) * (lp[a] - lq[a]);
                }

                var probs = lp.Select(Math.Exp).ToArray();
                var z = SequenceModel.SampleToken(probs, random);
                logP += lp[z];
                logQ += lq[z];
                h = h.Append(z);
            }

            kls[i] = kl;
            tvs[i] = Math.Max(0, 1 - Math.Exp(logQ - logP));
        }

        static (double Mean, double Se) Stat(double[] v)
        {
            var mean = v.Average();
            var variance = v.Sum(x => (x - mean) * (x - mean)) / Math.Max(1, v.Length - 1);
            return (mean, Math.Sqrt(variance / v.Length));
        }

        var (klm, klse) = Stat(kls);
        var (tvm, tvse) = Stat(tvs);
        return new Div(klm, tvm, false, klse, tvse);
    }
}
