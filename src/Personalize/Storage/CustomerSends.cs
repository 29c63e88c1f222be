using Personalize.Customers;
using Personalize.Events;
using Personalize.Journeys;

namespace Personalize.Storage;

/// <summary>What one decision (or one due-sends check) writes for one customer, all or nothing.</summary>
public sealed record CustomerSends
{
    /// <summary>Gets the customer's id.</summary>
    public required string CustomerId { get; init; }

    /// <summary>
    /// Gets the customer's version the decision read; when another write came in between, nothing of this entry is
    /// written and the result is <see cref="WriteStatus.Conflict"/>. <see langword="null"/> writes without the check.
    /// </summary>
    public long? ExpectedVersion { get; init; }

    /// <summary>Gets the messages to record in the delivery log, each with its contact history record, in the state each record carries: <see cref="DeliveryState.Pending"/> (the default: to be handed to the sink after the commit, then marked) or <see cref="DeliveryState.Delivered"/> (nothing left to hand over).</summary>
    /// <value>The default value is empty.</value>
    public IReadOnlyList<DeliveryRecord> Deliveries { get; init; } = [];

    /// <summary>
    /// Gets the contact points the <see cref="Deliveries"/> go to. The store checks them against its suppression list in
    /// the write's transaction: a delivery whose every contact point given here is listed (a hard bounce recorded by
    /// another worker or process since the decision) is not recorded, nor its contact history, and its key is reported
    /// in <see cref="CustomerSendsResult.Suppressed"/>; a completion of it as <see cref="ScheduledSendState.Sent"/> is
    /// recorded as <see cref="ScheduledSendState.Dropped"/> with reason <c>contact_point.suppressed</c>. A delivery
    /// without an entry here is not checked.
    /// </summary>
    /// <value>The default value is empty.</value>
    public IReadOnlyList<DeliveryContactPoint> ContactPoints { get; init; } = [];

    /// <summary>
    /// Gets a value indicating whether a delivery the suppression list refuses (see <see cref="ContactPoints"/>) refuses
    /// this whole entry: nothing of it is written, the result's status is <see cref="WriteStatus.Refused"/> and its
    /// <see cref="CustomerSendsResult.Suppressed"/> names the refused keys. The journey pass sets it: a step whose message
    /// the list refuses must not be recorded as sent; the pass plans the customer again with that channel suppressed and
    /// follows the step's policy (skip, retry, exit).
    /// </summary>
    /// <value>The default value is <see langword="false"/> (only the refused deliveries are left out).</value>
    public bool RefuseWhenSuppressed { get; init; }

    /// <summary>Gets the deferred messages to hold as scheduled sends.</summary>
    /// <value>The default value is empty.</value>
    public IReadOnlyList<ScheduledSend> Scheduled { get; init; } = [];

    /// <summary>Gets what became of scheduled sends of this customer.</summary>
    /// <value>The default value is empty.</value>
    public IReadOnlyList<ScheduledSendCompletion> Completions { get; init; } = [];

    /// <summary>
    /// Gets the customer's profile fields to write with the sends (a lifecycle stage or service flags that events
    /// changed), as <see cref="IPersonalizeStore.SaveProfileAsync"/> would write them, or <see langword="null"/> to keep them.
    /// </summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public CustomerProfile? Profile { get; init; }

    /// <summary>
    /// Gets the lifecycle stage events moved the customer to, written without the rest of the profile (event ingestion of a
    /// customer read as a screen: only its facts and screened fields are at hand), or <see langword="null"/> to keep it.
    /// Only a store whose <see cref="IScreenReader.WritesStage"/> is <see langword="true"/> is handed one; never set together with <see cref="Profile"/>.
    /// </summary>
    internal LifecycleStage? Stage { get; init; }

    /// <summary>
    /// Gets consent evidence to append to the customer's ledger in the same transaction as the rest of this entry (a
    /// preference-center save writes its consent records and its preference changes together: a crash leaves both or
    /// neither). Appending makes the customer's version grow.
    /// </summary>
    /// <value>The default value is empty.</value>
    public IReadOnlyList<Consent.ConsentRecord> Consents { get; init; } = [];

    private readonly CustomerFacts? _facts;
    private readonly IFactsAtWrite? _factsAtWrite;

    /// <summary>Gets the customer's facts to write (they replace the stored ones), or <see langword="null"/> to keep them.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public CustomerFacts? Facts { get => _facts ?? _factsAtWrite?.Make(); init => (_facts, _factsAtWrite) = (value, null); }

    /// <summary>
    /// Sets what makes <see cref="Facts"/> each time a store reads them, when <see cref="Facts"/> is not set (a send run's
    /// ask: ADR 0088), instead of a set made with the decision and held, with the message, until the recorder writes the
    /// customer. Setting <see cref="Facts"/> (<c>with { Facts = … }</c>) clears it.
    /// </summary>
    internal IFactsAtWrite? FactsAtWrite { get => _factsAtWrite; init => _factsAtWrite = value; }

    /// <summary>Whether <see cref="Facts"/> is set (without making the facts a <see cref="FactsAtWrite"/> would make).</summary>
    internal bool HasFacts => _facts is not null || _factsAtWrite is not null;

    /// <summary>
    /// Gets the events to store as applied. Their ids are unique in the store: when one is already held, nothing of this
    /// entry is written and the result is <see cref="WriteStatus.Conflict"/> (read again and leave that event out).
    /// </summary>
    /// <value>The default value is empty.</value>
    public IReadOnlyList<CustomerEvent> Events { get; init; } = [];

    /// <summary>Gets the stage and tier changes to record.</summary>
    /// <value>The default value is empty.</value>
    public IReadOnlyList<CustomerChange> Changes { get; init; } = [];

    /// <summary>
    /// Gets the journey instances to write with the sends their steps caused (one transaction, so a step and its
    /// message are recorded together or not at all). An instance with <see cref="JourneyInstance.Revision"/> 1 is
    /// created only when the store holds none with its key (otherwise it is left as it is and its
    /// <see cref="JourneyInstance.Key"/> is reported in <see cref="CustomerSendsResult.AlreadyRecorded"/>: a customer
    /// enters a journey without re-entry once); a later revision replaces the stored instance. Writing an instance
    /// makes the customer's version grow, so journey writes of one customer are serialized by
    /// <see cref="ExpectedVersion"/>.
    /// </summary>
    /// <value>The default value is empty.</value>
    public IReadOnlyList<JourneyInstance> Journeys { get; init; } = [];
}
