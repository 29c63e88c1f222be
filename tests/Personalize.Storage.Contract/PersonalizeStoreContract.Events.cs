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

    private static CustomerEvent Event(string id, string customer, string type, DateTimeOffset at, string? data = null) => new()
    {
        Id = id,
        CustomerId = customer,
        Type = type,
        OccurredAt = at,
        Data = data is null ? default : JsonDocument.Parse(data).RootElement.Clone(),
    };

    private static CustomerFacts OneFact(string name, object value, string eventId) => CustomerFacts.Create([new(name, new Fact(value, Now, eventId))]);
}
