// RESEARCH PROTOTYPE (issue 14): what the learner's model class can reach on charlm-dev at T = 4, computed offline
// from the tabulated target (an idealisation: exact rows, the most probable histories as the cut-2 basis).
// Steps t = 0, 1, 2 are exact when cut 1 holds all 32 histories and F̂_1 ⊇ Σ² (c_1 = e_{y_1}); step t = 3 predicts
// ℓ(h∘y3) = Σ_i c_i ℓ(B_i∘y3) with c from a ridge fit of h's row on F̂_2 = Σ ∪ {f∘z : f ∈ top-q third tokens}.
using System.Globalization;
using LogitRank.Numerics;
using LogitRank.Oracles;
using LogitRank.Sequences;
using MathNet.Numerics.LinearAlgebra;

namespace LogitRank.Research;

internal static class CharlmOracle
{
    public static void Run(int[] ms, int[] qs, double[] ridges, double beta, TextWriter output)
    {
        var ci = CultureInfo.InvariantCulture;
        var target = Target.Parse("charlm:T=4");
        var k = target.K;
        var all = LogitRank.Sequences.SequenceSpace.AllUpTo(k, 3).ToList();
        var answers = target.Oracle.Query(all);
        var table = new Dictionary<Prefix, LogitVector>();
        for (var i = 0; i < all.Count; i++)
        {
            table[all[i]] = answers[i];
        }

        double LogP(Prefix h)
        {
            var lp = 0.0;
            for (var t = 0; t < h.Length; t++)
            {
                lp += table[h.Take(t)].LogProbability(h[t]);
            }

            return lp;
        }

        var histories = LogitRank.Sequences.SequenceSpace.All(k, 2).ToList();
        var mass = histories.ToDictionary(h => h, h => Math.Exp(LogP(h)));
        var byMass = histories.OrderByDescending(h => mass[h]).ToList();
        // Third-token frequency (marginal at t = 3 given length-2 histories).
        var third = new double[k];
        foreach (var h in histories)
        {
            var p = table[h].Probabilities();
            for (var z = 0; z < k; z++)
            {
                third[z] += mass[h] * p[z];
            }
        }

        var topThird = Enumerable.Range(0, k).OrderByDescending(z => third[z]).ToArray();
        output.WriteLine("| m_2 (basis, most probable) | basis mass | q (first tokens f of 2-token words in F̂_2) | |F̂_2| | ridge | E TV_3 (= exact hybrid TV bound) | E KL_3 | queries (1,057 + 32·m + 1,024·q) | % of tabulation |");
        output.WriteLine("|---|---|---|---|---|---|---|---|---|");
        foreach (var m in ms)
        {
            var basis = byMass.Take(m).ToList();
            var basisMass = basis.Sum(h => mass[h]);
            foreach (var q in qs)
            {
                var words = Enumerable.Range(0, k).Select(z => Prefix.Of(z)).ToList();
                foreach (var f in topThird.Take(q))
                {
                    for (var z = 0; z < k; z++)
                    {
                        words.Add(Prefix.Of(f, z));
                    }
                }

                double Entry(Prefix h, Prefix w) => table[h.Concat(w.Take(w.Length - 1))][w[^1]];
                var a = Matrix<double>.Build.Dense(m, words.Count, (i, j) => Entry(basis[i], words[j]));
                foreach (var ridge in ridges)
                {
                    var gram = a * a.Transpose() + (ridge * Matrix<double>.Build.DenseIdentity(m));
                    var lu = gram.LU();
                    double tv3 = 0, kl3 = 0;
                    foreach (var h in histories)
                    {
                        var b = Vector<double>.Build.Dense(words.Count, j => Entry(h, words[j]));
                        var c = lu.Solve(a * b);
                        for (var i = 0; i < m; i++)
                        {
                            c[i] = Math.Clamp(c[i], -beta, beta);
                        }

                        var p3 = table[h].Probabilities();
                        for (var y3 = 0; y3 < k; y3++)
                        {
                            var raw = new double[k];
                            for (var i = 0; i < m; i++)
                            {
                                var row = table[basis[i].Append(y3)];
                                for (var z = 0; z < k; z++)
                                {
                                    raw[z] += c[i] * row[z];
                                }
                            }

                            var predicted = LogitVector.FromLogits(raw);
                            var truth = table[h.Append(y3)];
                            var p = truth.Probabilities();
                            var qv = predicted.Probabilities();
                            var lp = truth.LogProbabilities();
                            var lq = predicted.LogProbabilities();
                            double tv = 0, kl = 0;
                            for (var z = 0; z < k; z++)
                            {
                                tv += 0.5 * Math.Abs(p[z] - qv[z]);
                                kl += p[z] * (lp[z] - lq[z]);
                            }

                            var weight = mass[h] * p3[y3];
                            tv3 += weight * tv;
                            kl3 += weight * kl;
                        }
                    }

                    var queries = 1057 + (32 * m) + (1024 * q);
                    output.WriteLine($"| {m} | {basisMass.ToString("0.000", ci)} | {q} | {words.Count} | {ridge.ToString("G2", ci)} | {tv3.ToString("0.000", ci)} | {kl3.ToString("0.000", ci)} | {queries:N0} | {(queries / target.Tabulation).ToString("P1", ci)} |");
                    output.Flush();
                }
            }
        }
    }
}
