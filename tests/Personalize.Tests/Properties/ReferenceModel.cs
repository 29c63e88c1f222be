using Personalize.Decisions;
using Personalize.Eligibility;

namespace Personalize.Tests.Properties;

/// <summary>
/// An independent model of the decision rules, written from docs/customers.md, docs/decision-engine.md and the design
/// records (docs/decisions/0002–0006, 0019–0022), not from the engine: it reads only the <see cref="Scenario"/>'s plain
/// data, never a ledger, window, history or rule of the library. Time zones go through <see cref="TimeZoneInfo"/>
/// directly; next allowed instants are found by scanning; caps by counting every window. It is slow and obvious on
/// purpose.
/// </summary>
public sealed class ReferenceModel(Scenario scenario)
{
    private static readonly TimeSpan Grid = TimeSpan.FromMinutes(15);
    private readonly TimeZoneInfo _zone = scenario.TimeZone;
    private readonly DateTimeOffset _at = scenario.At;

    public static readonly string[] Channels = ["email", "sms", "push", "in_app", "direct_mail"];

    // ---------------------------------------------------------------- consent (docs/customers.md, ADRs 0002, 0019, 0020)
    public enum State
    {
        None,
        Granted,
        Pending,
        Withdrawn,
    }

    private TimeSpan? Expiry => scenario.Options.PendingExpiryDays is { } d ? TimeSpan.FromDays(d) : null;

    /// <summary>The state of one scope at an instant: records dated later do not count; the last given wins, a tie to the withdrawal.</summary>
    public (State State, ConsentSpec? Record) StateOf(Func<ConsentSpec, bool> scope, DateTimeOffset t)
    {
        var inEffect = new List<ConsentSpec>();
        ConsentSpec? pending = null;
        foreach (var record in scenario.Consents.Where(scope))
        {
            var given = record.RecordedAt(_at);
            if (given > t)
            {
                continue;
            }

            if (record.Grant && record.Double)
            {
                var lapse = Expiry is { } e ? given + e : DateTimeOffset.MaxValue;
                var confirmed = record.ConfirmedAt(_at);
                if (confirmed is { } c && c <= t && c <= lapse)
                {
                    inEffect.Add(record);
                }
                else if (t < lapse && (pending is null || given >= pending.RecordedAt(_at)))
                {
                    pending = record;
                }

                continue;
            }

            inEffect.Add(record);
        }

        // Sort by when given, withdrawals after grants at the same instant; the last one decides.
        var last = inEffect.OrderBy(r => r.RecordedAt(_at)).ThenBy(r => r.Grant ? 0 : 1).LastOrDefault();
        if (last is not null)
        {
            return (last.Grant ? State.Granted : State.Withdrawn, last);
        }

        return pending is null ? (State.None, null) : (State.Pending, pending);
    }

    private static bool Later(ConsentSpec a, ConsentSpec b, DateTimeOffset at)
        => a.RecordedAt(at) > b.RecordedAt(at) || (a.RecordedAt(at) == b.RecordedAt(at) && !a.Grant && b.Grant) || (a.RecordedAt(at) == b.RecordedAt(at) && a.Grant == b.Grant);

    public static bool HasContactPoint(Scenario s, string channel) => channel switch
    {
        "email" => s.HasEmail,
        "sms" => s.HasPhone,
        "push" => s.HasDevice,
        "direct_mail" => s.HasPostal,
        _ => true,
    };

    public static bool RespectsTiming(string channel) => channel is "email" or "sms" or "push";

    public static bool OptInRequired(ContactPurpose purpose) => purpose != ContactPurpose.Service;

