using System.Globalization;
using System.Text.Json;
using Personalize.Customers;
using Personalize.Templates.Runtime;

namespace Personalize.Catalog;

/// <summary>
/// What a condition sees: the customer, the trigger and the decision instant. Built once per customer per
/// decision and shared by every candidate message; the expression <see cref="Model"/> is built on first use only.
/// </summary>
/// <remarks>
/// Variables of an expression condition:
/// <list type="bullet">
/// <item><c>customer.id</c>, <c>customer.stage</c> (<c>"exposure"</c>, <c>"adoption"</c>, <c>"retention"</c>), <c>customer.language</c>, <c>customer.time_zone</c>.</item>
/// <item>Every attribute under its snake_case name (<c>firstName</c> → <c>customer.first_name</c>, <c>tier</c> → <c>customer.tier</c>); nested objects and arrays keep their shape.</item>
/// <item>For every attribute whose name ends in <c>At</c>, <c>Date</c> or <c>On</c> (or <c>_at</c>, <c>_date</c>, <c>_on</c>) and whose value is an ISO date or instant:
/// <c>customer.days_since_STEM</c> and <c>customer.days_until_STEM</c> in whole days (floor), where STEM is the snake_case name without the suffix and
/// without a leading <c>last_</c>: <c>lastPurchaseAt</c> gives <c>days_since_purchase</c>, <c>renewalDueOn</c> gives <c>days_until_renewal_due</c>.
/// An attribute of the same name wins.</item>
/// <item><c>customer.open_complaint</c>, <c>customer.failed_payment</c>, <c>customer.nps_score</c>, <c>customer.is_detractor</c>, <c>customer.needs_service_first</c>.</item>
/// <item><c>customer.topics</c> (subscribed topics), <c>customer.allows_personalization</c>, <c>customer.contacts_last_30_days</c>, <c>customer.days_since_contact</c> (null when never contacted).</item>
/// <item><c>trigger.kind</c> (<c>"event"</c>, <c>"campaign"</c>, <c>"schedule"</c>), <c>trigger.name</c>; <c>now</c> (the decision instant).</item>
/// </list>
/// </remarks>
public sealed class ConditionContext
{
    private IReadOnlyDictionary<string, object?>? _model;

    /// <summary>Creates the context.</summary>
    /// <param name="customer">The customer.</param>
    /// <param name="trigger">The trigger.</param>
    /// <param name="at">The decision instant.</param>
    public ConditionContext(CustomerProfile customer, Trigger trigger, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(customer);
        Customer = customer;
        Trigger = trigger;
        At = at;
    }

    /// <summary>The customer.</summary>
    public CustomerProfile Customer { get; }

    /// <summary>The trigger.</summary>
    public Trigger Trigger { get; }

    /// <summary>The decision instant.</summary>
    public DateTimeOffset At { get; }

    /// <summary>
    /// The model expression conditions are evaluated against (see the remarks for its variables). Values are looked up
    /// only when a condition reads them, so a decision pays only for what its conditions use.
    /// </summary>
    public IReadOnlyDictionary<string, object?> Model => _model ??= new ConditionModel(this);

    /// <summary>Every <c>customer.*</c> variable of the model, computed eagerly (for enumerating the customer).</summary>
    internal Dictionary<string, object?> BuildCustomerModel()
    {
        var customer = Customer;
        var flags = customer.ServiceFlags;
        var values = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["id"] = customer.Id,
            ["stage"] = StageName(customer.Stage),
            ["language"] = customer.Language,
            ["time_zone"] = customer.TimeZone.Id,
            ["open_complaint"] = flags.OpenComplaint,
            ["failed_payment"] = flags.FailedPayment,
            ["nps_score"] = flags.NpsScore,
            ["is_detractor"] = flags.IsDetractor,
            ["needs_service_first"] = flags.NeedsServiceFirst,
            ["allows_personalization"] = customer.AllowsPersonalization,
            ["topics"] = customer.Consents.GetSubscribedTopics(At),
            ["contacts_last_30_days"] = customer.History.CountBetween(At - TimeSpan.FromDays(30) + TimeSpan.FromTicks(1), At + TimeSpan.FromTicks(1)),
            ["days_since_contact"] = customer.History.Last() is { } last ? (object)DaysBetween(last.SentAt, At) : null,
        };

        var derived = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (key, value) in customer.Attributes)
        {
            var name = MemberRenamers.SnakeCase(key);
            values[name] = value;
            if (value.ValueKind == JsonValueKind.String && DateStem(name) is { } stem && TryParseDate(value.GetString(), out var date))
            {
                var days = DaysBetween(date, At);
                derived["days_since_" + stem] = days;
                derived["days_until_" + stem] = -days;
            }
        }

        foreach (var (name, value) in derived)
        {
            values.TryAdd(name, value);
        }

        return values;
    }

    internal static string TriggerKindName(TriggerKind kind) => kind switch
    {
        TriggerKind.Event => "event",
        TriggerKind.Campaign => "campaign",
        _ => "schedule",
    };

    internal static string StageName(LifecycleStage stage) => stage switch
    {
        LifecycleStage.Exposure => "exposure",
        LifecycleStage.Adoption => "adoption",
        _ => "retention",
    };

    /// <summary>Whole days from <paramref name="from"/> to <paramref name="to"/>, rounded down (negative when <paramref name="from"/> is later).</summary>
    internal static int DaysBetween(DateTimeOffset from, DateTimeOffset to)
        => (int)Math.Floor((to - from).TotalDays);

    internal static string? DateStem(string snake)
    {
        string? stem = null;
        foreach (var suffix in DateSuffixes)
        {
            if (snake.Length > suffix.Length && snake.EndsWith(suffix, StringComparison.Ordinal))
            {
                stem = snake[..^suffix.Length];
                break;
            }
        }

        if (stem is null)
        {
            return null;
        }

        return stem.StartsWith("last_", StringComparison.Ordinal) && stem.Length > 5 ? stem[5..] : stem;
    }

    private static readonly string[] DateSuffixes = ["_at", "_date", "_on"];

    internal static bool TryParseDate(string? text, out DateTimeOffset date)
    {
        date = default;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            date = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            return true;
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out date) && text.Contains('T', StringComparison.Ordinal);
    }
}
