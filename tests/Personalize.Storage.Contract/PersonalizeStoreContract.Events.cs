using System.Text.Json;
using Personalize.Customers;
using Personalize.Events;
using Xunit;
using static Personalize.Storage.Contract.StoreKit;

namespace Personalize.Storage.Contract;

public abstract partial class PersonalizeStoreContract
{
    // ---------------------------------------------------------------- events, facts and changes

    [StoreFact]
    public async Task A_send_with_its_question_ask_writes_the_fact_with_the_delivery_and_checks_the_version()
    {
        // The send run's shape: deliveries and the facts with the ask of the message's question, against the version read.
        await using var scope = await OpenAsync();
        await scope.Store.ImportCustomersAsync([Bare("c-1"), Bare("c-2")]);
        var v1 = (await scope.Store.GetCustomerAsync("c-1"))!.Version;
        var v2 = (await scope.Store.GetCustomerAsync("c-2"))!.Version;
        var send = Send("c-1", "spring-sale", Now);
        var asked = CustomerFacts.Create([new("asked.recipes", new Fact(1L, Now, send.IdempotencyKey))]);
        var staleSend = Send("c-2", "spring-sale", Now);

        var result = await scope.Store.RecordAsync(new SendBatch
        {
            Customers =
            [
                new CustomerSends { CustomerId = "c-1", ExpectedVersion = v1, Deliveries = [send], Facts = asked },
                new CustomerSends { CustomerId = "c-2", ExpectedVersion = v2 + 1, Deliveries = [staleSend], Facts = CustomerFacts.Create([new("asked.recipes", new Fact(1L, Now, staleSend.IdempotencyKey))]) },
                new CustomerSends { CustomerId = "c-9", ExpectedVersion = 1, Deliveries = [Send("c-9", "spring-sale", Now)], Facts = asked },
            ],
        });

        Assert.Equal([WriteStatus.Written, WriteStatus.Conflict, WriteStatus.NotFound], result.Customers.Select(static c => c.Status));
        var after = (await scope.Store.GetCustomerAsync("c-1"))!;
        Assert.Equal(after.Version, result.Customers[0].Version);
        Assert.True(after.Version > v1);
        Assert.Equal(1L, after.Profile.Facts.ValueOf("asked.recipes"));
        Assert.Equal((send.IdempotencyKey, Now), (after.Profile.Facts["asked.recipes"].EventId, after.Profile.Facts["asked.recipes"].At));
        Assert.Single(after.Profile.History.Records);
        Assert.NotNull(await scope.Store.FindDeliveryAsync(send.IdempotencyKey));

        var stale = (await scope.Store.GetCustomerAsync("c-2"))!;
        Assert.Equal(v2, stale.Version);
        Assert.Equal(0, stale.Profile.Facts.Count);
        Assert.Empty(stale.Profile.History.Records);
        Assert.Null(await scope.Store.FindDeliveryAsync(staleSend.IdempotencyKey));

        // The same message recorded again (a run after a crash): the key is reported, the history not doubled, the facts kept.
        var again = await scope.Store.RecordAsync(new SendBatch { Customers = [new CustomerSends { CustomerId = "c-1", ExpectedVersion = after.Version, Deliveries = [send], Facts = asked }] });
        Assert.Equal(WriteStatus.Written, again.Customers[0].Status);
        Assert.True(again.Customers[0].WasAlreadyRecorded(send.IdempotencyKey));
        var replayed = (await scope.Store.GetCustomerAsync("c-1"))!;
        Assert.Equal(replayed.Version, again.Customers[0].Version);
        Assert.Single(replayed.Profile.History.Records);
        Assert.Equal(1L, replayed.Profile.Facts.ValueOf("asked.recipes"));
    }

