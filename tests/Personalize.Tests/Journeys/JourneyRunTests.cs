using Personalize.Channels;
using Personalize.Consent;
using Personalize.Customers;
using Personalize.Decisions;
using Personalize.Delivery.Sinks;
using Personalize.Journeys;
using Personalize.Sending;
using Personalize.Storage;
using Personalize.Storage.Contract;
using Personalize.Tests.Decisions;
using Personalize.Tests.Sending;
using static Personalize.Tests.Events.EventKit;
using static Personalize.Tests.Journeys.JourneyKit;

namespace Personalize.Tests.Journeys;

/// <summary>Journeys run: each step kind, exits, suppressed steps under each policy, crashes, re-entry and versions.</summary>
public sealed class JourneyRunTests
{
    private static JourneyBuilder Renewal() => new JourneyBuilder("renewal")
        .EnteredOn("event:renewal_due")
        .ExitOnEvent("renewed");

    [Fact]
    public async Task Every_step_kind_runs_in_order_as_the_clock_moves()
    {
        var kit = await CreateAsync(Customer("c-1"));
        var set = kit.Set(Renewal()
            .Send("call", "call", Channel.Phone)
            .Wait("two_days", TimeSpan.FromHours(48))
            .Send("letter", "reminder")
            .WaitUntil("monday_morning", new TimeOnly(10, 0), DayOfWeek.Monday)
            .WaitFor("survey", "survey_answered", TimeSpan.FromDays(3), onEvent: "check", onTimeout: "nudge")
            .Send("nudge", "reminder", Channel.Sms)
            .Branch("check", "customer.facts.nps_score != null && customer.facts.nps_score >= 9", then: "promo", otherwise: "end")
            .Send("promo", "promo")
            .Build(kit.Catalog));

        var entered = await kit.IngestAsync(set, T0, Event("e-1", "c-1", "renewal_due", T0.AddMinutes(-5)));
        Assert.Equal(1, entered.Journeys!.Entered);
        Assert.Equal(["c-1:call:phone"], kit.Sent());
        Assert.Equal(T0.AddHours(48), (await kit.InstanceAsync("c-1")).WakeAt); // the wait counts from the step's start

        var early = await kit.AdvanceAsync(set, T0.AddHours(47));
        Assert.Equal(0, early.Instances);
        await kit.AdvanceAsync(set, T0.AddHours(48)); // Friday 13 March: the letter (email first in the ranking), then wait for Monday 10:00 in Berlin
        Assert.Equal(["c-1:call:phone", "c-1:reminder:email"], kit.Sent());
        var waiting = await kit.InstanceAsync("c-1");
        Assert.Equal(("monday_morning", new DateTimeOffset(2026, 3, 16, 9, 0, 0, TimeSpan.Zero)), (waiting.StepId, waiting.WakeAt!.Value));

        await kit.AdvanceAsync(set, new DateTimeOffset(2026, 3, 16, 9, 0, 0, TimeSpan.Zero)); // now waiting for the survey, 3 days
        Assert.Equal(("survey", "survey_answered"), ((await kit.InstanceAsync("c-1")).StepId, (await kit.InstanceAsync("c-1")).WaitingFor));
        await kit.AdvanceAsync(set, new DateTimeOffset(2026, 3, 19, 9, 0, 0, TimeSpan.Zero)); // timed out: the SMS nudge, then the branch (no NPS: else = end)

        var done = await kit.InstanceAsync("c-1");
        Assert.Equal(JourneyStatus.Completed, done.Status);
        Assert.Equal(["c-1:call:phone", "c-1:reminder:email", "c-1:reminder:sms"], kit.Sent());
        Assert.Equal(
            ["call:sent", "two_days:waiting", "two_days:waited", "letter:sent", "monday_morning:waiting", "monday_morning:waited", "survey:waiting", "survey:timed_out", "nudge:sent", "check:branched", "check:completed"],
            Steps(done));
        Assert.Equal("else end", done.History.Single(h => h.Outcome == JourneyOutcomes.Branched).Detail);
    }

