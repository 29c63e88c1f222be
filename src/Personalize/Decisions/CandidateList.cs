using System.Collections;

namespace Personalize.Decisions;

/// <summary>
/// A decision's candidates, in catalog order, built on read from what the decision keeps: the outcomes of the
/// candidates it evaluated, and for the rest (ranked below the last winner, never evaluated) only the relevance —
/// so deciding stores 8 bytes, not a whole outcome, per candidate it did not need to look at.
/// </summary>
internal sealed class CandidateList(Decision decision) : IReadOnlyList<CandidateOutcome>
{
    public int Count => decision.CandidateCount;

    public CandidateOutcome this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
            return decision.CandidateAt(index);
        }
    }

    public IEnumerator<CandidateOutcome> GetEnumerator()
    {
        var count = Count;
        for (var i = 0; i < count; i++)
        {
            yield return decision.CandidateAt(i);
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