    [StoreFact]
    public async Task Asks_written_beside_other_customers_deliveries_grow_each_version_as_the_result_says()
    {
        // One batch, three shapes: a send with its ask, a send without one, and an ask whose delivery was left out (its
        // contact point suppressed): each customer's stored facts, history and version are what the result reports.
        await using var scope = await OpenAsync();
        await scope.Store.ImportCustomersAsync([Bare("c-1"), Bare("c-2"), Bare("c-3")]);
        var versions = new List<long>();
        foreach (var id in new[] { "c-1", "c-2", "c-3" })
        {
            versions.Add((await scope.Store.GetCustomerAsync(id))!.Version);
        }

        var first = Send("c-1", "spring-sale", Now);
        var second = Send("c-2", "spring-sale", Now);
        var third = Send("c-3", "spring-sale", Now);
        CustomerFacts Asked(DeliveryRecord send) => CustomerFacts.Create([new("asked.recipes", new Fact(1L, Now, send.IdempotencyKey))]);

        var result = await scope.Store.RecordAsync(new SendBatch
        {
            Customers =
            [
                new CustomerSends { CustomerId = "c-1", ExpectedVersion = versions[0], Deliveries = [first], Facts = Asked(first) },
                new CustomerSends { CustomerId = "c-2", ExpectedVersion = versions[1], Deliveries = [second] },
                new CustomerSends { CustomerId = "c-3", ExpectedVersion = versions[2], Deliveries = [], Facts = Asked(third) },
            ],
        });

        Assert.All(result.Customers, static c => Assert.Equal(WriteStatus.Written, c.Status));
        var expected = new[] { (Facts: 1, History: 1), (Facts: 0, History: 1), (Facts: 1, History: 0) };
        for (var i = 0; i < 3; i++)
        {
            var stored = (await scope.Store.GetCustomerAsync(result.Customers[i].CustomerId))!;
            Assert.Equal(stored.Version, result.Customers[i].Version);
            Assert.True(stored.Version > versions[i]);
            Assert.Equal(expected[i], (stored.Profile.Facts.Count, stored.Profile.History.Records.Count));
        }

        var asked = (await scope.Store.GetCustomerAsync("c-3"))!.Profile.Facts["asked.recipes"];
        Assert.Equal((third.IdempotencyKey, Now, 1m), (asked.EventId, asked.At, asked.Number));
    }

    [StoreFact]
    public async Task Asks_among_other_facts_read_back_exactly_and_in_order_by_id_and_by_page()
    {
        // Facts a store may keep in two forms (ADR 0079: asks in binary, the rest as JSON): asks before, between and after
        // other facts, a count past the small ones, an instant with a fraction of a second, keys of both formats and one
        // of the host's own, and facts named like asks that are not (a text value, a negative count, the bare prefix).
        await using var scope = await OpenAsync();
        await scope.Store.ImportCustomersAsync([Bare("c-1"), Bare("c-2")]);
        var version = (await scope.Store.GetCustomerAsync("c-1"))!.Version;
        var send = Send("c-1", "spring-sale", Now);
        var facts = CustomerFacts.Create([
            new("asked.recipes", new Fact(3L, Now, send.IdempotencyKey)),
            new("order_count", new Fact(2L, Now.AddDays(-3), "e-1")),
            new("asked.birthday", new Fact(40L, Now.AddTicks(-1234567), Delivery.IdempotencyKey.Create("campaign", "c-1", "m", Now, Delivery.IdempotencyKeyFormat.Hashed))),
            new("asked.note", new Fact("text", Now, "e-2")),
            new("asked.negative", new Fact(-1L, Now, "e-3")),
            new("asked.", new Fact(1L, Now, "e-4")),
            new("asked.channel", new Fact(0L, Now.AddDays(-40), "host-key-é")),
            new("total", new Fact(49.90m, Now, "e-1")),
        ]);

        var result = await scope.Store.RecordAsync(new SendBatch { Customers = [new CustomerSends { CustomerId = "c-1", ExpectedVersion = version, Deliveries = [send], Facts = facts }] });

        Assert.Equal(WriteStatus.Written, result.Customers[0].Status);
        var byId = (await scope.Store.GetCustomerAsync("c-1"))!.Profile.Facts;
        var page = (await scope.Store.ReadCustomersAsync(new CustomerQuery { Limit = 10 })).Items[0].Profile.Facts;
        foreach (var read in new[] { byId, page })
        {
            Assert.Equal(facts.Keys, read.Keys);
            Assert.Equal(facts.Values, read.Values);
        }

        // The ask recorded again by a later send replaces its fact; the others stay as they were.
        var later = Send("c-1", "summer-sale", Now.AddDays(31));
        var again = (await scope.Store.GetCustomerAsync("c-1"))!;
        var asked = CustomerFacts.Create(again.Profile.Facts.Select(f => f.Key == "asked.recipes" ? new KeyValuePair<string, Fact>(f.Key, new Fact(4L, later.SentAt, later.IdempotencyKey)) : f));
        Assert.Equal(WriteStatus.Written, (await scope.Store.RecordAsync(new SendBatch { Customers = [new CustomerSends { CustomerId = "c-1", ExpectedVersion = again.Version, Deliveries = [later], Facts = asked }] })).Customers[0].Status);
        var final = (await scope.Store.GetCustomerAsync("c-1"))!.Profile.Facts;
        Assert.Equal(asked.Keys, final.Keys);
        Assert.Equal(asked.Values, final.Values);
        Assert.Equal((4m, later.IdempotencyKey), (final["asked.recipes"].Number, final["asked.recipes"].EventId));
    }

