namespace Personalize.Consent;

/// <summary>
/// The append-only list of a customer's consent records, with the current state per scope computed once
/// when the ledger is built: the latest decisive record wins by effective time, a tie goes to the withdrawal,
/// and a pending double opt-in is not consent (it does not replace an earlier grant either).
/// Immutable: <see cref="Append"/> returns a new ledger.
/// </summary>
public sealed class ConsentLedger
{
    private readonly ConsentRecord[] _records;
    private const int FlatLimit = 16;

    // Small ledgers (the usual case) keep their states in one flat array, scanned by the scope's precomputed hash:
    // a lookup reads the ledger and one short array instead of a dictionary object, its buckets and its entries.
    // Larger ledgers keep the dictionary. States builds the other form on first read.
    private readonly KeyValuePair<ConsentScope, ConsentState>[]? _flat;
    private Dictionary<ConsentScope, ConsentState>? _states;

    // Which kinds of scope have records (bits of KindBit): most ledgers have no purpose or channel-for-purpose
    // records, and a lookup for a kind that is not there needs no hashing.
    private readonly int _kinds;

    /// <summary>Builds a ledger from records in the order they were recorded.</summary>
    /// <param name="records">The records.</param>
    /// <exception cref="ArgumentException">A record is null, has a default channel, or a confirmation before it was recorded.</exception>
    public ConsentLedger(IEnumerable<ConsentRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        _records = records.ToArray();
        (_flat, _states, _kinds) = Index(Compute(_records));
    }

    private ConsentLedger(ConsentRecord[] records)
    {
        _records = records;
        (_flat, _states, _kinds) = Index(Compute(records));
    }

    /// <summary>The size in bytes of one entry of the flat state array (for cache prefetching).</summary>
    internal static int FlatEntrySize => System.Runtime.CompilerServices.Unsafe.SizeOf<KeyValuePair<ConsentScope, ConsentState>>();

    /// <summary>A ledger with no records.</summary>
    public static ConsentLedger Empty { get; } = new(Array.Empty<ConsentRecord>());

    /// <summary>What <see cref="GetState"/> reads: the flat state array or the dictionary (for cache prefetching).</summary>
    internal object? LookupStorage => (object?)_flat ?? _states;

    /// <summary>All records, in the order they were appended.</summary>
    public IReadOnlyList<ConsentRecord> Records => _records;

    /// <summary>The current state of every scope that has records.</summary>
    public IReadOnlyDictionary<ConsentScope, ConsentState> States
        => _states ?? Interlocked.CompareExchange(ref _states, new Dictionary<ConsentScope, ConsentState>(_flat!), null) ?? _states;

    /// <summary>The current state of a scope.</summary>
    /// <param name="scope">The scope.</param>
    /// <returns>The state; <see cref="ConsentStatus.None"/> when there is no record.</returns>
    public ConsentState GetState(ConsentScope scope)
    {
        if ((_kinds & KindBit(scope)) == 0)
        {
            return default;
        }

        if (_flat is { } flat)
        {
            foreach (var entry in flat)
            {
                if (entry.Key.Equals(scope))
                {
                    return entry.Value;
                }
            }

            return default;
        }

        return _states!.TryGetValue(scope, out var state) ? state : default;
    }

    /// <summary>Whether a topic is currently subscribed (granted and confirmed).</summary>
    /// <param name="topic">The topic.</param>
    /// <returns><see langword="true"/> when subscribed.</returns>
    public bool IsSubscribed(string topic)
        => ConsentScope.TryNormalizeTopic(topic, out var normalized)
           && GetState(ConsentScope.ForTopic(normalized)).IsGranted;

    /// <summary>The topics currently subscribed.</summary>
    /// <returns>The normalized topic names, in order of first appearance.</returns>
    public IReadOnlyList<string> GetSubscribedTopics()
    {
        var topics = new List<string>();
        foreach (var record in _records)
        {
            if (record.Scope.Kind == ConsentScopeKind.Topic && !topics.Contains(record.Scope.Topic!) && GetState(record.Scope).IsGranted)
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
        return new ConsentLedger(records);
    }

    private static int KindBit(ConsentScope scope)
        => 1 << ((int)scope.Kind * 2 + (scope.Purpose is null ? 0 : 1));

    private static (KeyValuePair<ConsentScope, ConsentState>[]? Flat, Dictionary<ConsentScope, ConsentState>? States, int Kinds) Index(Dictionary<ConsentScope, ConsentState> states)
    {
        var kinds = 0;
        foreach (var scope in states.Keys)
        {
            kinds |= KindBit(scope);
        }

        return states.Count <= FlatLimit ? ([.. states], null, kinds) : (null, states, kinds);
    }

    private static Dictionary<ConsentScope, ConsentState> Compute(ConsentRecord[] records)
    {
        var decisive = new Dictionary<ConsentScope, ConsentRecord>();
        var pending = new Dictionary<ConsentScope, ConsentRecord>();
        foreach (var record in records)
        {
            if (record is null)
            {
                throw new ArgumentException("A consent record is null.", nameof(records));
            }

            if (record.Scope.Kind == ConsentScopeKind.Channel && record.Scope.Channel.IsDefault)
            {
                throw new ArgumentException("A channel consent record names no channel.", nameof(records));
            }

            if (record.ConfirmedAt is { } confirmed && confirmed < record.RecordedAt)
            {
                throw new ArgumentException($"A consent record for {record.Scope} was confirmed ({confirmed:O}) before it was recorded ({record.RecordedAt:O}).", nameof(records));
            }

            if (record.IsPending)
            {
                if (!pending.TryGetValue(record.Scope, out var p) || record.RecordedAt >= p.RecordedAt)
                {
                    pending[record.Scope] = record;
                }

                continue;
            }

            if (!decisive.TryGetValue(record.Scope, out var current) || Wins(record, current))
            {
                decisive[record.Scope] = record;
            }
        }

        var states = new Dictionary<ConsentScope, ConsentState>(decisive.Count + pending.Count);
        foreach (var (scope, record) in decisive)
        {
            states[scope] = new ConsentState(record.Action == ConsentAction.Grant ? ConsentStatus.Granted : ConsentStatus.Withdrawn, record);
        }

        foreach (var (scope, record) in pending)
        {
            if (!states.TryGetValue(scope, out var state)
                || (state.Status == ConsentStatus.Withdrawn && record.RecordedAt > state.EffectiveAt))
            {
                states[scope] = new ConsentState(ConsentStatus.Pending, record);
            }
        }

        return states;
    }

    /// <summary>Whether <paramref name="candidate"/> replaces <paramref name="current"/>: later wins; on a tie a withdrawal wins.</summary>
    internal static bool Wins(ConsentRecord candidate, ConsentRecord current)
    {
        var c = candidate.EffectiveAt.CompareTo(current.EffectiveAt);
        if (c != 0)
        {
            return c > 0;
        }

        return candidate.Action == ConsentAction.Withdraw || current.Action != ConsentAction.Withdraw;
    }
}
