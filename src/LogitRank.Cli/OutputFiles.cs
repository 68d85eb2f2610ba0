using System.Text;

namespace LogitRank.Cli;

/// <summary>
/// The one way the tool writes files. A command declares every file it will write (and every file it reads or keeps
/// open, such as the query cache) before it does any work; <see cref="Declare"/> checks each output at once (not a
/// directory, in a directory that exists or can be created and that accepts a new file) and refuses two arguments
/// naming the same file, so a typo costs nothing. After the work, <see cref="Write(string, string)"/> writes each file
/// atomically: into a temporary file in the same directory, flushed to disk, then renamed over the target, so an
/// existing file is either replaced whole or left as it was. A failed write is recorded (<see cref="Failure"/>), not
/// thrown, so the command still writes its other outputs and prints its summary before exiting with
/// <see cref="ExitCodes.OutputFailed"/> (<see cref="CommandContext.Complete"/>).
/// </summary>
internal sealed class OutputFiles(CliEnvironment environment)
{
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    private readonly Dictionary<string, (string Argument, bool IsOutput)> _owners = new(PathComparer);
    private readonly Dictionary<string, string> _pathOf = new(StringComparer.Ordinal);

    /// <summary>Paths compare case-insensitively where the file system usually does (Windows, macOS).</summary>
    public static StringComparer PathComparer { get; } =
        OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal;

    /// <summary>The first write that failed (its message names the option and the file), or <see langword="null"/>.</summary>
    public CliException? Failure { get; private set; }

    /// <summary>The files written so far, in order.</summary>
    public List<string> Written { get; } = [];

    /// <summary>
    /// Declares the output <paramref name="path"/> of <paramref name="option"/> (e.g. <c>--out</c>), or each of
    /// <paramref name="suffixes"/> appended to it (a plot prefix); returns the path, or <see langword="null"/> when the
    /// option was not given.
    /// </summary>
    /// <exception cref="CliException">The path is a directory or cannot be written (<see cref="ExitCodes.OutputFailed"/>), or names a file another argument names (<see cref="ExitCodes.Usage"/>).</exception>
    public string? Declare(string option, string? path, params string[] suffixes)
    {
        if (path is null)
        {
            return null;
        }

        if (string.IsNullOrWhiteSpace(path))
        {
            throw CliException.Usage($"{option} expects a file path; got '{path}'.");
        }

        foreach (var name in suffixes.Length == 0 ? [path] : suffixes.Select(s => path + s))
        {
            var full = Check(option, name);
            Claim(option, name, full, isOutput: true);
            _pathOf[suffixes.Length == 0 ? option : option + "|" + name[path.Length..]] = name;
        }

        return path;
    }

    /// <summary>
    /// Declares a file that a command reads or keeps open (an input model, the query cache): no output may name it.
    /// </summary>
    /// <exception cref="CliException">An output already declared names the same file (<see cref="ExitCodes.Usage"/>).</exception>
    public void DeclareInput(string argument, string path)
    {
        string full;
        try
        {
            full = Path.GetFullPath(path);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            return; // Not a path the file system accepts: opening it reports the problem.
        }

        Claim(argument, path, full, isOutput: false);
    }

    /// <summary>Writes <paramref name="text"/> (UTF-8) to the file declared for <paramref name="option"/>; false (and <see cref="Failure"/> set) when it failed.</summary>
    public bool Write(string option, string text) =>
        WriteWith(option, _pathOf[option], temp =>
        {
            using var stream = environment.CreateTemp(temp);
            using var writer = new StreamWriter(stream, Utf8NoBom);
            writer.Write(text);
        });

    /// <summary>Writes the file declared for <paramref name="option"/> with suffix <paramref name="suffix"/> by <paramref name="write"/>, which receives an open stream.</summary>
    public bool Write(string option, string suffix, Action<Stream> write) =>
        WriteWith(option, _pathOf[option + "|" + suffix], temp =>
        {
            using var stream = environment.CreateTemp(temp);
            write(stream);
        });

    /// <summary>
    /// Writes <paramref name="path"/> atomically: <paramref name="writeTemp"/> fills a new temporary file in the same
    /// directory, which is then flushed to stable storage and renamed over <paramref name="path"/> (an atomic replace
    /// on POSIX file systems and NTFS). On any failure the temporary file is deleted and <paramref name="path"/> is
    /// untouched.
    /// </summary>
    internal static void WriteAtomically(string path, Action<string> writeTemp)
    {
        var full = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(directory);
        var temp = Path.Combine(directory, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            writeTemp(temp);
            using (var flush = new FileStream(temp, FileMode.Open, FileAccess.ReadWrite, FileShare.None))
            {
                flush.Flush(flushToDisk: true);
            }

            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    private bool WriteWith(string option, string path, Action<string> writeTemp)
    {
        try
        {
            WriteAtomically(path, writeTemp);
            Written.Add(path);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            Failure ??= CliException.Output($"Cannot write the {option} file '{path}': {Cli.OneLine(e.Message)} (the previous file, if any, is unchanged).", e);
            return false;
        }
    }

    private static string Check(string option, string path)
    {
        string full;
        try
        {
            full = Path.GetFullPath(path);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw CliException.Output($"Cannot write the {option} file '{path}': {Cli.OneLine(e.Message)}", e);
        }

        if (Directory.Exists(full) || path.EndsWith('/') || path.EndsWith(Path.DirectorySeparatorChar))
        {
            throw CliException.Output($"Cannot write the {option} file '{path}': it is a directory; expected a file path.");
        }

        // The nearest existing ancestor must be a directory that accepts a new file (the rest is created at write time).
        var directory = Path.GetDirectoryName(full);
        while (directory is not null && !Directory.Exists(directory))
        {
            if (File.Exists(directory))
            {
                throw CliException.Output($"Cannot write the {option} file '{path}': '{directory}' is a file, not a directory.");
            }

            directory = Path.GetDirectoryName(directory);
        }

        if (directory is null)
        {
            throw CliException.Output($"Cannot write the {option} file '{path}': no existing directory contains it.");
        }

        var probe = Path.Combine(directory, $".logitrank-probe-{Guid.NewGuid():N}");
        try
        {
            using (new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose))
            {
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(probe);
            throw CliException.Output($"Cannot write the {option} file '{path}': the directory '{directory}' does not accept new files ({Cli.OneLine(e.Message)}).", e);
        }

        return full;
    }

    private void Claim(string argument, string given, string full, bool isOutput)
    {
        if (_owners.TryGetValue(full, out var other))
        {
            if (!other.IsOutput && !isOutput)
            {
                return; // Two arguments may read the same file.
            }

            throw CliException.Usage($"{other.Argument} and {argument} both name the file '{given}'; expected different files (an output would overwrite {(other.IsOutput && isOutput ? "the other" : "the input")}).");
        }

        _owners[full] = (argument, isOutput);
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort: a leftover temporary file is named .NAME.GUID.tmp beside the target.
        }
    }
}
