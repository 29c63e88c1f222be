using Personalize.Catalog;
using Personalize.Channels;

namespace Personalize.Journeys;

/// <summary>
/// Builds a <see cref="JourneyDefinition"/> in C#, the same model <see cref="JourneyJson"/> reads:
/// <code>
/// var renewal = new JourneyBuilder("renewal")
///     .EnteredOn("event:renewal_due")
///     .ExitOnEvent("renewed")
///     .Send("thank", "renewal_thank_you_call", Channel.Phone)
///     .Wait("two_days", TimeSpan.FromHours(48))
///     .Send("letter", "renewal_letter", Channel.DirectMail)
///     .Build(catalog);
/// </code>
/// Conditions are written in the catalog's condition language (<c>customer.facts.renewal_count &gt; 0</c>).
/// </summary>
public sealed class JourneyBuilder
{
    private readonly List<JourneyStep> _steps = [];
    private readonly List<JourneyExit> _exits = [];
    private JourneyDefinition _journey;

    /// <summary>Starts a journey.</summary>
    /// <param name="id">The journey's id.</param>
    public JourneyBuilder(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        _journey = new JourneyDefinition { Id = id, Entry = null! };
    }

    /// <summary>Sets the version (1 by default).</summary>
    /// <param name="version">The version.</param>
    /// <returns>This builder.</returns>
    public JourneyBuilder Version(int version)
    {
        _journey = _journey with { Version = version };
        return this;
    }

    /// <summary>Sets a description.</summary>
    /// <param name="description">The description.</param>
    /// <returns>This builder.</returns>
    public JourneyBuilder Describe(string description)
    {
        _journey = _journey with { Description = description };
        return this;
    }

    /// <summary>Sets how customers enter.</summary>
    /// <param name="trigger">The trigger: <c>event:TYPE</c>, <c>stage:NAME</c> or <c>occasion:NAME</c>.</param>
    /// <param name="when">A condition the customer must meet, or <see langword="null"/>.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="FormatException">The trigger is not one.</exception>
    public JourneyBuilder EnteredOn(string trigger, string? when = null)
        => EnteredOn(Trigger.Parse(trigger), when is null ? null : ExpressionCondition.Parse(when));

    /// <summary>Sets how customers enter.</summary>
    /// <param name="trigger">The trigger.</param>
    /// <param name="when">A condition the customer must meet, or <see langword="null"/>.</param>
    /// <returns>This builder.</returns>
    public JourneyBuilder EnteredOn(Trigger trigger, ICondition? when = null)
    {
        _journey = _journey with { Entry = new JourneyEntry { Trigger = trigger, Condition = when } };
        return this;
    }

    /// <summary>Lets a customer enter again after (or while) they were in it: each entry is its own instance, one active at a time.</summary>
    /// <returns>This builder.</returns>
    public JourneyBuilder AllowReentry()
    {
        _journey = _journey with { AllowReentry = true };
        return this;
    }

    /// <summary>Ends the journey when an event of a type happens after the customer entered (the exit is named after the type).</summary>
    /// <param name="eventType">The event type, for example <c>renewed</c>.</param>
    /// <returns>This builder.</returns>
    public JourneyBuilder ExitOnEvent(string eventType)
    {
        _exits.Add(new JourneyExit { Name = eventType, EventType = eventType });
        return this;
    }

    /// <summary>Ends the journey when a condition holds (checked before every step and when events come in).</summary>
    /// <param name="name">The exit's name (the reason recorded).</param>
    /// <param name="when">The condition.</param>
    /// <returns>This builder.</returns>
    public JourneyBuilder ExitWhen(string name, string when)
    {
        _exits.Add(new JourneyExit { Name = name, Condition = ExpressionCondition.Parse(when) });
        return this;
    }

