using Microsoft.Extensions.DependencyInjection;
using Personalize.Decisions;
using Personalize.Delivery.Sinks;
using Personalize.MailKit;
using Personalize.Sending;

namespace Personalize.Samples.ConsoleHost;

/// <summary>
/// <c>due [--now INSTANT] [--out DIR] [--db FILE]</c>: sends the scheduled (deferred) sends that are due: each is
/// checked again at that instant (consent, contact point, caps, timing), then rendered into the outbox, deferred again,
/// or dropped with its reason (for example <c>consent.withdrawn_since_decision</c>).
/// </summary>
internal sealed class DueCommand : ICommand
{
    public int Run(CommandLine commandLine, TextWriter output, TextWriter error)
    {
        var outDir = StoreHost.ResolveOutbox(commandLine);
        using var outbox = new FileOutboxSink(outDir) { FlushEmailsInGroups = true }; // the run flushes before it marks messages delivered
        SmtpSink? smtp = null;
        if (commandLine.Smtp is { } server && !SmtpDelivery.TryCreate(server, out smtp, out var smtpProblem))
        {
            error.WriteLine($"error: --smtp '{server}': {smtpProblem}.");
            return ConsoleApp.UsageError;
        }

        using var smtpOwner = smtp;
        using var services = SampleHost.BuildServices(commandLine, smtp is null ? outbox : new EmailRouterSink(smtp, outbox));
        var engine = services.GetRequiredService<DecisionEngine>();
        var catalog = SampleHost.LoadCatalog(SampleHost.ResolveCatalogFile(commandLine), engine.Eligibility.Channels);
        var content = SampleHost.LoadContent(catalog, SampleHost.ResolveTemplatesDirectory(commandLine));
        var journeys = SampleHost.LoadJourneys(commandLine, catalog);
        using var hosted = StoreHost.Open(commandLine, services, output);
        var store = hosted.Store;
        var at = commandLine.Now ?? services.GetRequiredService<TimeProvider>().GetUtcNow();
        output.WriteLine($"Due sends at {RunCommand.Time(at)} UTC from {hosted.Path} into {(smtp is null ? outDir : SmtpDelivery.Describe(smtp, outDir))}");
        var due = services.GetRequiredService<SendRunner>().SendDueAsync(new DueRun(catalog, content) { At = at, Journeys = journeys }, store).GetAwaiter().GetResult();
        var t = due.Totals;
        if (t.Processed == 0 && t.Recovered == 0 && due.Journeys?.Instances is null or 0)
        {
            output.WriteLine("Nothing is due.");
        }

        var rows = new List<(string Label, string Value)>
        {
            ("scheduled sends due", SummaryRows.N(t.Processed)),
        };
        SummaryRows.AddSends(rows, t, "deferred again", "dropped");
        JourneyLines.AddRows(rows, due.Journeys);

        rows.Add(("already recorded (not sent again)", SummaryRows.N(t.AlreadyWritten)));
        rows.Add(("handed over again after an interruption", SummaryRows.N(t.Recovered)));
        rows.Add(("failed permanently (refused by the sink)", SummaryRows.N(t.FailedPermanently)));
        rows.Add(("retried (sink retries)", SummaryRows.N(t.SinkRetries)));
        rows.Add(("errors", SummaryRows.N(t.Errors)));
        SummaryRows.WritePlain(output, rows);
        ReasonLegend.Write(output, t.Suppressed.Keys);
        foreach (var e in due.Errors.Take(10))
        {
            error.WriteLine("error: " + e);
        }

        return t.Errors > 0 ? ConsoleApp.PartialFailure : ConsoleApp.Ok;
    }
}
