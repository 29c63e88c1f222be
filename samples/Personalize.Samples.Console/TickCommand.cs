using Microsoft.Extensions.DependencyInjection;
using Personalize.Decisions;
using Personalize.Delivery.Sinks;
using Personalize.Sending;

namespace Personalize.Samples.ConsoleHost;

/// <summary>
/// <c>tick [--now INSTANT] [--db FILE] [--out DIR]</c>: looks at every stored customer for the like-a-friend occasions
/// (welcome, thank-you, welcome back, we miss you, anniversary, birthday) and tenure stage changes, and sends what the
/// catalog answers them with (<c>occasion:NAME</c>, <c>stage:NAME</c>). Each occasion fires once: the same tick again,
/// or after a crash, fires nothing twice.
/// </summary>
internal sealed class TickCommand : ICommand
{
    public int Run(CommandLine commandLine, TextWriter output, TextWriter error)
    {
        var outDir = StoreHost.ResolveOutbox(commandLine);
        using var outbox = new FileOutboxSink(outDir) { FlushEmailsInGroups = true };
        using var services = SampleHost.BuildServices(commandLine, outbox);
        var engine = services.GetRequiredService<DecisionEngine>();
        var catalog = SampleHost.LoadCatalog(SampleHost.ResolveCatalogFile(commandLine), engine.Eligibility.Channels);
        var content = SampleHost.LoadContent(catalog, SampleHost.ResolveTemplatesDirectory(commandLine));
        var journeys = SampleHost.LoadJourneys(commandLine, catalog);
        using var hosted = StoreHost.Open(commandLine, services, output);
        var store = hosted.Store;
        var at = commandLine.Now ?? services.GetRequiredService<TimeProvider>().GetUtcNow();
        output.WriteLine($"Tick at {RunCommand.Time(at)} UTC over {hosted.Path}; outbox {outDir}");

        var summary = services.GetRequiredService<SendRunner>().TickAsync(new TickRun(catalog, content) { At = at, Journeys = journeys }, store).GetAwaiter().GetResult();
        var sends = summary.Sends;
        var rows = new List<(string Label, string Value)> { ("customers looked at", SummaryRows.N(summary.Customers)) };
        foreach (var (occasion, count) in summary.Fired.OrderBy(static p => p.Key, StringComparer.Ordinal))
        {
            rows.Add(($"occasion · {occasion}", SummaryRows.N(count)));
        }

        rows.Add(("occasions · total", SummaryRows.N(summary.Fired.Values.Sum())));
        rows.Add(("stage changes", SummaryRows.N(summary.StageChanges)));
        rows.Add(("tier changes (relationship matrix)", SummaryRows.N(summary.TierChanges)));
        SummaryRows.AddSends(rows, sends, "deferred (scheduled for later)", "no message");
        JourneyLines.AddRows(rows, summary.Journeys);

        rows.Add(("errors", SummaryRows.N(sends.Errors)));
        SummaryRows.WritePlain(output, rows);
        foreach (var e in summary.Errors.Take(10))
        {
            error.WriteLine("error: " + e);
        }

        return sends.Errors > 0 ? ConsoleApp.PartialFailure : ConsoleApp.Ok;
    }
}
