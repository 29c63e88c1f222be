using Personalize.Catalog;
using Personalize.Channels;
using Personalize.Consent;
using Personalize.Customers;
using Personalize.Decisions;
using Personalize.Eligibility;
using static Personalize.Tests.Decisions.DecisionKit;

namespace Personalize.Tests.Decisions;

public sealed class EligibilityAndConsentTests
{
    [Fact]
    public void Only_messages_for_the_trigger_and_stage_are_candidates_and_explain_all_says_why_the_rest_are_not()
    {
        var engine = Engine();
        var catalog = Compile(engine, b => b
            .Add("shipped", m => m.Service().OnEvent("order_shipped").Channel(Channel.Email, "t"))
            .Add("welcome", m => m.Relationship().Stages(LifecycleStage.Exposure).OnEvent("order_shipped").Channel(Channel.Email, "t"))
            .Add("tips", m => m.OnSchedule().Channel(Channel.Email, "t")));
        var customer = Customer(stage: LifecycleStage.Adoption);

        var fast = engine.Decide(catalog, customer, Trigger.Event("order_shipped"), Now);
        var all = engine.Decide(catalog, customer, Trigger.Event("order_shipped"), Now, DecisionDetail.All);

        Assert.Equal(["shipped"], fast.Candidates.Select(c => c.MessageId));
        Assert.Equal("shipped", Assert.Single(fast.Winners).MessageId);
        Assert.Equal(DecisionCodes.Stage, Outcome(all, "welcome").Code);
        Assert.Equal("It targets exposure; the customer is in adoption.", Outcome(all, "welcome").Reason);
        Assert.Equal(DecisionCodes.Trigger, Outcome(all, "tips").Code);
        Assert.Equal("It does not answer event:order_shipped (it answers schedule:tick).", Outcome(all, "tips").Reason);
    }

    [Fact]
    public void Expression_condition_reads_attributes_and_derived_days()
    {
        var engine = Engine();
        var catalog = Compile(engine, b => b
            .Add("lapsed-gold", m => m.OnSchedule().When("customer.days_since_purchase > 60 && customer.tier == \"gold\"").Channel(Channel.Email, "t")));

        var lapsed = Customer(attributes: Attributes("""{ "tier": "gold", "lastPurchaseAt": "2026-01-09T10:00:00Z" }"""));
        var recent = Customer(attributes: Attributes("""{ "tier": "gold", "lastPurchaseAt": "2026-01-10T10:00:01Z" }"""));
        var silver = Customer(attributes: Attributes("""{ "tier": "silver", "lastPurchaseAt": "2025-01-01" }"""));

        Assert.True(engine.Decide(catalog, lapsed, Trigger.Tick, Now).HasWinner); // 61 days
        var notYet = engine.Decide(catalog, recent, Trigger.Tick, Now); // 60 days and a bit less
        Assert.Equal(DecisionCodes.Condition, notYet.Candidates[0].Code);
        Assert.Equal("Its condition does not hold for this customer: customer.days_since_purchase > 60 && customer.tier == \"gold\". The relationship matrix has not placed this customer (no tick yet), so customer.tier is the host attribute tier (\"gold\") and customer.matrix is null.", notYet.Candidates[0].Reason);
        Assert.False(engine.Decide(catalog, silver, Trigger.Tick, Now).HasWinner);
    }

    [Fact]
    public void Typed_predicate_condition_sees_the_customer_and_trigger()
    {
        var engine = Engine();
        var catalog = Compile(engine, b => b
            .Add("vip", m => m.OnCampaign("spring").When(c => c.Customer.Id.StartsWith("vip", StringComparison.Ordinal) && c.Trigger.Name == "spring", "VIP customers").Channel(Channel.Email, "t")));

        Assert.True(engine.Decide(catalog, Customer("vip-1"), Trigger.Campaign("spring"), Now).HasWinner);
        var other = engine.Decide(catalog, Customer("c-2"), Trigger.Campaign("spring"), Now);
        Assert.Equal("Its condition does not hold for this customer: VIP customers.", other.Candidates[0].Reason);
    }

    [Fact]
    public void A_message_expired_at_the_decision_instant_is_not_sent()
    {
        var engine = Engine();
        var catalog = Compile(engine, b => b
            .Add("sale", m => m.OnSchedule().ExpiresAt(Now).Channel(Channel.Email, "t"))
            .Add("later", m => m.OnSchedule().ExpiresAt(Now.AddSeconds(1)).Channel(Channel.Email, "t")));

        var decision = engine.Decide(catalog, Customer(), Trigger.Tick, Now);

        Assert.Equal(DecisionCodes.Expired, Outcome(decision, "sale").Code);
        Assert.Equal("It expired on Wed 11 March 2026 11:00 Europe/Berlin.", Outcome(decision, "sale").Reason);
        Assert.Equal("later", Assert.Single(decision.Winners).MessageId);
    }

