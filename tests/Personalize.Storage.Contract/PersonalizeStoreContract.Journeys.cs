using Personalize.Journeys;
using Xunit;
using static Personalize.Storage.Contract.StoreKit;

namespace Personalize.Storage.Contract;

public abstract partial class PersonalizeStoreContract
{
    // ---------------------------------------------------------------- journey instances

    private static JourneyInstance Instance(string customerId, string journeyId, string instanceId = "1", int revision = 1, JourneyStatus status = JourneyStatus.Active, DateTimeOffset? wakeAt = null, string? step = "call") => new()
    {
        CustomerId = customerId,
        JourneyId = journeyId,
        InstanceId = instanceId,
        Version = 2,
        Revision = revision,
        Status = status,
        StepId = status == JourneyStatus.Active ? step : null,
        StepSince = Now,
        WakeAt = status == JourneyStatus.Active ? wakeAt ?? Now : null,
        WaitingFor = "renewed",
        StartedAt = Now.AddDays(-1),
        UpdatedAt = Now,
        EntryEventId = "e-7",
        ExitReason = status == JourneyStatus.Exited ? "renewed" : null,
        History = [new JourneyStepRecord(Now.AddDays(-1), "entry", JourneyOutcomes.Entered, "event:renewal_due"), new JourneyStepRecord(Now, "thank", JourneyOutcomes.Sent, "phone k-1")],
    };

    [StoreFact]
    public async Task A_journey_instance_is_written_with_its_send_in_one_transaction_and_read_back_whole()
    {
        await using var scope = await OpenAsync();
        await scope.Store.ImportCustomersAsync([Bare("c-1")]);
        var v0 = (await scope.Store.GetCustomerAsync("c-1"))!.Version;
        var instance = Instance("c-1", "renewal");
        var delivery = Send("c-1", "thank-you", Now, trigger: "journey:renewal@1:thank");

        var result = await scope.Store.RecordAsync(new SendBatch { Customers = [new CustomerSends { CustomerId = "c-1", ExpectedVersion = v0, Journeys = [instance], Deliveries = [delivery] }] });

        Assert.Equal(WriteStatus.Written, result.Customers[0].Status);
        Assert.True(result.Customers[0].Version > v0);
        var page = await scope.Store.ReadJourneysAsync(new JourneyQuery { CustomerId = "c-1" });
        var read = Assert.Single(page.Items);
        Assert.Equal(instance with { History = [] }, read with { History = [] });
        Assert.Equal(instance.History, read.History);
        Assert.NotNull(await scope.Store.FindDeliveryAsync(delivery.IdempotencyKey));
    }

    [StoreFact]
    public async Task An_instance_written_by_two_entries_of_one_batch_ends_as_the_later_revision_with_both_revisions_records()
    {
        await using var scope = await OpenAsync();
        await scope.Store.ImportCustomersAsync([Bare("c-1")]);
        var created = Instance("c-1", "renewal");
        await scope.Store.RecordAsync(new SendBatch { Customers = [new CustomerSends { CustomerId = "c-1", Journeys = [created] }] });
        var second = created.Record(new JourneyStepRecord(Now.AddHours(1), "call", JourneyOutcomes.Sent, "phone k-2")) with { Revision = 2, StepId = "letter" };
        var third = second.Record(new JourneyStepRecord(Now.AddHours(2), "letter", JourneyOutcomes.Sent, "mail k-3")) with { Revision = 3, StepId = "mailing" };

        var result = await scope.Store.RecordAsync(new SendBatch
        {
            Customers =
            [
                new CustomerSends { CustomerId = "c-1", Journeys = [second] },
                new CustomerSends { CustomerId = "c-1", Journeys = [third] },
                new CustomerSends { CustomerId = "c-1", Journeys = [Instance("c-1", "renewal", step: "again")] },
            ],
        });

        Assert.All(result.Customers, static c => Assert.Equal(WriteStatus.Written, c.Status));
        Assert.True(result.Customers[2].WasAlreadyRecorded(created.Key));
        var read = Assert.Single((await scope.Store.ReadJourneysAsync(new JourneyQuery())).Items);
        Assert.Equal(("mailing", 3), (read.StepId, read.Revision));
        Assert.Equal(third.History, read.History);
    }

    [StoreFact]
    public async Task A_journey_write_with_a_stale_version_is_a_conflict_and_writes_nothing()
    {
        await using var scope = await OpenAsync();
        await scope.Store.ImportCustomersAsync([Bare("c-1")]);
        var v0 = (await scope.Store.GetCustomerAsync("c-1"))!.Version;
        await scope.Store.RecordAsync(new SendBatch { Customers = [new CustomerSends { CustomerId = "c-1", ExpectedVersion = v0, Journeys = [Instance("c-1", "renewal")] }] });

        var stale = await scope.Store.RecordAsync(new SendBatch { Customers = [new CustomerSends { CustomerId = "c-1", ExpectedVersion = v0, Journeys = [Instance("c-1", "renewal", revision: 2, step: "letter")] }] });

        Assert.Equal(WriteStatus.Conflict, stale.Customers[0].Status);
        Assert.Equal("call", Assert.Single((await scope.Store.ReadJourneysAsync(new JourneyQuery())).Items).StepId);
    }

