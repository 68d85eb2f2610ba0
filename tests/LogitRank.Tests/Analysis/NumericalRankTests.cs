using LogitRank.Analysis;

namespace LogitRank.Tests.Analysis;

/// <summary>
/// <see cref="NumericalRank.Select(IReadOnlyList{double}, RankStrategy)"/> and its spectrum overload reject a null
/// argument with <see cref="ArgumentNullException"/> under the parameter's own name.
/// </summary>
public class NumericalRankTests
{
    /// <summary>A null strategy is named <c>strategy</c> by both overloads.</summary>
    [Fact]
    public void A_null_strategy_is_rejected_by_name()
    {
        Assert.Equal("strategy", Assert.Throws<ArgumentNullException>(() => NumericalRank.Select([2.0, 1.0], null!)).ParamName);
        var spectrum = new SingularValueSpectrum([2.0, 1.0], SpectrumMethod.Full, 2, 2, Math.Sqrt(5));
        Assert.Equal("strategy", Assert.Throws<ArgumentNullException>(() => NumericalRank.Select(spectrum, null!)).ParamName);
    }

    /// <summary>A null list of values is named <c>singularValues</c>, and a null spectrum <c>spectrum</c>.</summary>
    [Fact]
    public void A_null_value_list_or_spectrum_is_rejected_by_name()
    {
        Assert.Equal("singularValues", Assert.Throws<ArgumentNullException>(() => NumericalRank.Select((IReadOnlyList<double>)null!, RankStrategy.Fixed(1))).ParamName);
        Assert.Equal("spectrum", Assert.Throws<ArgumentNullException>(() => NumericalRank.Select((SingularValueSpectrum)null!, RankStrategy.Fixed(1))).ParamName);
    }
}
