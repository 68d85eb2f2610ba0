using LogitRank.Numerics;

namespace LogitRank.Tests.Numerics;

/// <summary>
/// The internal bounded-variable simplex behind <see cref="MinimaxLinearProgram.Solve"/>, checked through its outputs
/// only: the step observer's <see cref="MinimaxSimplex.StepChoice"/> sequence (entering column, direction, leaving
/// variable, length, rate, Bland flag), the refresh observer, and the point, r and status that
/// <see cref="MinimaxSimplex.Run"/> returns (proofs-notes/lp-reconstruction.md, L2 to L9). Hand traces pin the rules on
/// small instances; <see cref="StepTracker"/> checks every step of seeded instance families against the rules that the
/// outputs determine; the optima are checked against vertex enumeration or the dual certificate. Nothing here reads
/// the solver's tableau, so these tests hold whatever its representation of the basis is.
/// </summary>
public partial class MinimaxSimplexTests
{
    /// <summary>
    /// Hand-computed trace of min |x - 1| on [0, 1]. Columns: y = x (0), r (1), slacks s0, s1 (2, 3). Start y = 0,
    /// s0 = 1, s1 = -1; r enters in place of s1 (the negative slack) at r = 1, giving s0 = 2 and the rows
    /// <c>r = 1 - y + s1</c>, <c>s0 = 2 - 2y + s1</c>. y lowers r at rate 1; row s0 limits it at 2/2 = 1, and its box
    /// width is also 1: the tie is a bound flip (toBound &lt;= ratio), after which r = 0 and nothing is eligible.
    /// </summary>
    [Fact]
    public void Hand_trace_a_bound_as_far_as_the_best_ratio_is_a_flip()
    {
        double[,] a = { { 1.0 } };
        var steps = StepTracker.Run(a, [1.0], [0.0], [1.0], new LpOptions(), "min |x - 1|").Steps;
        Assert.Equal([new MinimaxSimplex.StepChoice(0, 1, -1, false, false, 1.0, 1.0)], steps);

        var (status, x, r, _, iterations, restarts) = MinimaxSimplex.Run(a, [1.0], [0.0], [1.0], new LpOptions());
        Assert.Equal(LpStatus.Optimal, status);
        Assert.Equal((1, 0), (iterations, restarts));
        Assert.Equal([1.0], x);
        Assert.Equal(0.0, r);
    }

    /// <summary>
    /// Hand-computed trace of min max |a_i x - 1| for a = (2, 1, 1/2) on x ∈ [0, 4]. Columns: y (0), r (1), slacks
    /// s0..s5 (2..7). At the start every lower slack is -1; r enters in place of s3 (the first of them) at r = 1, and
    /// then <c>r = 1 - 2y + s3</c>, the upper slacks are 2 with pivot entries 4, 3, 5/2 (ratios 1/2, 2/3, 4/5) and the
    /// lower slacks s4, s5 are 0 with entries 1 and 3/2: a tie at ratio 0. The larger entry wins, so s5 (column 7)
    /// leaves, not s4 (the smaller index; what Bland's rule would take). In the new basis <c>r = 1 - s3/3 + 4 s5/3</c>:
    /// s3 (column 5) enters (the only eligible column, rate 1/3) and s0 (column 2) limits it at 2/(5/3) = 6/5, which
    /// brings r to 1 - 2/5 = 3/5 and y to 4/5: the optimum, where |2y - 1| = |y/2 - 1| = 3/5.
    /// </summary>
    [Fact]
    public void Hand_trace_an_exact_ratio_tie_goes_to_the_larger_pivot_entry()
    {
        double[,] a = { { 2.0 }, { 1.0 }, { 0.5 } };
        double[] b = [1.0, 1.0, 1.0];
        var steps = StepTracker.Run(a, b, [0.0], [4.0], new LpOptions(), "min max |a_i x - 1|").Steps;
        Assert.Equal(2, steps.Count);
        Assert.Equal(new MinimaxSimplex.StepChoice(0, 1, 7, false, false, 0.0, 2.0), steps[0]);
        Assert.Equal((5, 1, 2, false, false), (steps[1].Entering, steps[1].Direction, steps[1].LeavingVariable, steps[1].LeavesAtUpper, steps[1].Bland));

        // The second step's numbers involve thirds (rounded): 1e-15 is a few ulps of these O(1) values.
        Assert.Equal(6.0 / 5.0, steps[1].Length, 1e-15);
        Assert.Equal(1.0 / 3.0, steps[1].Rate, 1e-15);
        var (status, x, r, _, iterations, _) = MinimaxSimplex.Run(a, b, [0.0], [4.0], new LpOptions());
        Assert.Equal(LpStatus.Optimal, status);
        Assert.Equal(2, iterations);
        Assert.Equal(0.8, x[0], 1e-15);
        Assert.Equal(0.6, r, 1e-15);
    }

