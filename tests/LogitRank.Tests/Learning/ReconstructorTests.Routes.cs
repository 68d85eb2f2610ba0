using LogitRank.Learning;
using LogitRank.Models;
using LogitRank.Numerics;
using LogitRank.Oracles;
using LogitRank.Sequences;

namespace LogitRank.Tests.Learning;

/// <summary>
/// The rule of each route of <see cref="Reconstructor.Extend"/> (proofs-notes/lp-reconstruction.md, L10), checked on
/// every prefix of two perturbed ISANs learned with few spanner samples, under both settings of the infeasibility
/// certificate: every route is taken there, so each part of the rule is checked. The checks recompute each quantity from
/// the model's stored rows (<see cref="EquationResiduals"/>) and from the block LP solved here; none reads the engine's
/// bookkeeping back.
/// </summary>
public partial class ReconstructorTests
{
    /// <summary>
    /// Two perturbed ISANs (k = 3, T = 7, d = 2, ε = 0.1) learned for 6 epochs: with 4 spanner samples (seed 5), every
    /// route is taken; with 8 (seed 6) the certificate never settles a prefix, so windows and whole solves are frequent.
    /// Found by scanning routes over six such targets.
    /// </summary>
    private static readonly Lazy<LearnedModel[]> RouteModels = new(() =>
    [
        .. new[] { (Seed: 5, Spanner: 4), (Seed: 6, Spanner: 8) }.Select(c =>
            new LogitRankLearner().Learn(
                new ModelOracle(PerturbedModel.RandomIsan(3, 7, 2, 0.1, seed: c.Seed, logitScale: 2.0)),
                new PracticalSchedule { MaxEpochs = 6, ValidationSamples = 8, SpannerSampleCount = c.Spanner, WitnessThreshold = 1e-3 },
                seed: 2).Model),
    ]);

    /// <summary>
    /// Every result's bookkeeping is its definition: one block per token of the prefix; group <c>s</c>'s residual is the
    /// largest absolute residual of the equations of cut <c>s</c> at the result's coefficients (recomputed from the stored
    /// rows; 1e-12 of the data scale, the rounding of sums of a few dozen products of entries at most the scale); the
    /// residual is the largest group residual; a result is feasible when its residual is at most <c>τ_lp</c>, and
    /// path-feasible when it and its parent are.
    /// </summary>
    [Fact]
    public void Each_result_reports_its_own_residuals_and_feasibility()
    {
        var checkedPrefixes = 0;
        foreach (var (model, engine, _) in RouteEngines())
        {
            var scale = model.Bases.Max(b => b.MaxAbsEntry);
            foreach (var prefix in SequenceSpace.AllUpTo(model.AlphabetSize, model.Horizon - 1).Where(p => p.Length >= 2))
            {
                var result = engine.Solve(prefix);
                var parent = engine.Solve(prefix.Take(prefix.Length - 1));
                Assert.Equal(prefix.Length, result.PrefixLength);
                Assert.Equal(prefix.Length, result.BlockCount);
                Assert.Equal(prefix.Length - 1, result.GroupResiduals.Length);
                var equations = EquationResiduals(model, prefix, result);
                var row = 0;
                for (var s = 0; s <= prefix.Length - 2; s++)
                {
                    var rows = model.FutureSets.Future(s + 1).Count;
                    var group = equations.Skip(row).Take(rows).Select(Math.Abs).DefaultIfEmpty(0).Max();
                    Assert.True(Math.Abs(group - result.GroupResiduals[s]) <= 1e-12 * scale, $"{prefix} ({result.Route}): group {s} has residual {group}, reported {result.GroupResiduals[s]}");
                    row += rows;
                }

                Assert.Equal(result.GroupResiduals.Max(), result.Residual);
                Assert.Equal(result.Residual <= engine.LpTolerance, result.Feasible);
                Assert.Equal(result.Feasible && parent.PathFeasible, result.PathFeasible);
                checkedPrefixes++;
            }
        }

        Assert.True(checkedPrefixes > 1000, $"only {checkedPrefixes} prefixes checked");
    }

