using LogitRank.Learning;
using LogitRank.Models;
using LogitRank.Oracles;
using LogitRank.Sequences;

namespace LogitRank.Tests.Learning;

/// <summary>
/// The incremental reconstruction of issue 15 (proofs-notes/lp-reconstruction.md, L10): a prefix's coefficients extend
/// its parent's when that is optimal for the whole prefix within the slack, the result is a pure function of the prefix
/// whatever the memo holds, and an infeasible prefix may be settled by a dual certificate instead of the whole LP.
/// </summary>
public partial class ReconstructorTests
{
    /// <summary>An exact-rank ISAN learned to acceptance (the pinned case of <c>EndToEndTests</c>).</summary>
    private static readonly Lazy<LearnedModel> Exact = new(() =>
        new LogitRankLearner().Learn(new ModelOracle(TimeVaryingIsan.Random(3, 6, 3, seed: 1)), new PracticalSchedule { MaxEpochs = 40, ValidationSamples = 8, SpannerSampleCount = 8, WitnessThreshold = 1e-6 }, seed: 1).Model);

    /// <summary>
    /// A perturbed ISAN (ε = 0.1) learned with few spanner samples, not accepted: many prefixes are infeasible or need
    /// a whole-prefix solve, so every route of <see cref="Reconstructor.Extend"/> is taken.
    /// </summary>
    private static readonly Lazy<(LearnedModel Model, ISequenceModel Target)> Approximate = new(() =>
    {
        var target = PerturbedModel.RandomIsan(3, 7, 2, 0.1, seed: 4, logitScale: 2.0);
        var model = new LogitRankLearner().Learn(new ModelOracle(target), new PracticalSchedule { MaxEpochs = 6, ValidationSamples = 8, SpannerSampleCount = 4, WitnessThreshold = 1e-3 }, seed: 2).Model;
        return (model, target);
    });

    /// <summary>
    /// Against the whole-prefix LP solved from scratch (the reconstruction before issue 15), on every prefix of the
    /// exact-rank model and on 400 target-sampled prefixes of the approximate one: the chain's residual is at least the
    /// whole LP's optimum (within the LP's own tolerance, 1e-9 of the data scale) and at most it plus the documented slack
    /// <c>(t - 1) · GreedySlack ·</c> scale, except where the prefix was settled as certified-infeasible (then both exceed
    /// τ_lp). Where all blocks have full column rank and the fit is exact, the optimum is a single point and the
    /// coefficients agree (1e-8: conditioning of small random blocks times rounding). A prefix certified infeasible, and
    /// each of its descendants, keeps the extension's residual, an upper bound on the optimum; then both are above τ_lp.
    /// </summary>
    [Fact]
    public void The_chain_is_optimal_for_the_whole_prefix_within_the_slack()
    {
        var routes = new Dictionary<ReconstructionRoute, int>();
        var compared = 0;
        foreach (var (model, prefixes) in Cases())
        {
            var engine = model.Engine;
            var scale = model.Bases.Max(b => b.MaxAbsEntry);
            foreach (var prefix in prefixes)
            {
                var chain = engine.Solve(prefix);
                var whole = engine.SolveWhole(prefix);
                routes[chain.Route] = routes.GetValueOrDefault(chain.Route) + 1;
                var slack = (prefix.Length - 1) * Reconstructor.GreedySlack * scale;
                var lpTolerance = 1e-9 * scale;
                Assert.True(chain.Residual >= whole.Residual - lpTolerance, $"{prefix}: chain {chain.Residual} below the whole LP's optimum {whole.Residual}");
                // A certified-infeasible prefix keeps its extension's residual (an upper bound on the optimum), and so do its
                // descendants: all of them are infeasible for the whole LP too (its optimum only grows with t).
                if (Enumerable.Range(2, prefix.Length - 1).Any(l => engine.Solve(prefix.Take(l)).Route == ReconstructionRoute.CertifiedInfeasible))
                {
                    Assert.False(whole.Feasible, $"{prefix}: certified infeasible, but the whole LP reaches {whole.Residual} <= τ_lp = {engine.LpTolerance}");
                    Assert.False(chain.Feasible);
                    continue;
                }

                Assert.True(chain.Residual <= whole.Residual + slack + lpTolerance, $"{prefix}: chain {chain.Residual} above the whole LP's {whole.Residual} by more than the slack {slack}");
                Assert.Equal(whole.Feasible || chain.Residual <= engine.LpTolerance, chain.Feasible);
                if (chain.Route == ReconstructionRoute.LeastSquares && whole.Residual <= 1e-12 * scale && model == Exact.Value)
                {
                    for (var s = 1; s < prefix.Length; s++)
                    {
                        for (var i = 0; i < model.Bases[s].Size; i++)
                        {
                            Assert.Equal(whole.Coefficient(s, i), chain.Coefficient(s, i), 8);
                        }
                    }
                }

                compared++;
            }
        }

        // Every route was taken, so each part of the rule was checked.
        Assert.True(routes.GetValueOrDefault(ReconstructionRoute.LeastSquares) > 0, string.Join(", ", routes));
        Assert.True(routes.GetValueOrDefault(ReconstructionRoute.BlockLp) > 0, string.Join(", ", routes));
        Assert.True(routes.GetValueOrDefault(ReconstructionRoute.WholeLp) + routes.GetValueOrDefault(ReconstructionRoute.CertifiedInfeasible) > 0, string.Join(", ", routes));
        Assert.True(compared > 100, $"only {compared} prefixes compared");
    }

