using Personalize.Catalog;
using Personalize.Channels;
using Personalize.Customers;

namespace Personalize.Decisions.Rules;

/// <summary>
/// Rule 4, frequency (<c>frequency</c>): caps per channel (<c>frequency.channel_cap</c>) and over all channels
/// (<c>frequency.overall_cap</c>) over rolling windows <c>(t - window, t]</c> of the contact history sent at or before
/// the send instant (a record dated later does not count). Promotional
/// messages (marketing and relationship) count only promotional history against <see cref="DecisionOptions.PromotionalCaps"/>
/// and the customer's own caps (so the stricter wins); service messages count only service history against
/// <see cref="DecisionOptions.ServiceCaps"/>. A decision's earlier winners count like history at their send instants,
/// so several winners of one decision (<see cref="DecisionOptions.MaxWinners"/>) never break a cap together; every
/// window that would hold the send counts, including windows ending at a later winner or a later history record. A cap
/// of 0 allows nothing, history or not. A reached cap gives the instant one more fits, so the message can be deferred.
/// </summary>
internal sealed class FrequencyRule : IChannelRule
{
    private readonly FrequencyCap[] _promotional;
    private readonly FrequencyCap[] _service;
    private readonly bool _customerCaps;
    private readonly bool _zeroPromotional;
    private readonly bool _zeroService;
    private readonly bool _channelPromotional;
    private readonly bool _channelService;
    private const int CacheKind = 2;

