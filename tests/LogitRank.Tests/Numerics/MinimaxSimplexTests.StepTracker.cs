using LogitRank.Numerics;

namespace LogitRank.Tests.Numerics;

public partial class MinimaxSimplexTests
{
    /// <summary>
    /// Checks the documented step rules of <see cref="MinimaxSimplex.Iterate"/> from its outputs alone: the sequence of
    /// <see cref="MinimaxSimplex.StepChoice"/> (entering column, direction, leaving variable, whether it leaves at its
    /// upper bound, Bland flag, length, rate) and the refresh observer, together with the original data. It never
    /// reads the solver's tableau or values, so it holds whatever the solver's representation of the basis is.
    /// </summary>
    /// <remarks>
    /// From the data and the steps it keeps the basis as a set of columns (start: every slack; L2: r enters in place of
    /// the slack of the most negative start slack value, smallest row on ties; then each pivot exchanges the entering
    /// column for the leaving variable), the value of every nonbasic structural (its start value <c>clip(0)</c> or the
    /// start point, then the bound a flip or a pivot leaves it at), and <c>r</c> (the start residual, lowered by
    /// <c>Length · Rate</c> at every step). It checks, at every step:
    /// <list type="bullet">
    /// <item>the entering column is nonbasic, is not <c>r</c> (r is never priced), is not a fixed column (<c>u_j = 0</c>),
    /// and its rate exceeds <c>OptimalityTolerance</c> strictly (L4, L5);</item>
    /// <item>its direction is +1 for a slack or a structural at its lower bound and -1 at its upper bound (a column at
    /// its interior start value may move either way);</item>
    /// <item>a bound flip moves a structural exactly to its other bound (a slack never flips), and a pivot is no
    /// longer than the distance to that bound (else it would have been a flip);</item>
    /// <item>the leaving variable is basic and is never <c>r</c> (L3); a slack never leaves at an upper bound;</item>
    /// <item>the Bland flag follows the degeneracy rule of L5 (on after <see cref="MinimaxSimplex.DegenerateRunBeforeBland"/>
    /// consecutive steps that lower r by at most <c>1e-13 · max(1, |r|)</c>, off after the first step that lowers it
    /// more). A decrease within a relative 1e-6 of the threshold is not decided here (r is tracked up to rounding after a
    /// refresh); the rule's state is then unknown until the next clearly non-degenerate step, which resets it, and the
    /// exact boundary is tested by <see cref="A_tiny_step_in_Bland_mode_keeps_it_exactly_when_it_is_degenerate"/>;</item>
    /// <item>the basic values are recomputed after every <see cref="MinimaxSimplex.RefreshPeriod"/>-th pivot and never
    /// otherwise (bound flips do not count), and the step count reported equals the steps observed.</item>
    /// </list>
    /// </remarks>
    internal sealed class StepTracker
    {
        private readonly int _m;
        private readonly int _n;
        private readonly double[] _width;
        private readonly LpOptions _options;
        private readonly string _context;
        private readonly HashSet<int> _basic = [];
        private readonly double?[] _value; // nonbasic structural values (shifted: y_j = x_j - lower_j); null while basic
        private readonly bool[] _interior; // nonbasic structural still at its interior start value
        private double _r;
        private int _degenerateRun;
        private bool? _bland = false; // null: undecided since an ambiguous step
        private int _pivots;
        private int _expectedRefreshes;
        private MinimaxSimplex.StepChoice? _previous;

