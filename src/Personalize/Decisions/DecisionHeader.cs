using Personalize.Catalog;

namespace Personalize.Decisions;

/// <summary>
/// What the decisions of one call share: the engine, the trigger, the instant, the detail level and the event. A batch
/// (<see cref="DecisionEngine.DecideMany"/>) makes one for all its decisions, and consecutive <see cref="DecisionEngine.Decide(CompiledCatalog, Customers.CustomerProfile, Trigger, DateTimeOffset, DecisionDetail)"/>
/// calls on a thread with the same arguments reuse the last one, so a <see cref="Decision"/> keeps one reference
/// instead of about 50 bytes of copies (decisions of a batch live together until the caller drops the batch).
/// Immutable, so sharing it across threads is safe.
/// </summary>
internal sealed class DecisionHeader
{
    [ThreadStatic]
    private static DecisionHeader? t_last;

    private DecisionHeader(DecisionEngine engine, Trigger trigger, DateTimeOffset at, DecisionDetail detail, Events.CustomerEvent? @event)
    {
        Engine = engine;
        Trigger = trigger;
        At = at;
        Detail = detail;
        Event = @event;
    }

    public DecisionEngine Engine { get; }

    public Trigger Trigger { get; }

    public DateTimeOffset At { get; }

    public DecisionDetail Detail { get; }

    public Events.CustomerEvent? Event { get; }

    /// <summary>A new header (a batch's, shared by its decisions only).</summary>
    public static DecisionHeader Create(DecisionEngine engine, Trigger trigger, DateTimeOffset at, DecisionDetail detail, Events.CustomerEvent? @event)
        => new(engine, trigger, at, detail, @event);

    /// <summary>
    /// Without an event: the thread's last header when it has exactly these values (the same engine, the same trigger,
    /// the same instant with the same offset, the same detail), else a new one that becomes the thread's last. With an
    /// event: a new header, not kept (an event is one customer's, and the thread would otherwise hold on to it).
    /// </summary>
    public static DecisionHeader For(DecisionEngine engine, Trigger trigger, DateTimeOffset at, DecisionDetail detail, Events.CustomerEvent? @event)
    {
        if (@event is not null)
        {
            return new DecisionHeader(engine, trigger, at, detail, @event);
        }

        var last = t_last;
        if (last is not null && ReferenceEquals(last.Engine, engine) && last.Detail == detail && last.At.EqualsExact(at) && last.Trigger == trigger)
        {
            return last;
        }

        return t_last = new DecisionHeader(engine, trigger, at, detail, null);
    }
}
