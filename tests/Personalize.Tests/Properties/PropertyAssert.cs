using System.Text;
using Personalize.Decisions;
using Personalize.Eligibility;
using Xunit.Sdk;

namespace Personalize.Tests.Properties;

/// <summary>The checks the property suite makes on one scenario; each throws with a description of the first difference.</summary>
public static class PropertyAssert
{
    private static long s_decisions;

    /// <summary>How many decisions have been checked against the model in this process.</summary>
    public static long Decisions => Interlocked.Read(ref s_decisions);

    /// <summary>The documented codes of each rule a candidate can be stopped by (docs/decision-engine.md).</summary>
    public static readonly IReadOnlyDictionary<string, string[]> CandidateCodes = new Dictionary<string, string[]>
    {
        ["eligibility"] = [DecisionCodes.Trigger, DecisionCodes.Stage, DecisionCodes.Expired, DecisionCodes.Condition, DecisionCodes.ConditionError],
        ["pause"] = [DecisionCodes.Paused],
        ["service_first"] = [DecisionCodes.OpenComplaint, DecisionCodes.FailedPayment, DecisionCodes.Detractor],
        ["topics"] = [DecisionCodes.TopicUnsubscribed, DecisionCodes.NotRelevant],
        ["give_before_ask"] = [DecisionCodes.NotEnoughGives, DecisionCodes.OneAskPerContact],
        ["message_caps"] = [DecisionCodes.MessageCap],
        ["channel_selection"] = [DecisionCodes.NoChannelAllowed],
        ["arbitration"] = [DecisionCodes.Selected, DecisionCodes.LostArbitration],
    };

    /// <summary>The documented channel codes: consent's (<c>consent.*</c>, <c>contact_point.missing</c>), frequency's and timing's.</summary>
    public static bool IsDocumentedChannelCode(string code)
        => code.StartsWith("consent.", StringComparison.Ordinal)
           || code is EligibilityCodes.ContactPointMissing or DecisionCodes.ChannelCap or DecisionCodes.OverallCap
               or DecisionCodes.QuietHours or DecisionCodes.OutsidePreferredTime or DecisionCodes.NoAllowedTime or DecisionCodes.PastExpiry
               or DecisionCodes.Deferred or DecisionCodes.Allowed;

    /// <summary>Both detail levels of the engine's decision equal the model's, the decision is deterministic, and its codes and explanation are documented.</summary>
    public static void DecisionMatchesModel(Scenario scenario)
    {
        var built = scenario.Build();
        var model = new ReferenceModel(scenario);
        foreach (var detail in new[] { DecisionDetail.Candidates, DecisionDetail.All })
        {
            var decision = built.Engine.Decide(built.Catalog, built.Customer, built.Trigger, scenario.At, detail);
            Interlocked.Increment(ref s_decisions);
            Matches(decision, model.Decide(detail), detail);
            Holds(scenario, model, decision);
            Documented(decision);
            var again = built.Engine.Decide(built.Catalog, built.Customer, built.Trigger, scenario.At, detail);
            Equal(decision.ToJson(), again.ToJson(), "the same decision twice");
        }
    }

    /// <summary>The engine's decision equals the model's: winners, and per candidate its status, code, rule, relevance and channels.</summary>
    public static void Matches(Decision decision, ReferenceModel.Result expected, DecisionDetail detail)
    {
        var what = $"[{detail}] ";
        var winners = decision.Winners.Select(w => new ReferenceModel.Winner(w.MessageId, w.Channel.ToString(), w.SendAt, w.IsDeferred)).ToList();
        Equal(string.Join("; ", expected.Winners), string.Join("; ", winners), what + "winners");
        Equal(string.Join(",", expected.Candidates.Keys.Order()), string.Join(",", decision.Candidates.Select(c => c.MessageId).Order()), what + "candidates");
        foreach (var candidate in decision.Candidates)
        {
            var model = expected.Candidates[candidate.MessageId];
            var at = $"{what}{candidate.MessageId}: ";
            Equal(model.Status.ToString(), candidate.Status.ToString(), at + "status");
            Equal(model.Code, candidate.Code, at + "code");
            Equal(model.Rule, candidate.Rule, at + "rule");
            Equal(model.Relevance.ToString("R"), candidate.Relevance.ToString("R"), at + "relevance");
            var channels = candidate.Channels;
            Equal(string.Join(",", model.Channels.Select(c => c.Channel)), string.Join(",", channels.Select(c => c.Channel.ToString())), at + "channels tried");
            for (var i = 0; i < channels.Count; i++)
            {
                var m = model.Channels[i];
                var e = channels[i];
                var where = $"{at}{e.Channel}: ";
                Equal(m.Status.ToString(), e.Status.ToString(), where + "status");
                if (!m.Codes.Contains(e.Code))
                {
                    Fail(where + "code", string.Join(" or ", m.Codes), e.Code);
                }

                Equal(m.Dropped.ToString(), e.Dropped.ToString(), where + "dropped");
                if (m.Usable)
                {
                    Equal(m.SendAt?.ToString("O"), e.SendAt?.ToString("O"), where + "send instant");
                }
            }
        }
    }

