namespace LogitRank.Cli;

/// <summary>
/// What a run of the tool takes from its surroundings besides its arguments and writers, so that tests can replace it
/// (a file system that fills up) without any static state.
/// </summary>
internal sealed record CliEnvironment
{
    /// <summary>The real file system.</summary>
    public static CliEnvironment Default { get; } = new();

    /// <summary>Creates the new temporary file an output is first written to (<see cref="OutputFiles.WriteAtomically"/>).</summary>
    public Func<string, Stream> CreateTemp { get; init; } = path => new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None);

    /// <summary>Reads an environment variable (the API key of an <c>http:</c> target).</summary>
    public Func<string, string?> Variable { get; init; } = Environment.GetEnvironmentVariable;
}
