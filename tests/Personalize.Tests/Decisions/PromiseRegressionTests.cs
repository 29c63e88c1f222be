using Personalize.Catalog;
using Personalize.Channels;
using Personalize.Consent;
using Personalize.Customers;
using Personalize.Decisions;
using Personalize.Eligibility;
using Personalize.Timing;
using static Personalize.Tests.Decisions.DecisionKit;

namespace Personalize.Tests.Decisions;

/// <summary>
/// The four violations of the decision engine's promises that issue 20's independent model found, each from its
/// reproduction, and the two questions it left open (see docs/decisions/).
/// </summary>
public sealed class PromiseRegressionTests
{
    private static DateTimeOffset Date(int year, int month, int day) => new(year, month, day, 0, 0, 0, TimeSpan.Zero);

    private static ConsentRecord DoubleOptIn(ConsentScope scope, DateTimeOffset requested)
        => ConsentRecord.Grant(scope, requested, PreferenceCenter, "v2", OptInMethod.Double);

    // Violation 1: an unconfirmed double opt-in cancelled an earlier withdrawal.
    private static readonly ConsentRecord[] WithdrawnThenRequested =
    [
        ConsentRecord.Grant(ConsentScope.ForChannel(Channel.Email, ContactPurpose.Marketing), Date(2026, 1, 1), PreferenceCenter, "v1"),
        ConsentRecord.Withdraw(ConsentScope.ForChannel(Channel.Email), Date(2026, 2, 1), PreferenceCenter),
        DoubleOptIn(ConsentScope.ForChannel(Channel.Email), Date(2026, 3, 1)),
    ];

    [Fact]
    public void An_unconfirmed_double_opt_in_does_not_cancel_an_earlier_withdrawal()
    {
        var eligibility = Engine().Eligibility;
        var customer = Customer(consents: WithdrawnThenRequested);
        var at = Date(2026, 3, 10);

        var marketing = eligibility.CheckConsent(customer, Channel.Email, ContactPurpose.Marketing, at);
        var service = eligibility.CheckConsent(customer, Channel.Email, ContactPurpose.Service, at);

        Assert.Equal(EligibilityCodes.ConsentWithdrawn, marketing.Code);
        Assert.Equal(Date(2026, 2, 1), marketing.Evidence!.RecordedAt);
        Assert.Equal(EligibilityCodes.ConsentWithdrawn, service.Code); // was "allowed: no withdrawal on record"
    }

    [Fact]
    public void An_unconfirmed_double_opt_in_does_not_let_a_marketing_email_out_after_a_withdrawal()
    {
        var engine = Engine();
        var catalog = Compile(engine, b => b.Add("promo", m => m.OnSchedule().Channel(Channel.Email, "t")));

        var decision = engine.Decide(catalog, Customer(consents: WithdrawnThenRequested), Trigger.Tick, Date(2026, 3, 10));

        Assert.False(decision.HasWinner);
        Assert.Equal(EligibilityCodes.ConsentWithdrawn, decision.Candidates[0].Channels[0].Code);
    }

    [Fact]
    public void A_topic_withdrawn_then_requested_again_without_confirmation_still_blocks()
    {
        var engine = Engine();
        var catalog = Compile(engine, b => b.Add("tips", m => m.OnSchedule().Topics("gardening").Channel(Channel.Email, "t")));
        var customer = Customer(consents:
        [
            Grant(Channel.Email),
            GrantTopic("gardening"),
            ConsentRecord.Withdraw(ConsentScope.ForTopic("gardening"), Date(2026, 2, 1), PreferenceCenter),
            DoubleOptIn(ConsentScope.ForTopic("gardening"), Date(2026, 3, 8)),
        ]);

        var decision = engine.Decide(catalog, customer, Trigger.Tick, Date(2026, 3, 10));

        Assert.Equal(DecisionCodes.TopicUnsubscribed, decision.Candidates[0].Code);
    }

