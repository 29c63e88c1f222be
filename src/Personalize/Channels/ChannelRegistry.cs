using System.Diagnostics.CodeAnalysis;

namespace Personalize.Channels;

/// <summary>
/// The channels a host knows: the six built-in ones plus those added with
/// <see cref="PersonalizeOptions.AddChannel"/>. Immutable and safe to share.
/// </summary>
public sealed class ChannelRegistry
{
    private readonly Dictionary<Channel, ChannelDefinition> _byChannel;

    private ChannelRegistry(List<ChannelDefinition> all)
    {
        All = all.AsReadOnly();
        _byChannel = new Dictionary<Channel, ChannelDefinition>(all.Count);
        foreach (var definition in all)
        {
            _byChannel[definition.Channel] = definition;
        }
    }

    /// <summary>The built-in channels only: email, SMS, push, direct mail, phone, in-app.</summary>
    public static ChannelRegistry Default { get; } = Create([]);

    /// <summary>The most channels a registry holds, built-in ones included.</summary>
    public const int MaxChannels = 1024;

    /// <summary>The built-in channels in their fixed order, then the host's channels in the order added.</summary>
    public IReadOnlyList<ChannelDefinition> All { get; }

    /// <summary>Creates a registry with the built-in channels plus <paramref name="hostChannels"/>.</summary>
    /// <param name="hostChannels">The host's own channels.</param>
    /// <exception cref="ArgumentException">A host channel repeats a built-in or another host channel, or there are more than <see cref="MaxChannels"/> in all.</exception>
    public static ChannelRegistry Create(IEnumerable<ChannelDefinition> hostChannels)
    {
        ArgumentNullException.ThrowIfNull(hostChannels);
        var all = new List<ChannelDefinition>
        {
            ChannelDefinition.Email,
            ChannelDefinition.Sms,
            ChannelDefinition.Push,
            ChannelDefinition.DirectMail,
            ChannelDefinition.Phone,
            ChannelDefinition.InApp,
        };
        foreach (var definition in hostChannels)
        {
            ArgumentNullException.ThrowIfNull(definition, nameof(hostChannels));
            foreach (var existing in all)
            {
                if (existing.Channel == definition.Channel)
                {
                    throw new ArgumentException($"The channel '{definition.Channel}' is defined twice.", nameof(hostChannels));
                }
            }

            all.Add(definition);
            if (all.Count > MaxChannels)
            {
                throw new ArgumentException($"A registry holds at most {MaxChannels} channels, built-in ones included; register fewer host channels.", nameof(hostChannels));
            }
        }

        return new ChannelRegistry(all);
    }

    /// <summary>Finds the definition of a channel.</summary>
    /// <param name="channel">The channel.</param>
    /// <param name="definition">The definition when the channel is registered.</param>
    /// <returns><see langword="true"/> when the channel is registered.</returns>
    public bool TryGet(Channel channel, [NotNullWhen(true)] out ChannelDefinition? definition)
    {
        if (channel.IsDefault)
        {
            definition = null;
            return false;
        }

        return _byChannel.TryGetValue(channel, out definition);
    }

    /// <summary>Whether a channel is registered.</summary>
    /// <param name="channel">The channel.</param>
    /// <returns><see langword="true"/> when registered.</returns>
    public bool Contains(Channel channel) => !channel.IsDefault && _byChannel.ContainsKey(channel);

    /// <summary>Parses a name and finds its definition.</summary>
    /// <param name="name">The channel name, for example <c>in-app</c>.</param>
    /// <param name="definition">The definition when the name is registered.</param>
    /// <returns><see langword="true"/> when the name is well formed and registered.</returns>
    public bool TryResolve(string? name, [NotNullWhen(true)] out ChannelDefinition? definition)
    {
        if (Channel.TryParse(name, out var channel))
        {
            return _byChannel.TryGetValue(channel, out definition);
        }

        definition = null;
        return false;
    }

    /// <summary>The registered channel names, comma-separated, for error messages.</summary>
    /// <returns>For example <c>email, sms, push, direct_mail, phone, in_app</c>.</returns>
    public string DescribeNames()
    {
        var names = new string[All.Count];
        for (var i = 0; i < names.Length; i++)
        {
            names[i] = All[i].Channel.ToString();
        }

        return string.Join(", ", names);
    }
}
