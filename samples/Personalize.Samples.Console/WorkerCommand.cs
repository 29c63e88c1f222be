using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Personalize.Catalog;
using Personalize.Decisions;
using Personalize.Delivery.Sinks;
using Personalize.PostgreSql;
using Personalize.Sending;
using Personalize.Channels;

namespace Personalize.Samples.ConsoleHost;

/// <summary>
/// <c>worker --postgres CS --now INSTANT [--trigger T] [--out DIR]</c>: one worker of a send run shared through a
/// PostgreSQL store. Start it on as many machines as you like with the same connection string, trigger and instant:
/// the database splits the customers between the workers, and a worker that dies has its share taken over. Each
/// worker writes its own outbox (default <c>./outbox/worker-HOST-PID</c>).
/// </summary>
internal sealed class WorkerCommand : ICommand
{
    public int Run(CommandLine commandLine, TextWriter output, TextWriter error)
    {
        if (commandLine.Postgres is not { } connection)
        {
            error.WriteLine("error: worker needs --postgres \"CONNECTION STRING\" (the store every worker shares).");
            return ConsoleApp.UsageError;
        }

        if (commandLine.Now is not { } at)
        {
            error.WriteLine("error: worker needs --now INSTANT, the same on every worker, so they run the same run (for example --now 2026-03-15T09:00:00Z).");
            return ConsoleApp.UsageError;
        }

        var trigger = Trigger.Tick;
        if (commandLine.Trigger is { } triggerText && !Trigger.TryParse(triggerText, out trigger))
        {
            error.WriteLine($"error: --trigger '{triggerText}' is not a trigger; write event:NAME, campaign:NAME or schedule.");
            return ConsoleApp.UsageError;
        }

        var name = WorkerOptions.DefaultName();
        var outDir = Path.GetFullPath(commandLine.OutDirectory ?? Path.Combine("outbox", "worker-" + name.Replace(':', '-')));
        using var outbox = new FileOutboxSink(outDir);
        using var services = SampleHost.BuildServices(commandLine, outbox);
        var engine = services.GetRequiredService<DecisionEngine>();
        var catalog = SampleHost.LoadCatalog(SampleHost.ResolveCatalogFile(commandLine), engine.Eligibility.Channels);
        var content = SampleHost.LoadContent(catalog, SampleHost.ResolveTemplatesDirectory(commandLine));
        try
        {
            using var store = PostgreSqlPersonalizeStore.Open(connection, engine.Eligibility.Channels);
            var runner = services.GetRequiredService<SendRunner>();
            var summary = runner.RunWorkerAsync(new SendRun(catalog, content, trigger) { At = at }, store, new WorkerOptions { Name = name }).GetAwaiter().GetResult();
            var totals = summary.Totals;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"worker {name}: {(summary.AlreadyCompleted ? "the run was already completed; " : string.Empty)}decided {totals.Processed}, sent {totals.TotalSent}, deferred {totals.Deferred}, already sent {totals.AlreadyWritten}, handed over again {totals.Recovered}, errors {totals.Errors}; outbox {outDir}"));
            return totals.Errors > 0 ? ConsoleApp.PartialFailure : ConsoleApp.Ok;
        }
        catch (PostgreSqlStoreException ex)
        {
            error.WriteLine("error: " + ex.Message);
            return ConsoleApp.DataError;
        }
    }
}
