using System.Runtime.CompilerServices;
using Microsoft.Extensions.DependencyInjection;
using Personalize.Decisions;
using Personalize.Delivery.Sinks;
using Personalize.Events;
using Personalize.Sending;

namespace Personalize.Samples.ConsoleHost;

/// <summary>
/// <c>events [--file FILE] [--now INSTANT] [--db FILE] [--out DIR]</c>: ingests a JSON Lines events file into the store
/// (the bundled <c>data/events.jsonl</c> by default): each event is applied once (by id, also when the file is ingested
/// again), updates the customer's facts and stage, and what it triggers (<c>event:TYPE</c>, <c>stage:NAME</c>) is decided
/// and sent through the same consent, caps and timing as a campaign. A bad line is reported with its line number and
/// left out whole; the good lines go on.
/// </summary>
internal sealed class EventsCommand : ICommand
{
    public int Run(CommandLine commandLine, TextWriter output, TextWriter error)
    {
        var file = Path.GetFullPath(commandLine.EventsFile ?? Path.Combine(AppContext.BaseDirectory, "data", "events.jsonl"));
        if (!File.Exists(file))
        {
            error.WriteLine($"error: {file}: the events file does not exist (pass --file FILE, one JSON event per line).");
            return ConsoleApp.DataError;
        }

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
        output.WriteLine($"Events from {file} at {RunCommand.Time(at)} UTC into {hosted.Path}; outbox {outDir}");

        var badLines = new List<EventLine>();
        var lineOf = new List<long>();
        EventIngestionSummary summary;
        using (var stream = OpenRead(file))
        {
            summary = services.GetRequiredService<SendRunner>()
                .IngestAsync(new EventRun(catalog, content) { At = at, Journeys = journeys, Options = SampleHost.EventOptions() }, GoodEvents(stream, badLines, lineOf), store)
                .GetAwaiter().GetResult();
        }

        var sends = summary.Sends!;
        var rows = new List<(string Label, string Value)>
        {
            ("lines read", SummaryRows.N(summary.Received + badLines.Count)),
            ("events applied", SummaryRows.N(summary.Applied)),
            ("duplicates left out (id already applied)", SummaryRows.N(summary.Duplicates)),
            ("bad lines (left out)", SummaryRows.N(badLines.Count)),
            ("events rejected", SummaryRows.N(summary.RejectedCount)),
            ("facts changed", SummaryRows.N(summary.FactsChanged)),
            ("stage changes", SummaryRows.N(summary.StageChanges)),
            ("too old to trigger (facts only)", SummaryRows.N(summary.TooOldToTrigger)),
            ("triggers decided", SummaryRows.N(summary.Triggered)),
        };
        SummaryRows.AddSends(rows, sends, "deferred (scheduled for later)", "no message");
        JourneyLines.AddRows(rows, summary.Journeys);

        rows.Add(("errors", SummaryRows.N(sends.Errors)));
        SummaryRows.WritePlain(output, rows);

        const int Shown = 20;
        var problems = badLines.Select(l => (l.Line, $"{l.Error} ({l.Code})"))
            .Concat(summary.Rejected.Select(r => (lineOf[(int)r.Index], $"{r.Message} ({r.Code})")))
            .OrderBy(static p => p.Item1)
            .ToList();
        foreach (var (line, message) in problems.Take(Shown))
        {
            error.WriteLine($"{file}:{line}: {message}");
        }

        var more = badLines.Count + summary.RejectedCount - Math.Min(Shown, problems.Count);
        if (more > 0)
        {
            error.WriteLine($"… and {SummaryRows.N(more)} more bad lines.");
        }

        foreach (var e in summary.SendErrors.Take(10))
        {
            error.WriteLine("error: " + e);
        }

        return problems.Count > 0 || summary.RejectedCount > 0 || sends.Errors > 0 ? ConsoleApp.PartialFailure : ConsoleApp.Ok;
    }

    private static FileStream OpenRead(string file)
    {
        try
        {
            return new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, useAsync: false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new SampleException($"{file}: cannot read the events file ({ex.Message})");
        }
    }

    /// <summary>The events of the good lines; the bad ones are collected, and each event's line is remembered by its position.</summary>
    private static async IAsyncEnumerable<CustomerEvent> GoodEvents(Stream stream, List<EventLine> bad, List<long> lineOf, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var line in EventJsonLines.ReadAsync(stream, cancellationToken).ConfigureAwait(false))
        {
            if (line.Event is null)
            {
                bad.Add(line);
                continue;
            }

            lineOf.Add(line.Line);
            yield return line.Event;
        }
    }
}
