using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Personalize.Consent;
using Personalize.Storage;

namespace Personalize.Samples.ConsoleHost;

/// <summary>
/// <c>history --customer ID [--db FILE]</c>: one customer's memory in time order: consent evidence, every contact
/// (with its delivery log entry when a run sent it), and deferred sends with what became of them.
/// </summary>
internal sealed class HistoryCommand : ICommand
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    public int Run(CommandLine commandLine, TextWriter output, TextWriter error)
    {
        if (commandLine.CustomerId is not { } id)
        {
            error.WriteLine("error: history needs --customer ID.");
            return ConsoleApp.UsageError;
        }

        using var services = SampleHost.BuildServices(commandLine);
        using var hosted = StoreHost.Open(commandLine, services, output);
        var store = hosted.Store;
        var customer = StoreHost.Wait(store.GetCustomerAsync(id))
            ?? throw new SampleException($"no customer '{id}' in {hosted.Path} (erased, or never imported).");
        var deliveries = ReadAll(token => store.ReadDeliveriesAsync(new DeliveryQuery { CustomerId = id, ContinueAfter = token }));
        var scheduled = ReadAll(token => store.ReadScheduledSendsAsync(new ScheduledSendQuery { CustomerId = id, State = null, ContinueAfter = token }));

        var events = new List<(DateTimeOffset At, int Order, string Kind, string Text)>();
        foreach (var record in customer.Profile.Consents.Records)
        {
            events.Add((record.RecordedAt, 0, "consent", Describe(record)));
        }

        var byContact = deliveries.ToLookup(static d => (d.MessageId, d.Channel, d.SentAt.UtcTicks));
        foreach (var contact in customer.Profile.History.Records)
        {
            var delivery = byContact[(contact.MessageId, contact.Channel, contact.SentAt.UtcTicks)].FirstOrDefault();
            var how = delivery is null
                ? "imported history"
                : $"{(delivery.State == DeliveryState.Delivered ? "delivered" : "recorded, not yet handed over")}, {delivery.Trigger}, key {delivery.IdempotencyKey}";
            events.Add((contact.SentAt, 1, "sent", $"{contact.MessageId} on {contact.Channel} ({contact.Purpose.ToString().ToLowerInvariant()} {contact.Kind.ToString().ToLowerInvariant()}; {how})"));
        }

        foreach (var send in scheduled)
        {
            events.Add((send.DecidedAt, 2, "deferred", $"{send.MessageId} on {send.Channel} until {RunCommand.Time(send.DueAt)} UTC ({send.Trigger})"));
            if (send.State == ScheduledSendState.Dropped)
            {
                events.Add((send.CompletedAt ?? send.DueAt, 3, "dropped", $"{send.MessageId} on {send.Channel}: {send.Reason}"));
            }
            else if (send.State == ScheduledSendState.Scheduled)
            {
                events.Add((send.DueAt, 3, "due", $"{send.MessageId} on {send.Channel}, waiting"));
            }
        }

        output.WriteLine($"History of {id} ({customer.Profile.Stage.ToString().ToLowerInvariant()}, version {customer.Version.ToString(C)}) in {hosted.Path}:");
        foreach (var (at, _, kind, text) in events.OrderBy(static e => e.At).ThenBy(static e => e.Order))
        {
            output.WriteLine($"  {RunCommand.Time(at)}  {kind,-8}  {text}");
        }

        if (events.Count == 0)
        {
            output.WriteLine("  (nothing recorded)");
        }

        return ConsoleApp.Ok;
    }

    private static string Describe(ConsentRecord record)
    {
        var action = record.Action == ConsentAction.Grant ? "granted" : "withdrew";
        var text = $"{action} {record.Scope} via {record.Source}";
        if (record.WordingVersion is { } version)
        {
            text += $" (wording {version})";
        }

        if (record.OptIn == OptInMethod.Double && record.Action == ConsentAction.Grant)
        {
            text += record.ConfirmedAt is { } confirmed ? $", double opt-in confirmed {RunCommand.Time(confirmed)} UTC" : ", double opt-in not confirmed";
        }

        return text;
    }

    private static List<T> ReadAll<T>(Func<string?, ValueTask<StorePage<T>>> read)
    {
        var all = new List<T>();
        string? token = null;
        do
        {
            var page = StoreHost.Wait(read(token));
            all.AddRange(page.Items);
            token = page.ContinueAfter;
        }
        while (token is not null);
        return all;
    }
}
