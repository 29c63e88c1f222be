using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Personalize.Catalog;
using Personalize.Channels;
using Personalize.Customers;
using Personalize.Decisions.Rules;
using Personalize.Eligibility;

namespace Personalize.Decisions;

// Channel selection: the channels in the customer's order, each through the channel rules, with deferral to the next allowed instant.
public sealed partial class DecisionEngine
{
    private const int MaxDeferralSteps = 16;

    /// <summary>The chosen channel is the try allowed now kept in the outcome (see <see cref="ContactlessTries"/>), not an entry.</summary>
    internal const int ChosenInline = int.MaxValue;

    /// <summary>
    /// Tries the message's channels in the customer's order; returns the index of the chosen channel outcome,
    /// <see cref="ChosenInline"/> or -1. The tries whose entry follows from the channel and the instant (no contact
    /// point, a plain <c>consent.missing</c>, allowed now) are kept in <paramref name="contactless"/> when they fit there
    /// (see <see cref="ContactlessTries"/>), the others as entries from <paramref name="count"/> on.
    /// </summary>
    private int SelectChannel(DecisionContext context, CompiledMessage message, Span<ChannelEntry> outcomes, ref int count, out uint contactless)
    {
        var ranking = AsSpan(context.Customer.Preferences.ChannelRanking);
        var contents = message.Contents;
        var bestDeferred = -1;
        var tries = new ContactlessTries(count);

        // Ranked channels first, in the customer's order.
        for (var r = 0; r < ranking.Length; r++)
        {
            var index = IndexOf(contents, ranking[r]);
            if (index < 0 || IsDuplicateRank(ranking, r))
            {
                continue;
            }

            var outcome = WithoutContactPoint(context, message, index, ref count, outcomes, ref tries) ? -1 : Kept(TryChannel(context, message, index, ref count, outcomes), outcomes, ref count, ref tries, context.At.UtcTicks);
            if (outcome == ChosenInline || (outcome >= 0 && outcomes[outcome].Status == ChannelStatus.Allowed))
            {
                contactless = tries.Kept;
                return outcome;
            }

            if (outcome >= 0 && (bestDeferred < 0 || outcomes[outcome].SendAt < outcomes[bestDeferred].SendAt))
            {
                bestDeferred = outcome;
            }
        }

        // Then the message's channels the customer did not rank, in catalog order.
        for (var c = 0; c < contents.Length; c++)
        {
            if (Contains(ranking, contents[c].Channel))
            {
                continue;
            }

            var outcome = WithoutContactPoint(context, message, c, ref count, outcomes, ref tries) ? -1 : Kept(TryChannel(context, message, c, ref count, outcomes), outcomes, ref count, ref tries, context.At.UtcTicks);
            if (outcome == ChosenInline || (outcome >= 0 && outcomes[outcome].Status == ChannelStatus.Allowed))
            {
                contactless = tries.Kept;
                return outcome;
            }

            if (outcome >= 0 && (bestDeferred < 0 || outcomes[outcome].SendAt < outcomes[bestDeferred].SendAt))
            {
                bestDeferred = outcome;
            }
        }

        contactless = tries.Kept;
        return bestDeferred;
    }

    /// <summary>
    /// The try <see cref="TryChannel"/> just ended (its entry the last written): kept in the outcome instead when it is
    /// allowed now or blocked by a plain <c>consent.missing</c> and fits there (the entry is dropped: an allowed one
    /// returns <see cref="ChosenInline"/>); else its result as it was.
    /// </summary>
    private static int Kept(int outcome, Span<ChannelEntry> outcomes, ref int count, ref ContactlessTries tries, long atTicks)
    {
        var last = count - 1;
        if ((outcome < 0 || outcome == last) && tries.TryKeep(last, outcomes[last], atTicks))
        {
            outcomes[last] = default;
            count = last;
            return outcome < 0 ? -1 : ChosenInline;
        }

        return outcome;
    }

    /// <summary>
    /// A channel the customer has no usable contact point for, when the consent rule comes first: blocked with the
    /// consent rule's own result (<see cref="ContactEligibility.MissingContactPoint"/>, its first check), recorded without running
    /// the rules (the most common try of a batch: about one per decision ends here) — in the candidate's outcome when it
    /// fits there (<see cref="ContactlessTries"/>: no entry written or kept), else as an entry.
    /// </summary>
    private bool WithoutContactPoint(DecisionContext context, CompiledMessage message, int contentIndex, ref int count, Span<ChannelEntry> outcomes, ref ContactlessTries tries)
    {
        if (_consentRule != 0 || ContactEligibility.MissingContactPoint(context.Customer.ContactPoints, message.ChannelDefinitions[contentIndex].ContactPoint) is not { } code)
        {
            return false;
        }

        if (!tries.TryAdd(count, contentIndex, code))
        {
            outcomes[count++] = ContactlessTries.Entry(contentIndex, code, context.At);
        }

        return true;
    }

