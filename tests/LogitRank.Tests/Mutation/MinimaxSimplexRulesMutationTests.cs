using LogitRank.Numerics;
using LogitRank.Tests.Numerics;

namespace LogitRank.Tests.Mutation;

/// <summary>
/// The documented step rules of the internal <c>MinimaxSimplex</c>, checked step by step through its test observer
/// (<c>Iterate(options, onStep, onRefresh)</c>): before each step is applied, <see cref="RuleChecker"/> recomputes
/// from the live tableau and values what the rules of <see cref="MinimaxLinearProgram"/>'s documentation prescribe
/// and compares it with the step the simplex chose:
/// <list type="bullet">
/// <item>entering: an eligible variable has rate <c>score = σ·T[p, j] &gt; OptimalityTolerance</c> (an entry exactly
/// at the tolerance is not eligible); two-tier Dantzig: an eligible structural <c>y_j</c> with the largest
/// <c>score·u_j</c>, else the slack with the largest <c>score</c>, ties to the smallest index; in Bland mode the
/// smallest eligible index;</item>
/// <item>leaving: minimum ratio over the rows other than r's, a row taking part only when its pivot entry
/// <c>α</c> exceeds <c>PivotTolerance</c> (towards the lower bound 0) or, for a basic structural, is below
/// <c>-PivotTolerance</c> (towards its upper bound); ties to the larger <c>|α|</c>, then to the smaller basic
/// variable index; in Bland mode ties to the smaller basic variable index;</item>
/// <item>a structural entering variable flips to its other bound when that bound is no farther than the best
/// ratio (<c>toBound &lt;= ratio</c>, so an exact tie is a flip);</item>
/// <item>Bland mode starts after <see cref="MinimaxSimplex.DegenerateRunBeforeBland"/> consecutive degenerate steps
/// (r lowered by at most <c>1e-13·max(1, |r|)</c>) and ends at the first step that is not degenerate;</item>
/// <item>the basic values are recomputed after every <see cref="MinimaxSimplex.RefreshPeriod"/>-th pivot (bound
/// flips do not count).</item>
/// </list>
/// The instances are chosen so that the situations the rules decide really occur (exact ties from small dyadic data
/// and duplicated rows, scores and pivot entries exactly at the tolerances, long degenerate runs); the checker counts
/// them and each test requires its situations to have occurred, so a test cannot pass vacuously.
/// </summary>
public class MinimaxSimplexRulesMutationTests
{
    /// <summary>
    /// Hand-computed trace of min |x - 1| on [0, 1]. Columns: y = x (0), r (1), slacks s0, s1 (2, 3). Start y = 0,
    /// s0 = 1, s1 = -1; r enters in row 1 (the negative slack) at r = 1, giving s0 = 2 and the rows
    /// <c>r = 1 - y + s1</c>, <c>s0 = 2 - 2y + s1</c>. y lowers r at rate 1; row 0 limits it at 2/2 = 1, and its box
    /// width is also 1: the tie is a bound flip (toBound &lt;= ratio), after which r = 0 and nothing is eligible.
    /// </summary>
    [Fact]
    public void Hand_trace_a_bound_as_far_as_the_best_ratio_is_a_flip()
    {
        var simplex = MinimaxSimplex.Start(new double[,] { { 1.0 } }, [1.0], [0.0], [1.0]);
        var steps = new List<MinimaxSimplex.StepChoice>();
        var (status, iterations) = simplex.Iterate(new LpOptions(), steps.Add);
        Assert.Equal(MinimaxSimplex.Outcome.Optimal, status);
        Assert.Equal(1, iterations);
        Assert.Equal([new MinimaxSimplex.StepChoice(0, 1, -1, false, false, 1.0, 1.0)], steps);
        Assert.Equal(1.0, simplex.Values[0]);
        Assert.Equal(0.0, simplex.Values[1]);
    }