    /// <summary>The consent code for a channel and purpose at an instant (no topic).</summary>
    public string ChannelConsent(string channel, ContactPurpose purpose, DateTimeOffset t)
    {
        if (!HasContactPoint(scenario, channel))
        {
            return EligibilityCodes.ContactPointMissing;
        }

        var forPurpose = StateOf(r => r.Kind == ScopeKind.ChannelForPurpose && r.Channel == channel && r.Purpose == purpose, t);
        var wide = StateOf(r => r.Kind == ScopeKind.Channel && r.Channel == channel, t);
        var all = StateOf(r => r.Kind == ScopeKind.Purpose && r.Purpose == purpose, t);

        // The channel dimension: the later decisive of the two; pending only when neither decides.
        (State State, ConsentSpec? Record) dimension;
        var specificDecides = forPurpose.State is State.Granted or State.Withdrawn;
        var wideDecides = wide.State is State.Granted or State.Withdrawn;
        if (specificDecides && wideDecides)
        {
            dimension = Later(forPurpose.Record!, wide.Record!, _at) ? forPurpose : wide;
        }
        else if (specificDecides)
        {
            dimension = forPurpose;
        }
        else if (wideDecides)
        {
            dimension = wide;
        }
        else
        {
            dimension = forPurpose.State != State.None ? forPurpose : wide;
        }

        if (all.State == State.Withdrawn)
        {
            var overridden = dimension.State == State.Granted && dimension.Record!.Kind == ScopeKind.ChannelForPurpose
                && (dimension.Record.RecordedAt(_at) > all.Record!.RecordedAt(_at));
            if (!overridden)
            {
                return EligibilityCodes.PurposeWithdrawn;
            }
        }

        if (dimension.State == State.Withdrawn)
        {
            return EligibilityCodes.ConsentWithdrawn;
        }

        if (dimension.State == State.Granted || all.State == State.Granted || !OptInRequired(purpose))
        {
            return EligibilityCodes.Allowed;
        }

        return dimension.State == State.Pending || all.State == State.Pending ? EligibilityCodes.ConsentPendingDoubleOptIn : EligibilityCodes.ConsentMissing;
    }

    public State TopicState(string topic, DateTimeOffset t) => StateOf(r => r.Kind == ScopeKind.Topic && r.Topic == topic, t).State;

    /// <summary>The instants after the decision at which a record takes effect (recorded or confirmed).</summary>
    public IEnumerable<DateTimeOffset> RecordInstantsAfter(DateTimeOffset from, DateTimeOffset until)
        => scenario.Consents
            .SelectMany(r => r.ConfirmedAt(_at) is { } c ? new[] { r.RecordedAt(_at), c } : [r.RecordedAt(_at)])
            .Where(t => t > from && t <= until)
            .Distinct()
            .Order();

    // ---------------------------------------------------------------- timing (docs/customers.md, ADR 0003)
    public static bool InWindow(WindowSpec w, DateTime local)
    {
        var minutes = local.TimeOfDay.Ticks / (double)TimeSpan.TicksPerMinute;
        var start = w.Start;
        var end = w.End % 1440;
        if (end == 0)
        {
            return minutes >= start; // until midnight
        }

        return start < end ? minutes >= start && minutes < end : minutes >= start || minutes < end;
    }

    public WindowSpec? QuietHours => scenario.Quiet ?? scenario.Options.DefaultQuiet;

    public bool IsQuiet(DateTimeOffset t) => QuietHours is { } q && InWindow(q, TimeZoneInfo.ConvertTime(t, _zone).DateTime);

    public bool IsPreferred(DateTimeOffset t)
    {
        var local = TimeZoneInfo.ConvertTime(t, _zone).DateTime;
        if (scenario.PreferredDays.Length > 0 && !scenario.PreferredDays.Contains(local.DayOfWeek))
        {
            return false;
        }

        return scenario.PreferredHours.Length == 0 || scenario.PreferredHours.Any(w => InWindow(w, local));
    }

    public bool PreferredApplies(ContactPurpose purpose) => purpose != ContactPurpose.Service || scenario.Options.PreferredTimesApplyToService;

    public bool TimingAllows(DateTimeOffset t, bool preferred) => !IsQuiet(t) && (!preferred || IsPreferred(t));

    /// <summary>
    /// The first instant at or after <paramref name="t"/> that timing allows, or null when none in 8 days. Window edges
    /// are whole quarter hours of local time and every zone the suite uses is a whole quarter hour from UTC, so
    /// "allowed" can only change on the UTC quarter-hour grid: the scan tests <paramref name="t"/> and then each grid point.
    /// </summary>
    public DateTimeOffset? NextTiming(DateTimeOffset t, bool preferred)
    {
        if (TimingAllows(t, preferred))
        {
            return t;
        }

        var g = new DateTimeOffset(t.UtcTicks - (t.UtcTicks % Grid.Ticks), TimeSpan.Zero) + Grid;
        for (var end = t.AddDays(8); g <= end; g += Grid)
        {
            if (TimingAllows(g, preferred))
            {
                return g;
            }
        }

        return null;
    }

