using System.Diagnostics.CodeAnalysis;

namespace Personalize.Catalog;

/// <summary>
/// What started a decision: a schedule tick, an event (<c>event:order_shipped</c>), a campaign
/// (<c>campaign:spring_sale</c>), a lifecycle stage change (<c>stage:adoption</c>), a tier change
/// (<c>tier:best_friends</c>) or a like-a-friend occasion (<c>occasion:anniversary</c>). Names are normalized like topics: trimmed, lower case, letters, digits,
/// <c>_</c>, <c>-</c> and <c>.</c>.
/// </summary>
public readonly record struct Trigger
{
    private readonly string? _name;

    private Trigger(TriggerKind kind, string name)
    {
        Kind = kind;

        // default(Trigger) is the schedule tick: store its name as null so both compare equal.
        _name = kind == TriggerKind.Schedule && name == DefaultScheduleName ? null : name;
    }

    /// <summary>The kind of trigger.</summary>
    public TriggerKind Kind { get; }

    /// <summary>The normalized name, for example <c>order_shipped</c>; <c>tick</c> for the default schedule tick.</summary>
    public string Name => _name ?? DefaultScheduleName;

    /// <summary>The name of <see cref="Tick"/>.</summary>
    public const string DefaultScheduleName = "tick";

    /// <summary>The default schedule tick, <c>schedule</c> (also written <c>schedule:tick</c>).</summary>
    public static Trigger Tick { get; } = new(TriggerKind.Schedule, DefaultScheduleName);

    /// <summary>An event trigger.</summary>
    /// <param name="name">The event name, for example <c>order_shipped</c>.</param>
    /// <returns>The trigger.</returns>
    /// <exception cref="ArgumentException">The name is not a valid trigger name.</exception>
    public static Trigger Event(string name) => Create(TriggerKind.Event, name);

    /// <summary>A campaign trigger.</summary>
    /// <param name="name">The campaign name, for example <c>spring_sale</c>.</param>
    /// <returns>The trigger.</returns>
    /// <exception cref="ArgumentException">The name is not a valid trigger name.</exception>
    public static Trigger Campaign(string name) => Create(TriggerKind.Campaign, name);

    /// <summary>A lifecycle stage change trigger.</summary>
    /// <param name="stage">The stage reached.</param>
    /// <returns>The trigger, for example <c>stage:adoption</c>.</returns>
    public static Trigger Stage(LifecycleStage stage) => new(TriggerKind.Stage, Customers.CustomerModel.StageName(stage));

    /// <summary>A relationship tier change trigger.</summary>
    /// <param name="tier">The tier reached, for example <c>best_friends</c>.</param>
    /// <returns>The trigger.</returns>
    /// <exception cref="ArgumentException">The name is not a valid trigger name.</exception>
    public static Trigger Tier(string tier) => Create(TriggerKind.Tier, tier);

    /// <summary>A like-a-friend occasion trigger.</summary>
    /// <param name="name">The occasion, for example <c>anniversary</c>.</param>
    /// <returns>The trigger.</returns>
    /// <exception cref="ArgumentException">The name is not a valid trigger name.</exception>
    public static Trigger Occasion(string name) => Create(TriggerKind.Occasion, name);

    /// <summary>A journey's send step, for example <c>journey:renewal</c>: a catalog message that names it goes out only when that journey sends it.</summary>
    /// <param name="journeyId">The journey's id.</param>
    /// <returns>The trigger.</returns>
    /// <exception cref="ArgumentException">The name is not a valid trigger name.</exception>
    public static Trigger Journey(string journeyId) => Create(TriggerKind.Journey, journeyId);

    /// <summary>A named schedule tick, for example <c>daily</c>.</summary>
    /// <param name="name">The schedule name.</param>
    /// <returns>The trigger.</returns>
    /// <exception cref="ArgumentException">The name is not a valid trigger name.</exception>
    public static Trigger Schedule(string name = DefaultScheduleName) => Create(TriggerKind.Schedule, name);

    /// <summary>
    /// Parses <c>event:NAME</c>, <c>campaign:NAME</c>, <c>stage:NAME</c>, <c>tier:NAME</c>, <c>occasion:NAME</c>, <c>journey:NAME</c>, <c>schedule</c> or <c>schedule:NAME</c> (kind case-insensitive).
    /// </summary>
    /// <param name="text">The text.</param>
    /// <param name="trigger">The trigger when the text is valid.</param>
    /// <returns><see langword="true"/> when the text is a trigger.</returns>
    public static bool TryParse([NotNullWhen(true)] string? text, out Trigger trigger)
    {
        trigger = default;
        if (text is null)
        {
            return false;
        }

        var span = text.AsSpan().Trim();
        var colon = span.IndexOf(':');
        var kindText = colon < 0 ? span : span[..colon];
        TriggerKind kind;
        if (kindText.Equals("event", StringComparison.OrdinalIgnoreCase))
        {
            kind = TriggerKind.Event;
        }
        else if (kindText.Equals("campaign", StringComparison.OrdinalIgnoreCase))
        {
            kind = TriggerKind.Campaign;
        }
        else if (kindText.Equals("schedule", StringComparison.OrdinalIgnoreCase))
        {
            kind = TriggerKind.Schedule;
        }
        else if (kindText.Equals("stage", StringComparison.OrdinalIgnoreCase))
        {
            kind = TriggerKind.Stage;
        }
        else if (kindText.Equals("tier", StringComparison.OrdinalIgnoreCase))
        {
            kind = TriggerKind.Tier;
        }
        else if (kindText.Equals("occasion", StringComparison.OrdinalIgnoreCase))
        {
            kind = TriggerKind.Occasion;
        }
        else if (kindText.Equals("journey", StringComparison.OrdinalIgnoreCase))
        {
            kind = TriggerKind.Journey;
        }
        else
        {
            return false;
        }

        if (colon < 0)
        {
            if (kind != TriggerKind.Schedule)
            {
                return false;
            }

            trigger = Tick;
            return true;
        }

        if (!TryNormalizeName(span[(colon + 1)..].ToString(), out var name))
        {
            return false;
        }

        trigger = new Trigger(kind, name);
        return true;
    }

    /// <summary>Parses a trigger and throws when it is not one.</summary>
    /// <param name="text">The text, for example <c>event:order_shipped</c>.</param>
    /// <returns>The trigger.</returns>
    /// <exception cref="FormatException">The text is not a trigger.</exception>
    public static Trigger Parse(string text)
        => TryParse(text, out var trigger)
            ? trigger
            : throw new FormatException($"'{text}' is not a trigger: write event:NAME, campaign:NAME, stage:NAME, tier:NAME, occasion:NAME, journey:NAME, schedule or schedule:NAME (NAME: letters, digits, '_', '-', '.').");

    /// <summary>Formats as <c>kind:name</c>, for example <c>event:order_shipped</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => Kind switch
    {
        TriggerKind.Event => "event:" + Name,
        TriggerKind.Campaign => "campaign:" + Name,
        TriggerKind.Stage => "stage:" + Name,
        TriggerKind.Tier => "tier:" + Name,
        TriggerKind.Occasion => "occasion:" + Name,
        TriggerKind.Journey => "journey:" + Name,
        _ => "schedule:" + Name,
    };

    private static Trigger Create(TriggerKind kind, string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!TryNormalizeName(name, out var normalized))
        {
            throw new ArgumentException($"'{name}' is not a trigger name: use 1 to 64 letters, digits, '_', '-' or '.'.", nameof(name));
        }

        return new Trigger(kind, normalized);
    }

    private static bool TryNormalizeName(string name, out string normalized)
        => Consent.ConsentScope.TryNormalizeTopic(name, out normalized);
}
