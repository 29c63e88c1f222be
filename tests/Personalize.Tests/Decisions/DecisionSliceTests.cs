using Personalize.Catalog;
using Personalize.Channels;
using Personalize.Customers;
using Personalize.Decisions;
using static Personalize.Tests.Decisions.DecisionKit;

namespace Personalize.Tests.Decisions;

/// <summary>
/// A decision keeps its candidate outcomes as a slice (start and length in 16 bits each, so a decision is 64 bytes)
/// and its winners as an array of its own or, in a batch, as a count of its selected outcomes: a slice of 65,535
/// entries or more, and as many winners, must still be reported whole and exactly, whether an array of its own or
/// part of a larger one.
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
        var decision = new Decision(Header(engine, DecisionDetail.Candidates), Customer("c"));
        var winners = new DecisionWinner[count];
        var outcomes = new CandidateEntry[start + count + 5];
        for (var i = 0; i < winners.Length; i++)
        {
            winners[i] = new DecisionWinner(message, null!, Now.UtcTicks + i, isDeferred: false, score: start + i);
        }

        for (var i = 0; i < outcomes.Length; i++)
        {
            outcomes[i] = new CandidateEntry(null!, CandidateStatus.Lost, DecisionCodes.LostArbitration, CandidateEntry.ArbitrationRule, relevance: i, 0, 0, -1);
        }

        decision.SetWinners(winners);
        decision.SetOutcomes(outcomes, start, count);

        Assert.Equal(count, decision.Winners.Count);
        Assert.Equal(start, decision.Winners[0].Score);
        Assert.Equal(start + count - 1, decision.Winners[count - 1].Score);
        Assert.Equal(count, decision.Winners.Count(w => w.Score >= start && w.Score < start + count));
        _ = decision.Candidates; // the views made on first read keep the winners
        Assert.Equal(count, decision.Winners.Count);
        Assert.Equal(start + count - 1, decision.Winners[count - 1].Score);
        Assert.Equal(count, decision.Outcomes.Length);
        Assert.Equal(start, decision.Outcomes[0].Relevance);
        Assert.Equal(start + count - 1, decision.Outcomes[count - 1].Relevance);
    }

    [Theory]
    [InlineData(65_534)]
    [InlineData(65_535)]
    [InlineData(70_000)]
    public void A_batch_decision_with_more_winners_than_16_bits_count_keeps_them_as_an_array(int count)
    {
        var engine = Engine();
        var message = new MessageDefinition { Id = "m" };
        var decision = new Decision(Header(engine, DecisionDetail.Candidates), Customer("c"));
        var winners = new DecisionWinner[count];
        for (var i = 0; i < winners.Length; i++)
        {
            winners[i] = new DecisionWinner(message, null!, Now.UtcTicks + i, isDeferred: false, score: i);
        }

        decision.SetWinnerCount(winners);
        if (count < ushort.MaxValue)
        {
            // Counted only: its winners would be its selected outcomes (it has none here, so none are read).
            Assert.True(decision.HasWinner);
            return;
        }

        Assert.Equal(count, decision.Winners.Count);
        Assert.Equal(count - 1, decision.Winners[count - 1].Score);
    }

    [Fact]
    public void A_whole_array_of_65535_or_more_entries_is_kept_not_copied()
    {
        var engine = Engine();
        var decision = new Decision(Header(engine, DecisionDetail.All), Customer("c"));
        var all = new CandidateEntry[70_000];
        decision.SetOutcomes(all, 0, all.Length);

        // DecisionDetail.All fills this array while deciding: the decision must read the same one.
        Assert.Same(all, decision.AllOutcomes);
        Assert.Equal(all.Length, decision.Outcomes.Length);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void A_batch_decision_reports_the_winners_a_single_decision_keeps(int maxWinners)
    {
        // Weighted tiers (the score's value factor), deferrals and several winners: each batch decision's winners,
        // made from its selected outcomes, are the single decision's, bit for bit.
        var engine = Engine(o =>
        {
            o.MaxWinners = maxWinners;
            o.TierWeights["gold"] = new TierValueWeights { Purposes = { [ContactPurpose.Relationship] = 1.7, [ContactPurpose.Marketing] = 0.3 } };
        });
        var catalog = Compile(engine, b => b
            .Add("promo", m => m.OnSchedule().Value(3).Priority(2).Channel(Channel.Email, "t").Channel(Channel.Sms, "s"))
            .Add("thanks", m => m.Relationship().OnSchedule().Value(2).Channel(Channel.Sms, "t").Channel(Channel.Email, "e"))
            .Add("tip", m => m.OnSchedule().Value(1.1).Priority(3).Channel(Channel.Email, "t")));
        var customers = Enumerable.Range(0, 40).Select(i => InTier($"c{i}", i % 3 == 0 ? "gold" : i % 3 == 1 ? "silver" : null, quiet: i % 4 == 0)).ToArray();
        foreach (var at in new[] { Now, Now.AddHours(13) })
        {
            var batch = engine.DecideMany(catalog, customers, Trigger.Tick, at, maxDegreeOfParallelism: 1);
            for (var i = 0; i < customers.Length; i++)
            {
                var single = engine.Decide(catalog, customers[i], Trigger.Tick, at);
                Assert.Equal(single.HasWinner, batch[i].HasWinner);
                Assert.Equal(single.Winners.Count, batch[i].Winners.Count);
                for (var w = 0; w < single.Winners.Count; w++)
                {
                    var (expected, actual) = (single.Winners[w], batch[i].Winners[w]);
                    Assert.Same(expected.Message, actual.Message);
                    Assert.Same(expected.Content, actual.Content);
                    Assert.Equal(expected.SendAt, actual.SendAt);
                    Assert.Equal(expected.IsDeferred, actual.IsDeferred);
                    Assert.Equal(BitConverter.DoubleToInt64Bits(expected.Score), BitConverter.DoubleToInt64Bits(actual.Score));
                }

                Assert.Same(batch[i].Winners, batch[i].Winners); // made once, then kept
                Assert.Equal(single.ToJson(), batch[i].ToJson());
            }
        }
    }

    private static DecisionHeader Header(DecisionEngine engine, DecisionDetail detail)
        => DecisionHeader.Create(engine, Compile(engine, b => b.Add("m", m => m.OnSchedule().Channel(Channel.Email, "t"))), Trigger.Tick, Now, detail, null);

    private static CustomerProfile InTier(string id, string? tier, bool quiet)
    {
        // Quiet hours over the decision instant (11:00 Berlin) defer the sends of every fourth customer.
        var preferences = new ContactPreferences
        {
            ChannelRanking = quiet ? [Channel.Sms, Channel.Email] : [Channel.Email, Channel.Sms],
            QuietHours = quiet ? Window(8, 0, 20, 0) : null,
        };
        return Customer(id, preferences: preferences) with
        {
            Facts = tier is null ? Personalize.Events.CustomerFacts.Empty : Personalize.Events.CustomerFacts.Create([new("tier", new Personalize.Events.Fact(tier, Now, "tick:1"))]),
        };
    }
}
