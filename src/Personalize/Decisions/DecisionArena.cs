namespace Personalize.Decisions;

/// <summary>
/// Where the decisions of one batch range keep what they found (<see cref="DecisionEngine.DecideMany"/>): each
/// decision's channel entries and candidate outcomes are a slice of a segment shared with the range's other
/// decisions, instead of small arrays of its own (its winners are its selected outcomes: see <see cref="Decision.Winners"/>). A batch keeps all its decisions alive until it returns, so the
/// collector would copy and trace those arrays per decision; a segment holds the slices of hundreds of decisions.
/// </summary>
/// <remarks>
/// Segments stay under the large-object threshold (at most 56 KB) and are never reused: a decision writes its
/// entries in place, in the room past the slices kept so far (no scratch buffer copied at its end), keeps the slice it
/// used, and it is only read afterwards (room a decision wrote but did not keep is the next decision's). A single <see cref="DecisionEngine.Decide(Catalog.CompiledCatalog, Customers.CustomerProfile, Catalog.Trigger, DateTimeOffset, DecisionDetail)"/>
/// allocates its own arrays (a segment would keep a kept decision's neighbours' room alive). Not thread-safe: one
/// arena per range, decided on one thread.
/// </remarks>
internal sealed class DecisionArena
{
    /// <summary>The entries per segment (a larger request gets an array of its own).</summary>
    internal const int SegmentLength = 1024;

    private ChannelEntry[] _channels = [];
    private int _channelsUsed;
    private CandidateEntry[] _outcomes = [];
    private int _outcomesUsed;

    /// <summary>
    /// Room for at least <paramref name="least"/> channel entries, written in place by the decision in progress: the
    /// segment (a new one when the current one has less room left; an array of its own for more than a segment) and
    /// where the room starts. The room stays free until <see cref="KeepChannels"/>.
    /// </summary>
    public ChannelEntry[] ChannelRoom(int least, out int start) => Room(ref _channels, ref _channelsUsed, least, out start);

    /// <summary>Keeps a decision's channel entries: the segment's room up to <paramref name="end"/> is taken.</summary>
    public void KeepChannels(ChannelEntry[] segment, int end) => Keep(_channels, ref _channelsUsed, segment, end);

    /// <summary>Room for at least <paramref name="least"/> candidate outcomes (see <see cref="ChannelRoom"/>).</summary>
    public CandidateEntry[] OutcomeRoom(int least, out int start) => Room(ref _outcomes, ref _outcomesUsed, least, out start);

    /// <summary>Keeps a decision's candidate outcomes up to <paramref name="end"/> (see <see cref="KeepChannels"/>).</summary>
    public void KeepOutcomes(CandidateEntry[] segment, int end) => Keep(_outcomes, ref _outcomesUsed, segment, end);

    private static T[] Room<T>(ref T[] segment, ref int used, int least, out int start)
    {
        if (least > SegmentLength)
        {
            start = 0;
            return new T[least];
        }

        if (segment.Length - used < least)
        {
            segment = new T[SegmentLength];
            used = 0;
        }

        start = used;
        return segment;
    }

    private static void Keep<T>(T[] current, ref int used, T[] segment, int end)
    {
        if (ReferenceEquals(segment, current))
        {
            used = end;
        }
    }
}
