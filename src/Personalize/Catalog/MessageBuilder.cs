using Personalize.Channels;

namespace Personalize.Catalog;

/// <summary>Configures one message of a <see cref="CatalogBuilder"/>.</summary>
public sealed class MessageBuilder
{
    private readonly List<string> _topics = [];
    private readonly List<LifecycleStage> _stages = [];
    private readonly List<Trigger> _triggers = [];
    private readonly List<MessageCap> _caps = [];
    private readonly List<MessageChannel> _channels = [];
    private MessageDefinition _message;

    internal MessageBuilder(string id) => _message = new MessageDefinition { Id = id };

    /// <summary>Sets the purpose.</summary>
    /// <param name="purpose">The purpose.</param>
    /// <returns>This builder.</returns>
    public MessageBuilder Purpose(ContactPurpose purpose)
    {
        _message = _message with { Purpose = purpose };
        return this;
    }

    /// <summary>A marketing message (the default).</summary>
    /// <returns>This builder.</returns>
    public MessageBuilder Marketing() => Purpose(ContactPurpose.Marketing);

    /// <summary>A service message.</summary>
    /// <returns>This builder.</returns>
    public MessageBuilder Service() => Purpose(ContactPurpose.Service);

    /// <summary>A relationship message.</summary>
    /// <returns>This builder.</returns>
    public MessageBuilder Relationship() => Purpose(ContactPurpose.Relationship);

    /// <summary>The message gives (the default).</summary>
    /// <returns>This builder.</returns>
    public MessageBuilder Give()
    {
        _message = _message with { Kind = MessageKind.Give };
        return this;
    }

    /// <summary>The message asks (survey, review, upsell).</summary>
    /// <returns>This builder.</returns>
    public MessageBuilder Ask()
    {
        _message = _message with { Kind = MessageKind.Ask };
        return this;
    }

    /// <summary>Adds topics.</summary>
    /// <param name="topics">The topics.</param>
    /// <returns>This builder.</returns>
    public MessageBuilder Topics(params string[] topics)
    {
        _topics.AddRange(topics);
        return this;
    }

    /// <summary>Adds targeted lifecycle stages (none means every stage).</summary>
    /// <param name="stages">The stages.</param>
    /// <returns>This builder.</returns>
    public MessageBuilder Stages(params LifecycleStage[] stages)
    {
        _stages.AddRange(stages);
        return this;
    }

    /// <summary>Adds a trigger.</summary>
    /// <param name="trigger">The trigger.</param>
    /// <returns>This builder.</returns>
    public MessageBuilder On(Trigger trigger)
    {
        _triggers.Add(trigger);
        return this;
    }

    /// <summary>Adds an event trigger.</summary>
    /// <param name="name">The event name.</param>
    /// <returns>This builder.</returns>
    public MessageBuilder OnEvent(string name) => On(Trigger.Event(name));

    /// <summary>Adds a campaign trigger.</summary>
    /// <param name="name">The campaign name.</param>
    /// <returns>This builder.</returns>
    public MessageBuilder OnCampaign(string name) => On(Trigger.Campaign(name));

    /// <summary>Adds a schedule trigger.</summary>
    /// <param name="name">The schedule name; <c>tick</c> by default.</param>
    /// <returns>This builder.</returns>
    public MessageBuilder OnSchedule(string name = Trigger.DefaultScheduleName) => On(Trigger.Schedule(name));

    /// <summary>Sets the condition as an expression in the template language (validated with the catalog).</summary>
    /// <param name="expression">For example <c>customer.days_since_purchase &gt; 60</c>.</param>
    /// <returns>This builder.</returns>
    public MessageBuilder When(string expression)
    {
        _message = _message with { Condition = ExpressionCondition.Parse(expression) };
        return this;
    }

    /// <summary>Sets the condition as a typed predicate.</summary>
    /// <param name="predicate">The predicate.</param>
    /// <param name="description">What it checks, in words.</param>
    /// <returns>This builder.</returns>
    public MessageBuilder When(Func<ConditionContext, bool> predicate, string description)
    {
        _message = _message with { Condition = new PredicateCondition(predicate, description) };
        return this;
    }

    /// <summary>Sets the priority.</summary>
    /// <param name="priority">Greater than 0.</param>
    /// <returns>This builder.</returns>
    public MessageBuilder Priority(double priority)
    {
        _message = _message with { Priority = priority };
        return this;
    }

    /// <summary>Sets the value.</summary>
    /// <param name="value">Greater than 0.</param>
    /// <returns>This builder.</returns>
    public MessageBuilder Value(double value)
    {
        _message = _message with { Value = value };
        return this;
    }

    /// <summary>Adds a per-message cap.</summary>
    /// <param name="cap">The cap.</param>
    /// <returns>This builder.</returns>
    public MessageBuilder Cap(MessageCap cap)
    {
        _caps.Add(cap);
        return this;
    }

    /// <summary>At most once per rolling window.</summary>
    /// <param name="window">The window.</param>
    /// <returns>This builder.</returns>
    public MessageBuilder OncePer(TimeSpan window) => Cap(MessageCap.OncePer(window));

    /// <summary>At most once ever.</summary>
    /// <returns>This builder.</returns>
    public MessageBuilder OnceEver() => Cap(MessageCap.OnceEver);

    /// <summary>Adds a channel with its content.</summary>
    /// <param name="channel">The channel.</param>
    /// <param name="template">The template name.</param>
    /// <returns>This builder.</returns>
    public MessageBuilder Channel(Channel channel, string template)
    {
        _channels.Add(new MessageChannel(channel, template));
        return this;
    }

    /// <summary>Renders the message's templates in strict mode (<see cref="MessageDefinition.StrictTemplates"/>): a missing merge field stops the message.</summary>
    /// <returns>This builder.</returns>
    public MessageBuilder StrictTemplates()
    {
        _message = _message with { StrictTemplates = true };
        return this;
    }

    /// <summary>Drops the message when timing or a cap blocks it now.</summary>
    /// <returns>This builder.</returns>
    public MessageBuilder DropWhenBlocked()
    {
        _message = _message with { WhenBlocked = BlockedSendPolicy.Drop };
        return this;
    }

    /// <summary>Defers the message when timing or a cap blocks it now (the default).</summary>
    /// <returns>This builder.</returns>
    public MessageBuilder DeferWhenBlocked()
    {
        _message = _message with { WhenBlocked = BlockedSendPolicy.Defer };
        return this;
    }

    /// <summary>Sets the expiry.</summary>
    /// <param name="expiresAt">The instant after which the message is not sent.</param>
    /// <returns>This builder.</returns>
    public MessageBuilder ExpiresAt(DateTimeOffset expiresAt)
    {
        _message = _message with { ExpiresAt = expiresAt };
        return this;
    }

    /// <summary>Sets the longest delay after the decision instant.</summary>
    /// <param name="maxDelay">The delay.</param>
    /// <returns>This builder.</returns>
    public MessageBuilder MaxDelay(TimeSpan maxDelay)
    {
        _message = _message with { MaxDelay = maxDelay };
        return this;
    }

    /// <summary>Sets a description.</summary>
    /// <param name="description">The description.</param>
    /// <returns>This builder.</returns>
    public MessageBuilder Description(string description)
    {
        _message = _message with { Description = description };
        return this;
    }

    internal MessageDefinition Build() => _message with
    {
        Topics = _topics.ToArray(),
        Stages = _stages.ToArray(),
        Triggers = _triggers.ToArray(),
        Caps = _caps.ToArray(),
        Channels = _channels.ToArray(),
    };
}
