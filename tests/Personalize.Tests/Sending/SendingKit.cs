using System.Text.Json;
using Personalize.Catalog;
using Personalize.Channels;
using Personalize.Consent;
using Personalize.Customers;
using Personalize.Decisions;
using Personalize.Delivery;
using Personalize.Delivery.Sinks;
using Personalize.Sending;
using Personalize.Templates;
using Personalize.Tests.Decisions;
using Personalize.Tests.Delivery;

namespace Personalize.Tests.Sending;

/// <summary>Templates in memory, a two-message catalog (marketing tips on email and SMS, a service notice on email) and runners.</summary>
internal static class SendingKit
{
    public static readonly DateTimeOffset Now = DecisionKit.Now;

    public static Dictionary<string, string> Templates() => new(StringComparer.Ordinal)
    {
        ["tips/email.subject.sbn"] = "{{ customer.first_name ?? \"Hello\" }}, this week in the garden",
        ["tips/email.preheader.sbn"] = "Three things to plant now",
        ["tips/email.html.sbn"] = "<p>Hi {{ customer.first_name ?? \"there\" }},</p><ul>{{ for p in [\"roses\", \"tulips\"] }}<li>{{ p }}</li>{{ end }}</ul><p><a href=\"{{ links.unsubscribe }}\">Unsubscribe</a> · {{ why }}</p>",
        ["tips/email.text.sbn"] = "Hi {{ customer.first_name ?? \"there\" }},\nplant roses now.\n\n{{ why }}\nPreferences: {{ links.preferences }}\nUnsubscribe: {{ links.unsubscribe }}\n{{ brand.name }}",
        ["tips/sms.body.liquid"] = "Hi {{ customer.first_name | default: \"there\" }}! Roses 20% off at {{ brand.name }}.",
        ["notice/email.subject.sbn"] = "About your account",
        ["notice/email.text.sbn"] = "Your account changed.{{ if links.unsubscribe }} UNSUB{{ end }}\n{{ why }}",
    };

    public static CompiledCatalog Catalog(DecisionEngine engine) => DecisionKit.Compile(engine, b => b
        .Add("tips", m => m.Marketing().Topics("gardening").OnSchedule().Channel(Channel.Email, "tips/email").Channel(Channel.Sms, "tips/sms"))
        .Add("notice", m => m.Service().OnEvent("account_changed").Channel(Channel.Email, "notice/email")));

    public static CompiledTemplates Content(CompiledCatalog catalog, Dictionary<string, string>? templates = null)
        => MessageTemplates.CompileOrThrow(catalog, new MemoryLoader(templates ?? Templates()));

    public static CustomerProfile Customer(int i, bool personalization = true, Channel? first = null)
    {
        var consents = new List<ConsentRecord> { DecisionKit.Grant(Channel.Email), DecisionKit.Grant(Channel.Sms), DecisionKit.GrantTopic("gardening") };
        if (personalization)
        {
            consents.Add(ConsentRecord.Grant(ConsentScope.Personalization, DecisionKit.LongAgo, DecisionKit.PreferenceCenter, "v1"));
        }

        return DecisionKit.Customer(
            id: "c-" + i.ToString("D4", System.Globalization.CultureInfo.InvariantCulture),
            consents: consents,
            preferences: new ContactPreferences { ChannelRanking = first is { } f ? [f] : [Channel.Email, Channel.Sms] },
            attributes: DecisionKit.Attributes($$"""{ "firstName": "Ada{{i}}", "lastName": "Lovelace", "tier": "gold" }"""));
    }

    public static IEnumerable<CustomerProfile> Customers(int count)
    {
        for (var i = 0; i < count; i++)
        {
            yield return Customer(i, first: i % 2 == 0 ? Channel.Email : Channel.Sms);
        }
    }

    public static MessageRenderer Renderer(DeliveryOptions? delivery = null)
    {
        delivery ??= DeliveryFixture.Options();
        var composer = DeliveryFixture.Composer(delivery, new ManualTimeProvider(Now));
        return new MessageRenderer(composer, new ConsentReasons(delivery), ChannelRegistry.Default, delivery, new SendingOptions { Brand = new BrandInfo { Name = "Green Thumb" } }, new ManualTimeProvider(Now));
    }

    public static SendRunner Runner(IMessageSink sink, DecisionEngine engine, Action<SendingOptions>? configure = null)
    {
        var options = new SendingOptions { Brand = new BrandInfo { Name = "Green Thumb" } };
        configure?.Invoke(options);
        return new SendRunner(engine, Renderer(), new SinkWriter(sink, new SinkRetryPolicy(1, TimeSpan.Zero), TimeProvider.System), options, new ManualTimeProvider(Now));
    }

    /// <summary>Templates from a dictionary, as a folder would give them.</summary>
    internal sealed class MemoryLoader(Dictionary<string, string> files) : ITemplateLoader
    {
        public int Loads { get; private set; }

        public bool TryLoad(string name, out string source)
        {
            Loads++;
            return files.TryGetValue(name, out source!);
        }
    }
}