    [StoreFact]
    public async Task Creating_an_instance_the_store_holds_leaves_it_and_reports_its_key_and_a_later_revision_replaces_it()
    {
        await using var scope = await OpenAsync();
        await scope.Store.ImportCustomersAsync([Bare("c-1")]);
        var first = await scope.Store.RecordAsync(new SendBatch { Customers = [new CustomerSends { CustomerId = "c-1", Journeys = [Instance("c-1", "renewal")] }] });

        var again = await scope.Store.RecordAsync(new SendBatch { Customers = [new CustomerSends { CustomerId = "c-1", Journeys = [Instance("c-1", "renewal", step: "other")] }] });
        Assert.Equal(WriteStatus.Written, again.Customers[0].Status);
        Assert.True(again.Customers[0].WasAlreadyRecorded(Instance("c-1", "renewal").Key));
        Assert.Equal(first.Customers[0].Version, again.Customers[0].Version);
        Assert.Equal("call", Assert.Single((await scope.Store.ReadJourneysAsync(new JourneyQuery())).Items).StepId);

        var ended = Instance("c-1", "renewal", revision: 2, status: JourneyStatus.Exited);
        await scope.Store.RecordAsync(new SendBatch { Customers = [new CustomerSends { CustomerId = "c-1", Journeys = [ended] }] });
        var read = Assert.Single((await scope.Store.ReadJourneysAsync(new JourneyQuery())).Items);
        Assert.Equal((JourneyStatus.Exited, "renewed", (DateTimeOffset?)null, 2), (read.Status, read.ExitReason, read.WakeAt, read.Revision));
    }

    [StoreFact]
    public async Task Journey_instances_are_read_by_customer_journey_due_instant_and_status_in_key_order_across_pages_and_due_ones_longest_overdue_first()
    {
        await using var scope = await OpenAsync();
        await scope.Store.ImportCustomersAsync([Bare("c-1"), Bare("c-2"), Bare("c-3")]);
        await scope.Store.RecordAsync(new SendBatch
        {
            Customers =
            [
                new CustomerSends { CustomerId = "c-2", Journeys = [Instance("c-2", "renewal", wakeAt: Now.AddHours(1)), Instance("c-2", "onboarding", wakeAt: Now.AddHours(-1))] },
                new CustomerSends { CustomerId = "c-1", Journeys = [Instance("c-1", "renewal", status: JourneyStatus.Completed), Instance("c-1", "renewal", instanceId: "2", wakeAt: Now)] },
                new CustomerSends { CustomerId = "c-3", Journeys = [Instance("c-3", "renewal", status: JourneyStatus.Exited)] },
            ],
        });

        var all = new List<string>();
        string? token = null;
        do
        {
            var page = await scope.Store.ReadJourneysAsync(new JourneyQuery { Limit = 2, ContinueAfter = token });
            Assert.True(page.Items.Count <= 2);
            all.AddRange(page.Items.Select(static j => $"{j.CustomerId}/{j.JourneyId}/{j.InstanceId}"));
            token = page.ContinueAfter;
        }
        while (token is not null);

        Assert.Equal(["c-1/renewal/1", "c-1/renewal/2", "c-2/onboarding/1", "c-2/renewal/1", "c-3/renewal/1"], all);
        Assert.Equal(["c-2/onboarding/1", "c-1/renewal/2"], (await scope.Store.ReadJourneysAsync(new JourneyQuery { DueBy = Now })).Items.Select(static j => $"{j.CustomerId}/{j.JourneyId}/{j.InstanceId}"));
        Assert.Equal(3, (await scope.Store.ReadJourneysAsync(new JourneyQuery { ActiveOnly = true })).Items.Count);
        Assert.Equal(["c-1", "c-1", "c-2", "c-3"], (await scope.Store.ReadJourneysAsync(new JourneyQuery { JourneyId = "renewal" })).Items.Select(static j => j.CustomerId));
        Assert.Equal(2, (await scope.Store.ReadJourneysAsync(new JourneyQuery { CustomerId = "c-2" })).Items.Count);
        Assert.Equal(["c-1/renewal/1", "c-1/renewal/2", "c-3/renewal/1"], (await scope.Store.ReadJourneysAsync(new JourneyQuery { CustomerIds = ["c-3", "c-1", "c-9"] })).Items.Select(static j => $"{j.CustomerId}/{j.JourneyId}/{j.InstanceId}"));
        Assert.Equal(["c-1/renewal/2", "c-2/onboarding/1", "c-2/renewal/1"], (await scope.Store.ReadJourneysAsync(new JourneyQuery { CustomerIds = ["c-2", "c-1"], ActiveOnly = true })).Items.Select(static j => $"{j.CustomerId}/{j.JourneyId}/{j.InstanceId}"));
        var paged = await scope.Store.ReadJourneysAsync(new JourneyQuery { CustomerIds = ["c-2", "c-1"], ActiveOnly = true, Limit = 2 });
        Assert.Equal(["c-2/renewal/1"], (await scope.Store.ReadJourneysAsync(new JourneyQuery { CustomerIds = ["c-2", "c-1"], ActiveOnly = true, Limit = 2, ContinueAfter = paged.ContinueAfter })).Items.Select(static j => $"{j.CustomerId}/{j.JourneyId}/{j.InstanceId}"));
        await Assert.ThrowsAsync<ArgumentException>(async () => await scope.Store.ReadJourneysAsync(new JourneyQuery { CustomerIds = Enumerable.Range(0, JourneyQuery.MaxCustomerIds + 1).Select(static i => "c-" + i).ToArray() }));
    }

