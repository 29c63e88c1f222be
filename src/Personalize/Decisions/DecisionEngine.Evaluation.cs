using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Personalize.Catalog;
using Personalize.Channels;
using Personalize.Customers;
using Personalize.Decisions.Rules;
using Personalize.Eligibility;

namespace Personalize.Decisions;

// Evaluation: the candidates best first through the message rules, the ask limit and channel selection, until the winners are found.
public sealed partial class DecisionEngine
{
    /// <summary>
    /// A channel rule: the built-in ones by their fast path, called directly (the rule at a position is always the same
    /// type, so the type tests predict well and no interface dispatch is needed); a host rule through its interface.
    /// </summary>
    internal static RuleResult EvaluateChannelRule(IChannelRule rule, DecisionContext context, CompiledMessage message, int contentIndex, ChannelDefinition definition, DateTimeOffset sendAt)
    {
        var blocked = RuleResult.Pass;
        PassesChannelRule(rule, context, message, contentIndex, definition, sendAt, ref blocked);
        return blocked;
    }

    /// <summary>
    /// A channel rule as the engine's try asks it: whether it passes, with the blocking result written to
    /// <paramref name="blocked"/> only when it does not, so a pass (most answers) copies no result through the layers.
    /// The built-in rules by their fast path, called directly (see <see cref="EvaluateChannelRule"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static bool PassesChannelRule(IChannelRule rule, DecisionContext context, CompiledMessage message, int contentIndex, ChannelDefinition definition, DateTimeOffset sendAt, ref RuleResult blocked)
    {
        switch (rule)
        {
            case ConsentRule consent:
                return consent.Passes(context, message, contentIndex, sendAt, ref blocked);
            case FrequencyRule frequency:
                return frequency.Passes(context, message, contentIndex, sendAt, ref blocked);
            case TimingRule timing:
                return timing.Passes(context, message, contentIndex, sendAt, ref blocked);
            default:
                return PassesHostRule(rule, context, message, definition, sendAt, ref blocked);
        }
    }

    /// <summary>A host's channel rule through its interface (out of line: the engine's try stays small).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static bool PassesHostRule(IChannelRule rule, DecisionContext context, CompiledMessage message, ChannelDefinition definition, DateTimeOffset sendAt, ref RuleResult blocked)
        => RuleResult.PassesOrKeep(rule.Evaluate(context, message.Definition, definition, sendAt), ref blocked);

    /// <summary>A message rule: the built-in ones by their fast path, called directly; a host rule through its interface.</summary>
    internal static RuleResult EvaluateMessageRule(IMessageRule rule, DecisionContext context, CompiledMessage message)
    {
        var blocked = RuleResult.Pass;
        PassesMessageRule(rule, context, message, ref blocked);
        return blocked;
    }

    /// <summary>A message rule as the engine asks it: whether it passes, with the blocking result in <paramref name="blocked"/> only when it does not.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static bool PassesMessageRule(IMessageRule rule, DecisionContext context, CompiledMessage message, ref RuleResult blocked) => rule switch
    {
        EligibilityRule => EligibilityRule.Passes(context, message, ref blocked),
        PauseRule => PauseRule.Passes(context, message, ref blocked),
        ServiceFirstRule serviceFirst => serviceFirst.Passes(context, message, ref blocked),
        TopicRule topic => topic.Passes(context, message, ref blocked),
        GiveBeforeAskRule giveBeforeAsk => giveBeforeAsk.Passes(context, message, ref blocked),
        MessageCapRule => MessageCapRule.Passes(context, message, ref blocked),
        _ => PassesHostRule(rule, context, message, ref blocked),
    };

    /// <summary>A host's message rule through its interface (out of line).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static bool PassesHostRule(IMessageRule rule, DecisionContext context, CompiledMessage message, ref RuleResult blocked)
        => RuleResult.PassesOrKeep(rule.Evaluate(context, message.Definition), ref blocked);

    /// <summary>
    /// The message rules in order over a candidate: the position of the first that stops it (its result in
    /// <paramref name="stopped"/>), or -1 when all pass. Out of line: the rules' locals stay out of <see cref="Evaluate"/>'s frame.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private int FirstStoppingRule(DecisionContext context, CompiledMessage message, ref RuleResult stopped)
    {
        var rules = _messageRules;
        for (var r = 0; r < rules.Length; r++)
        {
            if (!PassesMessageRule(rules[r], context, message, ref stopped))
            {
                return r;
            }
        }

        return -1;
    }

