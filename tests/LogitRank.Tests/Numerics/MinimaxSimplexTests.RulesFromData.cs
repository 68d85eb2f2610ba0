using LogitRank.Numerics;

namespace LogitRank.Tests.Numerics;

public partial class MinimaxSimplexTests
{
    /// <summary>
    /// In Bland mode the ratio test is the textbook minimum ratio, ties to the smaller basic-variable index (L5; the
    /// Harris relaxation is off, see <c>RatioTest</c>). Checked from the outputs and the original data only: the test keeps
    /// the basis as a set of columns and the values of the nonbasic structurals from the steps (as
    /// <see cref="StepTracker"/> does), and at each Bland pivot solves the basis system of the original data
    /// <c>[A' | -1 | I]</c> for the basic values and for the entering column, from which the ratios follow. The
    /// highly degenerate pairs instances have many rows at exactly 0, so the minimum ratio 0 is tied, and among the
    /// tied rows the one with the largest pivot entry (what the Harris pass would take) is often not the smallest
    /// index: the test counts those steps and requires some.
    /// </summary>
    [Fact]
    public void In_Bland_mode_the_minimum_ratio_leaves_with_ties_to_the_smallest_index()
    {
        var options = new LpOptions();
        var checkedSteps = 0;
        var harrisWouldDiffer = 0;
        foreach (var (seed, pairs, n) in new[] { (100, 100, 60), (101, 60, 70), (102, 80, 120), (103, 40, 100), (104, 100, 60), (105, 60, 70) })
        {
            var (a, b, lower, upper) = Pairs(seed, pairs, n);
            var state = new BasisFromSteps(a, b, lower, upper);
            var simplex = MinimaxSimplex.Start(a, b, lower, upper);
            var checkedHere = 0;
            simplex.Iterate(options, step =>
            {
                // At most 15 Bland pivots per instance: each costs two dense solves of the 2m-row basis system.
                if (step.Bland && step.LeavingVariable >= 0 && checkedHere < 15)
                {
                    var (expected, harris, decided) = state.TextbookLeaving(step.Entering, step.Direction, options.PivotTolerance);
                    if (decided)
                    {
                        Assert.True(step.LeavingVariable == expected, $"pairs seed {seed}: {step} in Bland mode, the minimum ratio with ties to the smallest index is column {expected}");
                        checkedHere++;
                        harrisWouldDiffer += harris != expected ? 1 : 0;
                    }
                }

                state.Apply(step);
            });
            checkedSteps += checkedHere;
        }

        Assert.True(checkedSteps >= 4, $"only {checkedSteps} Bland pivots checked");
        Assert.True(harrisWouldDiffer > 0, "no checked step where the largest pivot entry among the tied rows is not the smallest index");
    }

    /// <summary>
    /// The two-tier entering rule of Dantzig mode (L5): an eligible structural column always beats every slack, and among
    /// the structurals the one with the largest key <c>rate · width</c> enters. Checked from the outputs and the data
    /// only: at every step the test solves the basis system of the original data for the rate of every nonbasic column
    /// (the entry of <c>B⁻¹ a_j</c> in r's position; increasing column j lowers r at that rate) and compares with the
    /// documented eligibility (rate beyond <see cref="LpOptions.OptimalityTolerance"/> in a direction the column may
    /// move). Seeded dyadic instances; the family does have states where a slack and a structural are both eligible.
    /// </summary>
    [Fact]
    public void In_Dantzig_mode_an_eligible_structural_beats_every_slack_and_the_largest_key_enters()
    {
        var options = new LpOptions();
        var contested = 0;
        for (var seed = 0; seed < 120; seed++)
        {
            var (a, b, lower, upper) = Dyadic(5000 + seed, 3 + (seed % 5), 2 + (seed % 4), duplicate: seed % 3 == 0);
            var n = lower.Length;
            var state = new BasisFromSteps(a, b, lower, upper);
            var simplex = MinimaxSimplex.Start(a, b, lower, upper);
            simplex.Iterate(options, step =>
            {
                var where = $"seed {seed}: {step}";
                var (structuralKey, slackEligible) = state.Pricing(options.OptimalityTolerance);
                contested += structuralKey > 0 && slackEligible ? 1 : 0;
                if (!step.Bland)
                {
                    // Rates and widths in quarters, bases of at most 16 unknowns: this test's solves round far below
                    // 1e-9, so a key 1e-9 above the tolerance is eligible beyond doubt.
                    if (step.Entering > n)
                    {
                        Assert.True(structuralKey <= 1e-9, $"{where}: a slack entered while a structural column with key {structuralKey} was eligible");
                    }
                    else
                    {
                        Assert.True(step.Rate * (upper[step.Entering] - lower[step.Entering]) >= structuralKey - 1e-9, $"{where}: a structural with key {structuralKey} was eligible");
                    }
                }

                state.Apply(step);
            });
        }

        Assert.True(contested > 0, "no state where a slack and a structural are both eligible: the family no longer tests the tiers");
    }

