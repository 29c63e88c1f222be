using Personalize.Catalog;
using Personalize.Channels;
using Personalize.Customers;
using Personalize.Decisions;
using static Personalize.Tests.Decisions.DecisionKit;

namespace Personalize.Tests.Decisions;

public sealed class TimingTests
{
    [Fact]
    public void Quiet_hours_across_midnight_defer_to_their_end_the_next_morning()
    {
        var engine = Engine();
        var catalog = Compile(engine, b => b.Add("promo", m => m.OnSchedule().Channel(Channel.Email, "t")));
        var customer = Customer(preferences: new ContactPreferences { ChannelRanking = [Channel.Email], QuietHours = Window(22, 0, 7, 0) });
        var lateEvening = new DateTimeOffset(2026, 3, 11, 22, 30, 0, TimeSpan.Zero); // 23:30 in Berlin
        var afterMidnight = new DateTimeOffset(2026, 3, 11, 23, 30, 0, TimeSpan.Zero); // 00:30 in Berlin

        var evening = engine.Decide(catalog, customer, Trigger.Tick, lateEvening);
        var night = engine.Decide(catalog, customer, Trigger.Tick, afterMidnight);

        var expected = new DateTimeOffset(2026, 3, 12, 7, 0, 0, TimeSpan.FromHours(1));
        Assert.Equal(expected, evening.Winners[0].SendAt);
        Assert.Equal(expected, night.Winners[0].SendAt);
        Assert.True(night.Winners[0].IsDeferred);
        Assert.Equal(
            "Deferred to Thu 12 March 2026 07:00 Europe/Berlin: quiet hours 22:00–07:00 in Europe/Berlin (local time Thu 00:30); next allowed Thu 12 March 2026 07:00.",
            night.Candidates[0].Channels[0].Reason);
        Assert.False(engine.Decide(catalog, customer, Trigger.Tick, new DateTimeOffset(2026, 3, 12, 6, 0, 0, TimeSpan.Zero)).Winners[0].IsDeferred); // 07:00 local
    }

    [Fact]
    public void Quiet_hours_ending_in_the_spring_forward_gap_end_at_the_gap_end()
    {
        // Berlin springs forward on 29 March 2026: 02:00 local becomes 03:00 (01:00 UTC).
        var engine = Engine();
        var catalog = Compile(engine, b => b.Add("promo", m => m.OnSchedule().Channel(Channel.Email, "t")));
        var customer = Customer(preferences: new ContactPreferences { ChannelRanking = [Channel.Email], QuietHours = Window(22, 0, 2, 30) });

        var decision = engine.Decide(catalog, customer, Trigger.Tick, new DateTimeOffset(2026, 3, 28, 23, 0, 0, TimeSpan.Zero));

        Assert.Equal(new DateTimeOffset(2026, 3, 29, 1, 0, 0, TimeSpan.Zero), decision.Winners[0].SendAt);
    }

    [Fact]
    public void Quiet_hours_in_autumn_fall_back_end_once_at_the_first_occurrence()
    {
        // Berlin falls back on 25 October 2026: 03:00 CEST becomes 02:00 CET; 02:30 happens twice.
        var engine = Engine();
        var catalog = Compile(engine, b => b.Add("promo", m => m.OnSchedule().Channel(Channel.Email, "t")));
        var customer = Customer(preferences: new ContactPreferences { ChannelRanking = [Channel.Email], QuietHours = Window(22, 0, 2, 30) });

        var decision = engine.Decide(catalog, customer, Trigger.Tick, new DateTimeOffset(2026, 10, 24, 22, 0, 0, TimeSpan.Zero));

        Assert.Equal(new DateTimeOffset(2026, 10, 25, 0, 30, 0, TimeSpan.Zero), decision.Winners[0].SendAt); // 02:30 CEST
    }

    [Fact]
    public void Preferred_hours_apply_to_marketing_but_not_to_service()
    {
        var engine = Engine(o => o.MaxWinners = 2);
        var catalog = Compile(engine, b => b
            .Add("promo", m => m.OnSchedule().Channel(Channel.Email, "t"))
            .Add("update", m => m.Service().OnSchedule().Channel(Channel.Email, "t")));
        var customer = Customer(preferences: new ContactPreferences { ChannelRanking = [Channel.Email], PreferredHours = [Window(18, 0, 20, 0)] });

        var decision = engine.Decide(catalog, customer, Trigger.Tick, Now);

        Assert.Equal(new DateTimeOffset(2026, 3, 11, 18, 0, 0, TimeSpan.FromHours(1)), Outcome(decision, "promo").SendAt);
        Assert.Equal(DecisionCodes.OutsidePreferredTime, Outcome(decision, "promo").Channels[0].Result.Code);
        Assert.Equal(Now, Outcome(decision, "update").SendAt);
    }

