using System.Text.Json;
using Personalize.Catalog;
using Personalize.Channels;
using Personalize.Customers;
using Personalize.Decisions;
using static Personalize.Tests.Decisions.DecisionKit;

namespace Personalize.Tests.Decisions;

public sealed class ExplanationTests
{
    private static Decision Sample(DecisionDetail detail = DecisionDetail.All)
    {
        var engine = Engine();
        var catalog = Compile(engine, b => b
            .Add("shipped", m => m.Service().OnEvent("order_shipped").Priority(10).Channel(Channel.Sms, "shipped/sms").Channel(Channel.Email, "shipped/email"))
            .Add("promo", m => m.OnEvent("order_shipped").Priority(2).Channel(Channel.Email, "promo/email"))
            .Add("survey", m => m.Relationship().Ask().OnEvent("order_shipped").Channel(Channel.Email, "survey/email")));
        var customer = Customer(preferences: new ContactPreferences { ChannelRanking = [Channel.Sms, Channel.Email], QuietHours = Window(22, 0, 7, 0) });
        return engine.Decide(catalog, customer, Trigger.Event("order_shipped"), new DateTimeOffset(2026, 3, 11, 22, 0, 0, TimeSpan.Zero), detail);
    }

    [Fact]
    public void Text_lists_the_winner_then_every_candidate_with_code_reason_scores_and_channels()
    {
        var text = Sample().Explain();

        Assert.Equal(
            """
            Decision for c-1 on event:order_shipped at 2026-03-11 22:00 UTC (Wed 11 March 2026 23:00 Europe/Berlin)
            Winner: shipped on SMS (template shipped/sms), deferred to Thu 12 March 2026 07:00 Europe/Berlin, score 5
            Candidates (3):
              shipped                  selected                     score 5 = priority 10 × relevance 0.5 × value 1
                  Selected on SMS, deferred to Thu 12 March 2026 07:00 Europe/Berlin: quiet hours 22:00–07:00 in Europe/Berlin (local time Wed 23:00); next allowed Thu 12 March 2026 07:00.
                  SMS: timing.deferred — Deferred to Thu 12 March 2026 07:00 Europe/Berlin: quiet hours 22:00–07:00 in Europe/Berlin (local time Wed 23:00); next allowed Thu 12 March 2026 07:00.
                  Email: timing.deferred — Deferred to Thu 12 March 2026 07:00 Europe/Berlin: quiet hours 22:00–07:00 in Europe/Berlin (local time Wed 23:00); next allowed Thu 12 March 2026 07:00.
              promo                    arbitration.lost             score 1 = priority 2 × relevance 0.5 × value 1
                  Lost arbitration to shipped: its score 1 is below 5; one message per decision.
                  Email: timing.deferred — Deferred to Thu 12 March 2026 07:00 Europe/Berlin: quiet hours 22:00–07:00 in Europe/Berlin (local time Wed 23:00); next allowed Thu 12 March 2026 07:00.
              survey                   ask.not_enough_gives         score 0.5 = priority 1 × relevance 0.5 × value 1
                  Only 0 gives ever; an ask needs 2 (give before ask).

            """.ReplaceLineEndings("\n"),
            text);
    }

    [Fact]
    public void Json_carries_winners_codes_reasons_scores_and_channels()
    {
        using var json = JsonDocument.Parse(Sample().ToJson());
        var root = json.RootElement;

        Assert.Equal("c-1", root.GetProperty("customerId").GetString());
        Assert.Equal("event:order_shipped", root.GetProperty("trigger").GetString());
        var winner = root.GetProperty("winners")[0];
        Assert.Equal("shipped", winner.GetProperty("messageId").GetString());
        Assert.Equal("sms", winner.GetProperty("channel").GetString());
        Assert.True(winner.GetProperty("deferred").GetBoolean());
        Assert.Equal(new DateTimeOffset(2026, 3, 12, 6, 0, 0, TimeSpan.Zero), winner.GetProperty("sendAt").GetDateTimeOffset());
        var survey = root.GetProperty("candidates")[2];
        Assert.Equal("suppressed", survey.GetProperty("status").GetString());
        Assert.Equal("ask.not_enough_gives", survey.GetProperty("code").GetString());
        Assert.Equal("give_before_ask", survey.GetProperty("rule").GetString());
        Assert.Equal(0.5, survey.GetProperty("score").GetDouble());
        Assert.Equal("timing.deferred", root.GetProperty("candidates")[0].GetProperty("channels")[1].GetProperty("code").GetString());
    }

    [Fact]
    public void By_default_candidates_ranked_below_the_winner_are_not_evaluated_and_lose_arbitration()
    {
        var decision = Sample(DecisionDetail.Candidates);

        Assert.Equal("shipped", decision.Winners[0].MessageId);
        var promo = Outcome(decision, "promo");
        var survey = Outcome(decision, "survey");
        Assert.Equal(DecisionCodes.LostArbitration, promo.Code);
        Assert.Empty(promo.Channels);
        Assert.Equal(DecisionCodes.LostArbitration, survey.Code); // give before ask was not even needed
        Assert.Equal("Lost arbitration to shipped: its score 0.5 is below 5; one message per decision.", survey.Reason);
    }

    [Fact]
    public void No_winner_says_so()
    {
        var engine = Engine();
        var catalog = Compile(engine, b => b.Add("promo", m => m.OnSchedule().Channel(Channel.Email, "t")));

        var decision = engine.Decide(catalog, Customer(consents: []), Trigger.Tick, Now);

        Assert.Contains("\nNo message goes out.\n", decision.ToString(), StringComparison.Ordinal);
        Assert.Empty(decision.Winners);
        Assert.Equal(CandidateStatus.Suppressed, decision.Candidates[0].Status);
    }

    [Fact]
    public void A_trigger_no_message_answers_gives_an_empty_decision()
    {
        var engine = Engine();
        var catalog = Compile(engine, b => b.Add("promo", m => m.OnSchedule().Channel(Channel.Email, "t")));

        var decision = engine.Decide(catalog, Customer(), Trigger.Event("nothing"), Now);

        Assert.False(decision.HasWinner);
        Assert.Empty(decision.Candidates);
    }
}
