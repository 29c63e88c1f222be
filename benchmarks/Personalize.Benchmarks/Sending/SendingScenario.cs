using System.Globalization;
using System.Text.Json;
using Personalize.Catalog;
using Personalize.Channels;
using Personalize.Consent;
using Personalize.Customers;
using Personalize.Decisions;
using Personalize.Delivery;
using Personalize.Delivery.Security;
using Personalize.Delivery.Sinks;
using Personalize.Eligibility;
using Personalize.Sending;
using Personalize.Templates;

namespace Personalize.Benchmarks.Sending;

/// <summary>
/// The send scenario: the spring-sale campaign message with an email (the 5 KB marketing email: 10 personalised
/// fields, a 6-item loop over the customer's recommendations) and an SMS version, and customers who consented to
/// both; half of them rank email first, half SMS, so the run sends as many SMS as emails.
/// </summary>
internal sealed class SendingScenario
{
    public const string EmailHtml = """
        <!DOCTYPE html>
        <html lang="{{ customer.language ?? "en" }}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>{{ brand.name }} spring sale</title></head>
        <body style="margin:0;background:#f3f4f1;">
        <table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="max-width:600px;margin:0 auto;background:#ffffff;">
        <tr><td style="padding:24px;background:#2f6b3a;color:#ffffff;font:bold 20px Helvetica,Arial,sans-serif;">{{ brand.name }}</td></tr>
        <tr><td style="padding:24px;font:16px/1.5 Helvetica,Arial,sans-serif;color:#1f2937;">
          <p style="margin:0 0 16px;">Hi {{ customer.first_name ?? "there" }} {{ customer.last_name }},</p>
          <p style="margin:0 0 16px;">As a {{ customer.tier ?? "valued" }} member since {{ customer.member_since }} you have {{ customer.loyalty_points ?? 0 }} points to spend.
          The spring sale is on in {{ customer.city ?? "your area" }} until Sunday, and your next delivery is on {{ customer.next_delivery }}.</p>
          <p style="margin:0 0 16px;">Because you love {{ customer.favourite_plant ?? "plants" }}, we picked these six for you:</p>
          <table role="presentation" width="100%" cellpadding="0" cellspacing="0">
          {{~ for p in customer.recommendations }}
            <tr>
              <td style="padding:12px 0;border-bottom:1px solid #e5e7eb;">
                <a href="https://greenthumb.example/p/{{ p.sku }}?utm_source=email&amp;utm_campaign=spring" style="color:#2f6b3a;font-weight:bold;text-decoration:none;">{{ p.name }}</a><br>
                <span style="color:#6b7280;font-size:14px;">{{ p.note }}</span>
              </td>
              <td style="padding:12px 0;border-bottom:1px solid #e5e7eb;text-align:right;white-space:nowrap;">
                <strong>{{ p.price }}</strong><br><s style="color:#9ca3af;font-size:14px;">{{ p.was }}</s>
              </td>
            </tr>
          {{~ end }}
          </table>
          <p style="margin:24px 0;"><a href="https://greenthumb.example/sale?utm_source=email&amp;utm_campaign=spring" style="display:inline-block;padding:12px 20px;background:#2f6b3a;color:#fff;text-decoration:none;border-radius:4px;">Shop the sale</a></p>
          <p style="margin:0 0 16px;color:#4b5563;">Free delivery on orders over 50 — and as always, every plant comes with our 12-month guarantee. If anything fails to thrive, tell us and we replace it, no questions asked.</p>
        </td></tr>
        <tr><td style="padding:24px;font:12px/1.5 Helvetica,Arial,sans-serif;color:#6b7280;">
          <p style="margin:0 0 8px;">{{ why }}</p>
          <p style="margin:0 0 8px;"><a href="{{ links.preferences }}" style="color:#2f6b3a;">Manage your preferences</a> · <a href="{{ links.unsubscribe }}" style="color:#2f6b3a;">Unsubscribe</a></p>
          <p style="margin:0;">{{ brand.name }} · 12 Rose Lane, Ponsonby, Auckland 1011, New Zealand</p>
        </td></tr>
        </table></body></html>
        """;