    /// <summary>The basis (a set of columns) and the nonbasic structurals' values, kept from the data and the steps alone.</summary>
    private sealed class BasisFromSteps
    {
        private readonly double[,] _a;
        private readonly double[] _c;
        private readonly double[] _width;
        private readonly double[] _y;
        private readonly int _m;
        private readonly int _n;
        private readonly HashSet<int> _basic = [];

        public BasisFromSteps(double[,] a, double[] b, double[] lower, double[] upper)
        {
            _a = a;
            _m = a.GetLength(0);
            _n = a.GetLength(1);
            _width = new double[_n];
            _y = new double[_n];
            for (var j = 0; j < _n; j++)
            {
                _width[j] = upper[j] - lower[j];
                _y[j] = Math.Clamp(0.0, lower[j], upper[j]) - lower[j];
            }

            _c = new double[_m];
            for (var i = 0; i < _m; i++)
            {
                _c[i] = b[i];
                for (var j = 0; j < _n; j++)
                {
                    _c[i] -= a[i, j] * lower[j];
                }
            }

            // L2: r enters in the row of the most negative start slack (smallest row on ties).
            var enterRow = 0;
            var smallest = double.PositiveInfinity;
            for (var q = 0; q < 2 * _m; q++)
            {
                var s = Rhs(q);
                for (var j = 0; j < _n; j++)
                {
                    s -= Coefficient(q, j) * _y[j];
                }

                if (s < smallest)
                {
                    smallest = s;
                    enterRow = q;
                }
            }

            for (var q = 0; q < 2 * _m; q++)
            {
                if (q != enterRow)
                {
                    _basic.Add(_n + 1 + q);
                }
            }

            _basic.Add(_n);
        }

        /// <summary>Exchanges the columns of a pivot, or moves a flipped column to its other bound.</summary>
        public void Apply(MinimaxSimplex.StepChoice step)
        {
            if (step.LeavingVariable < 0)
            {
                _y[step.Entering] = step.Direction > 0 ? _width[step.Entering] : 0.0;
                return;
            }

            _basic.Remove(step.LeavingVariable);
            _basic.Add(step.Entering);
            if (step.LeavingVariable < _n)
            {
                _y[step.LeavingVariable] = step.LeavesAtUpper ? _width[step.LeavingVariable] : 0.0;
            }
        }