    /// <summary>
    /// The documented rule where the optimum is not unique: an extension keeps its parent's coefficient blocks bit for
    /// bit (only a window or whole-prefix solve may change them), so a prefix's coefficients depend on its own tokens only.
    /// </summary>
    [Fact]
    public void An_extension_keeps_its_parents_coefficients()
    {
        var extended = 0;
        foreach (var (model, prefixes) in Cases())
        {
            foreach (var prefix in prefixes.Where(p => p.Length >= 3))
            {
                var child = model.Engine.Solve(prefix);
                if (child.Route is ReconstructionRoute.WholeLp or ReconstructionRoute.Window)
                {
                    continue;
                }

                var parent = model.Engine.Solve(prefix.Take(prefix.Length - 1));
                for (var s = 0; s < prefix.Length - 1; s++)
                {
                    Assert.Equal(parent.CoefficientsAt(s), child.CoefficientsAt(s));
                }

                extended++;
            }
        }

        Assert.True(extended > 100, $"only {extended} extensions");
    }

    /// <summary>
    /// A reconstruction is a pure function of its prefix: whatever the memo's capacity (none, 3 prefixes, the default)
    /// and whatever order the prefixes are asked in (breadth-first, reversed, shuffled), every prefix gets bit-identical
    /// coefficients, residual and logits; and the memo never holds more than its capacity.
    /// </summary>
    [Fact]
    public void Results_do_not_depend_on_the_memo_or_the_order_of_queries()
    {
        var (approximate, _) = Approximate.Value;
        foreach (var model in new[] { Exact.Value, approximate })
        {
            var prefixes = SequenceSpace.AllUpTo(model.AlphabetSize, model.Horizon - 1).ToList();
            var reference = model.WithMemoCapacity(LearnedModel.DefaultMemoCapacity);
            var expected = prefixes.ToDictionary(p => p, p => (reference.Reconstruct(p), reference.NextTokenLogits(p)));
            var shuffled = prefixes.OrderBy(p => StableOrder(p)).ToList();
            foreach (var (capacity, order) in new[] { (0, prefixes), (3, Enumerable.Reverse(prefixes).ToList()), (LearnedModel.DefaultMemoCapacity, shuffled) })
            {
                var other = model.WithMemoCapacity(capacity);
                foreach (var prefix in order)
                {
                    var (result, logits) = expected[prefix];
                    var again = other.Reconstruct(prefix);
                    Assert.Equal(result.Residual, again.Residual);
                    for (var s = 0; s < result.BlockCount; s++)
                    {
                        Assert.Equal(result.CoefficientsAt(s), again.CoefficientsAt(s));
                    }

                    Assert.Equal(logits.ToArray(), other.NextTokenLogits(prefix).ToArray());
                    Assert.True(other.Engine.Memo.Count <= capacity, $"memo holds {other.Engine.Memo.Count} > {capacity}");
                }
            }
        }
    }

