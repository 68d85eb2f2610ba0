using LogitRank.Learning;

namespace LogitRank.Tests.Learning;

/// <summary><see cref="ScheduleSummary"/>, the schedule as a learning report records it.</summary>
public class ScheduleSummaryTests
{
    [Fact]
    public void Schedule_summary_rejects_a_null_schedule_by_name() =>
        Assert.Equal("schedule", Assert.Throws<ArgumentNullException>(() => ScheduleSummary.From(null!)).ParamName);
}