    // Violation 2: a customer cap of Max = 0 was ignored when the history was empty.
    [Fact]
    public void A_cap_of_zero_blocks_with_an_empty_history_as_with_any_other()
    {
        var engine = Engine();
        var catalog = Compile(engine, b => b.Add("promo", m => m.OnSchedule().Channel(Channel.Email, "t")));
        var never = new ContactPreferences { ChannelRanking = [Channel.Email], FrequencyCaps = [new FrequencyCap { Max = 0, Period = CapPeriod.Week }] };

        var empty = engine.Decide(catalog, Customer(preferences: never), Trigger.Tick, Now);
        var unrelated = engine.Decide(catalog, Customer(preferences: never, history: [Sent("old", Now.AddDays(-100))]), Trigger.Tick, Now);

        foreach (var decision in new[] { empty, unrelated })
        {
            Assert.False(decision.HasWinner);
            var email = decision.Candidates[0].Channels[0];
            Assert.Equal(DecisionCodes.OverallCap, email.Code);
            Assert.Equal(ChannelStatus.Blocked, email.Status);
            Assert.Null(email.Result.RetryAt);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Option_caps_of_zero_block_with_an_empty_history(bool service)
    {
        var engine = Engine(o =>
        {
            var caps = service ? o.ServiceCaps : o.PromotionalCaps;
            caps.Clear();
            caps.Add(new FrequencyCap { Channel = Channel.Email, Max = 0, Period = CapPeriod.Day });
        });
        var catalog = Compile(engine, b => b.Add("m", m => (service ? m.Service() : m.Marketing()).OnSchedule().Channel(Channel.Email, "t").Channel(Channel.Sms, "s")));

        var decision = engine.Decide(catalog, Customer(), Trigger.Tick, Now);

        Assert.Equal(Channel.Sms, decision.Winners[0].Channel);
        Assert.Equal(DecisionCodes.ChannelCap, decision.Candidates[0].Channels[0].Code);
    }

    // Violation 3: NextAllowed skipped the repeated hour when clocks go back.
    [Fact]
    public void Next_allowed_finds_the_repeated_hour_in_New_York()
    {
        var newYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
        var window = new ContactWindow(newYork, Window(1, 30, 9, 0), null, null);
        var asked = new DateTimeOffset(2026, 11, 1, 5, 45, 0, TimeSpan.Zero); // 01:45 EDT

        var next = window.NextAllowed(asked);

        Assert.Equal(new DateTimeOffset(2026, 11, 1, 6, 0, 0, TimeSpan.Zero), next); // 01:00 EST, not 09:00 EST
        Assert.True(window.IsAllowed(next!.Value));
        Assert.Equal(TimeSpan.FromHours(-5), window.ToLocal(next.Value).Offset);
    }

    [Theory]
    [InlineData("America/New_York", 2026, 11, 1)]
    [InlineData("Europe/Berlin", 2026, 10, 25)]
    [InlineData("Pacific/Auckland", 2026, 4, 5)]
    [InlineData("Pacific/Chatham", 2026, 4, 5)]
    [InlineData("Australia/Lord_Howe", 2026, 4, 5)]
    public void When_clocks_go_back_the_transition_itself_can_be_the_next_allowed_instant(string zoneId, int year, int month, int day)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(zoneId);
        var transition = FallBack(zone, new DateTimeOffset(year, month, day, 0, 0, 0, TimeSpan.Zero).AddDays(-1));
        var before = TimeZoneInfo.ConvertTime(transition.AddTicks(-1), zone); // the last instant on summer time
        var after = TimeZoneInfo.ConvertTime(transition, zone);
        Assert.True(after.DateTime < before.DateTime);

        // Quiet hours start inside the repeated span, after the local time the clocks go back to: asked just before the
        // transition (quiet), the first instant after it shows an earlier, allowed local time.
        var quietStart = TimeOnly.FromDateTime(after.DateTime).AddMinutes(10);
        var window = new ContactWindow(zone, new TimeWindow(quietStart, new TimeOnly(9, 0)), null, null);
        var asked = transition.AddMinutes(-5);
        Assert.True(window.IsQuiet(asked));

        Assert.Equal(transition, window.NextAllowed(asked));
    }

    [Fact]
    public void A_service_sms_on_Chatham_is_not_deferred_a_day_further_than_needed()
    {
        var chatham = TimeZoneInfo.FindSystemTimeZoneById("Pacific/Chatham");
        var engine = Engine();
        var catalog = Compile(engine, b => b.Add("update", m => m.Service().OnEvent("x").Channel(Channel.Sms, "t")));

        // Allowed only 03:00–03:30 local. 5 April 2026 03:45 (+13:45) goes back to 02:45 (+12:45): asked at 03:35 (+13:45),
        // 03:00 comes again 40 minutes later.
        var preferences = new ContactPreferences { ChannelRanking = [Channel.Sms], QuietHours = Window(3, 30, 3, 0) };
        var asked = new DateTimeOffset(2026, 4, 4, 13, 50, 0, TimeSpan.Zero);
        Assert.Equal(new TimeSpan(13, 45, 0), chatham.GetUtcOffset(asked));

        var decision = engine.Decide(catalog, Customer(preferences: preferences, zone: chatham), Trigger.Event("x"), asked);

        var winner = Assert.Single(decision.Winners);
        Assert.Equal(new DateTimeOffset(2026, 4, 4, 14, 15, 0, TimeSpan.Zero), winner.SendAt); // 03:00 +12:45, not the next day
        Assert.True(winner.IsDeferred);
    }

    // Violation 4: winners of one decision broke caps together.
    [Fact]
    public void Two_winners_of_one_decision_do_not_break_the_daily_cap_together()
    {
        var engine = Engine(o => o.MaxWinners = 2);
        var catalog = Compile(engine, b => b
            .Add("first", m => m.OnSchedule().Priority(2).Channel(Channel.Email, "t"))
            .Add("second", m => m.OnSchedule().Priority(1).Channel(Channel.Email, "t")));

        var decision = engine.Decide(catalog, Customer(), Trigger.Tick, Now);

        Assert.Equal(["first", "second"], decision.Winners.Select(w => w.MessageId));
        Assert.Equal(Now, decision.Winners[0].SendAt);
        Assert.Equal(Now.AddDays(1), decision.Winners[1].SendAt); // the 1-per-day cap: the first leaves the window then
        Assert.True(decision.Winners[1].IsDeferred);
        Assert.Equal(DecisionCodes.OverallCap, Outcome(decision, "second").Channels[0].Result.Code);
    }

    [Fact]
    public void A_send_now_waits_when_it_would_overfill_the_window_of_a_deferred_winner()
    {
        // The better message goes by email, deferred by quiet hours to 13:00 Berlin; the other goes in-app (no timing).
        // Sent now, the in-app message would share the 24 hours up to 13:00 with the email: 2 against a cap of 1.
        var engine = Engine(o =>
        {
            o.MaxWinners = 2;
            o.PromotionalCaps.Clear();
            o.PromotionalCaps.Add(new FrequencyCap { Max = 1, Period = CapPeriod.Day });
        });
        var catalog = Compile(engine, b => b
            .Add("email", m => m.OnSchedule().Priority(2).Channel(Channel.Email, "t"))
            .Add("in-app", m => m.OnSchedule().Priority(1).Channel(Channel.InApp, "t")));
        var customer = Customer(
            consents: [Grant(Channel.Email), Grant(Channel.InApp)],
            preferences: new ContactPreferences { ChannelRanking = [Channel.Email, Channel.InApp], QuietHours = Window(10, 0, 13, 0) });

        var decision = engine.Decide(catalog, customer, Trigger.Tick, Now); // 11:00 Berlin

        var email = decision.Winners.Single(w => w.MessageId == "email");
        var inApp = decision.Winners.Single(w => w.MessageId == "in-app");
        Assert.Equal(Now.AddHours(2), email.SendAt);
        Assert.Equal(email.SendAt.AddDays(1), inApp.SendAt);
        var reason = Outcome(decision, "in-app").Channels[0].Reason;
        Assert.Contains("when one is already due", reason);
    }

    [Fact]
    public void A_withdrawal_between_the_decision_and_a_deferred_send_stops_it_even_if_consent_is_given_again_before_the_send()
    {
        var engine = Engine();
        var catalog = Compile(engine, b => b.Add("news", m => m.OnSchedule().Channel(Channel.Email, "t")));
        var quiet = new ContactPreferences { ChannelRanking = [Channel.Email], QuietHours = Window(22, 0, 7, 0) };
        var evening = new DateTimeOffset(2026, 3, 11, 22, 0, 0, TimeSpan.Zero); // 23:00 Berlin: deferred to 07:00 (06:00 UTC)
        var email = ConsentScope.ForChannel(Channel.Email);
        var customer = Customer(preferences: quiet, consents:
        [
            Grant(Channel.Email),
            ConsentRecord.Withdraw(email, evening.AddHours(1), PreferenceCenter),
            ConsentRecord.Grant(email, evening.AddHours(2), PreferenceCenter, "v2"),
        ]);

        var decision = engine.Decide(catalog, customer, Trigger.Tick, evening);

        Assert.False(decision.HasWinner);
        Assert.Equal(EligibilityCodes.ConsentWithdrawn, decision.Candidates[0].Channels[0].Code);
    }

    // Open question 1 (docs/decisions/0021): a topic unsubscribe stops service messages that carry the topic.
    [Fact]
    public void A_topic_unsubscribe_stops_a_service_message_on_that_topic_but_service_needs_no_subscription()
    {
        var engine = Engine();
        var catalog = Compile(engine, b => b
            .Add("billing", m => m.Service().OnEvent("x").Topics("billing").Channel(Channel.Email, "t"))
            .Add("shipping", m => m.Service().OnEvent("x").Priority(0.5).Topics("shipping").Channel(Channel.Email, "t")));
        var customer = Customer(consents: [ConsentRecord.Withdraw(ConsentScope.ForTopic("billing"), Date(2026, 2, 1), PreferenceCenter)]);

        var decision = engine.Decide(catalog, customer, Trigger.Event("x"), Now, DecisionDetail.All);

        Assert.Equal(DecisionCodes.TopicUnsubscribed, Outcome(decision, "billing").Code);
        Assert.Equal("shipping", Assert.Single(decision.Winners).MessageId);
        Assert.Equal(EligibilityCodes.TopicWithdrawn, engine.Eligibility.CheckConsent(customer, Channel.Email, ContactPurpose.Service, Now, "billing").Code);
    }

    // Open question 2 (docs/decisions/0020): a purpose grant is consent on every channel without a grant or withdrawal of its own.
    [Fact]
    public void A_purpose_grant_is_consent_on_every_channel_that_has_no_record_of_its_own()
    {
        var eligibility = Engine().Eligibility;
        var marketing = ConsentScope.ForPurpose(ContactPurpose.Marketing);
        var everywhere = Customer(consents: [ConsentRecord.Grant(marketing, Date(2026, 2, 1), PreferenceCenter, "all-marketing")]);
        var emailWithdrawnBefore = Customer(consents:
        [
            ConsentRecord.Withdraw(ConsentScope.ForChannel(Channel.Email), Date(2026, 1, 1), PreferenceCenter),
            ConsentRecord.Grant(marketing, Date(2026, 2, 1), PreferenceCenter, "all-marketing"),
        ]);
        var grantThenWithdrawn = Customer(consents:
        [
            ConsentRecord.Grant(marketing, Date(2026, 1, 1), PreferenceCenter, "all-marketing"),
            ConsentRecord.Withdraw(marketing, Date(2026, 2, 1), PreferenceCenter),
        ]);

        var sms = eligibility.CheckConsent(everywhere, Channel.Sms, ContactPurpose.Marketing, Now);
        Assert.Equal(EligibilityCodes.Allowed, sms.Code);
        Assert.Equal("all-marketing", sms.Evidence!.WordingVersion);
        Assert.Equal(EligibilityCodes.ConsentMissing, eligibility.CheckConsent(everywhere, Channel.Sms, ContactPurpose.Relationship, Now).Code);
        Assert.Equal(EligibilityCodes.ConsentMissing, eligibility.CheckConsent(everywhere, Channel.Sms, ContactPurpose.Marketing, Date(2026, 1, 15)).Code);
        Assert.Equal(EligibilityCodes.ConsentWithdrawn, eligibility.CheckConsent(emailWithdrawnBefore, Channel.Email, ContactPurpose.Marketing, Now).Code);
        Assert.Equal(EligibilityCodes.Allowed, eligibility.CheckConsent(emailWithdrawnBefore, Channel.Sms, ContactPurpose.Marketing, Now).Code);
        Assert.Equal(EligibilityCodes.PurposeWithdrawn, eligibility.CheckConsent(grantThenWithdrawn, Channel.Sms, ContactPurpose.Marketing, Now).Code);
    }

    [Fact]
    public void A_purpose_grant_lets_a_marketing_message_out_in_a_decision()
    {
        var engine = Engine();
        var catalog = Compile(engine, b => b.Add("promo", m => m.OnSchedule().Channel(Channel.Sms, "t")));
        var customer = Customer(consents: [ConsentRecord.Grant(ConsentScope.ForPurpose(ContactPurpose.Marketing), Date(2026, 2, 1), PreferenceCenter, "all-marketing")]);

        var decision = engine.Decide(catalog, customer, Trigger.Tick, Now);

        Assert.Equal(Channel.Sms, Assert.Single(decision.Winners).Channel);
    }

    /// <summary>The first instant after <paramref name="from"/> where the zone's offset goes down (clocks go back).</summary>
    private static DateTimeOffset FallBack(TimeZoneInfo zone, DateTimeOffset from)
    {
        for (var t = from; t < from.AddDays(3); t = t.AddMinutes(15))
        {
            if (zone.GetUtcOffset(t.AddMinutes(15)) < zone.GetUtcOffset(t))
            {
                var low = t;
                var high = t.AddMinutes(15);
                while (high - low > TimeSpan.FromSeconds(1))
                {
                    var mid = low + ((high - low) / 2);
                    if (zone.GetUtcOffset(mid) == zone.GetUtcOffset(t))
                    {
                        low = mid;
                    }
                    else
                    {
                        high = mid;
                    }
                }

                return new DateTimeOffset(high.UtcTicks / TimeSpan.TicksPerMinute * TimeSpan.TicksPerMinute, TimeSpan.Zero);
            }
        }

        throw new InvalidOperationException($"No fall-back transition in {zone.Id} within 3 days of {from:O}.");
    }
}