    [Fact]
    public async Task An_awaited_event_takes_its_branch_and_a_condition_on_the_answer_chooses_the_next_step()
    {
        var kit = await CreateAsync(Customer("c-1"));
        var set = kit.Set(Renewal()
            .WaitFor("survey", "nps_answered", TimeSpan.FromDays(3), onEvent: "check", onTimeout: "end")
            .Branch("check", "customer.facts.nps_score >= 9", then: "promo", otherwise: "end")
            .Send("promo", "promo")
            .Build(kit.Catalog));
        await kit.IngestAsync(set, T0, Event("e-1", "c-1", "renewal_due", T0));

        await kit.IngestAsync(set, T0.AddHours(5), Event("e-2", "c-1", "nps_answered", T0.AddHours(4), """{"score":10}"""));

        var done = await kit.InstanceAsync("c-1");
        Assert.Equal(["survey:waiting", "survey:event_received", "check:branched", "promo:sent", "promo:completed"], Steps(done));
        Assert.Equal("e-2", done.History[2].Detail);
        Assert.Equal(["c-1:promo:email"], kit.Sent());
    }

    [Fact]
    public async Task An_exit_event_between_two_steps_ends_the_journey_at_once_and_no_later_step_runs()
    {
        var kit = await CreateAsync(Customer("c-1"), Customer("c-2"));
        var set = kit.Set(Renewal().Send("call", "call", Channel.Phone).Wait("two_days", TimeSpan.FromDays(2)).Send("letter", "reminder").Build(kit.Catalog));
        await kit.IngestAsync(set, T0, Event("e-1", "c-1", "renewal_due", T0), Event("e-2", "c-2", "renewal_due", T0));

        var exit = await kit.IngestAsync(set, T0.AddHours(10), Event("e-3", "c-1", "renewed", T0.AddHours(9)));
        await kit.AdvanceAsync(set, T0.AddDays(3));

        var left = await kit.InstanceAsync("c-1");
        Assert.Equal((JourneyStatus.Exited, "renewed"), (left.Status, left.ExitReason));
        Assert.Equal(1, exit.Journeys!.Exited["renewed"]);
        Assert.Equal(["c-1:call:phone", "c-2:call:phone", "c-2:reminder:email"], kit.Sent());
    }

    [Fact]
    public async Task An_exit_condition_is_checked_before_every_step()
    {
        var kit = await CreateAsync(Customer("c-1"));
        var set = kit.Set(Renewal().ExitWhen("complaint", "customer.open_complaint").Send("call", "call", Channel.Phone).Wait("two_days", TimeSpan.FromDays(2)).Send("letter", "reminder").Build(kit.Catalog));
        await kit.IngestAsync(set, T0, Event("e-1", "c-1", "renewal_due", T0));

        await kit.IngestAsync(set, T0.AddDays(1), Event("e-2", "c-1", "complaint_opened", T0.AddDays(1)));

        var left = await kit.InstanceAsync("c-1");
        Assert.Equal((JourneyStatus.Exited, "complaint"), (left.Status, left.ExitReason));
        Assert.Equal(["c-1:call:phone"], kit.Sent());
    }

    [Theory]
    [InlineData(SuppressedStepPolicy.Skip)]
    [InlineData(SuppressedStepPolicy.Exit)]
    public async Task A_step_whose_channel_the_customer_withdrew_is_skipped_or_ends_the_journey_with_the_reason(SuppressedStepPolicy policy)
    {
        var withdrawn = ConsentRecord.Withdraw(ConsentScope.ForChannel(Channel.Phone), T0.AddDays(-1), DecisionKit.PreferenceCenter);
        var kit = await CreateAsync(Customer("c-1", consents: [DecisionKit.Grant(Channel.Email), DecisionKit.Grant(Channel.Phone), withdrawn]));
        var set = kit.Set(Renewal().Send("call", "call", Channel.Phone, policy).Send("letter", "reminder").Build(kit.Catalog));

        await kit.IngestAsync(set, T0, Event("e-1", "c-1", "renewal_due", T0));

        var instance = await kit.InstanceAsync("c-1");
        var skipped = instance.History.First(h => h.StepId == "call");
        Assert.Equal(JourneyOutcomes.Skipped, skipped.Outcome);
        Assert.StartsWith("consent.", skipped.Detail, StringComparison.Ordinal);
        if (policy == SuppressedStepPolicy.Skip)
        {
            Assert.Equal(JourneyStatus.Completed, instance.Status);
            Assert.Equal(["c-1:reminder:email"], kit.Sent());
        }
        else
        {
            Assert.Equal((JourneyStatus.Exited, skipped.Detail), (instance.Status, instance.ExitReason));
            Assert.Empty(kit.Sent());
        }
    }

