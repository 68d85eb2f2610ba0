namespace LogitRank.Learning;

/// <summary>
/// A saved learned model could not be loaded: the JSON is malformed, a field is missing or invalid, or the content does
/// not match its checksum (field <c>checksum</c>).
/// </summary>
public sealed class LearnedModelFormatException : FormatException
{
    /// <summary>Creates the exception.</summary>
    public LearnedModelFormatException()
        : this("(unknown)", "The learned model JSON is invalid.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public LearnedModelFormatException(string message)
        : this("(unknown)", message)
    {
    }

    /// <summary>Creates the exception with a message and an inner exception.</summary>
    public LearnedModelFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
        Field = "(unknown)";
        Detail = message;
    }

    /// <summary>Creates the exception naming the bad field.</summary>
    /// <param name="field">The JSON path of the bad field, for example <c>cuts[2].rows[0]</c>.</param>
    /// <param name="message">What is wrong and what was expected.</param>
    /// <param name="innerException">The underlying error, if any.</param>
#pragma warning disable RS0027 // The shipped constructor keeps its optional inner exception; the one naming the file was added beside it.
    public LearnedModelFormatException(string field, string message, Exception? innerException = null)
        : base($"Invalid learned model field '{field}': {message}", innerException)
    {
        Field = field;
        Detail = message;
    }
#pragma warning restore RS0027

    /// <summary>Creates the exception naming the file and the bad field.</summary>
    /// <param name="filePath">The file the model was read from.</param>
    /// <param name="field">The JSON path of the bad field, for example <c>cuts[2].rows[0]</c> or <c>checksum</c>.</param>
    /// <param name="message">What is wrong and what was expected.</param>
    /// <param name="innerException">The underlying error, if any.</param>
    public LearnedModelFormatException(string filePath, string field, string message, Exception? innerException)
        : base($"Invalid learned model file '{filePath}', field '{field}': {message}", innerException)
    {
        FilePath = filePath;
        Field = field;
        Detail = message;
    }

    /// <summary>The JSON path of the bad field (<c>checksum</c> when the content does not match its checksum).</summary>
    public string Field { get; }

    /// <summary>The file the model was read from, when it was loaded with <see cref="LearnedModel.LoadFile(string)"/>; otherwise <see langword="null"/>.</summary>
    public string? FilePath { get; }

    /// <summary>What is wrong and what was expected, without the prefix naming the file and field.</summary>
    internal string Detail { get; }
}
