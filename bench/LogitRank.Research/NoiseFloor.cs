// RESEARCH PROTOTYPE (issue 14). Noise-floor estimators on a matrix of sampled rows (N x m), and the measurement of
// question 1: spectra of the learner's spanner rows per cut, against the true perturbation.
using System.Globalization;
using LogitRank.Learning;
using LogitRank.Oracles;
using LogitRank.Sequences;
using MathNet.Numerics.LinearAlgebra;

namespace LogitRank.Research;

internal sealed record FloorEstimate(
    int Rows, int Columns, double EffectiveColumns, double[] Sigma,
    int GapRank, int MpRank, double SpecPlateau, double GapResidualRms, double MpMedian, double MpResidualRms)
{
    /// <summary>The recommended estimate: the RMS of the residual of the rank-r fit with r from the MP threshold.</summary>
    public double Nu => MpResidualRms;
    public int Rank => MpRank;

    /// <summary>Whether the rows can separate noise from signal at all: enough rows, and a tail of at least 4 values.</summary>
    public bool Valid => Rows >= 8 && Math.Min(Rows, Math.Floor(EffectiveColumns)) - MpRank >= 4;
}

internal static class NoiseFloor
{
    public static double[] SingularValues(double[][] rows)
    {
        var n = rows.Length;
        var m = rows[0].Length;
        var a = Matrix<double>.Build.Dense(n, m, (i, j) => rows[i][j]);
        return a.Svd(false).S.ToArray();
    }

    /// <summary>Median of the Marchenko–Pastur law of aspect ratio beta = min/max (eigenvalues of X Xᵀ/n, unit variance).</summary>
    public static double MarchenkoPasturMedian(double beta)
    {
        beta = Math.Clamp(beta, 1e-6, 1.0);
        var a = Math.Pow(1 - Math.Sqrt(beta), 2);
        var b = Math.Pow(1 + Math.Sqrt(beta), 2);
        double Density(double x) => x <= a || x >= b ? 0 : Math.Sqrt((b - x) * (x - a)) / (2 * Math.PI * beta * x);
        const int steps = 20000;
        var h = (b - a) / steps;
        var cdf = 0.0;
        for (var i = 0; i < steps; i++)
        {
            var x = a + ((i + 0.5) * h);
            cdf += Density(x) * h;
            if (cdf >= 0.5)
            {
                return x;
            }
        }

        return b;
    }

    /// <summary>
    /// Estimates from the singular values of an N x m matrix whose noise lives in <paramref name="effectiveColumns"/>
    /// dimensions per row (m(k-1)/k for centred k-groups).
    /// </summary>
    public static FloorEstimate Estimate(double[][] rows, double effectiveColumns)
    {
        var sigma = SingularValues(rows);
        var n = rows.Length;
        var m = rows[0].Length;
        return Estimate(sigma, n, m, effectiveColumns);
    }

    public static FloorEstimate Estimate(double[] sigma, int n, int m, double effectiveColumns)
    {
        var count = (int)Math.Min(sigma.Length, Math.Min(n, Math.Floor(effectiveColumns)));
        count = Math.Max(count, 1);
        var s = sigma.Take(count).ToArray();
        var tiny = 1e-12 * Math.Max(s[0], 1e-300);

        // Largest gap in log sigma among j = 1..count-1 (r = j).
        var gapRank = count;
        var bestGap = 0.0;
        for (var j = 1; j <= Math.Max(1, count / 2); j++)
        {
            var gap = Math.Log(Math.Max(s[j - 1], tiny)) - Math.Log(Math.Max(s[j], tiny));
            if (gap > bestGap)
            {
                bestGap = gap;
                gapRank = j;
            }
        }

        double ResidualRms(int r)
        {
            if (r >= count)
            {
                return 0;
            }

            var tail = 0.0;
            for (var j = r; j < sigma.Length; j++)
            {
                tail += sigma[j] * sigma[j];
            }

            // Per entry: the noise of centred k-groups lives in m_eff of the m columns, so the energy per entry is
            // (tail / dof) · m_eff / m (measured: without this factor the estimate is sqrt(k/(k-1)) too large).
            var dof = (n - r) * (effectiveColumns - r);
            return dof > 0 ? Math.Sqrt(tail / dof * effectiveColumns / m) : 0;
        }

        double Median(IReadOnlyList<double> v)
        {
            if (v.Count == 0)
            {
                return 0;
            }

            var sorted = v.OrderBy(x => x).ToArray();
            return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : 0.5 * (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]);
        }