    /// <summary>
    /// Evaluates candidates best score first (ties: higher priority, then catalog order): message rules, then the ask
    /// limit, then channel selection; the first K that find a channel win. With <see cref="DecisionDetail.Candidates"/>
    /// the candidates ranked below the last winner are not evaluated (they lost arbitration whatever the rules say);
    /// with <see cref="DecisionDetail.All"/> every candidate is evaluated fully.
    /// </summary>
    private void Evaluate(Decision decision, DecisionContext context, Ranking ranking, DecisionDetail detail)
    {
        var exhaustive = detail == DecisionDetail.All;
        var considered = ranking.Considered;
        var candidates = ranking.Order.Length;

        // A batch's decision writes its channel entries and outcomes straight into the range's shared segments (see
        // DecisionArena): no copy from a scratch buffer at its end, nothing to clear. A decision of its own writes
        // into the context's buffers and copies them into arrays of its own.
        var arena = exhaustive ? null : context.Arena;
        var channelBase = 0;
        var store = arena is null ? context.ChannelScratch : arena.ChannelRoom(1, out channelBase);

        var scratch = store.AsSpan(channelBase);
        var evaluated = new Evaluated(exhaustive ? decision.AllOutcomes : null, candidates, context, arena, channelBase);
        var count = 0;
        var most = Math.Min(_maxWinners, candidates);
        var winners = context.WinnerScratch.Length >= most ? context.WinnerScratch : context.WinnerScratch = new DecisionWinner[most];
        var won = 0;
        var asks = 0;
        var stopped = RuleResult.Pass; // written by a message rule only when it stops a candidate
        try
        {
            for (var position = 0; position < candidates; position++)
            {
                if (won == most && !exhaustive)
                {
                    break;
                }

                var (index, score, relevance) = NextBest(ref ranking, context);
                var message = considered[index];
                var stoppedBy = FirstStoppingRule(context, message, ref stopped);
                if (stoppedBy >= 0)
                {
                    evaluated.Add(index, new CandidateEntry(message, (ushort)(CandidateEntry.FirstMessageRule + stoppedBy), stopped, relevance));
                    continue;
                }

                var isAsk = message.Kind == MessageKind.Ask;
                var askLimited = isAsk && asks >= _maxAsks;
                var canWin = won < most && !askLimited;
                if (!canWin && !exhaustive)
                {
                    evaluated.Add(index, new CandidateEntry(message, CandidateStatus.Lost, DecisionCodes.OneAskPerContact, CandidateEntry.GiveBeforeAskRule, relevance, 0, 0, -1));
                    continue;
                }

                if (count + message.Contents.Length > scratch.Length)
                {
                    Grow(context, arena, ref store, ref channelBase, ref scratch, count, count + message.Contents.Length, ref evaluated);
                }

                var start = count;

                // Caps count the winners so far for a candidate that can still win; one that cannot (evaluated for
                // explaining) is judged on its own merits.
                context.WinnerCount = canWin ? won : 0;
                var chosen = SelectChannel(context, message, scratch, ref count, out var contactless);
                if (chosen < 0)
                {
                    evaluated.Add(index, new CandidateEntry(message, CandidateStatus.Suppressed, DecisionCodes.NoChannelAllowed, CandidateEntry.ChannelSelectionRule, relevance, start, count - start, -1, contactless));
                }
                else if (canWin)
                {
                    if (chosen == ChosenInline)
                    {
                        // Allowed now, kept in the outcome (see ContactlessTries): sent at the decision instant.
                        winners[won++] = new DecisionWinner(message.Definition, message.Contents[ContactlessTries.AllowedContent(contactless)], context.At.UtcTicks, false, score);
                    }
                    else
                    {
                        ref readonly var channelOutcome = ref scratch[chosen];
                        winners[won++] = new DecisionWinner(message.Definition, message.Contents[channelOutcome.ContentIndex], channelOutcome.SendAtTicks, channelOutcome.Kind == ChannelEntry.Outcome.Deferred, score);
                    }
                    evaluated.Add(index, new CandidateEntry(message, CandidateStatus.Selected, DecisionCodes.Selected, CandidateEntry.ArbitrationRule, relevance, start, count - start, chosen, contactless));
                    asks += isAsk ? 1 : 0;
                }
                else
                {
                    var limited = askLimited && won < most;
                    evaluated.Add(index, new CandidateEntry(message, CandidateStatus.Lost, limited ? DecisionCodes.OneAskPerContact : DecisionCodes.LostArbitration, limited ? CandidateEntry.GiveBeforeAskRule : CandidateEntry.ArbitrationRule, relevance, start, count - start, chosen, contactless));
                }
            }

            if (arena is not null)
            {
                // A batch: the decision's entries are slices of the range's shared segments, written in place.
                if (count > 0)
                {
                    arena.KeepChannels(store, channelBase + count);
                    decision.ChannelEntries = store;
                }

                if (won > 0)
                {
                    // The winners are the decision's selected outcomes: counted, not kept (see Decision.Winners).
                    decision.SetWinnerCount(winners.AsSpan(0, won));
                }

                evaluated.Keep(decision, arena);
            }
            else
            {
                decision.ChannelEntries = count == 0 ? [] : scratch[..count].ToArray();
                if (won > 0)
                {
                    decision.SetWinners(winners.AsSpan(0, won).ToArray());
                }

                evaluated.CopyTo(decision);
            }
        }
        finally
        {
            if (arena is null)
            {
                scratch[..count].Clear();
                context.ChannelScratch = store;
            }

            winners.AsSpan(0, won).Clear();
            evaluated.Return(context);
        }
    }