    internal FrequencyRule(DecisionOptions options)
    {
        _promotional = options.PromotionalCaps.ToArray();
        _service = options.ServiceCaps.ToArray();
        _customerCaps = options.ApplyCustomerCaps;
        _zeroPromotional = Array.Exists(_promotional, c => c.Max <= 0);
        _zeroService = Array.Exists(_service, c => c.Max <= 0);
        _channelPromotional = Array.Exists(_promotional, c => c.Channel is not null);
        _channelService = Array.Exists(_service, c => c.Channel is not null);
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

    /// <summary>
    /// The engine's fast path: the compiled message and the index of the channel in its contents; whether every cap
    /// allows the send, with the blocking result written to <paramref name="blocked"/> only when one does not. Not
    /// inlined (see <see cref="ConsentRule.Passes"/>).
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    internal bool Passes(DecisionContext context, CompiledMessage message, int contentIndex, DateTimeOffset sendAt, ref RuleResult blocked)
        => Passes(context, message.Purpose == ContactPurpose.Service, message.ChannelDefinitions[contentIndex], sendAt, ref blocked);

    private RuleResult Evaluate(DecisionContext context, bool service, ChannelDefinition channel, DateTimeOffset sendAt)
    {
        var blocked = RuleResult.Pass;
        Passes(context, service, channel, sendAt, ref blocked);
        return blocked;
    }

    private bool Passes(DecisionContext context, bool service, ChannelDefinition channel, DateTimeOffset sendAt, ref RuleResult blocked)
    {
        // Without winners, the answer at the decision instant is the purpose group's for every channel once it was
        // found to pass without a cap on one channel (kept for the decision: see DecisionContext.FrequencyPassesNow).
        var placed = context.WinnerCount;
        var group = service ? DecisionContext.ServiceGroup : DecisionContext.PromotionalGroup;
        if (placed == 0 && (context.FrequencyPassesNow & group) != 0 && sendAt.UtcTicks == context.At.UtcTicks)
        {
            return true;
        }

        var history = context.Customer.History;
        var own = Own(context, service);
        if (history.Count == 0 && placed == 0 && !(service ? _zeroService : _zeroPromotional) && !AnyZero(own))
        {
            context.FrequencyPassesNow |= group;
            return true; // nothing counted yet and every cap allows one
        }

        // With no winner yet, at the decision instant or at the later instant whose counts are memoized (CountAll), a
        // channel under every cap passes from the counts alone, without the decision's result cache; a reached cap is
        // judged below.
        var caps = service ? _service : _promotional;
        var now = sendAt.UtcTicks == context.At.UtcTicks;
        if (placed == 0 && caps.Length + own.Length <= CapCounts.Capacity && (now || context.CountsFor(service, sendAt.UtcTicks) is { Valid: true } memo && memo.Ticks == sendAt.UtcTicks)
            && !AnyReached(CountAll(context, caps, own, sendAt, service, history), caps, own, channel.Channel))
        {
            if (now && !(service ? _channelService : _channelPromotional) && !AnyOnChannel(own))
            {
                context.FrequencyPassesNow |= group; // no cap is on one channel: every channel passes now
            }

            return true;
        }

        // The answer depends only on the channel, the purpose group, the instant and the winners so far: evaluate once
        // per decision and winner count. Without a cap on one channel (the engine's and the customer's caps all count
        // every channel) it does not depend on the channel either: every channel of the decision shares it.
        var key = (service ? 1 : 0) | (placed << 1);
        var shared = (service ? _channelService : _channelPromotional) || AnyOnChannel(own) ? channel : null;
        ref readonly var cached = ref context.Cached(CacheKind, shared, key, sendAt.UtcTicks);
        if (!System.Runtime.CompilerServices.Unsafe.IsNullRef(in cached))
        {
            return RuleResult.PassesOrKeep(cached, ref blocked);
        }

        var result = placed == 0
            ? Evaluate(context, channel, sendAt, service, history, own)
            : EvaluateWithWinners(context, channel.Channel, sendAt, service, history, own);
        context.Cache(CacheKind, shared, key, sendAt.UtcTicks, result);
        return RuleResult.PassesOrKeep(result, ref blocked);
    }

    /// <summary>
    /// The customer's own caps that apply (none for service, nor when <see cref="DecisionOptions.ApplyCustomerCaps"/> is
    /// off), as a span: arrays and lists as they are (no interface call per cap); any other list (a collection expression
    /// typed as a read-only list, for example) is copied into the decision's buffer once per decision.
    /// </summary>
    private ReadOnlySpan<FrequencyCap> Own(DecisionContext context, bool service)
        => service || !_customerCaps
            ? default
            : context.Customer.Preferences.FrequencyCaps switch
            {
                FrequencyCap[] array => array,
                List<FrequencyCap> list => System.Runtime.InteropServices.CollectionsMarshal.AsSpan(list),
                var other => context.OwnCaps(other),
            };

    /// <summary>Whether a cap that applies to <paramref name="channel"/> has reached its maximum by <paramref name="counts"/> (the caps, then the customer's own).</summary>
    private static bool AnyReached(int[] counts, FrequencyCap[] caps, ReadOnlySpan<FrequencyCap> own, Channel channel)
    {
        for (var i = 0; i < caps.Length + own.Length; i++)
        {
            var cap = i < caps.Length ? caps[i] : own[i - caps.Length];
            if (counts[i] >= cap.Max && (cap.Channel is not { } capChannel || capChannel == channel))
            {
                return true;
            }
        }

        return false;
    }

    private static bool AnyZero(ReadOnlySpan<FrequencyCap> own)
    {
        foreach (var cap in own)
        {
            if (cap.Max <= 0)
            {
                return true;
            }
        }

        return false;
    }

    private static bool AnyOnChannel(ReadOnlySpan<FrequencyCap> own)
    {
        foreach (var cap in own)
        {
            if (cap.Channel is not null)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The path when this decision already has winners: per cap, the counted events (history up to the send instant
    /// and winners) near the send instant, sorted; the send must fit in its own window and in the window ending at each
    /// later winner it would fall into.
    /// </summary>
    private RuleResult EvaluateWithWinners(DecisionContext context, Channel channel, DateTimeOffset sendAt, bool service, ContactHistory history, ReadOnlySpan<FrequencyCap> own)
    {
        var caps = service ? _service : _promotional;
        var winners = context.WinnerScratch.AsSpan(0, context.WinnerCount);
        var s = sendAt.UtcTicks;
        for (var i = 0; i < caps.Length + own.Length; i++)
        {
            var cap = i < caps.Length ? caps[i] : own[i - caps.Length];
            if (cap.Channel is { } capChannel && capChannel != channel)
            {
                continue;
            }

            var w = cap.Window.Ticks;
            var ticks = history.SentTicks;
            var first = history.FirstAfter(new DateTimeOffset(s - w, TimeSpan.Zero));
            var buffer = context.CapEventScratch;
            var most = Math.Max(0, ticks.Length - first) + winners.Length;
            if (buffer.Length < most)
            {
                buffer = context.CapEventScratch = new long[Math.Max(most, buffer.Length * 2)];
            }

            var count = 0;
            for (var r = first; r < ticks.Length && ticks[r] <= s; r++)
            {
                if ((history.Purposes[r] == ContactPurpose.Service) == service && (cap.Channel is null || history.Channels[r] == channel))
                {
                    buffer[count++] = ticks[r];
                }
            }

            foreach (ref readonly var winner in winners)
            {
                var t = winner.SendAt.UtcTicks;
                if (t > s - w && t < s + w && (winner.Message.Purpose == ContactPurpose.Service) == service && (cap.Channel is null || winner.Channel == channel))
                {
                    buffer[count++] = t;
                }
            }

            var events = buffer.AsSpan(0, count);
            events.Sort();
            var code = cap.Channel is null ? DecisionCodes.OverallCap : DecisionCodes.ChannelCap;

            // The send's own window (s - w, s].
            var upTo = 0;
            while (upTo < events.Length && events[upTo] <= s)
            {
                upTo++;
            }

            if (upTo >= cap.Max)
            {
                // When the (count - Max)-th counted event (oldest first) leaves the window, Max - 1 remain; a cap of 0 never frees.
                DateTimeOffset? next = cap.Max <= 0 ? null : new DateTimeOffset(events[upTo - cap.Max] + w, TimeSpan.Zero);
                return new RuleResult(code, null, next, cap, upTo, sendAt);
            }

            // Each later winner's window (e - w, e] holds the send too: it must still fit there; if not, nothing before e can go.
            var from = 0;
            for (var e = upTo; e < events.Length; e++)
            {
                while (events[from] <= events[e] - w)
                {
                    from++;
                }

                var last = e;
                while (last + 1 < events.Length && events[last + 1] == events[e])
                {
                    last++;
                }

                var inWindow = last - from + 1;
                if (inWindow + 1 > cap.Max)
                {
                    var due = new DateTimeOffset(events[e], TimeSpan.Zero);
                    return new RuleResult(code, null, due, cap, inWindow, due);
                }
            }
        }

        return RuleResult.Pass;
    }

    private RuleResult Evaluate(DecisionContext context, ChannelDefinition channel, DateTimeOffset sendAt, bool service, ContactHistory history, ReadOnlySpan<FrequencyCap> own)
    {
        var caps = service ? _service : _promotional;
        if (caps.Length + own.Length > CapCounts.Capacity)
        {
            return EvaluateEach(caps, own, channel.Channel, sendAt, service, history);
        }

        // Count every cap once per decision, instant and purpose group (one backwards pass over the window), then
        // check them in order for this channel; a reached cap finds the instant one more fits from its count (a forward
        // pass over its window up to the message that frees it).
        var counts = CountAll(context, caps, own, sendAt, service, history);
        for (var i = 0; i < caps.Length + own.Length; i++)
        {
            var cap = i < caps.Length ? caps[i] : own[i - caps.Length];
            if (counts[i] >= cap.Max && (cap.Channel is not { } capChannel || capChannel == channel.Channel))
            {
                var next = CapMath.NextAllowed(history, cap, sendAt, service, counts[i]);
                return new RuleResult(cap.Channel is null ? DecisionCodes.OverallCap : DecisionCodes.ChannelCap, null, next, cap, counts[i], sendAt);
            }
        }

        return RuleResult.Pass;
    }

    /// <summary>The counts of <paramref name="caps"/> then <paramref name="own"/> at <paramref name="sendAt"/>, memoized for the decision (one memo for the decision instant, one for the latest later instant).</summary>
    private static int[] CountAll(DecisionContext context, FrequencyCap[] caps, ReadOnlySpan<FrequencyCap> own, DateTimeOffset sendAt, bool service, ContactHistory history)
    {
        var at = sendAt.UtcTicks;
        var memo = context.CountsFor(service, at);
        var counts = memo.Counts;
        if (memo.Valid && memo.Ticks == at)
        {
            return counts;
        }

        // Each cap's window start and channel (a cap without a channel counts every channel), read once here
        // rather than through the cap objects for every record.
        var total = caps.Length + own.Length;
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

    private static RuleResult EvaluateEach(FrequencyCap[] caps, ReadOnlySpan<FrequencyCap> own, Channel channel, DateTimeOffset sendAt, bool service, ContactHistory history)
    {
        for (var i = 0; i < caps.Length; i++)
        {
            var result = Check(caps[i], history, channel, sendAt, service);
            if (!result.Passed)
            {
                return result;
            }
        }

        for (var i = 0; i < own.Length; i++)
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
