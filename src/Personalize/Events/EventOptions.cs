namespace Personalize.Events;

/// <summary>How events are checked, mapped to facts and turned into triggers.</summary>
public sealed record EventOptions
{
    /// <summary>Gets which facts each event type updates.</summary>
    /// <value>The default value is <see cref="FactMappings.CreateDefault"/>.</value>
    public FactMappings Mappings { get; init; } = FactMappings.CreateDefault();

    /// <summary>Gets how the lifecycle stage follows from facts.</summary>
    /// <value>The default value is <see cref="LifecycleRules.Default"/>.</value>
    public LifecycleRules Lifecycle { get; init; } = LifecycleRules.Default;

    /// <summary>Gets how many events are read, applied and written per transaction (at most: see <see cref="MaxBatchWait"/>).</summary>
    /// <value>The default value is 10,000.</value>
    public int BatchSize { get; init; } = 10_000;

    /// <summary>
    /// Gets how long a batch that is not full waits for the stream's next event: when the stream has no event ready and
    /// the batch in hand has waited this long since its first event, it is written (a live stream's events are applied,
    /// and their messages decided, within this time; a file or a busy stream fills whole batches).
    /// <see cref="Timeout.InfiniteTimeSpan"/> writes only full batches and the last one.
    /// </summary>
    /// <value>The default value is 1 second.</value>
    public TimeSpan MaxBatchWait { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Gets the largest event id, in characters (longer ids are rejected with <see cref="EventCodes.InvalidId"/>).</summary>
    /// <value>The default value is 200.</value>
    public int MaxIdLength { get; init; } = 200;

    /// <summary>Gets the largest <see cref="CustomerEvent.Data"/>, in bytes of JSON (larger data is rejected with <see cref="EventCodes.DataTooLarge"/>).</summary>
    /// <value>The default value is 16 KiB.</value>
    public int MaxDataBytes { get; init; } = 16 * 1024;

    /// <summary>
    /// Gets how old an event may be (from when it happened to the ingestion instant) and still trigger messages. An
    /// older event updates facts (and the stage) but triggers nothing: "your order shipped" a month late is noise.
    /// </summary>
    /// <value>The default value is 3 days.</value>
    public TimeSpan MaxTriggerAge { get; init; } = TimeSpan.FromDays(3);

    /// <summary>
    /// Gets the progressive-profiling questions a <c>preference_answered</c> event answers. With them, ingesting such an
    /// event records the answer as <see cref="Profiling.ProfilingAnswers.AnswerEventAsync"/> does: the topic granted with
    /// the question's wording and wording version, the preference it sets, and the fact that marks it answered (never
    /// asked again); an answer the question does not take is rejected with its <c>profiling.*</c> code. Without them,
    /// such an event is rejected with <see cref="EventCodes.AnswerWithoutQuestions"/>, because a fact alone would leave
    /// the consent and the preference unrecorded.
    /// </summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public Profiling.QuestionBank? Questions { get; init; }

    /// <summary>Gets how far in the future (from the ingestion instant) an event may say it happened.</summary>
    /// <value>The default value is 5 minutes (clock skew); later ones are rejected with <see cref="EventCodes.InFuture"/>.</value>
    public TimeSpan MaxClockSkew { get; init; } = TimeSpan.FromMinutes(5);
}
