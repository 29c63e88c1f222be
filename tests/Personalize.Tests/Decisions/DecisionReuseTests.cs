using Personalize.Catalog;
using Personalize.Channels;
using Personalize.Consent;
using Personalize.Customers;
using Personalize.Decisions;
using static Personalize.Tests.Decisions.DecisionKit;

namespace Personalize.Tests.Decisions;

/// <summary>
/// The engine reuses one decision context per thread and memoizes consent, topics, caps and timing per decision:
/// nothing of one customer's decision may leak into the next one, nor into a decision nested in a host rule.
/// </summary>
public sealed class DecisionReuseTests
{
    [Fact]
    public void Consecutive_decisions_on_one_thread_do_not_see_the_previous_customers_consent_topics_or_history()
    {
        var engine = Engine();
        var catalog = Compile(engine, b => b
            .Add("garden", m => m.OnSchedule().Priority(5).Topics("gardening").Channel(Channel.Email, "t").Channel(Channel.Sms, "s"))
            .Add("promo", m => m.OnSchedule().Priority(2).Channel(Channel.Email, "t").Channel(Channel.Sms, "s"))
            .Add("weekly", m => m.OnSchedule().Priority(1).Channel(Channel.Email, "t").OncePer(TimeSpan.FromDays(7))));
        var subscribed = Customer("subscribed", consents: [Grant(Channel.Email), GrantTopic("gardening")]);
        var smsOnly = Customer("sms-only", consents: [Grant(Channel.Sms)], history: [Sent("weekly", Now.AddDays(-1))]);
        var unsubscribed = Customer(
            "unsubscribed",
            consents: [Grant(Channel.Email), Grant(Channel.Sms), ConsentRecord.Withdraw(ConsentScope.ForTopic("gardening"), LongAgo, PreferenceCenter)]);

        var first = engine.Decide(catalog, subscribed, Trigger.Tick, Now, DecisionDetail.All);
        var second = engine.Decide(catalog, smsOnly, Trigger.Tick, Now, DecisionDetail.All);
        var third = engine.Decide(catalog, unsubscribed, Trigger.Tick, Now, DecisionDetail.All);
        var none = engine.Decide(catalog, Customer("no-consent", consents: []), Trigger.Tick, Now);
        var again = engine.Decide(catalog, subscribed, Trigger.Tick, Now, DecisionDetail.All);

        Assert.Equal(("garden", Channel.Email), (first.Winners[0].MessageId, first.Winners[0].Channel));
        Assert.Equal(1.0, Outcome(first, "garden").Relevance);
        Assert.Equal("arbitration.lost", Outcome(first, "weekly").Code);

        // Not subscribed to the topic, no email consent, the weekly message already sent yesterday.
        Assert.Equal(0.0, Outcome(second, "garden").Relevance);
        Assert.Equal("topic.not_relevant", Outcome(second, "garden").Code);
        Assert.Equal(("promo", Channel.Sms), (second.Winners[0].MessageId, second.Winners[0].Channel));
        Assert.Equal("consent.missing", Outcome(second, "promo").Channels[0].Code);
        Assert.Equal("frequency.message_cap", Outcome(second, "weekly").Code);

        Assert.Equal("topic.unsubscribed", Outcome(third, "garden").Code);
        Assert.Equal(("promo", Channel.Email), (third.Winners[0].MessageId, third.Winners[0].Channel));
        Assert.Equal("arbitration.lost", Outcome(third, "weekly").Code);

        Assert.False(none.HasWinner);
        Assert.Empty(none.Winners);
        Assert.Equal(("promo", Channel.Email), (third.Winners[0].MessageId, third.Winners[0].Channel));
        Assert.Equal(first.ToJson(), again.ToJson());
    }