    /// <summary>
    /// Room for more channel entries than the decision's buffer has left: a batch's decision moves the entries it wrote
    /// so far to a segment with room (its outcomes' channel positions follow), a decision of its own gets a larger
    /// buffer. Out of line: rare.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Grow(DecisionContext context, DecisionArena? arena, ref ChannelEntry[] store, ref int channelBase, ref Span<ChannelEntry> scratch, int count, int needed, ref Evaluated evaluated)
    {
        if (arena is null)
        {
            var bigger = new ChannelEntry[Math.Max(needed, store.Length * 2)];
            scratch[..count].CopyTo(bigger);
            scratch[..count].Clear();
            store = bigger;
            channelBase = 0;
            scratch = bigger;
            context.ChannelScratch = bigger;
            return;
        }

        var room = arena.ChannelRoom(needed, out var start);
        scratch[..count].CopyTo(room.AsSpan(start));
        evaluated.ChannelsMoved(start - channelBase);
        store = room;
        channelBase = start;
        scratch = room.AsSpan(start);
    }

    /// <summary>
    /// The outcomes of evaluated candidates: straight into the full array with <see cref="DecisionDetail.All"/>; in a
    /// batch straight into the range's outcome segment, their channel positions shifted to where the decision's channel
    /// entries are; else into the context's buffer, copied once at the end.
    /// </summary>
    private struct Evaluated
    {
        /// <summary>
        /// The outcome room a batch's decision reserves first: a decision evaluates one or two candidates, and reserving
        /// one slot per candidate considered (≈ 27) would end each segment that many slots early.
        /// </summary>
        private const int FirstRoom = 4;

        private readonly CandidateEntry[]? _all;
        private readonly DecisionArena? _arena;
        private readonly int _most;
        private CandidateEntry[] _outcomes;
        private int _start;
        private int _room;
        private int _channelBase;
        private int _count;

        public Evaluated(CandidateEntry[]? all, int capacity, DecisionContext context, DecisionArena? arena, int channelBase)
        {
            _all = all;
            _start = 0;
            _arena = null;
            _most = capacity;
            _room = capacity;
            _channelBase = channelBase;
            if (all is not null)
            {
                _outcomes = [];
            }
            else if (arena is not null)
            {
                _room = Math.Min(capacity, FirstRoom);
                _outcomes = arena.OutcomeRoom(_room, out _start);
                _arena = arena;
            }
            else
            {
                var buffer = context.OutcomeScratch;
                _outcomes = buffer.Length >= capacity ? buffer : new CandidateEntry[capacity];
            }

            _count = 0;
        }

        public void Add(int index, in CandidateEntry outcome)
        {
            if (_all is not null)
            {
                _all[index] = outcome;
                return;
            }

            if (_count == _room)
            {
                MoreRoom();
            }

            _outcomes[_start + _count++] = outcome.Shifted(_channelBase);
        }

        /// <summary>
        /// A batch's decision evaluating more candidates than its room holds: room for up to every candidate considered,
        /// where the outcomes kept so far move when it starts elsewhere (out of line: rare).
        /// </summary>
        [MethodImpl(MethodImplOptions.NoInlining)]
        private void MoreRoom()
        {
            var room = Math.Min(_most, _room * 4);
            var segment = _arena!.OutcomeRoom(room, out var start);
            if (!ReferenceEquals(segment, _outcomes) || start != _start)
            {
                _outcomes.AsSpan(_start, _count).CopyTo(segment.AsSpan(start));
            }

            _outcomes = segment;
            _start = start;
            _room = room;
        }

        /// <summary>The decision's channel entries moved by <paramref name="offset"/>: the outcomes kept so far follow.</summary>
        public void ChannelsMoved(int offset)
        {
            if (_all is not null)
            {
                return;
            }

            _channelBase += offset;
            for (var i = 0; i < _count; i++)
            {
                _outcomes[_start + i] = _outcomes[_start + i].Shifted(offset);
            }
        }

        public readonly void CopyTo(Decision decision)
        {
            if (_all is null && _count > 0)
            {
                decision.SetOutcomes(_outcomes.AsSpan(0, _count).ToArray(), 0, _count);
            }
        }

        /// <summary>A batch's decision: its slice of the outcome segment, written in place.</summary>
        public readonly void Keep(Decision decision, DecisionArena arena)
        {
            if (_count > 0)
            {
                arena.KeepOutcomes(_outcomes, _start + _count);
                decision.SetOutcomes(_outcomes, _start, _count);
            }
        }

        public readonly void Return(DecisionContext context)
        {
            if (_all is null && _arena is null)
            {
                _outcomes.AsSpan(0, _count).Clear();
                context.OutcomeScratch = _outcomes;
            }
        }
    }
}