    // ---------------------------------------------------------------- caps (docs/decision-engine.md, ADRs 0004, 0022)
    public IEnumerable<CapSpec> CapsFor(ContactPurpose purpose)
        => purpose == ContactPurpose.Service
            ? scenario.Options.ServiceCaps
            : scenario.Options.ApplyCustomerCaps ? scenario.Options.PromotionalCaps.Concat(scenario.CustomerCaps) : scenario.Options.PromotionalCaps;

    public readonly record struct Sent(DateTimeOffset At, string Channel, ContactPurpose Purpose);

    private static bool SameGroup(ContactPurpose a, ContactPurpose b) => (a == ContactPurpose.Service) == (b == ContactPurpose.Service);

    /// <summary>The first cap (in order) a send at <paramref name="s"/> would break, counting history sent by s and the winners.</summary>
    public CapSpec? FirstBroken(string channel, ContactPurpose purpose, DateTimeOffset s, IReadOnlyList<Sent> winners)
    {
        foreach (var cap in CapsFor(purpose))
        {
            if (cap.Channel is not null && cap.Channel != channel)
            {
                continue;
            }

            var events = scenario.History
                .Where(h => h.SentAt(_at) <= s && SameGroup(h.Purpose, purpose) && (cap.Channel is null || h.Channel == channel))
                .Select(h => h.SentAt(_at))
                .Concat(winners.Where(w => SameGroup(w.Purpose, purpose) && (cap.Channel is null || w.Channel == channel)).Select(w => w.At))
                .ToList();

            // Every window (end - w, end] that holds s: its own, and the one ending at each later send within a window.
            var ends = events.Where(e => e > s && e < s + cap.Window).Append(s);
            foreach (var end in ends)
            {
                var count = events.Count(e => e > end - cap.Window && e <= end) + 1;
                if (count > cap.Max)
                {
                    return cap;
                }
            }
        }

        return null;
    }

    /// <summary>The instants where a broken cap can start to fit again: each counted send leaving a window, and each later send itself.</summary>
    public IEnumerable<DateTimeOffset> CapInstants(ContactPurpose purpose, IReadOnlyList<Sent> winners)
    {
        var sends = scenario.History.Select(h => h.SentAt(_at)).Concat(winners.Select(w => w.At)).ToList();
        return CapsFor(purpose).SelectMany(c => sends.Select(e => e + c.Window)).Concat(sends);
    }

    // ---------------------------------------------------------------- the decision
    public sealed record ChannelResult(string Channel, ChannelStatus Status, string[] Codes, DateTimeOffset? SendAt, bool Dropped)
    {
        public bool Usable => Status is ChannelStatus.Allowed or ChannelStatus.Deferred;
    }

    public sealed record CandidateResult(string Id, CandidateStatus Status, string Code, string Rule, double Relevance, IReadOnlyList<ChannelResult> Channels, int Chosen);

    public sealed record Winner(string Id, string Channel, DateTimeOffset SendAt, bool Deferred);

    public sealed record Result(IReadOnlyList<Winner> Winners, IReadOnlyDictionary<string, CandidateResult> Candidates);