    [StoreFact]
    public async Task Events_facts_and_changes_are_written_with_the_sends_and_read_back()
    {
        await using var scope = await OpenAsync();
        await scope.Store.ImportCustomersAsync([Bare("c-1")]);
        var stored = (await scope.Store.GetCustomerAsync("c-1"))!;
        var order = Event("e-1", "c-1", "order_placed", Now.AddHours(-2), """{"order_number":"A-1001","total":49.90}""");
        var facts = CustomerFacts.Create([
            new("order_count", new Fact(1L, order.OccurredAt, "e-1")),
            new("total_value", new Fact(49.90m, order.OccurredAt, "e-1")),
            new("last_order_number", new Fact("A-1001", order.OccurredAt, "e-1")),
            new("open_complaint", new Fact(false, order.OccurredAt, "e-1")),
        ]);
        var change = new CustomerChange { CustomerId = "c-1", Kind = ChangeKinds.Stage, From = "exposure", To = "adoption", At = order.OccurredAt, Cause = "order_count", EventId = "e-1" };

        var result = await scope.Store.RecordAsync(new SendBatch
        {
            Customers = [new CustomerSends
            {
                CustomerId = "c-1",
                ExpectedVersion = stored.Version,
                Profile = stored.Profile with { Stage = LifecycleStage.Adoption },
                Facts = facts,
                Events = [order],
                Changes = [change],
                Deliveries = [Send("c-1", "thank-you", Now, trigger: "event:order_placed@e-1")],
            }],
        });

        Assert.Equal(WriteStatus.Written, result.Customers[0].Status);
        Assert.True(result.Customers[0].Version > stored.Version);
        var after = (await scope.Store.GetCustomerAsync("c-1"))!.Profile;
        Assert.Equal(LifecycleStage.Adoption, after.Stage);
        Assert.Equal(1L, after.Facts.ValueOf("order_count"));
        Assert.Equal(49.90m, after.Facts.ValueOf("total_value"));
        Assert.Equal("A-1001", after.Facts.ValueOf("last_order_number"));
        Assert.Equal(false, after.Facts.ValueOf("open_complaint"));
        Assert.Equal(("e-1", order.OccurredAt), (after.Facts["order_count"].EventId, after.Facts["order_count"].At));
        Assert.Single(after.History.Records);

        var events = await scope.Store.ReadEventsAsync(new EventQuery { CustomerId = "c-1" });
        var read = Assert.Single(events.Items);
        Assert.Equal(("e-1", "order_placed", "c-1", order.OccurredAt), (read.Id, read.Type, read.CustomerId, read.OccurredAt));
        Assert.Equal("A-1001", read.Data.GetProperty("order_number").GetString());
        Assert.Equal(["e-1"], await scope.Store.FindEventsAsync(["e-1", "e-2"]));

        var changes = await scope.Store.ReadChangesAsync(new ChangeQuery { CustomerId = "c-1" });
        Assert.Equal(change, Assert.Single(changes.Items));
    }

