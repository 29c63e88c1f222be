using Personalize.Catalog;
using Personalize.Channels;
using Personalize.Consent;
using Personalize.Customers;
using Personalize.Decisions;
using Personalize.Delivery;
using Personalize.Delivery.Sinks;
using Personalize.Sending;
using Personalize.Storage;
using Personalize.Storage.Contract;
using Personalize.Tests.Decisions;

namespace Personalize.Tests.Sending;

/// <summary>The closed loop: a send run and the due-sends pass with a store as memory.</summary>
public sealed class StoreSendTests
{
    private static readonly DateTimeOffset Now = SendingKit.Now; // Wednesday 11 March 2026, 11:00 in Berlin

    [Fact]
    public async Task Every_message_sent_is_in_the_delivery_log_as_delivered_and_in_the_customers_history()
    {
        var (store, sink, runner, run) = await SetUpAsync(10);

        var summary = await runner.RunAsync(run, store);

        Assert.Equal(10, summary.Totals.Processed);
        Assert.Equal(10, summary.Totals.TotalSent);
        Assert.Equal(10, sink.Count);
        var log = (await store.ReadDeliveriesAsync(new DeliveryQuery { Limit = 100 })).Items;
        Assert.Equal(sink.Messages.Select(m => m.IdempotencyKey).Order(), log.Select(d => d.IdempotencyKey).Order());
        Assert.All(log, d => Assert.Equal(DeliveryState.Delivered, d.State));
        Assert.All(log, d => Assert.Equal(summary.RunId, d.RunId));
        var customer = (await store.GetCustomerAsync("c-0003"))!;
        Assert.Equal("tips", Assert.Single(customer.Profile.History.Records).MessageId);
        var record = (await store.GetRunAsync(summary.RunId!))!;
        Assert.Equal((RunStatus.Completed, 10L, 10L), (record.Status, record.Processed, record.Sent));
    }

    [Fact]
    public async Task With_the_null_sink_each_message_is_recorded_as_delivered_and_no_delivered_marks_follow()
    {
        var (inner, _, _, run) = await SetUpAsync(7);
        var store = new MarkCountingStore(inner);
        var runner = SendingKit.Runner(NullSink.Instance, DecisionKit.Engine(), o => o.PageSize = 2);

        var summary = await runner.RunAsync(run, store);

        Assert.Equal(7, summary.Totals.TotalSent);
        var log = (await inner.ReadDeliveriesAsync(new DeliveryQuery { Limit = 100 })).Items;
        Assert.Equal(7, log.Count);
        Assert.All(log, d => Assert.Equal(DeliveryState.Delivered, d.State));
        Assert.Equal(7, store.RecordedDelivered);
        Assert.Equal(0, store.Marks);
        Assert.Equal("tips", Assert.Single((await inner.GetCustomerAsync("c-0003"))!.Profile.History.Records).MessageId);
    }

    [Fact]
    public async Task A_hosts_own_sink_that_declares_RecordAsDelivered_is_handed_every_message_recorded_as_delivered_with_no_marks()
    {
        var (inner, _, _, run) = await SetUpAsync(7);
        var store = new MarkCountingStore(inner);
        var sink = new FireAndForgetSink();
        var runner = SendingKit.Runner(sink, DecisionKit.Engine(), o => o.PageSize = 2);

        var summary = await runner.RunAsync(run, store);

        Assert.Equal(7, summary.Totals.TotalSent);
        Assert.Equal(7, sink.Inner.Count);
        Assert.Equal(7, store.RecordedDelivered);
        Assert.Equal(0, store.Marks);
        var log = (await inner.ReadDeliveriesAsync(new DeliveryQuery { Limit = 100 })).Items;
        Assert.Equal(sink.Inner.Messages.Select(m => m.IdempotencyKey).Order(), log.Select(d => d.IdempotencyKey).Order());
        Assert.All(log, d => Assert.Equal(DeliveryState.Delivered, d.State));
    }

    [Fact]
    public async Task A_message_a_RecordAsDelivered_sink_refuses_is_taken_out_of_the_delivery_log_and_history_and_reported()
    {
        var (inner, _, _, run) = await SetUpAsync(5);
        var sink = new FireAndForgetSink { Failing = "c-0003" };
        var runner = SendingKit.Runner(sink, DecisionKit.Engine(), o => o.PageSize = 2);

        var summary = await runner.RunAsync(run, inner);

        Assert.Equal(4, summary.Totals.TotalSent);
        Assert.Contains(summary.Errors, e => e.CustomerId == "c-0003");
        var log = (await inner.ReadDeliveriesAsync(new DeliveryQuery { Limit = 100 })).Items;
        Assert.Equal(4, log.Count);
        Assert.DoesNotContain(log, d => d.CustomerId == "c-0003");
        Assert.Empty((await inner.GetCustomerAsync("c-0003"))!.Profile.History.Records);
    }