    [Fact]
    public async Task A_retried_step_is_tried_again_after_its_wait_and_goes_out_once_the_customer_allows_it()
    {
        var kit = await CreateAsync(Customer("c-1", consents: [DecisionKit.Grant(Channel.Email)]));
        var set = kit.Set(Renewal().Step(new SendStep { Id = "call", MessageId = "call", Channel = Channel.Phone, WhenSuppressed = SuppressedStepPolicy.Retry, RetryAfter = TimeSpan.FromDays(1), MaxAttempts = 3 }).Build(kit.Catalog));
        await kit.IngestAsync(set, T0, Event("e-1", "c-1", "renewal_due", T0));
        Assert.Equal(T0.AddDays(1), (await kit.InstanceAsync("c-1")).WakeAt);

        await kit.Store.AppendConsentAsync("c-1", [ConsentRecord.Grant(ConsentScope.ForChannel(Channel.Phone), T0.AddHours(2), DecisionKit.PreferenceCenter, "v1")]);
        await kit.AdvanceAsync(set, T0.AddDays(1));

        Assert.Equal(["call:retrying", "call:sent", "call:completed"], Steps(await kit.InstanceAsync("c-1")));
        Assert.Equal(["c-1:call:phone"], kit.Sent());
    }

    [Fact]
    public async Task A_retried_step_is_skipped_after_its_last_attempt()
    {
        var kit = await CreateAsync(Customer("c-1", consents: [DecisionKit.Grant(Channel.Email)]));
        var set = kit.Set(Renewal().Step(new SendStep { Id = "call", MessageId = "call", Channel = Channel.Phone, WhenSuppressed = SuppressedStepPolicy.Retry, RetryAfter = TimeSpan.FromDays(1), MaxAttempts = 2 }).Send("letter", "reminder").Build(kit.Catalog));
        await kit.IngestAsync(set, T0, Event("e-1", "c-1", "renewal_due", T0));

        await kit.AdvanceAsync(set, T0.AddDays(1));

        var instance = await kit.InstanceAsync("c-1");
        Assert.Equal(["call:retrying", "call:skipped", "letter:sent", "letter:completed"], Steps(instance));
        Assert.EndsWith("(after 2 attempts)", instance.History[2].Detail, StringComparison.Ordinal);
        Assert.Equal(["c-1:reminder:email"], kit.Sent());
    }

    [Fact]
    public async Task A_step_in_quiet_hours_waits_for_the_next_allowed_time_and_then_sends()
    {
        var quiet = new ContactPreferences { ChannelRanking = [Channel.Email], QuietHours = DecisionKit.Window(21, 0, 8, 0) };
        var kit = await CreateAsync(Customer("c-1", preferences: quiet));
        var set = kit.Set(Renewal().Send("letter", "reminder").Build(kit.Catalog));
        var night = new DateTimeOffset(2026, 3, 11, 22, 0, 0, TimeSpan.Zero); // 23:00 in Berlin

        await kit.IngestAsync(set, night, Event("e-1", "c-1", "renewal_due", night));
        var deferred = await kit.InstanceAsync("c-1");
        var morning = new DateTimeOffset(2026, 3, 12, 7, 0, 0, TimeSpan.Zero); // 08:00 in Berlin
        Assert.Equal((JourneyStatus.Active, morning), (deferred.Status, deferred.WakeAt!.Value));
        Assert.Equal(JourneyOutcomes.Deferred, deferred.History[^1].Outcome);
        Assert.Empty(kit.Sent());

        await kit.AdvanceAsync(set, morning);

        Assert.Equal(["c-1:reminder:email"], kit.Sent());
        Assert.Equal(morning, kit.Sink.Messages[0].SendAt);
    }

    [Fact]
    public async Task A_promotion_step_waits_behind_an_open_complaint_service_before_promotion()
    {
        var kit = await CreateAsync(Customer("c-1", flags: new ServiceFlags { OpenComplaint = true }));
        var set = kit.Set(Renewal().Send("promo", "promo").Send("letter", "reminder").Build(kit.Catalog));

        await kit.IngestAsync(set, T0, Event("e-1", "c-1", "renewal_due", T0));

        var instance = await kit.InstanceAsync("c-1");
        Assert.Equal(("promo", JourneyOutcomes.Skipped, DecisionCodes.OpenComplaint), (instance.History[1].StepId, instance.History[1].Outcome, instance.History[1].Detail));
        Assert.Equal(["c-1:reminder:email"], kit.Sent());
    }

