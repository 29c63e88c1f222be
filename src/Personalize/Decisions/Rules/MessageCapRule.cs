using Personalize.Catalog;
using Personalize.Customers;

namespace Personalize.Decisions.Rules;

/// <summary>
/// Rule 4, per-message caps (<c>message_caps</c>): the message's own caps (once per 30 days, once ever) counted from
/// the contact history by message id on every channel, window <c>(t - per, t]</c> — <c>frequency.message_cap</c>.
/// A message cap drops the message (it is not deferred).
/// </summary>
internal sealed class MessageCapRule : IMessageRule
{
    internal MessageCapRule()
    {
    }

    /// <inheritdoc />
    public string Name => "message_caps";

    /// <inheritdoc />
    public string Description => "The message's own caps, such as once per 30 days or once ever.";

    /// <inheritdoc />
    public RuleResult Evaluate(DecisionContext context, MessageDefinition message)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(message);
        return Evaluate(context, message.Id, ContactHistory.MessageHash(message.Id), message.Caps);
    }

    /// <summary>The engine's fast path: the compiled message (hashed id); whether the message may go, with the blocking result in <paramref name="blocked"/> when not.</summary>
    internal static bool Passes(DecisionContext context, CompiledMessage message, ref RuleResult blocked)
        => message.Caps.Length == 0 || RuleResult.PassesOrKeep(Evaluate(context, message.Id, message.IdHash, message.Caps), ref blocked);

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static RuleResult Evaluate(DecisionContext context, string id, int idHash, IReadOnlyList<MessageCap> caps)
    {
        if (caps.Count == 0)
        {
            return RuleResult.Pass;
        }

        var history = context.Customer.History;
        var records = history.Span;
        var hashes = history.MessageHashes;
        var at = context.At;
        var end = context.HistoryEnd;
        for (var c = 0; c < caps.Count; c++)
        {
            var cap = caps[c];
            var start = cap.Per is { } per ? history.FirstAfter(at - per) : 0;
            var count = 0;
            DateTimeOffset last = default;
            for (var i = start; i < end; i++)
            {
                // The hash first: only a record with this message's hash is read for its id.
                if (hashes[i] == idHash && string.Equals(records[i].MessageId, id, StringComparison.Ordinal))
                {
                    count++;
                    last = history.SentAtOf(i);
                }
            }

            if (count >= cap.Max)
            {
                return new RuleResult(DecisionCodes.MessageCap, null, null, cap, count, last);
            }
        }

        return RuleResult.Pass;
    }
}
