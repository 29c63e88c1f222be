using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Personalize.Delivery.Sinks;
using Personalize.Storage;

namespace Personalize.Hosting;

/// <summary>Whether the store answers: reads one run record by id (an index lookup, whatever the store's size).</summary>
internal sealed class StoreHealthCheck(IPersonalizeStore store) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await store.GetRunAsync("personalize.health-check", cancellationToken).ConfigureAwait(false);
            return HealthCheckResult.Healthy("The store answers.");
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, $"The store does not answer ({ex.GetType().Name}).", ex);
        }
    }
}

/// <summary>
/// Whether the sink answers: a sink that is an <see cref="IHealthCheck"/> itself (one that can reach its provider) is
/// asked; any other is asked whether it holds a key (<see cref="IMessageSink.ContainsAsync"/>: a file outbox reads its
/// folder, a provider's sink its idempotency memory).
/// </summary>
internal sealed class SinkHealthCheck(IMessageSink sink) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (sink is IHealthCheck own)
        {
            return await own.CheckHealthAsync(context, cancellationToken).ConfigureAwait(false);
        }

        try
        {
            await sink.ContainsAsync("personalize.health-check", cancellationToken).ConfigureAwait(false);
            return HealthCheckResult.Healthy("The sink answers.");
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, $"The sink does not answer ({ex.GetType().Name}).", ex);
        }
    }
}

/// <summary>Whether the worker's passes succeed: unhealthy after a failed pass, degraded when no pass finished for three intervals.</summary>
internal sealed class WorkerHealthCheck(PersonalizeWorkerStatus status, IOptions<PersonalizeWorkerOptions> options, TimeProvider time) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var data = new Dictionary<string, object>(StringComparer.Ordinal) { ["passes"] = status.Passes, ["consecutive_failures"] = status.ConsecutiveFailures };
        if (status.ConsecutiveFailures > 0)
        {
            return Task.FromResult(new HealthCheckResult(context.Registration.FailureStatus, $"The last {status.ConsecutiveFailures} pass(es) failed: {status.LastResult}", data: data));
        }

        var late = options.Value.Interval * 3 + TimeSpan.FromMinutes(1);
        if (status.LastPassAt is { } last && time.GetUtcNow() - last > late)
        {
            return Task.FromResult(HealthCheckResult.Degraded($"No pass finished since {last:O}.", data: data));
        }

        return Task.FromResult(HealthCheckResult.Healthy(status.LastPassAt is null ? "No pass finished yet." : $"Last pass at {status.LastPassAt:O}: {status.LastResult}", data));
    }
}
