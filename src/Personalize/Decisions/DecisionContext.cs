using Personalize.Catalog;
using Personalize.Channels;
using Personalize.Customers;
using Personalize.Eligibility;
using Personalize.Timing;

namespace Personalize.Decisions;

/// <summary>
/// One decision in progress: the customer, trigger and instant, with what every rule shares (the customer's
/// contact window, the condition model) built once for all candidates. Rules read it; they must not keep it (the
/// engine reuses it for the thread's next decision).
/// </summary>
public sealed class DecisionContext
{
    private const int MaxCacheSize = 64;
    private ConditionContext? _conditions;
    private byte _allowedNowStrict;
    private byte _allowedNowLoose;
    private byte _laterStrict;
    private byte _laterLoose;
    private long _laterStrictTicks;
    private long _laterLooseTicks;
    private DateTimeOffset? _nextStrict;
    private DateTimeOffset? _nextLoose;
    private byte _nextKnown;
    private RuleResult _timingNowStrict;
    private RuleResult _timingNowLoose;
    private byte _timingNow;
    private CacheEntry[]? _cache;
    private int _cacheCount;
    private int _historyEnd;
    private FrequencyCap[] _ownCaps = [];
    private int _ownCapsCount = -1;
    private ContactWindow _window;
    private bool _hasWindow;
    [ThreadStatic]
    private static DecisionContext? t_free;

    private DecisionContext(CustomerProfile customer, Trigger trigger, DateTimeOffset at, ContactEligibility eligibility)
    {
        Customer = customer;
        Trigger = trigger;
        At = at;
        Eligibility = eligibility;
        _historyEnd = -1;
    }

    /// <summary>The customer.</summary>
    public CustomerProfile Customer { get; private set; }

    /// <summary>The trigger.</summary>
    public Trigger Trigger { get; private set; }

    /// <summary>The decision instant.</summary>
    public DateTimeOffset At { get; private set; }

    /// <summary>The event of an event-triggered decision, or <see langword="null"/>.</summary>
    public Events.CustomerEvent? Event { get; internal set; }

    /// <summary>The eligibility service (consent, channels, timing settings).</summary>
    public ContactEligibility Eligibility { get; private set; }

    /// <summary>The customer's contact window (quiet hours and preferred times in their zone).</summary>
    public ContactWindow Window
    {
        get
        {
            if (!_hasWindow)
            {
                _window = Eligibility.GetContactWindow(Customer); // built on first use: many decisions never reach timing
                _hasWindow = true;
            }

            return _window;
        }
    }

    /// <summary>The customer's topic subscriptions, looked up once per decision and topic (relevance and the topic rule share it).</summary>
    internal TopicGrants Topics;

    /// <summary>The channel outcomes of the decision in progress (copied into the decision at its end).</summary>
    internal ChannelEntry[] ChannelScratch { get; set; } = new ChannelEntry[64];

    /// <summary>The winners so far (copied into the decision at its end, so a decision without a winner allocates none).</summary>
    internal DecisionWinner[] WinnerScratch { get; set; } = new DecisionWinner[1];

    /// <summary>How many of <see cref="WinnerScratch"/> are this decision's winners so far (frequency caps count them).</summary>
    internal int WinnerCount { get; set; }

    /// <summary>The counted send instants of one cap near a send instant, when the decision has winners (the frequency rule's buffer, grown as needed).</summary>
    internal long[] CapEventScratch { get; set; } = new long[32];

    /// <summary>
    /// The customer's own frequency caps as a span, when they are neither an array nor a list: copied once per decision
    /// into a buffer the context keeps (cleared with the decision, so no customer's caps stay reachable).
    /// </summary>
    internal ReadOnlySpan<FrequencyCap> OwnCaps(IReadOnlyList<FrequencyCap> caps)
    {
        if (_ownCapsCount < 0)
        {
            if (_ownCaps.Length < caps.Count)
            {
                _ownCaps = new FrequencyCap[caps.Count];
            }

            for (var i = 0; i < caps.Count; i++)
            {
                _ownCaps[i] = caps[i];
            }

            _ownCapsCount = caps.Count;
        }

        return _ownCaps.AsSpan(0, _ownCapsCount);
    }

