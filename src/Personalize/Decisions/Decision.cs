using Personalize.Catalog;
using Personalize.Customers;

namespace Personalize.Decisions;

/// <summary>
/// The answer for one customer and trigger at one instant: the winner(s) with channel and send instant (now or
/// deferred), and for every candidate considered the rule that stopped it (a stable code and a sentence a marketer
/// understands) and the scores. <see cref="Explain"/> prints it as text, <see cref="ToJson"/> as JSON.
/// </summary>
public sealed class Decision
{
    private readonly DecisionHeader _header;
    private Views? _views; // the lists made on first read (most decisions of a batch are never asked for them)
    private DecisionWinner[] _winnerStore = [];
    private CandidateEntry[] _outcomes = [];

    // Where the slices start (0 for a decision's own arrays, below DecisionArena.SegmentLength in a batch's segment)
    // and how long they are; a slice of WholeStore or more entries is a whole array of its own (see Slice), so four
    // 16-bit fields do and the decision stays at 80 bytes.
    private ushort _winnerStart;
    private ushort _outcomeStart;
    private ushort _winnerCount;
    private ushort _outcomeCount;
    private const ushort WholeStore = ushort.MaxValue;

    internal Decision(DecisionHeader header, CustomerProfile customer)
    {
        _header = header;
        Customer = customer;
    }

    /// <summary>The customer's id.</summary>
    public string CustomerId => Customer.Id;

    /// <summary>The event the decision was made for (conditions saw it as <c>event.*</c>), or <see langword="null"/>.</summary>
    public Events.CustomerEvent? Event => _header.Event;

    /// <summary>The customer the decision is for.</summary>
    public CustomerProfile Customer { get; }

    /// <summary>The trigger.</summary>
    public Trigger Trigger => _header.Trigger;

    /// <summary>The decision instant.</summary>
    public DateTimeOffset At => _header.At;

    /// <summary>Which messages the decision reports on.</summary>
    public DecisionDetail Detail => _header.Detail;

    /// <summary>The messages that go out, best first (at most <see cref="DecisionOptions.MaxWinners"/>); empty when none.</summary>
    /// <remarks>A decision of a batch (<see cref="DecisionEngine.DecideMany"/>) hands out a read-only view of its slice of the batch's storage, made on each read.</remarks>
    public IReadOnlyList<DecisionWinner> Winners => _winnerCount == 0 ? []
        : _winnerStart == 0 && WinnerCount == _winnerStore.Length ? _winnerStore
        : new WinnerSlice(_winnerStore, _winnerStart, WinnerCount);

    /// <summary>Every candidate considered, in catalog order, with its outcome.</summary>
    public IReadOnlyList<CandidateOutcome> Candidates => (_views ??= new Views()).Candidates ??= CandidateCount == 0 ? [] : new CandidateList(this);

    /// <summary>Whether any message goes out.</summary>
    public bool HasWinner => _winnerCount > 0;

    internal DecisionEngine Engine => _header.Engine;

    /// <summary>The channels tried, per candidate a contiguous range (see <see cref="CandidateEntry"/>).</summary>
    internal ChannelEntry[] ChannelEntries { get; set; } = [];

    /// <summary>The messages considered, in catalog order (the compiled catalog's shared array).</summary>
    internal CompiledMessage[] Considered { get; set; } = [];

    /// <summary>
    /// With <see cref="DecisionDetail.All"/>: every candidate's outcome, in catalog order. Otherwise the outcomes of the
    /// candidates evaluated (best first); the others lost arbitration unevaluated. A slice of <see cref="_outcomes"/>
    /// (in a batch, a segment shared with other decisions; see <see cref="DecisionArena"/>).
    /// </summary>
    internal ReadOnlySpan<CandidateEntry> Outcomes => _outcomes.AsSpan(_outcomeStart, _outcomeCount == WholeStore ? _outcomes.Length : _outcomeCount);

    private int WinnerCount => _winnerCount == WholeStore ? _winnerStore.Length : _winnerCount;

    /// <summary>With <see cref="DecisionDetail.All"/>, the array of every candidate's outcome, filled while deciding.</summary>
    internal CandidateEntry[] AllOutcomes => _outcomes;

    internal int CandidateCount => Considered.Length;

    /// <summary>Keeps the winners, best first: <paramref name="count"/> of <paramref name="store"/> from <paramref name="start"/>.</summary>
    internal void SetWinners(DecisionWinner[] store, int start, int count)
    {
        _winnerStore = Slice(store, ref start, count, out _winnerCount);
        _winnerStart = checked((ushort)start);
    }

    /// <summary>Keeps the outcomes (see <see cref="Outcomes"/>): <paramref name="count"/> of <paramref name="store"/> from <paramref name="start"/>.</summary>
    internal void SetOutcomes(CandidateEntry[] store, int start, int count)
    {
        _outcomes = Slice(store, ref start, count, out _outcomeCount);
        _outcomeStart = checked((ushort)start);
    }

