using Personalize.Catalog;
using Personalize.Customers;

namespace Personalize.Decisions.Rules;

/// <summary>
/// Rule 4, frequency (<c>frequency</c>): caps per channel (<c>frequency.channel_cap</c>) and over all channels
/// (<c>frequency.overall_cap</c>) over rolling windows <c>(t - window, t]</c> of the contact history. Promotional
/// messages (marketing and relationship) count only promotional history against <see cref="DecisionOptions.PromotionalCaps"/>
/// and the customer's own caps (so the stricter wins); service messages count only service history against
/// <see cref="DecisionOptions.ServiceCaps"/>. A reached cap gives the instant one more fits, so the message can be deferred.
/// </summary>
public sealed class FrequencyRule : IChannelRule
{
    private readonly FrequencyCap[] _promotional;
    private readonly FrequencyCap[] _service;
    private readonly bool _customerCaps;
    private const int CacheKind = 2;

    internal FrequencyRule(DecisionOptions options)
    {
        _promotional = options.PromotionalCaps.ToArray();
        _service = options.ServiceCaps.ToArray();
        _customerCaps = options.ApplyCustomerCaps;
    }

    /// <inheritdoc />
    public string Name => "frequency";

    /// <inheritdoc />
    public string Description => "Caps per channel and overall over rolling windows; the customer's stricter caps win; service has its own caps.";

    /// <inheritdoc />
    public RuleResult Evaluate(DecisionContext context, MessageDefinition message, ChannelDefinition channel, DateTimeOffset sendAt)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(channel);
        var service = message.Purpose == ContactPurpose.Service;
        var history = context.Customer.History;
        if (history.Count == 0)
        {
            return RuleResult.Pass;
        }

        // The answer depends only on the channel, the purpose group and the instant: evaluate once per decision.
        var key = service ? 1 : 0;
        if (context.TryGetCached(CacheKind, channel, key, sendAt.UtcTicks, out var cached))
        {
            return cached;
        }

        var result = Evaluate(context, channel, sendAt, service, history);
        context.Cache(CacheKind, channel, key, sendAt.UtcTicks, result);
        return result;
    }

    private RuleResult Evaluate(DecisionContext context, ChannelDefinition channel, DateTimeOffset sendAt, bool service, ContactHistory history)
    {
        var result = Check(service ? _service : _promotional, history, channel.Channel, sendAt, service);
        if (!result.Passed || service || !_customerCaps)
        {
            return result;
        }

        var own = context.Customer.Preferences.FrequencyCaps;
        for (var i = 0; i < own.Count; i++)
        {
            result = Check(own[i], history, channel.Channel, sendAt, service: false);
            if (!result.Passed)
            {
                return result;
            }
        }

        return RuleResult.Pass;
    }

    private static RuleResult Check(FrequencyCap[] caps, ContactHistory history, Channel channel, DateTimeOffset sendAt, bool service)
    {
        for (var i = 0; i < caps.Length; i++)
        {
            var result = Check(caps[i], history, channel, sendAt, service);
            if (!result.Passed)
            {
                return result;
            }
        }

        return RuleResult.Pass;
    }

    private static RuleResult Check(FrequencyCap cap, ContactHistory history, Channel channel, DateTimeOffset sendAt, bool service)
    {
        if (cap.Channel is { } capChannel && capChannel != channel)
        {
            return RuleResult.Pass;
        }

        var count = CapMath.Count(history, cap, sendAt, service, out var next);
        if (count < cap.Max)
        {
            return RuleResult.Pass;
        }

        return new RuleResult(cap.Channel is null ? DecisionCodes.OverallCap : DecisionCodes.ChannelCap, null, next, cap, count, sendAt);
    }
}
