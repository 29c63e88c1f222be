using Personalize.Delivery;
namespace Personalize.Sending;

/// <summary>Options of rendering and send runs (<c>services.AddPersonalizeSending(o =&gt; …)</c>).</summary>
public sealed class SendingOptions
{
    /// <summary>Gets or sets the brand templates see as <c>brand</c>.</summary>
    /// <value>The default value is a brand named "Our team".</value>
    public BrandInfo Brand { get; set; } = new();

    /// <summary>
    /// Gets or sets the progressive-profiling questions: a template that reads <c>question</c> gets the best one that fits
    /// the message (at most one per message; none for an ask), and the send remembers the ask. <see langword="null"/> asks nothing.
    /// </summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public Profiling.QuestionBank? Questions { get; set; }

    /// <summary>Gets or sets how many customers are decided and rendered at once; null means <see cref="Environment.ProcessorCount"/>.</summary>
    /// <value>The default value is <see langword="null"/> (the core count).</value>
    public int? MaxDegreeOfParallelism { get; set; }

    /// <summary>Gets or sets how many customers may wait between the reader of the customer stream and the workers (backpressure: the stream is not read further while the queue is full).</summary>
    /// <value>The default value is 256.</value>
    public int QueueCapacity { get; set; } = 256;

    /// <summary>Gets or sets how many per-customer errors a run keeps in its summary (all are counted).</summary>
    /// <value>The default value is 1000.</value>
    public int MaxRecordedErrors { get; set; } = 1000;

    /// <summary>Gets or sets after how many processed customers a progress snapshot is reported.</summary>
    /// <value>The default value is 1000.</value>
    public int ProgressEvery { get; set; } = 1000;

    /// <summary>Gets or sets how many customers (or scheduled sends) a run with a store reads, decides and records at once: one read and one write transaction per page.</summary>
    /// <value>The default value is 500.</value>
    public int PageSize { get; set; } = 500;

    /// <summary>
    /// Gets or sets the format of the idempotency keys of new runs, events, ticks and journey steps. A campaign run
    /// recorded in a store keeps the format it started with when it is resumed (<see cref="Storage.RunRecord.KeyFormat"/>).
    /// <see cref="IdempotencyKeyFormat.Hashed"/> gives the keys of earlier versions: for a host whose only guard against a
    /// repeated send is a sink that skips keys it holds (a run without a store), across the upgrade.
    /// </summary>
    /// <value>The default value is <see cref="IdempotencyKeyFormat.TimeOrdered"/>.</value>
    public IdempotencyKeyFormat IdempotencyKeyFormat { get; set; } = IdempotencyKeyFormat.TimeOrdered;

    /// <summary>Checks the options.</summary>
    /// <returns>Every problem, empty when valid.</returns>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (Brand is null)
        {
            problems.Add("Brand is required.");
        }

        if (MaxDegreeOfParallelism is < 1)
        {
            problems.Add($"MaxDegreeOfParallelism is {MaxDegreeOfParallelism}; use 1 or more, or null for the core count.");
        }

        if (QueueCapacity < 1)
        {
            problems.Add($"QueueCapacity is {QueueCapacity}; use 1 or more.");
        }

        if (MaxRecordedErrors < 0)
        {
            problems.Add($"MaxRecordedErrors is {MaxRecordedErrors}; use 0 or more.");
        }

        if (PageSize < 1)
        {
            problems.Add($"PageSize is {PageSize}; use 1 or more.");
        }

        if (IdempotencyKeyFormat is not (IdempotencyKeyFormat.Hashed or IdempotencyKeyFormat.TimeOrdered))
        {
            problems.Add($"IdempotencyKeyFormat is {(int)IdempotencyKeyFormat}; use Hashed (1) or TimeOrdered (2).");
        }

        if (ProgressEvery < 1)
        {
            problems.Add($"ProgressEvery is {ProgressEvery}; use 1 or more.");
        }

        return problems;
    }

    internal int Parallelism => MaxDegreeOfParallelism ?? Environment.ProcessorCount;
}
