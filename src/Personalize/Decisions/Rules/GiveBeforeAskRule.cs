using Personalize.Catalog;
using Personalize.Customers;

namespace Personalize.Decisions.Rules;

/// <summary>
/// Rule 6, give before ask (<c>give_before_ask</c>): an ask needs at least <see cref="DecisionOptions.MinGivesBeforeAsk"/>
/// gives in the contact history since the last ask (all channels and purposes; with no ask on record, since the
/// beginning) — <c>ask.not_enough_gives</c>. At most <see cref="DecisionOptions.MaxAsksPerDecision"/> asks win one
/// decision (<c>ask.one_per_contact</c>, applied in arbitration).
/// </summary>
internal sealed class GiveBeforeAskRule : IMessageRule
{
    internal GiveBeforeAskRule(DecisionOptions options) => MinGives = options.MinGivesBeforeAsk;

    /// <summary>The gives an ask needs since the last ask (N).</summary>
    public int MinGives { get; }

    /// <inheritdoc />
    public string Name => "give_before_ask";

    /// <inheritdoc />
    public string Description => "An ask needs enough gives since the last ask; at most one ask per contact.";

    /// <inheritdoc />
    public RuleResult Evaluate(DecisionContext context, MessageDefinition message)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(message);
        return Evaluate(context, message.Kind);
    }

    /// <summary>The engine's fast path: whether the message may go, with the blocking result in <paramref name="blocked"/> when not.</summary>
    internal bool Passes(DecisionContext context, CompiledMessage message, ref RuleResult blocked)
        => message.Kind != MessageKind.Ask || MinGives == 0 || RuleResult.PassesOrKeep(Evaluate(context, message.Kind), ref blocked);

    /// <summary>Counts gives sent at or before <paramref name="at"/> since the last ask.</summary>
    internal static int GivesSinceLastAsk(ContactHistory history, DateTimeOffset at, out DateTimeOffset? lastAsk)
    {
        var asks = history.Asks;
        var end = history.FirstAfter(at);
        var gives = 0;
        lastAsk = null;
        for (var i = end - 1; i >= 0; i--)
        {
            if (asks[i])
            {
                lastAsk = history.SentAtOf(i);
                break;
            }

            gives++;
        }

        return gives;
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private RuleResult Evaluate(DecisionContext context, MessageKind kind)
    {
        if (kind != MessageKind.Ask || MinGives == 0)
        {
            return RuleResult.Pass;
        }

        var gives = GivesSinceLastAsk(context.Customer.History, context.At, out var lastAsk);
        return gives >= MinGives
            ? RuleResult.Pass
            : new RuleResult(DecisionCodes.NotEnoughGives, null, null, number: gives, instant: lastAsk ?? default);
    }
}