    [StoreFact]
    public async Task A_due_read_pages_through_due_instances_by_wake_up_instant_then_key_and_skips_waiting_and_ended_ones()
    {
        await using var scope = await OpenAsync();
        await scope.Store.ImportCustomersAsync([Bare("c-1"), Bare("c-2"), Bare("c-3"), Bare("c-4")]);
        await scope.Store.RecordAsync(new SendBatch
        {
            Customers =
            [
                new CustomerSends { CustomerId = "c-1", Journeys = [Instance("c-1", "renewal", wakeAt: Now.AddHours(-2)), Instance("c-1", "onboarding", wakeAt: Now.AddMinutes(1))] },
                new CustomerSends { CustomerId = "c-2", Journeys = [Instance("c-2", "renewal", wakeAt: Now.AddHours(-5)), Instance("c-2", "onboarding", wakeAt: Now.AddHours(-2))] },
                new CustomerSends { CustomerId = "c-3", Journeys = [Instance("c-3", "renewal", wakeAt: Now.AddHours(-2)), Instance("c-3", "onboarding", status: JourneyStatus.Completed)] },
                new CustomerSends { CustomerId = "c-4", Journeys = [Instance("c-4", "renewal", wakeAt: Now)] },
            ],
        });

        var due = new List<string>();
        string? token = null;
        do
        {
            var page = await scope.Store.ReadJourneysAsync(new JourneyQuery { DueBy = Now, Limit = 2, ContinueAfter = token });
            Assert.True(page.Items.Count <= 2);
            due.AddRange(page.Items.Select(static j => $"{j.CustomerId}/{j.JourneyId}"));
            token = page.ContinueAfter;

            // An instance advanced meanwhile (its next wake-up later) neither comes back nor moves the next page.
            if (due.Count == 2)
            {
                await scope.Store.RecordAsync(new SendBatch { Customers = [new CustomerSends { CustomerId = "c-2", Journeys = [Instance("c-2", "renewal", revision: 2, wakeAt: Now.AddDays(7))] }] });
            }
        }
        while (token is not null);

        Assert.Equal(["c-2/renewal", "c-1/renewal", "c-2/onboarding", "c-3/renewal", "c-4/renewal"], due);
        Assert.Equal(["c-1/renewal"], (await scope.Store.ReadJourneysAsync(new JourneyQuery { DueBy = Now, CustomerId = "c-1" })).Items.Select(static j => $"{j.CustomerId}/{j.JourneyId}"));
        Assert.Equal(["c-1/renewal", "c-2/onboarding"], (await scope.Store.ReadJourneysAsync(new JourneyQuery { DueBy = Now.AddHours(-1), CustomerIds = ["c-2", "c-1"] })).Items.Select(static j => $"{j.CustomerId}/{j.JourneyId}"));
    }

    [StoreFact]
    public async Task Erasing_a_customer_removes_their_journey_instances()
    {
        await using var scope = await OpenAsync();
        await scope.Store.ImportCustomersAsync([Bare("c-1"), Bare("c-2")]);
        await scope.Store.RecordAsync(new SendBatch { Customers = [new CustomerSends { CustomerId = "c-1", Journeys = [Instance("c-1", "renewal")] }, new CustomerSends { CustomerId = "c-2", Journeys = [Instance("c-2", "renewal")] }] });

        await scope.Store.EraseCustomerAsync("c-1", Now);

        Assert.Equal("c-2", Assert.Single((await scope.Store.ReadJourneysAsync(new JourneyQuery())).Items).CustomerId);
    }

    [StoreFact]
    public async Task A_journey_instance_naming_another_customer_is_refused_and_nothing_is_written()
    {
        await using var scope = await OpenAsync();
        await scope.Store.ImportCustomersAsync([Bare("c-1"), Bare("c-2")]);

        await Assert.ThrowsAsync<ArgumentException>(async () => await scope.Store.RecordAsync(new SendBatch { Customers = [new CustomerSends { CustomerId = "c-1", Journeys = [Instance("c-2", "renewal")] }] }));

        Assert.Empty((await scope.Store.ReadJourneysAsync(new JourneyQuery())).Items);
    }
}
