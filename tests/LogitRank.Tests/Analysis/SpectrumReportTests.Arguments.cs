using LogitRank.Analysis;
using LogitRank.Models;
using LogitRank.Oracles;
using LogitRank.Tests.Evaluation;
using LogitRank.Tests.Oracles;

namespace LogitRank.Tests.Analysis;

/// <summary>
/// <see cref="SpectrumReport"/>: the rank of a report without cuts, a null strategy rejected before any oracle call, and a
/// null oracle or model rejected by name.
/// </summary>
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

    /// <summary>A null oracle is named <c>oracle</c> and a null model <c>model</c>.</summary>
    [Fact]
    public void A_null_oracle_or_model_is_rejected_by_name()
    {
        var sampling = new LogitMatrixSampling { HistoryCount = 4, FutureCount = 4 };
        Assert.Equal("oracle", Assert.Throws<ArgumentNullException>(() => SpectrumReport.PerCut((ILogitOracle)null!, sampling, RankStrategy.Fixed(1), new Random(1))).ParamName);
        Assert.Equal("model", Assert.Throws<ArgumentNullException>(() => SpectrumReport.PerCut((ISequenceModel)null!, sampling, RankStrategy.Fixed(1), new Random(1))).ParamName);
    }
}
