using LogitRank.Learning;
using LogitRank.Models;
using LogitRank.Numerics;
using LogitRank.Oracles;
using LogitRank.Sequences;
using MathNet.Numerics.LinearAlgebra;

namespace LogitRank.Tests.Learning;

/// <summary>
/// The sequential least-squares reconstruction (<see cref="ReconstructionMethod.LeastSquares"/>,
/// proofs-notes/lp-reconstruction.md, L11): the same equations as the LP, solved one cut at a time in the ridge
/// least-squares sense and clipped to the box. Its residual is the largest equation residual of its own coefficients,
/// recomputed here from the public stored rows (<see cref="EquationResiduals"/>), never taken from the engine.
/// </summary>
public partial class ReconstructorTests
{
    /// <summary>
    /// A perturbed ISAN (k = 4, T = 5, d = 2, ε = 0.1) learned for a few epochs with a coarse spanner rank tolerance
    /// (0.05), so the bases stay near d and below the number of equations per cut: most prefixes have a residual of order ε.
    /// </summary>
    private static readonly Lazy<(LearnedModel Model, ISequenceModel Target)> Perturbed = new(() =>
    {
        var target = PerturbedModel.RandomIsan(4, 5, 2, 0.1, seed: 7, logitScale: 2.0);
        var schedule = new PracticalSchedule { MaxEpochs = 4, ValidationSamples = 8, SpannerSampleCount = 8, WitnessThreshold = 1e-3, SpannerRankTolerance = 0.05, Fallback = FallbackPolicy.MinimumResidual };
        return (new LogitRankLearner().Learn(new ModelOracle(target), schedule, seed: 3).Model, target);
    });

    /// <summary>The same futures and bases under <paramref name="method"/> (minimum-residual fallback), with <paramref name="beta"/> and <paramref name="ridge"/>.</summary>
    private static LearnedModel As(LearnedModel model, ReconstructionMethod method, double? beta = null, IReadOnlyList<double>? ridge = null) =>
        new(model.FutureSets, model.Bases, model.Options with { Fallback = FallbackPolicy.MinimumResidual, Method = method, Beta = beta ?? model.Options.Beta, Ridge = ridge });

    /// <summary>
    /// Every equation residual <c>e_{s,w} = Σ_i c_{s+1,i} R_{s+1,i}(w) - Σ_i c_{s,i} R_{s,i}(y_{s+1}∘w)</c>, <c>s = 0..t-2</c>,
    /// <c>w ∈ F̂_{s+1}</c>, of <paramref name="result"/>'s coefficients, from the model's public rows and future sets.
    /// </summary>
    internal static double[] EquationResiduals(LearnedModel model, Prefix prefix, ReconstructionResult result)
    {
        var futures = model.FutureSets;
        var residuals = new List<double>();
        for (var s = 0; s <= prefix.Length - 2; s++)
        {
            var next = model.Bases[s + 1];
            var current = model.Bases[s];
            foreach (var w in futures.Future(s + 1))
            {
                var e = 0.0;
                for (var i = 0; i < next.Size; i++)
                {
                    e += result.Coefficient(s + 1, i) * next[i, futures.IndexInExtended(s + 1, w)];
                }

                for (var i = 0; i < current.Size; i++)
                {
                    e -= result.Coefficient(s, i) * current[i, futures.IndexInExtended(s, w.Prepend(prefix[s]))];
                }

                residuals.Add(e);
            }
        }

        return [.. residuals];
    }

    private static double TwoNorm(double[] v) => Math.Sqrt(v.Sum(x => x * x));

