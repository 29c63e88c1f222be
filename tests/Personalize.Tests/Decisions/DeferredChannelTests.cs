using Personalize.Catalog;
using Personalize.Channels;
using Personalize.Consent;
using Personalize.Customers;
using Personalize.Decisions;
using Personalize.Eligibility;
using static Personalize.Tests.Decisions.DecisionKit;

namespace Personalize.Tests.Decisions;

/// <summary>
/// Deferred sends: at a deferral's instant the engine judges each channel again, but does not ask timing again at the
/// instant timing itself gave, nor consent when nothing was recorded after the decision. These cases are the ones
/// where an answer does change after the decision instant — a cap that frees inside quiet hours, a withdrawal dated
/// before the deferred send — on nights that wrap midnight and cross a DST change, one at a time and in a batch.
/// </summary>
public sealed class DeferredChannelTests
{
    private static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
    private static readonly TimeZoneInfo Auckland = TimeZoneInfo.FindSystemTimeZoneById("Pacific/Auckland");

    // New York springs forward on Sunday 8 March 2026: 02:00 EST becomes 03:00 EDT (07:00 UTC).
    private static readonly DateTimeOffset SaturdayNineEvening = new(2026, 3, 8, 2, 0, 0, TimeSpan.Zero); // 21:00 EST on the 7th
    private static readonly DateTimeOffset SundaySevenMorning = new(2026, 3, 8, 11, 0, 0, TimeSpan.Zero); // 07:00 EDT

    [Fact]
    public void Every_channel_in_quiet_hours_across_midnight_and_spring_forward_defers_to_their_end()
    {
        var (engine, catalog) = Setup();
        var customer = Night("night", NewYork);

        var decision = engine.Decide(catalog, customer, Trigger.Tick, SaturdayNineEvening.AddHours(2.5)); // 23:30 EST

        Assert.Equal(SundaySevenMorning, decision.Winners[0].SendAt);
        Assert.Equal(Channel.Email, decision.Winners[0].Channel);
        Assert.All(decision.Candidates[0].Channels, c => Assert.Equal((ChannelStatus.Deferred, SundaySevenMorning), (c.Status, c.SendAt!.Value)));
        Assert.Equal([Channel.Email, Channel.Sms, Channel.Push], decision.Candidates[0].Channels.Select(c => c.Channel));
    }

    [Fact]
    public void A_cap_that_frees_inside_quiet_hours_defers_again_to_their_end()
    {
        // One promotional message a day: yesterday's at 23:00 EST frees the cap at 23:00 tonight — quiet hours, so the
        // send goes at their end, 07:00 EDT after the clocks went forward (timing is judged again at the cap's instant).
        var (engine, catalog) = Setup();
        var customer = Night("capped", NewYork, history: [Sent("earlier", new DateTimeOffset(2026, 3, 7, 4, 0, 0, TimeSpan.Zero))]);

        var decision = engine.Decide(catalog, customer, Trigger.Tick, SaturdayNineEvening);

        Assert.Equal(SundaySevenMorning, decision.Winners[0].SendAt);
        var email = decision.Candidates[0].Channels[0];
        Assert.Equal(DecisionCodes.OverallCap, email.Result.Code);
        Assert.Equal(new DateTimeOffset(2026, 3, 8, 4, 0, 0, TimeSpan.Zero), email.Result.RetryAt); // 23:00 EST, in quiet hours
    }

    [Fact]
    public void A_withdrawal_dated_before_the_deferred_send_blocks_that_channel_only()
    {
        // Email is withdrawn at 04:00 EDT, after the decision (23:30 EST) and before the quiet hours end (07:00 EDT):
        // consent is judged again up to the send instant, so SMS goes instead.
        var (engine, catalog) = Setup();
        var withdrawal = ConsentRecord.Withdraw(ConsentScope.ForChannel(Channel.Email), new DateTimeOffset(2026, 3, 8, 8, 0, 0, TimeSpan.Zero), PreferenceCenter);
        var customer = Night("withdrawn", NewYork, consents: [Grant(Channel.Email), Grant(Channel.Sms), Grant(Channel.Push), withdrawal]);

        var decision = engine.Decide(catalog, customer, Trigger.Tick, SaturdayNineEvening.AddHours(2.5));

        Assert.Equal((Channel.Sms, SundaySevenMorning), (decision.Winners[0].Channel, decision.Winners[0].SendAt));
        Assert.Equal(EligibilityCodes.ConsentWithdrawn, decision.Candidates[0].Channels[0].Code);
    }

