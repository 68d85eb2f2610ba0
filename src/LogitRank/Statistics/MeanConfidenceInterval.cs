namespace LogitRank.Statistics;

/// <summary>
/// A two-sided confidence interval <c>[Lower, Upper]</c> for a mean, holding the true mean with probability at least
/// <c>1 - Delta</c> over the draw of the samples.
/// </summary>
/// <param name="Lower">The lower end.</param>
/// <param name="Upper">The upper end, <c>&gt;= Lower</c>.</param>
/// <param name="Delta">The failure probability <c>δ</c> of the whole interval (both sides together).</param>
public sealed record MeanConfidenceInterval(double Lower, double Upper, double Delta)
{
    /// <summary>Whether <paramref name="value"/> lies in <c>[Lower, Upper]</c>.</summary>
    public bool Contains(double value) => value >= Lower && value <= Upper;
}