    [Fact]
    public void Consent_withdrawn_one_second_before_the_send_blocks_the_channel()
    {
        var engine = Engine();
        var catalog = Compile(engine, b => b.Add("news", m => m.OnSchedule().Channel(Channel.Email, "t")));
        var withdrawn = Customer(consents: [Grant(Channel.Email), ConsentRecord.Withdraw(ConsentScope.ForChannel(Channel.Email), Now.AddSeconds(-1), PreferenceCenter)]);
        var withdrawnAfter = Customer(consents: [Grant(Channel.Email), ConsentRecord.Withdraw(ConsentScope.ForChannel(Channel.Email), LongAgo.AddSeconds(-1), PreferenceCenter)]);

        var decision = engine.Decide(catalog, withdrawn, Trigger.Tick, Now);

        var outcome = decision.Candidates[0];
        Assert.False(decision.HasWinner);
        Assert.Equal(DecisionCodes.NoChannelAllowed, outcome.Code);
        var email = Assert.Single(outcome.Channels);
        Assert.Equal(EligibilityCodes.ConsentWithdrawn, email.Code);
        Assert.Equal("Email withdrawn on 11 March 2026 via preference center.", email.Reason);
        Assert.True(engine.Decide(catalog, withdrawnAfter, Trigger.Tick, Now).HasWinner); // the grant is later than that withdrawal
    }

    [Fact]
    public void Consent_withdrawn_one_second_before_a_deferred_send_blocks_it()
    {
        var engine = Engine();
        var catalog = Compile(engine, b => b.Add("news", m => m.OnSchedule().Channel(Channel.Email, "t")));
        var quiet = new ContactPreferences { ChannelRanking = [Channel.Email], QuietHours = Window(22, 0, 7, 0) };
        var evening = new DateTimeOffset(2026, 3, 11, 22, 0, 0, TimeSpan.Zero); // 23:00 local: deferred to 07:00 local (06:00 UTC)
        var sendAt = new DateTimeOffset(2026, 3, 12, 6, 0, 0, TimeSpan.Zero);
        var customer = Customer(preferences: quiet, consents: [Grant(Channel.Email), ConsentRecord.Withdraw(ConsentScope.ForChannel(Channel.Email), sendAt.AddSeconds(-1), PreferenceCenter)]);

        Assert.Equal(sendAt, engine.Decide(catalog, Customer(preferences: quiet), Trigger.Tick, evening).Winners[0].SendAt);
        var decision = engine.Decide(catalog, customer, Trigger.Tick, evening);

        Assert.False(decision.HasWinner);
        Assert.Equal(EligibilityCodes.ConsentWithdrawn, decision.Candidates[0].Channels[0].Code);
    }

    [Fact]
    public void Marketing_needs_an_opt_in_while_service_needs_only_no_withdrawal()
    {
        var engine = Engine();
        var catalog = Compile(engine, b => b
            .Add("promo", m => m.OnEvent("x").Channel(Channel.Sms, "t"))
            .Add("update", m => m.Service().OnEvent("x").Priority(0.1).Channel(Channel.Sms, "t")));
        var customer = Customer(consents: []);

        var decision = engine.Decide(catalog, customer, Trigger.Event("x"), Now);

        Assert.Equal(EligibilityCodes.ConsentMissing, Outcome(decision, "promo").Channels[0].Code);
        Assert.Equal("update", Assert.Single(decision.Winners).MessageId);
    }

    [Fact]
    public void A_pending_double_opt_in_is_not_consent_and_a_missing_contact_point_blocks()
    {
        var engine = Engine();
        var catalog = Compile(engine, b => b.Add("promo", m => m.OnSchedule().Channel(Channel.Email, "t").Channel(Channel.DirectMail, "t2")));
        var pending = ConsentRecord.Grant(ConsentScope.ForChannel(Channel.Email), Now.AddDays(-2), PreferenceCenter, "v1", OptInMethod.Double);
        var customer = Customer(consents: [pending, Grant(Channel.DirectMail)], preferences: new ContactPreferences());

        var outcome = engine.Decide(catalog, customer, Trigger.Tick, Now).Candidates[0];

        Assert.Equal(DecisionCodes.NoChannelAllowed, outcome.Code);
        Assert.Equal(EligibilityCodes.ConsentPendingDoubleOptIn, outcome.Channels[0].Code);
        Assert.Equal(EligibilityCodes.ContactPointMissing, outcome.Channels[1].Code);
        Assert.Equal("No postal address on file for Direct mail.", outcome.Channels[1].Reason);
        Assert.Equal("No channel can be used: Email — consent.pending_double_opt_in; Direct mail — contact_point.missing.", outcome.Reason);
    }