    [Fact]
    public async Task A_crash_before_the_steps_write_repeats_nothing_and_skips_nothing()
    {
        var kit = await CreateAsync(Customer("c-1"));
        var set = kit.Set(Renewal().Send("call", "call", Channel.Phone).Wait("two_days", TimeSpan.FromDays(2)).Send("letter", "reminder").Build(kit.Catalog));
        await kit.IngestAsync(set, T0, Event("e-1", "c-1", "renewal_due", T0));
        var crashing = new CrashingStore(kit.Store, failBefore: 1, failAfter: 0);

        await Assert.ThrowsAsync<IOException>(() => kit.AdvanceAsync(set, T0.AddDays(2), crashing));
        Assert.Equal(["c-1:call:phone"], kit.Sent());
        await kit.AdvanceAsync(set, T0.AddDays(2).AddMinutes(1), crashing);
        await kit.AdvanceAsync(set, T0.AddDays(2).AddMinutes(2), crashing);

        Assert.Equal(["c-1:call:phone", "c-1:reminder:email"], kit.Sent());
        Assert.Equal(["call:sent", "two_days:waiting", "two_days:waited", "letter:sent", "letter:completed"], Steps(await kit.InstanceAsync("c-1")));
    }

    [Fact]
    public async Task Pages_planned_while_a_slow_commit_waits_are_recorded_together_and_each_step_runs_once()
    {
        // Pages of 2 customers: the pass's first write takes half a second, so the pages planned meanwhile wait for the
        // recorder, which writes them in one transaction (at most 4 pages) instead of one each; every customer's step
        // is written and its message handed over exactly once.
        var ids = Enumerable.Range(1, 20).Select(static i => $"c-{i:00}").ToArray();
        var kit = await CreateAsync(o => o.PageSize = 2, ids.Select(static id => Customer(id)).ToArray());
        var set = kit.Set(Renewal().Send("call", "call", Channel.Phone).Wait("two_days", TimeSpan.FromDays(2)).Send("letter", "reminder").Build(kit.Catalog));
        await kit.IngestAsync(set, T0, ids.Select((id, i) => Event($"e-{i}", id, "renewal_due", T0)).ToArray());
        Assert.Equal(20, kit.Sent().Length);
        var slow = new SlowFirstWriteStore(kit.Store, TimeSpan.FromMilliseconds(500));

        var summary = await kit.AdvanceAsync(set, T0.AddDays(2), slow);

        Assert.Equal(20, summary.Instances);
        Assert.Equal(ids.Select(static id => id + ":reminder:email").Order(StringComparer.Ordinal), kit.Sent().Skip(20).Order(StringComparer.Ordinal));
        foreach (var id in ids)
        {
            Assert.Equal(["call:sent", "two_days:waiting", "two_days:waited", "letter:sent", "letter:completed"], Steps(await kit.InstanceAsync(id)));
        }

        var writes = slow.CustomersPerWrite.Where(static n => n > 0).ToList();
        Assert.Equal(20, writes.Sum());
        Assert.True(writes.Count < 10, $"Expected fewer transactions than the 10 pages, got {writes.Count}: {string.Join(", ", writes)}.");
        Assert.All(writes, static n => Assert.InRange(n, 1, 8));
    }