    public ChannelResult EvaluateChannel(MessageSpec message, string channel, IReadOnlyList<Sent> winners)
    {
        var consent = ChannelConsent(channel, message.Purpose, _at);
        if (consent != EligibilityCodes.Allowed)
        {
            return new(channel, ChannelStatus.Blocked, [consent], null, false);
        }

        var preferred = PreferredApplies(message.Purpose);
        var timed = RespectsTiming(channel);
        var expiry = message.Expiry(_at);
        bool TimingOk(DateTimeOffset t) => !timed || TimingAllows(t, preferred);

        // The decision instant: the first rule that stops it (consent passed; frequency, then timing).
        var broken = FirstBroken(channel, message.Purpose, _at, winners);
        if (broken is null && TimingOk(_at))
        {
            return new(channel, ChannelStatus.Allowed, [DecisionCodes.Allowed], _at, false);
        }

        string first;
        if (broken is not null)
        {
            if (broken.Max <= 0)
            {
                return new(channel, ChannelStatus.Blocked, [CapCode(broken)], null, false);
            }

            first = CapCode(broken);
        }
        else
        {
            if (NextTiming(_at, preferred) is null)
            {
                return new(channel, ChannelStatus.Blocked, [DecisionCodes.NoAllowedTime], null, false);
            }

            first = IsQuiet(_at) ? DecisionCodes.QuietHours : DecisionCodes.OutsidePreferredTime;
        }

        if (message.Drop)
        {
            return new(channel, ChannelStatus.Blocked, [first], null, true);
        }

        // The earliest later instant where caps and timing both allow.
        var candidates = CapInstants(message.Purpose, winners).Where(c => c > _at).Distinct().Order().ToList();
        var s = _at;
        string? failure = null;
        for (var guard = 0; guard < 10_000; guard++)
        {
            if (FirstBroken(channel, message.Purpose, s, winners) is { } cap)
            {
                if (cap.Max <= 0)
                {
                    failure = CapCode(cap); // a cap of 0 never frees
                    break;
                }

                var current = s;
                var next = candidates.FirstOrDefault(c => c > current);
                if (next == default)
                {
                    failure = DecisionCodes.PastExpiry; // nothing ever frees it (cannot happen with a positive cap)
                    break;
                }

                s = next;
            }
            else if (!TimingOk(s))
            {
                if (NextTiming(s, preferred) is not { } n)
                {
                    failure = DecisionCodes.NoAllowedTime;
                    break;
                }

                s = n;
            }
            else
            {
                break;
            }

            if (s > expiry)
            {
                failure = DecisionCodes.PastExpiry;
                break;
            }
        }

        // Consent must hold from the decision to the send (a withdrawal in between stops it).
        var horizon = failure is null ? s : (expiry < _at.AddDays(60) ? expiry : _at.AddDays(60));
        string? refusal = null;
        foreach (var t in RecordInstantsAfter(_at, horizon).Append(horizon))
        {
            if (t <= _at)
            {
                continue;
            }

            var code = ChannelConsent(channel, message.Purpose, t);
            if (code == EligibilityCodes.Allowed && message.Topics.FirstOrDefault(topic => TopicState(topic, t) == State.Withdrawn) is not null)
            {
                code = EligibilityCodes.TopicWithdrawn;
            }

            if (code != EligibilityCodes.Allowed)
            {
                refusal = code;
                break;
            }
        }

        if (failure is null)
        {
            return refusal is null
                ? new(channel, ChannelStatus.Deferred, [DecisionCodes.Deferred], s, false)
                : new(channel, ChannelStatus.Blocked, [refusal], null, false);
        }

        // Not usable either way; which reason the engine meets first depends on the instants it tries.
        return new(channel, ChannelStatus.Blocked, refusal is null ? [failure] : [failure, refusal], null, false);
    }

    private static string CapCode(CapSpec cap) => cap.Channel is null ? DecisionCodes.OverallCap : DecisionCodes.ChannelCap;

    public double Relevance(MessageSpec message)
    {
        const double neutral = 0.5;
        if (message.Topics.Length == 0)
        {
            return neutral;
        }

        var matched = message.Topics.Count(t => TopicState(t, _at) == State.Granted);
        if (matched == 0)
        {
            return message.Purpose == ContactPurpose.Service ? neutral : 0;
        }

        return (double)matched / message.Topics.Length;
    }

    public double Score(MessageSpec message, double relevance)
    {
        var o = scenario.Options;
        return Factor(message.Priority, o.PriorityWeight) * Factor(relevance, o.RelevanceWeight) * Factor(message.Value, o.ValueWeight);

        static double Factor(double x, double w) => w switch
        {
            1 => x,
            0 => 1,
            _ => Math.Pow(x, w),
        };
    }

