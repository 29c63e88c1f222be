using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using Personalize.Channels;
using Personalize.Delivery.Sinks;
using Personalize.Events;
using Personalize.Journeys;
using Personalize.Sending;
using Personalize.Storage;
using static Personalize.Hosting.Tests.HostKit;

namespace Personalize.Hosting.Tests;

public sealed class WorkerJourneyTests
{
    /// <summary>Monday 2 March 2026, 09:00 UTC.</summary>
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task The_worker_advances_the_journeys_of_its_content_when_their_steps_become_due()
    {
        using var folder = new TempFolder();
        var clock = new FakeTimeProvider(T0);
        var sink = new InMemorySink();
        using var host = Build(Settings(folder.File("store.db")), sink, clock, static s => s.AddSingleton(sp =>
        {
            var content = PersonalizeContent.Load(Path.Combine(DataDirectory, "catalog.json"), Path.Combine(DataDirectory, "templates"), sp.GetRequiredService<ChannelRegistry>());
            return new PersonalizeContent(content.Catalog, content.Templates) { Journeys = JourneyJson.Load(File.ReadAllBytes(Path.Combine(DataDirectory, "journeys.json")), content.Catalog) };
        }));
        await SeedAsync(host.Services);
        var content = host.Services.GetRequiredService<PersonalizeContent>();
        var store = host.Services.GetRequiredService<IPersonalizeStore>();
        var renewalDue = new CustomerEvent { Id = "r-044", CustomerId = "c-044", Type = "renewal_due", OccurredAt = T0 };
        await host.Services.GetRequiredService<SendRunner>().IngestAsync(new EventRun(content.Catalog, content.Templates) { At = T0, Journeys = content.Journeys }, One(renewalDue), store);
        Assert.Equal(["renewal-thank-you-call"], sink.Messages.Select(static m => m.MessageId));

        // Two days on, the worker's first pass finds the letter step due.
        clock.Advance(TimeSpan.FromHours(49));
        var worker = host.Services.GetServices<IHostedService>().OfType<PersonalizeWorker>().Single();
        await host.StartAsync();
        await WaitUntilAsync(() => worker.Waits == 1, "the first pass finished");
        await host.StopAsync();

        Assert.Equal(["renewal-thank-you-call", "renewal-personal-letter"], sink.Messages.Where(static m => m.CustomerId == "c-044").Select(static m => m.MessageId));
        var instance = Assert.Single((await store.ReadJourneysAsync(new JourneyQuery { CustomerId = "c-044" })).Items);
        Assert.Equal("a_week_later", instance.StepId);
    }

    private static async IAsyncEnumerable<CustomerEvent> One(CustomerEvent e)
    {
        await Task.Yield();
        yield return e;
    }
}
