using System.Text;

namespace LogitRank.Cli;

/// <summary>
/// Stdout as the commands see it: forwards to the real writer and turns its I/O failures into typed errors, a closed
/// pipe (<c>EPIPE</c>: the reader went away) into <see cref="BrokenPipeException"/> and any other (<c>ENOSPC</c>: a full
/// disk) into an <see cref="ExitCodes.OutputFailed"/> error, so a command stops at its next line instead of
/// computing output nobody reads.
/// </summary>
internal sealed class StdoutWriter(TextWriter inner) : TextWriter
{
    public override Encoding Encoding => inner.Encoding;

    public override IFormatProvider FormatProvider => inner.FormatProvider;

    public override string NewLine
    {
        get => inner.NewLine;
#pragma warning disable CS8765 // TextWriter.NewLine's setter accepts null (meaning the default); so does the inner writer's.
        set => inner.NewLine = value;
#pragma warning restore CS8765
    }

    /// <summary>Whether an <see cref="IOException"/> is a broken pipe (EPIPE on Linux and macOS; ERROR_BROKEN_PIPE or ERROR_NO_DATA on Windows).</summary>
    public static bool IsBrokenPipe(IOException e) =>
        OperatingSystem.IsWindows() ? (e.HResult & 0xFFFF) is 109 or 232 : e.HResult == 32;

    public override void Write(char value) => Guard(() => inner.Write(value));

    public override void Write(string? value) => Guard(() => inner.Write(value));

    public override void Write(char[] buffer, int index, int count) => Guard(() => inner.Write(buffer, index, count));

    public override void WriteLine(string? value) => Guard(() => inner.WriteLine(value));

    public override void WriteLine() => Guard(inner.WriteLine);

    public override void Flush() => Guard(inner.Flush);

    private static void Guard(Action write)
    {
        try
        {
            write();
        }
        catch (IOException e) when (IsBrokenPipe(e))
        {
            throw new BrokenPipeException(e);
        }
        catch (IOException e)
        {
            throw CliException.Output($"Cannot write to stdout: {Cli.OneLine(e.Message)}.", e);
        }
    }
}

/// <summary>Stdout was closed by its reader (see <see cref="ExitCodes.BrokenPipe"/>).</summary>
internal sealed class BrokenPipeException(IOException inner) : IOException("stdout was closed by its reader (broken pipe).", inner);