        private StepTracker(double[,] a, double[] b, double[] lower, double[] upper, double[]? start, LpOptions options, string context)
        {
            _m = a.GetLength(0);
            _n = a.GetLength(1);
            _options = options;
            _context = context;
            _width = new double[_n];
            _value = new double?[_n];
            _interior = new bool[_n];
            for (var j = 0; j < _n; j++)
            {
                _width[j] = upper[j] - lower[j];
                var y = start is null ? Math.Clamp(0.0, lower[j], upper[j]) - lower[j] : Math.Clamp(start[j] - lower[j], 0.0, _width[j]);
                _value[j] = y <= 0 ? 0.0 : y >= _width[j] ? _width[j] : y;
                _interior[j] = y > 0 && y < _width[j];
            }

            // L2: every slack basic; r = max_i |(Ax - b)_i| at the start point enters in the row of the most negative
            // slack value (s_i = c_i - a_i·y and s_{m+i} = -s_i, c = b - A·lower), smallest row on ties.
            var slack = new double[2 * _m];
            for (var i = 0; i < _m; i++)
            {
                var c = b[i];
                for (var j = 0; j < _n; j++)
                {
                    c -= a[i, j] * lower[j];
                }

                var s = c;
                for (var j = 0; j < _n; j++)
                {
                    s -= a[i, j] * _value[j]!.Value;
                }

                slack[i] = s;
                slack[_m + i] = -s;
            }

            var enterRow = 0;
            for (var q = 1; q < slack.Length; q++)
            {
                if (slack[q] < slack[enterRow])
                {
                    enterRow = q;
                }
            }

            for (var q = 0; q < slack.Length; q++)
            {
                if (q != enterRow)
                {
                    _basic.Add(_n + 1 + q);
                }
            }

            _basic.Add(_n);
            _r = Math.Max(0.0, -slack[enterRow]);
        }

        public TrackerCounts Counts { get; } = new();

        public List<MinimaxSimplex.StepChoice> Steps { get; } = [];

        /// <summary>Runs <see cref="MinimaxSimplex.Iterate"/> from the start state and checks every step.</summary>
        public static StepTracker Run(double[,] a, double[] b, double[] lower, double[] upper, LpOptions options, string context, double[]? start = null)
        {
            var tracker = new StepTracker(a, b, lower, upper, start, options, context);
            var simplex = MinimaxSimplex.Start(a, b, lower, upper, start);
            var (_, iterations) = simplex.Iterate(options, tracker.OnStep, tracker.OnRefresh);
            Assert.True(iterations == tracker.Steps.Count, $"{context}: {iterations} steps reported, {tracker.Steps.Count} observed");
            Assert.True(tracker._expectedRefreshes == tracker.Counts.Refreshes, $"{context}: {tracker.Counts.Refreshes} refreshes after {tracker._pivots} pivots");
            return tracker;
        }

        private void OnRefresh(int iterations)
        {
            Assert.True(iterations == Steps.Count, $"{_context}: refresh reported after {iterations} steps, observed {Steps.Count}");
            Assert.True(_pivots > 0 && _pivots % MinimaxSimplex.RefreshPeriod == 0, $"{_context}: refresh after pivot {_pivots}");
            Assert.True(_previous is { LeavingVariable: >= 0 }, $"{_context}: refresh after a bound flip");
            Counts.Refreshes++;
        }

        private void OnStep(MinimaxSimplex.StepChoice step)
        {
            var where = $"{_context}, step {Steps.Count}: {step}";
            CheckBland(step, where);

            var enter = step.Entering;
            Assert.True(enter >= 0 && enter < _n + 1 + (2 * _m), $"{where}: no such column");
            Assert.True(enter != _n, $"{where}: r was priced");
            Assert.True(!_basic.Contains(enter), $"{where}: column {enter} is basic");
            Assert.True(step.Rate > _options.OptimalityTolerance, $"{where}: rate {step.Rate} does not exceed the optimality tolerance {_options.OptimalityTolerance}");
            Assert.True(step.Direction is 1 or -1, $"{where}: direction {step.Direction}");
            Assert.True(step.Length >= 0 && double.IsFinite(step.Length), $"{where}: length {step.Length}");

            var structural = enter < _n;
            double toBound;
            if (structural)
            {
                Assert.True(_width[enter] > 0, $"{where}: fixed column {enter} entered");
                var y = _value[enter]!.Value;
                if (!_interior[enter])
                {
                    Assert.True(step.Direction == (y == 0 ? 1 : -1), $"{where}: column {enter} at {(y == 0 ? "its lower" : "its upper")} bound moves the wrong way");
                }
                else
                {
                    Counts.InteriorMoves += step.Direction < 0 ? 1 : 0;
                }

                toBound = step.Direction > 0 ? _width[enter] - y : y;
            }
            else
            {
                Assert.True(step.Direction == 1, $"{where}: a slack (at its bound 0) decreases");
                toBound = double.PositiveInfinity;
            }

            if (step.LeavingVariable < 0)
            {
                Assert.True(structural, $"{where}: a slack flipped");
                Assert.True(step.Length == toBound, $"{where}: a flip of length {step.Length}, the bound is {toBound} away");
                _value[enter] = step.Direction > 0 ? _width[enter] : 0.0;
                _interior[enter] = false;
                Counts.Flips++;
            }
            else
            {
                var leave = step.LeavingVariable;
                Assert.True(_basic.Contains(leave), $"{where}: the leaving variable {leave} is not basic");
                Assert.True(leave != _n, $"{where}: r left the basis");
                Assert.True(step.Length < toBound, $"{where}: a pivot of length {step.Length} reaching the bound {toBound} away (a flip)");
                Assert.True(!step.LeavesAtUpper || leave < _n, $"{where}: slack {leave} leaves at an upper bound");
                _basic.Remove(leave);
                _basic.Add(enter);
                if (structural)
                {
                    _value[enter] = null;
                    _interior[enter] = false;
                }

                if (leave < _n)
                {
                    _value[leave] = step.LeavesAtUpper ? _width[leave] : 0.0;
                    Counts.LeavesAtUpper += step.LeavesAtUpper ? 1 : 0;
                }

                _pivots++;
                _expectedRefreshes += _pivots % MinimaxSimplex.RefreshPeriod == 0 ? 1 : 0;
            }

            Counts.StructuralSteps += structural ? 1 : 0;
            Counts.SlackSteps += structural ? 0 : 1;
            _r -= step.Rate * step.Length;
            _previous = step;
            Steps.Add(step);
        }

