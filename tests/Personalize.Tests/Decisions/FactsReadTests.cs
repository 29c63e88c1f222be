using Personalize.Catalog;
using Personalize.Channels;
using Personalize.Customers;
using Personalize.Decisions;
using Personalize.Events;
using static Personalize.Tests.Decisions.DecisionKit;

namespace Personalize.Tests.Decisions;

/// <summary><see cref="Decision.FactsRead"/>: the facts behind a decision, not every fact the customer has.</summary>
public sealed class FactsReadTests
{
    private static CustomerProfile WithFacts(ServiceFlags? flags = null) => Customer(flags: flags) with
    {
        Facts = CustomerFacts.Create(
        [
            new(FactNames.OrderCount, new Fact(4, Now, "evt-order")),
            new(FactNames.Tier, new Fact("best_friends", Now, "tick:1")),
            new(FactNames.NpsScore, new Fact(3, Now, "evt-nps")),
            new(FactNames.NpsDetractor, new Fact(true, Now, "evt-nps")),
            new(FactNames.LastTrackingUrl, new Fact("https://track.example/1", Now, "evt-shipped")),
            new("answer.color", new Fact("red", Now, "evt-answer")),
        ]),
    };

    [Fact]
    public void A_decision_reads_the_facts_its_winning_and_failing_conditions_name_and_no_others()
    {
        var engine = Engine();
        var catalog = Compile(engine, b => b
            .Add("loyal", m => m.Relationship().OnSchedule().Priority(3).When("customer.facts.order_count >= 3 && customer.tier == 'best_friends'").Channel(Channel.Email, "t"))
            .Add("red", m => m.Relationship().OnSchedule().Priority(2).When("customer.facts[\"answer.color\"] == 'blue'").Channel(Channel.Email, "t"))
            .Add("host", m => m.Relationship().OnSchedule().Priority(1).When(_ => false, "a host predicate").Channel(Channel.Email, "t")));

        var decision = engine.Decide(catalog, WithFacts(), Trigger.Tick, Now, DecisionDetail.All);

        Assert.Equal("loyal", Assert.Single(decision.Winners).MessageId);
        Assert.Equal(["answer.color", FactNames.OrderCount, FactNames.Tier], decision.FactsRead);
    }

    [Fact]
    public void Service_first_reads_the_service_flags_and_tier_weights_read_the_tier()
    {
        var engine = Engine(o => o.TierWeights["best_friends"] = new TierValueWeights { Purposes = { [ContactPurpose.Service] = 2 } });
        var catalog = Compile(engine, b => b
            .Add("promo", m => m.OnSchedule().Channel(Channel.Email, "t"))
            .Add("care", m => m.Service().OnSchedule().Channel(Channel.Email, "t")));

        var detractor = engine.Decide(catalog, WithFacts(new ServiceFlags { NpsScore = 3 }), Trigger.Tick, Now, DecisionDetail.All);
        var plain = engine.Decide(catalog, Customer() with { Facts = CustomerFacts.Empty }, Trigger.Tick, Now, DecisionDetail.All);

        Assert.Equal("service_first", detractor.Candidates.Single(c => c.MessageId == "promo").Rule);
        Assert.Equal([FactNames.NpsDetractor, FactNames.Tier], detractor.FactsRead);
        Assert.Empty(plain.FactsRead);
    }
}
