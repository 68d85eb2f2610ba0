using LogitRank.Evaluation;
using LogitRank.Learning;
using LogitRank.Models;
using LogitRank.Numerics;
using LogitRank.Oracles;
using LogitRank.Sequences;

namespace LogitRank.Tests.Numerics;

/// <summary>
/// The runtime contracts (proofs-notes/runtime-contracts.md): each check fed a violating value through its internal
/// function throws <see cref="ContractViolationException"/> naming the invariant and the numbers; normal operation
/// through the public API never trips any of them.
/// </summary>
public partial class ContractsTests
{
    private const double U = 1.0 / 9007199254740992.0; // 2^-53

    private static ContractViolationException AssertViolation(string invariant, double value, double tolerance, Action action)
    {
        var e = Assert.Throws<ContractViolationException>(action);
        Assert.Equal(invariant, e.Invariant);
        Assert.Equal(value, e.Value);
        Assert.Equal(tolerance, e.Tolerance);
        Assert.Contains($"'{invariant}'", e.Message, StringComparison.Ordinal);
        Assert.Contains(value.ToString("R", System.Globalization.CultureInfo.InvariantCulture), e.Message, StringComparison.Ordinal);
        Assert.Contains(tolerance.ToString("R", System.Globalization.CultureInfo.InvariantCulture), e.Message, StringComparison.Ordinal);
        return e;
    }

    [Fact]
    public void Lp_residual_disagreement_is_an_lp_constraints_violation()
    {
        // Solver says r = 1 but the point gives 0.5: the difference 0.5 exceeds 1e-8 · scale 1 · (1 + |x|_1 = 1.5).
        var bad = new MinimaxResult(LpStatus.Optimal, [0.5], 1.0, 0.5, 0.0, 3);
        AssertViolation(Contracts.LpConstraints, 0.5, 1e-8 * 1.5, () => Contracts.CheckLp(bad, 1.0, expensive: false));

        // A difference of 1e-9 (well within 1.5e-8) passes; an infeasible result is not checked.
        Contracts.CheckLp(bad with { Residual = 0.5 + 1e-9 }, 1.0, expensive: false);
        Contracts.CheckLp(new MinimaxResult(LpStatus.Infeasible, [], double.PositiveInfinity, double.PositiveInfinity, 3.0, 0), 1.0, expensive: true);
    }

    [Fact]
    public void Lp_point_outside_its_box_or_non_finite_is_an_lp_constraints_violation()
    {
        AssertViolation(Contracts.LpConstraints, 0.25, 0, () => Contracts.CheckLp(new MinimaxResult(LpStatus.Optimal, [2.25], 0, 0, 0.25, 1), 1.0, false));
        var e = Assert.Throws<ContractViolationException>(() => Contracts.CheckLp(new MinimaxResult(LpStatus.IterationLimit, [double.NaN], 0, 0, 0, 1), 1.0, false));
        Assert.Equal(Contracts.LpConstraints, e.Invariant); // NaN box violation: NaN <= 0 is false
    }

    [Fact]
    public void Lp_duality_gap_is_checked_only_when_expensive_checks_are_on()
    {
        // Optimal, r = 0.5, but the certified lower bound is 0.1: gap 0.4 >> 1e-6 · 1 · (1 + 0).
        var bad = new MinimaxResult(LpStatus.Optimal, [0.0], 0.5, 0.5, 0.0, 2) { LowerBound = 0.1 };
        Contracts.CheckLp(bad, 1.0, expensive: false);
        AssertViolation(Contracts.LpOptimality, 0.4, 1e-6, () => Contracts.CheckLp(bad, 1.0, expensive: true));
        Contracts.CheckLp(bad with { Status = LpStatus.IterationLimit }, 1.0, expensive: true); // no optimality claim
    }

    [Fact]
    public void Lp_residual_mismatch_equal_to_the_tolerance_passes()
    {
        // x = 0 (size 0), data scale 1: the tolerance is 1e-8 · 1 · (1 + 0) = 1e-8, and |r - recheck| = 1e-8 exactly.
        Contracts.CheckLp(new MinimaxResult(LpStatus.Optimal, [0.0], 1e-8, 0.0, 0.0, 1), 1.0, expensive: false);
        AssertViolation(Contracts.LpConstraints, Math.BitIncrement(1e-8), 1e-8, () => Contracts.CheckLp(new MinimaxResult(LpStatus.Optimal, [0.0], Math.BitIncrement(1e-8), 0.0, 0.0, 1), 1.0, expensive: false));
    }

    [Theory]
    [InlineData(0.5, 0.5, 0.0)]
    [InlineData(0.0, 0.5, 0.5)]
    [InlineData(0.5, 0.0, 0.5)]
    public void A_zero_probability_without_underflow_is_a_violation_wherever_it_is(double p0, double p1, double p2)
    {
        // Logits all 0: no entry is 700 nats below the largest, so a 0 is not an underflow; the sum is exactly 1.
        AssertViolation(Contracts.ProbabilitiesNormalised, 0.0, 0.0, () => Contracts.CheckDistribution([0.0, 0.0, 0.0], [p0, p1, p2]));
    }

