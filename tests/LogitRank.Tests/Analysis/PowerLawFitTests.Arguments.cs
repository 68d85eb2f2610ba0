using LogitRank.Analysis;

namespace LogitRank.Tests.Analysis;

/// <summary><see cref="PowerLawFit.Fit"/> rejects a null list of values with <see cref="ArgumentNullException"/> naming it.</summary>
public partial class PowerLawFitTests
{
    /// <summary>A null list of values is named <c>singularValues</c>, with or without an explicit range.</summary>
    [Fact]
    public void A_null_value_list_is_rejected_by_name()
    {
        Assert.Equal("singularValues", Assert.Throws<ArgumentNullException>(() => PowerLawFit.Fit(null!)).ParamName);
        Assert.Equal("singularValues", Assert.Throws<ArgumentNullException>(() => PowerLawFit.Fit(null!, 1, 2)).ParamName);
    }
}
