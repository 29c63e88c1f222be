using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Personalize.Serialization;
using Personalize.Storage;

namespace Personalize.Samples.Worker;

/// <summary>Imports the bundled customers into an empty store when the host starts.</summary>
internal sealed partial class SeedCustomers(IPersonalizeStore store, CustomerJson json, ILogger<SeedCustomers> logger, string file) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (await store.CountCustomersAsync(cancellationToken) > 0)
        {
            return;
        }

        if (!json.TryReadCustomers(await File.ReadAllBytesAsync(file, cancellationToken), out var customers, out var errors))
        {
            throw new InvalidOperationException($"{file}: {errors.Count} error(s), for example {errors[0]}");
        }

        var result = await store.ImportCustomersAsync(customers, cancellationToken);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"{file}: the store refused the import: {string.Join("; ", result.Errors.Take(3))}");
        }

        LogSeeded(logger, customers.Count, file);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(1, LogLevel.Information, "Imported {Count} customers from {File} into the empty store")]
    private static partial void LogSeeded(ILogger logger, int count, string file);
}