    [Fact]
    public void Spanner_coefficient_above_beta_is_a_spanner_coefficients_violation_unless_stopped_early()
    {
        double[][] rows = [[1, 0], [3, 0]];
        var bad = new SpannerResult([0], [[1.0], [3.0]], 3.0, 0.0, 0);
        AssertViolation(Contracts.SpannerCoefficients, 3.0, 2.0, () => Contracts.CheckSpanner(bad, rows, 2.0, 1e-9));
        Contracts.CheckSpanner(bad with { StoppedEarly = true }, rows, 2.0, 1e-9); // reported, not a contract breach

        // |c| = β exactly is within the bound (the exchange loop stops on !(|c| > β)).
        double[][] edge = [[1, 0], [2, 0]];
        Contracts.CheckSpanner(new SpannerResult([0], [[1.0], [2.0]], 2.0, 0.0, 0), edge, 2.0, 1e-9);
    }

    [Fact]
    public void Unrepresented_row_is_a_spanner_coefficients_violation()
    {
        // Row 1 = e_2 is orthogonal to the only selected row e_1: error 1 against (1 + 2·1)(1e-9 + 1e-9)·1.
        double[][] rows = [[1, 0], [0, 1]];
        var bad = new SpannerResult([0], [[1.0], [0.0]], 1.0, 1.0, 0);
        var e = AssertViolation(Contracts.SpannerCoefficients, 1.0, 3 * 2e-9, () => Contracts.CheckSpanner(bad, rows, 2.0, 1e-9));
        Assert.Contains("not represented", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Uncentered_vector_is_a_centered_sum_violation()
    {
        // [1, 0] sums to 1; tolerance 8 · k = 2 · u · scale 1.
        AssertViolation(Contracts.CenteredSum, 1.0, 16 * U, () => Contracts.CheckCentered([1.0, 0.0], 1.0));
        Contracts.CheckCentered([0.5, -0.5], 1.0);
    }

    [Fact]
    public void Unnormalised_or_non_positive_distribution_is_a_probabilities_normalised_violation()
    {
        // Sums to 1.1: deviation 0.1 (up to the rounding of 0.5 + 0.6 - 1) against 8u(2 + 4(1 + 0 + log 2)).
        var tolerance = 8 * U * (2 + (4 * (1 + Math.Log(2))));
        var e = Assert.Throws<ContractViolationException>(() => Contracts.CheckDistribution([0.0, 0.0], [0.5, 0.6]));
        Assert.Equal(Contracts.ProbabilitiesNormalised, e.Invariant);
        Assert.Equal(0.1, e.Value, 1e-15);
        Assert.Equal(tolerance, e.Tolerance);
        Assert.Contains("sums to 1.1", e.Message, StringComparison.Ordinal);

        // A zero probability where the logit is the largest: not an underflow.
        AssertViolation(Contracts.ProbabilitiesNormalised, 0.0, 0.0, () => Contracts.CheckDistribution([0.0, 0.0], [1.0, 0.0]));
        Assert.Equal(Contracts.ProbabilitiesNormalised, Assert.Throws<ContractViolationException>(() => Contracts.CheckDistribution([0.0, 0.0], [double.NaN, 0.5])).Invariant);

        // An underflowed entry 800 nats below the largest logit is allowed.
        Contracts.CheckDistribution([400.0, -400.0], [1.0, 0.0]);
    }

    [Fact]
    public void Logit_above_the_bound_is_a_logit_bound_violation()
    {
        var e = AssertViolation(Contracts.LogitBound, 2.0, 1.5, () => Contracts.CheckLogitBound([2.0, -2.0], 1.5, Prefix.Of(1, 0)));
        Assert.Contains(Prefix.Of(1, 0).ToString(), e.Message, StringComparison.Ordinal);
        Contracts.CheckLogitBound([1.5, -1.5], 1.5, Prefix.Empty);
    }

    [Fact]
    public void Different_lp_solutions_are_an_lp_determinism_violation()
    {
        AssertViolation(Contracts.LpDeterminism, 0.5, 0, () => Contracts.CheckSameSolution([1.0, 2.0], [1.0, 2.5], Prefix.Of(0, 1)));
        Assert.Equal(double.PositiveInfinity, Assert.Throws<ContractViolationException>(() => Contracts.CheckSameSolution([1.0], [1.0, 2.0], Prefix.Empty)).Value);
        Contracts.CheckSameSolution([1.0, -0.0], [1.0, -0.0], Prefix.Empty);
    }

    [Fact]
    public void Telescoping_violation_is_a_contract_violation_with_the_measured_deviation()
    {
        // Σ res = 0.5 but ℓ̂ - ℓ = 0.2 on token 1: deviation 0.3 (up to rounding) against 1e-9.
        ContractViolationException e = Assert.Throws<InvariantViolationException>(() =>
            WitnessSearch.CheckTelescoping(Prefix.Of(1, 0), [0.0, 0.5], [0.0, 0.3], [0.0, 0.1], 1e-9));
        Assert.Equal(Contracts.Telescoping, e.Invariant);
        Assert.Equal(0.3, e.Value, 1e-15);
        Assert.Equal(1e-9, e.Tolerance);
        Assert.Contains("'telescoping'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Standard_constructors_leave_the_invariant_unnamed()
    {
        Assert.Equal("(unnamed)", new ContractViolationException().Invariant);
        Assert.True(double.IsNaN(new ContractViolationException("m").Value));
        Assert.Equal("(unnamed)", new InvariantViolationException("m").Invariant);
    }

    [Fact]
    public void Normal_lp_and_spanner_use_never_trips_a_contract()
    {
        // Random dense LPs of the reconstruction shape (box [-2, 2]) and random rank-deficient row sets with duplicates,
        // zero rows and offsets of 1e6: every solve and selection runs its always-on checks; none may throw.
        var random = new Random(20261128);
        for (var trial = 0; trial < 60; trial++)
        {
            var m = random.Next(1, 25);
            var n = random.Next(1, 10);
            var scale = Math.Pow(10, random.Next(-6, 7));
            var a = new double[m, n];
            var b = new double[m];
            for (var i = 0; i < m; i++)
            {
                for (var j = 0; j < n; j++)
                {
                    a[i, j] = scale * ((2 * random.NextDouble()) - 1);
                }

                b[i] = scale * ((2 * random.NextDouble()) - 1);
            }

            var result = MinimaxLinearProgram.Solve(a, b, Enumerable.Repeat(-2.0, n).ToArray(), Enumerable.Repeat(2.0, n).ToArray());
            Assert.NotEqual(LpStatus.Infeasible, result.Status);

            var rank = random.Next(1, 5);
            var length = random.Next(rank, 12);
            var basis = Enumerable.Range(0, rank).Select(_ => Enumerable.Range(0, length).Select(_ => scale * random.NextDouble()).ToArray()).ToArray();
            var rows = new List<double[]>();
            for (var i = 0; i < 20; i++)
            {
                var w = Enumerable.Range(0, rank).Select(_ => (2 * random.NextDouble()) - 1).ToArray();
                rows.Add(Enumerable.Range(0, length).Select(c => Enumerable.Range(0, rank).Sum(r => w[r] * basis[r][c])).ToArray());
            }

            rows.Add(rows[0]);
            rows.Add(new double[length]);
            var spanner = BarycentricSpanner.Select(rows);
            Assert.InRange(spanner.Selected.Count, 1, rank);
        }
    }

    [Fact]
    public void Normal_logit_vectors_and_distributions_never_trip_a_contract()
    {
        // Large alphabets, offsets of 1e6 (centering cancels them), extreme spreads (softmax underflow is allowed).
        var random = new Random(7);
        foreach (var k in new[] { 2, 3, 17, 1000, 50_000 })
        {
            foreach (var offset in new[] { 0.0, -3.5, 1e6 })
            {
                var raw = Enumerable.Range(0, k).Select(_ => offset + (20 * ((2 * random.NextDouble()) - 1))).ToArray();
                var v = LogitVector.FromLogits(raw);
                Assert.Equal(1.0, v.Probabilities().Sum(), 1e-9);
            }
        }

        var extreme = LogitVector.FromLogits([0.0, -1e4, 5.0]);
        Assert.Equal(0.0, extreme.Probabilities()[1]); // underflow, permitted by the contract
        Assert.Equal(1.0, LogitVector.FromProbabilities([0.2, 0.3, 0.5]).Probabilities().Sum(), 1e-12);
    }

    [Fact]
    public void Learning_and_sampling_with_every_check_on_never_trips_a_contract()
    {
        // Switches the opt-in checks on for this process while the test runs (other tests then only run more checks).
        AppContext.SetSwitch(Contracts.ExpensiveChecksSwitch, true);
        try
        {
            Assert.True(Contracts.ExpensiveChecksEnabled);
            var target = TimeVaryingIsan.Random(3, 5, 2, seed: 3);
            var schedule = new PracticalSchedule { MaxEpochs = 20, ValidationSamples = 8, SpannerSampleCount = 8, WitnessThreshold = 1e-6 };
            var (model, report) = new LogitRankLearner().Learn(new ModelOracle(target), schedule, seed: 3);
            Assert.True(report.Accepted);
            var random = new Random(11);
            for (var i = 0; i < 50; i++)
            {
                Assert.Equal(5, model.Sample(random).Length);
            }

            // Every prefix's prediction (logit bound, centering, LP replay) and the exact divergence (every distribution).
            Assert.InRange(ExactDivergence.TotalVariation(target, model), 0.0, 0.05);
        }
        finally
        {
            AppContext.SetSwitch(Contracts.ExpensiveChecksSwitch, false);
        }

        // A switch set to false turns the checks off (not merely "the switch exists").
        Assert.False(Contracts.ExpensiveChecksEnabled);
    }
}
