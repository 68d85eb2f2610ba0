using LogitRank.Analysis;
using LogitRank.Models;

namespace LogitRank.Tests.Analysis;

public partial class SpectrumReportTests
{
    [Fact]
    public void Demo_setting_reports_rank_at_most_d_at_every_cut()
    {
        // The README demo: a random ISAN with k = 3, T = 8, d = 3, seed 1 (see LogitRank.Cli Demo).
        var model = TimeVaryingIsan.Random(3, 8, 3, seed: 1);
        var report = SpectrumReport.PerCut(model, new LogitMatrixSampling { HistoryCount = 200, FutureCount = 100 }, RankStrategy.RelativeThreshold(1e-9), new Random(1));
        Assert.Equal(8, report.Cuts.Count);
        Assert.Equal(Enumerable.Range(0, 8), report.Cuts.Select(c => c.Cut));
        Assert.All(report.Cuts, c =>
        {
            Assert.True(c.Rank.Rank <= 3, $"cut {c.Cut}: rank {c.Rank.Rank}");
            Assert.Equal(c.RowCount, c.Spectrum.RowCount);
            Assert.Equal(c.ColumnCount, c.Spectrum.ColumnCount);
            Assert.Equal(0, c.ColumnCount % 3);
        });
        Assert.Equal(3, report.MaxRank);
        Assert.Equal((1, 3), (report.Cuts[0].RowCount, report.Cuts[7].ColumnCount)); // one empty history; the last cut has only ε
    }
}
