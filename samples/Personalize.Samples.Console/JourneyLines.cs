using System.Globalization;
using Personalize.Journeys;
using Personalize.Sending;

namespace Personalize.Samples.ConsoleHost;

/// <summary>How the console shows journeys: the summary rows of a pass, and where a customer is in each journey with what happened at each step and why.</summary>
internal static class JourneyLines
{
    /// <summary>Adds a pass's journey rows (entered, steps, completed, exited per reason) to a summary.</summary>
    public static void AddRows(List<(string Label, string Value)> rows, JourneySummary? summary)
    {
        if (summary is null)
        {
            return;
        }

        rows.Add(("journeys · entered", SummaryRows.N(summary.Entered)));
        rows.Add(("journeys · steps run", SummaryRows.N(summary.Steps)));
        rows.Add(("journeys · completed", SummaryRows.N(summary.Completed)));
        foreach (var (reason, count) in summary.Exited.OrderBy(static p => p.Key, StringComparer.Ordinal))
        {
            rows.Add(($"journeys · exited · {reason}", SummaryRows.N(count)));
        }
    }

    /// <summary>One line on where an instance is: journey, version, status and step, the next wake-up or the exit reason.</summary>
    public static string Where(JourneyInstance instance)
    {
        var head = $"{instance.JourneyId} v{instance.Version.ToString(CultureInfo.InvariantCulture)}";
        return instance.Status switch
        {
            JourneyStatus.Active when instance.WaitingFor is { } type => $"{head}: active at {instance.StepId}, waiting for {type} until {RunCommand.Time(instance.WakeAt!.Value)} UTC",
            JourneyStatus.Active => $"{head}: active at {instance.StepId}, next {RunCommand.Time(instance.WakeAt ?? instance.UpdatedAt)} UTC",
            JourneyStatus.Completed => $"{head}: completed {RunCommand.Time(instance.UpdatedAt)} UTC",
            _ => $"{head}: exited {RunCommand.Time(instance.UpdatedAt)} UTC ({instance.ExitReason}{(ReasonLegend.Meaning(instance.ExitReason ?? string.Empty) is { } why ? ": " + why : string.Empty)})",
        };
    }

    /// <summary>One history record: instant (UTC, and local in the customer's zone), step, outcome, detail and what its code means.</summary>
    public static string Step(JourneyStepRecord record, TimeZoneInfo zone)
    {
        var local = TimeZoneInfo.ConvertTime(record.At, zone);
        var text = $"{RunCommand.Time(record.At)} UTC ({local.ToString("ddd HH:mm", CultureInfo.InvariantCulture)} local)  {record.StepId,-18} {record.Outcome,-14} {record.Detail}";
        var code = record.Detail?.Split(' ', 2)[0];
        return code is not null && ReasonLegend.Meaning(code) is { } meaning ? $"{text.TrimEnd()} — {meaning}" : text.TrimEnd();
    }

    /// <summary>Writes every instance of one customer with its history, or a line saying there is none.</summary>
    public static void Write(TextWriter output, IReadOnlyList<JourneyInstance> instances, TimeZoneInfo zone, string indent = "  ")
    {
        if (instances.Count == 0)
        {
            output.WriteLine(indent + "(in no journey)");
            return;
        }

        foreach (var instance in instances)
        {
            output.WriteLine(indent + Where(instance));
            if (instance.HistoryDropped > 0)
            {
                output.WriteLine($"{indent}  … {instance.HistoryDropped.ToString(CultureInfo.InvariantCulture)} older steps not kept");
            }

            foreach (var record in instance.History)
            {
                output.WriteLine(indent + "  " + Step(record, zone));
            }
        }
    }
}