    /// <summary>The customer's tier value weights (<see cref="DecisionOptions.TierWeights"/>), or null.</summary>
    internal TierWeightTable? Tier { get; set; }

    /// <summary>Where a batch's decisions keep their entries (<see cref="DecisionEngine.DecideMany"/>), or null for a decision of its own.</summary>
    internal DecisionArena? Arena { get; set; }

    /// <summary>The outcomes of the candidates evaluated so far (copied into the decision at its end).</summary>
    internal CandidateEntry[] OutcomeScratch { get; set; } = new CandidateEntry[64];

    /// <summary>
    /// The bucket rankings this thread used last (engine, bucket, ranking), so most decisions find theirs without the
    /// engine's shared table: a batch alternates between a few buckets (one per lifecycle stage). Unlike the customer,
    /// these stay referenced after the decision, so a replaced catalog can outlive its use by up to four buckets per
    /// thread until newer ones push it out.
    /// </summary>
    private readonly (DecisionEngine? Engine, CompiledMessage[]? Bucket, DecisionEngine.BucketRanking? Ranking)[] _rankings = new (DecisionEngine?, CompiledMessage[]?, DecisionEngine.BucketRanking?)[4];
    private int _nextRanking;

    /// <summary>The ranking of a bucket for an engine, through this thread's small memo.</summary>
    internal DecisionEngine.BucketRanking RankingFor(DecisionEngine engine, CompiledMessage[] bucket)
    {
        var rankings = _rankings;
        for (var i = 0; i < rankings.Length; i++)
        {
            ref var entry = ref rankings[i];
            if (ReferenceEquals(entry.Bucket, bucket) && ReferenceEquals(entry.Engine, engine))
            {
                return entry.Ranking!;
            }
        }

        var ranking = engine.RankingOf(bucket);
        rankings[_nextRanking] = (engine, bucket, ranking);
        _nextRanking = (_nextRanking + 1) % rankings.Length;
        return ranking;
    }

    /// <summary>The promotional purpose group's bit in <see cref="FrequencyPassesNow"/>.</summary>
    internal const byte PromotionalGroup = 1;

    /// <summary>The service purpose group's bit in <see cref="FrequencyPassesNow"/>.</summary>
    internal const byte ServiceGroup = 2;

    /// <summary>
    /// The purpose groups whose frequency caps all pass at the decision instant on every channel while the decision has
    /// no winner (no cap reached, none on one channel): the frequency rule's answer kept for the decision's other tries.
    /// </summary>
    internal byte FrequencyPassesNow;

    /// <summary>The frequency caps counted for promotional messages at the decision instant.</summary>
    internal CapCounts PromotionalCounts { get; } = new();

    /// <summary>The frequency caps counted for service messages at the decision instant.</summary>
    internal CapCounts ServiceCounts { get; } = new();

    /// <summary>
    /// The frequency caps counted for promotional messages at the latest later instant (a deferral's): a deferred
    /// decision asks for the decision instant and the deferral's by turns, once per channel, so each keeps its own.
    /// </summary>
    internal CapCounts PromotionalCountsLater { get; } = new();

    /// <summary>The frequency caps counted for service messages at the latest later instant (see <see cref="PromotionalCountsLater"/>).</summary>
    internal CapCounts ServiceCountsLater { get; } = new();

    /// <summary>The caps counted for a purpose group at an instant: the decision instant's or the later instants' memo.</summary>
    internal CapCounts CountsFor(bool service, long ticks)
        => ticks == At.UtcTicks
            ? service ? ServiceCounts : PromotionalCounts
            : service ? ServiceCountsLater : PromotionalCountsLater;

    /// <summary>
    /// A context for one decision: this thread's spare one, reset (so a decision allocates none), or a new one when it
    /// is in use (a nested decision from a host rule). Give it back with <see cref="Return"/>.
    /// </summary>
    internal static DecisionContext Rent(CustomerProfile customer, Trigger trigger, DateTimeOffset at, ContactEligibility eligibility)
    {
        var context = t_free;
        if (context is null)
        {
            return new DecisionContext(customer, trigger, at, eligibility);
        }

        t_free = null;
        context.Customer = customer;
        context.Trigger = trigger;
        context.At = at;
        context.Eligibility = eligibility;
        return context;
    }