    /// <summary>
    /// Hand-computed trace of min max |a_i x - 1| for a = (2, 1, 1/2) on x ∈ [0, 4]. Columns: y (0), r (1), slacks
    /// s0..s5 (2..7). At the start every lower slack is -1; r enters in row 3 (the first of them) at r = 1, and then
    /// <c>r = 1 - 2y + s3</c>, the upper slacks are 2 with pivot entries 4, 3, 5/2 (ratios 1/2, 2/3, 4/5) and the
    /// lower slacks of rows 4 and 5 are 0 with entries 1 and 3/2: a tie at ratio 0. The larger entry wins, so s5
    /// (row 5) leaves, not s4 (the smaller index; what Bland's rule would take). In the new basis
    /// <c>r = 1 - s3/3 + 4 s5/3</c>: s3 enters (the only eligible column, rate 1/3) and row 0 limits it at 2/(5/3) = 6/5,
    /// which brings r to 1 - 2/5 = 3/5 and y to 4/5: the optimum, where |2y - 1| = |y/2 - 1| = 3/5.
    /// </summary>
    [Fact]
    public void Hand_trace_an_exact_ratio_tie_goes_to_the_larger_pivot_entry()
    {
        var simplex = MinimaxSimplex.Start(new double[,] { { 2.0 }, { 1.0 }, { 0.5 } }, [1.0, 1.0, 1.0], [0.0], [4.0]);
        var steps = new List<MinimaxSimplex.StepChoice>();
        var (status, iterations) = simplex.Iterate(new LpOptions(), steps.Add);
        Assert.Equal(MinimaxSimplex.Outcome.Optimal, status);
        Assert.Equal(2, iterations);
        Assert.Equal(new MinimaxSimplex.StepChoice(0, 1, 5, false, false, 0.0, 2.0), steps[0]);
        Assert.Equal((5, 1, 0, false), (steps[1].Entering, steps[1].Direction, steps[1].LeavingRow, steps[1].Bland));

        // The second step's numbers involve thirds (rounded): 1e-15 is a few ulps of these O(1) values.
        Assert.Equal(6.0 / 5.0, steps[1].Length, 1e-15);
        Assert.Equal(1.0 / 3.0, steps[1].Rate, 1e-15);
        Assert.Equal(0.8, simplex.Values[0], 1e-15);
        Assert.Equal(0.6, simplex.Values[1], 1e-15);
    }

    /// <summary>Small dyadic instances with duplicated rows, default tolerances: exact ties in the ratio test.</summary>
    [Fact]
    public void Every_step_of_dyadic_instances_with_duplicated_rows_follows_the_documented_rules()
    {
        var totals = new RuleChecker.Counts();
        for (var seed = 0; seed < 300; seed++)
        {
            var (a, b, lower, upper) = Dyadic(seed, 3 + (seed % 5), 2 + (seed % 4), duplicate: true);
            totals.Add(RuleChecker.Run(a, b, lower, upper, new LpOptions(), $"seed {seed}"));
        }

        Assert.True(totals.RatioTiesByMagnitude > 0, totals.ToString());
        Assert.True(totals.RatioTiesByIndex > 0, totals.ToString());
        Assert.True(totals.FlipTies > 0, totals.ToString());
        Assert.True(totals.StructuralAgainstSlack > 0, totals.ToString());
    }

    /// <summary>
    /// The same kind of instances with tolerances 1/2 (data in quarters): scores and pivot entries land exactly on
    /// the tolerance, where the documented rule treats them as not exceeding it.
    /// </summary>
    [Fact]
    public void Scores_and_pivot_entries_exactly_at_the_tolerance_do_not_count()
    {
        var totals = new RuleChecker.Counts();
        var options = new LpOptions { OptimalityTolerance = 0.5, PivotTolerance = 0.5 };
        for (var seed = 0; seed < 300; seed++)
        {
            var (a, b, lower, upper) = Dyadic(1000 + seed, 3 + (seed % 5), 2 + (seed % 4), duplicate: seed % 2 == 0);
            totals.Add(RuleChecker.Run(a, b, lower, upper, options, $"seed {seed}"));
        }

        // An entry exactly at -PivotTolerance in the row of a basic structural (which would move towards its upper
        // bound) that would decide the step is rarer: two instances of the same family, found by a seeded search
        // with PivotTolerance = 1.
        foreach (var (seed, m, n, duplicate) in new[] { (2158, 6, 4, true), (2249, 7, 3, false) })
        {
            var (a, b, lower, upper) = Dyadic(seed, m, n, duplicate);
            totals.Add(RuleChecker.Run(a, b, lower, upper, new LpOptions { PivotTolerance = 1.0 }, $"seed {seed}, pivot tolerance 1"));
        }

        Assert.True(totals.ScoreAtTolerance > 0, totals.ToString());
        Assert.True(totals.PositiveEntryAtTolerance > 0, totals.ToString());
        Assert.True(totals.NegativeEntryAtTolerance > 0, totals.ToString());
    }