    [Fact]
    public void A_promotional_message_on_an_unsubscribed_topic_never_goes_even_with_top_priority()
    {
        var engine = Engine();
        var catalog = Compile(engine, b => b
            .Add("garden", m => m.OnSchedule().Topics("gardening", "outdoors").Priority(100).Channel(Channel.Email, "t"))
            .Add("plain", m => m.OnSchedule().Channel(Channel.Email, "t")));
        var customer = Customer(consents:
        [
            Grant(Channel.Email),
            GrantTopic("outdoors"),
            GrantTopic("gardening"),
            ConsentRecord.Withdraw(ConsentScope.ForTopic("gardening"), new DateTimeOffset(2026, 3, 3, 9, 0, 0, TimeSpan.Zero), PreferenceCenter),
        ]);

        var decision = engine.Decide(catalog, customer, Trigger.Tick, Now);

        Assert.Equal(DecisionCodes.TopicUnsubscribed, Outcome(decision, "garden").Code);
        Assert.Equal("The customer unsubscribed from 'gardening' on 3 March 2026 via preference center.", Outcome(decision, "garden").Reason);
        Assert.Equal("plain", decision.Winners[0].MessageId);
    }

    [Fact]
    public void Relevance_is_the_share_of_topics_the_customer_chose_and_no_match_is_not_relevant()
    {
        var engine = Engine(o => o.MaxWinners = 3);
        var catalog = Compile(engine, b => b
            .Add("half", m => m.OnSchedule().Topics("travel", "recipes").Channel(Channel.Email, "t"))
            .Add("none", m => m.OnSchedule().Topics("golf").Channel(Channel.Email, "t"))
            .Add("neutral", m => m.OnSchedule().Channel(Channel.Email, "t"))
            .Add("service", m => m.Service().OnSchedule().Topics("golf").Channel(Channel.Email, "t")));
        var customer = Customer(consents: [Grant(Channel.Email), GrantTopic("travel")]);

        var decision = engine.Decide(catalog, customer, Trigger.Tick, Now, DecisionDetail.All);

        Assert.Equal(0.5, Outcome(decision, "half").Relevance);
        Assert.Equal(0.5, Outcome(decision, "neutral").Relevance);
        Assert.Equal(0.5, Outcome(decision, "service").Relevance);
        Assert.Equal(0, Outcome(decision, "none").Relevance);
        Assert.Equal(DecisionCodes.NotRelevant, Outcome(decision, "none").Code);
        Assert.Equal("None of its topics (golf) is among the customer's interests (travel).", Outcome(decision, "none").Reason);
    }

    [Theory]
    [InlineData(true, false, null, DecisionCodes.OpenComplaint)]
    [InlineData(false, true, null, DecisionCodes.FailedPayment)]
    [InlineData(false, false, 6, DecisionCodes.Detractor)]
    public void Open_service_flags_suppress_promotion_and_put_service_first(bool complaint, bool failedPayment, int? nps, string code)
    {
        var engine = Engine();
        var catalog = Compile(engine, b => b
            .Add("promo", m => m.OnSchedule().Priority(50).Channel(Channel.Email, "t"))
            .Add("thanks", m => m.Relationship().OnSchedule().Priority(40).Channel(Channel.Email, "t"))
            .Add("recovery", m => m.Service().OnSchedule().Channel(Channel.Email, "t")));
        var customer = Customer(flags: new ServiceFlags { OpenComplaint = complaint, FailedPayment = failedPayment, NpsScore = nps });

        var decision = engine.Decide(catalog, customer, Trigger.Tick, Now);

        Assert.Equal(code, Outcome(decision, "promo").Code);
        Assert.Equal(code, Outcome(decision, "thanks").Code);
        Assert.Equal("recovery", Assert.Single(decision.Winners).MessageId);
    }

    [Fact]
    public void A_pause_suppresses_marketing_until_it_ends_and_lets_service_and_relationship_go()
    {
        var engine = Engine();
        var catalog = Compile(engine, b => b
            .Add("promo", m => m.OnSchedule().Priority(50).Channel(Channel.Email, "t"))
            .Add("thanks", m => m.Relationship().OnSchedule().Priority(40).Channel(Channel.Email, "t"))
            .Add("recovery", m => m.Service().OnSchedule().Channel(Channel.Email, "t")));
        var paused = Customer(preferences: new ContactPreferences { PausedUntil = Now.AddDays(14) });

        var during = engine.Decide(catalog, paused, Trigger.Tick, Now, DecisionDetail.All);
        var after = engine.Decide(catalog, paused, Trigger.Tick, Now.AddDays(14), DecisionDetail.All);

        Assert.Equal(DecisionCodes.Paused, Outcome(during, "promo").Code);
        Assert.Equal("pause", Outcome(during, "promo").Rule);
        Assert.Equal("The customer paused marketing until 25 March 2026.", Outcome(during, "promo").Reason);
        Assert.NotEqual(DecisionCodes.Paused, Outcome(during, "thanks").Code);
        Assert.NotEqual(DecisionCodes.Paused, Outcome(during, "recovery").Code);
        Assert.DoesNotContain(during.Winners, w => w.MessageId == "promo");
        Assert.Equal("promo", after.Winners[0].MessageId);
    }