    [Fact]
    public async Task With_a_sink_that_keeps_messages_each_message_is_recorded_pending_and_marked_delivered_after_the_hand_over()
    {
        var (inner, sink, runner, run) = await SetUpAsync(7);
        var store = new MarkCountingStore(inner);

        await runner.RunAsync(run, store);

        Assert.Equal(7, sink.Count);
        Assert.Equal(0, store.RecordedDelivered);
        Assert.Equal(7, store.Marks);
        Assert.All((await inner.ReadDeliveriesAsync(new DeliveryQuery { Limit = 100 })).Items, d => Assert.Equal(DeliveryState.Delivered, d.State));
    }

    [Fact]
    public async Task Running_again_at_the_same_instant_sends_nothing_and_says_the_run_already_completed()
    {
        var (store, sink, runner, run) = await SetUpAsync(6);
        await runner.RunAsync(run, store);

        var again = await runner.RunAsync(run, store);

        Assert.True(again.AlreadyCompleted);
        Assert.Equal(0, again.Totals.Processed);
        Assert.Equal(6, sink.Count);
    }

    [Fact]
    public async Task A_second_run_later_the_same_day_respects_the_caps_of_the_first()
    {
        var (store, sink, runner, run) = await SetUpAsync(4, configure: b => b.Add("tips", m => m.Marketing().Topics("gardening").OnSchedule().OncePer(TimeSpan.FromDays(7)).Channel(Channel.Email, "tips/email").Channel(Channel.Sms, "tips/sms")));
        await runner.RunAsync(run, store);

        var later = await runner.RunAsync(run with { At = Now.AddHours(2) }, store);

        Assert.False(later.AlreadyCompleted);
        Assert.Equal(0, later.Totals.TotalSent);
        Assert.Equal(4, later.Totals.Suppressed[DecisionCodes.MessageCap]);
        Assert.Equal(4, sink.Count);
    }

    [Fact]
    public async Task A_message_deferred_by_quiet_hours_is_held_unrendered_and_sent_by_the_due_pass()
    {
        // 22:00 in Berlin, quiet until 08:00.
        var evening = new DateTimeOffset(2026, 3, 11, 21, 0, 0, TimeSpan.Zero);
        var (store, sink, runner, run) = await SetUpAsync(3, quiet: true);

        var summary = await runner.RunAsync(run with { At = evening }, store);

        Assert.Equal((0L, 3L), (summary.Totals.TotalSent, summary.Totals.Deferred));
        Assert.Equal(0, sink.Count);
        var scheduled = (await store.ReadScheduledSendsAsync(new ScheduledSendQuery())).Items;
        Assert.Equal(3, scheduled.Count);
        var morning = new DateTimeOffset(2026, 3, 12, 7, 0, 0, TimeSpan.Zero); // 08:00 in Berlin
        Assert.All(scheduled, s => Assert.Equal(morning, s.DueAt));

        var early = await runner.SendDueAsync(new DueRun(run.Catalog, run.Templates) { At = morning.AddMinutes(-1) }, store);
        Assert.Equal(0, early.Totals.Processed);

        var due = await runner.SendDueAsync(new DueRun(run.Catalog, run.Templates) { At = morning }, store);

        Assert.Equal((3L, 3L), (due.Totals.Processed, due.Totals.TotalSent));
        Assert.Equal(3, sink.Count);
        Assert.Equal(scheduled.Select(s => s.IdempotencyKey).Order(), sink.Messages.Select(m => m.IdempotencyKey).Order());
        Assert.All(sink.Messages, m => Assert.Equal(morning, m.SendAt));
        Assert.Empty((await store.ReadScheduledSendsAsync(new ScheduledSendQuery())).Items);
        Assert.Equal(3, (await store.ReadScheduledSendsAsync(new ScheduledSendQuery { State = ScheduledSendState.Sent })).Items.Count);
        Assert.Single((await store.GetCustomerAsync("c-0000"))!.Profile.History.Records);

        var again = await runner.SendDueAsync(new DueRun(run.Catalog, run.Templates) { At = morning.AddHours(1) }, store);
        Assert.Equal(0, again.Totals.Processed);
        Assert.Equal(3, sink.Count);
    }