    [StoreFact]
    public async Task Events_are_read_for_a_list_of_customers_since_an_instant_in_time_order_across_pages()
    {
        await using var scope = await OpenAsync();
        await scope.Store.ImportCustomersAsync([Bare("c-1"), Bare("c-2"), Bare("c-3")]);
        await scope.Store.RecordAsync(new SendBatch
        {
            Customers =
            [
                new CustomerSends { CustomerId = "c-1", Events = [Event("e-1", "c-1", "login", Now.AddHours(-3)), Event("e-2", "c-1", "renewed", Now.AddHours(-1))] },
                new CustomerSends { CustomerId = "c-2", Events = [Event("e-3", "c-2", "login", Now.AddHours(-2)), Event("e-4", "c-2", "login", Now)] },
                new CustomerSends { CustomerId = "c-3", Events = [Event("e-5", "c-3", "login", Now.AddHours(-1))] },
            ],
        });

        var read = new List<string>();
        string? token = null;
        do
        {
            var page = await scope.Store.ReadEventsAsync(new EventQuery { CustomerIds = ["c-2", "c-1", "c-9"], Since = Now.AddHours(-2), Limit = 2, ContinueAfter = token });
            Assert.True(page.Items.Count <= 2);
            read.AddRange(page.Items.Select(static e => e.Id));
            token = page.ContinueAfter;
        }
        while (token is not null);

        Assert.Equal(["e-3", "e-2", "e-4"], read);
        Assert.Empty((await scope.Store.ReadEventsAsync(new EventQuery { CustomerIds = [] })).Items);
        Assert.Equal(["e-2", "e-5", "e-4"], (await scope.Store.ReadEventsAsync(new EventQuery { Since = Now.AddHours(-1) })).Items.Select(static e => e.Id));
        await Assert.ThrowsAsync<ArgumentException>(async () => await scope.Store.ReadEventsAsync(new EventQuery { CustomerIds = Enumerable.Range(0, EventQuery.MaxCustomerIds + 1).Select(static i => "c-" + i).ToArray() }));
    }

    [StoreFact]
    public async Task An_event_id_the_store_holds_makes_the_customers_write_a_conflict_and_nothing_of_it_is_written()
    {
        await using var scope = await OpenAsync();
        await scope.Store.ImportCustomersAsync([Bare("c-1")]);
        var v0 = (await scope.Store.GetCustomerAsync("c-1"))!.Version;
        var first = await scope.Store.RecordAsync(new SendBatch { Customers = [new CustomerSends { CustomerId = "c-1", ExpectedVersion = v0, Events = [Event("e-1", "c-1", "login", Now)], Facts = OneFact("logins", 1L, "e-1") }] });
        var v1 = first.Customers[0].Version;

        var again = await scope.Store.RecordAsync(new SendBatch
        {
            Customers = [new CustomerSends
            {
                CustomerId = "c-1",
                ExpectedVersion = v1,
                Events = [Event("e-2", "c-1", "login", Now), Event("e-1", "c-1", "login", Now)],
                Facts = OneFact("logins", 3L, "e-2"),
                Deliveries = [Send("c-1", "welcome-back", Now)],
            }],
        });

        Assert.Equal(WriteStatus.Conflict, again.Customers[0].Status);
        var stored = (await scope.Store.GetCustomerAsync("c-1"))!;
        Assert.Equal(v1, stored.Version);
        Assert.Equal(1L, stored.Profile.Facts.ValueOf("logins"));
        Assert.Empty(stored.Profile.History.Records);
        Assert.Equal(["e-1"], (await scope.Store.ReadEventsAsync(new EventQuery())).Items.Select(e => e.Id));
    }

