namespace Personalize.Storage;

/// <summary>
/// A worker's request for a share of a send run's customers (<see cref="IPersonalizeStore.ClaimWorkAsync"/>). Several
/// workers, in one process or on several machines, run the same run against one store; the store splits the run's
/// customers into shares by id range and hands each share to one worker at a time, under a lease.
/// </summary>
public sealed record WorkRequest
{
    /// <summary>The default of <see cref="Lease"/>: 30 seconds.</summary>
    public static readonly TimeSpan DefaultLease = TimeSpan.FromSeconds(30);

    /// <summary>The default of <see cref="ShareSize"/>: 10,000 customers.</summary>
    public const int DefaultShareSize = 10_000;

    /// <summary>Gets the run's id (<see cref="RunRecord.CreateId"/>): every worker of one run passes the same id.</summary>
    public required string RunId { get; init; }

    /// <summary>Gets the worker's name, unique among the workers of the run (for example <c>host:pid:random</c>); shown as a share's holder.</summary>
    public required string Worker { get; init; }

    /// <summary>
    /// Gets how long a claimed share stays the worker's without a word from it. The worker reports progress well
    /// within it (<see cref="IPersonalizeStore.ReportWorkAsync"/> renews the lease); when a worker stops reporting
    /// (killed, hung, cut off) its share can be claimed by another worker once the lease has run out.
    /// </summary>
    /// <value>The default value is <see cref="DefaultLease"/> (30 seconds).</value>
    public TimeSpan Lease { get; init; } = DefaultLease;

    /// <summary>
    /// Gets about how many customers one share holds when the store splits the run (the first claim of a run splits
    /// it; later claims take the shares as they are). Stores that do not split (in memory, SQLite) ignore it.
    /// </summary>
    /// <value>The default value is <see cref="DefaultShareSize"/> (10,000).</value>
    public int ShareSize { get; init; } = DefaultShareSize;
}
