using System.Globalization;
using Personalize.Channels;
using Personalize.Consent;
using Personalize.Customers;

namespace Personalize.Delivery;

/// <summary>
/// Writes the "why you get this" sentence of a message from the customer's own consent records, for example
/// <c>You get this because you chose weekly gardening tips on 3 March 2026 via our website.</c> The topic
/// subscription is preferred, then the opt-in for the channel and purpose, then the opt-in for the channel;
/// dates are in the customer's time zone. Without such a record the sentence is neutral
/// (<see cref="DeliveryOptions.ServiceReason"/> for service, else <see cref="DeliveryOptions.NeutralReason"/>).
/// The sentence uses only consent evidence, never personal fields. Thread-safe.
/// </summary>
public sealed class ConsentReasons
{
    private readonly Dictionary<string, string> _topics;
    private readonly string _neutral;
    private readonly string _service;
    private readonly ChannelRegistry _channels;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> _lowered = new(StringComparer.Ordinal);

    /// <summary>Creates the writer.</summary>
    /// <param name="options">The options (topic descriptions and neutral sentences); read once, here.</param>
    /// <param name="channels">The channel registry for display names; the built-in channels when null.</param>
    public ConsentReasons(DeliveryOptions options, ChannelRegistry? channels = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _topics = new Dictionary<string, string>(options.TopicDescriptions, StringComparer.OrdinalIgnoreCase);
        _neutral = options.NeutralReason;
        _service = options.ServiceReason;
        _channels = channels ?? ChannelRegistry.Default;
    }

    /// <summary>The sentence for a message to a customer.</summary>
    /// <param name="customer">The customer.</param>
    /// <param name="channel">The message's channel.</param>
    /// <param name="purpose">The message's purpose.</param>
    /// <param name="topic">The message's topic, if any.</param>
    /// <returns>One sentence.</returns>
    public string Explain(CustomerProfile customer, Channel channel, ContactPurpose purpose, string? topic = null)
    {
        ArgumentNullException.ThrowIfNull(customer);
        var ledger = customer.Consents;
        var zone = customer.TimeZone;
        if (topic is not null && ConsentScope.TryNormalizeTopic(topic, out var normalized))
        {
            var state = ledger.GetState(ConsentScope.ForTopic(normalized));
            if (state.IsGranted)
            {
                var described = _topics.TryGetValue(normalized, out var text) ? text : normalized;
                return string.Create(CultureInfo.InvariantCulture, $"You get this because you chose {described} on {Local(state.Record!, zone):d MMMM yyyy} via {state.Record!.Source}.");
            }
        }

        if (!channel.IsDefault)
        {
            var specific = ledger.GetState(ConsentScope.ForChannel(channel, purpose));
            if (specific.IsGranted)
            {
                return string.Create(CultureInfo.InvariantCulture, $"You get this because you opted in to {PurposeWord(purpose)} messages by {ChannelWord(channel)} on {Local(specific.Record!, zone):d MMMM yyyy} via {specific.Record!.Source}.");
            }

            var wide = ledger.GetState(ConsentScope.ForChannel(channel));
            if (wide.IsGranted)
            {
                return string.Create(CultureInfo.InvariantCulture, $"You get this because you opted in to messages by {ChannelWord(channel)} on {Local(wide.Record!, zone):d MMMM yyyy} via {wide.Record!.Source}.");
            }
        }

        return purpose == ContactPurpose.Service ? _service : _neutral;
    }

    private string ChannelWord(Channel channel)
    {
        var name = _channels.TryGet(channel, out var definition) ? definition.DisplayName : channel.ToString();
        foreach (var c in name)
        {
            if (char.IsLower(c))
            {
                // Display names repeat for every message: each lower-cased once (the table stops growing at 256 names).
                if (!_lowered.TryGetValue(name, out var lowered))
                {
                    lowered = name.ToLowerInvariant();
                    if (_lowered.Count < 256)
                    {
                        _lowered.TryAdd(name, lowered);
                    }
                }

                return lowered;
            }
        }

        return name; // an acronym such as SMS stays as it is
    }

    private static string PurposeWord(ContactPurpose purpose) => purpose switch
    {
        ContactPurpose.Marketing => "marketing",
        ContactPurpose.Service => "service",
        _ => "relationship",
    };

    // Formatted into the sentence ("d MMMM yyyy", invariant: 1 September 2025) with no string of its own.
    private static DateTimeOffset Local(ConsentRecord record, TimeZoneInfo zone) => TimeZoneInfo.ConvertTime(record.EffectiveAt, zone);
}
