using Personalize.Channels;
using Personalize.Channels.Email;
using Personalize.Customers;
using Personalize.Delivery;
using Personalize.Delivery.Security;
using Personalize.Delivery.Sinks;

namespace Personalize.Tests.Delivery;

/// <summary>The delivery snippet of the docs, compiled and run by <see cref="DeliveryReadmeTests"/>.</summary>
internal static class DeliverySnippet
{
    public static async Task<SinkReport> Run(CustomerProfile customer, string outbox, DateTimeOffset sendAt)
    {
        // begin-snippet: delivery
        var options = new DeliveryOptions
        {
            FromAddress = "news@example.com",
            FromName = "Example Garden Co.",
            ListId = "news.example.com",
            UnsubscribeUrl = new Uri("https://example.com/unsubscribe"),
            UnsubscribeMailbox = "unsubscribe@example.com",
            PreferenceCenterUrl = new Uri("https://example.com/preferences"),
            TokenSigningKey = "a-secret-of-at-least-32-characters!",
        };
        var tokens = new SignedTokenService(options, TimeProvider.System);
        var composer = new MessageComposer(options, new DeliveryLinks(options, tokens));

        var request = new DeliveryRequest(customer, "spring-sale", "campaign:2026-03", ContactPurpose.Marketing, sendAt);
        OutgoingMessage email = composer.Email(request, new EmailContent
        {
            Subject = "Roses are in 🌹",
            TextBody = "20% off roses this week.",
            HtmlBody = "<p>20% off roses this week.</p>",
        });
        OutgoingMessage sms = composer.Sms(request with { MessageId = "spring-sale-sms" }, "Roses: 20% off this week.");

        using var sink = new FileOutboxSink(outbox); // email/<key>.eml, sms.jsonl, ...
        var writer = new SinkWriter(sink, SinkRetryPolicy.FromOptions(options), TimeProvider.System);
        SinkReport report = await writer.WriteAsync([email, sms]); // a second run skips both

        // At the unsubscribe endpoint:
        // if (tokens.TryVerify(token, TokenScopes.Unsubscribe(Channel.Email, ContactPurpose.Marketing), out var customerId)) { ... }
        // end-snippet
        return report;
    }
}