    /// <summary>
    /// Small dyadic instances with duplicated rows (exact ties in the ratio test), default tolerances: every step
    /// follows the rules <see cref="StepTracker"/> checks, the optimum is certified by the dual bound, and a second run
    /// takes the same steps bit for bit (L7).
    /// </summary>
    [Fact]
    public void Every_step_of_dyadic_instances_with_duplicated_rows_follows_the_documented_rules()
    {
        var totals = new TrackerCounts();
        for (var seed = 0; seed < 300; seed++)
        {
            var (a, b, lower, upper) = Dyadic(seed, 3 + (seed % 5), 2 + (seed % 4), duplicate: true);
            var tracker = StepTracker.Run(a, b, lower, upper, new LpOptions(), $"seed {seed}");
            totals.Add(tracker.Counts);
            Assert.Equal(tracker.Steps, StepTracker.Run(a, b, lower, upper, new LpOptions(), $"seed {seed}, again").Steps);
            AssertCertifiedOptimum(a, b, lower, upper, $"seed {seed}");
        }

        Assert.True(totals.Flips > 0 && totals.LeavesAtUpper > 0 && totals.InteriorMoves > 0, totals.ToString());
        Assert.True(totals.StructuralSteps > 0 && totals.SlackSteps > 0, totals.ToString());
    }

    /// <summary>
    /// The same kind of instances with tolerances 1/2 (data in quarters): rates land exactly on the optimality
    /// tolerance, where the documented rule treats them as not exceeding it, so no step may have rate 1/2. The family
    /// does contain columns whose rate is exactly 1/2: with the tolerance one step below 1/2 some step takes one.
    /// </summary>
    [Fact]
    public void Rates_exactly_at_the_optimality_tolerance_are_not_eligible()
    {
        var options = new LpOptions { OptimalityTolerance = 0.5, PivotTolerance = 0.5 };
        var below = options with { OptimalityTolerance = Math.BitDecrement(0.5) };
        var atTolerance = 0;
        for (var seed = 0; seed < 300; seed++)
        {
            var (a, b, lower, upper) = Dyadic(1000 + seed, 3 + (seed % 5), 2 + (seed % 4), duplicate: seed % 2 == 0);
            StepTracker.Run(a, b, lower, upper, options, $"seed {seed}"); // checks Rate > 0.5 at every step
            atTolerance += StepTracker.Run(a, b, lower, upper, below, $"seed {seed}, tolerance below 1/2").Steps.Count(s => s.Rate == 0.5);
        }

        Assert.True(atTolerance > 0, "no rate of exactly 1/2 occurs: the family no longer reaches the tolerance");
    }

    /// <summary>
    /// Highly degenerate instances (rows in pairs a_i, -a_i with b = 1: the start point is optimal and every step
    /// degenerate, entries exact), which run into Bland mode; and two planted instances that take more than one
    /// refresh period of pivots. The optimum of the pairs is exactly 1 (at x = 0).
    /// </summary>
    [Fact]
    public void Long_degenerate_runs_switch_to_Bland_and_refresh_on_schedule()
    {
        var totals = new TrackerCounts();
        foreach (var (seed, pairs, n) in new[] { (100, 100, 60), (101, 60, 70), (102, 80, 120), (103, 40, 100) })
        {
            var (a, b, lower, upper) = Pairs(seed, pairs, n);
            totals.Add(StepTracker.Run(a, b, lower, upper, new LpOptions(), $"pairs seed {seed}").Counts);
            var (status, _, r, _, _, _) = MinimaxSimplex.Run(a, b, lower, upper, new LpOptions());
            Assert.Equal(LpStatus.Optimal, status);
            Assert.Equal(1.0, r, 1e-12); // sums of <= 120 exact products of sixteenths: rounding far below 1e-12
        }

        // Long enough for periodic recomputations: planted instances whose optimum has most coordinates basic.
        for (var seed = 0; seed < 2; seed++)
        {
            var (a, b, lower, upper, _) = LpReference.Planted(500 + seed, 150, 90, rho: 0.3);
            totals.Add(StepTracker.Run(a, b, lower, upper, new LpOptions(), $"planted seed {seed}").Counts);
        }

        Assert.True(totals.BlandSteps > 0, totals.ToString());
        Assert.True(totals.Refreshes > 0, totals.ToString());
    }

