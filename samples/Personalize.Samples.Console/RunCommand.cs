using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Personalize.Catalog;
using Personalize.Customers;
using Personalize.Decisions;
using Personalize.Delivery.Sinks;
using Personalize.Sending;
using Personalize.Serialization;
using Spectre.Console;

namespace Personalize.Samples.ConsoleHost;

/// <summary>
/// <c>run [--customers N] [--dry-run] [--out DIR] [--trigger T] [--now INSTANT]</c>: decides, renders and writes a
/// campaign over the bundled customers (or N synthetic ones) into the outbox, then prints a summary table. A run
/// that did not finish (crash, Ctrl+C) is resumed by running again: it reuses the unfinished run's instant, so the
/// idempotency keys match and nothing already in the outbox is written twice.
/// </summary>
internal sealed class RunCommand : ICommand
{
    public const string StateFileName = "run-state.json";
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    public int Run(CommandLine commandLine, TextWriter output, TextWriter error)
    {
        var trigger = Trigger.Tick;
        if (commandLine.Trigger is { } triggerText && !Trigger.TryParse(triggerText, out trigger))
        {
            error.WriteLine($"error: --trigger '{triggerText}' is not a trigger; write event:NAME, campaign:NAME or schedule.");
            return ConsoleApp.UsageError;
        }

        var outDir = Path.GetFullPath(commandLine.OutDirectory ?? "outbox");
        using var outbox = new FileOutboxSink(outDir);
        IMessageSink sink = commandLine.DryRun ? NullSink.Instance : outbox;
        var interactive = ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected;
        var total = commandLine.SyntheticCustomers;
        using var services = SampleHost.BuildServices(commandLine, sink, o => o.ProgressEvery = Math.Max(100, (total ?? 0) / (interactive ? 200 : 10)));
        var engine = services.GetRequiredService<DecisionEngine>();
        var clock = services.GetRequiredService<TimeProvider>();
        var catalogFile = SampleHost.ResolveCatalogFile(commandLine);
        var catalog = SampleHost.LoadCatalog(catalogFile, engine.Eligibility.Channels);
        var templates = SampleHost.ResolveTemplatesDirectory(commandLine);
        var content = SampleHost.LoadContent(catalog, templates);

        IAsyncEnumerable<CustomerProfile> customers;
        string source;
        if (total is { } n)
        {
            customers = SyntheticCustomers.GenerateAsync(n);
            source = $"{n.ToString("N0", C)} synthetic customers (Bogus, seed {SyntheticCustomers.Seed})";
        }
        else
        {
            var file = SampleHost.ResolveDataFile(commandLine);
            var list = SampleHost.LoadCustomers(services.GetRequiredService<CustomerJson>(), file);
            total = list.Count;
            customers = ToAsync(list);
            source = $"{list.Count} customers from {Path.GetFileName(file)}";
        }

        var at = commandLine.Now ?? clock.GetUtcNow();
        var statePath = Path.Combine(outDir, StateFileName);
        if (!commandLine.DryRun && commandLine.Now is null && RunState.TryRead(statePath) is { Completed: false } unfinished && unfinished.Trigger == trigger.ToString())
        {
            at = unfinished.At;
            output.WriteLine($"Resuming the unfinished run of {at.ToString("yyyy-MM-dd HH:mm:ss", C)} UTC: messages already in the outbox are skipped.");
        }

        output.WriteLine($"{(commandLine.DryRun ? "Dry run" : "Run")}: {trigger} at {at.ToString("yyyy-MM-dd HH:mm:ss", C)} UTC, {source}, {catalog.Count} messages, {content.Count} templates from {templates}");
        output.WriteLine(commandLine.DryRun ? "Nothing is written (dry run)." : $"Outbox: {outDir}");
        if (!commandLine.DryRun)
        {
            RunState.Write(statePath, new RunState(at, trigger.ToString(), Completed: false));
        }

        var run = new SendRun(catalog, content, trigger) { At = at, DryRun = commandLine.DryRun };
        var runner = services.GetRequiredService<SendRunner>();
        using var cancel = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        SendRunSummary summary;
        try
        {
            summary = interactive
                ? RunWithProgressBar(runner, run, customers, total.Value, cancel.Token)
                : runner.RunAsync(run, customers, new PlainProgress(output, total.Value), cancel.Token).GetAwaiter().GetResult();
        }
        catch (OperationCanceledException)
        {
            error.WriteLine("cancelled: run the same command again to resume (nothing is written twice).");
            return 130;
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }

        if (!commandLine.DryRun)
        {
            RunState.Write(statePath, new RunState(at, trigger.ToString(), Completed: true));
        }

        if (interactive)
        {
            WriteTable(summary);
        }
        else
        {
            WritePlain(output, summary);
        }

        foreach (var e in summary.Errors.Take(10))
        {
            error.WriteLine("error: " + e);
        }

        if (summary.Totals.Errors > 10)
        {
            error.WriteLine($"… and {summary.Totals.Errors - 10} more errors.");
        }

        return summary.Totals.Errors > 0 ? ConsoleApp.PartialFailure : ConsoleApp.Ok;
    }