    [Fact]
    public async Task A_withdrawal_recorded_tonight_stops_tomorrow_mornings_deferred_send()
    {
        var evening = new DateTimeOffset(2026, 3, 11, 21, 0, 0, TimeSpan.Zero);
        var (store, sink, runner, run) = await SetUpAsync(2, quiet: true);
        await runner.RunAsync(run with { At = evening }, store);
        await store.AppendConsentAsync("c-0000", [ConsentRecord.Withdraw(ConsentScope.ForChannel(Channel.Email), evening.AddHours(1), ConsentSource.FromChannel("unsubscribe link"))]);
        await store.AppendConsentAsync("c-0000", [ConsentRecord.Withdraw(ConsentScope.ForChannel(Channel.Sms), evening.AddHours(1), ConsentSource.FromChannel("STOP"))]);

        var due = await runner.SendDueAsync(new DueRun(run.Catalog, run.Templates) { At = new DateTimeOffset(2026, 3, 12, 7, 0, 0, TimeSpan.Zero) }, store);

        Assert.Equal(1, due.Totals.TotalSent);
        Assert.Equal(1, due.Totals.Suppressed[RecheckCodes.WithdrawnSinceDecision]);
        Assert.Equal("c-0001", Assert.Single(sink.Messages).CustomerId);
        var dropped = Assert.Single((await store.ReadScheduledSendsAsync(new ScheduledSendQuery { State = ScheduledSendState.Dropped })).Items);
        Assert.Equal(("c-0000", RecheckCodes.WithdrawnSinceDecision), (dropped.CustomerId, dropped.Reason));
        Assert.Empty((await store.GetCustomerAsync("c-0000"))!.Profile.History.Records);
    }

    [Fact]
    public async Task A_send_deferred_to_0800_and_a_later_run_at_0805_have_different_keys_and_the_message_cap_keeps_the_customer_to_one()
    {
        // 22:00 in Berlin, quiet until 08:00: the run defers the message to 08:00 (07:00 UTC).
        var evening = new DateTimeOffset(2026, 3, 11, 21, 0, 0, TimeSpan.Zero);
        var morning = new DateTimeOffset(2026, 3, 12, 7, 0, 0, TimeSpan.Zero);
        var (store, sink, runner, run) = await SetUpAsync(1, quiet: true, configure: b => b.Add("tips", m => m.Marketing().Topics("gardening").OnSchedule().OncePer(TimeSpan.FromDays(7)).Channel(Channel.Email, "tips/email").Channel(Channel.Sms, "tips/sms")));
        await runner.RunAsync(run with { At = evening }, store);
        var scheduled = Assert.Single((await store.ReadScheduledSendsAsync(new ScheduledSendQuery())).Items);
        Assert.Equal(morning, scheduled.DueAt);

        // Another run of the same trigger at 08:05, before the due pass: a new send with its own key (the key names the
        // send instant, so the run at 08:05 is not mistaken for the 08:00 send, nor the other way round).
        var later = await runner.RunAsync(run with { At = morning.AddMinutes(5) }, store);

        Assert.Equal(1, later.Totals.TotalSent);
        var sent = Assert.Single(sink.Messages);
        Assert.NotEqual(scheduled.IdempotencyKey, sent.IdempotencyKey);
        Assert.Equal(morning.AddMinutes(5), sent.SendAt);

        // The due pass re-checks the 08:00 send against the history, which now holds the 08:05 one: the message cap
        // drops it, so the customer gets the message once.
        var due = await runner.SendDueAsync(new DueRun(run.Catalog, run.Templates) { At = morning.AddMinutes(10) }, store);

        Assert.Equal(0, due.Totals.TotalSent);
        Assert.Single(sink.Messages);
        var dropped = Assert.Single((await store.ReadScheduledSendsAsync(new ScheduledSendQuery { State = ScheduledSendState.Dropped })).Items);
        Assert.Equal(DecisionCodes.MessageCap, dropped.Reason);
    }

    [Fact]
    public async Task A_due_send_still_in_quiet_hours_is_deferred_again_not_sent()
    {
        var evening = new DateTimeOffset(2026, 3, 11, 21, 0, 0, TimeSpan.Zero);
        var (store, sink, runner, run) = await SetUpAsync(1, quiet: true);
        await runner.RunAsync(run with { At = evening }, store);
        var late = new DateTimeOffset(2026, 3, 12, 21, 30, 0, TimeSpan.Zero); // the pass runs late: 22:30 in Berlin

        var due = await runner.SendDueAsync(new DueRun(run.Catalog, run.Templates) { At = late }, store);

        Assert.Equal((0L, 1L), (due.Totals.TotalSent, due.Totals.Deferred));
        Assert.Equal(0, sink.Count);
        Assert.Equal(new DateTimeOffset(2026, 3, 13, 7, 0, 0, TimeSpan.Zero), Assert.Single((await store.ReadScheduledSendsAsync(new ScheduledSendQuery())).Items).DueAt);
    }