    /// <summary>
    /// Runs the channel rules, deferring while allowed; records the outcome and returns its index when the channel can be
    /// used, else -1. At a deferral's instant each channel is judged again, but two built-in answers are known from the
    /// try so far and are not asked again (the same results the rules would return): timing at the instant the timing
    /// rule itself deferred to (it is allowed there by construction, see <see cref="Timing.ContactWindow.NextAllowed"/>), and
    /// consent that held at the decision instant when the ledger has no record dated after it (see
    /// <see cref="ConsentRule.HoldsLater"/>).
    /// </summary>
    private int TryChannel(DecisionContext context, CompiledMessage message, int contentIndex, ref int count, Span<ChannelEntry> outcomes)
    {
        var definition = message.ChannelDefinitions[contentIndex];
        var at = context.At;
        var sendAt = at;
        RuleResult firstDeferral = default;
        var result = RuleResult.Pass; // written by a rule only when it blocks
        var index = count++;
        var timingAllows = -1L; // the instant (UTC ticks) the timing rule deferred to in this try
        var consentHolds = false;
        for (var step = 0; step < MaxDeferralSteps; step++)
        {
            var restarted = false;
            for (var r = 0; r < _channelRules.Length; r++)
            {
                if (step > 0 && ((r == _timingRule && sendAt.UtcTicks == timingAllows) || (r == _consentRule && consentHolds)))
                {
                    continue;
                }

                if (PassesChannelRule(_channelRules[r], context, message, contentIndex, definition, sendAt, ref result))
                {
                    consentHolds |= r == _consentRule && ConsentRule.HoldsLater(context);
                    continue;
                }

                if (result.RetryAt is not { } retry || retry <= sendAt)
                {
                    return Ended(outcomes, index, contentIndex, ChannelEntry.Outcome.Blocked, result, null, at.UtcTicks);
                }

                if (message.Definition.WhenBlocked != BlockedSendPolicy.Defer)
                {
                    return Ended(outcomes, index, contentIndex, ChannelEntry.Outcome.Dropped, result, retry, at.UtcTicks);
                }

                // Only a deferral needs the policy and the expiry (most tries pass or block): read here, not per try.
                if (retry > message.ExpiryFor(at))
                {
                    return Ended(outcomes, index, contentIndex, ChannelEntry.Outcome.PastExpiry, result, retry, at.UtcTicks);
                }

                if (firstDeferral.Passed)
                {
                    firstDeferral = result;
                }

                timingAllows = r == _timingRule ? retry.UtcTicks : timingAllows;
                sendAt = retry;
                restarted = true;
                break;
            }

            if (!restarted)
            {
                outcomes[index] = sendAt == at
                    ? new ChannelEntry(contentIndex, ChannelEntry.Outcome.Allowed, default, sendAt, at.UtcTicks)
                    : new ChannelEntry(contentIndex, ChannelEntry.Outcome.Deferred, firstDeferral, sendAt, at.UtcTicks);
                return index;
            }
        }

        outcomes[index] = new ChannelEntry(contentIndex, ChannelEntry.Outcome.NoAllowedTime, firstDeferral, sendAt, at.UtcTicks);
        return -1;
    }

    /// <summary>Records a try that ended without a send (out of line: the try's loop stays small) and returns -1.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int Ended(Span<ChannelEntry> outcomes, int index, int contentIndex, ChannelEntry.Outcome kind, in RuleResult result, DateTimeOffset? sendAt, long atTicks)
    {
        outcomes[index] = new ChannelEntry(contentIndex, kind, result, sendAt, atTicks);
        return -1;
    }

    private static int IndexOf(MessageChannel[] contents, Channel channel)
    {
        for (var i = 0; i < contents.Length; i++)
        {
            if (contents[i].Channel == channel)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>
    /// The ranking as a span: arrays (collection expressions) and lists (the JSON reader) as they are; any other list
    /// is copied, once per candidate evaluated (a host that builds rankings some other way pays that small copy).
    /// </summary>
    private static ReadOnlySpan<Channel> AsSpan(IReadOnlyList<Channel> ranking)
        => ReadOnlyLists.TryAsSpan(ranking, out var span) ? span : ranking.ToArray();

    private static bool Contains(ReadOnlySpan<Channel> ranking, Channel channel)
    {
        for (var i = 0; i < ranking.Length; i++)
        {
            if (ranking[i] == channel)
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsDuplicateRank(ReadOnlySpan<Channel> ranking, int r)
    {
        for (var i = 0; i < r; i++)
        {
            if (ranking[i] == ranking[r])
            {
                return true;
            }
        }

        return false;
    }
}
