using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Personalize.Decisions;
using Personalize.Delivery.Sinks;
using Personalize.Events;
using Personalize.Journeys;
using Personalize.Sending;
using Personalize.Serialization;
using Personalize.Storage;

namespace Personalize.Samples.ConsoleHost;

/// <summary>
/// <c>journeys --customer ID</c>: where the customer is in each journey (from the store), and what happened at each step
/// and why. <c>journeys simulate --customer ID [--from T] [--days N]</c>: runs the journeys for one customer on a
/// simulated clock over the bundled customers and events files, in memory (nothing is written or sent), and prints each
/// step at the instant it would happen.
/// </summary>
internal sealed class JourneysCommand : ICommand
{
    /// <summary>The most instants a simulation visits (events, wake-ups and daily ticks); far above what 366 days need.</summary>
    private const int MaxSimulationSteps = 20_000;

    public int Run(CommandLine commandLine, TextWriter output, TextWriter error)
    {
        if (string.IsNullOrWhiteSpace(commandLine.CustomerId))
        {
            error.WriteLine($"error: journeys{(commandLine.Subcommand is null ? string.Empty : " " + commandLine.Subcommand)} needs --customer ID (for example --customer c-044).");
            return ConsoleApp.UsageError;
        }

        if (commandLine.Subcommand == "simulate")
        {
            return Simulate(commandLine, output);
        }

        if (commandLine.From is not null || commandLine.Days is not null)
        {
            error.WriteLine("error: --from and --days are for 'journeys simulate'; 'journeys --customer ID' shows the stored journeys.");
            return ConsoleApp.UsageError;
        }

        using var services = SampleHost.BuildServices(commandLine);
        using var hosted = StoreHost.Open(commandLine, services, output);
        var id = commandLine.CustomerId;
        var customer = StoreHost.Wait(hosted.Store.GetCustomerAsync(id))
            ?? throw new SampleException($"no customer '{id}' in {hosted.Path} (erased, or never imported; 'list' shows the ids).");
        var instances = ReadAll(hosted.Store, id);
        output.WriteLine($"Journeys of {id} ({customer.Profile.TimeZone.Id}) in {hosted.Path}:");
        JourneyLines.Write(output, instances, customer.Profile.TimeZone);
        if (instances.Count == 0)
        {
            output.WriteLine("Journeys start on events (events), occasions (tick); 'journeys simulate --customer ID --from T' shows what would happen.");
        }

        return ConsoleApp.Ok;
    }

    /// <summary>Every instance of a customer (any status), in the store's order.</summary>
    internal static List<JourneyInstance> ReadAll(IPersonalizeStore store, string customerId)
    {
        var all = new List<JourneyInstance>();
        string? token = null;
        do
        {
            var page = StoreHost.Wait(store.ReadJourneysAsync(new JourneyQuery { CustomerId = customerId, ContinueAfter = token }));
            all.AddRange(page.Items);
            token = page.ContinueAfter;
        }
        while (token is not null);
        return all;
    }

