namespace Personalize.Channels;

/// <summary>The kind of contact point a channel needs to reach a customer.</summary>
public enum ContactPointKind
{
    /// <summary>No contact point needed (for example in-app messages, shown to the signed-in customer).</summary>
    None = 0,

    /// <summary>An email address.</summary>
    Email = 1,

    /// <summary>A phone number in E.164 form (any line: calls).</summary>
    Phone = 2,

    /// <summary>A postal address.</summary>
    PostalAddress = 3,

    /// <summary>At least one push device token.</summary>
    DeviceToken = 4,

    /// <summary>
    /// A phone number that can receive text messages: a valid E.164 mobile number, or one its numbering plan cannot tell
    /// from a fixed line (North America). SMS needs it; a fixed line is enough for <see cref="Phone"/>.
    /// </summary>
    MobilePhone = 5,
}
