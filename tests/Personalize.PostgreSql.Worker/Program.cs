using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Personalize;
using Personalize.Catalog;
using Personalize.Customers;
using Personalize.Delivery;
using Personalize.Delivery.Sinks;
using Personalize.PostgreSql;
using Personalize.Sending;
using Personalize.Testing;
using Personalize.Channels;

// A worker of a shared send run, for the PostgreSQL worker tests:
//   worker --connection CS --schema S --sink DIR --name NAME --now INSTANT [--lease-ms N] [--share-size N] [--page-size N] [--write-delay-ms N]
// Every worker of a run gets the same schema, sink folder and instant. Prints one line "sent=N already=N recovered=N".
var options = new Dictionary<string, string>(StringComparer.Ordinal);
for (var i = 0; i + 1 < args.Length; i += 2)
{
    options[args[i].TrimStart('-')] = args[i + 1];
}

int Int(string name, int fallback) => options.TryGetValue(name, out var text) ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;
var now = DateTimeOffset.Parse(options["now"], CultureInfo.InvariantCulture);
var sink = new KeyedFolderSink(options["sink"], options["name"], TimeSpan.FromMilliseconds(Int("write-delay-ms", 0)));

var host = SendHost.Create(now, sink, Int("page-size", 50));
await using var provider = host.Provider;
var runner = host.Runner;

var catalog = MessageCatalog.CreateBuilder()
    .Add("tips", m => m.Marketing().Topics("gardening").OnSchedule().Channel(Channel.Email, "tips/email"))
    .Build()
    .Compile(new CatalogValidationOptions { Channels = ChannelRegistry.Default });
var content = MessageTemplates.CompileOrThrow(catalog, new MemoryTemplates(new Dictionary<string, string>
{
    ["tips/email.subject.sbn"] = "Hello {{ customer.id }}, this week in the garden",
    ["tips/email.text.sbn"] = "Plant roses now.\n{{ why }}\nUnsubscribe: {{ links.unsubscribe }}",
}));

await using var store = await PostgreSqlPersonalizeStore.OpenAsync(new PostgreSqlStoreOptions { ConnectionString = options["connection"], Schema = options["schema"] });
var summary = await runner.RunWorkerAsync(
    new SendRun(catalog, content, Trigger.Tick) { At = now },
    store,
    new WorkerOptions { Name = options["name"], Lease = TimeSpan.FromMilliseconds(Int("lease-ms", 30_000)), ShareSize = Int("share-size", 10_000) });
Console.WriteLine($"sent={summary.Totals.TotalSent} already={summary.Totals.AlreadyWritten} recovered={summary.Totals.Recovered} errors={summary.Totals.Errors}");
return summary.Totals.Errors == 0 ? 0 : 3;

/// <summary>
/// A sink shared by every worker, as a provider that keeps one message per idempotency key: one file per key in one
/// folder, created only when missing. Every hand-off (also of a key already there) is appended to the worker's own
/// log, so a test can tell how often a message was handed over.
/// </summary>
internal sealed class KeyedFolderSink : IMessageSink
{
    private readonly string _folder;
    private readonly StreamWriter _handoffs;
    private readonly TimeSpan _delay;
    private readonly object _gate = new();

    public KeyedFolderSink(string folder, string worker, TimeSpan delay)
    {
        _folder = Path.Combine(folder, "messages");
        Directory.CreateDirectory(_folder);
        _handoffs = new StreamWriter(new FileStream(Path.Combine(folder, $"handoffs-{worker}.log"), FileMode.Append, FileAccess.Write, FileShare.ReadWrite)) { AutoFlush = true };
        _delay = delay;
    }

    public async ValueTask WriteAsync(OutgoingMessage message, CancellationToken cancellationToken = default)
    {
        if (_delay > TimeSpan.Zero)
        {
            await Task.Delay(_delay, cancellationToken);
        }

        lock (_gate)
        {
            _handoffs.WriteLine(message.IdempotencyKey);
            try
            {
                using var file = new FileStream(Path.Combine(_folder, message.IdempotencyKey), FileMode.CreateNew, FileAccess.Write);
                file.Write(System.Text.Encoding.UTF8.GetBytes(message.CustomerId + "\n" + message.MessageId + "\n"));
            }
            catch (IOException) when (File.Exists(Path.Combine(_folder, message.IdempotencyKey)))
            {
                // The provider already has this key: it keeps one.
            }
        }
    }

    public ValueTask<bool> ContainsAsync(string idempotencyKey, CancellationToken cancellationToken = default)
        => new(File.Exists(Path.Combine(_folder, idempotencyKey)));
}