    private static int Simulate(CommandLine commandLine, TextWriter output)
    {
        var sink = new InMemorySink();
        using var services = SampleHost.BuildServices(commandLine, sink);
        var engine = services.GetRequiredService<DecisionEngine>();
        var catalog = SampleHost.LoadCatalog(SampleHost.ResolveCatalogFile(commandLine), engine.Eligibility.Channels);
        var templates = SampleHost.LoadContent(catalog, SampleHost.ResolveTemplatesDirectory(commandLine));
        var journeys = SampleHost.LoadJourneys(commandLine, catalog);
        var customers = SampleHost.LoadCustomers(services.GetRequiredService<CustomerJson>(), SampleHost.ResolveDataFile(commandLine));
        var customer = SampleHost.FindCustomer(customers, commandLine.CustomerId);
        var eventsFile = Path.GetFullPath(commandLine.EventsFile ?? Path.Combine(AppContext.BaseDirectory, "data", "events.jsonl"));
        var events = ReadEvents(eventsFile, customer.Id);
        var from = commandLine.From ?? commandLine.Now ?? services.GetRequiredService<TimeProvider>().GetUtcNow();
        var until = from.AddDays(commandLine.Days ?? 30);

        var store = new InMemoryPersonalizeStore();
        StoreHost.Wait(store.ImportCustomersAsync([customer]));
        var runner = services.GetRequiredService<SendRunner>();
        var eventRun = new EventRun(catalog, templates) { Journeys = journeys, Options = SampleHost.EventOptions() };
        var tick = new TickRun(catalog, templates) { Journeys = journeys };
        var zone = customer.TimeZone;
        output.WriteLine($"Simulating the journeys ({string.Join(", ", journeys.Latest.Select(static j => $"{j.Id} on {j.Entry.Trigger}"))}) for {customer.Id} ({zone.Id}) from {RunCommand.Time(from)} to {RunCommand.Time(until)} UTC");
        output.WriteLine($"over {events.Count} events of {customer.Id} in {Path.GetFileName(eventsFile)} and a daily tick; in memory, nothing is written or sent.");
        output.WriteLine();

        var shown = new Dictionary<string, int>(StringComparer.Ordinal);
        var next = 0;
        var nextTick = from;
        var at = from;
        for (var visits = 0; visits < MaxSimulationSteps; visits++)
        {
            // What happens at this instant: the events that occurred by now, then the tick when it is time, then the journeys due.
            var arrived = new List<CustomerEvent>();
            while (next < events.Count && events[next].OccurredAt <= at)
            {
                arrived.Add(events[next++]);
            }

            foreach (var e in arrived.Where(e => e.OccurredAt >= from))
            {
                output.WriteLine($"{RunCommand.Time(e.OccurredAt)} UTC  event {e.Type} ({e.Id})");
            }

            if (arrived.Count > 0)
            {
                runner.IngestAsync(eventRun with { At = at }, Stream(arrived), store).GetAwaiter().GetResult();
            }

            if (at >= nextTick)
            {
                runner.TickAsync(tick with { At = at }, store).GetAwaiter().GetResult();
                nextTick = at.AddDays(1);
            }
            else
            {
                runner.AdvanceJourneysAsync(new JourneyRun(journeys, templates) { At = at, CustomerIds = [customer.Id] }, store).GetAwaiter().GetResult();
            }

            var instances = ReadAll(store, customer.Id);
            foreach (var instance in instances)
            {
                var seen = shown.GetValueOrDefault(instance.Key) - instance.HistoryDropped;
                foreach (var record in instance.History.Skip(Math.Max(0, seen)))
                {
                    output.WriteLine($"{JourneyLines.Step(record, zone)}  [{instance.JourneyId}]");
                }

                shown[instance.Key] = instance.History.Count + instance.HistoryDropped;
            }

            // The next instant anything can happen: an event, a wake-up, the next tick.
            var wake = instances.Where(static i => i.Status == JourneyStatus.Active && i.WakeAt is not null).Select(static i => i.WakeAt!.Value).DefaultIfEmpty(DateTimeOffset.MaxValue).Min();
            var upcoming = new[] { next < events.Count ? events[next].OccurredAt : DateTimeOffset.MaxValue, wake <= at ? at.AddMinutes(1) : wake, nextTick }.Min();
            if (upcoming > until)
            {
                break;
            }

            at = upcoming;
        }

        output.WriteLine();
        output.WriteLine($"At {RunCommand.Time(until)} UTC:");
        var final = ReadAll(store, customer.Id);
        foreach (var instance in final)
        {
            output.WriteLine("  " + JourneyLines.Where(instance));
        }

        if (final.Count == 0)
        {
            output.WriteLine($"  {customer.Id} entered no journey: no event or occasion of theirs between {RunCommand.Time(from)} and {RunCommand.Time(until)} UTC is an entry ({string.Join(", ", journeys.Latest.Select(static j => j.Entry.Trigger.ToString()))}).");
        }

        var sent = sink.Messages.Where(static m => m.Trigger.StartsWith("journey:", StringComparison.Ordinal)).ToList();
        output.WriteLine($"Journey messages that would go out: {sent.Count.ToString(CultureInfo.InvariantCulture)}{(sent.Count == 0 ? string.Empty : " (" + string.Join(", ", sent.Select(static m => $"{m.MessageId} on {m.Channel}")) + ")")}.");
        return ConsoleApp.Ok;
    }

    /// <summary>The customer's events of an events file, oldest first (bad lines are the events command's business: they are left out here).</summary>
    private static List<CustomerEvent> ReadEvents(string file, string customerId)
    {
        if (!File.Exists(file))
        {
            throw new SampleException($"{file}: the events file does not exist (pass --file FILE, one JSON event per line).");
        }

        var events = new List<CustomerEvent>();
        using var stream = File.OpenRead(file);
        var lines = EventJsonLines.ReadAsync(stream).GetAsyncEnumerator();
        try
        {
            while (lines.MoveNextAsync().AsTask().GetAwaiter().GetResult())
            {
                if (lines.Current.Event is { } e && e.CustomerId == customerId)
                {
                    events.Add(e);
                }
            }
        }
        finally
        {
            lines.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }

        return events.OrderBy(static e => e.OccurredAt).ThenBy(static e => e.Id, StringComparer.Ordinal).ToList();
    }

    private static async IAsyncEnumerable<CustomerEvent> Stream(IEnumerable<CustomerEvent> events)
    {
        foreach (var e in events)
        {
            yield return e;
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }
}
