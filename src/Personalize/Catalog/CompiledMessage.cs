using Personalize.Channels;
using Personalize.Consent;
using Personalize.Customers;

namespace Personalize.Catalog;

/// <summary>A validated message with everything the engine needs precomputed (normalized topics, stage mask, channel definitions).</summary>
internal sealed class CompiledMessage
{
    public CompiledMessage(MessageDefinition definition, int index, ChannelRegistry channels)
    {
        Definition = definition;
        Index = index;
        Id = definition.Id;
        IdHash = ContactHistory.MessageHash(Id);
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
        ConsentScopes = new ChannelScopes[Contents.Length];
        for (var i = 0; i < Contents.Length; i++)
        {
            ConsentScopes[i] = new ChannelScopes(ConsentScope.ForChannel(Contents[i].Channel, Purpose), ConsentScope.ForChannel(Contents[i].Channel));
        }

        TopicIds = [];
        Priority = definition.Priority;
        Value = definition.Value;
    }

    public const int AllStages = 0b111;

    public MessageDefinition Definition { get; }

    public int Index { get; }

    public string Id { get; }

    /// <summary>The id's hash as <see cref="ContactHistory.MessageHashes"/> holds it.</summary>
    public int IdHash { get; }

    public ContactPurpose Purpose { get; }

    public MessageKind Kind { get; }

    public string[] Topics { get; }

    public ConsentScope[] TopicScopes { get; }

    /// <summary>The catalog's number (0–63) for each of <see cref="TopicScopes"/>; empty when <see cref="TopicMask"/> is 0.</summary>
    public int[] TopicIds { get; private set; }

    /// <summary>
    /// The message's topics as bits of the catalog's topic numbering; 0 when it has no topics, lists a topic twice, or
    /// a topic is numbered 64 or more (then topics are looked up one by one).
    /// </summary>
    public ulong TopicMask { get; private set; }

    /// <summary>The priority (copied from the definition, read for every candidate).</summary>
    public double Priority { get; }

    /// <summary>The value (copied from the definition, read for every candidate).</summary>
    public double Value { get; }

    public int StageMask { get; }

    public ICondition? Condition { get; }

    public MessageCap[] Caps { get; }

    public MessageChannel[] Contents { get; }

    public ChannelDefinition[] ChannelDefinitions { get; }

    /// <summary>Per channel (same order as <see cref="Contents"/>), the consent scopes the consent rule looks up.</summary>
    public ChannelScopes[] ConsentScopes { get; }

    public Trigger[] Triggers { get; }

    /// <summary>Numbers the message's topics in the catalog's topic table (see <see cref="TopicMask"/>).</summary>
    public void NumberTopics(Dictionary<string, int> table)
    {
        var ids = new int[Topics.Length];
        ulong mask = 0;
        for (var i = 0; i < ids.Length; i++)
        {
            if (!table.TryGetValue(Topics[i], out var id))
            {
                id = table.Count;
                table.Add(Topics[i], id);
            }

            ids[i] = id;
            var bit = id < 64 ? 1UL << id : 0;
            if (bit == 0 || (mask & bit) != 0)
            {
                return; // no mask: looked up one by one
            }

            mask |= bit;
        }

        TopicIds = ids;
        TopicMask = mask;
    }

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

    /// <summary>The consent scopes of one channel: for the message's purpose, and for every purpose.</summary>
    public readonly record struct ChannelScopes(ConsentScope ChannelForPurpose, ConsentScope Channel);
}