    [Fact]
    public async Task Messages_recorded_before_a_crash_but_not_handed_over_are_handed_over_by_the_next_run()
    {
        var (store, sink, runner, run) = await SetUpAsync(3);

        // What a run that died between recording and the sink leaves behind: its record, a pending entry with its
        // history, and the page that holds the customer with the tag of its key.
        var runId = RunRecord.CreateId(run.Trigger.ToString(), Now);
        await store.SaveRunAsync(new RunRecord { Id = runId, Trigger = run.Trigger.ToString(), At = Now, Status = RunStatus.Running, KeyFormat = IdempotencyKeyFormat.PageTagged });
        var key = IdempotencyKey.Create(run.Trigger.ToString(), "c-0001", "tips", Now, IdempotencyKeyFormat.PageTagged, "pagea");
        await store.RecordAsync(new SendBatch
        {
            RunPages = [new RunPage { RunId = runId, FirstCustomerId = "c-0001", LastCustomerId = "c-0001", Tag = "pagea" }],
            Customers =
            [
                new CustomerSends
                {
                    CustomerId = "c-0001",
                    Deliveries = [new DeliveryRecord { IdempotencyKey = key, CustomerId = "c-0001", MessageId = "tips", Channel = Channel.Sms, Purpose = ContactPurpose.Marketing, Kind = MessageKind.Give, SentAt = Now, Trigger = run.Trigger.ToString(), Template = "tips/sms", RunId = RunRecord.CreateId(run.Trigger.ToString(), Now) }],
                },
            ],
        });

        var summary = await runner.RunAsync(run, store);

        Assert.Equal(1, summary.Totals.Recovered);
        Assert.Equal(1, summary.Totals.AlreadyWritten);
        Assert.Equal(3, sink.Count);
        Assert.Single(sink.Messages, m => m.IdempotencyKey == key);
        Assert.Equal(DeliveryState.Delivered, (await store.FindDeliveryAsync(key))!.State);
    }

    [Theory]
    [InlineData("memory", IdempotencyKeyFormat.Hashed)]
    [InlineData("sqlite", IdempotencyKeyFormat.Hashed)]
    [InlineData("memory", IdempotencyKeyFormat.TimeOrdered)]
    [InlineData("sqlite", IdempotencyKeyFormat.TimeOrdered)]
    public async Task A_run_started_by_an_earlier_version_and_resumed_by_this_one_keeps_its_format_and_sends_nothing_twice(string kind, IdempotencyKeyFormat earlier)
    {
        var engine = DecisionKit.Engine();
        var catalog = SendingKit.Catalog(engine);
        var run = new SendRun(catalog, SendingKit.Content(catalog), Trigger.Tick) { At = Now };
        // Pages of two, twenty customers: ten pages, and a write takes at most eight (ADR 0077), so the run always has a
        // second write for the crash to stop.
        const int Customers = 20;
        var file = TempDatabaseFile("keys");
        IPersonalizeStore store = OpenStore(kind, file);
        try
        {
            Assert.True((await store.ImportCustomersAsync(SendingKit.Customers(Customers).ToList())).Succeeded);
            var sink = new InMemorySink();

            // The earlier version dies after its first write of pages of two: pz1_ keys (a run record that names no
            // format), or pz2_ keys (the record, saved first, names format 2).
            var prefix = earlier == IdempotencyKeyFormat.Hashed ? IdempotencyKey.Prefix : IdempotencyKey.TimeOrderedPrefix;
            var id = RunRecord.CreateId(run.Trigger.ToString(), Now);
            if (earlier == IdempotencyKeyFormat.TimeOrdered)
            {
                await store.SaveRunAsync(new RunRecord { Id = id, Trigger = run.Trigger.ToString(), At = Now, Status = RunStatus.Running, StartedAt = Now, UpdatedAt = Now, KeyFormat = IdempotencyKeyFormat.TimeOrdered });
            }

            var before = SendingKit.Runner(sink, engine, o => (o.PageSize, o.IdempotencyKeyFormat) = (2, IdempotencyKeyFormat.Hashed));
            await Assert.ThrowsAsync<IOException>(() => before.RunAsync(run, new CrashingStore(store, recordsBeforeCrash: 1)));
            var first = (await store.ReadDeliveriesAsync(new DeliveryQuery { Limit = 100 })).Items;
            Assert.InRange(first.Count, 2, 16);
            Assert.All(first, d => Assert.StartsWith(prefix, d.IdempotencyKey, StringComparison.Ordinal));
            Assert.Equal((RunStatus.Running, earlier), ((await store.GetRunAsync(id))!.Status, (await store.GetRunAsync(id))!.KeyFormat));
            Assert.Empty(await store.ReadRunPagesAsync(id));

            // This version makes pz3_ keys for new runs, but resumes this one in its own format.
            var after = SendingKit.Runner(sink, engine, o => o.PageSize = 2);
            var summary = await after.RunAsync(run, store);

            Assert.Equal(Customers, summary.Totals.Processed);
            Assert.Equal(first.Count, summary.Totals.AlreadyWritten);
            var log = (await store.ReadDeliveriesAsync(new DeliveryQuery { Limit = 100 })).Items;
            Assert.Equal(Customers, log.Count);
            Assert.All(log, d => Assert.StartsWith(prefix, d.IdempotencyKey, StringComparison.Ordinal));
            Assert.Equal(Customers, sink.Messages.Select(m => m.CustomerId).Distinct(StringComparer.Ordinal).Count());
            Assert.Equal(sink.Messages.Count, sink.Messages.Select(m => m.IdempotencyKey).Distinct(StringComparer.Ordinal).Count());
            Assert.All(SendingKit.Customers(Customers), c => Assert.Single((store.GetCustomerAsync(c.Id).AsTask().Result)!.Profile.History.Records));
            Assert.Equal((RunStatus.Completed, earlier), ((await store.GetRunAsync(id))!.Status, (await store.GetRunAsync(id))!.KeyFormat));
            Assert.Empty(await store.ReadRunPagesAsync(id));

            // A new run (another instant) of this version makes page-tagged keys and records its pages.
            var later = await after.RunAsync(run with { At = Now.AddDays(9) }, store);
            Assert.Equal(IdempotencyKeyFormat.PageTagged, (await store.GetRunAsync(later.RunId!))!.KeyFormat);
            Assert.Contains((await store.ReadDeliveriesAsync(new DeliveryQuery { Limit = 100 })).Items, d => d.IdempotencyKey.StartsWith(IdempotencyKey.PageTaggedPrefix, StringComparison.Ordinal));
            Assert.Equal(Customers / 2, (await store.ReadRunPagesAsync(later.RunId!)).Count);
        }
        finally
        {
            (store as IDisposable)?.Dispose();
            DeleteDatabase(file);
        }
    }

