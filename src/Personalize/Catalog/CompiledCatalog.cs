using Personalize.Channels;

namespace Personalize.Catalog;

/// <summary>
/// A validated catalog compiled once for deciding: conditions parsed, topics normalized, messages indexed by
/// trigger and lifecycle stage. Immutable and safe to share between threads. Create with <see cref="MessageCatalog.Compile"/>.
/// </summary>
public sealed class CompiledCatalog
{
    private static readonly CompiledMessage[] None = [];
    private readonly Dictionary<Trigger, CompiledMessage[][]> _index;

    internal CompiledCatalog(MessageCatalog source, ChannelRegistry channels)
    {
        Source = source;
        Channels = channels;
        var messages = new CompiledMessage[source.Messages.Count];
        var topics = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < messages.Length; i++)
        {
            messages[i] = new CompiledMessage(source.Messages[i], i, channels);
            messages[i].NumberTopics(topics);
        }

        All = messages;
        var buckets = new Dictionary<Trigger, List<CompiledMessage>[]>();
        foreach (var message in messages)
        {
            foreach (var trigger in message.Triggers)
            {
                if (!buckets.TryGetValue(trigger, out var perStage))
                {
                    perStage = [[], [], []];
                    buckets[trigger] = perStage;
                }

                for (var stage = 0; stage < 3; stage++)
                {
                    if ((message.StageMask & (1 << stage)) != 0)
                    {
                        perStage[stage].Add(message);
                    }
                }
            }
        }

        _index = new Dictionary<Trigger, CompiledMessage[][]>(buckets.Count);
        var maxChannels = 0;
        foreach (var (trigger, perStage) in buckets)
        {
            _index[trigger] = [perStage[0].ToArray(), perStage[1].ToArray(), perStage[2].ToArray()];
        }

        foreach (var message in messages)
        {
            maxChannels = Math.Max(maxChannels, message.Contents.Length);
        }

        MaxChannelsPerMessage = maxChannels;
        Triggers = buckets.Keys.OrderBy(static t => t.ToString(), StringComparer.Ordinal).ToArray();
    }

    /// <summary>The catalog this was compiled from.</summary>
    public MessageCatalog Source { get; }

    /// <summary>The channels the catalog was validated against.</summary>
    public ChannelRegistry Channels { get; }

    /// <summary>The number of messages.</summary>
    public int Count => All.Length;

    /// <summary>Every trigger some message answers, sorted.</summary>
    public IReadOnlyList<Trigger> Triggers { get; }

    /// <summary>The message with an id, or <see langword="null"/>.</summary>
    /// <param name="id">The id.</param>
    /// <returns>The definition.</returns>
    public MessageDefinition? Find(string id)
    {
        foreach (var message in All)
        {
            if (string.Equals(message.Id, id, StringComparison.Ordinal))
            {
                return message.Definition;
            }
        }

        return null;
    }

    internal CompiledMessage[] All { get; }

    internal int MaxChannelsPerMessage { get; }

    /// <summary>The messages that answer a trigger and target a stage, in catalog order.</summary>
    internal CompiledMessage[] Candidates(Trigger trigger, LifecycleStage stage)
        => Candidates(Buckets(trigger), stage);

    /// <summary>The candidates of one trigger per lifecycle stage (null when no message answers it): a batch of one trigger looks the trigger up once.</summary>
    internal CompiledMessage[][]? Buckets(Trigger trigger)
        => _index.TryGetValue(trigger, out var perStage) ? perStage : null;

    /// <summary>The messages of a trigger's <see cref="Buckets(Trigger)"/> that target a stage, in catalog order.</summary>
    internal static CompiledMessage[] Candidates(CompiledMessage[][]? buckets, LifecycleStage stage)
        => buckets is not null && (uint)stage < 3 ? buckets[(int)stage] : None;
}
