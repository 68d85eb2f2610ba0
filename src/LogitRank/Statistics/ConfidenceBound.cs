namespace LogitRank.Statistics;

/// <summary>
/// An upper confidence bound on the mean of a statistic with values in <c>[0, Range]</c>: the smaller of the Hoeffding and
/// empirical Bernstein bounds, each taken at level <c>δ/2</c> (so their minimum holds with probability at least <c>1-δ</c>
/// by the union bound).
/// </summary>
/// <param name="Mean">The sample mean.</param>
/// <param name="Range">The proved range <c>R</c> of one sample's value.</param>
/// <param name="Hoeffding">Hoeffding's upper bound at level <c>δ/2</c>.</param>
/// <param name="EmpiricalBernstein">The empirical Bernstein upper bound at level <c>δ/2</c>.</param>
/// <param name="Upper">The certified upper bound <c>min(Hoeffding, EmpiricalBernstein)</c>.</param>
/// <param name="Samples">The number of samples.</param>
/// <param name="Delta">The overall failure probability <c>δ</c>.</param>
public sealed record ConfidenceBound(double Mean, double Range, double Hoeffding, double EmpiricalBernstein, double Upper, int Samples, double Delta)
{
    /// <summary>Computes the bound from the samples.</summary>
    public static ConfidenceBound FromSamples(IReadOnlyList<double> values, double range, double delta)
    {
        ArgumentNullException.ThrowIfNull(values);
        var mean = values.Average();
        var hoeffding = ConcentrationBounds.HoeffdingUpper(mean, values.Count, range, delta / 2);
        var bernstein = ConcentrationBounds.EmpiricalBernsteinUpper(values, range, delta / 2);
        return new ConfidenceBound(mean, range, hoeffding, bernstein, Math.Min(hoeffding, bernstein), values.Count, delta);
    }
}