    /// <summary>
    /// On an exactly low-rank target (the accepted ISAN k = 3, T = 6, d = 3) both methods fit the equations exactly, so
    /// every next-token distribution agrees. Tolerance 1e-9 on each probability: the least-squares solution differs from
    /// the exact fit by its ridge floor (relative bias <c>1e-12 · κ²</c>, κ the condition of a block of spanner rows, at
    /// most about 1e2 here) and by rounding amplified by κ, both below 1e-9; a wrong index or equation is O(0.1).
    /// </summary>
    [Fact]
    public void On_an_exact_rank_target_least_squares_gives_the_lps_distributions()
    {
        var lp = Exact.Value;
        var ls = As(lp, ReconstructionMethod.LeastSquares);
        var scale = lp.Bases.Max(b => b.MaxAbsEntry);
        var compared = 0;
        foreach (var prefix in SequenceSpace.AllUpTo(lp.AlphabetSize, lp.Horizon - 1))
        {
            Assert.True(lp.IsFeasible(prefix), $"{prefix}: the reference LP model is not exact here");
            var result = ls.Reconstruct(prefix);
            Assert.True(result.Residual <= 1e-9 * scale, $"{prefix}: least-squares residual {result.Residual}");
            Assert.True(result.Feasible);
            var p = lp.NextTokenLogits(prefix).Probabilities();
            var q = ls.NextTokenLogits(prefix).Probabilities();
            for (var a = 0; a < p.Length; a++)
            {
                Assert.True(Math.Abs(p[a] - q[a]) <= 1e-9, $"{prefix}, token {a}: LP {p[a]}, least squares {q[a]}");
            }

            compared++;
        }

        Assert.Equal(364, compared); // 1 + 3 + 9 + 27 + 81 + 243
    }

    /// <summary>
    /// At length 2 the prefix's equations are one group and both methods solve them in one step, so each is optimal for
    /// its own norm. With a box wide enough that neither solution is clipped (β = 1e3): the LP's max residual is at most the
    /// least-squares one (up to the LP's tolerance, 1e-9 of the data scale), and the least-squares sum of squares is at
    /// most the LP's plus the ridge term <c>λ̄ ||c_LP||²</c> (the ridge objective of the LS solution is at most that of the
    /// LP's point; plus 1e-12 relative for rounding). Both residual vectors are recomputed from the public rows.
    /// </summary>
    [Fact]
    public void At_length_two_least_squares_minimises_the_two_norm_and_the_lp_the_max_norm()
    {
        var (model, _) = Perturbed.Value;
        var lp = As(model, ReconstructionMethod.MinimaxLp, beta: 1e3);
        var ls = As(model, ReconstructionMethod.LeastSquares, beta: 1e3);
        var scale = model.Bases.Max(b => b.MaxAbsEntry);
        var strict = 0;
        foreach (var prefix in SequenceSpace.All(model.AlphabetSize, 2))
        {
            var x = lp.Reconstruct(prefix);
            var y = ls.Reconstruct(prefix);
            Assert.All(y.CoefficientsAt(1), c => Assert.True(Math.Abs(c) < 1e3, $"{prefix}: coefficient {c} was clipped"));
            var ex = EquationResiduals(lp, prefix, x);
            var ey = EquationResiduals(ls, prefix, y);
            Assert.True(ex.Max(Math.Abs) <= ey.Max(Math.Abs) + (1e-9 * scale), $"{prefix}: LP max residual {ex.Max(Math.Abs)} above least squares' {ey.Max(Math.Abs)}");
            var ridge = ls.Engine.EffectiveRidge(1) * x.CoefficientsAt(1).Sum(c => c * c);
            var lpSquares = ex.Sum(e => e * e);
            Assert.True(ey.Sum(e => e * e) <= ((lpSquares + ridge) * (1 + 1e-12)) + 1e-30, $"{prefix}: least-squares sum of squares {ey.Sum(e => e * e)} above the LP's {lpSquares} + ridge {ridge}");
            if (TwoNorm(ey) < 0.99 * TwoNorm(ex) && ey.Max(Math.Abs) > 1.01 * ex.Max(Math.Abs))
            {
                strict++;
            }
        }

        // The target is approximate, so the two optima differ: on some prefix each method is strictly better in its own norm.
        Assert.True(strict > 0, "the two methods agree on every prefix of length 2: the target is not approximate enough to tell them apart");
    }

