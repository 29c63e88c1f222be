using Personalize.Channels;

namespace Personalize.Events;

/// <summary>
/// What a <see cref="FactMapping"/> changes for one event. Every change is stamped with the event's instant and id.
/// Out-of-order events are safe: <see cref="Set"/> and <see cref="Remove"/> only act when the event happened at or
/// after the event that set the fact (an older event never overwrites a newer fact); <see cref="Add"/> counts every
/// event (an order placed last week and reported today still counts) and <see cref="SetEarliest"/> keeps the earliest.
/// </summary>
public sealed class FactEditor
{
    private readonly Dictionary<string, Fact> _facts;
    private readonly List<string> _changed = [];

    internal FactEditor(Dictionary<string, Fact> facts, CustomerEvent @event)
    {
        _facts = facts;
        Event = @event;
    }

    /// <summary>Gets the event being applied.</summary>
    public CustomerEvent Event { get; internal set; }

    /// <summary>Gets the names of the facts this event changed so far.</summary>
    public IReadOnlyList<string> Changed => _changed;

    /// <summary>Reads a fact as it stands (with the changes of earlier events and of this one so far).</summary>
    /// <param name="name">The fact's name.</param>
    /// <returns>The fact, or <see langword="null"/>.</returns>
    public Fact? Get(string name) => _facts.TryGetValue(name, out var fact) ? fact : null;

    /// <summary>Sets a fact unless it was set by an event that happened later than this one.</summary>
    /// <param name="name">The fact's name (snake_case).</param>
    /// <param name="value">The value (text, whole number, decimal, true/false, an instant or null).</param>
    /// <returns>Whether the fact changed.</returns>
    public bool Set(string name, object? value)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (_facts.TryGetValue(name, out var current) && current.At > Event.OccurredAt)
        {
            return false;
        }

        var fact = new Fact(value, Event.OccurredAt, Event.Id);
        if (current is not null && Equals(current.Value, fact.Value) && current.At == fact.At)
        {
            return false;
        }

        _facts[name] = fact;
        Track(name);
        return true;
    }

    /// <summary>Sets a fact only when it is missing or was set by a later event (first purchase, first activity).</summary>
    /// <param name="name">The fact's name.</param>
    /// <param name="value">The value.</param>
    /// <returns>Whether the fact changed.</returns>
    public bool SetEarliest(string name, object? value)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (_facts.TryGetValue(name, out var current) && current.At <= Event.OccurredAt)
        {
            return false;
        }

        _facts[name] = new Fact(value, Event.OccurredAt, Event.Id);
        Track(name);
        return true;
    }

    /// <summary>Adds to a number fact (a missing one counts as 0), whatever the order events arrive in; the fact keeps the latest event's instant and id.</summary>
    /// <param name="name">The fact's name.</param>
    /// <param name="amount">What to add.</param>
    public void Add(string name, decimal amount)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        _facts.TryGetValue(name, out var current);
        var sum = (current?.Number ?? 0m) + amount;
        object value = sum == decimal.Truncate(sum) && current?.Value is not decimal && amount == decimal.Truncate(amount) && Math.Abs(sum) < long.MaxValue
            ? (object)(long)sum
            : sum;
        _facts[name] = current is not null && current.At > Event.OccurredAt
            ? new Fact(value, current.At, current.EventId)
            : new Fact(value, Event.OccurredAt, Event.Id);
        Track(name);
    }

    /// <summary>Removes a fact unless it was set by an event that happened later than this one.</summary>
    /// <param name="name">The fact's name.</param>
    /// <returns>Whether the fact was removed.</returns>
    public bool Remove(string name)
    {
        if (!_facts.TryGetValue(name, out var current) || current.At > Event.OccurredAt)
        {
            return false;
        }

        _facts.Remove(name);
        Track(name);
        return true;
    }

    /// <summary>
    /// Puts a contact point on the store's suppression list because of this event (a hard bounce). The ingestor writes
    /// the entry before the event (an entry already listed keeps its first one, so a crash in between does no harm)
    /// and records the facts <c>suppressed.KIND</c> and <c>suppressed.KIND_reason</c>: while the customer's contact
    /// point is that one, its channels are refused with <c>contact_point.suppressed</c>.
    /// </summary>
    /// <param name="kind">Email, phone or device token (other kinds are ignored: they cannot be suppressed).</param>
    /// <param name="value">The address, number or token; <see langword="null"/> for the customer's current one.</param>
    /// <param name="reason">Why (see <see cref="Storage.SuppressionReasons"/>).</param>
    public void Suppress(ContactPointKind kind, string? value, string reason)
    {
        ArgumentException.ThrowIfNullOrEmpty(reason);
        if (Storage.ContactPointHash.IsSupported(kind))
        {
            Suppressions.Add((kind, string.IsNullOrWhiteSpace(value) ? null : value, reason));
        }
    }

    /// <summary>
    /// Appends consent evidence because of this event (a complaint or an unsubscribe withdraws marketing). The ingestor
    /// appends it before the event is written; a record the ledger already holds (the same scope, action, instant and
    /// source) is not appended again, so ingesting after a crash adds nothing twice.
    /// </summary>
    /// <param name="record">The record, usually stamped with the event's instant.</param>
    public void AppendConsent(Consent.ConsentRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        Consents.Add(record);
    }

    internal List<(ContactPointKind Kind, string? Value, string Reason)> Suppressions { get; } = [];

    internal List<Consent.ConsentRecord> Consents { get; } = [];

    internal void Reset(CustomerEvent @event)
    {
        Event = @event;
        _changed.Clear();
        Suppressions.Clear();
        Consents.Clear();
    }

    private void Track(string name)
    {
        if (!_changed.Contains(name))
        {
            _changed.Add(name);
        }
    }
}
