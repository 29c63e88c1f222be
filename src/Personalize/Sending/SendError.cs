using Personalize.Channels;

namespace Personalize.Sending;

/// <summary>One customer's failure in a send run; the run goes on with the others.</summary>
/// <param name="CustomerId">The customer.</param>
/// <param name="MessageId">The message, when the failure was in rendering or writing one.</param>
/// <param name="Channel">The channel, when known.</param>
/// <param name="Code">A stable code (see <see cref="SendErrorCodes"/> and <c>MessageContentCodes</c>).</param>
/// <param name="Message">What went wrong.</param>
public sealed record SendError(string CustomerId, string? MessageId, string? Channel, string Code, string Message)
{
    /// <summary>Gets the template file that failed, for template errors.</summary>
    public string? Template { get; init; }

    /// <summary>Gets the 1-based line in <see cref="Template"/>, 0 when unknown.</summary>
    public int Line { get; init; }

    /// <summary>Gets the 1-based column in <see cref="Template"/>, 0 when unknown.</summary>
    public int Column { get; init; }

    /// <summary>Formats the error on one line.</summary>
    /// <returns>The text.</returns>
    public override string ToString()
    {
        var where = Template is null ? string.Empty : Line > 0 ? $" at {Template}({Line},{Column})" : $" in {Template}";
        var what = MessageId is null ? string.Empty : $" {MessageId}{(Channel is null ? string.Empty : " on " + Channel)}";
        return $"{CustomerId}{what}: {Code}{where}: {Message}";
    }
}
