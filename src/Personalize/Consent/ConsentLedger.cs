using System.Collections.ObjectModel;

namespace Personalize.Consent;

/// <summary>
/// The append-only list of a customer's consent records, and the state of each scope at any instant.
/// </summary>
/// <remarks>
/// <para>Consent is judged <b>at the instant asked</b> (<see cref="GetState(ConsentScope, DateTimeOffset, TimeSpan)"/>):
/// a record dated after that instant does not count. Among the records in effect the one the customer gave last wins
/// (by <see cref="ConsentRecord.RecordedAt"/>); a tie goes to the withdrawal.</para>
/// <para>A double opt-in is in effect only from its confirmation, and only when it was confirmed within the pending
/// expiry (<see cref="DefaultPendingOptInExpiry"/>, 7 days, or the host's
/// <see cref="PersonalizeOptions.PendingOptInExpiry"/>). It competes with withdrawals by the time it was
/// <i>requested</i>: a withdrawal given after the request wins over it even when the confirmation link is clicked
/// later, so a confirmation never re-subscribes a customer who withdrew meanwhile. Until it is confirmed (and at most
/// until it expires) the request is <see cref="ConsentStatus.Pending"/>, which is not consent and never undoes a grant
/// or a withdrawal: a scope is reported pending only when no grant or withdrawal is in effect.</para>
/// <para>Immutable: <see cref="Append"/> returns a new ledger, and <see cref="Records"/> is a read-only view.</para>
/// </remarks>
public sealed class ConsentLedger
{
    /// <summary>How long a double opt-in request waits for its confirmation unless the host says otherwise: 7 days.</summary>
    public static readonly TimeSpan DefaultPendingOptInExpiry = TimeSpan.FromDays(7);

    private const int FlatLimit = 16;

    /// <summary>The most records a ledger groups by scope in stack memory (<see cref="Build"/>).</summary>
    private const int StackGroupingLimit = 64;

    private readonly ConsentRecord[] _records;

    // The records again, grouped by scope (in recorded order within a scope); each entry names its range. The records
    // array itself when they are grouped already.
    private readonly ConsentRecord[] _byScope;

    // One entry per scope. Small ledgers (the usual case) are scanned by the scope's precomputed hash: a lookup reads the
    // ledger and one short array instead of a dictionary object, its buckets and its entries. Larger ledgers add an index.
    // Null for a flat ledger: one record per scope and no double opt-in (what a store reads for most customers), where
    // each record is its scope's entry — its state is its action from its date on — and lookups scan the records.
    private readonly Entry[]? _entries;
    private readonly Dictionary<ConsentScope, int>? _index;

    // What few callers ask for (the read-only view of the records, the states dictionary), made on first use.
    private Views? _views;

    // Which kinds of scope have records (bits of KindBit): most ledgers have no purpose or channel-for-purpose
    // records, and a lookup for a kind that is not there needs no hashing.
    private readonly int _kinds;

    /// <summary>Builds a ledger from records in the order they were recorded.</summary>
    /// <param name="records">The records.</param>
    /// <exception cref="ArgumentException">A record is null, has a default channel, or a confirmation before it was recorded.</exception>
    public ConsentLedger(IEnumerable<ConsentRecord> records)
        : this(ToArray(records), flat: false)
    {
    }

    // flat: whether a ledger of one record per scope and no double opt-in may keep no entry array (see _entries). Only a
    // store's page read asks for it: its ledgers are read, decided once while still in the cache, and dropped, so the
    // entry array is an allocation per customer for nothing. A ledger kept in memory and decided many times (built by
    // the public constructor, Append, or a CustomerSnapshot) keeps the entries: a lookup then reads one short array of
    // scopes instead of following a reference to each record (measured: a 10,000-customer snapshot decided ≈ 35 % slower
    // with flat ledgers, session 19).
    private ConsentLedger(ConsentRecord[] records, bool flat)
    {
        _records = records;
        (_entries, _byScope, _kinds, SettledAt) = Build(records, flat);
        _index = (_entries?.Length ?? records.Length) <= FlatLimit ? null : IndexOf(_entries, records);
    }

    /// <summary>A ledger of the records a store read, in their appended order (none null; the array becomes the ledger's own and must not be changed).</summary>
    internal static ConsentLedger FromStore(ConsentRecord[] records) => new(records, flat: true);

    /// <summary>A ledger of records in their appended order (none null; the array becomes the ledger's own), always with its scope entries: for ledgers kept in memory and decided many times (<see cref="Customers.CustomerSnapshot"/>).</summary>
    internal static ConsentLedger Indexed(ConsentRecord[] records) => new(records, flat: false);

