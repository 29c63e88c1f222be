using Personalize.Catalog;
using Personalize.Channels;
using Personalize.Decisions;
using Personalize.Events;
using static Personalize.Tests.Decisions.DecisionKit;

namespace Personalize.Tests.Decisions;

/// <summary>
/// <c>customer.tier</c> is the relationship matrix's tier once a tick placed the customer; before that a host attribute
/// <c>tier</c> stands in. The explanation of a failed condition on it says which one was read, so it is never silent.
/// </summary>
public sealed class MatrixTierExplanationTests
{
    [Fact]
    public void A_failed_tier_condition_says_whether_the_matrix_placed_the_customer_or_the_host_attribute_stood_in()
    {
        var engine = Engine();
        var catalog = Compile(engine, b => b.Add("gold-only", m => m.OnSchedule().When("customer.tier == \"gold\"").Channel(Channel.Email, "t")));
        var silver = Customer(attributes: Attributes("""{ "tier": "silver" }"""));
        var bare = Customer();
        var placed = Customer(attributes: Attributes("""{ "tier": "gold" }""")) with
        {
            Facts = CustomerFacts.Create([new(FactNames.Tier, new Fact("best_friends", Now.AddDays(-1), "tick:2026-03-10T10:00:00Z"))]),
        };

        Assert.Equal(
            "Its condition does not hold for this customer: customer.tier == \"gold\". The relationship matrix has not placed this customer (no tick yet), so customer.tier is the host attribute tier (\"silver\") and customer.matrix is null.",
            engine.Decide(catalog, silver, Trigger.Tick, Now).Candidates[0].Reason);
        Assert.Equal(
            "Its condition does not hold for this customer: customer.tier == \"gold\". The relationship matrix has not placed this customer (no tick yet), so customer.tier and customer.matrix are null.",
            engine.Decide(catalog, bare, Trigger.Tick, Now).Candidates[0].Reason);

        // Once placed, the matrix's tier is read (the gold attribute no longer is) and the reason needs no note.
        Assert.Equal("Its condition does not hold for this customer: customer.tier == \"gold\".", engine.Decide(catalog, placed, Trigger.Tick, Now).Candidates[0].Reason);
    }

    [Fact]
    public void A_condition_on_another_name_that_starts_like_tier_gets_no_note()
    {
        var engine = Engine();
        var catalog = Compile(engine, b => b.Add("vip", m => m.OnSchedule().When("customer.tier_points > 100").Channel(Channel.Email, "t")));

        Assert.Equal("Its condition does not hold for this customer: customer.tier_points > 100.", engine.Decide(catalog, Customer(), Trigger.Tick, Now).Candidates[0].Reason);
    }
}
