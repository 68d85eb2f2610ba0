namespace LogitRank.Cli.Tests;

public sealed class StepProgressTests
{
    [Fact]
    public void Redirected_progress_prints_a_line_per_tenth_and_at_the_end()
    {
        using var stderr = new StringWriter();
        var progress = new StepProgress(stderr, interactive: false, quiet: false, "exact KL and TV");
        for (var done = 1; done <= 100; done++)
        {
            progress.Report(done, 100, "sequences");
        }

        var lines = stderr.ToString().TrimEnd().Split('\n');
        Assert.Equal(11, lines.Length); // 1 (first tenth 0), then 10, 20, ..., 100
        Assert.Equal("progress: exact KL and TV, 1/100 sequences", lines[0]);
        Assert.Equal("progress: exact KL and TV, 100/100 sequences", lines[^1]);
    }

    [Fact]
    public void Interactive_progress_redraws_one_bar_and_ends_its_line_when_done()
    {
        using var stderr = new StringWriter();
        var progress = new StepProgress(stderr, interactive: true, quiet: false, "certify");
        progress.Report(1, 2, "positions");
        progress.Report(2, 2, "positions");
        Assert.Equal("\rcertify: [###############---------------] 1/2 positions\rcertify: [##############################] 2/2 positions" + Environment.NewLine, stderr.ToString());
    }

    [Fact]
    public void Quiet_progress_prints_nothing()
    {
        using var stderr = new StringWriter();
        var progress = new StepProgress(stderr, interactive: false, quiet: true, "x");
        progress.Report(new Evaluation.EnumerationProgress(5, 5));
        progress.Finish();
        Assert.Equal(string.Empty, stderr.ToString());
    }
}
