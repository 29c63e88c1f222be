using Personalize.Channels;

namespace Personalize.Catalog;

/// <summary>
/// One message of the catalog: what it is (purpose, give or ask, topics), whom and when it targets (stages,
/// triggers, condition), how it competes (priority, value), how often it may go (caps), where (channels with
/// content) and what happens when it cannot go now (defer or drop, expiry). Immutable; build with
/// <see cref="MessageCatalog.CreateBuilder"/> or load with <see cref="CatalogJson"/>.
/// </summary>
public sealed record MessageDefinition
{
    /// <summary>The id, unique in the catalog (recorded in the contact history as <c>MessageId</c>).</summary>
    public required string Id { get; init; }

    /// <summary>Why the message is sent.</summary>
    /// <value>The default value is <see cref="ContactPurpose.Marketing"/>.</value>
    public ContactPurpose Purpose { get; init; } = ContactPurpose.Marketing;

    /// <summary>Whether the message gives or asks.</summary>
    /// <value>The default value is <see cref="MessageKind.Give"/>.</value>
    public MessageKind Kind { get; init; } = MessageKind.Give;

    /// <summary>The topics the message is about (normalized like consent topics).</summary>
    /// <value>The default value is empty (no topic: neutral relevance).</value>
    public IReadOnlyList<string> Topics { get; init; } = [];

    /// <summary>The lifecycle stages the message targets.</summary>
    /// <value>The default value is empty (every stage).</value>
    public IReadOnlyList<LifecycleStage> Stages { get; init; } = [];

    /// <summary>The triggers the message answers; at least one.</summary>
    /// <value>The default value is empty (validation reports it).</value>
    public IReadOnlyList<Trigger> Triggers { get; init; } = [];

    /// <summary>The eligibility condition.</summary>
    /// <value>The default value is <see langword="null"/> (always eligible).</value>
    public ICondition? Condition { get; init; }

    /// <summary>The priority, greater than 0; a factor of the arbitration score.</summary>
    /// <value>The default value is 1.</value>
    public double Priority { get; init; } = 1;

    /// <summary>The value of the message to the business or customer, greater than 0; a factor of the arbitration score.</summary>
    /// <value>The default value is 1.</value>
    public double Value { get; init; } = 1;

    /// <summary>Per-message caps (once per 30 days, once ever), counted from the contact history by <see cref="Id"/>.</summary>
    /// <value>The default value is empty.</value>
    public IReadOnlyList<MessageCap> Caps { get; init; } = [];

    /// <summary>The channels the message may go on, each with its content; at least one.</summary>
    /// <value>The default value is empty (validation reports it).</value>
    public IReadOnlyList<MessageChannel> Channels { get; init; } = [];

    /// <summary>Whether a send blocked by timing or a frequency cap is deferred or dropped.</summary>
    /// <value>The default value is <see cref="BlockedSendPolicy.Defer"/>.</value>
    public BlockedSendPolicy WhenBlocked { get; init; } = BlockedSendPolicy.Defer;

    /// <summary>The instant after which the message is not sent (nor deferred to).</summary>
    /// <value>The default value is <see langword="null"/> (no fixed expiry).</value>
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>How long after the decision instant the message may still go out (for example 12 hours for an order update); limits deferral.</summary>
    /// <value>The default value is <see langword="null"/> (no limit).</value>
    public TimeSpan? MaxDelay { get; init; }

    /// <summary>
    /// Gets whether the message's templates render in strict mode (<see cref="Templates.RenderOptions.StrictVariables"/>): a merge
    /// field the customer has no value for (<c>customer.first_name</c> without consent to personalization, a missing
    /// attribute) stops this message for that customer with a <c>template.error</c> naming the field and the template
    /// position, instead of sending it with a blank. Fallbacks written in the template (<c>?? "there"</c>, <c>if</c>) still work.
    /// </summary>
    /// <value>The default value is <see langword="false"/> (a missing field prints as blank).</value>
    public bool StrictTemplates { get; init; }

    /// <summary>A short description for people.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? Description { get; init; }

    /// <summary>The content for a channel, or <see langword="null"/> when the message has none for it.</summary>
    /// <param name="channel">The channel.</param>
    /// <returns>The content.</returns>
    public MessageChannel? ChannelFor(Channel channel)
    {
        for (var i = 0; i < Channels.Count; i++)
        {
            if (Channels[i].Channel == channel)
            {
                return Channels[i];
            }
        }

        return null;
    }
}
