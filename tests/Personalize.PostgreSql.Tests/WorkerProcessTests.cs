using System.Diagnostics;
using System.Globalization;
using Personalize.Consent;
using Personalize.Customers;
using Personalize.Storage;
using Personalize.Channels;

namespace Personalize.PostgreSql.Tests;

/// <summary>Several worker processes share one PostgreSQL store and one send run; one of them is killed with SIGKILL mid-run.</summary>
public sealed class WorkerProcessTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 3, 11, 10, 0, 0, TimeSpan.Zero);
    private readonly string _schema = PostgresServer.NewSchema();
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "pz-workers-" + Guid.NewGuid().ToString("N"));

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await PostgresServer.DropAsync([_schema]);
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [PostgresFact]
    public async Task Three_workers_with_one_killed_by_sigkill_mid_run_send_every_due_message_exactly_once()
    {
        const int count = 2_400;
        await using var store = await PostgreSqlPersonalizeStore.OpenAsync(PostgresServer.Options(_schema));
        Assert.True((await store.ImportCustomersAsync(Enumerable.Range(0, count).Select(Customer).ToList())).Succeeded);

        var workers = Enumerable.Range(0, 3).Select(i => Start("w" + i)).ToArray();
        var messages = Path.Combine(_folder, "messages");

        // Kill the first worker once the run is well under way (it holds a share then: 12 shares of 200, 3 workers).
        var watch = Stopwatch.StartNew();
        while (Count(messages) < 400)
        {
            Assert.True(watch.Elapsed < TimeSpan.FromMinutes(3), "the workers sent nothing for 3 minutes: " + await OutputAsync(workers));
            Assert.False(workers[0].Process.HasExited, "worker w0 ended before it was killed: " + await OutputAsync(workers));
            await Task.Delay(20);
        }

        workers[0].Process.Kill(); // SIGKILL on Linux: no cleanup, its lease runs out
        var killedAt = Count(messages);
        foreach (var worker in workers.Skip(1))
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
            await worker.Process.WaitForExitAsync(timeout.Token);
            Assert.True(worker.Process.ExitCode == 0, $"worker exited with {worker.Process.ExitCode}: {await OutputAsync(workers)}");
        }

        Assert.InRange(killedAt, 400, count - 1);

        // The delivery log: one entry per customer, every one delivered.
        var log = new List<DeliveryRecord>();
        string? token = null;
        do
        {
            var page = await store.ReadDeliveriesAsync(new DeliveryQuery { Limit = 1_000, ContinueAfter = token });
            log.AddRange(page.Items);
            token = page.ContinueAfter;
        }
        while (token is not null);

        Assert.Equal(count, log.Count);
        Assert.Equal(count, log.Select(d => d.CustomerId).Distinct().Count());
        Assert.All(log, d => Assert.Equal(DeliveryState.Delivered, d.State));

        // The shared sink (one message per key, as a provider keeps): exactly the logged keys.
        Assert.Equal(log.Select(d => d.IdempotencyKey).Order(StringComparer.Ordinal), Directory.GetFiles(messages).Select(Path.GetFileName).Order(StringComparer.Ordinal));

        // Every key was handed over; a key handed over twice was one the killed worker had recorded and maybe handed
        // over just before it died, handed over again by the worker that took its share over.
        var handoffs = Directory.GetFiles(_folder, "handoffs-*.log").SelectMany(File.ReadAllLines).GroupBy(k => k, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        Assert.Equal(count, handoffs.Count);
        var twice = handoffs.Where(h => h.Value > 1).Select(h => h.Key).ToList();
        Assert.All(twice, key => Assert.Contains(key, File.ReadAllLines(Path.Combine(_folder, "handoffs-w0.log"))));
        Assert.True(twice.Count <= 2 * 25, $"{twice.Count} keys were handed over twice; at most the killed worker's page in flight may be");

        // The run: finished, at least one share taken over, every customer counted once.
        var runId = Assert.Single(log.Select(d => d.RunId).Distinct())!;
        Assert.Equal(Now, (await store.GetRunAsync(runId))!.At);
        var work = await store.ReadWorkAsync(runId);
        Assert.True(work.IsFinished);
        Assert.True(work.Takeovers >= 1, "no share was taken over from the killed worker");
        Assert.Equal(count, work.Processed);
        Assert.Equal(count, work.Sent + work.AlreadySent);
        var run = await store.GetRunAsync(runId);
        Assert.Equal((RunStatus.Completed, (long)count), (run!.Status, run.Processed));
    }

    private static CustomerProfile Customer(int i) => new()
    {
        Id = "c-" + i.ToString("D5", CultureInfo.InvariantCulture),
        ContactPoints = new ContactPoints { Email = $"c{i}@example.com" },
        Consents = new ConsentLedger(
        [
            ConsentRecord.Grant(ConsentScope.ForChannel(Channel.Email), Now.AddDays(-30), ConsentSource.Form("preference center"), "v1"),
            ConsentRecord.Grant(ConsentScope.ForTopic("gardening"), Now.AddDays(-30), ConsentSource.Form("preference center"), "v1"),
        ]),
    };

    private static int Count(string folder) => Directory.Exists(folder) ? Directory.GetFiles(folder).Length : 0;

    /// <summary>
    /// Starts a worker. Its lease is 5 s (renewed every third of it): long enough that a live worker on a machine
    /// loaded far beyond its cores still renews in time (1.5 s left a live worker at risk of losing its share), short enough
    /// that the killed worker's share is taken over within seconds.
    /// </summary>
    private Worker Start(string name)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            WorkerPath(), "--connection", PostgresServer.ConnectionString!, "--schema", _schema, "--sink", _folder, "--name", name,
            "--now", Now.ToString("O", CultureInfo.InvariantCulture), "--lease-ms", "5000", "--share-size", "200", "--page-size", "25", "--write-delay-ms", "2",
        })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start)!;
        return new Worker(name, process, process.StandardOutput.ReadToEndAsync(), process.StandardError.ReadToEndAsync());
    }

    private static async Task<string> OutputAsync(IEnumerable<Worker> workers)
    {
        var text = new List<string>();
        foreach (var worker in workers)
        {
            if (worker.Process.HasExited)
            {
                text.Add($"{worker.Name}: exit {worker.Process.ExitCode}; {await worker.Output} {await worker.Error}");
            }
            else
            {
                text.Add($"{worker.Name}: running");
            }
        }

        return string.Join(" | ", text);
    }

    /// <summary>The worker program, built next to the tests (same configuration).</summary>
    private static string WorkerPath()
    {
        var tests = AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar);
        var path = tests.Replace(Path.Combine("tests", "Personalize.PostgreSql.Tests"), Path.Combine("tests", "Personalize.PostgreSql.Worker"), StringComparison.Ordinal);
        return Path.Combine(path, "Personalize.PostgreSql.Worker.dll");
    }

    private sealed record Worker(string Name, Process Process, Task<string> Output, Task<string> Error);
}
