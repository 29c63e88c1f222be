using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Personalize.Samples.Worker;
using Personalize.Storage;
using static Personalize.Hosting.Tests.HostKit;

namespace Personalize.Hosting.Tests;

public sealed class SampleWorkerTests
{
    [Fact]
    public async Task The_sample_worker_starts_on_the_bundled_data_runs_a_pass_reports_healthy_and_stops()
    {
        using var folder = new TempFolder();
        using var host = WorkerHost.Build([$"--Personalize:Sqlite:Path={folder.File("worker.db")}", $"--Sample:Outbox={folder.File("outbox")}"]);

        await host.StartAsync();
        await WaitUntilAsync(() => host.Status().Passes + host.Status().ConsecutiveFailures >= 1, "the first pass ended");
        var report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        await host.StopAsync();

        Assert.Equal(1, host.Status().Passes);
        Assert.Equal(0, host.Status().ConsecutiveFailures);
        Assert.Equal(HealthStatus.Healthy, report.Status);
        Assert.Equal(50, await host.Services.GetRequiredService<IPersonalizeStore>().CountCustomersAsync());
        Assert.True(Directory.Exists(folder.File("outbox")));
    }
}
