namespace Personalize.Channels;

/// <summary>What the library knows about a channel: its display name, the contact point it needs and whether timing preferences apply.</summary>
public sealed record ChannelDefinition
{
    /// <summary>Creates a definition.</summary>
    /// <param name="channel">The channel.</param>
    /// <param name="displayName">The name shown to people, for example <c>SMS</c>.</param>
    /// <param name="contactPoint">The contact point the channel needs.</param>
    /// <param name="respectsTiming">Whether quiet hours and preferred times apply to the channel.</param>
    public ChannelDefinition(Channel channel, string displayName, ContactPointKind contactPoint, bool respectsTiming)
    {
        if (channel.IsDefault)
        {
            throw new ArgumentException("The channel must be named.", nameof(channel));
        }

        ArgumentException.ThrowIfNullOrWhiteSpace(displayName);
        Channel = channel;
        DisplayName = displayName;
        ContactPoint = contactPoint;
        RespectsTiming = respectsTiming;
    }

    /// <summary>The channel.</summary>
    public Channel Channel { get; }

    /// <summary>The name shown to people in reasons and reports, for example <c>Direct mail</c>.</summary>
    public string DisplayName { get; }

    /// <summary>The contact point a customer needs for this channel.</summary>
    public ContactPointKind ContactPoint { get; }

    /// <summary>
    /// Whether the customer's quiet hours and preferred times apply. True for interruptive channels
    /// (email, SMS, push, phone); false for direct mail (delivery time is not ours) and in-app
    /// (shown when the customer opens the app).
    /// </summary>
    public bool RespectsTiming { get; }

    /// <summary>Email: needs an email address; timing applies.</summary>
    public static ChannelDefinition Email { get; } = new(Channel.Email, "Email", ContactPointKind.Email, respectsTiming: true);

    /// <summary>SMS: needs a phone number that can receive text messages (<see cref="ContactPointKind.MobilePhone"/>); timing applies.</summary>
    public static ChannelDefinition Sms { get; } = new(Channel.Sms, "SMS", ContactPointKind.MobilePhone, respectsTiming: true);

    /// <summary>Push: needs a device token; timing applies.</summary>
    public static ChannelDefinition Push { get; } = new(Channel.Push, "Push", ContactPointKind.DeviceToken, respectsTiming: true);

    /// <summary>Direct mail: needs a postal address; timing does not apply.</summary>
    public static ChannelDefinition DirectMail { get; } = new(Channel.DirectMail, "Direct mail", ContactPointKind.PostalAddress, respectsTiming: false);

    /// <summary>Phone calls: need an E.164 phone number; timing applies.</summary>
    public static ChannelDefinition Phone { get; } = new(Channel.Phone, "Phone", ContactPointKind.Phone, respectsTiming: true);

    /// <summary>In-app: needs no contact point; timing does not apply.</summary>
    public static ChannelDefinition InApp { get; } = new(Channel.InApp, "In-app", ContactPointKind.None, respectsTiming: false);
}