    [Fact]
    public async Task With_the_null_sink_a_steps_message_is_recorded_as_delivered_and_no_delivered_mark_follows()
    {
        // As in the send run (ADR 0063): the null sink keeps nothing, so the pass records its messages delivered in the
        // write that records them instead of pending and marked by the next write.
        var kit = await CreateAsync(Customer("c-1"), Customer("c-2"));
        var set = kit.Set(Renewal().Wait("two_days", TimeSpan.FromDays(2)).Send("letter", "reminder").Build(kit.Catalog));
        await kit.IngestAsync(set, T0, Event("e-1", "c-1", "renewal_due", T0), Event("e-2", "c-2", "renewal_due", T0));
        var store = new StoreSendTests.MarkCountingStore(kit.Store);
        var runner = SendingKit.Runner(NullSink.Instance, DecisionKit.Engine());

        var summary = await runner.AdvanceJourneysAsync(new JourneyRun(set, kit.Templates) { At = T0.AddDays(2) }, store);

        Assert.Equal(2, summary.Instances);
        Assert.Equal(2, store.RecordedDelivered);
        Assert.Equal(0, store.Marks);
        Assert.All((await kit.Store.ReadDeliveriesAsync(new DeliveryQuery { Limit = 100 })).Items, static d => Assert.Equal(DeliveryState.Delivered, d.State));
        Assert.Equal(["two_days:waiting", "two_days:waited", "letter:sent", "letter:completed"], Steps(await kit.InstanceAsync("c-1")));
    }

    [Fact]
    public async Task A_crash_after_the_steps_write_hands_the_message_over_once_and_does_not_run_the_step_again()
    {
        var kit = await CreateAsync(Customer("c-1"));
        var set = kit.Set(Renewal().Send("call", "call", Channel.Phone).Wait("two_days", TimeSpan.FromDays(2)).Send("letter", "reminder").Build(kit.Catalog));
        await kit.IngestAsync(set, T0, Event("e-1", "c-1", "renewal_due", T0));
        var crashing = new CrashingStore(kit.Store, failBefore: 0, failAfter: 1);

        await Assert.ThrowsAsync<IOException>(() => kit.AdvanceAsync(set, T0.AddDays(2), crashing));
        Assert.Equal(["c-1:call:phone"], kit.Sent()); // written, not handed over
        var again = await kit.AdvanceAsync(set, T0.AddDays(2).AddMinutes(1), crashing);
        await kit.AdvanceAsync(set, T0.AddDays(3), crashing);

        Assert.Equal(1, again.Sends.Recovered);
        Assert.Equal(["c-1:call:phone", "c-1:reminder:email"], kit.Sent());
        Assert.Equal(["call:sent", "two_days:waiting", "two_days:waited", "letter:sent", "letter:completed"], Steps(await kit.InstanceAsync("c-1")));
    }

    [Fact]
    public async Task Without_reentry_a_customer_is_in_a_journey_once_ever()
    {
        var kit = await CreateAsync(Customer("c-1"));
        var set = kit.Set(Renewal().Send("letter", "reminder").Build(kit.Catalog));
        await kit.IngestAsync(set, T0, Event("e-1", "c-1", "renewal_due", T0));

        var second = await kit.IngestAsync(set, T0.AddDays(30), Event("e-2", "c-1", "renewal_due", T0.AddDays(30)));

        Assert.Equal(0, second.Journeys!.Entered);
        Assert.Single(await kit.InstancesAsync("c-1"));
        Assert.Equal(["c-1:reminder:email"], kit.Sent());
    }

    [Fact]
    public async Task With_reentry_a_customer_enters_again_after_finishing_but_is_in_it_once_at_a_time()
    {
        var kit = await CreateAsync(Customer("c-1"));
        var set = kit.Set(Renewal().AllowReentry().Wait("week", TimeSpan.FromDays(7)).Send("letter", "reminder").Build(kit.Catalog));
        await kit.IngestAsync(set, T0, Event("e-1", "c-1", "renewal_due", T0));

        await kit.IngestAsync(set, T0.AddDays(1), Event("e-2", "c-1", "renewal_due", T0.AddDays(1)));
        await kit.AdvanceAsync(set, T0.AddDays(7));
        await kit.IngestAsync(set, T0.AddDays(20), Event("e-3", "c-1", "renewal_due", T0.AddDays(20)));

        var instances = (await kit.InstancesAsync("c-1")).ToDictionary(static i => i.InstanceId);
        Assert.Equal((JourneyStatus.Completed, null), (instances["e-1"].Status, instances["e-1"].ExitReason));
        Assert.Equal((JourneyStatus.Exited, JourneyCodesRuntime.AlreadyIn), (instances["e-2"].Status, instances["e-2"].ExitReason));
        Assert.Equal(JourneyStatus.Active, instances["e-3"].Status);
        Assert.Equal(["c-1:reminder:email"], kit.Sent());
    }

