namespace LogitRank.Certification;

/// <summary>
/// One-sided confidence bounds on the mean of i.i.d. samples with values in a known range <c>[0, R]</c>.
/// </summary>
public static class ConcentrationBounds
{
    /// <summary>
    /// Hoeffding's upper confidence bound: with probability at least <c>1-δ</c>,
    /// <c>E[X] &lt;= mean + R·sqrt(ln(1/δ) / (2n))</c>.
    /// </summary>
    public static double HoeffdingUpper(double mean, int count, double range, double delta) =>
        throw new NotImplementedException("Lands with the evaluation work item.");

    /// <summary>
    /// The empirical Bernstein upper confidence bound (Maurer and Pontil 2009, Theorem 4): with probability at least <c>1-δ</c>,
    /// <c>E[X] &lt;= mean + sqrt(2·V·ln(2/δ)/n) + 7·R·ln(2/δ)/(3(n-1))</c>, with <c>V</c> the sample variance (divisor <c>n-1</c>).
    /// </summary>
    public static double EmpiricalBernsteinUpper(IReadOnlyList<double> values, double range, double delta) =>
        throw new NotImplementedException("Lands with the evaluation work item.");
}
