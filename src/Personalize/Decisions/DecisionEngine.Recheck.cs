using Personalize.Catalog;
using Personalize.Channels;
using Personalize.Consent;
using Personalize.Customers;

namespace Personalize.Decisions;

public sealed partial class DecisionEngine
{
    /// <summary>
    /// Re-checks a deferred send at its due instant, for that message on that channel only (no arbitration): the
    /// message still exists with the channel and targets the customer's stage; the message rules (condition and expiry,
    /// service first, topics, give before ask, message caps) and the channel rules (consent, contact point, frequency
    /// caps, timing) pass at <paramref name="at"/> with the customer's current profile and history. When a channel rule
    /// defers it again, the result says until when (never past the expiry counted from <paramref name="decidedAt"/>).
    /// A block by a consent withdrawal recorded after the decision has the code <see cref="RecheckCodes.WithdrawnSinceDecision"/>.
    /// </summary>
    /// <param name="catalog">The compiled catalog.</param>
    /// <param name="customer">The customer as stored now.</param>
    /// <param name="messageId">The deferred message.</param>
    /// <param name="channel">The channel the decision chose.</param>
    /// <param name="trigger">The trigger of the decision.</param>
    /// <param name="decidedAt">When the decision was made.</param>
    /// <param name="at">The due instant.</param>
    /// <param name="event">The event of an event-triggered decision (conditions see it as <c>event.*</c> again), or <see langword="null"/>.</param>
    /// <returns>Allowed, deferred (with the new instant) or blocked (with the code).</returns>
    public RecheckResult Recheck(CompiledCatalog catalog, CustomerProfile customer, string messageId, Channel channel, Trigger trigger, DateTimeOffset decidedAt, DateTimeOffset at, Events.CustomerEvent? @event = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(customer);
        ArgumentNullException.ThrowIfNull(messageId);
        CompiledMessage? message = null;
        foreach (var candidate in catalog.All)
        {
            if (string.Equals(candidate.Id, messageId, StringComparison.Ordinal))
            {
                message = candidate;
                break;
            }
        }

        if (message is null)
        {
            return new RecheckResult { Status = RecheckStatus.Blocked, Code = RecheckCodes.MessageRemoved };
        }

        var contentIndex = -1;
        for (var i = 0; i < message.Contents.Length; i++)
        {
            if (message.Contents[i].Channel == channel)
            {
                contentIndex = i;
                break;
            }
        }

        if (contentIndex < 0)
        {
            return new RecheckResult { Status = RecheckStatus.Blocked, Code = RecheckCodes.ChannelRemoved, Message = message.Definition };
        }

        var template = message.Contents[contentIndex].Template;
        if (!message.Targets(customer.Stage))
        {
            return Blocked(DecisionCodes.Stage);
        }

        var expiry = message.ExpiryFor(decidedAt);
        if (at > expiry)
        {
            return Blocked(DecisionCodes.PastExpiry);
        }

        var context = DecisionContext.Rent(customer, trigger, at, Eligibility);
        context.Event = @event;
        try
        {
            for (var r = 0; r < _messageRules.Length; r++)
            {
                var result = EvaluateMessageRule(_messageRules[r], context, message);
                if (!result.Passed)
                {
                    return Blocked(Code(result, customer, decidedAt));
                }
            }

            var sendAt = at;
            var definition = message.ChannelDefinitions[contentIndex];
            var defer = message.Definition.WhenBlocked == BlockedSendPolicy.Defer;
            for (var step = 0; step < MaxDeferralSteps; step++)
            {
                var restarted = false;
                for (var r = 0; r < _channelRules.Length; r++)
                {
                    var result = EvaluateChannelRule(_channelRules[r], context, message, contentIndex, definition, sendAt);
                    if (result.Passed)
                    {
                        continue;
                    }

                    if (result.RetryAt is not { } retry || retry <= sendAt || !defer)
                    {
                        return Blocked(Code(result, customer, decidedAt));
                    }

                    if (retry > expiry)
                    {
                        return Blocked(DecisionCodes.PastExpiry);
                    }

                    sendAt = retry;
                    restarted = true;
                    break;
                }

                if (!restarted)
                {
                    return sendAt == at
                        ? new RecheckResult { Status = RecheckStatus.Allowed, Code = DecisionCodes.Allowed, SendAt = at, Message = message.Definition, Template = template }
                        : new RecheckResult { Status = RecheckStatus.Deferred, Code = DecisionCodes.Deferred, SendAt = sendAt, Message = message.Definition, Template = template };
                }
            }

            return Blocked(DecisionCodes.NoAllowedTime);
        }
        finally
        {
            context.Return();
        }

        RecheckResult Blocked(string code) => new() { Status = RecheckStatus.Blocked, Code = code, Message = message.Definition, Template = template };
    }

    /// <summary>The rule's code, or <see cref="RecheckCodes.WithdrawnSinceDecision"/> when a withdrawal after the decision blocks it.</summary>
    private static string Code(RuleResult result, CustomerProfile customer, DateTimeOffset decidedAt)
    {
        var code = result.Code!;
        if (result.Subject is ConsentRecord { Action: ConsentAction.Withdraw } withdrawal)
        {
            return withdrawal.EffectiveAt > decidedAt ? RecheckCodes.WithdrawnSinceDecision : code;
        }

        if (code.StartsWith("consent.", StringComparison.Ordinal) && code.Contains("withdrawn", StringComparison.Ordinal))
        {
            foreach (var record in customer.Consents.Records)
            {
                if (record.Action == ConsentAction.Withdraw && record.EffectiveAt > decidedAt)
                {
                    return RecheckCodes.WithdrawnSinceDecision;
                }
            }
        }

        return code;
    }
}