    [StoreFact]
    public async Task An_ingestion_write_of_events_and_facts_alone_is_all_or_nothing_per_customer_in_one_batch()
    {
        // The shape event ingestion writes (events, facts, changes and the version the screen read; no profile or sends):
        // a held event id, a stale version or a customer that is gone leaves nothing of that customer, and the other
        // customers of the batch are written.
        await using var scope = await OpenAsync();
        await scope.Store.ImportCustomersAsync([Bare("c-1"), Bare("c-2"), Bare("c-3"), Bare("c-4")]);
        var v0 = (await scope.Store.GetCustomerAsync("c-1"))!.Version;
        await scope.Store.RecordAsync(new SendBatch { Customers = [new CustomerSends { CustomerId = "c-1", ExpectedVersion = v0, Events = [Event("held", "c-1", "login", Now)], Facts = OneFact("logins", 1L, "held") }] });
        var versions = new Dictionary<string, long>();
        foreach (var id in new[] { "c-1", "c-2", "c-3", "c-4" })
        {
            versions[id] = (await scope.Store.GetCustomerAsync(id))!.Version;
        }

        var result = await scope.Store.RecordAsync(new SendBatch
        {
            Customers =
            [
                new CustomerSends { CustomerId = "c-1", ExpectedVersion = versions["c-1"], Events = [Event("new-1", "c-1", "login", Now), Event("held", "c-1", "login", Now)], Facts = OneFact("logins", 3L, "new-1") },
                new CustomerSends { CustomerId = "c-2", ExpectedVersion = versions["c-2"] + 1, Events = [Event("stale-1", "c-2", "login", Now)], Facts = OneFact("logins", 1L, "stale-1") },
                new CustomerSends { CustomerId = "c-9", ExpectedVersion = 1, Events = [Event("gone-1", "c-9", "login", Now)], Facts = OneFact("logins", 1L, "gone-1") },
                new CustomerSends
                {
                    CustomerId = "c-3",
                    ExpectedVersion = versions["c-3"],
                    Events = [Event("ok-1", "c-3", "order_placed", Now.AddHours(-1), """{"order_number":"A-7","total":12.50}"""), Event("ok-2", "c-3", "login", Now)],
                    Facts = CustomerFacts.Create([new("order_count", new Fact(1L, Now.AddHours(-1), "ok-1")), new("total_value", new Fact(12.50m, Now.AddHours(-1), "ok-1")), new("last_seen_at", new Fact(Fact.Format(Now), Now, "ok-2"))]),
                    Changes = [new CustomerChange { CustomerId = "c-3", Kind = ChangeKinds.Tier, From = "tier1", To = "tier2", At = Now, Cause = "matrix", EventId = "ok-2" }],
                },
                new CustomerSends { CustomerId = "c-4", ExpectedVersion = versions["c-4"], Events = [Event("ok-3", "c-4", "visit", Now)], Facts = CustomerFacts.Empty },
            ],
        });

        Assert.Equal([WriteStatus.Conflict, WriteStatus.Conflict, WriteStatus.NotFound, WriteStatus.Written, WriteStatus.Written], result.Customers.Select(static c => c.Status));
        Assert.Equal(versions["c-1"], result.Customers[0].Version);
        Assert.Equal(versions["c-2"], result.Customers[1].Version);
        Assert.Equal(versions["c-3"] + 1, result.Customers[3].Version);
        Assert.Equal(versions["c-4"] + 1, result.Customers[4].Version);

        var c1 = (await scope.Store.GetCustomerAsync("c-1"))!;
        Assert.Equal((versions["c-1"], 1L), (c1.Version, c1.Profile.Facts.ValueOf("logins")));
        var c2 = (await scope.Store.GetCustomerAsync("c-2"))!;
        Assert.Equal((versions["c-2"], 0), (c2.Version, c2.Profile.Facts.Count));
        var c3 = (await scope.Store.GetCustomerAsync("c-3"))!;
        Assert.Equal(versions["c-3"] + 1, c3.Version);
        Assert.Equal((1L, 12.50m, "ok-1"), (c3.Profile.Facts.ValueOf("order_count"), c3.Profile.Facts.ValueOf("total_value"), c3.Profile.Facts["total_value"].EventId));
        Assert.Equal((Fact.Format(Now), Now), (c3.Profile.Facts.ValueOf("last_seen_at"), c3.Profile.Facts["last_seen_at"].At));
        Assert.Equal(0, (await scope.Store.GetCustomerAsync("c-4"))!.Profile.Facts.Count);

        Assert.Equal(["held", "ok-1", "ok-2", "ok-3"], (await scope.Store.ReadEventsAsync(new EventQuery())).Items.Select(static e => e.Id).Order(StringComparer.Ordinal));
        Assert.Equal(["held", "ok-1", "ok-3"], (await scope.Store.FindEventsAsync(["new-1", "stale-1", "gone-1", "held", "ok-1", "ok-3"])).Order(StringComparer.Ordinal));
        var order = Assert.Single((await scope.Store.ReadEventsAsync(new EventQuery { CustomerId = "c-3", Since = Now.AddHours(-2), Limit = 1 })).Items);
        Assert.Equal(("ok-1", "order_placed", "A-7", 12.50m), (order.Id, order.Type, order.Data.GetProperty("order_number").GetString(), order.Data.GetProperty("total").GetDecimal()));
        var change = Assert.Single((await scope.Store.ReadChangesAsync(new ChangeQuery { CustomerId = "c-3" })).Items);
        Assert.Equal(("tier2", "ok-2"), (change.To, change.EventId));
    }

