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

    // A single decision's own winners (DecisionWinner[]), or the lists made on first read (Views, which then keeps
    // those winners); null when neither. A batch's decision keeps no winners: they are its selected outcomes (see
    // DerivedWinners). One field for both keeps a decision at 64 bytes (a batch of 10,000 allocates 10,000 decisions
    // and reads few of them in full).
    private object? _more;
    private CandidateEntry[] _outcomes = [];

    // Where the outcomes' slice starts (0 for a decision's own array, below DecisionArena.SegmentLength in a batch's
    // segment) and how long it is; a slice of WholeStore or more entries is a whole array of its own (see Slice), so
    // 16-bit fields do. The winners are counted (WholeStore: a single decision's own array, whatever its length).
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
    /// <remarks>A decision of a batch (<see cref="DecisionEngine.DecideMany"/>) makes its list on first read, from its selected candidates, and keeps it.</remarks>
    public IReadOnlyList<DecisionWinner> Winners => _winnerCount == 0 ? [] : _more as DecisionWinner[] ?? KeptWinners();

    /// <summary>Every candidate considered, in catalog order, with its outcome.</summary>
    public IReadOnlyList<CandidateOutcome> Candidates => ViewsOf().Candidates ??= CandidateCount == 0 ? [] : new CandidateList(this);

    /// <summary>Whether any message goes out.</summary>
    public bool HasWinner => _winnerCount > 0;

    internal DecisionEngine Engine => _header.Engine;

    /// <summary>The channels tried, per candidate a contiguous range (see <see cref="CandidateEntry"/>).</summary>
    internal ChannelEntry[] ChannelEntries { get; set; } = [];

    /// <summary>
    /// The messages considered, in catalog order (the compiled catalog's shared array): read again from the catalog (the
    /// trigger's candidates for the customer's stage, or every message with <see cref="DecisionDetail.All"/>) rather
    /// than kept, as the engine chose them; the same array instance.
    /// </summary>
    internal CompiledMessage[] Considered => _header.Considered(Customer);

    /// <summary>
    /// With <see cref="DecisionDetail.All"/>: every candidate's outcome, in catalog order. Otherwise the outcomes of the
    /// candidates evaluated (best first); the others lost arbitration unevaluated. A slice of <see cref="_outcomes"/>
    /// (in a batch, a segment shared with other decisions; see <see cref="DecisionArena"/>).
    /// </summary>
    internal ReadOnlySpan<CandidateEntry> Outcomes => _outcomes.AsSpan(_outcomeStart, _outcomeCount == WholeStore ? _outcomes.Length : _outcomeCount);

    /// <summary>With <see cref="DecisionDetail.All"/>, the array of every candidate's outcome, filled while deciding.</summary>
    internal CandidateEntry[] AllOutcomes => _outcomes;

    internal int CandidateCount => Considered.Length;

    /// <summary>Keeps a single decision's winners, best first: an array of its own.</summary>
    internal void SetWinners(DecisionWinner[] own)
    {
        _more = own;
        _winnerCount = WholeStore;
    }

    /// <summary>
    /// A batch's decision: how many winners it had (its selected outcomes, see <see cref="DerivedWinners"/>); nothing
    /// else is kept of them.
    /// </summary>
    internal void SetWinnerCount(ReadOnlySpan<DecisionWinner> winners)
    {
        if (winners.Length < WholeStore)
        {
            _winnerCount = (ushort)winners.Length;
        }
        else
        {
            SetWinners(winners.ToArray()); // more winners than 16 bits count: an array of its own
        }
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
                tries.Add(ContactlessTries.At(contactless, i, At.UtcTicks, out var kept) ? kept : ChannelEntries[next++]);
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
    public IReadOnlyList<string> FactsRead => ViewsOf().FactsRead ??= DecisionFacts.Read(this);

    /// <summary>The decision as readable text: the winner(s), then every candidate with its code, reason, scores and channels.</summary>
    /// <returns>The text.</returns>
    public string Explain() => Explanations.Describe(this);

    /// <summary>The decision as JSON (camelCase, indented), with every candidate's code, reason, scores and channels.</summary>
    /// <returns>The JSON text.</returns>
    public string ToJson() => DecisionJson.Serialize(this);

    /// <summary>Same as <see cref="Explain"/>.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => Explain();

    /// <summary>The lists made on first read; a single decision's own winners move into it.</summary>
    private Views ViewsOf()
    {
        switch (_more)
        {
            case Views views:
                return views;
            case DecisionWinner[] own:
                var moved = new Views { Winners = own };
                _more = moved;
                return moved;
            default:
                var made = new Views();
                _more = made;
                return made;
        }
    }

    /// <summary>The winners kept in the views, or (a batch's decision) made from its selected outcomes on first read and kept there.</summary>
    private DecisionWinner[] KeptWinners()
    {
        var views = ViewsOf();
        return views.Winners ??= DerivedWinners();
    }

    /// <summary>
    /// A batch's decision's winners, from its outcomes: with <see cref="DecisionDetail.Candidates"/> (a batch's detail)
    /// the outcomes are in evaluation order and a candidate is selected exactly when it won, so the selected ones are
    /// the winners, best first. Each is what the engine would have kept: the message, the chosen channel's content,
    /// send instant and deferral, and the score by the same function of the same inputs (priority, relevance, value
    /// with the customer's tier weight) that ranked it.
    /// </summary>
    private DecisionWinner[] DerivedWinners()
    {
        var winners = new DecisionWinner[_winnerCount];
        var engine = Engine;
        var tier = engine.TierOf(Customer);
        var entries = ChannelEntries;
        var n = 0;
        foreach (ref readonly var outcome in Outcomes)
        {
            if (outcome.Status != CandidateStatus.Selected)
            {
                continue;
            }

            var message = outcome.Message!;
            outcome.TryChosen(entries, At.UtcTicks, out var chosen);
            var score = engine.Score(message.Priority, outcome.Relevance, DecisionEngine.ValueOf(message, tier));
            winners[n++] = new DecisionWinner(message.Definition, message.Contents[chosen.ContentIndex], chosen.SendAtTicks, chosen.Kind == ChannelEntry.Outcome.Deferred, score);
        }

        System.Diagnostics.Debug.Assert(n == winners.Length, "one selected outcome per winner");
        return winners;
    }

    /// <summary>The candidate list, the facts read and the winners, made on first read and kept (see <see cref="_more"/>).</summary>
    private sealed class Views
    {
        public IReadOnlyList<CandidateOutcome>? Candidates;

        public IReadOnlyList<string>? FactsRead;

        public DecisionWinner[]? Winners;
    }
}
