namespace LogitRank.Learning;

/// <summary>A saved learned model could not be loaded: the JSON is malformed or a field is missing or invalid.</summary>
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
        : base(message, innerException) => Field = "(unknown)";

    /// <summary>Creates the exception naming the bad field.</summary>
    /// <param name="field">The JSON path of the bad field, for example <c>cuts[2].rows[0]</c>.</param>
    /// <param name="message">What is wrong and what was expected.</param>
    /// <param name="innerException">The underlying error, if any.</param>
    public LearnedModelFormatException(string field, string message, Exception? innerException = null)
        : base($"Invalid learned model field '{field}': {message}", innerException) => Field = field;

    /// <summary>The JSON path of the bad field.</summary>
    public string Field { get; }
}