    [Theory]
    [InlineData("memory")]
    [InlineData("sqlite")]
    public async Task A_page_tagged_run_killed_after_a_write_resumes_with_the_keys_it_recorded_and_sends_nothing_twice(string kind)
    {
        var engine = DecisionKit.Engine();
        var catalog = SendingKit.Catalog(engine);
        var run = new SendRun(catalog, SendingKit.Content(catalog), Trigger.Tick) { At = Now };
        const int Customers = 20;
        var file = TempDatabaseFile("pages");
        IPersonalizeStore store = OpenStore(kind, file);
        try
        {
            Assert.True((await store.ImportCustomersAsync(SendingKit.Customers(Customers).ToList())).Succeeded);
            var sink = new InMemorySink();
            var runner = SendingKit.Runner(sink, engine, o => o.PageSize = 2);
            await Assert.ThrowsAsync<IOException>(() => runner.RunAsync(run, new CrashingStore(store, recordsBeforeCrash: 1)));
            var id = RunRecord.CreateId(run.Trigger.ToString(), Now);
            var first = (await store.ReadDeliveriesAsync(new DeliveryQuery { Limit = 100 })).Items;
            var pages = await store.ReadRunPagesAsync(id);
            Assert.InRange(first.Count, 2, 16);
            Assert.Equal(first.Count / 2, pages.Count);
            Assert.Equal(IdempotencyKeyFormat.PageTagged, (await store.GetRunAsync(id))!.KeyFormat);

            // Each recorded message carries the tag of the recorded page that holds its customer; pages differ.
            Assert.All(first, d => Assert.Equal(Assert.Single(pages, p => p.Contains(d.CustomerId!)).Tag, IdempotencyKey.TagOf(d.IdempotencyKey)));
            Assert.Equal(pages.Count, pages.Select(p => p.Tag).Distinct(StringComparer.Ordinal).Count());

            // Meanwhile a new customer is imported inside the first recorded page: it takes that page's tag, and the
            // recorded customers keep theirs. (Erasure moving a page's bounds: the store contract tests.)
            Assert.True((await store.ImportCustomersAsync([SendingKit.Customer(Customers + 1) with { Id = "c-0000a" }])).Succeeded);

            var summary = await runner.RunAsync(run, store);

            Assert.Equal(first.Count, summary.Totals.AlreadyWritten);
            var log = (await store.ReadDeliveriesAsync(new DeliveryQuery { Limit = 100 })).Items;
            Assert.Equal(Customers + 1, log.Count);
            Assert.All(log, d => Assert.StartsWith(IdempotencyKey.PageTaggedPrefix, d.IdempotencyKey, StringComparison.Ordinal));
            Assert.All(first, d => Assert.Contains(log, l => l.IdempotencyKey == d.IdempotencyKey));
            Assert.Equal(sink.Messages.Count, sink.Messages.Select(m => m.IdempotencyKey).Distinct(StringComparer.Ordinal).Count());
            Assert.Equal(Customers + 1, sink.Messages.Select(m => m.CustomerId).Distinct(StringComparer.Ordinal).Count());
            Assert.Equal(Customers + 1, sink.Count);

            // The recorded pages cover every customer once; none overlap.
            var final = await store.ReadRunPagesAsync(id);
            Assert.All(final.Zip(final.Skip(1)), pair => Assert.False(pair.First.Overlaps(pair.Second)));
            Assert.All(log, d => Assert.True(d.CustomerId is null || final.Count(p => p.Contains(d.CustomerId)) == 1));
            Assert.Equal(RunStatus.Completed, (await store.GetRunAsync(id))!.Status);
        }
        finally
        {
            (store as IDisposable)?.Dispose();
            DeleteDatabase(file);
        }
    }