    /// <summary>Adds an exit.</summary>
    /// <param name="exit">The exit.</param>
    /// <returns>This builder.</returns>
    public JourneyBuilder Exit(JourneyExit exit)
    {
        ArgumentNullException.ThrowIfNull(exit);
        _exits.Add(exit);
        return this;
    }

    /// <summary>Adds a send step.</summary>
    /// <param name="id">The step's id.</param>
    /// <param name="messageId">The catalog message.</param>
    /// <param name="channel">The channel, or <see langword="null"/> to choose as a decision does.</param>
    /// <param name="whenSuppressed">What to do when the message may not go.</param>
    /// <returns>This builder.</returns>
    public JourneyBuilder Send(string id, string messageId, Channel? channel = null, SuppressedStepPolicy whenSuppressed = SuppressedStepPolicy.Skip)
        => Step(new SendStep { Id = id, MessageId = messageId, Channel = channel, WhenSuppressed = whenSuppressed });

    /// <summary>Adds a wait of a duration.</summary>
    /// <param name="id">The step's id.</param>
    /// <param name="duration">How long.</param>
    /// <returns>This builder.</returns>
    public JourneyBuilder Wait(string id, TimeSpan duration) => Step(new WaitStep { Id = id, Duration = duration });

    /// <summary>Adds a wait until a local time of day in the customer's zone, optionally on given weekdays.</summary>
    /// <param name="id">The step's id.</param>
    /// <param name="timeOfDay">The local time.</param>
    /// <param name="days">The weekdays allowed (none: any).</param>
    /// <returns>This builder.</returns>
    public JourneyBuilder WaitUntil(string id, TimeOnly timeOfDay, params DayOfWeek[] days)
        => Step(new WaitUntilStep { Id = id, TimeOfDay = timeOfDay, Days = days });

    /// <summary>Adds a wait for an event, with a timeout and a way for each.</summary>
    /// <param name="id">The step's id.</param>
    /// <param name="eventType">The event type.</param>
    /// <param name="timeout">How long to wait.</param>
    /// <param name="onEvent">The step when it came in (<see langword="null"/>: the next).</param>
    /// <param name="onTimeout">The step when it did not (<see langword="null"/>: the next).</param>
    /// <returns>This builder.</returns>
    public JourneyBuilder WaitFor(string id, string eventType, TimeSpan timeout, string? onEvent = null, string? onTimeout = null)
        => Step(new WaitForEventStep { Id = id, EventType = eventType, Timeout = timeout, OnEvent = onEvent, OnTimeout = onTimeout });

    /// <summary>Adds a branch on a condition.</summary>
    /// <param name="id">The step's id.</param>
    /// <param name="when">The condition.</param>
    /// <param name="then">The step when it holds (<see langword="null"/>: the next).</param>
    /// <param name="otherwise">The step when it does not (<see langword="null"/>: the next).</param>
    /// <returns>This builder.</returns>
    public JourneyBuilder Branch(string id, string when, string? then = null, string? otherwise = null)
        => Step(new BranchStep { Id = id, Condition = ExpressionCondition.Parse(when), Then = then, Else = otherwise });

    /// <summary>Adds a step.</summary>
    /// <param name="step">The step.</param>
    /// <returns>This builder.</returns>
    public JourneyBuilder Step(JourneyStep step)
    {
        ArgumentNullException.ThrowIfNull(step);
        _steps.Add(step);
        return this;
    }

    /// <summary>Builds and validates the journey.</summary>
    /// <param name="catalog">The catalog its send steps name (checked), or <see langword="null"/>.</param>
    /// <returns>The journey.</returns>
    /// <exception cref="JourneyException">The journey is invalid; the exception lists every problem.</exception>
    public JourneyDefinition Build(CompiledCatalog? catalog = null)
    {
        var journey = _journey with { Steps = _steps.ToArray(), Exits = _exits.ToArray() };
        var errors = journey.Validate(catalog);
        return errors.Count == 0 ? journey : throw new JourneyException(errors);
    }
}
