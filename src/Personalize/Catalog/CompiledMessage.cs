using Personalize.Consent;

namespace Personalize.Catalog;

/// <summary>A validated message with everything the engine needs precomputed (normalized topics, stage mask, channel definitions).</summary>
internal sealed class CompiledMessage
{
    public CompiledMessage(MessageDefinition definition, int index, ChannelRegistry channels)
    {
        Definition = definition;
        Index = index;
        Id = definition.Id;
        Purpose = definition.Purpose;
        Kind = definition.Kind;
        Topics = new string[definition.Topics.Count];
        for (var i = 0; i < Topics.Length; i++)
        {
            ConsentScope.TryNormalizeTopic(definition.Topics[i], out Topics[i]);
        }

        TopicScopes = new ConsentScope[Topics.Length];
        for (var i = 0; i < Topics.Length; i++)
        {
            TopicScopes[i] = ConsentScope.ForTopic(Topics[i]);
        }

        var mask = 0;
        foreach (var stage in definition.Stages)
        {
            mask |= 1 << (int)stage;
        }

        StageMask = mask == 0 ? AllStages : mask;
        Condition = definition.Condition;
        Caps = definition.Caps.ToArray();
        Contents = definition.Channels.ToArray();
        ChannelDefinitions = new ChannelDefinition[Contents.Length];
        for (var i = 0; i < Contents.Length; i++)
        {
            channels.TryGet(Contents[i].Channel, out var channelDefinition);
            ChannelDefinitions[i] = channelDefinition!;
        }

        Triggers = definition.Triggers.Distinct().ToArray();
    }

    public const int AllStages = 0b111;

    public MessageDefinition Definition { get; }

    public int Index { get; }

    public string Id { get; }

    public ContactPurpose Purpose { get; }

    public MessageKind Kind { get; }

    public string[] Topics { get; }

    public ConsentScope[] TopicScopes { get; }

    public int StageMask { get; }

    public ICondition? Condition { get; }

    public MessageCap[] Caps { get; }

    public ChannelContent[] Contents { get; }

    public ChannelDefinition[] ChannelDefinitions { get; }

    public Trigger[] Triggers { get; }

    public bool Targets(LifecycleStage stage) => (StageMask & (1 << (int)stage)) != 0;

    public bool Answers(Trigger trigger) => Array.IndexOf(Triggers, trigger) >= 0;

    /// <summary>The latest instant the message may go out for a decision at <paramref name="at"/>, or <see cref="DateTimeOffset.MaxValue"/>.</summary>
    public DateTimeOffset ExpiryFor(DateTimeOffset at)
    {
        var expiry = Definition.ExpiresAt ?? DateTimeOffset.MaxValue;
        if (Definition.MaxDelay is { } delay && at < DateTimeOffset.MaxValue - delay)
        {
            var limit = at + delay;
            if (limit < expiry)
            {
                expiry = limit;
            }
        }

        return expiry;
    }
}