    [Fact]
    public void Quiet_hours_across_midnight_on_the_night_clocks_go_back_end_once()
    {
        // Auckland falls back on Sunday 5 April 2026: 03:00 NZDT becomes 02:00 NZST. Quiet hours 22:00–07:00 end at
        // 07:00 NZST (19:00 UTC on the 4th), 13 hours after 22:00 NZDT.
        var (engine, catalog) = Setup();
        var customer = Night("auckland", Auckland);

        var decision = engine.Decide(catalog, customer, Trigger.Tick, new DateTimeOffset(2026, 4, 4, 9, 0, 0, TimeSpan.Zero)); // 22:00 NZDT

        Assert.Equal(new DateTimeOffset(2026, 4, 4, 19, 0, 0, TimeSpan.Zero), decision.Winners[0].SendAt);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(null)]
    public void DecideMany_gives_each_deferred_customer_the_decision_Decide_gives(int? threads)
    {
        var (engine, catalog) = Setup();
        var withdrawal = ConsentRecord.Withdraw(ConsentScope.ForChannel(Channel.Email), new DateTimeOffset(2026, 3, 8, 8, 0, 0, TimeSpan.Zero), PreferenceCenter);
        CustomerProfile[] kinds =
        [
            Night("night", NewYork),
            Night("capped", NewYork, history: [Sent("earlier", new DateTimeOffset(2026, 3, 7, 4, 0, 0, TimeSpan.Zero))]),
            Night("withdrawn", NewYork, consents: [Grant(Channel.Email), Grant(Channel.Sms), Grant(Channel.Push), withdrawal]),
            Night("auckland", Auckland),
            Customer("daytime", zone: NewYork),
        ];
        var batch = Enumerable.Range(0, 300).Select(i => kinds[i % kinds.Length]).ToArray();

        foreach (var at in new[] { SaturdayNineEvening, SaturdayNineEvening.AddHours(2.5), new DateTimeOffset(2026, 4, 4, 9, 0, 0, TimeSpan.Zero) })
        {
            var decisions = engine.DecideMany(catalog, batch, Trigger.Tick, at, threads);

            var deferred = 0;
            for (var i = 0; i < batch.Length; i++)
            {
                Assert.Equal(engine.Decide(catalog, batch[i], Trigger.Tick, at).ToJson(), decisions[i].ToJson());
                deferred += decisions[i].Winners is [{ IsDeferred: true }] ? 1 : 0;
            }

            Assert.True(deferred >= batch.Length / 5, $"at {at:O} only {deferred} of {batch.Length} decisions were deferred");
        }
    }

    private static (DecisionEngine Engine, CompiledCatalog Catalog) Setup()
    {
        var engine = Engine();
        var catalog = Compile(engine, b => b.Add("promo", m => m.OnSchedule().Channel(Channel.Email, "t").Channel(Channel.Sms, "t").Channel(Channel.Push, "t")));
        return (engine, catalog);
    }

    /// <summary>A customer with quiet hours 22:00–07:00 (across midnight) in <paramref name="zone"/>.</summary>
    private static CustomerProfile Night(string id, TimeZoneInfo zone, IEnumerable<ContactRecord>? history = null, IEnumerable<ConsentRecord>? consents = null)
        => Customer(id, zone: zone, history: history, consents: consents, preferences: new ContactPreferences
        {
            ChannelRanking = [Channel.Email, Channel.Sms, Channel.Push],
            QuietHours = Window(22, 0, 7, 0),
        });
}
