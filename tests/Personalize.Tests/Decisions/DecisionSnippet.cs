using Personalize.Catalog;
using Personalize.Channels;
using Personalize.Customers;
using Personalize.Decisions;
using Personalize.Eligibility;

namespace Personalize.Tests.Decisions;

/// <summary>The decision snippet of the docs, compiled and run by <see cref="DecisionReadmeTests"/>.</summary>
internal static class DecisionSnippet
{
    public static (Decision Decision, string Text) Run(CustomerProfile customer, DateTimeOffset now)
    {
        // begin-snippet: decide
        var catalog = MessageCatalog.CreateBuilder()
            .Add("order-shipped", m => m.Service().OnEvent("order_shipped").Priority(10).MaxDelay(TimeSpan.FromHours(12))
                .Channel(Channel.Sms, "order-shipped/sms")
                .Channel(Channel.Email, "order-shipped/email"))
            .Add("gardening-tips", m => m.Marketing().Topics("gardening").OnSchedule().OncePer(TimeSpan.FromDays(7))
                .When("customer.days_since_purchase < 90")
                .Channel(Channel.Email, "tips/gardening-email"))
            .Build()
            .Compile(); // validates (every error at once) and indexes by trigger and stage

        var eligibility = new ContactEligibility(new PersonalizeOptions(), TimeProvider.System);
        var engine = new DecisionEngine(new DecisionOptions(), eligibility, TimeProvider.System);

        Decision decision = engine.Decide(catalog, customer, Trigger.Event("order_shipped"), now);
        string text = decision.Explain(); // or decision.ToJson()
        // end-snippet
        return (decision, text);
    }
}