    [StoreFact]
    public async Task An_ingestion_write_of_events_that_change_no_fact_stores_them_and_leaves_the_customer_all_or_nothing()
    {
        // Events older than the facts they would set change no fact: the write carries the events and the version the
        // screen read, and no facts. They are stored and the customer stays as it is (its version too); a held id, a
        // stale version or a customer that is gone leaves nothing of that customer.
        await using var scope = await OpenAsync();
        await scope.Store.ImportCustomersAsync([Bare("c-1"), Bare("c-2"), Bare("c-3")]);
        var v0 = (await scope.Store.GetCustomerAsync("c-1"))!.Version;
        await scope.Store.RecordAsync(new SendBatch { Customers = [new CustomerSends { CustomerId = "c-1", ExpectedVersion = v0, Events = [Event("held", "c-1", "login", Now)], Facts = OneFact("logins", 1L, "held") }] });
        var versions = new Dictionary<string, long>();
        foreach (var id in new[] { "c-1", "c-2", "c-3" })
        {
            versions[id] = (await scope.Store.GetCustomerAsync(id))!.Version;
        }

        var result = await scope.Store.RecordAsync(new SendBatch
        {
            Customers =
            [
                new CustomerSends { CustomerId = "c-1", ExpectedVersion = versions["c-1"], Events = [Event("old-1", "c-1", "login", Now.AddDays(-3)), Event("held", "c-1", "login", Now.AddDays(-2))] },
                new CustomerSends { CustomerId = "c-2", ExpectedVersion = versions["c-2"] + 1, Events = [Event("stale-1", "c-2", "login", Now.AddDays(-3))] },
                new CustomerSends { CustomerId = "c-9", ExpectedVersion = 1, Events = [Event("gone-1", "c-9", "login", Now.AddDays(-3))] },
                new CustomerSends { CustomerId = "c-3", ExpectedVersion = versions["c-3"], Events = [Event("ok-1", "c-3", "order_shipped", Now.AddDays(-3), """{"order_number":"A-7"}"""), Event("ok-2", "c-3", "visit", Now.AddDays(-2))] },
            ],
        });

        Assert.Equal([WriteStatus.Conflict, WriteStatus.Conflict, WriteStatus.NotFound, WriteStatus.Written], result.Customers.Select(static c => c.Status));
        Assert.Equal([versions["c-1"], versions["c-2"], versions["c-3"]], new[] { result.Customers[0].Version, result.Customers[1].Version, result.Customers[3].Version });
        var c1 = (await scope.Store.GetCustomerAsync("c-1"))!;
        Assert.Equal((versions["c-1"], 1L), (c1.Version, c1.Profile.Facts.ValueOf("logins")));
        var c3 = (await scope.Store.GetCustomerAsync("c-3"))!;
        Assert.Equal((versions["c-3"], 0), (c3.Version, c3.Profile.Facts.Count));
        Assert.Equal(["held", "ok-1", "ok-2"], (await scope.Store.ReadEventsAsync(new EventQuery())).Items.Select(static e => e.Id).Order(StringComparer.Ordinal));
        Assert.Equal(["held", "ok-1", "ok-2"], (await scope.Store.FindEventsAsync(["old-1", "stale-1", "gone-1", "held", "ok-1", "ok-2"])).Order(StringComparer.Ordinal));
        Assert.Equal("A-7", (await scope.Store.ReadEventsAsync(new EventQuery { CustomerId = "c-3", Since = Now.AddDays(-4), Limit = 1 })).Items[0].Data.GetProperty("order_number").GetString());

        // The same events again (the conflicted customers' events read and applied again): the held id is the only one
        // the store refuses; a write of the new ones alone is stored once.
        var again = await scope.Store.RecordAsync(new SendBatch
        {
            Customers =
            [
                new CustomerSends { CustomerId = "c-1", ExpectedVersion = versions["c-1"], Events = [Event("old-1", "c-1", "login", Now.AddDays(-3))] },
                new CustomerSends { CustomerId = "c-3", ExpectedVersion = versions["c-3"], Events = [Event("ok-1", "c-3", "order_shipped", Now.AddDays(-3))] },
            ],
        });
        Assert.Equal([WriteStatus.Written, WriteStatus.Conflict], again.Customers.Select(static c => c.Status));
        Assert.Equal(["held", "ok-1", "ok-2", "old-1"], (await scope.Store.ReadEventsAsync(new EventQuery())).Items.Select(static e => e.Id).Order(StringComparer.Ordinal));
        Assert.Equal(versions["c-1"], (await scope.Store.GetCustomerAsync("c-1"))!.Version);
    }