    /// <summary>Forgets the decision (nothing of the customer stays reachable) and keeps the context for this thread's next decision.</summary>
    internal void Return()
    {
        Clear();
        Customer = null!;
        Eligibility = null!;
        t_free = this;
    }

    /// <summary>
    /// Forgets the decision and sets the context to the next customer of a batch (same trigger, instant and
    /// eligibility), without giving it back to the thread in between.
    /// </summary>
    internal void Reset(CustomerProfile customer)
    {
        Clear();
        Customer = customer;
    }

    /// <summary>Forgets everything a decision cached or set (all but the customer, trigger, instant and eligibility).</summary>
    private void Clear()
    {
        Event = null;
        _window = default;
        _hasWindow = false;
        _conditions = null;
        _allowedNowStrict = 0;
        _allowedNowLoose = 0;
        _laterStrict = 0;
        _laterLoose = 0;
        _nextStrict = null;
        _nextLoose = null;
        _nextKnown = 0;
        _historyEnd = -1;
        WinnerCount = 0;
        Arena = null;
        Tier = null;
        Topics = default;
        FrequencyPassesNow = 0;
        PromotionalCounts.Valid = false;
        ServiceCounts.Valid = false;
        PromotionalCountsLater.Valid = false;
        ServiceCountsLater.Valid = false;
        _timingNow = 0;
        if (_cache is { } cache)
        {
            cache.AsSpan(0, _cacheCount).Clear();
        }

        _cacheCount = 0;
        if (_ownCapsCount > 0)
        {
            _ownCaps.AsSpan(0, _ownCapsCount).Clear();
        }

        _ownCapsCount = -1;
    }

    /// <summary>What conditions see; built on first use.</summary>
    public ConditionContext Conditions => _conditions ??= new ConditionContext(Customer, Trigger, At) { Event = Event };

    /// <summary>Whether contact is allowed by timing at an instant; cached for the decision instant (0 unknown, 1 yes, 2 no).</summary>
    internal bool IsAllowedByTiming(DateTimeOffset instant, bool includePreferred)
    {
        if (instant != At)
        {
            // Deferred instants repeat across channels (an overall cap defers them all to the same instant): the
            // latest later instant's answer is kept (bit 1 known, bit 2 allowed), per strictness.
            ref var ticks = ref includePreferred ? ref _laterStrictTicks : ref _laterLooseTicks;
            ref var known = ref includePreferred ? ref _laterStrict : ref _laterLoose;
            if (known != 0 && ticks == instant.UtcTicks)
            {
                return known == 3;
            }

            var allowed = Window.IsAllowed(instant, includePreferred);
            ticks = instant.UtcTicks;
            known = allowed ? (byte)3 : (byte)1;
            return allowed;
        }

        ref var cached = ref includePreferred ? ref _allowedNowStrict : ref _allowedNowLoose;
        if (cached == 0)
        {
            cached = Window.IsAllowed(instant, includePreferred) ? (byte)1 : (byte)2;
        }

        return cached == 1;
    }

    /// <summary>
    /// The timing rule's result at the decision instant when timing blocks it, kept for the decision: every channel
    /// that respects timing gets the same one (bit 1 strict, bit 2 loose, as in <see cref="NextAllowedByTiming"/>).
    /// </summary>
    internal bool TryGetTimingNow(bool includePreferred, out RuleResult result)
    {
        var bit = includePreferred ? 1 : 2;
        result = includePreferred ? _timingNowStrict : _timingNowLoose;
        return (_timingNow & bit) != 0;
    }

    /// <summary>Keeps the timing rule's result at the decision instant (see <see cref="TryGetTimingNow"/>).</summary>
    internal void KeepTimingNow(bool includePreferred, in RuleResult result)
    {
        if (includePreferred)
        {
            _timingNowStrict = result;
            _timingNow |= 1;
        }
        else
        {
            _timingNowLoose = result;
            _timingNow |= 2;
        }
    }

