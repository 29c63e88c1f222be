namespace Personalize.Decisions;

/// <summary>
/// Where the decisions of one batch range keep what they found (<see cref="DecisionEngine.DecideMany"/>): each
/// decision's channel entries, candidate outcomes and winners are a slice of a segment shared with the range's other
/// decisions, instead of three small arrays of its own. A batch keeps all its decisions alive until it returns, so the
/// collector would copy and trace those arrays per decision; a segment holds the slices of hundreds of decisions.
/// </summary>
/// <remarks>
/// Segments stay under the large-object threshold (at most 56 KB) and are never reused: a decision's slice is
/// written once, while it is decided, and only read afterwards. A single <see cref="DecisionEngine.Decide(Catalog.CompiledCatalog, Customers.CustomerProfile, Catalog.Trigger, DateTimeOffset, DecisionDetail)"/>
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
    private DecisionWinner[] _winners = [];
    private int _winnersUsed;

    /// <summary>Room for <paramref name="count"/> channel entries: the segment, and where the room starts in it.</summary>
    public ChannelEntry[] Channels(int count, out int start) => Take(ref _channels, ref _channelsUsed, count, out start);

    /// <summary>Room for <paramref name="count"/> candidate outcomes.</summary>
    public CandidateEntry[] Outcomes(int count, out int start) => Take(ref _outcomes, ref _outcomesUsed, count, out start);

    /// <summary>Room for <paramref name="count"/> winners.</summary>
    public DecisionWinner[] Winners(int count, out int start) => Take(ref _winners, ref _winnersUsed, count, out start);

    private static T[] Take<T>(ref T[] segment, ref int used, int count, out int start)
    {
        if (count > SegmentLength)
        {
            start = 0;
            return new T[count];
        }

        if (segment.Length - used < count)
        {
            segment = new T[SegmentLength];
            used = 0;
        }

        start = used;
        used += count;
        return segment;
    }
}
