using Personalize.Catalog;
using Personalize.Channels;
using Personalize.Consent;
using Personalize.Customers;
using Personalize.Templates;
using Personalize.Tests.Decisions;

namespace Personalize.Tests.Customers;

/// <summary>
/// <c>customer.*</c> is one model for catalog conditions and content templates: the same names give the same values, and
/// the personal-fields switch (conditions always on; templates on with consent to personalization) hides only the personal ones.
/// </summary>
public sealed class CustomerModelTests
{
    private static readonly DateTimeOffset At = new(2026, 3, 11, 10, 0, 0, TimeSpan.Zero);

    private static CustomerProfile Customer(bool personalization) => DecisionKit.Customer(
        consents:
        [
            DecisionKit.Grant(Channel.Email),
            DecisionKit.GrantTopic("gardening"),
            .. personalization ? [ConsentRecord.Grant(ConsentScope.Personalization, DecisionKit.LongAgo, DecisionKit.PreferenceCenter, "v1")] : Array.Empty<ConsentRecord>(),
        ],
        history: [DecisionKit.Sent("tips", At.AddDays(-3))],
        flags: new ServiceFlags { OpenComplaint = true, NpsScore = 9 },
        attributes: DecisionKit.Attributes("""{ "firstName": "Ada", "lastName": "Lovelace", "tier": "gold", "lastPurchaseAt": "2026-03-01T08:00:00Z", "stage": "spoofed" }"""));

    public static TheoryData<string, string> Expressions => new()
    {
        { "customer.id", "c-1" },
        { "customer.stage", "retention" },
        { "customer.time_zone", "Europe/Berlin" },
        { "customer.open_complaint", "True" },
        { "customer.nps_score", "9" },
        { "customer.topics | array.join ','", "gardening" },
        { "customer.contacts_last_30_days", "1" },
        { "customer.days_since_contact", "3" },
        { "customer.preferences.channels | array.join ','", "email,sms,push" },
        { "customer.first_name", "Ada" },
        { "customer.name", "Ada Lovelace" },
        { "customer.tier", "gold" },
        { "customer.days_since_purchase", "10" },
        { "customer.days_until_purchase", "-10" },
    };

    [Theory]
    [MemberData(nameof(Expressions))]
    public void Conditions_and_templates_read_the_same_value(string expression, string expected)
    {
        var customer = Customer(personalization: true);
        var conditions = new ConditionContext(customer, Trigger.Tick, At).Model;
        var templates = new Dictionary<string, object?> { ["customer"] = new CustomerModel(customer, At, personalFieldsVisible: customer.AllowsPersonalization) };

        Assert.Equal(expected, TemplateExpression.Parse(expression).Evaluate(conditions)?.ToString());
        Assert.Equal(expected, TemplateExpression.Parse(expression).Evaluate(templates)?.ToString());
    }

    [Fact]
    public void Without_personal_fields_only_the_profile_fields_are_visible()
    {
        var model = new CustomerModel(Customer(personalization: false), At, personalFieldsVisible: false);

        Assert.Equal("c-1", model["id"]);
        Assert.Equal(false, model["personalized"]);
        Assert.Equal(true, model["open_complaint"]);
        foreach (var personal in new[] { "first_name", "last_name", "name", "tier", "last_purchase_at", "days_since_purchase" })
        {
            Assert.False(model.TryGetValue(personal, out _), personal + " is personal");
        }

        Assert.DoesNotContain(model.Keys, k => k is "first_name" or "tier" or "name");
    }

    [Fact]
    public void An_attribute_cannot_replace_a_profile_field_and_enumeration_shows_each_name_once()
    {
        var model = new CustomerModel(Customer(personalization: true), At, personalFieldsVisible: true);

        Assert.Equal("retention", model["stage"]);
        Assert.Equal(model.Keys.Count(), model.Keys.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(model.Count, model.Keys.Count());
        Assert.Equal(["first_name", "last_name", "tier", "last_purchase_at"], model.Keys.Where(k => k is "first_name" or "last_name" or "tier" or "last_purchase_at"));
        Assert.Contains(new KeyValuePair<string, object?>("days_since_purchase", 10), model);
        Assert.Contains(new KeyValuePair<string, object?>("name", "Ada Lovelace"), model);
    }

    [Fact]
    public void A_utf8_render_prints_each_attribute_as_the_string_render_does()
    {
        // Attribute strings are written from the profile's JSON bytes in a UTF-8 render (plain output and the left side
        // of ??); escapes, empty and null values, numbers, profile fields, the facts' tier and hidden fields read as usual.
        var source = """
            [{{ customer.first_name }}|{{ customer.first_name ?? "x" }}|{{ customer.quoted ?? "x" }}|{{ customer.accent }}|{{ customer.empty ?? "x" }}|{{ customer.nothing ?? "x" }}|{{ customer.missing ?? "x" }}|{{ customer.points ?? 0 }}|{{ customer.language ?? "en" }}|{{ customer.tier ?? "none" }}|{{ customer.stage ?? "x" }}]
            """;
        var attributes = DecisionKit.Attributes("""{ "firstName": "Ada", "quoted": "say \"hi\"", "accent": "Zoë 🌱", "empty": "", "nothing": null, "points": 12, "tier": "attribute-gold", "stage": "spoofed" }""");
        var plain = DecisionKit.Customer(consents: [ConsentRecord.Grant(ConsentScope.Personalization, DecisionKit.LongAgo, DecisionKit.PreferenceCenter, "v1")], attributes: attributes);
        var ranked = plain with { Facts = Personalize.Events.CustomerFacts.Create([new(Personalize.Events.FactNames.Tier, new Personalize.Events.Fact("gold", At, "e-1"))]) };
        foreach (var (template, strict) in new[] { (Template.ParseOrThrow(source), false), (Template.ParseOrThrow(source), true) })
        {
            foreach (var (customer, personal, expected) in new[]
            {
                (plain, true, "[Ada|Ada|say \"hi\"|Zoë 🌱||x|x|12|en|attribute-gold|retention]"),
                (ranked, true, "[Ada|Ada|say \"hi\"|Zoë 🌱||x|x|12|en|gold|retention]"),
                (plain, false, "[|x|x||x|x|x|0|en|none|retention]"),
            })
            {
                if (strict && !personal)
                {
                    continue; // a hidden field is a missing member, which strict mode reports outside ??
                }

                var model = new Dictionary<string, object?> { ["customer"] = new CustomerModel(customer, At, personal) };
                var options = new RenderOptions { StrictVariables = strict };

                // Twice: the first render binds the member sites, the second reads through them.
                for (var i = 0; i < 2; i++)
                {
                    var buffer = new System.Buffers.ArrayBufferWriter<byte>();
                    template.RenderUtf8(buffer, model, options);
                    var utf8 = System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);

                    Assert.Equal(template.Render(model, options), utf8);
                    Assert.Equal(expected, utf8);
                }
            }
        }
    }
}
