using Personalize.Catalog;

namespace Personalize.Decisions;

/// <summary>
/// What the decisions of one call share: the engine, the catalog, the trigger, the instant, the detail level and the event. A batch
/// (<see cref="DecisionEngine.DecideMany"/>) makes one for all its decisions, and consecutive <see cref="DecisionEngine.Decide(CompiledCatalog, Customers.CustomerProfile, Trigger, DateTimeOffset, DecisionDetail)"/>
/// calls on a thread with the same arguments reuse the last one, so a <see cref="Decision"/> keeps one reference
/// instead of about 50 bytes of copies (decisions of a batch live together until the caller drops the batch).
/// Immutable, so sharing it across threads is safe.
/// </summary>
internal sealed class DecisionHeader
{
    [ThreadStatic]
    private static DecisionHeader? t_last;

    private DecisionHeader(DecisionEngine engine, CompiledCatalog catalog, Trigger trigger, DateTimeOffset at, DecisionDetail detail, Events.CustomerEvent? @event)
    {
        Engine = engine;
        Catalog = catalog;
        _buckets = catalog.Buckets(trigger);
        Trigger = trigger;
        At = at;
        Detail = detail;
        Event = @event;
    }

    private readonly CompiledMessage[][]? _buckets;

    public DecisionEngine Engine { get; }

    /// <summary>The compiled catalog decided against.</summary>
    public CompiledCatalog Catalog { get; }

    public Trigger Trigger { get; }

    public DateTimeOffset At { get; }

    public DecisionDetail Detail { get; }

    public Events.CustomerEvent? Event { get; }

    /// <summary>
    /// The messages a decision for <paramref name="customer"/> considered, as the engine chose them: every message with
    /// <see cref="DecisionDetail.All"/>, else the trigger's candidates for the customer's stage (the same array instance).
    /// </summary>
    public CompiledMessage[] Considered(Customers.CustomerProfile customer)
        => Detail == DecisionDetail.All ? Catalog.All : CompiledCatalog.Candidates(_buckets, customer.Stage);

    /// <summary>A new header (a batch's, shared by its decisions only).</summary>
    public static DecisionHeader Create(DecisionEngine engine, CompiledCatalog catalog, Trigger trigger, DateTimeOffset at, DecisionDetail detail, Events.CustomerEvent? @event)
        => new(engine, catalog, trigger, at, detail, @event);

    /// <summary>
    /// Without an event: the thread's last header when it has exactly these values (the same engine and catalog, the same trigger,
    /// the same instant with the same offset, the same detail), else a new one that becomes the thread's last. With an
    /// event: a new header, not kept (an event is one customer's, and the thread would otherwise hold on to it).
    /// </summary>
    public static DecisionHeader For(DecisionEngine engine, CompiledCatalog catalog, Trigger trigger, DateTimeOffset at, DecisionDetail detail, Events.CustomerEvent? @event)
    {
        if (@event is not null)
        {
            return new DecisionHeader(engine, catalog, trigger, at, detail, @event);
        }

        var last = t_last;
        if (last is not null && ReferenceEquals(last.Engine, engine) && ReferenceEquals(last.Catalog, catalog) && last.Detail == detail && last.At.EqualsExact(at) && last.Trigger == trigger)
        {
            return last;
        }

        return t_last = new DecisionHeader(engine, catalog, trigger, at, detail, null);
    }
}
