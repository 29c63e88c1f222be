using Personalize.Channels;
using Personalize.Channels.Push;

namespace Personalize.Delivery;

/// <summary>
/// A rendered message ready for a sink: its channel, recipient address, purpose, ids, send instant, idempotency key,
/// content parts and extra headers. Made by <see cref="MessageComposer"/>.
/// </summary>
public sealed record OutgoingMessage
{
    private string? _questionId;
    private string? _askedFact;

    /// <summary>
    /// Records the question the renderer's templates showed, on the message it just composed (no copy of the message),
    /// with the name of the fact that remembers its ask (<c>asked.ID</c>, made once per bank: the send's write does not
    /// make it again per message).
    /// </summary>
    internal void SetQuestion(string questionId, string askedFact) => (_questionId, _askedFact) = (questionId, askedFact);

    /// <summary>The <c>asked.ID</c> fact's name when the renderer set the question (<see cref="SetQuestion"/>), else <see langword="null"/>.</summary>
    /// <remarks>Setting <see cref="QuestionId"/> (a host's message, or <c>with { QuestionId = … }</c>) clears it: the name is then made from the id.</remarks>
    internal string? AskedFact => _askedFact;

    /// <summary>The channel.</summary>
    public required Channel Channel { get; init; }

    /// <summary>
    /// The recipient's address on the channel: the email address, the E.164 phone number (SMS, phone), the customer id
    /// (push, in-app; push device tokens are in <see cref="PushContent.DeviceTokens"/>) or the recipient block joined
    /// with line feeds (direct mail).
    /// </summary>
    public required string Recipient { get; init; }

    /// <summary>The purpose.</summary>
    public required ContactPurpose Purpose { get; init; }

    /// <summary>The catalog message's id.</summary>
    public required string MessageId { get; init; }

    /// <summary>The customer's id.</summary>
    public required string CustomerId { get; init; }

    /// <summary>What caused the send.</summary>
    public required string Trigger { get; init; }

    /// <summary>The planned send instant.</summary>
    public required DateTimeOffset SendAt { get; init; }

    /// <summary>The key that is stable for the same trigger, customer, message and send instant (see <see cref="Delivery.IdempotencyKey"/>).</summary>
    public required string IdempotencyKey { get; init; }

    /// <summary>The rendered parts.</summary>
    public required MessageContent Content { get; init; }

    /// <summary>The id of the progressive-profiling question the message carries (its template showed <c>question</c>), or <see langword="null"/>.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? QuestionId { get => _questionId; init => (_questionId, _askedFact) = (value, null); }

    /// <summary>Extra headers in order, for example <c>List-Unsubscribe</c> on marketing email.</summary>
    /// <value>The default value is empty.</value>
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; } = [];

    /// <summary>The value of the first header with a name (case-insensitive).</summary>
    /// <param name="name">The header name.</param>
    /// <returns>The value, or <see langword="null"/> when absent.</returns>
    public string? GetHeader(string name)
    {
        foreach (var header in Headers)
        {
            if (string.Equals(header.Key, name, StringComparison.OrdinalIgnoreCase))
            {
                return header.Value;
            }
        }

        return null;
    }
}
