using Personalize.Catalog;
using Personalize.Channels;
using Personalize.Customers;
using Personalize.Decisions;
using static Personalize.Tests.Decisions.DecisionKit;

namespace Personalize.Tests.Decisions;

public sealed class AskAndArbitrationTests
{
    private static ContactRecord[] History(params MessageKind[] kinds)
        => kinds.Select((k, i) => Sent("m" + i, Now - TimeSpan.FromDays(30 - i), ContactPurpose.Relationship, k)).ToArray();

    [Fact]
    public void An_ask_after_exactly_N_gives_since_the_last_ask_goes()
    {
        var engine = Engine(o => o.MinGivesBeforeAsk = 2);
        var catalog = Compile(engine, b => b.Add("survey", m => m.Relationship().Ask().OnSchedule().Channel(Channel.Email, "t")));

        var two = engine.Decide(catalog, Customer(history: History(MessageKind.Give, MessageKind.Ask, MessageKind.Give, MessageKind.Give)), Trigger.Tick, Now);
        var one = engine.Decide(catalog, Customer(history: History(MessageKind.Give, MessageKind.Give, MessageKind.Ask, MessageKind.Give)), Trigger.Tick, Now);
        var none = engine.Decide(catalog, Customer(history: []), Trigger.Tick, Now);

        Assert.True(two.HasWinner);
        Assert.Equal(DecisionCodes.NotEnoughGives, one.Candidates[0].Code);
        Assert.Equal("Only 1 give since the last ask on 11 February 2026; an ask needs 2 (give before ask).", one.Candidates[0].Reason);
        Assert.Equal("Only 0 gives ever; an ask needs 2 (give before ask).", none.Candidates[0].Reason);
    }

    [Fact]
    public void At_most_one_ask_per_contact_even_with_more_winners()
    {
        var engine = Engine(o =>
        {
            o.MaxWinners = 3;
            o.MinGivesBeforeAsk = 0;
            o.PromotionalCaps.Clear();
        });
        var catalog = Compile(engine, b => b
            .Add("survey", m => m.Relationship().Ask().OnSchedule().Priority(5).Channel(Channel.Email, "t"))
            .Add("review", m => m.Ask().OnSchedule().Priority(4).Channel(Channel.Email, "t"))
            .Add("tips", m => m.OnSchedule().Priority(1).Channel(Channel.Email, "t")));

        var decision = engine.Decide(catalog, Customer(), Trigger.Tick, Now);

        Assert.Equal(["survey", "tips"], decision.Winners.Select(w => w.MessageId));
        Assert.Equal(DecisionCodes.OneAskPerContact, Outcome(decision, "review").Code);
        Assert.Equal("Another ask already goes in this contact (survey); at most one ask per contact.", Outcome(decision, "review").Reason);
    }

    [Fact]
    public void The_highest_score_wins_and_the_rest_lose_arbitration_with_their_scores()
    {
        var engine = Engine();
        var catalog = Compile(engine, b => b
            .Add("cheap", m => m.OnSchedule().Priority(3).Value(1).Channel(Channel.Email, "t"))
            .Add("valuable", m => m.OnSchedule().Priority(2).Value(2).Channel(Channel.Email, "t"))
            .Add("relevant", m => m.OnSchedule().Priority(2).Value(1).Topics("travel").Channel(Channel.Email, "t")));
        var customer = Customer(consents: [Grant(Channel.Email), GrantTopic("travel")]);

        var decision = engine.Decide(catalog, customer, Trigger.Tick, Now);

        // cheap 3 × 0.5 × 1 = 1.5; valuable 2 × 0.5 × 2 = 2; relevant 2 × 1 × 1 = 2 (ties valuable on score and priority: catalog order)
        Assert.Equal("valuable", decision.Winners[0].MessageId);
        Assert.Equal(2, decision.Winners[0].Score);
        Assert.Equal(1.5, Outcome(decision, "cheap").Score);
        Assert.Equal(DecisionCodes.LostArbitration, Outcome(decision, "cheap").Code);
        Assert.Equal("Lost arbitration to valuable: its score 1.5 is below 2; one message per decision.", Outcome(decision, "cheap").Reason);
        Assert.Equal("Lost arbitration to valuable: it ties on score 2 and comes later (priority, then catalog order); one message per decision.", Outcome(decision, "relevant").Reason);
    }

