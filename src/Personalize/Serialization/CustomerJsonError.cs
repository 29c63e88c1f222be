namespace Personalize.Serialization;

/// <summary>One problem in customer JSON: where (a JSON path such as <c>$.customers[3].timeZone</c>) and what is wrong.</summary>
public sealed record CustomerJsonError
{
    /// <summary>Creates an error.</summary>
    /// <param name="path">The JSON path of the offending value.</param>
    /// <param name="message">What is wrong and what is expected.</param>
    public CustomerJsonError(string path, string message)
    {
        Path = path;
        Message = message;
    }

    /// <summary>The JSON path of the offending value, for example <c>$.customers[3].preferences.quietHours.end</c>.</summary>
    public string Path { get; }

    /// <summary>What is wrong and what is expected, for example <c>"25:00" is not a time of day (expected HH:mm)</c>.</summary>
    public string Message { get; }

    /// <summary>The path and the message.</summary>
    /// <returns>For example <c>$.customers[3].timeZone: "Mars/Olympus" is not an IANA time zone (for example Europe/Berlin)</c>.</returns>
    public override string ToString() => Path + ": " + Message;
}
