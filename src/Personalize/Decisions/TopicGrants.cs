using System.Numerics;
using Personalize.Catalog;
using Personalize.Consent;

namespace Personalize.Decisions;

/// <summary>
/// The customer's state on each catalog topic (subscribed, unsubscribed), looked up in the consent ledger once per
/// decision and topic: a catalog repeats a handful of topics across its messages, and every candidate's relevance and
/// the topic rule need them. States are judged at the decision instant (<see cref="DecisionContext.At"/>). Topics are bits of the catalog's topic numbering (<see cref="CompiledMessage.TopicMask"/>);
/// a message without a mask (more than 64 catalog topics) is looked up every time.
/// </summary>
internal struct TopicGrants
{
    private ulong _known;
    private ulong _granted;
    private ulong _withdrawn;

    /// <summary>How many of the message's topics the customer subscribed to.</summary>
    public int Matched(ConsentLedger ledger, CompiledMessage message, long atTicks, long expiryTicks)
    {
        var mask = message.TopicMask;
        if (mask == 0)
        {
            var matched = 0;
            foreach (var scope in message.TopicScopes)
            {
                matched += ledger.StateAt(scope, atTicks, expiryTicks).IsGranted ? 1 : 0;
            }

            return matched;
        }

        Resolve(ledger, message, mask, atTicks, expiryTicks);
        return BitOperations.PopCount(_granted & mask);
    }

    /// <summary>Whether the customer unsubscribed from one of the message's topics.</summary>
    public bool AnyWithdrawn(ConsentLedger ledger, CompiledMessage message, long atTicks, long expiryTicks)
    {
        var mask = message.TopicMask;
        if (mask == 0)
        {
            foreach (var scope in message.TopicScopes)
            {
                if (ledger.StateAt(scope, atTicks, expiryTicks).Status == ConsentStatus.Withdrawn)
                {
                    return true;
                }
            }

            return false;
        }

        Resolve(ledger, message, mask, atTicks, expiryTicks);
        return (_withdrawn & mask) != 0;
    }

    private void Resolve(ConsentLedger ledger, CompiledMessage message, ulong mask, long atTicks, long expiryTicks)
    {
        if ((mask & ~_known) == 0)
        {
            return;
        }

        var scopes = message.TopicScopes;
        var ids = message.TopicIds;
        for (var i = 0; i < scopes.Length; i++)
        {
            var bit = 1UL << ids[i];
            if ((_known & bit) != 0)
            {
                continue;
            }

            var status = ledger.StateAt(scopes[i], atTicks, expiryTicks).Status;
            _known |= bit;
            _granted |= status == ConsentStatus.Granted ? bit : 0;
            _withdrawn |= status == ConsentStatus.Withdrawn ? bit : 0;
        }
    }
}