    [Fact]
    public void A_score_tie_goes_to_the_higher_priority_then_to_catalog_order()
    {
        var engine = Engine(o => o.MaxWinners = 3);
        var catalog = Compile(engine, b => b
            .Add("b-first-in-catalog", m => m.Service().OnSchedule().Priority(1).Value(4).Channel(Channel.Email, "t"))
            .Add("a-high-priority", m => m.Service().OnSchedule().Priority(4).Value(1).Channel(Channel.Email, "t"))
            .Add("c-last-in-catalog", m => m.Service().OnSchedule().Priority(1).Value(4).Channel(Channel.Email, "t")));

        var decision = engine.Decide(catalog, Customer(), Trigger.Tick, Now);

        Assert.Equal(["a-high-priority", "b-first-in-catalog", "c-last-in-catalog"], decision.Winners.Select(w => w.MessageId));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void Ties_between_messages_with_and_without_topics_follow_the_same_order(int winners)
    {
        // "topical" scores 1 × 1 (subscribed) × 1 = 1 and "plain" 1 × 0.5 (neutral) × 2 = 1: a tie on score and priority,
        // so catalog order decides; "bold" scores 2 × 0.5 × 0.5 = 0.5; "cold" has a topic the customer did not choose
        // and scores 0 (its upper bound, 3, is the highest).
        var engine = Engine(o => { o.MaxWinners = winners; o.RequireTopicMatch = false; });
        var catalog = Compile(engine, b => b
            .Add("cold", m => m.OnSchedule().Priority(3).Topics("travel").Channel(Channel.Email, "t"))
            .Add("topical", m => m.OnSchedule().Priority(1).Topics("gardening").Channel(Channel.Email, "t"))
            .Add("plain", m => m.OnSchedule().Priority(1).Value(2).Channel(Channel.Email, "t"))
            .Add("bold", m => m.OnSchedule().Priority(2).Value(0.5).Channel(Channel.Email, "t")));
        var customer = Customer(consents: [Grant(Channel.Email), GrantTopic("gardening")]);

        var decision = engine.Decide(catalog, customer, Trigger.Tick, Now);
        var everything = engine.Decide(catalog, customer, Trigger.Tick, Now, DecisionDetail.All);

        string[] expected = ["topical", "plain", "bold"];
        Assert.Equal(expected.Take(winners), decision.Winners.Select(w => w.MessageId));
        Assert.Equal(expected.Take(winners), everything.Winners.Select(w => w.MessageId));
        Assert.Equal(everything.Candidates.Select(c => (c.MessageId, c.Score, c.Relevance)), decision.Candidates.Select(c => (c.MessageId, c.Score, c.Relevance)));
        Assert.Equal(0, Outcome(decision, "cold").Score);
    }

    [Fact]
    public void Weights_are_exponents_and_zero_ignores_a_factor()
    {
        var valueless = Engine(o => o.ValueWeight = 0);
        var squaredValue = Engine(o => o.ValueWeight = 2);
        void Build(CatalogBuilder b) => b
            .Add("priority", m => m.OnSchedule().Priority(3).Value(1).Channel(Channel.Email, "t"))
            .Add("value", m => m.OnSchedule().Priority(1).Value(2).Channel(Channel.Email, "t"));

        Assert.Equal("priority", valueless.Decide(Compile(valueless, Build), Customer(), Trigger.Tick, Now).Winners[0].MessageId);
        var decision = squaredValue.Decide(Compile(squaredValue, Build), Customer(), Trigger.Tick, Now);
        Assert.Equal("value", decision.Winners[0].MessageId);
        Assert.Equal(2, Outcome(decision, "value").Score); // 1 × 0.5 × 2²
    }

    [Fact]
    public void Engines_with_other_weights_rank_one_shared_catalog_each_by_their_own_weights()
    {
        var valueless = Engine(o => o.ValueWeight = 0);
        var squaredValue = Engine(o => o.ValueWeight = 2);
        var catalog = Compile(valueless, b => b
            .Add("priority", m => m.OnSchedule().Priority(3).Value(1).Channel(Channel.Email, "t"))
            .Add("value", m => m.OnSchedule().Priority(1).Value(2).Channel(Channel.Email, "t")));

        // Alternating on one thread: each engine keeps its own ranking of the catalog's candidates.
        var winners = Enumerable.Range(0, 4)
            .Select(i => (i % 2 == 0 ? valueless : squaredValue).Decide(catalog, Customer(), Trigger.Tick, Now).Winners[0].MessageId);

        Assert.Equal(["priority", "value", "priority", "value"], winners);
    }

    [Fact]
    public void The_customers_ranking_picks_the_channel_and_falls_back_down_it()
    {
        var engine = Engine();
        var catalog = Compile(engine, b => b.Add("promo", m => m.OnSchedule().Channel(Channel.Email, "e").Channel(Channel.Sms, "s").Channel(Channel.Push, "p")));
        var smsFirst = new ContactPreferences { ChannelRanking = [Channel.Sms, Channel.Push, Channel.Email] };
        var noSms = Customer(consents: [Grant(Channel.Email), Grant(Channel.Push)], preferences: smsFirst);

        var first = engine.Decide(catalog, Customer(preferences: smsFirst), Trigger.Tick, Now);
        var fallback = engine.Decide(catalog, noSms, Trigger.Tick, Now);

        Assert.Equal(Channel.Sms, first.Winners[0].Channel);
        Assert.Equal("s", first.Winners[0].Template);
        Assert.Equal(Channel.Push, fallback.Winners[0].Channel);
        Assert.Equal([Channel.Sms, Channel.Push], fallback.Candidates[0].Channels.Select(c => c.Channel));
        Assert.Equal("consent.missing", fallback.Candidates[0].Channels[0].Code);
    }

    [Fact]
    public void A_lower_ranked_channel_allowed_now_beats_a_deferred_higher_ranked_one()
    {
        var engine = Engine();
        var catalog = Compile(engine, b => b.Add("banner", m => m.OnSchedule().Channel(Channel.Email, "e").Channel(Channel.InApp, "i")));
        var customer = Customer(
            consents: [Grant(Channel.Email), Grant(Channel.InApp)],
            preferences: new ContactPreferences { ChannelRanking = [Channel.Email], QuietHours = Window(10, 0, 12, 0) });

        var decision = engine.Decide(catalog, customer, Trigger.Tick, Now);

        Assert.Equal(Channel.InApp, decision.Winners[0].Channel); // in-app is unranked, tried after the ranking
        Assert.Equal([Channel.Email, Channel.InApp], decision.Candidates[0].Channels.Select(c => c.Channel));
    }

    [Fact]
    public void Host_rules_run_after_the_built_in_ones_and_built_in_rules_can_be_disabled()
    {
        var engine = Engine(o =>
        {
            o.MessageRules.Add(new CreditHoldRule());
            o.DisabledRules.Add("service_first");
        });
        var catalog = Compile(engine, b => b
            .Add("promo", m => m.OnSchedule().Channel(Channel.Email, "t"))
            .Add("upsell", m => m.OnSchedule().Topics("credit").Channel(Channel.Email, "t")));
        var customer = Customer(consents: [Grant(Channel.Email), GrantTopic("credit")], flags: new ServiceFlags { OpenComplaint = true });

        var decision = engine.Decide(catalog, customer, Trigger.Tick, Now);

        Assert.Equal("promo", decision.Winners[0].MessageId); // service_first disabled
        Assert.Equal("host.credit_hold", Outcome(decision, "upsell").Code);
        Assert.Equal("credit_hold", Outcome(decision, "upsell").Rule);
        Assert.Equal("Credit offers are on hold for this customer.", Outcome(decision, "upsell").Reason);
        Assert.DoesNotContain(engine.MessageRules, r => r.Name == "service_first");
    }

    [Theory]
    [InlineData(DecisionDetail.Candidates)]
    [InlineData(DecisionDetail.All)]
    public void A_tier_weight_on_value_by_purpose_changes_the_winner_for_that_tier_only_and_the_explanation_shows_it(DecisionDetail detail)
    {
        var engine = Engine(o =>
        {
            // begin-snippet: tier-weights
            o.TierWeights["best_friends"] = new TierValueWeights
            {
                Purposes = { [ContactPurpose.Relationship] = 2, [ContactPurpose.Marketing] = 0.5 }, // loyalty before promotion
            };
            // end-snippet
        });
        var catalog = Compile(engine, b => b
            .Add("promo", m => m.OnSchedule().Value(3).Channel(Channel.Email, "t"))
            .Add("thanks", m => m.Relationship().OnSchedule().Value(2).Channel(Channel.Email, "t")));

        var friend = engine.Decide(catalog, InTier("friend", "best_friends"), Trigger.Tick, Now, detail);
        var newcomer = engine.Decide(catalog, InTier("newcomer", "new"), Trigger.Tick, Now, detail);
        var untiered = engine.Decide(catalog, InTier("untiered", null), Trigger.Tick, Now, detail);

        // promo: value 3 against thanks' 2 — unless the tier weighs relationship ×2 (4) and marketing ×0.5 (1.5).
        Assert.Equal("thanks", Assert.Single(friend.Winners).MessageId);
        Assert.Equal("promo", Assert.Single(newcomer.Winners).MessageId);
        Assert.Equal("promo", Assert.Single(untiered.Winners).MessageId);
        Assert.Equal(1 * 0.5 * 4, friend.Winners[0].Score, 9);
        Assert.Equal((2.0, 0.5), (Outcome(friend, "thanks").TierWeight, Outcome(friend, "promo").TierWeight));
        Assert.Equal(1 * 0.5 * 1.5, Outcome(friend, "promo").Score, 9);
        Assert.Equal(CandidateStatus.Lost, Outcome(friend, "promo").Status);
        Assert.Equal(1.0, Outcome(newcomer, "thanks").TierWeight);
        var explained = friend.Explain();
        Assert.Contains("Tier best_friends: values weighted marketing ×0.5, relationship ×2 (DecisionOptions.TierWeights).", explained, StringComparison.Ordinal);
        Assert.Contains("× value 2 × tier weight 2", explained, StringComparison.Ordinal);
        Assert.Contains("× value 3 × tier weight 0.5", explained, StringComparison.Ordinal);
        Assert.Contains("\"tierWeight\": 2", friend.ToJson(), StringComparison.Ordinal);
        Assert.DoesNotContain("Tier ", newcomer.Explain(), StringComparison.Ordinal);
        Assert.DoesNotContain("tier weight", newcomer.Explain(), StringComparison.Ordinal);
        Assert.DoesNotContain("tierWeight", newcomer.ToJson(), StringComparison.Ordinal);
        DocSnippets.AssertShown("tests/Personalize.Tests/Decisions/AskAndArbitrationTests.cs", "tier-weights", "docs/events.md");
    }

    [Fact]
    public void A_tier_weight_by_kind_can_hold_back_asks_for_one_tier()
    {
        var engine = Engine(o =>
        {
            o.MinGivesBeforeAsk = 0;
            o.TierWeights["new"] = new TierValueWeights { Kinds = { [MessageKind.Ask] = 0.25 } };
        });
        var catalog = Compile(engine, b => b
            .Add("survey", m => m.Relationship().Ask().OnSchedule().Priority(3).Channel(Channel.Email, "t"))
            .Add("tips", m => m.Relationship().OnSchedule().Priority(1).Channel(Channel.Email, "t")));

        Assert.Equal("tips", Assert.Single(engine.Decide(catalog, InTier("newcomer", "new"), Trigger.Tick, Now).Winners).MessageId);
        Assert.Equal("survey", Assert.Single(engine.Decide(catalog, InTier("friend", "best_friends"), Trigger.Tick, Now).Winners).MessageId);
    }

    [Fact]
    public void A_tier_weight_of_zero_or_less_is_refused_by_name()
    {
        var options = new DecisionOptions();
        options.TierWeights["best_friends"] = new TierValueWeights { Purposes = { [ContactPurpose.Marketing] = 0 } };
        options.TierWeights["new"] = null!;

        var errors = options.Validate();

        Assert.Contains("TierWeights['best_friends'].Purposes[Marketing] is 0; a value weight is a number greater than 0 (1 leaves the value as it is) for a purpose of Marketing, Service, Relationship.", errors);
        Assert.Contains("TierWeights['new'] is null; give each entry a tier name (the 'tier' fact's value) and its TierValueWeights.", errors);
    }

    private static CustomerProfile InTier(string id, string? tier) => Customer(id: id) with
    {
        Facts = tier is null ? Personalize.Events.CustomerFacts.Empty : Personalize.Events.CustomerFacts.Create([new("tier", new Personalize.Events.Fact(tier, Now, "tick:1"))]),
    };

    private sealed class CreditHoldRule : IMessageRule
    {
        public string Name => "credit_hold";

        public string Description => "No credit offers while on hold.";

        public RuleResult Evaluate(DecisionContext context, MessageDefinition message)
            => message.Topics.Contains("credit") ? RuleResult.Block("host.credit_hold", "Credit offers are on hold for this customer.") : RuleResult.Pass;
    }
}
