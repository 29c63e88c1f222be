using Personalize.Channels;
using Personalize.Consent;
using Personalize.Customers;
using Personalize.Delivery.Sinks;
using Personalize.Journeys;
using Personalize.Sending;
using Personalize.Testing;
using Xunit;
using static Personalize.Storage.Contract.StoreKit;

namespace Personalize.Storage.Contract;

public abstract partial class PersonalizeStoreContract
{
    // ---------------------------------------------------------------- the due pass over many pages (its stages overlap)

    /// <summary>
    /// The pass reads, plans and records pages in overlapping stages; a customer whose second journey falls due in a later
    /// page is read while the earlier page's write to them may still be on its way: each instance still advances once.
    /// </summary>
    [StoreFact]
    public async Task A_due_pass_over_pages_of_two_advances_every_due_instance_once_also_a_customer_due_in_two_pages()
    {
        await using var scope = await OpenAsync();
        var ids = Enumerable.Range(1, 7).Select(static i => "c-" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        await scope.Store.ImportCustomersAsync(ids.Select(static id => Bare(id) with
        {
            ContactPoints = new ContactPoints { Email = id + "@example.com" },
            Consents = new ConsentLedger([ConsentRecord.Grant(ConsentScope.ForChannel(Channel.Email), Now.AddDays(-30), Form, "v1")]),
        }).ToArray());
        var journeys = JourneySet.Create(
            [
                new JourneyBuilder("renewal").EnteredOn("event:renewal_due").Send("mail", "notice", Channel.Email).Build(NoticeCatalog),
                new JourneyBuilder("welcome").EnteredOn("event:signed_up").Wait("pause", TimeSpan.FromDays(1)).Build(NoticeCatalog),
            ],
            NoticeCatalog);

        // Every customer's mailing is due two hours ago; c-1's and c-2's pause ended an hour ago: in the due order
        // (wake-up, then key) their second instances come in the last page, after the pages that mail them.
        var entries = ids.Select(id => new CustomerSends
        {
            CustomerId = id,
            Journeys =
            [
                new JourneyInstance { CustomerId = id, JourneyId = "renewal", InstanceId = "1", Version = 1, StepId = "mail", StepSince = Now.AddHours(-2), WakeAt = Now.AddHours(-2), StartedAt = Now.AddHours(-2), UpdatedAt = Now.AddHours(-2) },
                .. id is "c-1" or "c-2"
                    ? [new JourneyInstance { CustomerId = id, JourneyId = "welcome", InstanceId = "1", Version = 1, StepId = "pause", StepSince = Now.AddDays(-1).AddHours(-1), WakeAt = Now.AddHours(-1), StartedAt = Now.AddDays(-1).AddHours(-1), UpdatedAt = Now.AddDays(-1) }]
                    : Array.Empty<JourneyInstance>(),
            ],
        }).ToList();
        await scope.Store.RecordAsync(new SendBatch { Customers = entries });

        var sink = new InMemorySink();
        var (provider, runner) = SendHost.Create(Now, sink, pageSize: 2);
        using var services = provider;
        var summary = await runner.AdvanceJourneysAsync(new JourneyRun(journeys, MessageTemplates.CompileOrThrow(NoticeCatalog, NoticeTemplates)) { At = Now }, scope.Store);

        Assert.Empty(summary.Errors);
        Assert.Equal(ids, sink.Messages.Select(static m => m.CustomerId).Order(StringComparer.Ordinal));
        var instances = (await scope.Store.ReadJourneysAsync(new JourneyQuery { Limit = 100 })).Items;
        Assert.Equal(9, instances.Count);
        Assert.All(instances, static i => Assert.Equal(JourneyStatus.Completed, i.Status));
        Assert.All(instances.Where(static i => i.JourneyId == "renewal"), static i => Assert.Equal(["mail:sent", "mail:completed"], i.History.Select(static h => h.StepId + ":" + h.Outcome)));
        Assert.All(instances.Where(static i => i.JourneyId == "welcome"), static i => Assert.Equal(["pause:waited", "pause:completed"], i.History.Select(static h => h.StepId + ":" + h.Outcome)));

        // Nothing is due any more: a second pass at the same instant advances nothing and sends nothing.
        var again = await runner.AdvanceJourneysAsync(new JourneyRun(journeys, MessageTemplates.CompileOrThrow(NoticeCatalog, NoticeTemplates)) { At = Now }, scope.Store);
        Assert.Equal((0L, 0L), (again.Instances, again.Steps));
        Assert.Equal(7, sink.Messages.Count);
    }

    /// <summary>
    /// The pass reads instances without their history and appends its records after the stored ones; an instance at
    /// <see cref="JourneyInstance.MaxHistory"/> drops its oldest, counts them, and keeps every later record in order.
    /// </summary>
    [StoreFact]
    public async Task A_due_pass_appends_its_records_after_the_stored_history_and_drops_the_oldest_beyond_the_maximum()
    {
        await using var scope = await OpenAsync();
        await scope.Store.ImportCustomersAsync([Bare("c-1"), Bare("c-2")]);
        var journeys = JourneySet.Create([new JourneyBuilder("welcome").EnteredOn("event:signed_up").Wait("pause", TimeSpan.FromDays(1)).Build(NoticeCatalog)], NoticeCatalog);
        var old = Enumerable.Range(0, JourneyInstance.MaxHistory - 1).Select(static i => new JourneyStepRecord(Now.AddDays(-300 + i), "pause", JourneyOutcomes.Waiting, "old " + i.ToString(System.Globalization.CultureInfo.InvariantCulture))).ToArray();
        JourneyInstance Paused(string id, IReadOnlyList<JourneyStepRecord> history, int dropped) => new()
        {
            CustomerId = id, JourneyId = "welcome", InstanceId = "1", Version = 1, StepId = "pause", StepSince = Now.AddDays(-2), WakeAt = Now.AddDays(-1),
            StartedAt = Now.AddDays(-300), UpdatedAt = Now.AddDays(-2), History = history, HistoryDropped = dropped,
        };

        // c-1 holds one record short of the maximum (5 dropped before); c-2 two records.
        await scope.Store.RecordAsync(new SendBatch
        {
            Customers =
            [
                new CustomerSends { CustomerId = "c-1", Journeys = [Paused("c-1", old, 5)] },
                new CustomerSends { CustomerId = "c-2", Journeys = [Paused("c-2", old[..2], 0)] },
            ],
        });

        var (provider, runner) = SendHost.Create(Now, new InMemorySink());
        using var services = provider;
        var summary = await runner.AdvanceJourneysAsync(new JourneyRun(journeys, MessageTemplates.CompileOrThrow(NoticeCatalog, NoticeTemplates)) { At = Now }, scope.Store);

        Assert.Empty(summary.Errors);
        var instances = (await scope.Store.ReadJourneysAsync(new JourneyQuery())).Items;
        var full = instances.Single(static i => i.CustomerId == "c-1");
        Assert.Equal((JourneyStatus.Completed, JourneyInstance.MaxHistory, 6), (full.Status, full.History.Count, full.HistoryDropped));
        Assert.Equal(old[1..], full.History.Take(JourneyInstance.MaxHistory - 2));
        Assert.Equal(["pause:waited", "pause:completed"], full.History.TakeLast(2).Select(static h => h.StepId + ":" + h.Outcome));
        var small = instances.Single(static i => i.CustomerId == "c-2");
        Assert.Equal(["old 0", "old 1", "pause:waited", "pause:completed"], small.History.Select(static h => h.Outcome == JourneyOutcomes.Waiting ? h.Detail : h.StepId + ":" + h.Outcome));
        Assert.Equal(0, small.HistoryDropped);
    }
}