    private bool Answers(MessageSpec m) => m.Triggers.Any(t => Personalize.Catalog.Trigger.Parse(t) == Personalize.Catalog.Trigger.Parse(scenario.Trigger));

    private bool Targets(MessageSpec m) => m.Stages.Length == 0 || m.Stages.Contains(scenario.Stage);

    /// <summary>The message rules in order; null when all pass.</summary>
    private (string Rule, string Code)? MessageRules(MessageSpec m)
    {
        if (m.ExpiresInMinutes is { } e && _at >= _at.AddMinutes(e))
        {
            return ("eligibility", DecisionCodes.Expired);
        }

        switch (m.Condition)
        {
            case ConditionSpec.Vip when scenario.Vip != true:
                return ("eligibility", DecisionCodes.Condition);
            case ConditionSpec.Throws:
                return ("eligibility", DecisionCodes.ConditionError);
        }

        if (m.Purpose != ContactPurpose.Service)
        {
            if (scenario.OpenComplaint)
            {
                return ("service_first", DecisionCodes.OpenComplaint);
            }

            if (scenario.FailedPayment)
            {
                return ("service_first", DecisionCodes.FailedPayment);
            }

            if (scenario.Nps is >= 0 and <= 6)
            {
                return ("service_first", DecisionCodes.Detractor);
            }
        }

        if (m.Topics.Any(t => TopicState(t, _at) == State.Withdrawn))
        {
            return ("topics", DecisionCodes.TopicUnsubscribed);
        }

        if (m.Purpose != ContactPurpose.Service && scenario.Options.RequireTopicMatch && m.Topics.Length > 0 && m.Topics.All(t => TopicState(t, _at) != State.Granted))
        {
            return ("topics", DecisionCodes.NotRelevant);
        }

        if (m.Kind == MessageKind.Ask && scenario.Options.MinGives > 0)
        {
            var sent = scenario.History.Where(h => h.SentAt(_at) <= _at).OrderBy(h => h.SentAt(_at)).ToList();
            var lastAsk = sent.FindLastIndex(h => h.Kind == MessageKind.Ask);
            var gives = sent.Count - lastAsk - 1;
            if (gives < scenario.Options.MinGives)
            {
                return ("give_before_ask", DecisionCodes.NotEnoughGives);
            }
        }

        if (m.OncePerDays is { } days)
        {
            var count = scenario.History.Count(h => h.MessageId == m.Id && h.SentAt(_at) <= _at && (days == 0 || h.SentAt(_at) > _at.AddDays(-days)));
            if (count >= 1)
            {
                return ("message_caps", DecisionCodes.MessageCap);
            }
        }

        return null;
    }

    /// <summary>The channels in the order they are tried: the customer's ranking (the message's, once each), then the message's others.</summary>
    public IEnumerable<string> ChannelOrder(MessageSpec m)
        => scenario.Ranking.Distinct().Where(m.Channels.Contains).Concat(m.Channels.Where(c => !scenario.Ranking.Contains(c)));

