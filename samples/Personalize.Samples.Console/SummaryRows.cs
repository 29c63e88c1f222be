using System.Globalization;
using Personalize.Sending;
using Spectre.Console;

namespace Personalize.Samples.ConsoleHost;

/// <summary>The summary table of <c>run</c> and <c>due</c>: one label and one count per row.</summary>
internal static class SummaryRows
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    public static string N(long value) => value.ToString("N0", C);

    public static List<(string Label, string Value)> Of(SendRunSummary summary, SendRunSummary? due)
    {
        var rows = new List<(string, string)>();
        if (due is { } d)
        {
            var t = d.Totals;
            rows.Add(("due sends sent", N(t.TotalSent)));
            rows.Add(("due sends deferred again", N(t.Deferred)));
            foreach (var (reason, count) in t.Suppressed)
            {
                rows.Add(($"due sends dropped · {reason}", N(count)));
            }
        }

        var totals = summary.Totals;
        var verb = summary.DryRun ? "would send" : "sent";
        rows.Add(("customers processed", N(totals.Processed)));
        foreach (var (channel, count) in totals.Sent)
        {
            rows.Add(($"{verb} · {channel}", N(count)));
        }

        rows.Add(($"{verb} · total", N(totals.TotalSent)));
        if (summary.DryRun)
        {
            rows.Add(("would defer (nothing is scheduled in a dry run)", N(totals.Deferred)));
        }
        else
        {
            rows.Add(("deferred (scheduled for later)", N(totals.Deferred)));
            rows.Add(("already recorded (not sent again)", N(totals.AlreadyWritten + (due?.Totals.AlreadyWritten ?? 0))));
            rows.Add(("handed over again after an interruption", N(totals.Recovered + (due?.Totals.Recovered ?? 0))));
        }

        foreach (var (reason, count) in totals.Suppressed)
        {
            rows.Add(($"no message · {reason}", N(count)));
        }

        if (!summary.DryRun)
        {
            rows.Add(("failed permanently (refused by the sink)", N(totals.FailedPermanently + (due?.Totals.FailedPermanently ?? 0))));
            rows.Add(("retried (sink retries)", N(totals.SinkRetries + (due?.Totals.SinkRetries ?? 0))));
        }

        rows.Add(("errors", N(totals.Errors + (due?.Totals.Errors ?? 0))));
        var seconds = totals.Elapsed.TotalSeconds;
        rows.Add(("elapsed", seconds.ToString("0.00", C) + " s"));
        rows.Add(("messages per second", seconds > 0 ? N((long)(summary.Messages / seconds)) : "—"));
        return rows;
    }

    /// <summary>
    /// The rows every sending command shows: sent per channel and in total, deferred, and what was not sent per code
    /// (<paramref name="suppressed"/> names it: "no message", "dropped").
    /// </summary>
    public static void AddSends(List<(string Label, string Value)> rows, SendProgress sends, string deferred, string suppressed)
    {
        foreach (var (channel, count) in sends.Sent)
        {
            rows.Add(($"sent · {channel}", N(count)));
        }

        rows.Add(("sent · total", N(sends.TotalSent)));
        rows.Add((deferred, N(sends.Deferred)));
        foreach (var (reason, count) in sends.Suppressed)
        {
            rows.Add(($"{suppressed} · {reason}", N(count)));
        }
    }

    public static void WritePlain(TextWriter output, List<(string Label, string Value)> rows)
    {
        var width = rows.Max(static r => r.Label.Length);
        output.WriteLine();
        foreach (var (label, value) in rows)
        {
            output.WriteLine($"{label.PadRight(width)}  {value,12}");
        }
    }

    public static void WriteTable(List<(string Label, string Value)> rows)
    {
        var table = new Table().Border(TableBorder.Rounded).AddColumn(string.Empty).AddColumn(new TableColumn("count").RightAligned());
        foreach (var (label, value) in rows)
        {
            table.AddRow(Markup.Escape(label), Markup.Escape(value));
        }

        AnsiConsole.Write(table);
    }
}