    [Theory]
    [InlineData("memory")]
    [InlineData("sqlite")]
    public async Task Two_processes_running_one_page_tagged_run_at_once_send_every_message_once(string kind)
    {
        var engine = DecisionKit.Engine();
        var catalog = SendingKit.Catalog(engine);
        var run = new SendRun(catalog, SendingKit.Content(catalog), Trigger.Tick) { At = Now };
        const int Customers = 60;
        var file = TempDatabaseFile("two");
        var memory = new InMemoryPersonalizeStore();
        IPersonalizeStore one = OpenStore(kind, file, memory);
        IPersonalizeStore two = OpenStore(kind, file, memory);
        try
        {
            Assert.True((await one.ImportCustomersAsync(SendingKit.Customers(Customers).ToList())).Succeeded);
            var sinks = new[] { new InMemorySink(), new InMemorySink() };

            // Two runners (as two processes: their own page tags, their own store objects) start the same run together;
            // pages of 2 and 3, so their pages overlap without matching.
            var runs = await Task.WhenAll(
                Task.Run(() => SendingKit.Runner(sinks[0], engine, o => o.PageSize = 2).RunAsync(run, one)),
                Task.Run(() => SendingKit.Runner(sinks[1], engine, o => o.PageSize = 3).RunAsync(run, two)));

            // One key per customer across both sinks. (A message the other process recorded but had not yet marked
            // delivered can be handed over again by this one's recovery, under the same key, which sinks keep once.)
            var sent = sinks.SelectMany(s => s.Messages).DistinctBy(m => m.IdempotencyKey, StringComparer.Ordinal).ToList();
            Assert.Equal(Customers, sent.Count);
            Assert.Equal(Customers, sent.Select(m => m.CustomerId).Distinct(StringComparer.Ordinal).Count());
            var log = (await one.ReadDeliveriesAsync(new DeliveryQuery { Limit = 1000 })).Items;
            Assert.Equal(Customers, log.Count);
            Assert.All(SendingKit.Customers(Customers), c => Assert.Single((one.GetCustomerAsync(c.Id).AsTask().Result)!.Profile.History.Records));
            var pages = await one.ReadRunPagesAsync(runs[0].RunId!);
            Assert.All(pages.Zip(pages.Skip(1)), pair => Assert.False(pair.First.Overlaps(pair.Second)));
            Assert.All(log, d => Assert.Equal(Assert.Single(pages, p => p.Contains(d.CustomerId!)).Tag, IdempotencyKey.TagOf(d.IdempotencyKey)));
        }
        finally
        {
            (one as IDisposable)?.Dispose();
            (two as IDisposable)?.Dispose();
            DeleteDatabase(file);
        }
    }

    [Fact]
    public async Task A_customer_written_to_while_being_decided_is_decided_again_with_the_new_consent()
    {
        var (inner, sink, runner, run) = await SetUpAsync(3);
        var store = new InterferingStore(inner, async s => await s.AppendConsentAsync("c-0002", [ConsentRecord.Withdraw(ConsentScope.ForPurpose(ContactPurpose.Marketing), Now.AddSeconds(-1), ConsentSource.FromChannel("unsubscribe"))]));

        var summary = await runner.RunAsync(run, store);

        Assert.Equal(2, summary.Totals.TotalSent);
        Assert.DoesNotContain(sink.Messages, m => m.CustomerId == "c-0002");
        Assert.Equal(3, summary.Totals.Processed);
        Assert.Single(summary.Totals.Suppressed);
        Assert.Empty((await inner.GetCustomerAsync("c-0002"))!.Profile.History.Records);
    }

