using Personalize.Storage;

namespace Personalize.Sending;

/// <summary>
/// How one worker takes part in a send run shared with other workers (<see cref="SendRunner.RunWorkerAsync"/>): its
/// name, the lease on the shares it claims, and the size of the shares when it is the first to split the run.
/// </summary>
public sealed record WorkerOptions
{
    /// <summary>Gets the worker's name, unique among the run's workers (shown as the holder of its shares).</summary>
    public required string Name { get; init; }

    /// <summary>
    /// Gets how long a claimed share stays this worker's without a report. The worker reports after every page and
    /// every third of the lease; when it stops (killed, hung, cut off from the store), another worker takes the share
    /// over once the lease has run out. Shorter leases take over sooner and cost more reports.
    /// </summary>
    /// <value>The default value is <see cref="WorkRequest.DefaultLease"/> (30 seconds).</value>
    public TimeSpan Lease { get; init; } = WorkRequest.DefaultLease;

    /// <summary>Gets about how many customers a share holds when this worker is the first to split the run (stores that split).</summary>
    /// <value>The default value is <see cref="WorkRequest.DefaultShareSize"/> (10,000).</value>
    public int ShareSize { get; init; } = WorkRequest.DefaultShareSize;

    /// <summary>A name for this process: machine name, process id and a random suffix.</summary>
    /// <returns>For example <c>web-3:4711:9f2c</c>.</returns>
    public static string DefaultName() => $"{Environment.MachineName}:{Environment.ProcessId}:{Random.Shared.Next(0x10000):x4}";
}