    /// <summary>A ledger with no records.</summary>
    public static ConsentLedger Empty { get; } = new(Array.Empty<ConsentRecord>(), flat: false);

    /// <summary>All records, in the order they were appended. A read-only view: the evidence cannot be changed through it.</summary>
    public IReadOnlyList<ConsentRecord> Records => ViewsOf().Records;

    /// <summary>
    /// The state of every scope that has records once every record is in effect and no double opt-in request has
    /// expired — the evidence as it stands, whatever the clock says. Decisions judge consent at an instant: use
    /// <see cref="GetState(ConsentScope, DateTimeOffset, TimeSpan)"/>.
    /// </summary>
    public IReadOnlyDictionary<ConsentScope, ConsentState> States
    {
        get
        {
            var views = ViewsOf();
            if (views.States is { } states)
            {
                return states;
            }

            var count = _entries?.Length ?? _records.Length;
            var built = new Dictionary<ConsentScope, ConsentState>(count);
            for (var i = 0; i < count; i++)
            {
                built[ScopeOf(i)] = LatestOf(i);
            }

            return Interlocked.CompareExchange(ref views.States, built, null) ?? built;
        }
    }

    /// <summary>The size in bytes of one element of <see cref="LookupStorage"/> (for cache prefetching).</summary>
    internal int LookupElementSize => _entries is null ? IntPtr.Size : System.Runtime.CompilerServices.Unsafe.SizeOf<Entry>();

    /// <summary>What a lookup reads first: the entry array, or the records of a flat ledger (for cache prefetching).</summary>
    internal object LookupStorage => (object?)_entries ?? _records;

    /// <summary>
    /// The latest instant any record of this ledger is dated (recorded or confirmed), in UTC ticks: from then on every
    /// record is in effect and only pending requests can still lapse (which never turns a refusal into consent).
    /// <see cref="long.MinValue"/> for an empty ledger.
    /// </summary>
    internal long SettledAt { get; }

    /// <summary>The first instant after <paramref name="afterTicks"/> (UTC ticks) at which a record is dated (recorded or confirmed); <see cref="long.MaxValue"/> when none.</summary>
    internal long NextRecordInstant(long afterTicks)
    {
        var next = long.MaxValue;
        foreach (var record in _records)
        {
            var recorded = record.RecordedTicks;
            if (recorded > afterTicks && recorded < next)
            {
                next = recorded;
            }

            var confirmed = record.ConfirmedTicksOrMin;
            if (confirmed > afterTicks && confirmed < next)
            {
                next = confirmed;
            }
        }

        return next;
    }

    /// <summary>
    /// The state of a scope once every record is in effect, no double opt-in request expired (see <see cref="States"/>).
    /// Decisions judge consent at an instant: use <see cref="GetState(ConsentScope, DateTimeOffset, TimeSpan)"/>.
    /// </summary>
    /// <param name="scope">The scope.</param>
    /// <returns>The state; <see cref="ConsentStatus.None"/> when there is no record.</returns>
    public ConsentState GetState(ConsentScope scope)
    {
        var i = Find(scope);
        return i < 0 ? default : LatestOf(i);
    }

    /// <summary>The state of a scope at an instant, with double opt-in requests expiring after <see cref="DefaultPendingOptInExpiry"/>.</summary>
    /// <param name="scope">The scope.</param>
    /// <param name="at">The instant asked about; records dated after it do not count.</param>
    /// <returns>The state; <see cref="ConsentStatus.None"/> when no record counts.</returns>
    public ConsentState GetState(ConsentScope scope, DateTimeOffset at) => GetState(scope, at, DefaultPendingOptInExpiry);

    /// <summary>The state of a scope at an instant.</summary>
    /// <param name="scope">The scope.</param>
    /// <param name="at">The instant asked about; records dated after it do not count.</param>
    /// <param name="pendingOptInExpiry">How long a double opt-in request waits for its confirmation; a request not
    /// confirmed within it is no longer pending, and a later confirmation does not count. <see cref="Timeout.InfiniteTimeSpan"/>: never expires.</param>
    /// <returns>The state; <see cref="ConsentStatus.None"/> when no record counts.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="pendingOptInExpiry"/> is not positive (nor infinite).</exception>
    public ConsentState GetState(ConsentScope scope, DateTimeOffset at, TimeSpan pendingOptInExpiry)
    {
        if (pendingOptInExpiry <= TimeSpan.Zero && pendingOptInExpiry != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(pendingOptInExpiry), pendingOptInExpiry, "The pending opt-in expiry must be positive, or Timeout.InfiniteTimeSpan.");
        }