        /// <summary>The Bland flag of <paramref name="step"/> against the degeneracy rule applied to the steps before it.</summary>
        private void CheckBland(MinimaxSimplex.StepChoice step, string where)
        {
            if (_previous is { } last)
            {
                var decrease = last.Length * last.Rate;
                var threshold = 1e-13 * Math.Max(1.0, Math.Abs(_r));
                if (Math.Abs(decrease - threshold) <= 1e-6 * threshold)
                {
                    _bland = null; // too close to call from the tracked r
                    Counts.UndecidedBland++;
                }
                else if (decrease <= threshold)
                {
                    if (_bland is not null && ++_degenerateRun >= MinimaxSimplex.DegenerateRunBeforeBland)
                    {
                        _bland = true;
                    }
                }
                else
                {
                    Counts.BlandSwitchedOff += _bland == true || (_bland is null && last.Bland) ? 1 : 0;
                    _degenerateRun = 0;
                    _bland = false;
                }
            }

            if (_bland is { } expected)
            {
                Assert.True(step.Bland == expected, $"{where}: Bland mode {step.Bland}, expected {expected} after a run of {_degenerateRun} degenerate steps");
            }

            Counts.BlandSteps += step.Bland ? 1 : 0;
        }
    }

    /// <summary>How often each situation the rules decide occurred, so that a test can require its situations.</summary>
    internal sealed class TrackerCounts
    {
        public int Flips { get; set; }

        public int LeavesAtUpper { get; set; }

        public int InteriorMoves { get; set; }

        public int StructuralSteps { get; set; }

        public int SlackSteps { get; set; }

        public int BlandSteps { get; set; }

        public int BlandSwitchedOff { get; set; }

        public int UndecidedBland { get; set; }

        public int Refreshes { get; set; }

        public void Add(TrackerCounts other)
        {
            Flips += other.Flips;
            LeavesAtUpper += other.LeavesAtUpper;
            InteriorMoves += other.InteriorMoves;
            StructuralSteps += other.StructuralSteps;
            SlackSteps += other.SlackSteps;
            BlandSteps += other.BlandSteps;
            BlandSwitchedOff += other.BlandSwitchedOff;
            UndecidedBland += other.UndecidedBland;
            Refreshes += other.Refreshes;
        }

        public override string ToString() =>
            $"flips {Flips}, leaves at upper {LeavesAtUpper}, interior moves down {InteriorMoves}, structural steps {StructuralSteps}, slack steps {SlackSteps}, "
            + $"Bland steps {BlandSteps}, Bland switched off {BlandSwitchedOff}, undecided Bland {UndecidedBland}, refreshes {Refreshes}";
    }
}
