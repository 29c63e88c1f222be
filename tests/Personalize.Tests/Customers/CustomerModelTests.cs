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
}