        return StateAt(scope, at.UtcTicks, ExpiryTicks(pendingOptInExpiry));
    }

    /// <summary>The engine's lookup: the instant in UTC ticks and the expiry as from <see cref="ExpiryTicks"/>.</summary>
    internal ConsentState StateAt(ConsentScope scope, long atTicks, long expiryTicks)
    {
        var i = Find(scope);
        if (i < 0)
        {
            return default;
        }

        if (_entries is not { } entries)
        {
            // A flat ledger's record: no double opt-in, so its action counts from its date on, and nothing before.
            var record = _records[i];
            return atTicks >= record.RecordedTicks ? StateOf(record) : default;
        }

        ref readonly var entry = ref entries[i];
        return atTicks >= entry.SettledTicks
            ? entry.Latest
            : Evaluate(_byScope.AsSpan(entry.Start, entry.Count), atTicks, expiryTicks);
    }

    /// <summary>An expiry as ticks; <see cref="long.MaxValue"/> for never.</summary>
    internal static long ExpiryTicks(TimeSpan expiry) => expiry == Timeout.InfiniteTimeSpan ? long.MaxValue : expiry.Ticks;

    /// <summary>Whether a topic is subscribed (granted and confirmed) once every record is in effect (see <see cref="States"/>).</summary>
    /// <param name="topic">The topic.</param>
    /// <returns><see langword="true"/> when subscribed.</returns>
    public bool IsSubscribed(string topic)
        => ConsentScope.TryNormalizeTopic(topic, out var normalized)
           && GetState(ConsentScope.ForTopic(normalized)).IsGranted;

    /// <summary>Whether a topic is subscribed at an instant (see <see cref="GetState(ConsentScope, DateTimeOffset)"/>).</summary>
    /// <param name="topic">The topic.</param>
    /// <param name="at">The instant asked about.</param>
    /// <returns><see langword="true"/> when subscribed.</returns>
    public bool IsSubscribed(string topic, DateTimeOffset at)
        => ConsentScope.TryNormalizeTopic(topic, out var normalized)
           && GetState(ConsentScope.ForTopic(normalized), at).IsGranted;

    /// <summary>The topics subscribed once every record is in effect (see <see cref="States"/>).</summary>
    /// <returns>The normalized topic names, in order of first appearance.</returns>
    public IReadOnlyList<string> GetSubscribedTopics() => SubscribedTopics(long.MaxValue, long.MaxValue);

    /// <summary>The topics subscribed at an instant (see <see cref="GetState(ConsentScope, DateTimeOffset)"/>).</summary>
    /// <param name="at">The instant asked about.</param>
    /// <returns>The normalized topic names, in order of first appearance.</returns>
    public IReadOnlyList<string> GetSubscribedTopics(DateTimeOffset at) => SubscribedTopics(at.UtcTicks, DefaultPendingOptInExpiry.Ticks);

    internal IReadOnlyList<string> SubscribedTopics(long atTicks, long expiryTicks)
    {
        var topics = new List<string>();
        foreach (var record in _records)
        {
            if (record.Scope.Kind == ConsentScopeKind.Topic && !topics.Contains(record.Scope.Topic!)
                && (atTicks == long.MaxValue ? GetState(record.Scope) : StateAt(record.Scope, atTicks, expiryTicks)).IsGranted)
            {
                topics.Add(record.Scope.Topic!);
            }
        }

        return topics;
    }

    /// <summary>Returns a new ledger with one more record; this ledger is unchanged.</summary>
    /// <param name="record">The record to append.</param>
    /// <returns>The new ledger.</returns>
    public ConsentLedger Append(ConsentRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var records = new ConsentRecord[_records.Length + 1];
        _records.CopyTo(records, 0);
        records[^1] = record;
        return new ConsentLedger(records, flat: false);
    }

    /// <summary>
    /// Whether <paramref name="candidate"/> wins over <paramref name="current"/> when both are in effect: the one the
    /// customer gave later (by <see cref="ConsentRecord.RecordedAt"/>, the request for a double opt-in) wins; on a tie a
    /// withdrawal wins.
    /// </summary>
    internal static bool Wins(ConsentRecord candidate, ConsentRecord current)
    {
        if (candidate.RecordedTicks != current.RecordedTicks)
        {
            return candidate.RecordedTicks > current.RecordedTicks;
        }

        return candidate.Action == ConsentAction.Withdraw || current.Action != ConsentAction.Withdraw;
    }

    /// <summary>The state of one scope's records at an instant (UTC ticks; <see cref="long.MaxValue"/>: every record in effect).</summary>
    private static ConsentState Evaluate(ReadOnlySpan<ConsentRecord> records, long at, long expiry)
    {
        ConsentRecord? decisive = null;
        ConsentRecord? pending = null;
        foreach (var record in records)
        {
            var recorded = record.RecordedTicks;
            if (recorded > at)
            {
                continue; // not given yet at the instant asked
            }

            if (record.Action == ConsentAction.Grant && record.OptIn == OptInMethod.Double)
            {
                var lapse = expiry == long.MaxValue || recorded > long.MaxValue - expiry ? long.MaxValue : recorded + expiry;
                var confirmed = record.ConfirmedTicksOrMin;
                if (!(confirmed != long.MinValue && confirmed <= at && confirmed <= lapse))
                {
                    // Not (validly) confirmed by the instant: pending until it expires.
                    if ((expiry == long.MaxValue || at < lapse) && (pending is null || recorded >= pending.RecordedTicks))
                    {
                        pending = record;
                    }

                    continue;
                }
            }

            if (decisive is null || Wins(record, decisive))
            {
                decisive = record;
            }
        }

        if (decisive is not null)
        {
            return new ConsentState(decisive.Action == ConsentAction.Grant ? ConsentStatus.Granted : ConsentStatus.Withdrawn, decisive);
        }

        return pending is null ? default : new ConsentState(ConsentStatus.Pending, pending);
    }

    private int Find(ConsentScope scope)
    {
        if ((_kinds & KindBit(scope)) == 0)
        {
            return -1;
        }

        if (_index is { } index)
        {
            return index.TryGetValue(scope, out var i) ? i : -1;
        }

        if (_entries is { } entries)
        {
            for (var i = 0; i < entries.Length; i++)
            {
                if (entries[i].Scope.Equals(scope))
                {
                    return i;
                }
            }

            return -1;
        }

        var records = _records;
        for (var i = 0; i < records.Length; i++)
        {
            if (records[i].Scope.Equals(scope))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>The scope of entry <paramref name="i"/> (a record of a flat ledger).</summary>
    private ConsentScope ScopeOf(int i) => _entries is { } entries ? entries[i].Scope : _records[i].Scope;

    /// <summary>The state of entry <paramref name="i"/> with every record in effect.</summary>
    private ConsentState LatestOf(int i) => _entries is { } entries ? entries[i].Latest : StateOf(_records[i]);

    /// <summary>The state a record that is not a double opt-in gives once it is in effect.</summary>
    private static ConsentState StateOf(ConsentRecord record)
        => new(record.Action == ConsentAction.Grant ? ConsentStatus.Granted : ConsentStatus.Withdrawn, record);

    private Views ViewsOf()
    {
        var views = _views;
        if (views is null)
        {
            views = new Views(new ReadOnlyCollection<ConsentRecord>(_records));
            views = Interlocked.CompareExchange(ref _views, views, null) ?? views;
        }

        return views;
    }

    private static int KindBit(ConsentScope scope)
        => 1 << ((int)scope.Kind * 2 + (scope.Purpose is null ? 0 : 1));

    private static ConsentRecord[] ToArray(IEnumerable<ConsentRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        return records.ToArray();
    }

    private static Dictionary<ConsentScope, int> IndexOf(Entry[]? entries, ConsentRecord[] records)
    {
        var count = entries?.Length ?? records.Length;
        var index = new Dictionary<ConsentScope, int>(count);
        for (var i = 0; i < count; i++)
        {
            index[entries is null ? records[i].Scope : entries[i].Scope] = i;
        }

        return index;
    }

    private static (Entry[]? Entries, ConsentRecord[] ByScope, int Kinds, long SettledAt) Build(ConsentRecord[] records, bool flat)
    {
        if (records.Length == 0)
        {
            return (null, records, 0, long.MinValue);
        }

        // Group by scope, in order of first appearance, keeping the recorded order within a scope: each record's group
        // found among the groups so far (a dictionary only for long ledgers), then the records placed by group — no list
        // or dictionary per ledger for the few records a customer has (the store reads a ledger per customer).
        var count = records.Length;
        var small = count <= StackGroupingLimit;
        Span<int> groupOf = small ? stackalloc int[count] : new int[count];
        Span<int> firstOf = small ? stackalloc int[count] : new int[count];
        Span<int> sizes = small ? stackalloc int[count] : new int[count];
        var lookup = count > FlatLimit ? new Dictionary<ConsentScope, int>() : null;
        var groups = 0;
        var settled = long.MinValue;
        var kinds = 0;
        var doubleOptIn = false;
        for (var r = 0; r < count; r++)
        {
            var record = records[r];
            Validate(record, nameof(records));
            doubleOptIn |= record.Action == ConsentAction.Grant && record.OptIn == OptInMethod.Double;
            var group = -1;
            if (lookup is null)
            {
                for (var g = 0; g < groups; g++)
                {
                    if (records[firstOf[g]].Scope == record.Scope)
                    {
                        group = g;
                        break;
                    }
                }
            }
            else if (lookup.TryGetValue(record.Scope, out var known))
            {
                group = known;
            }

            if (group < 0)
            {
                group = groups++;
                firstOf[group] = r;
                sizes[group] = 0;
                lookup?.Add(record.Scope, group);
            }

            groupOf[r] = group;
            sizes[group]++;
            settled = Math.Max(settled, Math.Max(record.RecordedTicks, record.ConfirmedTicksOrMin));
            kinds |= KindBit(record.Scope);
        }

        if (flat && groups == count && !doubleOptIn)
        {
            // Flat: one record per scope, none a double opt-in — each record is its scope's entry (no entry array).
            return (null, records, kinds, settled);
        }

        // firstOf becomes each group's next free place in byScope (its start, then past each record placed).
        var place = 0;
        for (var g = 0; g < groups; g++)
        {
            firstOf[g] = place;
            place += sizes[g];
        }

        // Records already grouped by scope (each scope's records together: one record per scope, the usual case for a
        // store's ledger) are their own grouping; the two arrays are never changed, so the ledger keeps one.
        var grouped = true;
        for (var r = 1; r < count && grouped; r++)
        {
            grouped = groupOf[r] >= groupOf[r - 1];
        }

        var byScope = grouped ? records : new ConsentRecord[count];
        for (var r = 0; r < count && !grouped; r++)
        {
            byScope[firstOf[groupOf[r]]++] = records[r];
        }

        var entries = new Entry[groups];
        var next = 0;
        for (var i = 0; i < groups; i++)
        {
            var span = byScope.AsSpan(next, sizes[i]);
            var scope = span[0].Scope;

            // From the scope's last date on, a scope without double opt-ins keeps its latest state; one with double
            // opt-ins depends on the instant (their expiry) and is always evaluated.
            var scopeSettled = long.MinValue;
            foreach (var record in span)
            {
                scopeSettled = record.Action == ConsentAction.Grant && record.OptIn == OptInMethod.Double
                    ? long.MaxValue
                    : Math.Max(scopeSettled, record.RecordedTicks);
                if (scopeSettled == long.MaxValue)
                {
                    break;
                }
            }

            entries[i] = new Entry(scope, Evaluate(span, long.MaxValue, long.MaxValue), scopeSettled, next, span.Length);
            next += span.Length;
        }

        return (entries, byScope, kinds, settled);
    }

    private static void Validate(ConsentRecord? record, string parameter)
    {
        if (record is null)
        {
            throw new ArgumentException("A consent record is null.", parameter);
        }

        if (record.Scope.Kind == ConsentScopeKind.Channel && record.Scope.Channel.IsDefault)
        {
            throw new ArgumentException("A channel consent record names no channel.", parameter);
        }

        if (record.ConfirmedAt is { } confirmed && confirmed < record.RecordedAt)
        {
            throw new ArgumentException($"A consent record for {record.Scope} was confirmed ({confirmed:O}) before it was recorded ({record.RecordedAt:O}).", parameter);
        }
    }

    /// <summary>The read-only view of the records and the states dictionary, made when first asked for.</summary>
    private sealed class Views(ReadOnlyCollection<ConsentRecord> records)
    {
        public readonly ReadOnlyCollection<ConsentRecord> Records = records;
        public Dictionary<ConsentScope, ConsentState>? States;
    }

    /// <summary>One scope: its state with every record in effect, the instant from which that holds, and its records' range.</summary>
    private readonly struct Entry(ConsentScope scope, ConsentState latest, long settledTicks, int start, int count)
    {
        public readonly ConsentScope Scope = scope;
        public readonly ConsentState Latest = latest;
        public readonly long SettledTicks = settledTicks;
        public readonly int Start = start;
        public readonly int Count = count;
    }
}
