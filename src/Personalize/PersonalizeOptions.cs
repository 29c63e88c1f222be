using Personalize.Channels;
using Personalize.Timing;

namespace Personalize;

/// <summary>
/// Options for Personalize: host channels, the consent each purpose needs, default quiet hours.
/// Validated once at start (<see cref="Validate"/>); all problems are reported in one message.
/// </summary>
public sealed class PersonalizeOptions
{
    private readonly List<HostChannel> _hostChannels = [];

    /// <summary>The consent each purpose needs.</summary>
    /// <value>The default value is <see cref="ConsentRequirement.OptIn"/> for marketing and relationship,
    /// <see cref="ConsentRequirement.NotWithdrawn"/> for service.</value>
    public IDictionary<ContactPurpose, ConsentRequirement> ConsentRequirements { get; } = new Dictionary<ContactPurpose, ConsentRequirement>
    {
        [ContactPurpose.Marketing] = ConsentRequirement.OptIn,
        [ContactPurpose.Service] = ConsentRequirement.NotWithdrawn,
        [ContactPurpose.Relationship] = ConsentRequirement.OptIn,
    };

    /// <summary>Quiet hours for customers who set none, in each customer's own time zone.</summary>
    /// <value>The default value is <see langword="null"/> (no quiet hours unless the customer set some).</value>
    public TimeWindow? DefaultQuietHours { get; set; }

    /// <summary>
    /// How long a double opt-in request waits for its confirmation. Until then it is pending (not consent); after it,
    /// the request lapses and a confirmation that arrives later does not count (send a new request).
    /// <see cref="Timeout.InfiniteTimeSpan"/>: requests never lapse.
    /// </summary>
    /// <value>The default value is 7 days (<see cref="Consent.ConsentLedger.DefaultPendingOptInExpiry"/>).</value>
    public TimeSpan PendingOptInExpiry { get; set; } = Consent.ConsentLedger.DefaultPendingOptInExpiry;

    /// <summary>Whether preferred days and hours also restrict service messages (quiet hours always do).</summary>
    /// <value>The default value is <see langword="false"/>: an order update goes out when it happens, outside quiet hours.</value>
    public bool PreferredTimesApplyToService { get; set; }

    /// <summary>The host's own channels added with <see cref="AddChannel(string, ContactPointKind, string?, bool)"/>, by name as given.</summary>
    public IReadOnlyList<string> HostChannelNames
    {
        get
        {
            var names = new string[_hostChannels.Count];
            for (var i = 0; i < names.Length; i++)
            {
                names[i] = _hostChannels[i].Name;
            }

            return names;
        }
    }

    /// <summary>
    /// Adds a host channel, for example <c>AddChannel("whatsapp", ContactPointKind.MobilePhone, "WhatsApp")</c>.
    /// Adding the same name again replaces the earlier entry, so configuring twice is harmless.
    /// A malformed name is reported when the options are validated.
    /// </summary>
    /// <param name="name">The channel name: a letter, then letters, digits, <c>_</c> or <c>-</c>.</param>
    /// <param name="contactPoint">The contact point the channel needs.</param>
    /// <param name="displayName">The name shown to people; defaults to <paramref name="name"/>.</param>
    /// <param name="respectsTiming">Whether quiet hours and preferred times apply.</param>
    /// <returns>These options, for chaining.</returns>
    public PersonalizeOptions AddChannel(string name, ContactPointKind contactPoint, string? displayName = null, bool respectsTiming = true)
    {
        ArgumentNullException.ThrowIfNull(name);
        var entry = new HostChannel(name, displayName, contactPoint, respectsTiming);
        for (var i = 0; i < _hostChannels.Count; i++)
        {
            if (SameName(_hostChannels[i].Name, name))
            {
                _hostChannels[i] = entry;
                return this;
            }
        }

        _hostChannels.Add(entry);
        return this;
    }

    /// <summary>Checks the options.</summary>
    /// <returns>Every problem found, each a sentence; empty when valid.</returns>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        foreach (var host in _hostChannels)
        {
            if (!Channel.TryNormalize(host.Name, out var normalized, out var error))
            {
                errors.Add($"Host channel '{host.Name}': {error}");
                continue;
            }

            if (ChannelRegistry.Default.Contains(new Channel(normalized)))
            {
                errors.Add($"Host channel '{host.Name}' repeats the built-in channel '{normalized}'; built-in channels need no registration.");
            }

            if (!Enum.IsDefined(host.ContactPoint))
            {
                errors.Add($"Host channel '{host.Name}': contact point {(int)host.ContactPoint} is not a ContactPointKind.");
            }

            if (host.DisplayName is not null && string.IsNullOrWhiteSpace(host.DisplayName))
            {
                errors.Add($"Host channel '{host.Name}': the display name is blank.");
            }
        }

        foreach (var purpose in Enum.GetValues<ContactPurpose>())
        {
            if (!ConsentRequirements.TryGetValue(purpose, out var requirement))
            {
                errors.Add($"ConsentRequirements has no entry for {purpose}; set it to OptIn or NotWithdrawn.");
            }
            else if (!Enum.IsDefined(requirement))
            {
                errors.Add($"ConsentRequirements[{purpose}] is {(int)requirement}, which is not a ConsentRequirement.");
            }
        }

        if (PendingOptInExpiry <= TimeSpan.Zero && PendingOptInExpiry != Timeout.InfiniteTimeSpan)
        {
            errors.Add($"PendingOptInExpiry is {PendingOptInExpiry}; set a positive duration (for example 7 days) or Timeout.InfiniteTimeSpan.");
        }

        if (DefaultQuietHours is { } quiet && quiet.Start == quiet.End)
        {
            errors.Add("DefaultQuietHours has the same start and end; set both (for example 21:00 and 08:00) or leave it null.");
        }

        return errors;
    }

    /// <summary>Builds the channel registry: built-in channels plus the host's.</summary>
    /// <returns>The registry.</returns>
    /// <exception cref="ArgumentException">The options are invalid; the message lists every problem.</exception>
    public ChannelRegistry CreateChannelRegistry()
    {
        ThrowIfInvalid();
        var definitions = new List<ChannelDefinition>(_hostChannels.Count);
        foreach (var host in _hostChannels)
        {
            definitions.Add(new ChannelDefinition(new Channel(host.Name), host.DisplayName ?? host.Name.Trim(), host.ContactPoint, host.RespectsTiming));
        }

        return ChannelRegistry.Create(definitions);
    }

    internal void ThrowIfInvalid()
    {
        var errors = Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException(DescribeErrors(errors));
        }
    }

    internal static string DescribeErrors(IReadOnlyList<string> errors)
        => "Personalize options are invalid: " + string.Join(" ", errors);

    internal ConsentRequirement RequirementFor(ContactPurpose purpose)
        => ConsentRequirements.TryGetValue(purpose, out var requirement) ? requirement : ConsentRequirement.OptIn;

    private static bool SameName(string a, string b)
        => Channel.TryNormalize(a, out var na, out _) && Channel.TryNormalize(b, out var nb, out _)
            ? na == nb
            : string.Equals(a, b, StringComparison.Ordinal);

    private sealed record HostChannel(string Name, string? DisplayName, ContactPointKind ContactPoint, bool RespectsTiming);
}