    private static readonly DateTimeOffset Now = new(2026, 3, 15, 22, 0, 0, TimeSpan.Zero);

    /// <summary>Builds the scenario.</summary>
    /// <param name="distinctCustomers">How many distinct customers the pool holds.</param>
    /// <param name="questions">The question bank the renderer offers templates, or <see langword="null"/>.</param>
    /// <param name="emailPart">Scriban appended to the email's text part (for example a <c>question</c> block), or <see langword="null"/>.</param>
    /// <param name="smsPart">Liquid appended to the SMS, or <see langword="null"/>.</param>
    public SendingScenario(int distinctCustomers = 1000, Profiling.QuestionBank? questions = null, string? emailPart = null, string? smsPart = null)
    {
        var delivery = new DeliveryOptions
        {
            FromAddress = "hello@greenthumb.example",
            FromName = "Green Thumb",
            ListId = "news.greenthumb.example",
            UnsubscribeUrl = new Uri("https://greenthumb.example/unsubscribe"),
            UnsubscribeMailbox = "unsubscribe@greenthumb.example",
            PreferenceCenterUrl = new Uri("https://greenthumb.example/preferences"),
            TokenSigningKey = "benchmark-signing-key-0123456789abcdef",
        };
        var time = new FixedTime(Now);
        var composer = new MessageComposer(delivery, new DeliveryLinks(delivery, new SignedTokenService(delivery, time)));
        var sending = new SendingOptions { Brand = new BrandInfo { Name = "Green Thumb Garden Co." }, Questions = questions };
        Renderer = new MessageRenderer(composer, new ConsentReasons(delivery), ChannelRegistry.Default, delivery, sending, time);
        Engine = new DecisionEngine(new DecisionOptions(), new ContactEligibility(new PersonalizeOptions(), time), time);
        Catalog = MessageCatalog.CreateBuilder()
            .Add("spring-sale", m => m.Marketing().Topics("gardening").OnCampaign("spring_sale").Priority(5)
                .Channel(Channel.Email, "spring-sale/email")
                .Channel(Channel.Sms, "spring-sale/sms"))
            .Build()
            .Compile();
        var templates = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["spring-sale/email.subject.sbn"] = "{{ customer.first_name ?? \"Gardener\" }}, the spring sale is here: up to 30% off",
            ["spring-sale/email.preheader.sbn"] = "Six favourites picked for you, this week only.",
            ["spring-sale/email.html.sbn"] = EmailHtml,
            ["spring-sale/email.text.sbn"] = "Hi {{ customer.first_name ?? \"there\" }},\nthe spring sale is on until Sunday.\n{{ for p in customer.recommendations }}- {{ p.name }}: {{ p.price }}\n{{ end }}\n{{ why }}\nUnsubscribe: {{ links.unsubscribe }}" + emailPart,
            ["spring-sale/sms.body.liquid"] = "Hi {{ customer.first_name | default: \"there\" }}! Green Thumb spring sale: up to 30% off until Sunday. greenthumb.example/sale" + smsPart,
        };
        Content = MessageTemplates.CompileOrThrow(Catalog, new MemoryLoader(templates));
        Trigger = Trigger.Campaign("spring_sale");
        At = Now;