    /// <summary>
    /// The reported residual is the largest absolute equation residual of the coefficients the model uses, on every prefix
    /// of the perturbed model (the F# property <c>LearningProperties</c> checks it on random models). Tolerance: 1e-12 of
    /// <c>1 + scale · Σ|c|</c>, the size of the terms summed (the two computations add the same products in another order).
    /// </summary>
    [Fact]
    public void The_reported_residual_is_the_largest_equation_residual()
    {
        var (model, _) = Perturbed.Value;
        var ls = As(model, ReconstructionMethod.LeastSquares);
        var scale = model.Bases.Max(b => b.MaxAbsEntry);
        var positive = 0;
        foreach (var prefix in SequenceSpace.AllUpTo(model.AlphabetSize, model.Horizon - 1))
        {
            var result = ls.Reconstruct(prefix);
            Assert.Null(result.SolverStatus);
            Assert.Equal(0, result.Iterations);
            var recomputed = prefix.Length <= 1 ? 0.0 : EquationResiduals(ls, prefix, result).Max(Math.Abs);
            var size = 1 + (scale * Enumerable.Range(0, result.BlockCount).Sum(s => result.CoefficientsAt(s).Sum(Math.Abs)));
            Assert.Equal(recomputed, result.Residual, 1e-12 * size);
            Assert.Equal(result.Residual <= ls.Options.LpTolerance, result.Feasible);
            foreach (var c in Enumerable.Range(0, result.BlockCount).SelectMany(result.CoefficientsAt))
            {
                Assert.True(Math.Abs(c) <= ls.Options.Beta, $"{prefix}: coefficient {c} outside the box");
            }

            positive += result.Residual > 1e-6 ? 1 : 0;
        }

        Assert.True(positive > 100, $"only {positive} prefixes with a non-zero residual");
    }

    /// <summary>
    /// Sequential least squares is the joint least-squares solve of the prefix's equations when the later group can be
    /// fitted exactly for any earlier block: k = 2, T = 4, cut 1 one row (its group of 2 equations is inconsistent), cut 2
    /// two rows whose block on <c>F̂_2 = Σ</c> is invertible. Then the joint optimum fits group 1 exactly and minimises group
    /// 0 alone, as the sequential solve does. The joint solve is MathNet's QR on the whole prefix's equations, built here.
    /// Tolerance 1e-9: both carry the ridge floor (relative bias about 1e-12 · κ², κ &lt; 10 here) and rounding.
    /// </summary>
    [Fact]
    public void Sequential_equals_the_joint_solve_when_the_later_group_fits_exactly()
    {
        var model = TwoCutModel(cut2Rows: 2);
        foreach (var prefix in SequenceSpace.All(2, 3))
        {
            var sequential = model.Reconstruct(prefix);
            var joint = JointLeastSquares(model, prefix);
            Assert.True(EquationResiduals(model, prefix, sequential).Max(Math.Abs) > 0.01, $"{prefix}: group 0 should be inconsistent");
            var flat = sequential.CoefficientsAt(1).Concat(sequential.CoefficientsAt(2)).ToArray();
            for (var i = 0; i < flat.Length; i++)
            {
                Assert.Equal(joint[i], flat[i], 1e-9);
            }
        }
    }

    /// <summary>
    /// And what is not true: with one row at cut 2 the later group cannot be fitted for every earlier block, the joint
    /// solve trades group 0 against group 1, and its total sum of squares is strictly below the sequential one (the
    /// sequential solve is a forward filter, not the joint optimum; L11). Strictly: by more than 1e-6, far above rounding.
    /// </summary>
    [Fact]
    public void Sequential_is_not_the_joint_solve_when_a_later_group_cannot_be_fitted()
    {
        var model = TwoCutModel(cut2Rows: 1);
        var differs = 0;
        foreach (var prefix in SequenceSpace.All(2, 3))
        {
            var sequential = model.Reconstruct(prefix);
            var joint = JointLeastSquares(model, prefix);
            var (a, b) = model.Engine.WholeLp(prefix);
            var jointSquares = 0.0;
            for (var r = 0; r < b.Length; r++)
            {
                var e = -b[r];
                for (var v = 0; v < joint.Length; v++)
                {
                    e += a[r, v] * joint[v];
                }

                jointSquares += e * e;
            }

            var sequentialSquares = EquationResiduals(model, prefix, sequential).Sum(e => e * e);
            Assert.True(jointSquares <= sequentialSquares + 1e-12, $"{prefix}: joint {jointSquares} above sequential {sequentialSquares}");
            differs += jointSquares < sequentialSquares - 1e-6 ? 1 : 0;
        }

        Assert.True(differs > 0, "the joint solve never beat the sequential one");
    }