    /// <summary>
    /// The exact pairs instance (100 pairs, 60 columns, scaled by 8 so that their keys dwarf z's) with a leading column z (index 0, box [0, w]) that adds <c>d·z</c> to every
    /// residual, with b = β in every row: the residuals are <c>±a_i·x + d·z - β</c>, so
    /// <c>r = max_i (|d·z - β| + |a_i·x|) &gt;= β - d·w</c>, reached at x = 0, z = w (for d·w &lt;= β). From the start
    /// every step of the other columns is degenerate, and z, whose key <c>d·w</c> is far below theirs, is not
    /// chosen by Dantzig's rule; once Bland mode starts, z (the smallest index, rate exactly d: the degenerate pivots
    /// happen in rows whose z entry is exactly 0) enters first. Its step lowers r by exactly <c>d·w</c> (a flip, the
    /// other rows allow 2β/2d) and whether that counts as degenerate decides whether Bland mode goes on: the next
    /// step's mode is checked against the documented threshold <c>1e-13·max(1, |r|)</c>, with r after the step:
    /// <list type="bullet">
    /// <item>β = 1/4, d·w = 0.5e-13: degenerate (threshold 1e-13, the max with 1 matters: |r| &lt; 1);</item>
    /// <item>β = 4, d·w = 1e-13: degenerate (threshold 4e-13, scaled by |r|);</item>
    /// <item>β = 1, d = 2^-20, w = 2^-24: decrease 2^-44 ≈ 5.7e-14, degenerate (the decrease is length times rate);</item>
    /// <item>β = 1, d = 1, w = 1e-13: decrease exactly the threshold 1e-13 (|r| = 1 - 1e-13 &lt; 1), degenerate;</item>
    /// <item>β = 1, d = 1, w = 1e-12: not degenerate, Bland mode ends.</item>
    /// </list>
    /// With β = 1, d = 1, w = 3/2, z's Bland step is instead a pivot that brings r to 0 (z = 1 &lt; w): r's own row,
    /// whose ratio r/d ties with those of the rows it blocks, must not take part in the ratio test (it would win the
    /// Bland tie by its index and r would leave the basis, which the tracker rejects).
    /// </summary>
    [Theory]
    [InlineData(0.25, 1.0, 0.5e-13, true)]
    [InlineData(4.0, 1.0, 1e-13, true)]
    [InlineData(1.0, 9.5367431640625E-07, 5.9604644775390625E-08, true)] // d = 2^-20, w = 2^-24
    [InlineData(1.0, 1.0, 1e-13, true)]
    [InlineData(1.0, 1.0, 1e-12, false)]
    [InlineData(1.0, 1.0, 1.5, false)]
    public void A_tiny_step_in_Bland_mode_keeps_it_exactly_when_it_is_degenerate(double beta, double d, double w, bool staysBland)
    {
        var (pairsA, _, pairsLower, pairsUpper) = Pairs(100, 100, 60);
        var m = pairsA.GetLength(0);
        var n = pairsA.GetLength(1) + 1;
        var a = new double[m, n];
        for (var i = 0; i < m; i++)
        {
            a[i, 0] = d;
            for (var j = 1; j < n; j++)
            {
                a[i, j] = 8 * pairsA[i, j - 1];
            }
        }

        var b = Enumerable.Repeat(beta, m).ToArray();
        double[] lower = [0.0, .. pairsLower];
        double[] upper = [w, .. pairsUpper];
        var tracker = StepTracker.Run(a, b, lower, upper, new LpOptions(), $"beta {beta}, d {d}, w {w}");
        var steps = tracker.Steps;

        var zStep = steps.FindIndex(s => s.Entering == 0);
        Assert.True(zStep >= 0 && steps[zStep].Bland, $"z entered at step {zStep}, not in Bland mode ({tracker.Counts})");
        if (w < beta / d)
        {
            // A flip of length exactly w at rate exactly d, and a next step whose mode was checked.
            Assert.True(steps[zStep].LeavingVariable == -1 && steps[zStep].Length == w && steps[zStep].Rate == d, $"z step {steps[zStep]}");
            Assert.True(zStep + 1 < steps.Count, "no step after z's");
            Assert.Equal(staysBland, steps[zStep + 1].Bland);
        }
        else
        {
            // The pivot that brings r to 0: the optimum β - d·min(w, β/d) = 0.
            Assert.True(steps[zStep].LeavingVariable >= 0 && steps[zStep].Length == beta / d, $"z step {steps[zStep]}");
        }
    }