        var plateau = Median(s.Skip(gapRank).ToArray()) / Math.Sqrt(m);

        // Gavish–Donoho style: sigma_med / sqrt(n_max * mu_beta), iterated once with the signal values removed.
        var nMax = Math.Max(n, effectiveColumns);
        var nMin = Math.Min(n, effectiveColumns);
        var mu = MarchenkoPasturMedian(nMin / nMax);
        var mpMedian = Median(s) / Math.Sqrt(nMax * mu) * Math.Sqrt(effectiveColumns / m);
        var mpRank = 0;
        var gapRms = ResidualRms(gapRank);
        var nu = gapRms > 0 ? Math.Min(mpMedian, gapRms) : mpMedian;
        for (var iteration = 0; iteration < 4; iteration++)
        {
            var edge = 1.2 * nu * Math.Sqrt(m / effectiveColumns) * (Math.Sqrt(n) + Math.Sqrt(effectiveColumns));
            var r = s.Count(x => x > edge);
            mpRank = r;
            var next = ResidualRms(r);
            if (next <= 0 || Math.Abs(next - nu) <= 1e-3 * nu)
            {
                nu = next > 0 ? next : nu;
                break;
            }

            nu = next;
        }

        return new FloorEstimate(n, m, effectiveColumns, sigma, gapRank, mpRank, plateau, ResidualRms(gapRank), mpMedian, nu);
    }
}

internal static class FloorExperiment
{
    /// <summary>Rows of the histories on the given words: Row_h(f∘z) = ℓ(h∘f)[z].</summary>
    public static double[][] Rows(ILogitOracle oracle, IReadOnlyList<Prefix> histories, IReadOnlyList<Prefix> words)
    {
        var prefixes = new List<Prefix>();
        var index = new Dictionary<Prefix, int>();
        foreach (var h in histories)
        {
            foreach (var w in words)
            {
                var p = h.Concat(w.Take(w.Length - 1));
                if (index.TryAdd(p, prefixes.Count))
                {
                    prefixes.Add(p);
                }
            }
        }

        var answers = oracle.Query(prefixes);
        return histories.Select(h => words.Select(w => answers[index[h.Concat(w.Take(w.Length - 1))]][w[^1]]).ToArray()).ToArray();
    }

    public static List<Prefix> SampleHistories(ILogitOracle oracle, int count, int cut, int seed)
    {
        var samples = OracleSampler.Sample(oracle, count, cut, new Random(seed));
        return samples.Distinct().ToList();
    }

    /// <summary>Extra columns beyond the initial F̃_s: random words of length 3 (f of length 2) until m columns.</summary>
    public static List<Prefix> Words(int k, int horizon, int cut, int extraWords, int seed)
    {
        var futures = FutureSets.Initial(k, horizon);
        var words = futures.Extended(cut).ToList();
        var maxLength = horizon - cut;
        if (extraWords > 0 && maxLength >= 3)
        {
            var random = new Random(seed);
            var seen = new HashSet<Prefix>(words);
            var guard = 0;
            while (words.Count < futures.Extended(cut).Count + extraWords && guard++ < 100 * extraWords)
            {
                var w = Prefix.Of(random.Next(k), random.Next(k), random.Next(k));
                if (seen.Add(w))
                {
                    words.Add(w);
                }
            }
        }

        return words;
    }

