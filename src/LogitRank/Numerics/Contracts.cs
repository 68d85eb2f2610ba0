using System.Globalization;

namespace LogitRank.Numerics;

/// <summary>
/// The runtime contracts: invariants the proofs in <c>proofs-notes/</c> rely on, checked where results are produced.
/// A failed check throws <see cref="ContractViolationException"/> naming the invariant (one of the constants below),
/// the measured value and the tolerance. See <c>proofs-notes/runtime-contracts.md</c>.
/// </summary>
/// <remarks>
/// <para>
/// Policy. A check whose cost is <c>O(size of the result)</c> (or already paid by the computation it checks) and
/// whose tolerance follows from a rounding argument always runs; it cannot be turned off. A check that costs as much
/// as the computation again, or whose tolerance is a heuristic that an ill-conditioned but correct input may exceed,
/// is opt-in: it runs only when the <see cref="AppContext"/> switch <see cref="ExpensiveChecksSwitch"/> is on
/// (<c>AppContext.SetSwitch(Contracts.ExpensiveChecksSwitch, true)</c>, or
/// <c>&lt;RuntimeHostConfigurationOption Include="LogitRank.Contracts.ExpensiveChecks" Value="true" /&gt;</c> in the
/// application's project file).
/// </para>
/// <para>
/// Always on: <see cref="LpConstraints"/>, <see cref="SpannerCoefficients"/>, <see cref="CenteredSum"/>,
/// <see cref="ProbabilitiesNormalised"/>, <see cref="LogitBound"/>, <see cref="Telescoping"/>. Opt-in:
/// <see cref="LpOptimality"/>, <see cref="LpDeterminism"/>.
/// </para>
/// </remarks>
public static class Contracts
{
    /// <summary>
    /// The name of the <see cref="AppContext"/> switch that turns the opt-in (expensive or heuristic) checks on:
    /// <c>"LogitRank.Contracts.ExpensiveChecks"</c>. Off by default.
    /// </summary>
    public const string ExpensiveChecksSwitch = "LogitRank.Contracts.ExpensiveChecks";

    /// <summary>
    /// <c>"lp-constraints"</c>: a <see cref="MinimaxResult"/> that is not <see cref="LpStatus.Infeasible"/> has a finite
    /// solution inside its box (<see cref="MinimaxResult.MaxBoxViolation"/> = 0) and its solver residual agrees with
    /// the directly recomputed <see cref="MinimaxResult.CheckedResidual"/>. Always on.
    /// </summary>
    public const string LpConstraints = "lp-constraints";

    /// <summary>
    /// <c>"spanner-coefficients"</c>: a <see cref="SpannerResult"/> that did not stop early has every coefficient in
    /// <c>[-β, β]</c>, and every result represents every input row up to the rank tolerance. Always on.
    /// </summary>
    public const string SpannerCoefficients = "spanner-coefficients";

    /// <summary><c>"centered-sum"</c>: a <see cref="LogitVector"/> sums to 0 up to a <c>k</c>-ulp-scale tolerance. Always on.</summary>
    public const string CenteredSum = "centered-sum";

    /// <summary>
    /// <c>"probabilities-normalised"</c>: a next-token distribution <see cref="LogitVector.Probabilities"/> is finite,
    /// positive (an entry may underflow to 0 only when its logit is more than 700 nats below the largest) and sums to 1
    /// within a rounding tolerance. Always on.
    /// </summary>
    public const string ProbabilitiesNormalised = "probabilities-normalised";

    /// <summary>
    /// <c>"logit-bound"</c>: every logit a learned model predicts lies within its proved
    /// <c>LogitRank.Learning.LearnedModel.LogitBound</c>. Always on.
    /// </summary>
    public const string LogitBound = "logit-bound";

    /// <summary>
    /// <c>"telescoping"</c>: the learner's telescoping identity <c>Σ_{s=1}^{t-1} res_s = ℓ̂(y_{1:t}) - ℓ(y_{1:t})</c>
    /// (thrown as the subclass <c>LogitRank.Learning.InvariantViolationException</c>). Always on.
    /// </summary>
    public const string Telescoping = "telescoping";

    /// <summary>
    /// <c>"lp-optimality"</c>: an <see cref="LpStatus.Optimal"/> <see cref="MinimaxResult"/> has a duality gap
    /// <c>CheckedResidual - LowerBound</c> within a heuristic tolerance. Opt-in (<see cref="ExpensiveChecksSwitch"/>).
    /// </summary>
    public const string LpOptimality = "lp-optimality";