    /// <summary>
    /// Highly degenerate instances (rows in pairs a_i, -a_i with b = 1: the start point is optimal and every step
    /// degenerate, entries exact), which run into Bland mode and tie in Bland mode; and two planted instances that
    /// take more than one refresh period of pivots.
    /// </summary>
    [Fact]
    public void Long_degenerate_runs_switch_to_Bland_and_refresh_on_schedule()
    {
        var totals = new RuleChecker.Counts();
        foreach (var (seed, pairs, n) in new[] { (100, 100, 60), (101, 60, 70), (102, 80, 120), (103, 40, 100) })
        {
            var (a, b, lower, upper) = Pairs(seed, pairs, n);
            totals.Add(RuleChecker.Run(a, b, lower, upper, new LpOptions(), $"pairs seed {seed}"));
        }

        // Long enough for periodic recomputations: planted instances whose optimum has most coordinates basic.
        for (var seed = 0; seed < 2; seed++)
        {
            var (a, b, lower, upper, _) = LpReference.Planted(500 + seed, 150, 90, rho: 0.3);
            totals.Add(RuleChecker.Run(a, b, lower, upper, new LpOptions(), $"planted seed {seed}"));
        }

        Assert.True(totals.BlandSteps > 0, totals.ToString());
        Assert.True(totals.BlandRatioTies > 0, totals.ToString());
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
    /// Bland tie by its index and r would leave the basis).
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
        var (counts, steps) = RuleChecker.RunWithSteps(a, b, lower, upper, new LpOptions(), $"beta {beta}, d {d}, w {w}");

        var zStep = steps.FindIndex(s => s.Entering == 0);
        Assert.True(zStep >= 0 && steps[zStep].Bland, $"z entered at step {zStep}, not in Bland mode ({counts})");
        if (w < beta / d)
        {
            // A flip of length exactly w at rate exactly d, and a next step whose mode was checked.
            Assert.True(steps[zStep].LeavingRow == -1 && steps[zStep].Length == w && steps[zStep].Rate == d, $"z step {steps[zStep]}");
            Assert.True(zStep + 1 < steps.Count, "no step after z's");
            Assert.Equal(staysBland, steps[zStep + 1].Bland);
        }
        else
        {
            // The pivot that brings r to 0: the optimum β - d·min(w, β/d) = 0.
            Assert.True(steps[zStep].LeavingRow >= 0 && steps[zStep].Length == beta / d, $"z step {steps[zStep]}");
        }
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

    /// <summary>Recomputes each step's prescribed choice from the state it is chosen from.</summary>
    private sealed class RuleChecker
    {
        private readonly MinimaxSimplex _simplex;
        private readonly LpOptions _options;
        private readonly string _context;
        private readonly Counts _counts = new();
        private readonly List<MinimaxSimplex.StepChoice> _taken = [];
        private MinimaxSimplex.StepChoice? _previous;
        private int _run;
        private bool _bland;
        private int _steps;
        private int _pivots;
        private int _expectedRefreshes;

        private RuleChecker(MinimaxSimplex simplex, LpOptions options, string context)
        {
            _simplex = simplex;
            _options = options;
            _context = context;
        }

        public static Counts Run(double[,] a, double[] b, double[] lower, double[] upper, LpOptions options, string context) =>
            RunWithSteps(a, b, lower, upper, options, context).Counts;

        public static (Counts Counts, List<MinimaxSimplex.StepChoice> Steps) RunWithSteps(double[,] a, double[] b, double[] lower, double[] upper, LpOptions options, string context)
        {
            var simplex = MinimaxSimplex.Start(a, b, lower, upper);
            var checker = new RuleChecker(simplex, options, context);
            var (status, iterations) = simplex.Iterate(options, checker.OnStep, checker.OnRefresh);
            Assert.True(iterations == checker._steps, $"{context}: {iterations} steps reported, {checker._steps} observed");
            Assert.True(checker._expectedRefreshes == checker._counts.Refreshes, $"{context}: {checker._counts.Refreshes} refreshes after {checker._pivots} pivots");
            if (status == MinimaxSimplex.Outcome.Optimal)
            {
                // Optimal only when no variable is eligible.
                var (enter, _, _, _) = checker.Entering(bland: false);
                Assert.True(enter < 0, $"{context}: stopped as optimal with column {enter} eligible");
            }

            return (checker._counts, checker._taken);
        }

        private void OnRefresh(int iterations)
        {
            // Called right after the refresh that follows a pivot: every RefreshPeriod-th pivot, never otherwise.
            Assert.True(iterations == _steps, $"{_context}: refresh reported after {iterations} steps, observed {_steps}");
            Assert.True(_pivots % MinimaxSimplex.RefreshPeriod == 0 && _pivots > 0, $"{_context}: refresh after pivot {_pivots}");
            Assert.True(_previous is { LeavingRow: >= 0 }, $"{_context}: refresh after a bound flip");
            _counts.Refreshes++;
        }

        private void OnStep(MinimaxSimplex.StepChoice choice)
        {
            var n = _simplex.StructuralCount;
            var values = _simplex.Values;
            var where = $"{_context}, step {_steps}";

            // Bland mode, from the previous step's decrease of r and the current (post-step) r.
            if (_previous is { } last)
            {
                var decrease = last.Length * last.Rate;
                if (decrease <= 1e-13 * Math.Max(1.0, Math.Abs(values[n])))
                {
                    if (++_run >= MinimaxSimplex.DegenerateRunBeforeBland)
                    {
                        _bland = true;
                    }
                }
                else
                {
                    _run = 0;
                    _bland = false;
                }
            }

            Assert.True(choice.Bland == _bland, $"{where}: Bland mode {choice.Bland}, expected {_bland} after a run of {_run} degenerate steps");
            _counts.BlandSteps += _bland ? 1 : 0;

            var (enter, sigma, score, competition) = Entering(_bland);
            Assert.True(enter >= 0, $"{where}: a step was taken with no eligible variable");
            Assert.True(choice.Entering == enter && choice.Direction == sigma, $"{where}: entering {choice.Entering} ({choice.Direction:+0;-0}), expected {enter} ({sigma:+0;-0})");
            Assert.True(choice.Rate == score, $"{where}: rate {choice.Rate}, expected {score}");
            _counts.StructuralAgainstSlack += competition && !_bland ? 1 : 0;

            var (leaveRow, ratio, toUpper) = Leaving(enter, sigma, _bland);

            var toBound = enter >= n ? double.PositiveInfinity : sigma > 0 ? _simplex.Width(enter) - values[enter] : values[enter];
            var flip = enter < n && toBound <= ratio;
            _counts.FlipTies += enter < n && toBound == ratio ? 1 : 0;

            // Would the step differ if a pivot entry exactly at ±PivotTolerance took part? (It must not.)
            var (inclusiveRow, inclusiveRatio, _) = Leaving(enter, sigma, _bland, atTolerance: true);
            if (inclusiveRow != leaveRow && !(flip && enter < n && toBound <= inclusiveRatio))
            {
                var alphaThere = _simplex.Tableau[(inclusiveRow * _simplex.ColumnCount) + enter] * sigma;
                _counts.PositiveEntryAtTolerance += alphaThere > 0 ? 1 : 0;
                _counts.NegativeEntryAtTolerance += alphaThere < 0 ? 1 : 0;
            }
            if (flip)
            {
                Assert.True(choice.LeavingRow == -1, $"{where}: pivot on row {choice.LeavingRow}, expected a bound flip ({toBound} <= {ratio})");
                Assert.True(choice.Length == toBound, $"{where}: length {choice.Length}, expected {toBound}");
            }
            else
            {
                Assert.True(leaveRow >= 0, $"{where}: no leaving row and no flip");
                Assert.True(choice.LeavingRow == leaveRow, $"{where}: leaving row {choice.LeavingRow} (column {(choice.LeavingRow >= 0 ? _simplex.Basis[choice.LeavingRow] : -1)}), expected {leaveRow} (column {_simplex.Basis[leaveRow]})");
                Assert.True(choice.LeavesAtUpper == toUpper, $"{where}: leaves at upper {choice.LeavesAtUpper}, expected {toUpper}");
                Assert.True(choice.Length == ratio, $"{where}: length {choice.Length}, expected {ratio}");
                _pivots++;
                _expectedRefreshes += _pivots % MinimaxSimplex.RefreshPeriod == 0 ? 1 : 0;
            }

            _previous = choice;
            _taken.Add(choice);
            _steps++;
        }

        /// <summary>The prescribed entering column, its direction and rate, and whether a structural and a slack were both eligible.</summary>
        private (int Enter, int Sigma, double Score, bool Competition) Entering(bool bland)
        {
            var n = _simplex.StructuralCount;
            var t = _simplex.Tableau;
            var cols = _simplex.ColumnCount;
            var prow = _simplex.RowOf[n] * cols;
            var bestStructural = -1;
            var bestSlack = -1;
            var first = -1;
            var keyStructural = 0.0;
            var keySlack = 0.0;
            var sigmas = new int[cols];
            var scores = new double[cols];
            for (var j = 0; j < cols; j++)
            {
                if (_simplex.RowOf[j] >= 0 || j == n || (j < n && !(_simplex.Width(j) > 0)))
                {
                    continue;
                }

                var tpj = t[prow + j];
                var s = _simplex.PlaceOf(j) switch
                {
                    MinimaxSimplex.Place.Lower => 1,
                    MinimaxSimplex.Place.Upper => -1,
                    _ => tpj >= 0 ? 1 : -1,
                };
                var score = s * tpj;
                _counts.ScoreAtTolerance += score == _options.OptimalityTolerance ? 1 : 0;
                if (!(score > _options.OptimalityTolerance))
                {
                    continue;
                }

                sigmas[j] = s;
                scores[j] = score;
                first = first < 0 ? j : first;
                if (j < n && (bestStructural < 0 || score * _simplex.Width(j) > keyStructural))
                {
                    bestStructural = j;
                    keyStructural = score * _simplex.Width(j);
                }

                if (j > n && (bestSlack < 0 || score > keySlack))
                {
                    bestSlack = j;
                    keySlack = score;
                }
            }

            var enter = bland ? first : bestStructural >= 0 ? bestStructural : bestSlack;
            return enter < 0 ? (-1, 0, 0.0, false) : (enter, sigmas[enter], scores[enter], bestStructural >= 0 && bestSlack >= 0);
        }

        /// <summary>The prescribed leaving row (or -1), its ratio (+∞ without one) and whether it leaves at its upper bound.</summary>
        private (int Row, double Ratio, bool ToUpper) Leaving(int enter, int sigma, bool bland, bool atTolerance = false)
        {
            var n = _simplex.StructuralCount;
            var t = _simplex.Tableau;
            var cols = _simplex.ColumnCount;
            var values = _simplex.Values;
            var basis = _simplex.Basis;
            var p = _simplex.RowOf[n];
            var tol = _options.PivotTolerance;
            var candidates = new List<(int Row, double Ratio, double Alpha, int Variable, bool ToUpper)>();
            for (var i = 0; i < _simplex.RowCount; i++)
            {
                if (i == p)
                {
                    continue;
                }

                var alpha = t[(i * cols) + enter] * sigma;
                var v = basis[i];
                if (alpha > tol || (atTolerance && alpha == tol))
                {
                    candidates.Add((i, Math.Max(0.0, values[v]) / alpha, alpha, v, false));
                }
                else if ((alpha < -tol || (atTolerance && alpha == -tol)) && v < n)
                {
                    candidates.Add((i, Math.Max(0.0, _simplex.Width(v) - values[v]) / -alpha, alpha, v, true));
                }
            }

            if (candidates.Count == 0)
            {
                return (-1, double.PositiveInfinity, false);
            }

            // Harris's two passes (bound relaxed by the feasibility tolerance outside Bland mode): θ_max from the
            // relaxed bounds, then among the rows whose exact ratio is at most θ_max the largest |α| (ties: smaller
            // ratio, then smaller basic variable); in Bland mode (no relaxation) the minimum ratio, ties to the smaller
            // basic variable.
            var relax = bland ? 0.0 : _options.FeasibilityTolerance;
            var thetaMax = candidates.Min(c => c.ToUpper
                ? Math.Max(0.0, _simplex.Width(c.Variable) - values[c.Variable] + relax) / -c.Alpha
                : Math.Max(0.0, values[c.Variable] + relax) / c.Alpha);
            var best = candidates.Min(c => c.Ratio);
            var tied = candidates.Where(c => c.Ratio <= thetaMax).ToList();
            var chosen = bland
                ? tied.OrderBy(c => c.Ratio).ThenBy(c => c.Variable).First()
                : tied.OrderByDescending(c => Math.Abs(c.Alpha)).ThenBy(c => c.Ratio).ThenBy(c => c.Variable).First();
            if (tied.Count > 1 && !atTolerance)
            {
                var exact = tied.Where(c => c.Ratio == best).ToList();
                var byIndex = exact.MinBy(c => c.Variable);
                var largest = exact.Max(c => Math.Abs(c.Alpha));
                _counts.RatioTiesByMagnitude += !bland && exact.Count > 1 && byIndex.Row != chosen.Row ? 1 : 0;
                _counts.RatioTiesByIndex += !bland && exact.Count(c => Math.Abs(c.Alpha) == largest) > 1 ? 1 : 0;
                _counts.BlandRatioTies += bland && exact.Count > 1 && exact.OrderByDescending(c => Math.Abs(c.Alpha)).ThenBy(c => c.Variable).First().Row != chosen.Row ? 1 : 0;
                _counts.HarrisChoices += !bland && chosen.Ratio > best ? 1 : 0;
            }

            return (chosen.Row, chosen.Ratio, chosen.ToUpper);
        }

        /// <summary>How often each decided situation occurred.</summary>
        public sealed class Counts
        {
            public int RatioTiesByMagnitude { get; set; }

            public int RatioTiesByIndex { get; set; }

            public int BlandRatioTies { get; set; }

            public int FlipTies { get; set; }

            public int StructuralAgainstSlack { get; set; }

            public int ScoreAtTolerance { get; set; }

            public int PositiveEntryAtTolerance { get; set; }

            public int NegativeEntryAtTolerance { get; set; }

            public int BlandSteps { get; set; }

            public int HarrisChoices { get; set; }

            public int Refreshes { get; set; }

            public void Add(Counts other)
            {
                RatioTiesByMagnitude += other.RatioTiesByMagnitude;
                RatioTiesByIndex += other.RatioTiesByIndex;
                BlandRatioTies += other.BlandRatioTies;
                FlipTies += other.FlipTies;
                StructuralAgainstSlack += other.StructuralAgainstSlack;
                ScoreAtTolerance += other.ScoreAtTolerance;
                PositiveEntryAtTolerance += other.PositiveEntryAtTolerance;
                NegativeEntryAtTolerance += other.NegativeEntryAtTolerance;
                BlandSteps += other.BlandSteps;
                HarrisChoices += other.HarrisChoices;
                Refreshes += other.Refreshes;
            }

            public override string ToString() =>
                $"ties by |alpha| {RatioTiesByMagnitude}, by index {RatioTiesByIndex}, in Bland mode {BlandRatioTies}, flip ties {FlipTies}, "
                + $"structural against slack {StructuralAgainstSlack}, score at tolerance {ScoreAtTolerance}, entry at +tolerance {PositiveEntryAtTolerance}, "
                + $"at -tolerance {NegativeEntryAtTolerance}, Bland steps {BlandSteps}, Harris choices {HarrisChoices}, refreshes {Refreshes}";
        }
    }
}