    [Fact]
    public async Task A_message_the_sink_refuses_leaves_no_trace_in_the_store_and_a_second_attempt_sends_it()
    {
        var (store, _, _, run) = await SetUpAsync(3);
        var failing = new FailingSink("c-0001");
        var runner = SendingKit.Runner(failing, DecisionKit.Engine());

        var first = await runner.RunAsync(run, store);

        Assert.Equal(2, first.Totals.TotalSent);
        Assert.Equal(SendErrorCodes.SinkFailed, Assert.Single(first.Errors).Code);
        Assert.Empty((await store.GetCustomerAsync("c-0001"))!.Profile.History.Records);
        Assert.Equal(2, (await store.ReadDeliveriesAsync(new DeliveryQuery())).Items.Count);
        Assert.Equal(RunStatus.Running, (await store.GetRunAsync(first.RunId!))!.Status);

        failing.Failing = null;
        var second = await runner.RunAsync(run, store);

        Assert.Equal((1L, 2L), (second.Totals.TotalSent, second.Totals.AlreadyWritten));
        Assert.Equal(3, failing.Inner.Count);
        Assert.Equal(RunStatus.Completed, (await store.GetRunAsync(first.RunId!))!.Status);
    }

    [Fact]
    public async Task A_dry_run_with_a_store_writes_nothing()
    {
        var (store, sink, runner, run) = await SetUpAsync(3);

        var summary = await runner.RunAsync(run with { DryRun = true }, store);

        Assert.Equal(3, summary.Totals.TotalSent);
        Assert.Equal(0, sink.Count);
        Assert.Empty((await store.ReadDeliveriesAsync(new DeliveryQuery())).Items);
        Assert.Null(await store.GetRunAsync(summary.RunId!));
    }

    [Fact]
    public async Task Pages_decided_while_a_slow_commit_waits_are_recorded_together_in_one_transaction_and_each_message_goes_once()
    {
        // Pages of 2: the first commit takes half a second, so the pages decided meanwhile wait for the recorder, which then
        // writes them in one transaction (at most 8 pages: small pages, ADR 0077) instead of one each; nothing is lost or
        // sent twice.
        var (inner, sink, runner, run) = await SetUpAsync(20);
        var store = new SlowFirstWriteStore(inner, TimeSpan.FromMilliseconds(500));

        var summary = await runner.RunAsync(run, store);

        Assert.Equal(20, summary.Totals.TotalSent);
        Assert.Equal(20, sink.Messages.Select(static m => m.IdempotencyKey).Distinct().Count());
        Assert.Equal(20, sink.Count);
        Assert.Equal(20, (await inner.ReadDeliveriesAsync(new DeliveryQuery { Limit = 100 })).Items.Count(static d => d.State == DeliveryState.Delivered));
        var pageWrites = store.CustomersPerWrite.Where(static n => n > 0).ToList();
        Assert.Equal(20, pageWrites.Sum());
        Assert.True(pageWrites.Count < 10, $"Expected fewer transactions than the 10 pages, got {pageWrites.Count}: {string.Join(", ", pageWrites)}.");
        Assert.Contains(pageWrites, static n => n > 2);
        Assert.All(pageWrites, static n => Assert.InRange(n, 1, 16));
    }

    /// <summary>A path for one test's SQLite file in the temp folder (<see cref="DeleteDatabase"/> removes it).</summary>
    private static string TempDatabaseFile(string name)
        => Path.Combine(Path.GetTempPath(), "personalize-" + name + "-" + Guid.NewGuid().ToString("N") + ".db");

    /// <summary>The store a theory's <paramref name="kind"/> names: in memory (<paramref name="memory"/> when shared, else a new one) or SQLite at <paramref name="file"/>.</summary>
    private static IPersonalizeStore OpenStore(string kind, string file, InMemoryPersonalizeStore? memory = null)
        => kind == "memory" ? memory ?? new InMemoryPersonalizeStore() : Personalize.Sqlite.SqlitePersonalizeStore.Open(file);

    /// <summary>Deletes a test's SQLite file with its write-ahead log and shared-memory files.</summary>
    private static void DeleteDatabase(string file)
    {
        foreach (var suffix in new[] { string.Empty, "-wal", "-shm" })
        {
            File.Delete(file + suffix);
        }
    }