    /// <summary>
    /// The rule that picks each route, from the block LP of the new block solved here (the solver is deterministic, so
    /// it is the engine's): an extension (least squares, block LP, certified infeasible) keeps its parent's blocks bit for
    /// bit; the block LP's extension is taken exactly when it is within the slack of the parent's residual (or at
    /// <c>t = 2</c>), and is then that LP's solution; a window keeps the parent's blocks before it and fits its own groups
    /// within the slack; a window or whole solve happens only when the block LP's extension is not within the slack, and a
    /// whole solve returns the whole LP's solution warm-started from that extension (solved here too; where the optimum is
    /// not a single point the start decides the vertex, as on 24 prefixes of the second model); a certificate settles a prefix exactly when the engine may use it, the extension is infeasible and the bound computed
    /// from the block LP's dual weights exceeds <c>τ_lp</c> (and then the whole LP is infeasible). Every route is taken, and
    /// a window is never labelled a whole solve nor the reverse.
    /// </summary>
    [Fact]
    public void Each_route_is_taken_exactly_when_its_rule_says()
    {
        var routes = new Dictionary<ReconstructionRoute, int>();
        foreach (var (model, engine, prove) in RouteEngines())
        {
            foreach (var prefix in SequenceSpace.AllUpTo(model.AlphabetSize, model.Horizon - 1).Where(p => p.Length >= 2))
            {
                var t = prefix.Length;
                var result = engine.Solve(prefix);
                var parent = engine.Solve(prefix.Take(t - 1));
                routes[result.Route] = routes.GetValueOrDefault(result.Route) + 1;
                var (block, blockResidual, bound, dual) = BlockLpExtension(engine, model.Options.Solver, prefix, parent);
                var blockFits = t == 2 || blockResidual <= bound;
                var certifiable = prove && Math.Max(parent.Residual, blockResidual) > engine.LpTolerance
                    && dual.Length == engine.Futures.Future(t - 1).Count && engine.InfeasibilityBound(prefix, dual) > engine.LpTolerance;
                var context = $"{prefix} ({result.Route}): block LP residual {blockResidual}, bound {bound}";
                switch (result.Route)
                {
                    case ReconstructionRoute.LeastSquares or ReconstructionRoute.BlockLp or ReconstructionRoute.CertifiedInfeasible:
                        for (var s = 0; s < t - 1; s++)
                        {
                            Assert.Equal(parent.CoefficientsAt(s), result.CoefficientsAt(s));
                        }

                        break;
                    case ReconstructionRoute.Window:
                        Assert.False(blockFits, context);
                        Assert.False(certifiable, $"{context}: the certificate proves it infeasible");
                        var width = Enumerable.Range(1, 4).Select(e => 1 << e).Where(w => w < t - 1)
                            .FirstOrDefault(w => Enumerable.Range(0, t - w).All(s => parent.CoefficientsAt(s).SequenceEqual(result.CoefficientsAt(s))));
                        Assert.True(width > 0, $"{context}: no window width keeps the parent's earlier blocks");
                        Assert.True(result.GroupResiduals.Skip(t - 1 - width).Max() <= bound, $"{context}: the window's groups exceed the bound");
                        break;
                    case ReconstructionRoute.WholeLp:
                        Assert.False(blockFits, context);
                        Assert.False(certifiable, $"{context}: the certificate proves it infeasible");
                        Assert.True(Math.Abs(result.Residual - engine.SolveWhole(prefix).Residual) <= 1e-9 * model.Bases.Max(b => b.MaxAbsEntry), $"{context}: not the whole LP's optimum");
                        // Warm-started from the extension (the parent's blocks and the block LP's): where the optimum is
                        // not a single point, the start decides which optimal vertex is returned.
                        var (a, b) = engine.WholeLp(prefix);
                        double[] warm = [.. Enumerable.Range(1, t - 2).SelectMany(parent.CoefficientsAt), .. block];
                        var box = Enumerable.Repeat(engine.Beta, warm.Length).ToArray();
                        var solved = MinimaxLinearProgram.SolveFrom(a, b, [.. box.Select(x => -x)], box, model.Options.Solver, warm).Solution.Select(x => Math.Clamp(x, -engine.Beta, engine.Beta)).ToArray();
                        Assert.Equal(solved, Enumerable.Range(1, t - 1).SelectMany(result.CoefficientsAt).ToArray());
                        break;
                    default:
                        Assert.Fail(context);
                        break;
                }

                if (result.Route == ReconstructionRoute.BlockLp)
                {
                    Assert.True(blockFits, context);
                    Assert.Equal(block, result.CoefficientsAt(t - 1));
                    Assert.Equal(Math.Max(parent.Residual, blockResidual), result.Residual);
                }

                if (result.Route == ReconstructionRoute.LeastSquares)
                {
                    Assert.True(result.GroupResiduals[^1] <= bound, context);
                }

                if (result.Route == ReconstructionRoute.CertifiedInfeasible)
                {
                    Assert.False(blockFits, context);
                    Assert.True(certifiable, $"{context}: certified, but the certificate does not prove infeasibility or the engine may not use it");
                    Assert.False(engine.SolveWhole(prefix).Feasible, $"{context}: the whole LP is feasible");
                }
            }
        }

        foreach (var route in new[] { ReconstructionRoute.LeastSquares, ReconstructionRoute.BlockLp, ReconstructionRoute.Window, ReconstructionRoute.WholeLp, ReconstructionRoute.CertifiedInfeasible })
        {
            Assert.True(routes.GetValueOrDefault(route) > 0, $"{route} never taken: {string.Join(", ", routes)}");
        }
    }