    [Fact]
    public void A_deferral_past_the_expiry_is_not_made()
    {
        var engine = Engine();
        var catalog = Compile(engine, b => b
            .Add("flash", m => m.OnSchedule().ExpiresAt(new DateTimeOffset(2026, 3, 12, 5, 59, 0, TimeSpan.Zero)).Channel(Channel.Email, "t"))
            .Add("shipped", m => m.Service().OnEvent("order_shipped").MaxDelay(TimeSpan.FromHours(8)).Channel(Channel.Sms, "t")));
        var customer = Customer(preferences: new ContactPreferences { ChannelRanking = [Channel.Email, Channel.Sms], QuietHours = Window(22, 0, 7, 0) });
        var at = new DateTimeOffset(2026, 3, 11, 22, 0, 0, TimeSpan.Zero); // 23:00 local, allowed again 07:00 local = 06:00 UTC

        var flash = engine.Decide(catalog, customer, Trigger.Tick, at);
        var shipped = engine.Decide(catalog, customer, Trigger.Event("order_shipped"), at);
        var shippedOneMinuteEarlier = engine.Decide(catalog, customer, Trigger.Event("order_shipped"), at.AddMinutes(-1)); // 8 h later is 06:59 local

        Assert.False(flash.HasWinner);
        var channel = flash.Candidates[0].Channels[0];
        Assert.Equal(DecisionCodes.PastExpiry, channel.Code);
        Assert.StartsWith("The next allowed time, Thu 12 March 2026 07:00 Europe/Berlin, is after the message expires (Thu 12 March 2026 06:59 Europe/Berlin)", channel.Reason, StringComparison.Ordinal);
        Assert.Equal(new DateTimeOffset(2026, 3, 12, 6, 0, 0, TimeSpan.Zero), shipped.Winners[0].SendAt); // 8 h after 23:00 is 07:00 local: just in time
        Assert.False(shippedOneMinuteEarlier.HasWinner);
        Assert.Equal(DecisionCodes.PastExpiry, shippedOneMinuteEarlier.Candidates[0].Channels[0].Code);
    }

    [Fact]
    public void Exactly_at_the_expiry_limit_the_deferral_is_allowed()
    {
        var engine = Engine();
        var at = new DateTimeOffset(2026, 3, 11, 22, 0, 0, TimeSpan.Zero);
        var catalog = Compile(engine, b => b.Add("flash", m => m.OnSchedule().ExpiresAt(new DateTimeOffset(2026, 3, 12, 6, 0, 0, TimeSpan.Zero)).Channel(Channel.Email, "t")));
        var customer = Customer(preferences: new ContactPreferences { ChannelRanking = [Channel.Email], QuietHours = Window(22, 0, 7, 0) });

        var decision = engine.Decide(catalog, customer, Trigger.Tick, at);

        Assert.Equal(new DateTimeOffset(2026, 3, 12, 6, 0, 0, TimeSpan.Zero), decision.Winners[0].SendAt);
    }

    [Fact]
    public void Channels_without_timing_go_during_quiet_hours()
    {
        var engine = Engine();
        var catalog = Compile(engine, b => b.Add("banner", m => m.OnSchedule().Channel(Channel.Email, "t").Channel(Channel.InApp, "t2")));
        var customer = Customer(
            consents: [Grant(Channel.Email), Grant(Channel.InApp)],
            preferences: new ContactPreferences { ChannelRanking = [Channel.Email, Channel.InApp], QuietHours = Window(9, 0, 17, 0) });

        var decision = engine.Decide(catalog, customer, Trigger.Tick, Now);

        Assert.Equal(Channel.InApp, decision.Winners[0].Channel);
        Assert.False(decision.Winners[0].IsDeferred);
        Assert.Equal(ChannelStatus.Deferred, decision.Candidates[0].Channels[0].Status);
    }
}
