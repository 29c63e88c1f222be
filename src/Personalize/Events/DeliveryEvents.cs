using Personalize.Channels;
using Personalize.Consent;
using Personalize.Customers;
using Personalize.Storage;

namespace Personalize.Events;

/// <summary>
/// The delivery events a provider reports (through its webhook, translated by the host into <see cref="CustomerEvent"/>s),
/// ingested like any other event. Their data: <c>channel</c> (default <c>email</c>), <c>recipient</c> (the address,
/// number or device token the message went to; default the customer's current one), and for <see cref="Bounced"/>
/// <c>bounce</c> (<c>hard</c> or <c>soft</c>; anything else counts as soft), optionally <c>provider</c>, <c>reason</c>
/// and <c>topic</c> (<see cref="Unsubscribed"/>). What each does is in <c>docs/events.md</c>, section Delivery events.
/// </summary>
public static class DeliveryEvents
{
    /// <summary>The provider delivered a message: the channel's soft bounces start counting again.</summary>
    public const string Delivered = "delivery.delivered";

    /// <summary>The provider is still trying (a 4xx, a full mailbox): recorded, nothing else.</summary>
    public const string Deferred = "delivery.deferred";

    /// <summary>A bounce: <c>hard</c> puts the contact point on the suppression list; <c>soft</c> counts, and <see cref="DefaultSoftBounceLimit"/> in a row without a delivery do too.</summary>
    public const string Bounced = "delivery.bounced";

    /// <summary>The recipient marked a message as spam: marketing on the channel is withdrawn, with the event as evidence.</summary>
    public const string Complained = "delivery.complained";

    /// <summary>The recipient unsubscribed through the provider (a list-unsubscribe, a STOP reply): marketing on the channel, or the <c>topic</c> given, is withdrawn.</summary>
    public const string Unsubscribed = "delivery.unsubscribed";

    /// <summary>How many soft bounces in a row, with no delivery in between, suppress the contact point as <see cref="SuppressionReasons.SoftBounceLimit"/>.</summary>
    public const int DefaultSoftBounceLimit = 5;

    /// <summary>The fact name of one channel's delivery fact: <c>delivery.CHANNEL.NAME</c>, for example <c>delivery.email.soft_bounces</c>.</summary>
    /// <param name="channel">The channel name.</param>
    /// <param name="name">The fact: <c>last_delivered_at</c>, <c>last_deferred_at</c>, <c>last_bounced_at</c>, <c>last_bounce</c>, <c>soft_bounces</c>, <c>last_complained_at</c>, <c>last_unsubscribed_at</c>.</param>
    /// <returns>The fact name.</returns>
    public static string FactName(string channel, string name) => FactNames.DeliveryPrefix + channel + "." + name;

    /// <summary>The mapping of <see cref="Bounced"/> with a soft bounce limit of the host's choosing.</summary>
    /// <param name="softBounceLimit">How many soft bounces in a row (no delivery between them) suppress the contact point; 0 never does.</param>
    /// <returns>The mapping, for <see cref="FactMappings.Replace"/>.</returns>
    public static FactMapping BounceMapping(int softBounceLimit)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(softBounceLimit);
        return (e, f) =>
        {
            var channel = ChannelOf(e);
            f.Set(FactName(channel, "last_bounced_at"), e.OccurredAt);
            var hard = string.Equals(e.Text("bounce"), "hard", StringComparison.OrdinalIgnoreCase);
            f.Set(FactName(channel, "last_bounce"), hard ? "hard" : "soft");
            if (hard)
            {
                f.Suppress(KindOf(channel), e.Text("recipient"), SuppressionReasons.HardBounce);
                return;
            }

            var soft = FactName(channel, "soft_bounces");
            f.Add(soft, 1);
            if (softBounceLimit > 0 && f.Get(soft)?.Number >= softBounceLimit)
            {
                f.Suppress(KindOf(channel), e.Text("recipient"), SuppressionReasons.SoftBounceLimit);
            }
        };
    }

    internal static void Register(FactMappings mappings)
    {
        mappings.Map(Delivered, static (e, f) =>
        {
            var channel = ChannelOf(e);
            f.Set(FactName(channel, "last_delivered_at"), e.OccurredAt);
            f.Set(FactName(channel, "soft_bounces"), 0L);
        });
        mappings.Map(Deferred, static (e, f) => f.Set(FactName(ChannelOf(e), "last_deferred_at"), e.OccurredAt));
        mappings.Map(Bounced, BounceMapping(DefaultSoftBounceLimit));
        mappings.Map(Complained, static (e, f) =>
        {
            var channel = ChannelOf(e);
            f.Set(FactName(channel, "last_complained_at"), e.OccurredAt);
            f.AppendConsent(ConsentRecord.Withdraw(ConsentScope.ForChannel(new Channel(channel), ContactPurpose.Marketing), e.OccurredAt, Evidence("spam complaint", e)));
        });
        mappings.Map(Unsubscribed, static (e, f) =>
        {
            var channel = ChannelOf(e);
            f.Set(FactName(channel, "last_unsubscribed_at"), e.OccurredAt);
            var scope = e.Text("topic") is { } topic && ConsentScope.TryNormalizeTopic(topic, out var normalized)
                ? ConsentScope.ForTopic(normalized)
                : ConsentScope.ForChannel(new Channel(channel), ContactPurpose.Marketing);
            f.AppendConsent(ConsentRecord.Withdraw(scope, e.OccurredAt, Evidence("unsubscribe", e)));
        });
    }

    /// <summary>The contact point kind a channel's delivery events are about: email, push (device token), or a phone number (sms, whatsapp, phone and host channels).</summary>
    internal static ContactPointKind KindOf(string channel) => channel switch
    {
        "email" => ContactPointKind.Email,
        "push" => ContactPointKind.DeviceToken,
        "in_app" or "direct_mail" => ContactPointKind.None,
        _ => ContactPointKind.Phone,
    };

    private static string ChannelOf(CustomerEvent e)
        => e.Text("channel") is { } text && ConsentScope.TryNormalizeTopic(text, out var name) ? name : "email";

    // The evidence a person reads in history and explanations: what, through which provider, and the event's id.
    private static ConsentSource Evidence(string what, CustomerEvent e)
        => ConsentSource.FromChannel($"{what} via {e.Text("provider") ?? "the provider"} (event {e.Id})");
}