    /// <summary>
    /// The memo returns the stored result of a prefix asked again, and the empty and one-token prefixes get the trivial
    /// results of their own length (no block to solve).
    /// </summary>
    [Fact]
    public void A_prefix_asked_again_gets_its_memoised_result_and_short_prefixes_the_trivial_one()
    {
        var model = RouteModels.Value[0];
        var engine = model.WithMemoCapacity(LearnedModel.DefaultMemoCapacity).Engine;
        foreach (var prefix in SequenceSpace.AllUpTo(model.AlphabetSize, model.Horizon - 1))
        {
            var first = engine.Solve(prefix);
            Assert.Same(first, engine.Solve(prefix));
            Assert.Equal(prefix.Length, first.PrefixLength);
            if (prefix.Length <= 1)
            {
                Assert.Equal(ReconstructionRoute.Trivial, first.Route);
                Assert.Equal(0.0, first.Residual);
                Assert.True(first.PathFeasible);
            }
        }
    }

    /// <summary>
    /// The first route of an extension (Reconstructor.Extend, step 1): on an exactly low-rank target, a new block with full
    /// column rank is fitted exactly by its least-squares solution, which is then taken, on every prefix of the accepted
    /// ISAN. Only blocks clearly of full rank are asked (smallest singular value above 1e-6 of the largest, far from the
    /// engine's pseudo-inverse threshold); there must be more than 100 of them.
    /// </summary>
    [Fact]
    public void On_an_exact_rank_target_a_full_rank_block_is_fitted_by_least_squares()
    {
        var model = Exact.Value;
        var asked = 0;
        foreach (var prefix in SequenceSpace.AllUpTo(model.AlphabetSize, model.Horizon - 1).Where(p => p.Length >= 2))
        {
            var basis = model.Bases[prefix.Length - 1];
            var rows = model.FutureSets.Future(prefix.Length - 1).Count;
            if (basis.Size == 0 || basis.Size > rows)
            {
                continue;
            }

            var block = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.Dense(rows, basis.Size, (j, i) => basis.RowReference(i)[j]);
            var singular = block.Svd(computeVectors: false).S;
            if (!(singular[basis.Size - 1] > 1e-6 * singular[0]))
            {
                continue;
            }

            Assert.Equal(ReconstructionRoute.LeastSquares, model.Engine.Solve(prefix).Route);
            asked++;
        }

        Assert.True(asked > 100, $"only {asked} prefixes with a block of full column rank");
    }

    /// <summary>The route models' engines, with and without the infeasibility certificate.</summary>
    private static IEnumerable<(LearnedModel Model, Reconstructor Engine, bool Prove)> RouteEngines()
    {
        foreach (var model in RouteModels.Value)
        {
            foreach (var prove in new[] { true, false })
            {
                yield return (model, new Reconstructor(model.FutureSets, model.Bases, model.Options.Beta, model.Options.LpTolerance, model.Options.Solver, proveInfeasibility: prove), prove);
            }
        }
    }

    /// <summary>
    /// The block LP's extension of <paramref name="parent"/> to <paramref name="prefix"/>: the new block solved alone (the
    /// equations of cut <c>t-2</c> with <c>c_{t-2}</c> fixed, box <c>[-β, β]</c>), its residual, and the acceptance bound
    /// <c>r(parent) + GreedySlack · max(max |A|, max |b|)</c>.
    /// </summary>
    private static (double[] Block, double Residual, double Bound, double[] Dual) BlockLpExtension(Reconstructor engine, LpOptions? options, Prefix prefix, ReconstructionResult parent)
    {
        var t = prefix.Length;
        var current = engine.Bases[t - 2];
        var next = engine.Bases[t - 1];
        var words = engine.Futures.Future(t - 1);
        var a = new double[words.Count, next.Size];
        var b = new double[words.Count];
        var scale = 0.0;
        for (var j = 0; j < words.Count; j++)
        {
            for (var i = 0; i < next.Size; i++)
            {
                a[j, i] = next.RowReference(i)[j];
                scale = Math.Max(scale, Math.Abs(a[j, i]));
            }

            var index = engine.Futures.IndexInExtended(t - 2, words[j].Prepend(prefix[t - 2]));
            for (var i = 0; i < current.Size; i++)
            {
                b[j] += parent.Coefficient(t - 2, i) * current.RowReference(i)[index];
            }

            scale = Math.Max(scale, Math.Abs(b[j]));
        }

        var block = new double[next.Size];
        double[] dual = [];
        if (next.Size > 0)
        {
            var solved = MinimaxLinearProgram.Solve(a, b, Enumerable.Repeat(-engine.Beta, next.Size).ToArray(), Enumerable.Repeat(engine.Beta, next.Size).ToArray(), options);
            block = [.. solved.Solution.Select(x => Math.Clamp(x, -engine.Beta, engine.Beta))];
            dual = solved.DualWeights;
        }

        return (block, MinimaxLinearProgram.ResidualInfinityNorm(a, b, block), parent.Residual + (Reconstructor.GreedySlack * scale), dual);
    }
}