    public Result Decide(DecisionDetail detail)
    {
        var messages = scenario.Messages;
        var considered = detail == DecisionDetail.All ? messages : messages.Where(m => Answers(m) && Targets(m)).ToArray();
        var results = new Dictionary<string, CandidateResult>();
        var ranked = new List<(MessageSpec Message, int Index, double Relevance, double Score)>();
        for (var i = 0; i < considered.Length; i++)
        {
            var m = considered[i];
            var relevance = Relevance(m);
            if (!Answers(m))
            {
                results[m.Id] = new(m.Id, CandidateStatus.Suppressed, DecisionCodes.Trigger, "eligibility", relevance, [], -1);
                continue;
            }

            if (!Targets(m))
            {
                results[m.Id] = new(m.Id, CandidateStatus.Suppressed, DecisionCodes.Stage, "eligibility", relevance, [], -1);
                continue;
            }

            ranked.Add((m, i, relevance, Score(m, relevance)));
        }

        ranked = [.. ranked.OrderByDescending(r => r.Score).ThenByDescending(r => r.Message.Priority).ThenBy(r => r.Index)];
        var most = Math.Min(scenario.Options.MaxWinners, ranked.Count);
        var winners = new List<Winner>();
        var sent = new List<Sent>();
        var asks = 0;
        foreach (var (m, _, relevance, _) in ranked)
        {
            if (winners.Count == most && detail != DecisionDetail.All)
            {
                results[m.Id] = new(m.Id, CandidateStatus.Lost, DecisionCodes.LostArbitration, "arbitration", relevance, [], -1);
                continue;
            }

            if (MessageRules(m) is { } stop)
            {
                results[m.Id] = new(m.Id, CandidateStatus.Suppressed, stop.Code, stop.Rule, relevance, [], -1);
                continue;
            }

            var isAsk = m.Kind == MessageKind.Ask;
            var askLimited = isAsk && asks >= scenario.Options.MaxAsks;
            var canWin = winners.Count < most && !askLimited;
            if (!canWin && detail != DecisionDetail.All)
            {
                results[m.Id] = new(m.Id, CandidateStatus.Lost, DecisionCodes.OneAskPerContact, "give_before_ask", relevance, [], -1);
                continue;
            }

            // Channels: the first allowed now wins, else the earliest deferred (ties by order).
            var channels = new List<ChannelResult>();
            var chosen = -1;
            foreach (var channel in ChannelOrder(m))
            {
                var result = EvaluateChannel(m, channel, canWin ? sent : []);
                channels.Add(result);
                if (result.Status == ChannelStatus.Allowed)
                {
                    chosen = channels.Count - 1;
                    break;
                }

                if (result.Status == ChannelStatus.Deferred && (chosen < 0 || result.SendAt < channels[chosen].SendAt))
                {
                    chosen = channels.Count - 1;
                }
            }

            if (chosen < 0)
            {
                results[m.Id] = new(m.Id, CandidateStatus.Suppressed, DecisionCodes.NoChannelAllowed, "channel_selection", relevance, channels, -1);
            }
            else if (canWin)
            {
                var c = channels[chosen];
                winners.Add(new(m.Id, c.Channel, c.SendAt!.Value, c.Status == ChannelStatus.Deferred));
                sent.Add(new(c.SendAt!.Value, c.Channel, m.Purpose));
                asks += isAsk ? 1 : 0;
                results[m.Id] = new(m.Id, CandidateStatus.Selected, DecisionCodes.Selected, "arbitration", relevance, channels, chosen);
            }
            else
            {
                var limited = askLimited && winners.Count < most;
                results[m.Id] = new(m.Id, CandidateStatus.Lost, limited ? DecisionCodes.OneAskPerContact : DecisionCodes.LostArbitration, limited ? "give_before_ask" : "arbitration", relevance, channels, chosen);
            }
        }

        return new(winners, results);
    }

    // ---------------------------------------------------------------- eligibility (ContactEligibility.Check)
    /// <summary>What <c>ContactEligibility.Check</c> should answer: the code and, for timing codes, the next allowed instant.</summary>
    public (string Code, DateTimeOffset? Next) Check(string channel, ContactPurpose purpose, DateTimeOffset t, string? topic)
    {
        var code = ChannelConsent(channel, purpose, t);
        if (code != EligibilityCodes.Allowed)
        {
            return (code, null);
        }

        if (topic is not null)
        {
            switch (TopicState(topic, t))
            {
                case State.Withdrawn:
                    return (EligibilityCodes.TopicWithdrawn, null);
                case State.Pending when OptInRequired(purpose):
                    return (EligibilityCodes.ConsentPendingDoubleOptIn, null);
                case State.None when OptInRequired(purpose):
                    return (EligibilityCodes.TopicNotSubscribed, null);
            }
        }

        if (!RespectsTiming(channel))
        {
            return (EligibilityCodes.Allowed, null);
        }

        var preferred = PreferredApplies(purpose);
        if (IsQuiet(t))
        {
            return (EligibilityCodes.QuietHours, NextTiming(t, preferred));
        }

        if (preferred && !IsPreferred(t))
        {
            return (EligibilityCodes.OutsidePreferredTime, NextTiming(t, preferred));
        }

        return (EligibilityCodes.Allowed, null);
    }
}