    [Fact]
    public async Task A_customer_finishes_on_the_version_they_started_and_new_customers_enter_the_newest()
    {
        var kit = await CreateAsync(Customer("c-1"), Customer("c-2"));
        var v1 = Renewal().Wait("pause", TimeSpan.FromDays(2)).Send("letter", "reminder").Build(kit.Catalog);
        var v2 = Renewal().Version(2).Wait("pause", TimeSpan.FromDays(1)).Send("sms", "reminder", Channel.Sms).Build(kit.Catalog);
        await kit.IngestAsync(kit.Set(v1), T0, Event("e-1", "c-1", "renewal_due", T0));

        var both = kit.Set(v1, v2);
        await kit.IngestAsync(both, T0.AddHours(1), Event("e-2", "c-2", "renewal_due", T0.AddHours(1)));
        await kit.AdvanceAsync(both, T0.AddDays(3));

        Assert.Equal((1, JourneyStatus.Completed), ((await kit.InstanceAsync("c-1")).Version, (await kit.InstanceAsync("c-1")).Status));
        Assert.Equal(2, (await kit.InstanceAsync("c-2")).Version);
        Assert.Equal(["c-1:reminder:email", "c-2:reminder:sms"], kit.Sent().Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task An_instance_whose_version_is_not_loaded_waits_and_is_reported()
    {
        var kit = await CreateAsync(Customer("c-1"));
        var v1 = Renewal().Wait("pause", TimeSpan.FromDays(2)).Send("letter", "reminder").Build(kit.Catalog);
        var v2 = Renewal().Version(2).Send("letter", "reminder").Build(kit.Catalog);
        await kit.IngestAsync(kit.Set(v1), T0, Event("e-1", "c-1", "renewal_due", T0));

        var pass = await kit.AdvanceAsync(kit.Set(v2), T0.AddDays(3));

        Assert.Equal(JourneyCodesRuntime.VersionMissing, Assert.Single(pass.Errors).Code);
        Assert.Equal(JourneyStatus.Active, (await kit.InstanceAsync("c-1")).Status);
        Assert.Empty(kit.Sent());
    }

    [Fact]
    public async Task An_entry_condition_keeps_out_the_customers_it_does_not_hold_for()
    {
        var kit = await CreateAsync(Customer("c-1"), Customer("c-2"));
        var set = kit.Set(new JourneyBuilder("renewal").EnteredOn("event:renewal_due", when: "event.data.premium == true").Send("letter", "reminder").Build(kit.Catalog));

        await kit.IngestAsync(set, T0, Event("e-1", "c-1", "renewal_due", T0, """{"premium":true}"""), Event("e-2", "c-2", "renewal_due", T0, """{"premium":false}"""));

        Assert.Single(await kit.InstancesAsync("c-1"));
        Assert.Empty(await kit.InstancesAsync("c-2"));
    }

    [Fact]
    public async Task A_branch_that_loops_without_a_wait_ends_the_instance_instead_of_hanging()
    {
        var kit = await CreateAsync(Customer("c-1"));
        var set = kit.Set(Renewal().Branch("a", "true", then: "b").Branch("b", "true", then: "a").Build(kit.Catalog));

        await kit.IngestAsync(set, T0, Event("e-1", "c-1", "renewal_due", T0));

        Assert.Equal((JourneyStatus.Exited, JourneyCodesRuntime.Loop), ((await kit.InstanceAsync("c-1")).Status, (await kit.InstanceAsync("c-1")).ExitReason));
    }

    /// <summary>A store whose first page writes with journeys fail like a crash: before the commit, or after it (before the messages are handed over).</summary>
    private sealed class CrashingStore(IPersonalizeStore inner, int failBefore, int failAfter) : DelegatingStore(inner)
    {
        private int _before = failBefore;
        private int _after = failAfter;

        public override async ValueTask<SendBatchResult> RecordAsync(SendBatch batch, CancellationToken cancellationToken = default)
        {
            var journeys = batch.Customers.Any(static c => c.Journeys.Count > 0);
            if (journeys && Interlocked.Decrement(ref _before) >= 0)
            {
                throw new IOException("crash before commit");
            }

            var result = await Inner.RecordAsync(batch, cancellationToken);
            return journeys && Interlocked.Decrement(ref _after) >= 0 ? throw new IOException("crash after commit") : result;
        }
    }
}
