using Personalize.Catalog;
using Personalize.Decisions;
using static Personalize.Tests.Decisions.DecisionKit;

namespace Personalize.Tests.Decisions;

/// <summary>
/// A decision keeps its winners and candidate outcomes as slices (start and length in 16 bits each, so a decision is
/// 80 bytes): a slice of 65,535 entries or more must still be reported whole and exactly, whether it is an array of
/// its own or part of a larger one.
/// </summary>
public sealed class DecisionSliceTests
{
    [Theory]
    [InlineData(0, 3)]
    [InlineData(0, 65_534)]
    [InlineData(0, 65_535)]
    [InlineData(0, 70_000)]
    [InlineData(7, 65_535)]
    [InlineData(7, 70_000)]
    public void Winners_and_outcomes_of_any_length_read_back_exactly(int start, int count)
    {
        var engine = Engine();
        var message = new MessageDefinition { Id = "m" };
        var decision = new Decision(DecisionHeader.Create(engine, Trigger.Tick, Now, DecisionDetail.Candidates, null), Customer("c"));
        var winners = new DecisionWinner[start + count + 5];
        var outcomes = new CandidateEntry[start + count + 5];
        for (var i = 0; i < winners.Length; i++)
        {
            winners[i] = new DecisionWinner(message, null!, Now.UtcTicks + i, isDeferred: false, score: i);
            outcomes[i] = new CandidateEntry(null!, CandidateStatus.Lost, DecisionCodes.LostArbitration, CandidateEntry.ArbitrationRule, relevance: i, 0, 0, -1);
        }

        decision.SetWinners(winners, start, count);
        decision.SetOutcomes(outcomes, start, count);

        Assert.Equal(count, decision.Winners.Count);
        Assert.Equal(start, decision.Winners[0].Score);
        Assert.Equal(start + count - 1, decision.Winners[count - 1].Score);
        Assert.Equal(count, decision.Winners.Count(w => w.Score >= start && w.Score < start + count));
        Assert.Equal(count, decision.Outcomes.Length);
        Assert.Equal(start, decision.Outcomes[0].Relevance);
        Assert.Equal(start + count - 1, decision.Outcomes[count - 1].Relevance);
    }

    [Fact]
    public void A_whole_array_of_65535_or_more_entries_is_kept_not_copied()
    {
        var engine = Engine();
        var decision = new Decision(DecisionHeader.Create(engine, Trigger.Tick, Now, DecisionDetail.All, null), Customer("c"));
        var all = new CandidateEntry[70_000];
        decision.SetOutcomes(all, 0, all.Length);

        // DecisionDetail.All fills this array while deciding: the decision must read the same one.
        Assert.Same(all, decision.AllOutcomes);
        Assert.Equal(all.Length, decision.Outcomes.Length);
    }
}