    /// <summary>
    /// The dual certificate of an infeasible extension (L10) checked from its definition, on sampled prefixes of the
    /// approximate model where the block LP cannot extend its parent: with the weights <c>λ</c> it uses and the whole
    /// prefix's LP <c>(A, b)</c>, the bound is <c>min over the box of λ·(Ax - b) / Σ|λ|</c>, attained at the vertex
    /// <c>x_j = -β sign((Aᵀλ)_j)</c> (1e-12 relative: both sides are the same few hundred products); so it is at most
    /// <c>max_i |(Ax - b)_i|</c> at every box point, in particular at random ones and at the whole LP's optimum. Every
    /// other prefix uses random last-group weights instead of the block LP's: the identity holds for any weights.
    /// </summary>
    [Fact]
    public void The_infeasibility_certificate_is_the_minimum_of_its_weighted_residual_over_the_box()
    {
        var (model, target) = Approximate.Value;
        var engine = model.Engine;
        var scale = model.Bases.Max(b => b.MaxAbsEntry);
        var random = new Random(9);
        var tested = 0;
        for (var n = 0; n < 300; n++)
        {
            var y = target.Sample(random);
            for (var t = 3; t < model.Horizon; t++)
            {
                var prefix = y.Take(t);
                var blockDual = LastBlockDual(engine, prefix, engine.Solve(prefix.Take(t - 1)));
                if (blockDual is null)
                {
                    continue;
                }

                // The identity holds for any last-group weights: the block LP's, and random ones (for which the
                // coefficients of the last block do not vanish, so the box term of the bound matters).
                var dual = tested % 2 == 0 ? blockDual : blockDual.Select(_ => (2 * random.NextDouble()) - 1).ToArray();
                var bound = engine.InfeasibilityBound(prefix, dual);
                var lambda = engine.InfeasibilityWeights(prefix, dual).SelectMany(l => l).ToArray();
                var (a, b) = engine.WholeLp(prefix);
                var weight = lambda.Sum(Math.Abs);
                if (!(weight > 0))
                {
                    Assert.Equal(double.NegativeInfinity, bound); // no weights: the trivial bound
                    continue;
                }

                var vertex = new double[a.GetLength(1)];
                for (var j = 0; j < vertex.Length; j++)
                {
                    var g = 0.0;
                    for (var i = 0; i < lambda.Length; i++)
                    {
                        g += a[i, j] * lambda[i];
                    }

                    vertex[j] = g > 0 ? -engine.Beta : engine.Beta;
                }

                double Weighted(double[] x)
                {
                    var total = 0.0;
                    for (var i = 0; i < lambda.Length; i++)
                    {
                        var e = -b[i];
                        for (var j = 0; j < x.Length; j++)
                        {
                            e += a[i, j] * x[j];
                        }

                        total += lambda[i] * e;
                    }

                    return total / weight;
                }

                Assert.Equal(Weighted(vertex), bound, 1e-12 * Math.Max(1.0, Math.Abs(bound)));
                var whole = engine.SolveWhole(prefix);
                Assert.True(bound <= whole.Residual + (1e-12 * scale), $"{prefix}: certificate {bound} above the whole optimum {whole.Residual}");
                for (var k = 0; k < 5; k++)
                {
                    var x = vertex.Select(_ => engine.Beta * ((2 * random.NextDouble()) - 1)).ToArray();
                    Assert.True(bound <= Weighted(x) + (1e-12 * scale), $"{prefix}: certificate {bound} above the weighted residual of a box point");
                }

                tested++;
            }
        }

        Assert.True(tested > 10, $"only {tested} certificates were tested");
    }

    private static IEnumerable<(LearnedModel Model, IReadOnlyList<Prefix> Prefixes)> Cases()
    {
        var exact = Exact.Value;
        yield return (exact, SequenceSpace.AllUpTo(exact.AlphabetSize, exact.Horizon - 1).Where(p => p.Length >= 2).ToList());
        var (approximate, target) = Approximate.Value;
        var random = new Random(5);
        var sampled = Enumerable.Range(0, 400).Select(_ => target.Sample(random)).Select((y, i) => y.Take(2 + (i % (approximate.Horizon - 2)))).Distinct().ToList();
        yield return (approximate, sampled);
    }

    /// <summary>The block LP's dual weights of <paramref name="prefix"/>'s last block given its parent, when the block residual exceeds the parent's (else null).</summary>
    private static double[]? LastBlockDual(Reconstructor engine, Prefix prefix, ReconstructionResult parent)
    {
        var t = prefix.Length;
        var current = engine.Bases[t - 2];
        var next = engine.Bases[t - 1];
        var words = engine.Futures.Future(t - 1);
        var a = new double[words.Count, next.Size];
        var b = new double[words.Count];
        for (var j = 0; j < words.Count; j++)
        {
            for (var i = 0; i < next.Size; i++)
            {
                a[j, i] = next.RowReference(i)[j];
            }

            var index = engine.Futures.IndexInExtended(t - 2, words[j].Prepend(prefix[t - 2]));
            for (var i = 0; i < current.Size; i++)
            {
                b[j] += parent.Coefficient(t - 2, i) * current.RowReference(i)[index];
            }
        }

        if (next.Size == 0)
        {
            return null;
        }

        var solved = LogitRank.Numerics.MinimaxLinearProgram.Solve(a, b, Enumerable.Repeat(-engine.Beta, next.Size).ToArray(), Enumerable.Repeat(engine.Beta, next.Size).ToArray());
        return solved.CheckedResidual > parent.Residual ? solved.DualWeights : null;
    }

    private static ulong StableOrder(Prefix prefix) => LogitRank.Numerics.StableHash.Of(17, prefix.Tokens);
}
