using LogitRank.Analysis;
using LogitRank.Oracles;
using LogitRank.Tests.Evaluation;
using LogitRank.Tests.Oracles;

namespace LogitRank.Tests.Analysis;

/// <summary><see cref="SpectrumReport"/>: the rank of a report without cuts, and a null strategy rejected before any oracle call.</summary>
public partial class SpectrumReportTests
{
    [Fact]
    public void A_report_without_cuts_has_max_rank_zero()
    {
        Assert.Equal(0, new SpectrumReport([]).MaxRank);
    }

    [Fact]
    public void A_null_strategy_is_rejected_by_name_before_the_oracle_is_queried()
    {
        var spy = new SpyOracle(new ModelOracle(TestModels.Iid(3, 0.5, 0.5)));
        var e = Assert.Throws<ArgumentNullException>(() => SpectrumReport.PerCut(spy, new LogitMatrixSampling { HistoryCount = 4, FutureCount = 4 }, null!, new Random(1)));
        Assert.Equal("strategy", e.ParamName);
        Assert.Equal(0, spy.TotalQueries);
    }
}
