using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Personalize.Catalog;
using Personalize.Decisions;
using Personalize.PostgreSql;
using Personalize.Serialization;
using Personalize.Storage;
using Personalize.Channels;

namespace Personalize.Samples.ConsoleHost;

/// <summary>
/// <c>workers --postgres CS [--count N] [--now INSTANT] [--trigger T] [--out DIR]</c>: runs the campaign with N worker
/// processes (<c>worker</c> commands of this program) sharing one PostgreSQL store, after importing the bundled
/// customers (or <c>--data FILE</c>) when the store has none. Each worker writes its own outbox under
/// <c>DIR/worker-K</c>. The same run started again at the same <c>--now</c> sends nothing more.
/// </summary>
internal sealed class WorkersCommand : ICommand
{
    public int Run(CommandLine commandLine, TextWriter output, TextWriter error)
    {
        if (commandLine.Postgres is not { } connection)
        {
            error.WriteLine("error: workers needs --postgres \"CONNECTION STRING\" (for example --postgres \"Host=localhost;Database=personalize;Username=me\").");
            return ConsoleApp.UsageError;
        }

        var trigger = Trigger.Tick;
        if (commandLine.Trigger is { } triggerText && !Trigger.TryParse(triggerText, out trigger))
        {
            error.WriteLine($"error: --trigger '{triggerText}' is not a trigger; write event:NAME, campaign:NAME or schedule.");
            return ConsoleApp.UsageError;
        }

        var count = commandLine.Count ?? 3;
        var outDir = Path.GetFullPath(commandLine.OutDirectory ?? "outbox");
        using var services = SampleHost.BuildServices(commandLine);
        var channels = services.GetRequiredService<DecisionEngine>().Eligibility.Channels;
        var at = commandLine.Now ?? services.GetRequiredService<TimeProvider>().GetUtcNow();
        try
        {
            using var store = PostgreSqlPersonalizeStore.Open(connection, channels);
            if (store.CountCustomersAsync().AsTask().GetAwaiter().GetResult() == 0)
            {
                var file = SampleHost.ResolveDataFile(commandLine);
                var customers = SampleHost.LoadCustomers(services.GetRequiredService<CustomerJson>(), file);
                var imported = store.ImportCustomersAsync(customers).AsTask().GetAwaiter().GetResult();
                if (!imported.Succeeded)
                {
                    foreach (var problem in imported.Errors)
                    {
                        error.WriteLine("error: " + problem);
                    }

                    return ConsoleApp.DataError;
                }

                output.WriteLine($"Imported {imported.Created} customers from {Path.GetFileName(file)} into {store.Server} (schema {store.Schema}).");
            }

            var instant = at.ToString("O", CultureInfo.InvariantCulture);
            output.WriteLine($"Starting {count} workers for the run at {instant} against {store.Server} (schema {store.Schema}).");
            var workers = Enumerable.Range(1, count).Select(k => Start(commandLine, connection, instant, Path.Combine(outDir, "worker-" + k.ToString(CultureInfo.InvariantCulture)))).ToList();
            var exit = ConsoleApp.Ok;
            foreach (var (process, stdout, stderr) in workers)
            {
                process.WaitForExit();
                output.Write(stdout.GetAwaiter().GetResult());
                error.Write(stderr.GetAwaiter().GetResult());
                exit = Math.Max(exit, process.ExitCode);
            }

            var work = store.ReadWorkAsync(RunRecord.CreateId(trigger.ToString(), at)).AsTask().GetAwaiter().GetResult();
            output.WriteLine($"Run: {work.Shares} shares, {work.Completed} completed, {work.Takeovers} taken over; {work.Processed} customers decided, {work.Sent} messages sent, {work.Scheduled} deferred, {work.AlreadySent} already sent, {work.Errors} errors.");
            return exit;
        }
        catch (PostgreSqlStoreException ex)
        {
            error.WriteLine("error: " + ex.Message);
            return ConsoleApp.DataError;
        }
    }

    /// <summary>Starts this program's <c>worker</c> command in a new process.</summary>
    private static (Process Process, Task<string> Output, Task<string> Error) Start(CommandLine commandLine, string connection, string instant, string outDir)
    {
        var self = Environment.ProcessPath ?? "dotnet";
        var start = new ProcessStartInfo(self) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(self).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
        {
            start.ArgumentList.Add(typeof(WorkersCommand).Assembly.Location);
        }

        var arguments = new List<string> { "worker", "--postgres", connection, "--now", instant, "--out", outDir };
        if (commandLine.Trigger is { } trigger)
        {
            arguments.AddRange(["--trigger", trigger]);
        }

        if (commandLine.CatalogFile is { } catalog)
        {
            arguments.AddRange(["--catalog", catalog]);
        }

        if (commandLine.TemplatesDirectory is { } templates)
        {
            arguments.AddRange(["--templates", templates]);
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new SampleException($"could not start a worker process ({self}).");
        return (process, process.StandardOutput.ReadToEndAsync(), process.StandardError.ReadToEndAsync());
    }
}