    private static async Task<(InMemoryPersonalizeStore Store, InMemorySink Sink, SendRunner Runner, SendRun Run)> SetUpAsync(int customers, Action<CatalogBuilder>? configure = null, bool quiet = false)
    {
        var engine = DecisionKit.Engine();
        var catalog = configure is null ? SendingKit.Catalog(engine) : DecisionKit.Compile(engine, configure);
        var content = SendingKit.Content(catalog);
        var store = new InMemoryPersonalizeStore();
        var profiles = SendingKit.Customers(customers).Select(c => quiet ? c with { Preferences = c.Preferences with { QuietHours = DecisionKit.Window(21, 0, 8, 0) } } : c).ToList();
        Assert.True((await store.ImportCustomersAsync(profiles)).Succeeded);
        var sink = new InMemorySink();
        var runner = SendingKit.Runner(sink, engine, o => o.PageSize = 2);
        return (store, sink, runner, new SendRun(catalog, content, Trigger.Tick) { At = Now });
    }

    /// <summary>A store whose writes of customers' sends fail (as a process killed there would stop) after a number of them.</summary>
    private sealed class CrashingStore(IPersonalizeStore inner, int recordsBeforeCrash) : DelegatingStore(inner)
    {
        private int _left = recordsBeforeCrash;

        public override ValueTask<SendBatchResult> RecordAsync(SendBatch batch, CancellationToken cancellationToken = default)
            => batch.Customers.Count > 0 && Interlocked.Decrement(ref _left) < 0 ? throw new IOException("killed before the commit") : Inner.RecordAsync(batch, cancellationToken);
    }

    /// <summary>A store that counts the delivery log entries written as delivered and the delivered marks it is given.</summary>
    internal sealed class MarkCountingStore(IPersonalizeStore inner) : DelegatingStore(inner)
    {
        public int RecordedDelivered { get; private set; }

        public int Marks { get; private set; }

        public override ValueTask<SendBatchResult> RecordAsync(SendBatch batch, CancellationToken cancellationToken = default)
        {
            RecordedDelivered += batch.Customers.Sum(c => c.Deliveries.Count(d => d.State == DeliveryState.Delivered));
            Marks += batch.Delivered.Count;
            return Inner.RecordAsync(batch, cancellationToken);
        }
    }

    /// <summary>A host's own sink that hands messages on without waiting (here: to memory) and declares <see cref="IMessageSink.RecordAsDelivered"/>; it refuses one customer's messages permanently when asked.</summary>
    private sealed class FireAndForgetSink : IMessageSink
    {
        public string? Failing { get; init; }

        public InMemorySink Inner { get; } = new();

        public bool RecordAsDelivered => true;

        public ValueTask WriteAsync(OutgoingMessage message, CancellationToken cancellationToken = default)
            => message.CustomerId == Failing ? throw new NotSupportedException("the queue refused the message") : Inner.WriteAsync(message, cancellationToken);

        public ValueTask<bool> ContainsAsync(string idempotencyKey, CancellationToken cancellationToken = default) => new(false);
    }

    /// <summary>A sink that refuses one customer's messages.</summary>
    private sealed class FailingSink(string? failing) : IMessageSink
    {
        public string? Failing { get; set; } = failing;

        public InMemorySink Inner { get; } = new();

        public ValueTask WriteAsync(OutgoingMessage message, CancellationToken cancellationToken = default)
            => message.CustomerId == Failing ? throw new IOException("mailbox unavailable") : Inner.WriteAsync(message, cancellationToken);

        public ValueTask<bool> ContainsAsync(string idempotencyKey, CancellationToken cancellationToken = default) => Inner.ContainsAsync(idempotencyKey, cancellationToken);
    }

    /// <summary>A store where another writer acts just before the first batch is recorded.</summary>
    private sealed class InterferingStore(IPersonalizeStore inner, Func<IPersonalizeStore, Task> interfere) : DelegatingStore(inner)
    {
        private int _done;

        public override async ValueTask<SendBatchResult> RecordAsync(SendBatch batch, CancellationToken cancellationToken = default)
        {
            if (batch.Customers.Count > 0 && Interlocked.Exchange(ref _done, 1) == 0)
            {
                await interfere(Inner);
            }

            return await Inner.RecordAsync(batch, cancellationToken);
        }

        public override ValueTask<StorePage<StoredCustomer>> ReadCustomersAsync(CustomerQuery query, CancellationToken cancellationToken = default) => Inner.ReadCustomersAsync(query with { Limit = 10 }, cancellationToken);
    }
}
