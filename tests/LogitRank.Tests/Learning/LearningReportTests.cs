using LogitRank.Learning;
using LogitRank.Models;
using LogitRank.Oracles;

namespace LogitRank.Tests.Learning;

/// <summary>The JSON form of <see cref="LearningReport"/>.</summary>
public class LearningReportTests
{
    [Fact]
    public void The_report_json_is_indented()
    {
        var schedule = new PracticalSchedule { MaxEpochs = 5, ValidationSamples = 8, SpannerSampleCount = 8 };
        var report = new LogitRankLearner().Learn(new ModelOracle(TimeVaryingIsan.Random(2, 3, 1, seed: 1)), schedule, seed: 1).Report;
        var json = report.ToJson();
        Assert.StartsWith("{" + Environment.NewLine + "  \"", json, StringComparison.Ordinal);
    }


    [Fact]
    public void A_JSON_null_is_not_a_learning_report()
    {
        var e = Assert.Throws<System.Text.Json.JsonException>(() => LearningReport.FromJson("null"));
        Assert.Contains("The JSON is null; expected a learning report.", e.Message, StringComparison.Ordinal);
    }
}
