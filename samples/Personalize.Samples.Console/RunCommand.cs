using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Personalize.Catalog;
using Personalize.Decisions;
using Personalize.Delivery.Sinks;
using Personalize.MailKit;
using Personalize.Sending;
using Personalize.Storage;
using Spectre.Console;

namespace Personalize.Samples.ConsoleHost;

/// <summary>
/// <c>run [--customers N] [--dry-run] [--out DIR] [--db FILE | --postgres CS] [--trigger T] [--now INSTANT]</c>: with the
/// SQLite store (or PostgreSQL with <c>--postgres</c>) as memory (seeded from the bundled customers on first use), sends the scheduled sends that became due, then decides,
/// renders and records a campaign over the store's customers into the outbox, and prints a summary. Every message is
/// recorded with the customer's history before it goes to the outbox, so a second run respects every cap of the first;
/// a run at an instant that already completed sends nothing and says so; a run that did not finish (crash, Ctrl+C) is
/// resumed by running the same command again (without <c>--now</c>, the unfinished run's instant is taken from the store).
/// </summary>
internal sealed class RunCommand : ICommand
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    public int Run(CommandLine commandLine, TextWriter output, TextWriter error)
    {
        var trigger = Trigger.Tick;
        if (commandLine.Trigger is { } triggerText && !Trigger.TryParse(triggerText, out trigger))
        {
            error.WriteLine($"error: --trigger '{triggerText}' is not a trigger; write event:NAME, campaign:NAME or schedule.");
            return ConsoleApp.UsageError;
        }

        var outDir = StoreHost.ResolveOutbox(commandLine);
        using var outbox = new FileOutboxSink(outDir) { FlushEmailsInGroups = true }; // the run flushes before it marks messages delivered
        SmtpSink? smtp = null;
        if (commandLine.Smtp is { } server && !commandLine.DryRun && !SmtpDelivery.TryCreate(server, out smtp, out var smtpProblem))
        {
            error.WriteLine($"error: --smtp '{server}': {smtpProblem}.");
            return ConsoleApp.UsageError;
        }

        using var smtpOwner = smtp;
        IMessageSink sink = commandLine.DryRun ? NullSink.Instance : smtp is null ? outbox : new EmailRouterSink(smtp, outbox);
        var interactive = ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected;
        var synthetic = commandLine.SyntheticCustomers;
        using var services = SampleHost.BuildServices(commandLine, sink, o => o.ProgressEvery = Math.Max(100, (synthetic ?? 0) / (interactive ? 200 : 10)));
        var engine = services.GetRequiredService<DecisionEngine>();
        var clock = services.GetRequiredService<TimeProvider>();
        var catalog = SampleHost.LoadCatalog(SampleHost.ResolveCatalogFile(commandLine), engine.Eligibility.Channels);
        var templates = SampleHost.ResolveTemplatesDirectory(commandLine);
        var content = SampleHost.LoadContent(catalog, templates);

        using var hosted = StoreHost.Open(commandLine, services, output);
        var store = hosted.Store;
        if (synthetic is { } n)
        {
            StoreHost.SeedSynthetic(store, n, output);
        }

        var total = StoreHost.Wait(store.CountCustomersAsync());
        var at = commandLine.Now ?? clock.GetUtcNow();
        if (!commandLine.DryRun && commandLine.Now is null
            && StoreHost.Wait(store.ReadRunsAsync(new RunQuery { Trigger = trigger.ToString(), Status = RunStatus.Running, Limit = 1 })) is [var unfinished])
        {
            at = unfinished.At;
        }

        if (!commandLine.DryRun && StoreHost.Wait(store.GetRunAsync(RunRecord.CreateId(trigger.ToString(), at))) is { Status: RunStatus.Running })
        {
            output.WriteLine($"Resuming the unfinished run of {Time(at)} UTC: messages already recorded are not sent again.");
        }

        var source = synthetic is { } s ? $"{s.ToString("N0", C)} synthetic customers (Bogus, seed {SyntheticCustomers.Seed})" : $"{total.ToString("N0", C)} customers";
        output.WriteLine($"{(commandLine.DryRun ? "Dry run" : "Run")}: {trigger} at {Time(at)} UTC, {source} in {hosted.Name}, {catalog.Count} messages, {content.Count} templates from {templates}");
        output.WriteLine(commandLine.DryRun ? "Dry run: decided and rendered only; nothing is recorded, scheduled or handed to a sink." : smtp is null ? $"Outbox: {outDir}" : SmtpDelivery.Describe(smtp, outDir));
        output.WriteLine($"Store: {hosted.Path}");

        var runner = services.GetRequiredService<SendRunner>();
        using var cancel = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        SendRunSummary? due = null;
        SendRunSummary summary;
        try
        {
            if (!commandLine.DryRun)
            {
                due = runner.SendDueAsync(new DueRun(catalog, content) { At = at }, store, null, cancel.Token).GetAwaiter().GetResult();
            }

            var run = new SendRun(catalog, content, trigger) { At = at, DryRun = commandLine.DryRun };
            summary = interactive
                ? RunWithProgressBar(runner, run, store, total, cancel.Token)
                : runner.RunAsync(run, store, new PlainProgress(output, total, run.DryRun), cancel.Token).GetAwaiter().GetResult();
        }
        catch (OperationCanceledException)
        {
            error.WriteLine("cancelled: run the same command again to resume (nothing is sent twice).");
            return 130;
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }

        if (summary.AlreadyCompleted)
        {
            var previous = StoreHost.Wait(store.GetRunAsync(summary.RunId!))!;
            output.WriteLine($"Nothing to send: the {trigger} run at {Time(at)} UTC already completed ({previous.Sent.ToString("N0", C)} sent, {previous.Scheduled.ToString("N0", C)} deferred). Run with a later --now to send what became due.");
        }

        var rows = SummaryRows.Of(summary, due);
        if (interactive)
        {
            SummaryRows.WriteTable(rows);
        }
        else
        {
            SummaryRows.WritePlain(output, rows);
        }

        ReasonLegend.Write(output, (due?.Totals.Suppressed.Keys ?? []).Concat(summary.Totals.Suppressed.Keys));

        var errors = summary.Errors.Concat(due?.Errors ?? []).ToList();
        foreach (var e in errors.Take(10))
        {
            error.WriteLine("error: " + e);
        }

        var errorCount = summary.Totals.Errors + (due?.Totals.Errors ?? 0);
        if (errorCount > 10)
        {
            error.WriteLine($"… and {errorCount - 10} more errors.");
        }

        return errorCount > 0 ? ConsoleApp.PartialFailure : ConsoleApp.Ok;
    }

    internal static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", C);

    private static SendRunSummary RunWithProgressBar(SendRunner runner, SendRun run, IPersonalizeStore store, long total, CancellationToken token)
        => AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask(run.DryRun ? "Dry run" : "Sending", maxValue: Math.Max(1, total));
                var summary = await runner.RunAsync(run, store, new BarProgress(task, run.DryRun), token).ConfigureAwait(false);
                task.Value = task.MaxValue;
                return summary;
            })
            .GetAwaiter().GetResult();

    private sealed class BarProgress(ProgressTask task, bool dryRun) : IProgress<SendProgress>
    {
        public void Report(SendProgress value)
        {
            task.Value = value.Processed;
            task.Description = dryRun
                ? $"Dry run · {value.TotalSent.ToString("N0", C)} would send · {value.Errors.ToString("N0", C)} errors"
                : $"Sending · {value.TotalSent.ToString("N0", C)} sent · {value.Errors.ToString("N0", C)} errors";
        }
    }

    private sealed class PlainProgress(TextWriter output, long total, bool dryRun) : IProgress<SendProgress>
    {
        private readonly Lock _gate = new();

        public void Report(SendProgress value)
        {
            if (value.Processed >= total)
            {
                return; // the summary follows
            }

            lock (_gate)
            {
                output.WriteLine(dryRun
                    ? $"processed {SummaryRows.N(value.Processed)}/{SummaryRows.N(total)} · would send {SummaryRows.N(value.TotalSent)} · would defer {SummaryRows.N(value.Deferred)} · no message {SummaryRows.N(value.TotalSuppressed)} · errors {SummaryRows.N(value.Errors)}"
                    : $"processed {SummaryRows.N(value.Processed)}/{SummaryRows.N(total)} · sent {SummaryRows.N(value.TotalSent)} · deferred {SummaryRows.N(value.Deferred)} · no message {SummaryRows.N(value.TotalSuppressed)} · errors {SummaryRows.N(value.Errors)}");
            }
        }
    }
}
