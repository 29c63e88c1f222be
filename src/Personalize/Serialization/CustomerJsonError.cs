using System.Globalization;

namespace Personalize.Serialization;

/// <summary>
/// One problem in customer JSON: where (a JSON path such as <c>$.customers[3].timeZone</c>, and the line and column in
/// the text read) and what is wrong.
/// </summary>
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

    /// <summary>
    /// The 1-based line of the offending value (of its member name) in the text read; <see langword="null"/> when
    /// the error was not read from a text. For a missing member, the line of the object that lacks it.
    /// </summary>
    public int? Line { get; init; }

    /// <summary>The 1-based column, in characters, that goes with <see cref="Line"/> (what finds the spot in a minified file).</summary>
    public int? Column { get; init; }

    /// <summary>
    /// A stable code for errors that a limit raised, so a host can tell them apart: <see cref="CustomerJsonCodes"/>;
    /// <see langword="null"/> for the other validation errors.
    /// </summary>
    public string? Code { get; init; }

    /// <summary>The path and the message (<see cref="Line"/> and <see cref="Column"/> are separate, for the host to show with its file name).</summary>
    /// <returns>For example <c>$.customers[3].timeZone: "Mars/Olympus" is not an IANA time zone (for example Europe/Berlin)</c>.</returns>
    public override string ToString() => Path + ": " + Message;

    /// <summary>The position and the error, as a list of errors shows it.</summary>
    /// <returns>For example <c>line 12, column 9: $.customers[3].timeZone: …</c>; without a position, <see cref="ToString"/>.</returns>
    internal string Describe()
        => Line is { } line
            ? string.Create(CultureInfo.InvariantCulture, $"line {line}, column {Column ?? 1}: {this}")
            : ToString();
}