    /// <summary>The next instant allowed by timing from the decision instant (cached), or from another instant.</summary>
    internal DateTimeOffset? NextAllowedByTiming(DateTimeOffset instant, bool includePreferred)
    {
        if (instant != At)
        {
            return NextAllowed(Window, instant, includePreferred);
        }

        var bit = includePreferred ? 1 : 2;
        if ((_nextKnown & bit) == 0)
        {
            var next = NextAllowed(Window, instant, includePreferred);
            if (includePreferred)
            {
                _nextStrict = next;
            }
            else
            {
                _nextLoose = next;
            }

            _nextKnown |= (byte)bit;
        }

        return includePreferred ? _nextStrict : _nextLoose;
    }

    /// <summary>
    /// The next allowed instant. Fast path for the common case — only quiet hours matter and the zone's offset does not
    /// change before they end — the end of the quiet period (DST-correct through the zone's offset table); otherwise
    /// the full search of <see cref="ContactWindow.NextAllowed"/>.
    /// </summary>
    internal static DateTimeOffset? NextAllowed(ContactWindow window, DateTimeOffset instant, bool includePreferred)
    {
        if ((!includePreferred || !window.HasPreferredTimes) && window.QuietHours is { } quiet)
        {
            var local = window.ToLocal(instant).DateTime;
            var end = local.Date + quiet.End.ToTimeSpan();
            if (end <= local)
            {
                end = end.AddDays(1);
            }

            Span<DateTimeOffset> instants = stackalloc DateTimeOffset[2];
            var count = window.ToInstants(end, instants);
            for (var i = 0; i < count; i++)
            {
                if (instants[i] > instant && window.IsAllowed(instants[i], includePreferred))
                {
                    // When clocks go back meanwhile, the repeated hour may be allowed earlier: the full search knows.
                    return window.HasTransitionBetween(instant, instants[i]) ? window.NextAllowed(instant, includePreferred) : instants[i];
                }
            }
        }

        return window.NextAllowed(instant, includePreferred);
    }

    /// <summary>The index of the first contact record sent after the decision instant, found once per decision.</summary>
    internal int HistoryEnd
    {
        get
        {
            if (_historyEnd < 0)
            {
                _historyEnd = Customer.History.FirstAfter(At);
            }

            return _historyEnd;
        }
    }

    /// <summary>A built-in channel rule's result cached for this decision (kind: which rule, 1 consent at a later instant, 2 frequency; key: purpose or purpose group).</summary>
    /// <remarks>Read in place: a null reference (<see cref="System.Runtime.CompilerServices.Unsafe.IsNullRef{T}(ref readonly T)"/>) when none is kept; valid until the next <see cref="Cache"/>.</remarks>
    internal ref readonly RuleResult Cached(int kind, ChannelDefinition? channel, int key, long ticks)
    {
        var cache = _cache;
        for (var i = 0; i < _cacheCount; i++)
        {
            ref var entry = ref cache![i];
            if (entry.Kind == kind && entry.Key == key && entry.Ticks == ticks && ReferenceEquals(entry.Channel, channel))
            {
                return ref entry.Result;
            }
        }

        return ref System.Runtime.CompilerServices.Unsafe.NullRef<RuleResult>();
    }

    internal void Cache(int kind, ChannelDefinition? channel, int key, long ticks, in RuleResult result)
    {
        _cache ??= new CacheEntry[4];
        if (_cacheCount == _cache.Length && _cache.Length < MaxCacheSize)
        {
            Array.Resize(ref _cache, _cache.Length * 2);
        }

        if (_cacheCount < _cache.Length)
        {
            _cache[_cacheCount++] = new CacheEntry(kind, channel, key, ticks, result);
        }
    }

    private readonly struct CacheEntry(int kind, ChannelDefinition? channel, int key, long ticks, in RuleResult result)
    {
        public readonly int Kind = kind;
        public readonly ChannelDefinition? Channel = channel;
        public readonly int Key = key;
        public readonly long Ticks = ticks;
        public readonly RuleResult Result = result;
    }
}