    /// <summary>The promises, checked directly on the winners (the model's equality implies them; these name the broken one).</summary>
    public static void Holds(Scenario scenario, ReferenceModel model, Decision decision)
    {
        var sent = new List<ReferenceModel.Sent>();
        var asks = 0;
        foreach (var winner in decision.Winners)
        {
            var message = scenario.Messages.Single(m => m.Id == winner.MessageId);
            var channel = winner.Channel.ToString();
            var what = $"winner {winner.MessageId} on {channel} at {winner.SendAt:O}: ";
            Check(winner.SendAt >= scenario.At, what + "not before the decision");
            Check(winner.SendAt <= message.Expiry(scenario.At), what + "not after the message's expiry");
            Check(ReferenceModel.HasContactPoint(scenario, channel), what + "a contact point");
            Check(model.ChannelConsent(channel, message.Purpose, scenario.At) == EligibilityCodes.Allowed, what + "consent at the decision instant");
            Check(model.ChannelConsent(channel, message.Purpose, winner.SendAt) == EligibilityCodes.Allowed, what + "consent at the send instant");
            Check(message.Topics.All(t => model.TopicState(t, scenario.At) != ReferenceModel.State.Withdrawn), what + "no unsubscribed topic");
            if (ReferenceModel.RespectsTiming(channel))
            {
                Check(!model.IsQuiet(winner.SendAt), what + "outside quiet hours");
                Check(!model.PreferredApplies(message.Purpose) || model.IsPreferred(winner.SendAt), what + "inside preferred times");
            }

            Check(model.FirstBroken(channel, message.Purpose, winner.SendAt, sent) is null, what + "every cap over every rolling window, with the earlier winners");
            Check(message.Purpose == ContactPurpose.Service || !(scenario.OpenComplaint || scenario.FailedPayment || scenario.Nps is >= 0 and <= 6), what + "service before promotion");
            asks += message.Kind == MessageKind.Ask ? 1 : 0;
            sent.Add(new(winner.SendAt, channel, message.Purpose));
        }

        Check(asks <= scenario.Options.MaxAsks, $"at most {scenario.Options.MaxAsks} asks per decision");
        Check(decision.Winners.Count <= scenario.Options.MaxWinners, $"at most {scenario.Options.MaxWinners} winners");
    }

    /// <summary>Every code is one of its rule's documented codes, and the explanation words each one.</summary>
    public static void Documented(Decision decision)
    {
        var text = decision.Explain();
        foreach (var candidate in decision.Candidates)
        {
            Check(CandidateCodes.TryGetValue(candidate.Rule, out var codes) && codes.Contains(candidate.Code), $"{candidate.MessageId}: code {candidate.Code} is documented for rule '{candidate.Rule}'");
            Check(text.Contains(candidate.Code, StringComparison.Ordinal) && candidate.Reason.Length > 0 && !candidate.Reason.StartsWith("Stopped by", StringComparison.Ordinal), $"{candidate.MessageId}: Explain() words {candidate.Code}");
            foreach (var channel in candidate.Channels)
            {
                Check(IsDocumentedChannelCode(channel.Code), $"{candidate.MessageId} on {channel.Channel}: {channel.Code} is a documented channel code");
                Check(channel.Reason.Length > 0 && !channel.Reason.StartsWith("Stopped by", StringComparison.Ordinal) && text.Contains(channel.Code, StringComparison.Ordinal), $"{candidate.MessageId} on {channel.Channel}: Explain() words {channel.Code}");
            }
        }

        Check(decision.ToJson().Contains("\"rule\"", StringComparison.Ordinal) || decision.Candidates.Count == 0, "the JSON names each candidate's rule");
    }

    /// <summary><c>DecideMany</c> gives, in order, what <c>Decide</c> gives for each customer, and each matches the model.</summary>
    public static void BatchMatches(Scenario[] customers)
    {
        var first = customers[0];
        var built = first.Build();
        var profiles = customers.Select((s, i) => s.Customer("c-" + i)).ToArray();
        var batch = built.Engine.DecideMany(built.Catalog, profiles, built.Trigger, first.At, maxDegreeOfParallelism: 2);
        var snapshot = built.Engine.DecideMany(built.Catalog, global::Personalize.Customers.CustomerSnapshot.Create(profiles), built.Trigger, first.At, maxDegreeOfParallelism: 1);
        for (var i = 0; i < customers.Length; i++)
        {
            var single = built.Engine.Decide(built.Catalog, profiles[i], built.Trigger, first.At);
            Interlocked.Increment(ref s_decisions);
            Equal(single.ToJson(), batch[i].ToJson(), $"DecideMany[{i}] = Decide");
            Equal(single.ToJson(), snapshot[i].ToJson(), $"DecideMany over a CustomerSnapshot [{i}] = Decide");
            Equal(single.Explain(), snapshot[i].Explain(), $"DecideMany over a CustomerSnapshot [{i}] explains as Decide");
            Matches(single, new ReferenceModel(customers[i]).Decide(DecisionDetail.Candidates), DecisionDetail.Candidates);
        }
    }

    private static void Check(bool condition, string promise)
    {
        if (!condition)
        {
            throw new XunitException("Broken promise: " + promise);
        }
    }

    private static void Equal(string? expected, string? actual, string what)
    {
        if (!string.Equals(expected, actual, StringComparison.Ordinal))
        {
            Fail(what, expected, actual);
        }
    }

    private static void Fail(string what, string? expected, string? actual)
        => throw new XunitException(new StringBuilder().Append(what).Append(" differs from the model\n  model:  ").Append(expected).Append("\n  engine: ").Append(actual).ToString());
}
