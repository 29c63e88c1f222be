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
        return Evaluate(context, message.Purpose == ContactPurpose.Service, channel, sendAt);
    }

    /// <summary>The engine's fast path: the compiled message and the index of the channel in its contents.</summary>
    internal RuleResult EvaluateCompiled(DecisionContext context, CompiledMessage message, int contentIndex, DateTimeOffset sendAt)
        => Evaluate(context, message.Purpose == ContactPurpose.Service, message.ChannelDefinitions[contentIndex], sendAt);

    private RuleResult Evaluate(DecisionContext context, bool service, ChannelDefinition channel, DateTimeOffset sendAt)
    {
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
        var caps = service ? _service : _promotional;
        var own = service || !_customerCaps ? [] : context.Customer.Preferences.FrequencyCaps;
        if (caps.Length + own.Count > CapCounts.Capacity)
        {
            return EvaluateEach(caps, own, channel.Channel, sendAt, service, history);
        }

        // Count every cap once per decision, instant and purpose group (one backwards pass over the window), then
        // check them in order for this channel; only a reached cap counts again, for the instant one more fits.
        var counts = CountAll(context, caps, own, sendAt, service, history);
        for (var i = 0; i < caps.Length + own.Count; i++)
        {
            var cap = i < caps.Length ? caps[i] : own[i - caps.Length];
            if (counts[i] >= cap.Max && (cap.Channel is not { } capChannel || capChannel == channel.Channel))
            {
                return Check(cap, history, channel.Channel, sendAt, service);
            }
        }

        return RuleResult.Pass;
    }

    /// <summary>The counts of <paramref name="caps"/> then <paramref name="own"/> at <paramref name="sendAt"/>, memoized per thread for the decision.</summary>
    private static int[] CountAll(DecisionContext context, FrequencyCap[] caps, IReadOnlyList<FrequencyCap> own, DateTimeOffset sendAt, bool service, ContactHistory history)
    {
        var memo = service ? context.ServiceCounts : context.PromotionalCounts;
        var at = sendAt.UtcTicks;
        var counts = memo.Counts;
        if (memo.Valid && memo.Ticks == at)
        {
            return counts;
        }

        // Each cap's window start and channel (a cap without a channel counts every channel), read once here
        // rather than through the cap objects for every record.
        var total = caps.Length + own.Count;
        Span<long> starts = stackalloc long[CapCounts.Capacity];
        var capChannels = default(CapChannels);
        var channelCaps = 0;
        var earliest = long.MaxValue;
        for (var i = 0; i < total; i++)
        {
            var cap = i < caps.Length ? caps[i] : own[i - caps.Length];
            starts[i] = at - cap.Window.Ticks; // the window is (at - window, at]
            earliest = Math.Min(earliest, starts[i]);
            counts[i] = 0;
            if (cap.Channel is { } capChannel)
            {
                capChannels[i] = capChannel;
                channelCaps |= 1 << i;
            }
        }

        var ticks = history.SentTicks;
        var purposes = history.Purposes;
        var channels = history.Channels;
        for (var r = (at == context.At.UtcTicks ? context.HistoryEnd : history.FirstAfter(sendAt)) - 1; r >= 0; r--)
        {
            var sent = ticks[r];
            if (sent <= earliest)
            {
                break;
            }

            if ((purposes[r] == ContactPurpose.Service) != service)
            {
                continue;
            }

            for (var i = 0; i < total; i++)
            {
                if (sent > starts[i] && ((channelCaps & (1 << i)) == 0 || channels[r] == capChannels[i]))
                {
                    counts[i]++;
                }
            }
        }

        memo.Valid = true;
        memo.Ticks = at;
        return counts;
    }

    private static RuleResult EvaluateEach(FrequencyCap[] caps, IReadOnlyList<FrequencyCap> own, Channel channel, DateTimeOffset sendAt, bool service, ContactHistory history)
    {
        for (var i = 0; i < caps.Length; i++)
        {
            var result = Check(caps[i], history, channel, sendAt, service);
            if (!result.Passed)
            {
                return result;
            }
        }

        for (var i = 0; i < own.Count; i++)
        {
            var result = Check(own[i], history, channel, sendAt, service);
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

    /// <summary>The channel of each of up to <see cref="CapCounts.Capacity"/> caps, on the stack.</summary>
    [System.Runtime.CompilerServices.InlineArray(CapCounts.Capacity)]
    private struct CapChannels
    {
        private Channel _element;
    }
}