    /// <summary>
    /// <c>"lp-determinism"</c>: solving the same reconstruction LP again gives a bit-identical solution (the learner's
    /// validation and the learned model's generation must agree). Doubles the LP cost. Opt-in (<see cref="ExpensiveChecksSwitch"/>).
    /// </summary>
    public const string LpDeterminism = "lp-determinism";

    /// <summary>The unit roundoff <c>u = 2^-53</c> of <see cref="double"/>.</summary>
    internal const double UnitRoundoff = 1.0 / 9007199254740992.0;

    /// <summary>Whether the opt-in checks run: the <see cref="AppContext"/> switch <see cref="ExpensiveChecksSwitch"/> is set to <see langword="true"/>.</summary>
    public static bool ExpensiveChecksEnabled => AppContext.TryGetSwitch(ExpensiveChecksSwitch, out var enabled) && enabled;

    /// <summary>
    /// The <see cref="LpConstraints"/> check of a solver result (and, when <paramref name="expensive"/>, the
    /// <see cref="LpOptimality"/> check). <paramref name="dataScale"/> is an upper bound on <c>max(|A|, |b|)</c>.
    /// </summary>
    /// <remarks>
    /// Tolerance for <c>|Residual - CheckedResidual|</c>: <c>1e-8 · dataScale · (1 + Σ_j |x_j|)</c>. Both numbers
    /// evaluate <c>max_i |(Ax - b)_i|</c>, whose terms are at most <c>dataScale · (1 + Σ_j |x_j|)</c> in magnitude; the
    /// direct evaluation errs by at most <c>(n + 1) u</c> of that, the solver's value (basic values recomputed from the
    /// original data at the end) by the pivot tolerance <c>1e-11</c> times the condition of the final basis. 1e-8 leaves
    /// three orders of magnitude for that condition; an index or sign error is of the order of the residual itself.
    /// </remarks>
    internal static void CheckLp(MinimaxResult result, double dataScale, bool expensive)
    {
        if (result.Status == LpStatus.Infeasible)
        {
            return;
        }

        var x = result.Solution;
        var size = 0.0;
        for (var j = 0; j < x.Length; j++)
        {
            size += Math.Abs(x[j]);
        }

        if (!(result.MaxBoxViolation <= 0))
        {
            Fail(LpConstraints, result.MaxBoxViolation, 0, $"The solution leaves its box by {Show(result.MaxBoxViolation)} (status {result.Status}, n = {x.Length}).");
        }

        if (!double.IsFinite(size))
        {
            Fail(LpConstraints, size, 0, $"The solution has a non-finite entry (sum of |x_j| = {Show(size)}, status {result.Status}).");
        }

        var tolerance = Tolerances.LpResidualCheck * dataScale * (1 + size);
        var difference = Math.Abs(result.Residual - result.CheckedResidual);
        if (!(difference <= tolerance))
        {
            Fail(LpConstraints, difference, tolerance, $"The solver's residual {Show(result.Residual)} differs from the recomputed max_i |(Ax - b)_i| = {Show(result.CheckedResidual)} (status {result.Status}, {result.Iterations} iterations).");
        }

        if (expensive && result.Status == LpStatus.Optimal)
        {
            // Weak duality makes the gap >= 0 up to rounding; at an optimum the dual certificate closes it. 1e-6 of the
            // data scale is a heuristic: a degenerate, ill-conditioned final basis can leave a larger gap without a bug.
            var gap = result.CheckedResidual - result.LowerBound;
            var gapTolerance = Tolerances.LpDualityGapCheck * dataScale * (1 + size);
            if (!(Math.Abs(gap) <= gapTolerance))
            {
                Fail(LpOptimality, gap, gapTolerance, $"The duality gap CheckedResidual - LowerBound = {Show(result.CheckedResidual)} - {Show(result.LowerBound)} of an Optimal result is not within tolerance.");
            }
        }
    }