    /// <summary>
    /// The ridge shrinks the coefficients: at length 2 with one basis row <c>a</c> (on <c>F̂_1</c>) the solution is
    /// <c>c(λ) = aᵀb / (aᵀa + λ)</c> in closed form (checked to 1e-12 relative), so <c>|c|</c> falls strictly as λ grows and
    /// the residual rises. Hand-built: <c>a = (0.1, -0.3)</c>, <c>b = R_0(y_1∘Σ)</c>.
    /// </summary>
    [Fact]
    public void A_larger_ridge_shrinks_the_coefficients()
    {
        var futures = FutureSets.Initial(2, 3);
        var previous = double.PositiveInfinity;
        var previousResidual = -1.0;
        foreach (var lambda in new[] { 0.0, 1e-3, 1e-2, 0.1, 1, 10 })
        {
            var model = new LearnedModel(futures, HandBases(), new LearnedModelOptions(1e6, 0, FallbackPolicy.MinimumResidual) { Method = ReconstructionMethod.LeastSquares, Ridge = [0, lambda, 0] });
            var prefix = Prefix.Of(1, 0);
            var result = model.Reconstruct(prefix);
            double[] a = [0.1, -0.3];
            double[] b = [0.4, -0.7];                        // R_0([1]∘[0]), R_0([1]∘[1])
            var floor = 1e-12 * a.Sum(x => x * x);           // L11's floor, 1e-12 of the mean diagonal of aᵀa (m = 1)
            var expected = ((a[0] * b[0]) + (a[1] * b[1])) / ((a[0] * a[0]) + (a[1] * a[1]) + Math.Max(lambda, floor));
            var c = result.Coefficient(1, 0);
            Assert.Equal(expected, c, 1e-12 * Math.Abs(expected));
            Assert.True(Math.Abs(c) < previous, $"λ = {lambda}: |c| = {Math.Abs(c)} did not fall below {previous}");
            Assert.True(result.Residual > previousResidual, $"λ = {lambda}: residual {result.Residual} did not rise above {previousResidual}");
            previous = Math.Abs(c);
            previousResidual = result.Residual;
        }
    }

    /// <summary>
    /// The least-squares solution is clipped to the box afterwards: with β = 2 the unclipped <c>c = 2.5</c> of the hand
    /// case (b = 2.5·a exactly) becomes 2 and the residual is that of the clipped coefficient, <c>max |2a - b| = 0.5·0.3</c>.
    /// </summary>
    [Fact]
    public void The_solution_is_clipped_to_the_box()
    {
        var futures = FutureSets.Initial(2, 3);
        var bases = HandBases(r0: [0.5, -0.5, 1.0, 0.25, -1.0, -0.75]); // R_0([1]∘Σ) = (0.25, -0.75) = 2.5·(0.1, -0.3)
        var wide = new LearnedModel(futures, bases, new LearnedModelOptions(1e6, 0, FallbackPolicy.MinimumResidual) { Method = ReconstructionMethod.LeastSquares });
        var narrow = new LearnedModel(futures, bases, new LearnedModelOptions(2, 0, FallbackPolicy.MinimumResidual) { Method = ReconstructionMethod.LeastSquares });
        var prefix = Prefix.Of(1, 1);
        Assert.Equal(2.5, wide.Reconstruct(prefix).Coefficient(1, 0), 1e-10);
        Assert.True(wide.Reconstruct(prefix).Residual <= 1e-12);
        Assert.Equal(2.0, narrow.Reconstruct(prefix).Coefficient(1, 0));
        Assert.Equal(0.15, narrow.Reconstruct(prefix).Residual, 1e-12);
        Assert.False(narrow.Reconstruct(prefix).Feasible);
        // Minimum-residual semantics: the clipped solution is used, 2·R_1([1]∘Σ) = 2·(0.4, -0.4), centred.
        var logits = narrow.NextTokenLogits(prefix);
        Assert.Equal(0.8, logits[0], 12);
        Assert.Equal(-0.8, logits[1], 12);
    }

    /// <summary>
    /// A cut with an empty basis has no variable: the coefficient block is empty and the residual is the largest
    /// right-hand side, as for the LP (the case <c>A_prefix_whose_cut_has_an_empty_basis_solves_no_lp</c>).
    /// </summary>
    [Fact]
    public void An_empty_basis_gives_an_empty_block_and_the_right_hand_side_as_residual()
    {
        var model = new LearnedModel(
            HandBuiltRows.Futures,
            [
                new CutBasis(0, 6, [Prefix.Empty], [HandBuiltRows.Row(0, [0.5, -0.5], new double[,] { { 0.25, -0.25 }, { 0.125, -0.125 } })]),
                new CutBasis(1, 6, [], []),
                new CutBasis(2, 2, [], []),
            ],
            new LearnedModelOptions(2, 1, FallbackPolicy.MinimumResidual) { Method = ReconstructionMethod.LeastSquares });
        var result = model.Reconstruct(Prefix.Of(0, 1));
        Assert.Empty(result.CoefficientsAt(1));
        Assert.Equal(0.25, result.Residual);
        Assert.Equal([0.0, 0.0], model.NextTokenLogits(Prefix.Of(0, 1)).ToArray());
    }