    public static void Run(string[] specs, int[] sampleCounts, int extraWords, int seed, TextWriter output)
    {
        var ci = CultureInfo.InvariantCulture;
        output.WriteLine("| target | cut | N (distinct) | m | m_eff | σ_1 | σ_d | σ_{d+1} | gap r | MP r | true ν (RMS) | spec plateau σ/√m (÷ν) | rank-r_gap RMS (÷ν) | MP median (÷ν) | MP-rank RMS (÷ν) | max|E| / ε |");
        output.WriteLine("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var spec in specs)
        {
            var target = Target.Parse(spec);
            foreach (var n in sampleCounts)
            {
                for (var s = 1; s <= target.T - 2; s++)
                {
                    var histories = SampleHistories(target.Oracle, n, s, seed + s);
                    if (histories.Count < 2)
                    {
                        continue;
                    }

                    var words = Words(target.K, target.T, s, extraWords, seed);
                    var rows = Rows(target.Oracle, histories, words);
                    var groups = words.Select(w => w.Take(w.Length - 1)).Distinct().Count();
                    var mEff = words.Count - groups; // centred k-groups: one linear constraint per query prefix
                    var est = NoiseFloor.Estimate(rows, mEff);
                    var d = target.TrueRank ?? est.Rank;
                    var nuTrue = double.NaN;
                    var maxE = double.NaN;
                    if (target.Base is { } b)
                    {
                        var baseRows = Rows(new ModelOracle(b), histories, words);
                        var sum = 0.0;
                        maxE = 0.0;
                        for (var i = 0; i < rows.Length; i++)
                        {
                            for (var j = 0; j < words.Count; j++)
                            {
                                var e = rows[i][j] - baseRows[i][j];
                                sum += e * e;
                                maxE = Math.Max(maxE, Math.Abs(e));
                            }
                        }

                        nuTrue = Math.Sqrt(sum / (rows.Length * words.Count));
                        maxE /= target.Epsilon;
                    }

                    string R(double x) => double.IsNaN(nuTrue) ? x.ToString("G3", ci) : $"{x.ToString("G3", ci)} ({(x / nuTrue).ToString("0.00", ci)})";
                    string Sig(int j) => j >= 1 && j <= est.Sigma.Length ? est.Sigma[j - 1].ToString("G3", ci) : "–";
                    output.WriteLine($"| {spec} | {s} | {n} ({histories.Count}) | {words.Count} | {mEff} | {Sig(1)} | {Sig(d)} | {Sig(d + 1)} | {est.GapRank} | {est.MpRank} | {(double.IsNaN(nuTrue) ? "–" : nuTrue.ToString("G3", ci))} | {R(est.SpecPlateau)} | {R(est.GapResidualRms)} | {R(est.MpMedian)} | {R(est.MpResidualRms)} | {(double.IsNaN(maxE) ? "–" : maxE.ToString("0.00", ci))} |");
                    output.Flush();
                }
            }
        }
    }
}

internal static class FloorGrid
{
    /// <summary>Question 1 over a grid of perturbed ISANs: one line per (target, N), medians over the cuts with N' &gt;= 8.</summary>
    public static void Run(IEnumerable<string> specs, int[] sampleCounts, int extraWords, int seed, TextWriter output)
    {
        var ci = CultureInfo.InvariantCulture;
        output.WriteLine("| target | N | cuts | m (m_eff) | ν_true/ε | MP r = d | gap r = d | σ_d/σ_{d+1} | σ_{d+1}/√m ÷ν | σ_{d+1}/(ν(√N'+√m_eff)) | spec plateau ÷ν | rank-r_gap RMS ÷ν | MP median ÷ν | MP-rank RMS ÷ν (min–max) |");
        output.WriteLine("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var spec in specs)
        {
            var target = Target.Parse(spec);
            var d = target.TrueRank ?? 0;
            foreach (var n in sampleCounts)
            {
                var rows = new List<(double NuRatio, bool Mp, bool Gap, double Snr, double SigPlateau, double Edge, double Spec, double GapRms, double MpMed, double MpRms)>();
                var mText = string.Empty;
                for (var s = 1; s <= target.T - 2; s++)
                {
                    var histories = FloorExperiment.SampleHistories(target.Oracle, n, s, seed + s);
                    if (histories.Count < 8 || histories.Count <= d + 4)
                    {
                        continue;
                    }

                    var words = FloorExperiment.Words(target.K, target.T, s, extraWords, seed);
                    var r = FloorExperiment.Rows(target.Oracle, histories, words);
                    var groups = words.Select(w => w.Take(w.Length - 1)).Distinct().Count();
                    var mEff = words.Count - groups;
                    mText = $"{words.Count} ({mEff})";
                    var est = NoiseFloor.Estimate(r, mEff);
                    var baseRows = FloorExperiment.Rows(new LogitRank.Oracles.ModelOracle(target.Base!), histories, words);
                    var sum = 0.0;
                    for (var i = 0; i < r.Length; i++)
                    {
                        for (var j = 0; j < words.Count; j++)
                        {
                            var e = r[i][j] - baseRows[i][j];
                            sum += e * e;
                        }
                    }

                    var nu = Math.Sqrt(sum / (r.Length * words.Count));
                    var sd = est.Sigma[d - 1];
                    var sd1 = est.Sigma.Length > d ? est.Sigma[d] : 0;
                    rows.Add((nu / target.Epsilon, est.MpRank == d, est.GapRank == d, sd / Math.Max(sd1, 1e-300), sd1 / Math.Sqrt(words.Count) / nu,
                        sd1 / (nu * (Math.Sqrt(histories.Count) + Math.Sqrt(mEff))), est.SpecPlateau / nu, est.GapResidualRms / nu, est.MpMedian / nu, est.MpResidualRms / nu));
                }

                if (rows.Count == 0)
                {
                    continue;
                }

                static double Med(IEnumerable<double> v)
                {
                    var a = v.OrderBy(x => x).ToArray();
                    return a[a.Length / 2];
                }

                string F(double x) => x.ToString("0.00", ci);
                output.WriteLine($"| {spec} | {n} | {rows.Count} | {mText} | {F(Med(rows.Select(x => x.NuRatio)))} | {rows.Count(x => x.Mp)}/{rows.Count} | {rows.Count(x => x.Gap)}/{rows.Count} | {Med(rows.Select(x => x.Snr)).ToString("G3", ci)} | {F(Med(rows.Select(x => x.SigPlateau)))} | {F(Med(rows.Select(x => x.Edge)))} | {F(Med(rows.Select(x => x.Spec)))} | {F(Med(rows.Select(x => x.GapRms)))} | {F(Med(rows.Select(x => x.MpMed)))} | {F(Med(rows.Select(x => x.MpRms)))} ({F(rows.Min(x => x.MpRms))}–{F(rows.Max(x => x.MpRms))}) |");
                output.Flush();
            }
        }
    }
}

internal static class FloorProfile
{
    /// <summary>Question 1 for targets without a known noise: singular values and the rank-r residual RMS per entry per cut.</summary>
    public static void Run(string spec, int[] sampleCounts, int seed, TextWriter output)
    {
        var ci = CultureInfo.InvariantCulture;
        var target = Target.Parse(spec);
        int[] js = [1, 2, 4, 8, 16, 32, 64, 128, 256];
        output.WriteLine($"### {spec}: singular values σ_j of the sampled rows on the initial F̃_s, and the per-entry RMS of the best rank-r fit");
        output.WriteLine();
        output.WriteLine($"| cut | N (distinct) | m (m_eff) | {string.Join(" | ", js.Select(j => $"σ_{j}"))} | gap r | MP r | ν̂ (MP) | {string.Join(" | ", js.Select(j => $"RMS r={j}"))} | power-law slope |");
        output.WriteLine($"|---|---|---|{string.Concat(js.Select(_ => "---|"))}---|---|---|{string.Concat(js.Select(_ => "---|"))}---|");
        foreach (var n in sampleCounts)
        {
            for (var s = 1; s <= target.T - 2; s++)
            {
                var histories = FloorExperiment.SampleHistories(target.Oracle, n, s, seed + s);
                var words = FloorExperiment.Words(target.K, target.T, s, 0, seed);
                var rows = FloorExperiment.Rows(target.Oracle, histories, words);
                var groups = words.Select(w => w.Take(w.Length - 1)).Distinct().Count();
                var mEff = words.Count - groups;
                var est = NoiseFloor.Estimate(rows, mEff);
                var sigma = est.Sigma;
                double Rms(int r)
                {
                    if (r >= Math.Min(histories.Count, mEff))
                    {
                        return double.NaN;
                    }

                    var tail = sigma.Skip(r).Sum(x => x * x);
                    return Math.Sqrt(tail / (histories.Count * words.Count));
                }

                // Least-squares slope of log sigma_j against log j over j = 2..min(N', m_eff)/2.
                var upper = Math.Max(3, Math.Min(histories.Count, mEff) / 2);
                var xs = Enumerable.Range(2, Math.Max(1, upper - 1)).Where(j => j <= sigma.Length && sigma[j - 1] > 0).ToArray();
                var lx = xs.Select(j => Math.Log(j)).ToArray();
                var ly = xs.Select(j => Math.Log(sigma[j - 1])).ToArray();
                var mx = lx.Average();
                var my = ly.Average();
                var slope = lx.Zip(ly).Sum(p => (p.First - mx) * (p.Second - my)) / Math.Max(1e-300, lx.Sum(x => (x - mx) * (x - mx)));
                string Sig(int j) => j <= sigma.Length && j <= histories.Count ? sigma[j - 1].ToString("G3", ci) : "–";
                string Rm(int r) => double.IsNaN(Rms(r)) ? "–" : Rms(r).ToString("G3", ci);
                output.WriteLine($"| {s} | {n} ({histories.Count}) | {words.Count} ({mEff}) | {string.Join(" | ", js.Select(Sig))} | {est.GapRank} | {est.MpRank} | {est.Nu.ToString("G3", ci)}{(est.Valid ? "" : " (invalid)")} | {string.Join(" | ", js.Select(Rm))} | {slope.ToString("0.00", ci)} |");
                output.Flush();
            }
        }
    }
}