    /// <summary>
    /// The <see cref="SpannerCoefficients"/> check: unless the exchange stopped early, every <c>|c_ij| &lt;= β</c> (exactly:
    /// the exchange loop exits on that very comparison); always, the representation error is at most
    /// <c>(1 + B d) (rankTolerance + 1e-9) · max_i ||row_i||_2</c> with <c>B = max(β, MaxCoefficient)</c>.
    /// </summary>
    /// <remarks>
    /// Every row lies within <c>rankTolerance · max ||row||</c> (Euclidean) of the numerical span found by the greedy
    /// start, and the selected rows too, so <c>||row_i - Σ_j c_ij s_j|| &lt;= (1 + Σ_j |c_ij|) · rankTolerance · max||row||</c>
    /// plus rounding of the <c>d</c>-term combinations and of the <c>d×d</c> solves; <c>1e-9</c> relative covers that rounding
    /// (about <c>d · u · B</c> times the condition of the selection, which a <c>β</c>-spanner keeps moderate).
    /// </remarks>
    internal static void CheckSpanner(SpannerResult result, IReadOnlyList<double[]> rows, double beta, double rankTolerance)
    {
        if (!result.StoppedEarly && !(result.MaxCoefficient <= beta))
        {
            Fail(SpannerCoefficients, result.MaxCoefficient, beta, $"A coefficient of magnitude {Show(result.MaxCoefficient)} exceeds beta = {Show(beta)} although the exchange loop reported convergence ({result.Swaps} swaps).");
        }

        var maxNorm = 0.0;
        foreach (var row in rows)
        {
            var squares = 0.0;
            foreach (var v in row)
            {
                squares += v * v;
            }

            maxNorm = Math.Max(maxNorm, Math.Sqrt(squares));
        }

        var bound = Math.Max(beta, result.MaxCoefficient);
        var tolerance = (1 + (bound * result.Selected.Count)) * (rankTolerance + Tolerances.SpannerRepresentationRounding) * maxNorm;
        if (!(result.MaxRepresentationError <= tolerance))
        {
            Fail(SpannerCoefficients, result.MaxRepresentationError, tolerance, $"Some input row is not represented by the {result.Selected.Count} selected rows: max ||row_i - sum_j c_ij s_j||_inf = {Show(result.MaxRepresentationError)} (largest row norm {Show(maxNorm)}).");
        }
    }

    /// <summary>
    /// The <see cref="CenteredSum"/> check: <c>|Σ_z centered[z]| &lt;= 8 k u · scale</c>, with the sum taken with
    /// Neumaier compensation and <paramref name="scale"/> = <c>max_z |raw[z]|</c> of the scores that were centred.
    /// </summary>
    /// <remarks>
    /// <para>
    /// <c>LogSpace.Center</c> subtracts a compensated mean (error about <c>u</c> relative, so at most <c>u · scale</c>); each
    /// subtraction rounds by at most <c>u · 2 scale</c>; so the exact sum of the stored entries is at most about
    /// <c>3 k u · scale</c>, and the compensated sum measures it to within <c>2u</c> of itself. Factor 8 is headroom.
    /// </para>
    /// <para>
    /// Cost: one branch-free naive sum (a single add per entry); only when that is above the tolerance is the sum
    /// recomputed with compensation (the naive sum can err by <c>(k - 1) u Σ|x|</c>), and only that decides.
    /// </para>
    /// </remarks>
    internal static void CheckCentered(ReadOnlySpan<double> centered, double scale)
    {
        var naive = SumOf(centered);

        var tolerance = 8 * centered.Length * UnitRoundoff * scale;
        if (Math.Abs(naive) <= tolerance)
        {
            return;
        }

        double sum = 0, compensation = 0;
        foreach (var v in centered)
        {
            var t = sum + v;
            compensation += Math.Abs(sum) >= Math.Abs(v) ? (sum - t) + v : (v - t) + sum;
            sum = t;
        }

        sum += compensation;
        if (!(Math.Abs(sum) <= tolerance))
        {
            Fail(CenteredSum, Math.Abs(sum), tolerance, $"A centered logit vector of length k = {centered.Length} sums to {Show(sum)}, not 0 (scale of the raw scores {Show(scale)}).");
        }
    }