        /// <summary>
        /// The leaving column by the textbook rule for <paramref name="enter"/> moving in direction
        /// <paramref name="sigma"/>; the column with the largest pivot entry among the tied rows; and whether the
        /// minimum is clear (no ratio within 1e-9 of it that is not within 1e-12: this test's own solves round, so
        /// ratios that close are not told apart).
        /// </summary>
        public (int Leaving, int LargestEntry, bool Decided) TextbookLeaving(int enter, int sigma, double pivotTolerance)
        {
            var columns = _basic.OrderBy(j => j).ToArray();
            var rows = 2 * _m;
            Assert.Equal(rows, columns.Length);
            var values = new double[rows];
            for (var q = 0; q < rows; q++)
            {
                values[q] = Rhs(q);
                for (var j = 0; j < _n; j++)
                {
                    if (!_basic.Contains(j))
                    {
                        values[q] -= Coefficient(q, j) * _y[j];
                    }
                }
            }

            var entering = new double[rows];
            for (var q = 0; q < rows; q++)
            {
                entering[q] = Coefficient(q, enter);
            }

            Assert.True(DenseLinearAlgebra.TrySolveInPlace(Matrix(columns), values), "singular basis");
            Assert.True(DenseLinearAlgebra.TrySolveInPlace(Matrix(columns), entering), "singular basis");

            var ratios = new List<(int Column, double Ratio, double Alpha)>();
            for (var f = 0; f < rows; f++)
            {
                var v = columns[f];
                var alpha = sigma * entering[f];
                if (v == _n)
                {
                    continue; // r's row takes no part
                }

                // Entries and values of these exact data are either O(1e-3) and more, or rounding (O(1e-15)): the
                // pivot threshold 1e-11 separates them.
                if (alpha > pivotTolerance)
                {
                    ratios.Add((v, Math.Max(0.0, values[f]) / alpha, alpha));
                }
                else if (alpha < -pivotTolerance && v < _n)
                {
                    ratios.Add((v, Math.Max(0.0, _width[v] - values[f]) / -alpha, -alpha));
                }
            }

            var minimum = ratios.Min(t => t.Ratio);
            var tied = ratios.Where(t => t.Ratio <= minimum + 1e-12).ToList();
            var decided = !ratios.Any(t => t.Ratio > minimum + 1e-12 && t.Ratio <= minimum + 1e-9);
            var largest = tied.OrderByDescending(t => t.Alpha).ThenBy(t => t.Column).First().Column;
            return (tied.Min(t => t.Column), largest, decided);
        }

        /// <summary>
        /// The largest key <c>score · width</c> of an eligible structural column (0 when none is eligible beyond
        /// <paramref name="tolerance"/> + 1e-9) and whether some slack is eligible (rate beyond the tolerance + 1e-9), from
        /// the rates <c>(B⁻¹ a_j)_r</c> of the current basis.
        /// </summary>
        public (double StructuralKey, bool SlackEligible) Pricing(double tolerance)
        {
            var columns = _basic.OrderBy(j => j).ToArray();
            var rows = 2 * _m;
            var transposed = new double[rows, rows];
            for (var q = 0; q < rows; q++)
            {
                for (var f = 0; f < rows; f++)
                {
                    transposed[f, q] = Coefficient(q, columns[f]);
                }
            }

            // B^T π = e_r: the rate of column j is π · a_j.
            var pi = new double[rows];
            pi[Array.IndexOf(columns, _n)] = 1.0;
            Assert.True(DenseLinearAlgebra.TrySolveInPlace(transposed, pi), "singular basis");
            var key = 0.0;
            var slack = false;
            for (var j = 0; j < _n + 1 + rows; j++)
            {
                if (j == _n || _basic.Contains(j) || (j < _n && !(_width[j] > 0)))
                {
                    continue;
                }

                var rate = 0.0;
                for (var q = 0; q < rows; q++)
                {
                    rate += pi[q] * Coefficient(q, j);
                }

                if (j > _n)
                {
                    slack |= rate > tolerance + 1e-9;
                    continue;
                }

                var score = _y[j] <= 0 ? rate : _y[j] >= _width[j] ? -rate : Math.Abs(rate);
                if (score > tolerance + 1e-9)
                {
                    key = Math.Max(key, score * _width[j]);
                }
            }

            return (key, slack);
        }

        private double[,] Matrix(int[] columns)
        {
            var rows = 2 * _m;
            var matrix = new double[rows, rows];
            for (var q = 0; q < rows; q++)
            {
                for (var f = 0; f < columns.Length; f++)
                {
                    matrix[q, f] = Coefficient(q, columns[f]);
                }
            }

            return matrix;
        }

        private double Rhs(int q) => q < _m ? _c[q] : -_c[q - _m];

        /// <summary>Column <paramref name="j"/> of <c>[A' | -1 | I]</c> in row <paramref name="q"/>.</summary>
        private double Coefficient(int q, int j) =>
            j < _n ? (q < _m ? _a[q, j] : -_a[q - _m, j]) : j == _n ? -1.0 : (j - _n - 1 == q ? 1.0 : 0.0);
    }
}
