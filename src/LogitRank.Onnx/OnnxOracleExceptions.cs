namespace LogitRank.Onnx;

/// <summary>The base of the errors raised by <see cref="OnnxLogitOracle"/> about its model (not about the caller's arguments).</summary>
public class OnnxOracleException : Exception
{
    /// <summary>Creates an exception with no message.</summary>
    public OnnxOracleException()
    {
    }

    /// <summary>Creates an exception with <paramref name="message"/>.</summary>
    public OnnxOracleException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with <paramref name="message"/> caused by <paramref name="innerException"/>.</summary>
    public OnnxOracleException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>The model file is missing, unreadable, or not a valid ONNX model (ONNX Runtime refused to load it).</summary>
public sealed class OnnxModelLoadException : OnnxOracleException
{
    /// <summary>Creates an exception with no message.</summary>
    public OnnxModelLoadException()
    {
    }

    /// <summary>Creates an exception with <paramref name="message"/>.</summary>
    public OnnxModelLoadException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with <paramref name="message"/> caused by <paramref name="innerException"/>.</summary>
    public OnnxModelLoadException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// The model loaded, but its interface does not match the options: an unknown input or output name (the message
/// lists the model's actual names), an element type other than int64/int32 tokens and float32 logits, an output
/// that is not <c>[batch, seq, V]</c>, or a vocabulary <c>V</c> too small for the vocabulary mapping.
/// </summary>
public sealed class OnnxModelInterfaceException : OnnxOracleException
{
    /// <summary>Creates an exception with no message.</summary>
    public OnnxModelInterfaceException()
    {
    }

    /// <summary>Creates an exception with <paramref name="message"/>.</summary>
    public OnnxModelInterfaceException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with <paramref name="message"/> caused by <paramref name="innerException"/>.</summary>
    public OnnxModelInterfaceException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// A run of the model failed (ONNX Runtime raised an error, e.g. a sequence longer than the model's positional
/// table) or produced an unusable answer (wrong output shape at run time, a non-finite logit).
/// </summary>
public sealed class OnnxInferenceException : OnnxOracleException
{
    /// <summary>Creates an exception with no message.</summary>
    public OnnxInferenceException()
    {
    }

    /// <summary>Creates an exception with <paramref name="message"/>.</summary>
    public OnnxInferenceException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with <paramref name="message"/> caused by <paramref name="innerException"/>.</summary>
    public OnnxInferenceException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