    [StoreFact]
    public async Task Saving_or_importing_a_profile_keeps_the_facts_events_wrote()
    {
        await using var scope = await OpenAsync();
        await scope.Store.ImportCustomersAsync([Customer("c-1")]);
        await scope.Store.RecordAsync(new SendBatch { Customers = [new CustomerSends { CustomerId = "c-1", Events = [Event("e-1", "c-1", "login", Now)], Facts = OneFact("logins", 1L, "e-1") }] });

        await scope.Store.SaveProfileAsync(Customer("c-1") with { Language = "de-DE", Facts = CustomerFacts.Empty });
        await scope.Store.ImportCustomersAsync([Customer("c-1")]);

        Assert.Equal(1L, (await scope.Store.GetCustomerAsync("c-1"))!.Profile.Facts.ValueOf("logins"));
    }

    [StoreFact]
    public async Task A_pinned_stage_reads_back_pinned()
    {
        await using var scope = await OpenAsync();
        await scope.Store.ImportCustomersAsync([Customer("c-1") with { Stage = LifecycleStage.Retention, StagePinned = true }]);

        var stored = (await scope.Store.GetCustomerAsync("c-1"))!.Profile;

        Assert.Equal((LifecycleStage.Retention, true), (stored.Stage, stored.StagePinned));
    }

    [StoreFact]
    public async Task Changes_page_in_time_order_and_filter_by_kind_and_instant()
    {
        await using var scope = await OpenAsync();
        await scope.Store.ImportCustomersAsync([Customer("c-1"), Customer("c-2")]);
        CustomerChange Change(string customer, string kind, int hours) => new() { CustomerId = customer, Kind = kind, To = kind + hours, At = Now.AddHours(hours), Cause = "test" };
        await scope.Store.RecordAsync(new SendBatch
        {
            Customers =
            [
                new CustomerSends { CustomerId = "c-2", Changes = [Change("c-2", ChangeKinds.Tier, 1), Change("c-2", ChangeKinds.Stage, 3)] },
                new CustomerSends { CustomerId = "c-1", Changes = [Change("c-1", ChangeKinds.Stage, 1), Change("c-1", ChangeKinds.Tier, 2)] },
            ],
        });

        var all = new List<CustomerChange>();
        string? token = null;
        do
        {
            var page = await scope.Store.ReadChangesAsync(new ChangeQuery { Limit = 1, ContinueAfter = token });
            all.AddRange(page.Items);
            token = page.ContinueAfter;
        }
        while (token is not null);

        Assert.Equal(["c-1:stage1", "c-2:tier1", "c-1:tier2", "c-2:stage3"], all.Select(c => c.CustomerId + ":" + c.To));
        var tiersSince = await scope.Store.ReadChangesAsync(new ChangeQuery { Kind = ChangeKinds.Tier, Since = Now.AddHours(2) });
        Assert.Equal(["tier2"], tiersSince.Items.Select(c => c.To));
    }

    [StoreFact]
    public async Task Erasure_removes_the_customers_events_facts_and_changes()
    {
        await using var scope = await OpenAsync();
        await scope.Store.ImportCustomersAsync([Customer("c-1"), Customer("c-2")]);
        await scope.Store.RecordAsync(new SendBatch
        {
            Customers =
            [
                new CustomerSends { CustomerId = "c-1", Events = [Event("e-1", "c-1", "login", Now)], Facts = OneFact("logins", 1L, "e-1"), Changes = [new CustomerChange { CustomerId = "c-1", Kind = ChangeKinds.Stage, To = "adoption", At = Now, Cause = "order_count" }] },
                new CustomerSends { CustomerId = "c-2", Events = [Event("e-2", "c-2", "login", Now)] },
            ],
        });

        await scope.Store.EraseCustomerAsync("c-1", Now);

        Assert.Equal(["e-2"], (await scope.Store.ReadEventsAsync(new EventQuery())).Items.Select(e => e.Id));
        Assert.Empty((await scope.Store.ReadChangesAsync(new ChangeQuery())).Items);
        Assert.Empty(await scope.Store.FindEventsAsync(["e-1"]));
    }
}
