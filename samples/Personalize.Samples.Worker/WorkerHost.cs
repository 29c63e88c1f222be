using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Personalize;
using Personalize.Channels;
using Personalize.Delivery.Sinks;
using Personalize.Hosting;

namespace Personalize.Samples.Worker;

/// <summary>Builds the sample's host (the tests start and stop it too).</summary>
public static class WorkerHost
{
    /// <summary>Builds the host from appsettings.json, environment variables and the command line (<c>--Personalize:Worker:Interval=00:00:10</c>).</summary>
    /// <param name="args">The command line.</param>
    /// <returns>The host, not started.</returns>
    public static IHost Build(string[] args)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ContentRootPath = AppContext.BaseDirectory });
        var personalize = builder.Configuration.GetSection("Personalize");

        // Every options class from configuration, validated at start; the host's own channel in code.
        builder.Services.AddPersonalize(personalize);
        builder.Services.Configure<PersonalizeOptions>(static o => o.AddChannel("whatsapp", ContactPointKind.MobilePhone, "WhatsApp"));
        builder.Services.PostConfigure<PersonalizeWorkerOptions>(static o =>
        {
            o.CatalogFile = InBaseDirectory(o.CatalogFile);
            o.TemplatesDirectory = InBaseDirectory(o.TemplatesDirectory);
        });

        builder.Services.AddPersonalizeSqlite(personalize["Sqlite:Path"] ?? "personalize-worker.db");
        var outbox = builder.Configuration["Sample:Outbox"] ?? "outbox";
        builder.Services.AddSingleton<IMessageSink>(_ => new FileOutboxSink(outbox));

        // The seeding runs before the worker's first pass (hosted services start in order).
        builder.Services.AddHostedService(static sp => ActivatorUtilities.CreateInstance<SeedCustomers>(sp, InBaseDirectory(sp.GetRequiredService<IConfiguration>()["Sample:CustomersFile"] ?? "data/customers.json")!));
        builder.Services.AddPersonalizeWorker();
        builder.Services.AddHealthChecks().AddPersonalize();
        return builder.Build();
    }

    private static string? InBaseDirectory(string? path) => path is null ? null : Path.Combine(AppContext.BaseDirectory, path);
}
