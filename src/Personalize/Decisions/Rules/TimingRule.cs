using Personalize.Catalog;
using Personalize.Channels;

namespace Personalize.Decisions.Rules;

/// <summary>
/// Rule 5, timing (<c>timing</c>): on channels where timing matters, the send instant is outside the customer's quiet
/// hours (<c>timing.quiet_hours</c>, every purpose) and, for marketing and relationship, inside their preferred days
/// and hours (<c>timing.outside_preferred_time</c>), in their own time zone, DST-correct. A blocked send carries the
/// next allowed instant so the engine can defer it (never past the message's expiry); when no instant in the next
/// week is allowed: <c>timing.no_allowed_time</c>.
/// </summary>
internal sealed class TimingRule : IChannelRule
{
    internal TimingRule()
    {
    }

    /// <inheritdoc />
    public string Name => "timing";

    /// <inheritdoc />
    public string Description => "Quiet hours and preferred times in the customer's zone; a blocked send is deferred to the next allowed instant.";

    /// <inheritdoc />
    public RuleResult Evaluate(DecisionContext context, MessageDefinition message, ChannelDefinition channel, DateTimeOffset sendAt)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(channel);
        return Evaluate(context, message.Purpose, channel, sendAt);
    }

    /// <summary>
    /// The engine's fast path: the compiled message and the index of the channel in its contents; whether timing
    /// allows the send, with the blocking result written to <paramref name="blocked"/> only when it does not. Not
    /// inlined (see <see cref="ConsentRule.Passes"/>).
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    internal bool Passes(DecisionContext context, CompiledMessage message, int contentIndex, DateTimeOffset sendAt, ref RuleResult blocked)
        => Passes(context, message.Purpose, message.ChannelDefinitions[contentIndex], sendAt, ref blocked);

    private static RuleResult Evaluate(DecisionContext context, ContactPurpose purpose, ChannelDefinition channel, DateTimeOffset sendAt)
    {
        var blocked = RuleResult.Pass;
        Passes(context, purpose, channel, sendAt, ref blocked);
        return blocked;
    }

    private static bool Passes(DecisionContext context, ContactPurpose purpose, ChannelDefinition channel, DateTimeOffset sendAt, ref RuleResult blocked)
    {
        if (!channel.RespectsTiming)
        {
            return true;
        }

        var includePreferred = context.Eligibility.PreferredTimesApplyTo(purpose);
        return context.IsAllowedByTiming(sendAt, includePreferred) || Blocked(context, includePreferred, sendAt, ref blocked);
    }

    /// <summary>The result when timing blocks the send (out of line: most sends are allowed).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static bool Blocked(DecisionContext context, bool includePreferred, DateTimeOffset sendAt, ref RuleResult blocked)
    {
        // Blocked now: the same answer for every channel of the decision that respects timing.
        var now = sendAt == context.At;
        if (now && context.TryGetTimingNow(includePreferred, out blocked))
        {
            return false;
        }

        var window = context.Window;
        var code = window.IsQuiet(sendAt) ? DecisionCodes.QuietHours : DecisionCodes.OutsidePreferredTime;
        var next = context.NextAllowedByTiming(sendAt, includePreferred);
        blocked = next is null
            ? new RuleResult(DecisionCodes.NoAllowedTime, null, null, instant: sendAt)
            : new RuleResult(code, null, next, instant: sendAt);
        if (now)
        {
            context.KeepTimingNow(includePreferred, blocked);
        }

        return false;
    }
}