    /// <summary>
    /// The <see cref="ProbabilitiesNormalised"/> check of <c>p = softmax(ℓ)</c>: every <c>p_z</c> finite and <c>&gt;= 0</c>,
    /// <c>p_z &gt; 0</c> unless <c>ℓ[z] &lt; max ℓ - 700</c> (where <c>exp</c> may underflow), and
    /// <c>|Σ_z p_z - 1| &lt;= 8u (k + 4 (1 + max|ℓ| + log k))</c>.
    /// </summary>
    /// <remarks>
    /// <para>
    /// <c>p_z = exp(ℓ[z] - lse)</c> with <c>lse = logsumexp(ℓ)</c>, <c>|lse| &lt;= max|ℓ| + log k</c>: the subtraction and the
    /// rounding of <c>lse</c> perturb every exponent by at most about <c>2u (max|ℓ| + log k + 1)</c> absolutely, which moves
    /// <c>Σ p</c> by that much relative; <c>exp</c> and the naive sum of <c>k</c> terms add about <c>(k + 1) u</c>. Factor 8 is headroom.
    /// </para>
    /// <para>
    /// Cost: one pass that sums and tests <c>p_z &gt; 0</c> (an infinite entry makes the sum infinite); the logits are
    /// scanned only for a zero entry (underflow or not) or when the sum misses the <c>max|ℓ| = 0</c> tolerance.
    /// </para>
    /// </remarks>
    internal static void CheckDistribution(ReadOnlySpan<double> logits, ReadOnlySpan<double> probabilities)
    {
        var k = probabilities.Length;
        var sum = SumOf(probabilities);
        var allPositive = true;
        foreach (var p in probabilities)
        {
            allPositive &= p > 0;
        }

        if (!allPositive)
        {
            var maxLogit = double.NegativeInfinity;
            foreach (var l in logits)
            {
                maxLogit = Math.Max(maxLogit, l);
            }

            for (var z = 0; z < k; z++)
            {
                var p = probabilities[z];
                if (!(p >= 0) || (p == 0 && !(logits[z] < maxLogit - 700)))
                {
                    Fail(ProbabilitiesNormalised, p, 0, $"Probability {z} of a next-token distribution over k = {k} tokens is {Show(p)} (logit {Show(logits[z])}, largest logit {Show(maxLogit)}); expected a positive number.");
                }
            }
        }

        var deviation = Math.Abs(sum - 1);
        if (deviation <= 8 * UnitRoundoff * (k + 4))
        {
            return; // within the tolerance for max|ℓ| = 0 and k = 1, which the full tolerance exceeds
        }

        var maxAbs = 0.0;
        foreach (var l in logits)
        {
            maxAbs = Math.Max(maxAbs, Math.Abs(l));
        }

        var tolerance = 8 * UnitRoundoff * (k + (4 * (1 + maxAbs + Math.Log(k))));
        if (!(deviation <= tolerance))
        {
            Fail(ProbabilitiesNormalised, deviation, tolerance, $"A next-token distribution over k = {k} tokens sums to {Show(sum)}, not 1.");
        }
    }

    /// <summary>The <see cref="LogitBound"/> check: <c>max_z |ℓ[z]| &lt;= bound</c> (the bound already includes its rounding factor).</summary>
    internal static void CheckLogitBound(ReadOnlySpan<double> logits, double bound, object where)
    {
        var largest = 0.0;
        foreach (var l in logits)
        {
            largest = Math.Max(largest, Math.Abs(l));
        }

        if (!(largest <= bound))
        {
            Fail(LogitBound, largest, bound, $"A predicted logit at {where} has magnitude {Show(largest)} above the proved bound {Show(bound)}.");
        }
    }

    /// <summary>The <see cref="LpDeterminism"/> check: two solutions of the same LP are bit-identical.</summary>
    internal static void CheckSameSolution(ReadOnlySpan<double> first, ReadOnlySpan<double> second, object where)
    {
        var worst = first.Length == second.Length ? 0.0 : double.PositiveInfinity;
        for (var j = 0; j < Math.Min(first.Length, second.Length); j++)
        {
            if (BitConverter.DoubleToInt64Bits(first[j]) != BitConverter.DoubleToInt64Bits(second[j]))
            {
                worst = Math.Max(worst, double.IsNaN(first[j] - second[j]) ? double.PositiveInfinity : Math.Abs(first[j] - second[j]));
                worst = Math.Max(worst, double.Epsilon);
            }
        }

        if (!(worst <= 0))
        {
            Fail(LpDeterminism, worst, 0, $"Solving the LP of {where} again gave a different solution (lengths {first.Length} and {second.Length}, largest difference {Show(worst)}).");
        }
    }

    /// <summary>A naive sum with four interleaved accumulators (latency-bound loops run about four times faster); error at most <c>(k - 1) u Σ|x|</c> like any summation order.</summary>
    private static double SumOf(ReadOnlySpan<double> values)
    {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        var i = 0;
        for (; i + 3 < values.Length; i += 4)
        {
            s0 += values[i];
            s1 += values[i + 1];
            s2 += values[i + 2];
            s3 += values[i + 3];
        }

        for (; i < values.Length; i++)
        {
            s0 += values[i];
        }

        return (s0 + s1) + (s2 + s3);
    }

    /// <summary>Throws the typed exception.</summary>
    internal static void Fail(string invariant, double value, double tolerance, string detail) =>
        throw new ContractViolationException(invariant, value, tolerance, detail);

    private static string Show(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
