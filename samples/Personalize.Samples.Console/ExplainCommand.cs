using Personalize.Catalog;
using Personalize.Decisions;
using Personalize.Events;
using Personalize.Storage;

namespace Personalize.Samples.ConsoleHost;

/// <summary>
/// <c>explain --customer ID [--trigger T]</c>: decides which catalog message goes to one customer, on which channel
/// and when, and explains every message of the catalog (the rule that stopped it, the scores, the channels tried).
/// </summary>
internal sealed class ExplainCommand : ICommand
{
    public int Run(CommandLine commandLine, TextWriter output, TextWriter error)
    {
        if (string.IsNullOrWhiteSpace(commandLine.CustomerId))
        {
            error.WriteLine("error: explain needs --customer ID (for example --customer c-001).");
            return ConsoleApp.UsageError;
        }

        var trigger = Trigger.Tick;
        if (commandLine.Trigger is { } triggerText && !Trigger.TryParse(triggerText, out trigger))
        {
            error.WriteLine($"error: --trigger '{triggerText}' is not a trigger; write event:NAME, campaign:NAME or schedule.");
            return ConsoleApp.UsageError;
        }

        using var services = SampleHost.BuildServices(commandLine);
        if (commandLine.Database is not null || commandLine.Postgres is not null)
        {
            return ExplainStored(commandLine, services, trigger, output);
        }

        var (engine, catalog, customer, now) = SampleHost.LoadForOneCustomer(services, commandLine);

        var decision = engine.Decide(catalog, customer, trigger, now, DecisionDetail.All);
        output.Write(commandLine.Json ? decision.ToJson() + Environment.NewLine : decision.Explain());
        if (!commandLine.Json && File.Exists(StoreHost.ResolveDatabase(commandLine)))
        {
            // The journeys live in the store: the default database shows them when it exists (events and tick fill it).
            using var hosted = StoreHost.Open(commandLine, services, TextWriter.Null, seed: false);
            WriteJourneys(output, hosted, customer.Id, customer.TimeZone);
        }

        return ConsoleApp.Ok;
    }

    /// <summary>Where the customer is in each journey, what happened at each step and why (the same lines as <c>journeys --customer</c>).</summary>
    private static void WriteJourneys(TextWriter output, HostedStore hosted, string customerId, TimeZoneInfo zone)
    {
        output.WriteLine();
        output.WriteLine($"Journeys (from {hosted.Path}):");
        JourneyLines.Write(output, JourneysCommand.ReadAll(hosted.Store, customerId), zone);
    }

    /// <summary>
    /// With <c>--db</c> or <c>--postgres</c>: decides for the customer as the store holds them (facts, recorded consent and
    /// history) and lists the facts the decision read (<see cref="Decision.FactsRead"/>: its conditions, the service flags,
    /// tier weights and the stage), each with the event that set it, then the recorded stage and tier changes.
    /// </summary>
    private static int ExplainStored(CommandLine commandLine, Microsoft.Extensions.DependencyInjection.ServiceProvider services, Trigger trigger, TextWriter output)
    {
        var engine = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<DecisionEngine>(services);
        var catalog = SampleHost.LoadCatalog(SampleHost.ResolveCatalogFile(commandLine), engine.Eligibility.Channels);
        var now = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<TimeProvider>(services).GetUtcNow();
        using var hosted = StoreHost.Open(commandLine, services, TextWriter.Null);
        var stored = StoreHost.Wait(hosted.Store.GetCustomerAsync(commandLine.CustomerId!))
            ?? throw new SampleException($"no customer '{commandLine.CustomerId}' in {hosted.Path}.");
        var customer = stored.Profile;
        var decision = engine.Decide(catalog, customer, trigger, now, DecisionDetail.All);
        if (commandLine.Json)
        {
            output.WriteLine(decision.ToJson());
            return ConsoleApp.Ok;
        }

        output.Write(decision.Explain());
        WriteJourneys(output, hosted, customer.Id, customer.TimeZone);
        output.WriteLine();
        var facts = customer.Facts;
        if (facts.Count == 0)
        {
            output.WriteLine($"Facts: none in {hosted.Path} (ingest events with the events command).");
            return ConsoleApp.Ok;
        }

        // Only the facts the decision read (its conditions, service flags, tier weights, stage), each with its event.
        var read = decision.FactsRead;
        var ids = read.Select(name => facts[name].EventId).Where(static id => !id.StartsWith("tick:", StringComparison.Ordinal)).Distinct(StringComparer.Ordinal).ToList();
        var events = ids.Count == 0
            ? []
            : StoreHost.Wait(hosted.Store.ReadEventsAsync(new EventQuery { Ids = ids, Limit = ids.Count })).Items.ToDictionary(static e => e.Id, StringComparer.Ordinal);
        output.WriteLine($"Facts behind the decision (read by its conditions and rules; stage {customer.Stage.ToString().ToLowerInvariant()}; from {hosted.Path}):");
        var width = read.Count == 0 ? 0 : read.Max(static k => k.Length);
        foreach (var name in read)
        {
            var fact = facts[name];
            var source = events.TryGetValue(fact.EventId, out var e) ? $"event {e.Id} {e.Type} at {Fact.Format(e.OccurredAt)}" : $"{fact.EventId}";
            output.WriteLine($"  {name.PadRight(width)}  {Convert.ToString(fact.Value, System.Globalization.CultureInfo.InvariantCulture) ?? "null"}  ({source})");
        }

        if (read.Count == 0)
        {
            output.WriteLine("  none: no condition or rule of this decision read a fact.");
        }

        var others = facts.Count - read.Count;
        if (others > 0)
        {
            output.WriteLine($"  ({others} other fact{(others == 1 ? string.Empty : "s")} of the customer not read by this decision.)");
        }

        var changes = StoreHost.Wait(hosted.Store.ReadChangesAsync(new ChangeQuery { CustomerId = customer.Id, Limit = 20 })).Items;
        foreach (var c in changes)
        {
            output.WriteLine($"  {c.Kind} {c.From ?? "(none)"} -> {c.To} at {Fact.Format(c.At)} ({c.Cause}{(c.EventId is null ? string.Empty : ", event " + c.EventId)})");
        }

        return ConsoleApp.Ok;
    }
}