    private static SendRunSummary RunWithProgressBar(SendRunner runner, SendRun run, IAsyncEnumerable<CustomerProfile> customers, int total, CancellationToken token)
        => AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask("Sending", maxValue: total);
                var progress = new BarProgress(task);
                var summary = await runner.RunAsync(run, customers, progress, token).ConfigureAwait(false);
                task.Value = total;
                return summary;
            })
            .GetAwaiter().GetResult();

    private static void WriteTable(SendRunSummary summary)
    {
        var table = new Table().Border(TableBorder.Rounded).AddColumn("").AddColumn(new TableColumn("count").RightAligned());
        foreach (var (label, value) in Rows(summary))
        {
            table.AddRow(Markup.Escape(label), Markup.Escape(value));
        }

        AnsiConsole.Write(table);
    }

    private static void WritePlain(TextWriter output, SendRunSummary summary)
    {
        var rows = Rows(summary);
        var width = rows.Max(static r => r.Label.Length);
        output.WriteLine();
        foreach (var (label, value) in rows)
        {
            output.WriteLine($"{label.PadRight(width)}  {value,12}");
        }
    }

    private static List<(string Label, string Value)> Rows(SendRunSummary summary)
    {
        var t = summary.Totals;
        var rows = new List<(string, string)> { ("customers processed", N(t.Processed)) };
        foreach (var (channel, count) in t.Sent)
        {
            rows.Add(($"{(summary.DryRun ? "would send" : "sent")} · {channel}", N(count)));
        }

        rows.Add(($"{(summary.DryRun ? "would send" : "sent")} · total", N(t.TotalSent)));
        rows.Add(("deferred (written with a later send time)", N(t.Deferred)));
        rows.Add(("already in the outbox (skipped)", N(t.AlreadyWritten)));
        foreach (var (reason, count) in t.Suppressed)
        {
            rows.Add(($"no message · {reason}", N(count)));
        }

        rows.Add(("errors", N(t.Errors)));
        var seconds = t.Elapsed.TotalSeconds;
        rows.Add(("elapsed", seconds.ToString("0.00", C) + " s"));
        rows.Add(("messages per second", seconds > 0 ? N((long)(summary.Messages / seconds)) : "—"));
        return rows;
    }

    private static string N(long value) => value.ToString("N0", C);

    private static async IAsyncEnumerable<CustomerProfile> ToAsync(IReadOnlyList<CustomerProfile> customers)
    {
        foreach (var customer in customers)
        {
            yield return customer;
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    private sealed class BarProgress(ProgressTask task) : IProgress<SendProgress>
    {
        public void Report(SendProgress value)
        {
            task.Value = value.Processed;
            task.Description = $"Sending · {value.TotalSent.ToString("N0", C)} sent · {value.Errors.ToString("N0", C)} errors";
        }
    }

    private sealed class PlainProgress(TextWriter output, int total) : IProgress<SendProgress>
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
                output.WriteLine($"processed {N(value.Processed)}/{N(total)} · sent {N(value.TotalSent)} · deferred {N(value.Deferred)} · no message {N(value.TotalSuppressed)} · errors {N(value.Errors)}");
            }
        }
    }

    /// <summary>The outbox's record of the last run: its instant, trigger and whether it finished.</summary>
    internal sealed record RunState(DateTimeOffset At, string Trigger, bool Completed)
    {
        public static RunState? TryRead(string path)
        {
            try
            {
                if (!File.Exists(path))
                {
                    return null;
                }

                using var document = JsonDocument.Parse(File.ReadAllBytes(path));
                var root = document.RootElement;
                return new RunState(root.GetProperty("at").GetDateTimeOffset(), root.GetProperty("trigger").GetString() ?? string.Empty, root.GetProperty("completed").GetBoolean());
            }
            catch (Exception ex) when (ex is JsonException or IOException or KeyNotFoundException or InvalidOperationException or FormatException)
            {
                return null;
            }
        }

        public static void Write(string path, RunState state)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var temp = path + ".tmp";
            using (var stream = File.Create(temp))
            using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
            {
                json.WriteStartObject();
                json.WriteString("at", state.At);
                json.WriteString("trigger", state.Trigger);
                json.WriteBoolean("completed", state.Completed);
                json.WriteEndObject();
            }

            File.Move(temp, path, overwrite: true);
        }
    }
}