        var recommendations = JsonDocument.Parse("""
            [
              { "sku": "tom-6", "name": "Heirloom tomato seedlings (6)", "note": "Sweet, sun-loving, ready to plant", "price": "9.90", "was": "13.90" },
              { "sku": "pea-cup", "name": "Sweet pea Cupani", "note": "The most fragrant sweet pea", "price": "4.50", "was": "6.00" },
              { "sku": "trowel", "name": "Stainless hand trowel", "note": "Lifetime guarantee", "price": "19.00", "was": "27.00" },
              { "sku": "compost-40", "name": "Organic compost 40 L", "note": "Peat-free, from our own heaps", "price": "12.00", "was": "15.50" },
              { "sku": "lav-3", "name": "Lavender Hidcote (3)", "note": "Bees love it", "price": "14.90", "was": "19.90" },
              { "sku": "barrel", "name": "Rain barrel 200 L", "note": "Save water, save money", "price": "79.00", "was": "99.00" }
            ]
            """).RootElement.Clone();
        var names = new[] { "Aroha", "Mele", "Kenji", "Ada", "Lena", "Tomás", "Priya", "Olu" };
        var zones = new[] { "Pacific/Auckland", "Europe/Berlin", "America/New_York", "Asia/Tokyo" };
        var optedIn = new DateTimeOffset(2025, 9, 1, 9, 0, 0, TimeSpan.Zero);
        var form = ConsentSource.Form("preference center");
        Pool = new CustomerProfile[distinctCustomers];
        for (var i = 0; i < Pool.Length; i++)
        {
            Pool[i] = new CustomerProfile
            {
                Id = "c-" + i.ToString(CultureInfo.InvariantCulture),
                Stage = (LifecycleStage)(i % 3),
                Language = "en-NZ",
                TimeZone = TimeZoneInfo.FindSystemTimeZoneById(zones[i % zones.Length]),
                ContactPoints = new ContactPoints { Email = $"c{i}@example.com", Phone = "+6421" + (1000000 + i).ToString(CultureInfo.InvariantCulture) },
                Preferences = new ContactPreferences { ChannelRanking = i % 2 == 0 ? [Channel.Email, Channel.Sms] : [Channel.Sms, Channel.Email] },
                Consents = new ConsentLedger(
                [
                    ConsentRecord.Grant(ConsentScope.ForChannel(Channel.Email), optedIn, form, "v1"),
                    ConsentRecord.Grant(ConsentScope.ForChannel(Channel.Sms), optedIn, form, "v1"),
                    ConsentRecord.Grant(ConsentScope.ForTopic("gardening"), optedIn, form, "v1"),
                    ConsentRecord.Grant(ConsentScope.Personalization, optedIn, form, "v1"),
                ]),
                Attributes = Attributes(names[i % names.Length], i, recommendations),
            };
        }
    }

    public DecisionEngine Engine { get; }

    public MessageRenderer Renderer { get; }

    public CompiledCatalog Catalog { get; }

    public CompiledTemplates Content { get; }

    public Trigger Trigger { get; }

    public DateTimeOffset At { get; }

    public CustomerProfile[] Pool { get; }

    public SendRunner Runner(IMessageSink sink, int? workers = null, int pageSize = 500)
        => new(Engine, Renderer, new SinkWriter(sink, new SinkRetryPolicy(1, TimeSpan.Zero), TimeProvider.System), new SendingOptions { Brand = new BrandInfo { Name = "Green Thumb Garden Co." }, MaxDegreeOfParallelism = workers, PageSize = pageSize }, TimeProvider.System);

    /// <summary>A stream of <paramref name="count"/> distinct customers built lazily from the pool (memory stays flat).</summary>
    public IEnumerable<CustomerProfile> Stream(int count)
    {
        for (var i = 0; i < count; i++)
        {
            var template = Pool[i % Pool.Length];
            yield return template with { Id = "s-" + i.ToString(CultureInfo.InvariantCulture) };
        }
    }

    private static Dictionary<string, JsonElement> Attributes(string name, int i, JsonElement recommendations)
    {
        var json = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["firstName"] = name,
            ["lastName"] = "Example",
            ["tier"] = (i % 3) switch { 0 => "gold", 1 => "silver", _ => "bronze" },
            ["loyaltyPoints"] = i % 700,
            ["city"] = "Auckland",
            ["favouritePlant"] = "roses",
            ["memberSince"] = "March 2024",
            ["nextDelivery"] = "Friday 20 March",
        });
        var attributes = JsonDocument.Parse(json).RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone());
        attributes["recommendations"] = recommendations;
        return attributes;
    }

    private sealed class MemoryLoader(Dictionary<string, string> files) : ITemplateLoader
    {
        public bool TryLoad(string name, out string source) => files.TryGetValue(name, out source!);
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
