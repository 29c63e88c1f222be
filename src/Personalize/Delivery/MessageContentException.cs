namespace Personalize.Delivery;

/// <summary>
/// A message cannot be composed as rendered: an SMS over the segment limit, a line break in a header, a missing
/// contact point. The message says what is wrong and how to fix it; <see cref="Code"/> is stable for machines.
/// </summary>
public sealed class MessageContentException : Exception
{
    /// <summary>Creates the exception.</summary>
    public MessageContentException()
        : this(MessageContentCodes.Invalid, "The message content is invalid.")
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong and how to fix it.</param>
    public MessageContentException(string message)
        : this(MessageContentCodes.Invalid, message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong and how to fix it.</param>
    /// <param name="innerException">The cause.</param>
    public MessageContentException(string message, Exception innerException)
        : base(message, innerException)
    {
        Code = MessageContentCodes.Invalid;
    }

    /// <summary>Creates the exception with a code.</summary>
    /// <param name="code">The stable code, one of <see cref="MessageContentCodes"/>.</param>
    /// <param name="message">What is wrong and how to fix it.</param>
    public MessageContentException(string code, string message)
        : base(message)
    {
        Code = code;
    }

    /// <summary>The stable code, one of <see cref="MessageContentCodes"/>.</summary>
    public string Code { get; }
}