    /// <summary>
    /// The store and the 16-bit length of a slice: a slice shorter than <see cref="WholeStore"/> as it is; a longer one
    /// must be a whole array (start 0, the array's length, <see cref="WholeStore"/> kept as the length) — what the
    /// engine gives (a decision's own arrays, and a batch's request larger than a segment gets an array of its own) —
    /// else it is copied into one.
    /// </summary>
    private static T[] Slice<T>(T[] store, ref int start, int count, out ushort length)
    {
        if (count < WholeStore)
        {
            length = (ushort)count;
            return store;
        }

        if (start != 0 || count != store.Length)
        {
            var own = store.AsSpan(start, count).ToArray();
            start = 0;
            length = WholeStore;
            return own;
        }

        length = WholeStore;
        return store;
    }

    /// <summary>
    /// Every channel try of the candidates evaluated, in order: the entries merged with the tries kept in the outcomes
    /// (see <see cref="ContactlessTries"/>). For diagnostics (the benchmarks' shape of a batch); readers of one candidate use
    /// <see cref="CandidateOutcome.Channels"/>.
    /// </summary>
    internal List<ChannelEntry> ChannelTries()
    {
        var tries = new List<ChannelEntry>();
        foreach (ref readonly var outcome in Outcomes)
        {
            var contactless = outcome.Contactless;
            var total = outcome.ChannelCount + ContactlessTries.Count(contactless);
            var next = outcome.ChannelStart;
            for (var i = 0; i < total; i++)
            {
                tries.Add(ContactlessTries.At(contactless, i, out var contentIndex, out var code) ? ContactlessTries.Entry(contentIndex, code, At) : ChannelEntries[next++]);
            }
        }

        return tries;
    }

    /// <summary>The outcome of the candidate at an index (catalog order).</summary>
    internal CandidateOutcome CandidateAt(int index)
    {
        if (Detail == DecisionDetail.All)
        {
            return new CandidateOutcome(this, Outcomes[index]);
        }

        var message = Considered[index]; // a message is considered once per decision
        foreach (ref readonly var outcome in Outcomes)
        {
            if (ReferenceEquals(outcome.Message, message))
            {
                return new CandidateOutcome(this, outcome);
            }
        }

        return Unevaluated(index);
    }

    /// <summary>
    /// A candidate ranked below the last winner: it lost arbitration. Its relevance is recomputed by the same function
    /// from the same immutable inputs (the customer's consent ledger and the message), so deciding need not keep it.
    /// </summary>
    internal CandidateOutcome Unevaluated(int index)
    {
        var message = Considered[index];
        var grants = default(TopicGrants);
        var relevance = Engine.Relevance(Customer, message, ref grants, At);
        return new CandidateOutcome(this, new CandidateEntry(message, CandidateStatus.Lost, DecisionCodes.LostArbitration, CandidateEntry.ArbitrationRule, relevance, 0, 0, -1));
    }

    /// <summary>
    /// Gets the names of the customer's facts this decision read, in name order: the facts named by the conditions of
    /// the selected candidates and of the candidates their condition stopped (<c>customer.facts.X</c>,
    /// <c>customer.tier</c>, <c>customer.matrix</c>, the service flags such as <c>customer.open_complaint</c>), the service
    /// flags when <c>service_first</c> stopped a candidate, <c>tier</c> when <see cref="DecisionOptions.TierWeights"/>
    /// weighed the values, and <c>stage</c> (which candidates were considered). Only facts the customer has; a
    /// <see cref="Catalog.PredicateCondition"/> cannot be read and adds none. Each fact names the event that set it
    /// (<see cref="Events.Fact.EventId"/>), so these are the facts and events behind the decision.
    /// </summary>
    public IReadOnlyList<string> FactsRead => (_views ??= new Views()).FactsRead ??= DecisionFacts.Read(this);

    /// <summary>The decision as readable text: the winner(s), then every candidate with its code, reason, scores and channels.</summary>
    /// <returns>The text.</returns>
    public string Explain() => Explanations.Describe(this);

    /// <summary>The decision as JSON (camelCase, indented), with every candidate's code, reason, scores and channels.</summary>
    /// <returns>The JSON text.</returns>
    public string ToJson() => DecisionJson.Serialize(this);

    /// <summary>Same as <see cref="Explain"/>.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => Explain();

    /// <summary>
    /// The candidate list and the facts read, made on first read and kept: one field instead of two keeps a decision at
    /// 80 bytes (a batch of 10,000 allocates 10,000 decisions and reads few of them in full).
    /// </summary>
    private sealed class Views
    {
        public IReadOnlyList<CandidateOutcome>? Candidates;

        public IReadOnlyList<string>? FactsRead;
    }

    /// <summary>A batch decision's winners: its slice of the batch's segment, read-only (the segment is not handed out).</summary>
    private sealed class WinnerSlice(DecisionWinner[] store, int start, int count) : IReadOnlyList<DecisionWinner>
    {
        public int Count => count;

        public DecisionWinner this[int index]
        {
            get
            {
                ArgumentOutOfRangeException.ThrowIfNegative(index);
                ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, count);
                return store[start + index];
            }
        }

        public IEnumerator<DecisionWinner> GetEnumerator()
        {
            for (var i = 0; i < count; i++)
            {
                yield return store[start + i];
            }
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