    /// <summary>
    /// Tiny instances of the dyadic family (at most 4 rows and 3 columns) reach the optimum that vertex enumeration
    /// finds, from <c>clip(0)</c> and from a start point inside the box; and the start point itself is returned with its
    /// own residual when no step is allowed (the state a restart begins from, L2 and L9).
    /// </summary>
    [Fact]
    public void Tiny_dyadic_instances_reach_the_enumerated_optimum_from_any_start()
    {
        for (var seed = 0; seed < 60; seed++)
        {
            var (a, b, lower, upper) = Dyadic(3000 + seed, 2 + (seed % 3), 1 + (seed % 3), duplicate: seed % 2 == 0);
            var n = lower.Length;
            var start = Enumerable.Range(0, n).Select(j => lower[j] + ((upper[j] - lower[j]) * ((seed + j) % 5) / 4.0)).ToArray();
            var expected = LpReference.BruteForceOptimum(a, b, lower, upper);
            foreach (var from in new[] { null, start })
            {
                var context = $"seed {seed}, start {(from is null ? "clip(0)" : string.Join(", ", from))}";
                StepTracker.Run(a, b, lower, upper, new LpOptions(), context, from);
                var (status, x, r, _, _, _) = MinimaxSimplex.Run(a, b, lower, upper, new LpOptions(), from);
                Assert.True(status == LpStatus.Optimal, context);

                // Quarters, at most 4×4 solves in the enumeration: 1e-9 absorbs the rounding of both sides.
                Assert.True(Math.Abs(expected - r) <= 1e-9, $"{context}: r = {r}, enumerated optimum {expected}");
                Assert.True(Math.Abs(expected - LpReference.Objective(a, b, x)) <= 1e-9, $"{context}: residual of x {LpReference.Objective(a, b, x)}, optimum {expected}");
            }

            var (stopped, point, startR, _, iterations, _) = MinimaxSimplex.Run(a, b, lower, upper, new LpOptions { MaxIterations = 0 }, start);
            Assert.Equal(0, iterations);
            Assert.Equal(start, point);
            Assert.Equal(LpReference.Objective(a, b, start), startR, 12); // quarters: sums of a few products, exact up to rounding
            Assert.True(stopped == LpStatus.Optimal || stopped == LpStatus.IterationLimit);
        }
    }

    /// <summary>The dual certificate of <see cref="MinimaxLinearProgram.Solve"/> closes the gap on the instance (L8): a certified optimum.</summary>
    private static void AssertCertifiedOptimum(double[,] a, double[] b, double[] lower, double[] upper, string context)
    {
        var result = MinimaxLinearProgram.Solve(a, b, lower, upper);
        Assert.True(result.Status == LpStatus.Optimal, $"{context}: {result.Status}");

        // Data in quarters of magnitude <= 2, at most 7 rows: 1e-9 is far above the rounding of the bound's sums.
        var bound = LpReference.DualBound(a, b, lower, upper, result.DualWeights);
        Assert.True(Math.Abs(result.CheckedResidual - bound) <= 1e-9, $"{context}: residual {result.CheckedResidual}, dual bound {bound}");
    }

    /// <summary>Entries multiples of 1/4 in [-2, 2]; boxes with ends in quarters, some on 0, some straddling it.</summary>
    private static (double[,] A, double[] B, double[] Lower, double[] Upper) Dyadic(int seed, int m, int n, bool duplicate)
    {
        var random = new Random(seed);
        var a = new double[m, n];
        var b = new double[m];
        for (var i = 0; i < m; i++)
        {
            var source = duplicate && i > 0 && random.Next(3) == 0 ? random.Next(i) : -1;
            for (var j = 0; j < n; j++)
            {
                a[i, j] = source >= 0 ? a[source, j] : random.Next(-8, 9) / 4.0;
            }

            // Half the rows aim at ±1, so that several rows are equally far from the start and tie.
            b[i] = source >= 0 ? b[source] : random.Next(2) == 0 ? random.Next(2) * 2 - 1 : random.Next(-8, 9) / 4.0;
        }

        var lower = new double[n];
        var upper = new double[n];
        for (var j = 0; j < n; j++)
        {
            lower[j] = random.Next(-8, 3) / 4.0;
            upper[j] = lower[j] + (random.Next(1, 9) / 4.0);
        }

        return (a, b, lower, upper);
    }

    /// <summary>
    /// Rows in pairs a_i, -a_i with b = 1 (optimum exactly 1 at x = 0, every step degenerate), box [-1, 1]^n, entries
    /// multiples of 1/16 in [-1, 1]: every value stays exact, so the degenerate rows sit at exactly 0 and tie in the
    /// ratio test.
    /// </summary>
    private static (double[,] A, double[] B, double[] Lower, double[] Upper) Pairs(int seed, int pairs, int n)
    {
        var random = new Random(seed);
        var a = new double[2 * pairs, n];
        var b = new double[2 * pairs];
        for (var i = 0; i < pairs; i++)
        {
            for (var j = 0; j < n; j++)
            {
                var v = random.Next(-16, 17) / 16.0;
                a[i, j] = v;
                a[pairs + i, j] = -v;
            }

            b[i] = 1;
            b[pairs + i] = 1;
        }

        return (a, b, Enumerable.Repeat(-1.0, n).ToArray(), Enumerable.Repeat(1.0, n).ToArray());
    }
}
