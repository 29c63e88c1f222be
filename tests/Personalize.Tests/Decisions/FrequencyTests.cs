using Personalize.Catalog;
using Personalize.Channels;
using Personalize.Customers;
using Personalize.Decisions;
using static Personalize.Tests.Decisions.DecisionKit;

namespace Personalize.Tests.Decisions;

public sealed class FrequencyTests
{
    private static readonly TimeSpan Day = TimeSpan.FromDays(1);

    private static CompiledCatalog Promo(DecisionEngine engine, Action<MessageBuilder>? configure = null)
        => Compile(engine, b => b.Add("promo", m =>
        {
            m.OnSchedule().Channel(Channel.Email, "t");
            configure?.Invoke(m);
        }));

    [Fact]
    public void A_message_sent_exactly_one_window_ago_no_longer_counts_toward_the_cap()
    {
        var engine = Engine();
        var catalog = Promo(engine);
        var atBoundary = Customer(history: [Sent("old", Now - Day)]);
        var justInside = Customer(history: [Sent("old", Now - Day + TimeSpan.FromTicks(1))]);

        var allowed = engine.Decide(catalog, atBoundary, Trigger.Tick, Now);
        var deferred = engine.Decide(catalog, justInside, Trigger.Tick, Now);

        Assert.Equal(Now, allowed.Winners[0].SendAt);
        Assert.False(allowed.Winners[0].IsDeferred);
        var winner = deferred.Winners[0];
        Assert.True(winner.IsDeferred);
        Assert.Equal(Now + TimeSpan.FromTicks(1), winner.SendAt);
        var channel = deferred.Candidates[0].Channels[0];
        Assert.Equal(DecisionCodes.Deferred, channel.Code);
        Assert.StartsWith("Deferred to Wed 11 March 2026 11:00 Europe/Berlin: 1 promotional message across all channels in the last 24 hours; the cap is 1", channel.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Dropping_instead_of_deferring_reports_the_cap()
    {
        var engine = Engine();
        var catalog = Promo(engine, m => m.DropWhenBlocked());
        var customer = Customer(history: [Sent("old", Now - TimeSpan.FromHours(2))]);

        var outcome = engine.Decide(catalog, customer, Trigger.Tick, Now).Candidates[0];

        Assert.Equal(DecisionCodes.NoChannelAllowed, outcome.Code);
        var email = outcome.Channels[0];
        Assert.Equal(DecisionCodes.OverallCap, email.Code);
        Assert.True(email.Dropped);
        Assert.EndsWith("The message is dropped rather than deferred.", email.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void The_customers_stricter_cap_wins_over_the_defaults()
    {
        var engine = Engine();
        var catalog = Promo(engine);
        var history = new[] { Sent("a", Now - TimeSpan.FromDays(3)) };
        var strict = Customer(history: history, preferences: new ContactPreferences
        {
            ChannelRanking = [Channel.Email],
            FrequencyCaps = [new FrequencyCap { Channel = Channel.Email, Max = 1, Period = CapPeriod.Week }],
        });

        var relaxed = engine.Decide(catalog, Customer(history: history), Trigger.Tick, Now);
        var decision = engine.Decide(catalog, strict, Trigger.Tick, Now);

        Assert.False(relaxed.Winners[0].IsDeferred);
        Assert.True(decision.Winners[0].IsDeferred);
        Assert.Equal(Now - TimeSpan.FromDays(3) + TimeSpan.FromDays(7), decision.Winners[0].SendAt);
        Assert.Equal(DecisionCodes.ChannelCap, decision.Candidates[0].Channels[0].Result.Code);
    }

    [Fact]
    public void The_customers_own_cap_on_one_channel_moves_the_message_to_another_channel_whatever_list_holds_the_caps()
    {
        // The engine's caps count every channel, so their answer is the same for every channel of a decision; the
        // customer's cap on email is not: email is capped, SMS is not. The caps as an array, a list and another read-only list.
        var engine = Engine();
        var catalog = Compile(engine, b => b.Add("promo", m => m.OnSchedule().Channel(Channel.Email, "e").Channel(Channel.Sms, "s")));
        var history = new[] { Sent("a", Now - TimeSpan.FromDays(3)) };
        var cap = new FrequencyCap { Channel = Channel.Email, Max = 1, Period = CapPeriod.Week };
        IReadOnlyList<FrequencyCap>[] holders = [new[] { cap }, new List<FrequencyCap> { cap }, new System.Collections.ObjectModel.ReadOnlyCollection<FrequencyCap>([cap])];

        foreach (var caps in holders)
        {
            var customer = Customer(history: history, preferences: new ContactPreferences { ChannelRanking = [Channel.Email, Channel.Sms], FrequencyCaps = caps });
            var decision = engine.Decide(catalog, customer, Trigger.Tick, Now);
            var again = engine.Decide(catalog, customer, Trigger.Tick, Now);

            Assert.Equal(Channel.Sms, decision.Winners[0].Channel);
            Assert.False(decision.Winners[0].IsDeferred);
            Assert.Equal(DecisionCodes.ChannelCap, decision.Candidates[0].Channels[0].Result.Code);
            Assert.Equal(decision.Explain(), again.Explain());
        }

        // Without the customer's cap the same history lets email go now.
        var free = engine.Decide(catalog, Customer(history: history, preferences: new ContactPreferences { ChannelRanking = [Channel.Email, Channel.Sms] }), Trigger.Tick, Now);
        Assert.Equal(Channel.Email, free.Winners[0].Channel);
        Assert.False(free.Winners[0].IsDeferred);
    }

    [Fact]
    public void An_overall_cap_reached_defers_every_channel_to_the_same_instant()
    {
        var engine = Engine();
        var catalog = Compile(engine, b => b.Add("promo", m => m.OnSchedule().Channel(Channel.Email, "e").Channel(Channel.Sms, "s")));
        var sent = Now - TimeSpan.FromHours(2);
        var customer = Customer(history: [Sent("a", sent, channel: Channel.Sms)], preferences: new ContactPreferences { ChannelRanking = [Channel.Email, Channel.Sms] });

        var outcome = engine.Decide(catalog, customer, Trigger.Tick, Now).Candidates[0];

        Assert.Equal(2, outcome.Channels.Count);
        Assert.All(outcome.Channels, c => Assert.Equal(DecisionCodes.Deferred, c.Code));
        Assert.All(outcome.Channels, c => Assert.Equal(sent + Day, c.SendAt));
        Assert.All(outcome.Channels, c => Assert.Equal(DecisionCodes.OverallCap, c.Result.Code));
    }

    [Fact]
    public void A_reached_channel_cap_moves_the_message_to_the_next_channel_and_later_sends_do_not_count()
    {
        var engine = Engine(o =>
        {
            o.PromotionalCaps.Clear();
            o.PromotionalCaps.Add(new FrequencyCap { Channel = Channel.Email, Max = 2, Period = CapPeriod.Week });
            o.PromotionalCaps.Add(new FrequencyCap { Max = 4, Period = CapPeriod.Week });
        });
        var catalog = Compile(engine, b => b.Add("promo", m => m.OnSchedule().Channel(Channel.Email, "e").Channel(Channel.Sms, "s")));
        var ranking = new ContactPreferences { ChannelRanking = [Channel.Email, Channel.Sms] };
        var twoEmails = Customer(preferences: ranking, history:
        [
            Sent("a", Now - TimeSpan.FromDays(6)),
            Sent("b", Now - TimeSpan.FromDays(1)),
            Sent("c", Now - TimeSpan.FromDays(2), channel: Channel.Sms),
            Sent("later", Now + TimeSpan.FromHours(1)),
        ]);
        var oneEmail = Customer(preferences: ranking, history:
        [
            Sent("a", Now - TimeSpan.FromDays(7)),
            Sent("b", Now - TimeSpan.FromDays(1)),
            Sent("c", Now - TimeSpan.FromDays(2), channel: Channel.Sms),
            Sent("later", Now + TimeSpan.FromHours(1)),
        ]);
        var fourOverall = Customer(preferences: ranking, history:
        [
            Sent("a", Now - TimeSpan.FromDays(6)),
            Sent("b", Now - TimeSpan.FromDays(1)),
            Sent("c", Now - TimeSpan.FromDays(2), channel: Channel.Sms),
            Sent("d", Now - TimeSpan.FromDays(3), channel: Channel.Sms),
        ]);

        var capped = engine.Decide(catalog, twoEmails, Trigger.Tick, Now);
        var free = engine.Decide(catalog, oneEmail, Trigger.Tick, Now);
        var overall = engine.Decide(catalog, fourOverall, Trigger.Tick, Now);

        Assert.Equal(Channel.Sms, capped.Winners[0].Channel);
        Assert.False(capped.Winners[0].IsDeferred);
        var email = capped.Candidates[0].Channels[0];
        Assert.Equal(DecisionCodes.ChannelCap, email.Result.Code);
        Assert.Equal(Now - TimeSpan.FromDays(6) + TimeSpan.FromDays(7), email.Result.RetryAt);
        Assert.Equal(Channel.Email, free.Winners[0].Channel);
        Assert.False(free.Winners[0].IsDeferred);
        Assert.True(overall.Winners[0].IsDeferred);
        Assert.Equal(Now - TimeSpan.FromDays(6) + TimeSpan.FromDays(7), overall.Winners[0].SendAt);
        Assert.All(overall.Candidates[0].Channels, c => Assert.Equal(DecisionCodes.Deferred, c.Code));
    }

    [Fact]
    public void Many_caps_are_checked_in_order_and_the_first_reached_one_is_reported()
    {
        var history = new[] { Sent("a", Now - TimeSpan.FromHours(30)), Sent("b", Now - TimeSpan.FromHours(2)) };
        foreach (var extra in new[] { 0, 9 })
        {
            var engine = Engine(o =>
            {
                o.PromotionalCaps.Clear();
                for (var i = 0; i < extra; i++)
                {
                    o.PromotionalCaps.Add(new FrequencyCap { Max = 50 + i, Period = CapPeriod.Month });
                }

                o.PromotionalCaps.Add(new FrequencyCap { Max = 2, Period = CapPeriod.Week });
                o.PromotionalCaps.Add(new FrequencyCap { Max = 1, Period = CapPeriod.Day });
            });
            var outcome = engine.Decide(Promo(engine, m => m.DropWhenBlocked()), Customer(history: history), Trigger.Tick, Now).Candidates[0];

            var email = outcome.Channels[0];
            Assert.Equal(DecisionCodes.OverallCap, email.Code);
            Assert.Equal(CapPeriod.Week, Assert.IsType<FrequencyCap>(email.Result.Subject).Period);
            Assert.Equal(2, email.Result.Number);
        }
    }

    [Fact]
    public void Service_messages_do_not_consume_promotional_caps_and_have_their_own()
    {
        var engine = Engine(o =>
        {
            o.ServiceCaps.Clear();
            o.ServiceCaps.Add(new FrequencyCap { Max = 2, Period = CapPeriod.Day });
        });
        var catalog = Compile(engine, b => b
            .Add("promo", m => m.OnEvent("x").Channel(Channel.Email, "t"))
            .Add("update", m => m.Service().OnEvent("x").Channel(Channel.Email, "t")));
        var twoServiceToday = Customer(history:
        [
            Sent("s1", Now - TimeSpan.FromHours(3), ContactPurpose.Service),
            Sent("s2", Now - TimeSpan.FromHours(1), ContactPurpose.Service),
        ]);

        var decision = engine.Decide(catalog, twoServiceToday, Trigger.Event("x"), Now, DecisionDetail.All);

        Assert.Equal(ChannelStatus.Allowed, Outcome(decision, "promo").Channels[0].Status);
        var update = Outcome(decision, "update").Channels[0];
        Assert.Equal(ChannelStatus.Deferred, update.Status);
        Assert.Equal(Now - TimeSpan.FromHours(3) + Day, update.SendAt);
        Assert.Contains("2 service messages across all channels in the last 24 hours; the cap is 2", update.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Per_message_cap_once_per_30_days_counts_by_message_id_at_its_boundary()
    {
        var engine = Engine();
        var catalog = Promo(engine, m => m.OncePer(TimeSpan.FromDays(30)));

        var exactlyThirty = engine.Decide(catalog, Customer(history: [Sent("promo", Now - TimeSpan.FromDays(30))]), Trigger.Tick, Now);
        var withinThirty = engine.Decide(catalog, Customer(history: [Sent("promo", Now - TimeSpan.FromDays(30) + TimeSpan.FromSeconds(1))]), Trigger.Tick, Now);

        Assert.True(exactlyThirty.HasWinner);
        Assert.Equal(DecisionCodes.MessageCap, withinThirty.Candidates[0].Code);
        Assert.Equal("Already sent once (last on 9 February 2026); this message goes once per 30 days.", withinThirty.Candidates[0].Reason);
    }

    [Fact]
    public void Once_ever_blocks_after_the_first_send_on_any_channel()
    {
        var engine = Engine();
        var catalog = Promo(engine, m => m.OnceEver());

        var decision = engine.Decide(catalog, Customer(history: [Sent("promo", LongAgo, channel: Channel.Sms)]), Trigger.Tick, Now);

        Assert.Equal(DecisionCodes.MessageCap, decision.Candidates[0].Code);
        Assert.EndsWith("this message goes once ever.", decision.Candidates[0].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Recording_the_winner_in_the_history_makes_the_next_decision_respect_the_caps()
    {
        var engine = Engine();
        var catalog = Promo(engine, m => m.OnceEver());
        var customer = Customer();

        var first = engine.Decide(catalog, customer, Trigger.Tick, Now);
        var record = first.Winners[0].ToContactRecord();
        var second = engine.Decide(catalog, customer with { History = customer.History.Append(record) }, Trigger.Tick, Now.AddDays(2));

        Assert.Equal(("promo", Channel.Email, ContactPurpose.Marketing, MessageKind.Give, Now), (record.MessageId, record.Channel, record.Purpose, record.Kind, record.SentAt));
        Assert.Equal(DecisionCodes.MessageCap, second.Candidates[0].Code);
    }
}