    /// <summary>
    /// A least-squares reconstruction is a pure function of its prefix, so validation and generation agree however a prefix
    /// is reached: whatever the memo's capacity and the order of queries, every prefix gets bit-identical coefficients,
    /// residual and logits, equal to those of a separately constructed engine with the same inputs (as
    /// <c>ValidationPhase.Run</c> builds); and an extension keeps its parent's blocks bit for bit.
    /// </summary>
    [Fact]
    public void Least_squares_results_do_not_depend_on_the_memo_the_order_or_the_engine()
    {
        var (model, _) = Perturbed.Value;
        var ridge = Enumerable.Repeat(0.01, model.Horizon).ToArray();
        var ls = As(model, ReconstructionMethod.LeastSquares, ridge: ridge);
        var prefixes = SequenceSpace.AllUpTo(model.AlphabetSize, model.Horizon - 1).ToList();
        var expected = prefixes.ToDictionary(p => p, p => (ls.Reconstruct(p), ls.NextTokenLogits(p)));
        var validation = new Reconstructor(model.FutureSets, model.Bases, ls.Options.Beta, ls.Options.LpTolerance, ls.Options.Solver, method: ReconstructionMethod.LeastSquares, ridge: ridge);
        foreach (var (other, order) in new[] { (ls.WithMemoCapacity(0), prefixes), (ls.WithMemoCapacity(3), Enumerable.Reverse(prefixes).ToList()) })
        {
            foreach (var prefix in order)
            {
                var (result, logits) = expected[prefix];
                foreach (var again in new[] { other.Reconstruct(prefix), validation.Solve(prefix) })
                {
                    Assert.Equal(result.Residual, again.Residual);
                    for (var s = 0; s < result.BlockCount; s++)
                    {
                        Assert.Equal(result.CoefficientsAt(s), again.CoefficientsAt(s));
                    }
                }

                Assert.Equal(logits.ToArray(), other.NextTokenLogits(prefix).ToArray());
                Assert.Equal(logits.ToArray(), LogitVector.FromLogits(validation.PredictRaw(prefix, validation.Solve(prefix))).ToArray());
                if (prefix.Length >= 3)
                {
                    var parent = expected[prefix.Take(prefix.Length - 1)].Item1;
                    for (var s = 0; s < prefix.Length - 1; s++)
                    {
                        Assert.Equal(parent.CoefficientsAt(s), result.CoefficientsAt(s));
                    }
                }
            }
        }
    }

    /// <summary>
    /// L11's ridge per cut is <c>λ̄_s = max(λ_s, 1e-12 · ||A_s||_F² / m_s)</c>: on the two-row block of <see cref="TwoCutModel"/>
    /// (<c>A_2</c> the rows' entries on <c>F̂_2 = Σ</c>, (0.7, -0.2) and (0.1, 0.9), so <c>||A_2||_F² = 1.35</c> and <c>m_2 = 2</c>)
    /// the floor is 6.75e-13 when no ridge is asked, and a larger ridge is used as given (1e-15 relative: one product and
    /// one quotient of exact decimals).
    /// </summary>
    [Fact]
    public void The_ridge_is_the_larger_of_the_one_asked_and_a_floor_per_column()
    {
        var model = TwoCutModel(cut2Rows: 2);
        Assert.Equal(1e-12 * 1.35 / 2, model.Engine.EffectiveRidge(2), 1e-15 * 1e-12);
        var ridged = new LearnedModel(model.FutureSets, model.Bases, model.Options with { Ridge = [0, 0, 1e-3, 0] });
        Assert.Equal(1e-3, ridged.Engine.EffectiveRidge(2));
        Assert.Equal(0.0, ridged.Engine.EffectiveRidge(0));
    }

