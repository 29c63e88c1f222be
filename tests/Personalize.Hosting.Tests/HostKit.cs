using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Personalize.Channels;
using Personalize.Delivery;
using Personalize.Delivery.Sinks;
using Personalize.Hosting;
using Personalize.Serialization;
using Personalize.Storage;

namespace Personalize.Hosting.Tests;

/// <summary>Hosts built as an application would build them: configuration in, the SQLite store, the bundled data.</summary>
internal static class HostKit
{
    public static readonly string DataDirectory = Path.Combine(AppContext.BaseDirectory, "data");

    /// <summary>A valid <c>Personalize</c> section (the sample's delivery settings), with overrides.</summary>
    public static Dictionary<string, string?> Settings(string database, params (string Key, string? Value)[] overrides)
    {
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["Personalize:Delivery:FromAddress"] = "hello@greenthumb.example",
            ["Personalize:Delivery:ListId"] = "news.greenthumb.example",
            ["Personalize:Delivery:UnsubscribeUrl"] = "https://greenthumb.example/unsubscribe",
            ["Personalize:Delivery:UnsubscribeMailbox"] = "unsubscribe@greenthumb.example",
            ["Personalize:Delivery:PreferenceCenterUrl"] = "https://greenthumb.example/preferences",
            ["Personalize:Delivery:TokenSigningKey"] = "hosting-tests-signing-key-0123456789-abcdefghij",
            ["Personalize:Sending:Brand:Name"] = "Green Thumb Garden Co.",
            ["Personalize:Sqlite:Path"] = database,
            ["Personalize:Worker:CatalogFile"] = Path.Combine(DataDirectory, "catalog.json"),
            ["Personalize:Worker:TemplatesDirectory"] = Path.Combine(DataDirectory, "templates"),
        };
        foreach (var (key, value) in overrides)
        {
            settings[key] = value;
        }

        return settings;
    }

    /// <summary>A host with the worker, the health checks, the SQLite store and the given sink and clock.</summary>
    public static IHost Build(Dictionary<string, string?> settings, IMessageSink sink, TimeProvider? time = null, Action<IServiceCollection>? more = null)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings);
        var personalize = builder.Configuration.GetSection("Personalize");
        builder.Services.AddLogging();
        builder.Services.AddPersonalize(personalize);
        builder.Services.Configure<PersonalizeOptions>(static o => o.AddChannel("whatsapp", ContactPointKind.MobilePhone, "WhatsApp"));
        builder.Services.AddPersonalizeSqlite(personalize["Sqlite:Path"]!);
        builder.Services.AddSingleton(sink);
        if (time is not null)
        {
            builder.Services.AddSingleton(time);
        }

        builder.Services.AddPersonalizeWorker();
        builder.Services.AddHealthChecks().AddPersonalize();
        more?.Invoke(builder.Services);
        return builder.Build();
    }

    /// <summary>Imports the bundled customers.</summary>
    public static async Task SeedAsync(IServiceProvider services)
    {
        var json = services.GetRequiredService<CustomerJson>();
        Assert.True(json.TryReadCustomers(await File.ReadAllBytesAsync(Path.Combine(DataDirectory, "customers.json")), out var customers, out var errors), string.Join("; ", errors));
        Assert.True((await services.GetRequiredService<IPersonalizeStore>().ImportCustomersAsync(customers)).Succeeded);
    }

    /// <summary>Every scheduled send in a state.</summary>
    public static async Task<IReadOnlyList<ScheduledSend>> ScheduledAsync(IPersonalizeStore store, ScheduledSendState? state)
        => (await store.ReadScheduledSendsAsync(new ScheduledSendQuery { State = state, Limit = 10_000 })).Items;

    /// <summary>Every delivery log entry in a state.</summary>
    public static async Task<IReadOnlyList<DeliveryRecord>> DeliveriesAsync(IPersonalizeStore store, DeliveryState? state)
        => (await store.ReadDeliveriesAsync(new DeliveryQuery { State = state, Limit = 10_000 })).Items;

    /// <summary>Waits (on the real clock) until a condition holds.</summary>
    public static async Task WaitUntilAsync(Func<bool> condition, string what, int seconds = 60)
    {
        var until = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < until, $"Timed out after {seconds} s waiting until {what}.");
            await Task.Delay(20);
        }
    }

    public static PersonalizeWorkerStatus Status(this IHost host) => host.Services.GetRequiredService<PersonalizeWorkerStatus>();

    /// <summary>A temporary folder, deleted with its files.</summary>
    internal sealed class TempFolder : IDisposable
    {
        public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "pz-hosting-" + Guid.NewGuid().ToString("N"));

        public TempFolder() => Directory.CreateDirectory(Path);

        public string File(string name) => System.IO.Path.Combine(Path, name);

        public void Dispose()
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(Path, recursive: true);
            }
            catch (IOException)
            {
                // A file still open on some platform; the temp folder is cleaned by the system.
            }
        }
    }

    /// <summary>A sink that, once armed, holds its next write until released.</summary>
    internal sealed class GateSink : IMessageSink
    {
        private int _writes;

        public bool Armed { get; set; }

        public InMemorySink Inner { get; } = new();

        public TaskCompletionSource FirstWrite { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async ValueTask WriteAsync(OutgoingMessage message, CancellationToken cancellationToken = default)
        {
            if (Armed && Interlocked.Increment(ref _writes) == 1)
            {
                FirstWrite.TrySetResult();
                await Release.Task.WaitAsync(cancellationToken);
            }

            await Inner.WriteAsync(message, cancellationToken);
        }

        public ValueTask<bool> ContainsAsync(string idempotencyKey, CancellationToken cancellationToken = default) => Inner.ContainsAsync(idempotencyKey, cancellationToken);
    }
}
