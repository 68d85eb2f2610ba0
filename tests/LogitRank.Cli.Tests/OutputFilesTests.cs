using LogitRank.Http.Tests;

namespace LogitRank.Cli.Tests;

/// <summary>
/// The one output path: outputs are checked and collisions refused before any query, writes are atomic, and a write that
/// fails after the work still prints the summary, leaves the previous file whole and exits 7.
/// </summary>
public sealed class OutputFilesTests : IDisposable
{
    private const string Target = "isan:k=2,T=4,d=2";
    private readonly CliHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    [Theory]
    [InlineData("learn", "--out", "x.json", "--report", "x.json")]
    [InlineData("learn", "--out", "p.png", "--plot", "p")]
    [InlineData("learn", "--report", "p.svg", "--plot", "p")]
    [InlineData("spectrum", "--csv", "a", "--out", "a")]
    [InlineData("learn", "--out", "c.db", "--cache", "c.db")]
    public void Two_arguments_naming_one_file_are_refused_before_any_query(string command, string option1, string file1, string option2, string file2)
    {
        using var server = HttpTargetTests.Server();
        var existing = _harness.PathOf(file2);
        File.WriteAllText(existing, "precious");
        var run = CliHarness.Run(command, HttpTargetTests.Spec(server), option1, _harness.PathOf(file1), option2, _harness.PathOf(file2));
        Assert.Equal(ExitCodes.Usage, run.Code);
        Assert.Contains($"{option1} and {option2} both name the file", run.Err, StringComparison.Ordinal);
        Assert.Single(run.Err.TrimEnd().Split('\n'));
        Assert.Equal(0, server.TotalRequests);
        Assert.Equal("precious", File.ReadAllText(existing));
    }

    [Fact]
    public void An_output_may_not_overwrite_an_input_model()
    {
        var model = _harness.PathOf("m.json");
        Assert.Equal(ExitCodes.Success, CliHarness.Run("learn", Target, "--out", model, "--quiet").Code);
        var before = File.ReadAllBytes(model);
        var run = CliHarness.Run("certify", model, Target, "--report", model);
        Assert.Equal(ExitCodes.Usage, run.Code);
        Assert.Contains("--report and <model> both name the file", run.Err, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(model));
    }

    [Fact]
    public void An_output_that_is_a_directory_is_refused_before_any_query()
    {
        using var server = HttpTargetTests.Server();
        var run = CliHarness.Run("learn", HttpTargetTests.Spec(server), "--report", _harness.Directory);
        Assert.Equal(ExitCodes.OutputFailed, run.Code);
        Assert.Contains("it is a directory", run.Err, StringComparison.Ordinal);
        Assert.Equal(0, server.TotalRequests);
    }

    [Fact]
    public void Missing_directories_are_created_and_no_temporary_file_is_left()
    {
        var nested = Path.Combine(_harness.Directory, "a", "b", "model.json");
        var report = _harness.PathOf("report.json");
        File.WriteAllText(report, "old");
        Assert.Equal(ExitCodes.Success, CliHarness.Run("learn", Target, "--out", nested, "--report", report, "--quiet").Code);
        Assert.StartsWith("{", File.ReadAllText(nested), StringComparison.Ordinal);
        Assert.StartsWith("{", File.ReadAllText(report), StringComparison.Ordinal);
        Assert.Equal(["report.json"], _harness.Files());
        Assert.Equal(["model.json"], System.IO.Directory.GetFiles(Path.GetDirectoryName(nested)!).Select(Path.GetFileName));
    }

    [Fact]
    public void A_write_that_fails_keeps_the_old_file_prints_the_summary_writes_the_other_outputs_and_exits_7()
    {
        // Issue 16: with the disk full, a good model.json was replaced by 4,096 bytes of truncated JSON.
        var model = _harness.PathOf("model.json");
        var report = _harness.PathOf("report.json");
        File.WriteAllText(model, "{\"the\": \"previous model\"}");
        var environment = new CliEnvironment { CreateTemp = path => path.Contains("model.json", StringComparison.Ordinal) ? new FullDiskStream(path, 100) : new FileStream(path, FileMode.CreateNew) };
        var run = CliHarness.RunIn(environment, CancellationToken.None, "learn", Target, "--out", model, "--report", report, "--quiet");

        Assert.Equal(ExitCodes.OutputFailed, run.Code);
        Assert.Equal("{\"the\": \"previous model\"}", File.ReadAllText(model));
        Assert.Contains("Certified (hold-out", run.Out, StringComparison.Ordinal);
        Assert.StartsWith("{", File.ReadAllText(report), StringComparison.Ordinal);
        Assert.Single(run.Err.TrimEnd().Split('\n'));
        Assert.Contains("Cannot write the --out file", run.Err, StringComparison.Ordinal);
        Assert.Contains("No space left on device", run.Err, StringComparison.Ordinal);
        Assert.Equal(["model.json", "report.json"], _harness.Files());
    }

    [Fact]
    public void With_json_a_failed_write_adds_the_error_to_the_printed_result()
    {
        var csv = _harness.PathOf("s.csv");
        var environment = new CliEnvironment { CreateTemp = path => new FullDiskStream(path, 10) };
        var run = CliHarness.RunIn(environment, CancellationToken.None, "spectrum", Target, "--csv", csv, "--json", "--quiet");
        Assert.Equal(ExitCodes.OutputFailed, run.Code);
        var json = run.Json();
        Assert.Equal("spectrum", json.GetProperty("command").GetString());
        Assert.Equal(ExitCodes.OutputFailed, json.GetProperty("error").GetProperty("exitCode").GetInt32());
        Assert.Equal("output not written", json.GetProperty("error").GetProperty("kind").GetString());
        Assert.False(File.Exists(csv));
        Assert.Empty(_harness.Files());
    }

    /// <summary>A temporary file on a disk that is full after <paramref name="capacity"/> bytes (ENOSPC = 28).</summary>
    internal sealed class FullDiskStream(string path, int capacity) : FileStream(path, FileMode.CreateNew)
    {
        private long _written;

        public override void Write(byte[] buffer, int offset, int count)
        {
            var room = (int)Math.Max(0, capacity - _written);
            base.Write(buffer, offset, Math.Min(room, count));
            _written += Math.Min(room, count);
            if (count > room)
            {
                throw new IOException("No space left on device", 28);
            }
        }

        public override void Write(ReadOnlySpan<byte> buffer) => Write(buffer.ToArray(), 0, buffer.Length);

        public override void WriteByte(byte value) => Write([value], 0, 1);
    }
}