    [Fact]
    public void The_engine_rejects_a_bad_ridge_or_method_by_name()
    {
        var futures = FutureSets.Initial(2, 3);
        var bases = HandBases();
        var e = Assert.Throws<ArgumentException>(() => new Reconstructor(futures, bases, 2, 0, method: ReconstructionMethod.LeastSquares, ridge: [0, 1]));
        Assert.Equal("ridge", e.ParamName);
        Assert.Contains("Ridge has 2 entries; expected one per cut, T = 3", e.Message, StringComparison.Ordinal);
        e = Assert.Throws<ArgumentException>(() => new Reconstructor(futures, bases, 2, 0, method: ReconstructionMethod.LeastSquares, ridge: [0, double.NaN, 0]));
        Assert.Contains("Ridge[1] = NaN", e.Message, StringComparison.Ordinal);
        foreach (var bad in new[] { -1.0, double.PositiveInfinity, double.NegativeInfinity })
        {
            e = Assert.Throws<ArgumentException>(() => new Reconstructor(futures, bases, 2, 0, method: ReconstructionMethod.LeastSquares, ridge: [0, 0, bad]));
            Assert.Equal("ridge", e.ParamName);
            Assert.Contains($"Ridge[2] = {bad}", e.Message, StringComparison.Ordinal);
        }

        e = Assert.Throws<ArgumentException>(() => new Reconstructor(futures, bases, 2, 0, method: (ReconstructionMethod)7));
        Assert.Equal("method", e.ParamName);
        Assert.Contains("Method = 7", e.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// k = 2, T = 3 bases: cut 0's row <paramref name="r0"/> on <c>F̃_0 = ([0],[1],[0,0],[1,0],[0,1],[1,1])</c>, cut 1 one
    /// history [0] with <c>R_1 = (0.1, -0.3)</c> on <c>F̂_1 = Σ</c> and <c>R_1([a]∘Σ)</c> = (0.2, -0.2) for a = 0, (0.4, -0.4) for a = 1.
    /// </summary>
    private static CutBasis[] HandBases(double[]? r0 = null) =>
    [
        new CutBasis(0, 6, [Prefix.Empty], [r0 ?? [0.5, -0.5, 1.0, 0.4, -1.0, -0.7]]),
        new CutBasis(1, 6, [Prefix.Of(0)], [[0.1, -0.3, 0.2, 0.4, -0.2, -0.4]]),
        new CutBasis(2, 2, [], []),
    ];

    /// <summary>
    /// k = 2, T = 4, least squares with the default ridge: cut 0 a fixed row; cut 1 one row, so group 0 (two equations, one
    /// unknown) is inconsistent for the rows below; cut 2 <paramref name="cut2Rows"/> rows (2: its block on <c>F̂_2 = Σ</c> is
    /// invertible; 1: it is not). Rows are stored on <c>F̃_s = Σ ∪ Σ²</c> (width 6) and <c>F̃_3 = Σ</c>.
    /// </summary>
    private static LearnedModel TwoCutModel(int cut2Rows)
    {
        var futures = FutureSets.Initial(2, 4);
        double[][] cut2 = [[0.7, -0.2, 0.3, -0.5, 0.6, 0.1], [0.1, 0.9, -0.4, 0.2, -0.3, 0.8]];
        var bases = new[]
        {
            new CutBasis(0, 6, [Prefix.Empty], [[0.5, -0.5, 1.0, 0.4, -1.0, -0.7]]),
            new CutBasis(1, 6, [Prefix.Of(0)], [[0.3, -0.2, 0.5, -0.6, 0.2, 0.9]]),
            new CutBasis(2, 6, [.. new[] { Prefix.Of(0, 0), Prefix.Of(1, 1) }.Take(cut2Rows)], [.. cut2.Take(cut2Rows)]),
            new CutBasis(3, 2, [], []),
        };
        return new LearnedModel(futures, bases, new LearnedModelOptions(1e6, 0, FallbackPolicy.MinimumResidual) { Method = ReconstructionMethod.LeastSquares });
    }

    /// <summary>The joint least-squares solution (all blocks at once) of the prefix's equations, by MathNet's QR.</summary>
    private static double[] JointLeastSquares(LearnedModel model, Prefix prefix)
    {
        var (a, b) = model.Engine.WholeLp(prefix);
        return Matrix<double>.Build.DenseOfArray(a).QR().Solve(Vector<double>.Build.DenseOfArray(b)).ToArray();
    }
}
