namespace Personalize.Events;

/// <summary>Updates a customer's facts for one event.</summary>
/// <param name="event">The event.</param>
/// <param name="facts">The facts to change, stamped with the event.</param>
public delegate void FactMapping(CustomerEvent @event, FactEditor facts);

/// <summary>
/// Which facts each event type updates. <see cref="CreateDefault"/> holds the built-in mappings (documented in
/// <c>docs/events.md</c>); a host adds its own with <see cref="Map"/> (several mappings per type run in the order
/// added), replaces one with <see cref="Replace"/> or drops one with <see cref="Remove"/>. An event type with no
/// mapping changes no fact but is still stored and still triggers <c>event:TYPE</c>.
/// </summary>
public sealed class FactMappings
{
    private readonly Dictionary<string, List<FactMapping>> _mappings = new(StringComparer.Ordinal);

    /// <summary>Gets the event types that have a mapping.</summary>
    public IReadOnlyCollection<string> EventTypes => _mappings.Keys;

    /// <summary>Creates the built-in mappings.</summary>
    /// <returns>A new set the host may change.</returns>
    public static FactMappings CreateDefault()
    {
        var mappings = new FactMappings();
        mappings.Map("order_placed", static (e, f) =>
        {
            f.Add(FactNames.OrderCount, 1);
            if ((e.Number("total") ?? e.Number("value") ?? e.Number("amount")) is { } total)
            {
                f.Add(FactNames.TotalValue, total);
            }

            f.SetEarliest(FactNames.FirstPurchaseAt, e.OccurredAt);
            f.Set(FactNames.LastPurchaseAt, e.OccurredAt);
            if (e.Text("order_number") is { } order)
            {
                f.Set(FactNames.LastOrderNumber, order);
            }

            Activity(e, f);
        });
        mappings.Map("order_shipped", static (e, f) =>
        {
            f.Set(FactNames.LastShippedAt, e.OccurredAt);
            if (e.Text("order_number") is { } order)
            {
                f.Set(FactNames.LastShippedOrder, order);
            }

            if (e.Text("tracking_url") is { } url)
            {
                f.Set(FactNames.LastTrackingUrl, url);
            }
        });
        mappings.Map("order_delivered", static (e, f) =>
        {
            f.Set(FactNames.LastDeliveredAt, e.OccurredAt);
            if (e.Text("order_number") is { } order)
            {
                f.Set(FactNames.LastDeliveredOrder, order);
            }
        });
        mappings.Map("nps_answered", static (e, f) =>
        {
            if (e.Number("score") is { } score && score is >= 0 and <= 10 && score == decimal.Truncate(score))
            {
                f.Set(FactNames.NpsScore, (long)score);
                f.Set(FactNames.NpsDetractor, score <= 6);
                f.Set(FactNames.NpsAnsweredAt, e.OccurredAt);
            }
        });
        mappings.Map("complaint_opened", static (e, f) =>
        {
            f.Set(FactNames.OpenComplaint, true);
            f.Set(FactNames.ComplaintOpenedAt, e.OccurredAt);
        });
        mappings.Map("complaint_resolved", static (e, f) =>
        {
            f.Set(FactNames.OpenComplaint, false);
            f.Set(FactNames.ComplaintResolvedAt, e.OccurredAt);
        });
        mappings.Map("payment_failed", static (e, f) =>
        {
            f.Set(FactNames.FailedPayment, true);
            f.Set(FactNames.PaymentFailedAt, e.OccurredAt);
        });
        mappings.Map("payment_recovered", static (e, f) =>
        {
            f.Set(FactNames.FailedPayment, false);
            f.Set(FactNames.PaymentRecoveredAt, e.OccurredAt);
        });
        mappings.Map("renewal_due", static (e, f) =>
        {
            var due = e.Text("due_at") ?? e.Text("due_date");
            f.Set(FactNames.RenewalDueAt, due is not null && DateTimeOffset.TryParse(due, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var at) ? Fact.Format(at) : Fact.Format(e.OccurredAt));
        });
        mappings.Map("renewed", static (e, f) =>
        {
            f.Add(FactNames.RenewalCount, 1);
            f.Set(FactNames.LastRenewalAt, e.OccurredAt);
            Activity(e, f);
        });
        mappings.Map("address_changed", static (e, f) => f.Set(FactNames.AddressChangedAt, e.OccurredAt));
        mappings.Map("login", Activity);
        mappings.Map("visit", Activity);
        mappings.Map("signed_up", static (e, f) =>
        {
            f.SetEarliest(FactNames.SignedUpAt, e.OccurredAt);
            Activity(e, f);
        });
        mappings.Map("preference_answered", static (e, f) =>
        {
            if (e.Text("question") is { Length: > 0 and <= 64 } question && Consent.ConsentScope.TryNormalizeTopic(question, out var name))
            {
                f.Set(FactNames.AnswerPrefix + name, e.Text("answer"));
                f.Set(FactNames.PreferenceAnsweredAt, e.OccurredAt);
            }
        });
        DeliveryEvents.Register(mappings);
        return mappings;
    }

    /// <summary>Adds a mapping for an event type (after the ones it has).</summary>
    /// <param name="eventType">The event type, for example <c>order_placed</c>.</param>
    /// <param name="mapping">The mapping.</param>
    /// <returns>This set.</returns>
    public FactMappings Map(string eventType, FactMapping mapping)
    {
        ArgumentNullException.ThrowIfNull(mapping);
        var type = EventTypeName(eventType);
        if (!_mappings.TryGetValue(type, out var list))
        {
            _mappings[type] = list = [];
        }

        list.Add(mapping);
        return this;
    }

    /// <summary>Replaces every mapping of an event type with one.</summary>
    /// <param name="eventType">The event type.</param>
    /// <param name="mapping">The mapping.</param>
    /// <returns>This set.</returns>
    public FactMappings Replace(string eventType, FactMapping mapping)
    {
        ArgumentNullException.ThrowIfNull(mapping);
        _mappings[EventTypeName(eventType)] = [mapping];
        return this;
    }

    /// <summary>Removes the mappings of an event type (its events then change no fact).</summary>
    /// <param name="eventType">The event type.</param>
    /// <returns>Whether the type had mappings.</returns>
    public bool Remove(string eventType) => _mappings.Remove(EventTypeName(eventType));

    internal void Apply(FactEditor editor)
    {
        if (_mappings.TryGetValue(editor.Event.Type, out var list))
        {
            foreach (var mapping in list)
            {
                mapping(editor.Event, editor);
            }
        }
    }

    /// <summary>Activity (login, visit, an order): the latest activity, the one before it (for welcome back) and a count.</summary>
    private static void Activity(CustomerEvent e, FactEditor f)
    {
        var last = f.Get(FactNames.LastActivityAt);
        if (last is null || last.At < e.OccurredAt)
        {
            if (last is not null)
            {
                f.Set(FactNames.PreviousActivityAt, last.Value);
            }

            f.Set(FactNames.LastActivityAt, e.OccurredAt);
        }

        f.Add(FactNames.ActivityCount, 1);
    }

    private static string EventTypeName(string eventType)
    {
        ArgumentNullException.ThrowIfNull(eventType);
        return Consent.ConsentScope.TryNormalizeTopic(eventType, out var name)
            ? name
            : throw new ArgumentException($"'{eventType}' is not an event type: use 1 to 64 letters, digits, '_', '-' or '.'.", nameof(eventType));
    }
}
