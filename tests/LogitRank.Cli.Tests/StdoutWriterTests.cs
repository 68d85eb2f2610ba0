using System.Text;

namespace LogitRank.Cli.Tests;

/// <summary>Stdout failures: a closed pipe stops the command silently with 141; a full disk is one error line and exit 7.</summary>
public sealed class StdoutWriterTests
{
    [Fact]
    public void A_closed_pipe_stops_sampling_at_once_with_141_and_nothing_on_stderr()
    {
        // Issue 16: `logitrank sample ... | head -1` sampled the whole count after the reader had gone. Oracle-only targets
        // are drawn in chunks of 64 (4 positions each), so stopping after the first line pays at most 64·4 requests, not 10^5·4.
        using var server = HttpTargetTests.Server();
        var stdout = new FailingWriter(linesBeforeFailure: 1, errno: 32, "Broken pipe");
        var run = CliHarness.RunTo(stdout, "sample", HttpTargetTests.Spec(server), "--count", "100000");
        Assert.Equal(ExitCodes.BrokenPipe, run.Code);
        Assert.Equal(string.Empty, run.Err);
        Assert.Equal(1, stdout.Lines);
        Assert.InRange(server.TotalRequests, 1, SampleCommand.OracleChunk * 4);
    }

    [Fact]
    public void A_full_disk_on_stdout_is_one_error_line_and_exit_7()
    {
        var stdout = new FailingWriter(linesBeforeFailure: 0, errno: 28, "No space left on device");
        var run = CliHarness.RunTo(stdout, "sample", "isan:k=2,T=3,d=2");
        Assert.Equal(ExitCodes.OutputFailed, run.Code);
        Assert.Equal("error: Cannot write to stdout: No space left on device.", run.Err.TrimEnd());
    }

    [Theory]
    [InlineData(32, true)]
    [InlineData(28, false)]
    [InlineData(5, false)]
    public void Only_epipe_is_a_broken_pipe(int errno, bool broken) =>
        Assert.Equal(broken, StdoutWriter.IsBrokenPipe(new IOException("x", errno)));

    /// <summary>A writer whose writes fail with the given errno (as a FileStream on descriptor 1 does) after some lines.</summary>
    private sealed class FailingWriter(int linesBeforeFailure, int errno, string message) : TextWriter
    {
        public int Lines { get; private set; }

        public override Encoding Encoding => Encoding.UTF8;

        public override void Write(char value) => Fail();

        public override void Write(string? value) => Fail();

        public override void WriteLine(string? value)
        {
            Fail();
            Lines++;
        }

        private void Fail()
        {
            if (Lines >= linesBeforeFailure)
            {
                throw new IOException(message, errno);
            }
        }
    }
}
