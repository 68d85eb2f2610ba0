using LogitRank.Learning;

namespace LogitRank.Cli.Tests;

public sealed class ProgressDisplayTests
{
    [Fact]
    public void Interactive_progress_redraws_a_bar_of_queries_over_budget()
    {
        using var err = new StringWriter();
        var display = new ProgressDisplay(err, interactive: true, quiet: false);
        display.Report(new LearningProgress(1, LearningPhase.Spanner, 0, 100));
        display.Report(new LearningProgress(1, LearningPhase.Validation, 50, 100));
        display.Report(new LearningProgress(1, LearningPhase.Done, 100, 100));
        var text = err.ToString();
        Assert.Contains("\r[" + new string('#', 15) + new string('-', 15) + "] 50/100 queries  epoch 1  Validation", text, StringComparison.Ordinal);
        Assert.EndsWith(Environment.NewLine, text, StringComparison.Ordinal);
        Assert.Equal(100, display.QueriesAtEpochEnd[1]);
    }

    [Fact]
    public void Redirected_progress_is_one_line_per_report_and_records_epoch_ends()
    {
        using var err = new StringWriter();
        var display = new ProgressDisplay(err, interactive: false, quiet: false);
        display.Report(new LearningProgress(1, LearningPhase.Spanner, 0, null));
        display.Report(new LearningProgress(2, LearningPhase.Spanner, 40, null));
        display.Report(new LearningProgress(2, LearningPhase.Done, 70, null));
        Assert.Equal(3, err.ToString().TrimEnd().Split('\n').Length);
        Assert.DoesNotContain("\r", err.ToString(), StringComparison.Ordinal);
        Assert.Equal(40, display.QueriesAtEpochEnd[1]);
        Assert.Equal(70, display.QueriesAtEpochEnd[2]);
    }

    [Fact]
    public void Quiet_progress_writes_nothing()
    {
        using var err = new StringWriter();
        var display = new ProgressDisplay(err, interactive: true, quiet: true);
        display.Report(new LearningProgress(1, LearningPhase.Spanner, 0, 10));
        display.Finish();
        Assert.Equal(string.Empty, err.ToString());
    }
}
