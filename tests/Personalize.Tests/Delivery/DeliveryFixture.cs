using Personalize.Channels;
using Personalize.Consent;
using Personalize.Customers;
using Personalize.Delivery;
using Personalize.Delivery.Security;

namespace Personalize.Tests.Delivery;

/// <summary>Valid options, a customer and requests shared by the delivery tests.</summary>
internal static class DeliveryFixture
{
    public const string Key = "test-signing-key-0123456789abcdef-XYZ";

    public static readonly DateTimeOffset SendAt = new(2026, 3, 15, 9, 30, 0, TimeSpan.Zero);

    public static DeliveryOptions Options(Action<DeliveryOptions>? change = null)
    {
        var options = new DeliveryOptions
        {
            FromAddress = "news@example.com",
            FromName = "Gärtnerei Müller",
            ListId = "news.example.com",
            ListName = "Example News",
            UnsubscribeUrl = new Uri("https://example.com/unsubscribe"),
            UnsubscribeMailbox = "unsubscribe@example.com",
            PreferenceCenterUrl = new Uri("https://example.com/preferences"),
            TokenSigningKey = Key,
        };
        change?.Invoke(options);
        return options;
    }

    public static CustomerProfile Customer(string id = "c-42") => new()
    {
        Id = id,
        TimeZone = TimeZoneInfo.FindSystemTimeZoneById("Pacific/Auckland"),
        ContactPoints = new ContactPoints
        {
            Email = "ada@example.com",
            Phone = "+64211234567",
            DeviceTokens = ["device-1", "device-2"],
            PostalAddress = new PostalAddress { Lines = ["12 Rose Lane", "Ponsonby"], City = "Auckland", PostalCode = "1011", Country = "nz" },
        },
        Consents = new ConsentLedger(
        [
            ConsentRecord.Grant(ConsentScope.ForChannel(Channel.Email, ContactPurpose.Marketing), new DateTimeOffset(2026, 3, 2, 20, 0, 0, TimeSpan.Zero), ConsentSource.Form("our website")),
            ConsentRecord.Grant(ConsentScope.ForTopic("gardening"), new DateTimeOffset(2026, 3, 2, 20, 0, 0, TimeSpan.Zero), ConsentSource.Form("our website")),
        ]),
    };

    public static DeliveryRequest Request(ContactPurpose purpose = ContactPurpose.Marketing, CustomerProfile? customer = null, string messageId = "spring-sale", DateTimeOffset? sendAt = null)
        => new(customer ?? Customer(), messageId, "campaign:spring-2026", purpose, sendAt ?? SendAt);

    public static MessageComposer Composer(DeliveryOptions? options = null, TimeProvider? time = null)
    {
        options ??= Options();
        var tokens = new SignedTokenService(options, time ?? new ManualTimeProvider(SendAt));
        return new MessageComposer(options, new DeliveryLinks(options, tokens));
    }
}