    [Fact]
    public void A_promoter_score_does_not_suppress_promotion()
    {
        var engine = Engine();
        var catalog = Compile(engine, b => b.Add("promo", m => m.OnSchedule().Channel(Channel.Email, "t")));

        Assert.True(engine.Decide(catalog, Customer(flags: new ServiceFlags { NpsScore = 7 }), Trigger.Tick, Now).HasWinner);
    }

    [Fact]
    public void A_channel_without_a_usable_contact_point_is_blocked_with_the_consent_rules_own_answer_in_single_and_batch_decisions()
    {
        var engine = Engine(o => o.ChannelRules.Add(new EveryChannelDeferredRule()));
        var catalog = Compile(engine, b => b
            .Add("tips", m => m.OnSchedule().Channel(Channel.Sms, "t").Channel(Channel.Push, "t").Channel(Channel.Email, "t"))
            .Add("receipt", m => m.Service().OnSchedule().Priority(9).Channel(Channel.Sms, "t").Channel(Channel.Email, "t")));
        var customer = Customer(preferences: new ContactPreferences { ChannelRanking = [Channel.Sms, Channel.Push, Channel.Email] }) with
        {
            ContactPoints = new ContactPoints { Email = "a@example.com", DeviceTokens = [] },
        };

        var single = engine.Decide(catalog, customer, Trigger.Tick, Now, DecisionDetail.All);
        var batch = engine.DecideMany(catalog, [customer, customer], Trigger.Tick, Now, maxDegreeOfParallelism: 1)[1];

        // What the consent rule says by itself about SMS (no phone) for this customer, at the decision instant.
        var context = DecisionContext.Rent(customer, Trigger.Tick, Now, engine.Eligibility);
        RuleResult expected;
        try
        {
            expected = engine.ChannelRules[0].Evaluate(context, catalog.Find("receipt")!, ChannelDefinition.Sms, Now);
        }
        finally
        {
            context.Return();
        }

        Assert.Equal(EligibilityCodes.ContactPointMissing, expected.Code);
        foreach (var decision in new[] { single, batch })
        {
            var receipt = Outcome(decision, "receipt");
            var sms = receipt.Channels.Single(c => c.Channel == Channel.Sms);
            Assert.Equal(ChannelStatus.Blocked, sms.Status);
            Assert.Equal(expected.Code, sms.Code);
            Assert.Equal(expected.Instant, sms.Result.Instant);
            Assert.Null(sms.SendAt);

            // The host rule after consent defers the email: the phone-less SMS never reached it.
            Assert.Equal(ChannelStatus.Deferred, receipt.Channels.Single(c => c.Channel == Channel.Email).Status);
        }

        Assert.Equal(single.Explain(), engine.Decide(catalog, customer, Trigger.Tick, Now, DecisionDetail.All).Explain());
        Assert.Equal(Outcome(single, "receipt").Channels.Select(c => c.ToString()), Outcome(batch, "receipt").Channels.Select(c => c.ToString()));
        Assert.Equal(EligibilityCodes.ContactPointMissing, Outcome(single, "tips").Channels.Single(c => c.Channel == Channel.Push).Code);

        // Without the consent rule nothing checks the contact point: the SMS goes to the next rule.
        var unchecked_ = Engine(o => o.DisabledRules.Add("consent"));
        var catalogUnchecked = Compile(unchecked_, b => b.Add("receipt", m => m.Service().OnSchedule().Channel(Channel.Sms, "t")));
        Assert.Equal(DecisionCodes.Allowed, Outcome(unchecked_.Decide(catalogUnchecked, customer, Trigger.Tick, Now), "receipt").Channels.Single().Code);
    }

    /// <summary>Defers every channel by a day (a host rule after the built-in ones).</summary>
    private sealed class EveryChannelDeferredRule : IChannelRule
    {
        public string Name => "every_channel_deferred";

        public string Description => "Defers every channel by a day.";

        public RuleResult Evaluate(DecisionContext context, MessageDefinition message, ChannelDefinition channel, DateTimeOffset sendAt)
            => sendAt < Now.AddDays(1) ? RuleResult.Defer("host.later", "Later.", Now.AddDays(1)) : RuleResult.Pass;
    }
}
