using System.Collections;

namespace Personalize.Decisions;

/// <summary>
/// A decision's candidates, in catalog order, built on read from what the decision keeps: the outcomes of the
/// candidates it evaluated; the rest (ranked below the last winner, never evaluated) lost arbitration, and their
/// relevance is recomputed when read (<see cref="Decision.Unevaluated"/>), so deciding stores nothing for them.
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