    [Fact]
    public void Consecutive_decisions_on_one_thread_each_report_their_own_instant_offset_trigger_detail_and_event()
    {
        // Decisions made with the same arguments share what they have in common: each must still report its own.
        var engine = Engine();
        var catalog = Compile(engine, b => b
            .Add("weekly", m => m.OnSchedule().OnEvent("order_shipped").Priority(1).Channel(Channel.Email, "t")));
        var customer = Customer("c-1", consents: [Grant(Channel.Email)]);
        var shipped = new Personalize.Events.CustomerEvent { Id = "e-1", Type = "order_shipped", CustomerId = "c-1", OccurredAt = Now };
        var inBerlin = Now.ToOffset(TimeSpan.FromHours(1)); // the same instant, another offset

        var first = engine.Decide(catalog, customer, Trigger.Tick, Now);
        var same = engine.Decide(catalog, customer, Trigger.Tick, Now);
        var offset = engine.Decide(catalog, customer, Trigger.Tick, inBerlin);
        var all = engine.Decide(catalog, customer, Trigger.Tick, inBerlin, DecisionDetail.All);
        var withEvent = engine.Decide(catalog, customer, Trigger.Event("order_shipped"), Now, shipped);
        var later = engine.Decide(catalog, customer, Trigger.Tick, Now.AddHours(1));
        var batch = engine.DecideMany(catalog, [customer, customer], Trigger.Event("order_shipped"), inBerlin, maxDegreeOfParallelism: 1);

        Assert.Equal((Trigger.Tick, Now, TimeSpan.Zero, DecisionDetail.Candidates), (first.Trigger, first.At, first.At.Offset, first.Detail));
        Assert.Equal(first.ToJson(), same.ToJson());
        Assert.Equal((TimeSpan.FromHours(1), DecisionDetail.Candidates), (offset.At.Offset, offset.Detail));
        Assert.Equal((TimeSpan.FromHours(1), DecisionDetail.All), (all.At.Offset, all.Detail));
        Assert.Null(first.Event);
        Assert.Null(all.Event);
        Assert.Same(shipped, withEvent.Event);
        Assert.Equal(Trigger.Event("order_shipped"), withEvent.Trigger);
        Assert.Equal(Now.AddHours(1), later.At);
        Assert.Null(later.Event);
        Assert.All(batch, d => Assert.Equal((Trigger.Event("order_shipped"), TimeSpan.FromHours(1), DecisionDetail.Candidates), (d.Trigger, d.At.Offset, d.Detail)));
        Assert.Equal(Now, first.At); // the first decision is unchanged by the ones after it
    }

    [Fact]
    public void A_decision_nested_in_a_host_rule_gets_its_own_context_and_the_outer_one_is_intact()
    {
        var nested = new NestedDecisionRule();
        var engine = Engine(o => o.ChannelRules.Add(nested));
        var catalog = Compile(engine, b => b.Add("news", m => m.OnSchedule().Channel(Channel.Email, "t").Channel(Channel.Sms, "s")));
        nested.Engine = engine;
        nested.Catalog = catalog;
        nested.Other = Customer("other", consents: [Grant(Channel.Sms)]);
        var customer = Customer("outer", consents: [Grant(Channel.Email)]);

        var decision = engine.Decide(catalog, customer, Trigger.Tick, Now);

        Assert.Equal(Channel.Email, decision.Winners[0].Channel);
        Assert.Equal("outer", decision.CustomerId);
        Assert.NotNull(nested.Inner);
        Assert.Equal("other", nested.Inner!.CustomerId);
        Assert.Equal(Channel.Sms, nested.Inner.Winners[0].Channel);
        Assert.Same(customer, nested.SeenAfterNested);
    }

    [Fact]
    public void Relevance_is_right_for_catalogs_with_more_topics_than_the_fast_path_numbers()
    {
        var engine = Engine();
        var catalog = Compile(engine, b =>
        {
            for (var i = 0; i < 70; i++)
            {
                var topic = "t" + i;
                b.Add("m" + i, m => m.OnSchedule().Topics(topic).Channel(Channel.Email, "t"));
            }

            b.Add("pair", m => m.OnSchedule().Topics("t1", "t68").Channel(Channel.Email, "t"));
        });
        var customer = Customer(consents: [Grant(Channel.Email), GrantTopic("t1"), GrantTopic("t66"), ConsentRecord.Withdraw(ConsentScope.ForTopic("t69"), LongAgo, PreferenceCenter)]);

        var decision = engine.Decide(catalog, customer, Trigger.Tick, Now, DecisionDetail.All);

        Assert.Equal(1.0, Outcome(decision, "m1").Relevance);
        Assert.Equal(1.0, Outcome(decision, "m66").Relevance); // topic number 66: looked up without the memo
        Assert.Equal(0.0, Outcome(decision, "m65").Relevance);
        Assert.Equal(0.5, Outcome(decision, "pair").Relevance);
        Assert.Equal("topic.unsubscribed", Outcome(decision, "m69").Code);
        Assert.Equal(decision.Candidates.Select(c => c.Relevance), engine.Decide(catalog, customer, Trigger.Tick, Now).Candidates.Select(c => c.Relevance));
    }

    private sealed class NestedDecisionRule : IChannelRule
    {
        public DecisionEngine? Engine { get; set; }

        public CompiledCatalog? Catalog { get; set; }

        public CustomerProfile? Other { get; set; }

        public Decision? Inner { get; private set; }

        public CustomerProfile? SeenAfterNested { get; private set; }

        public string Name => "nested";

        public string Description => "Decides for another customer from inside a rule.";

        public RuleResult Evaluate(DecisionContext context, MessageDefinition message, ChannelDefinition channel, DateTimeOffset sendAt)
        {
            if (Inner is null && context.Customer.Id == "outer")
            {
                Inner = Engine!.Decide(Catalog!, Other!, Trigger.Tick, sendAt);
                SeenAfterNested = context.Customer;
            }

            return RuleResult.Pass;
        }
    }
}
