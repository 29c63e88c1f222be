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
    private IReadOnlyList<CandidateOutcome>? _candidates;
    private IReadOnlyList<string>? _factsRead;
    private DecisionWinner[] _winnerStore = [];
    private CandidateEntry[] _outcomes = [];
    private int _winnerCount;
    private int _outcomeCount;

    // Where the slices start: 0 for a decision's own arrays, below DecisionArena.SegmentLength in a batch's segment.
    private ushort _winnerStart;
    private ushort _outcomeStart;

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
        : _winnerStart == 0 && _winnerCount == _winnerStore.Length ? _winnerStore
        : new WinnerSlice(_winnerStore, _winnerStart, _winnerCount);

    /// <summary>Every candidate considered, in catalog order, with its outcome.</summary>
    public IReadOnlyList<CandidateOutcome> Candidates => _candidates ??= CandidateCount == 0 ? [] : new CandidateList(this);

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
    internal ReadOnlySpan<CandidateEntry> Outcomes => _outcomes.AsSpan(_outcomeStart, _outcomeCount);

    /// <summary>With <see cref="DecisionDetail.All"/>, the array of every candidate's outcome, filled while deciding.</summary>
    internal CandidateEntry[] AllOutcomes => _outcomes;

    internal int CandidateCount => Considered.Length;

    /// <summary>Keeps the winners, best first: <paramref name="count"/> of <paramref name="store"/> from <paramref name="start"/>.</summary>
    internal void SetWinners(DecisionWinner[] store, int start, int count)
    {
        _winnerStore = store;
        _winnerStart = checked((ushort)start);
        _winnerCount = count;
    }

    /// <summary>Keeps the outcomes (see <see cref="Outcomes"/>): <paramref name="count"/> of <paramref name="store"/> from <paramref name="start"/>.</summary>
    internal void SetOutcomes(CandidateEntry[] store, int start, int count)
    {
        _outcomes = store;
        _outcomeStart = checked((ushort)start);
        _outcomeCount = count;
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
        return new CandidateOutcome(this, new CandidateEntry(message, CandidateStatus.Lost, DecisionCodes.LostArbitration, "arbitration", relevance, 0, 0, -1));
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
    public IReadOnlyList<string> FactsRead => _factsRead ??= DecisionFacts.Read(this);

    /// <summary>The decision as readable text: the winner(s), then every candidate with its code, reason, scores and channels.</summary>
    /// <returns>The text.</returns>
    public string Explain() => Explanations.Describe(this);

    /// <summary>The decision as JSON (camelCase, indented), with every candidate's code, reason, scores and channels.</summary>
    /// <returns>The JSON text.</returns>
    public string ToJson() => DecisionJson.Serialize(this);

    /// <summary>Same as <see cref="Explain"/>.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => Explain();

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
