using System.Globalization;
using System.Text;
using Personalize.Catalog;
using Personalize.Channels;
using Personalize.Consent;
using Personalize.Customers;
using Personalize.Eligibility;

namespace Personalize.Decisions;

/// <summary>Words decisions for people: one sentence per outcome, built from the facts kept by the rules, only when asked.</summary>
internal static class Explanations
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    public static string CandidateReason(Decision decision, CompiledMessage message, in CandidateOutcome outcome)
    {
        var result = outcome.Result;
        if (result.Reason is { } hostReason)
        {
            return hostReason;
        }

        var customer = decision.Customer;
        switch (outcome.Code)
        {
            case DecisionCodes.Selected:
                {
                    outcome.TryChosen(out var chosen);
                    var channel = new ChannelOutcome(decision, message, chosen);
                    var name = Display(decision, channel.Channel);
                    return channel.IsDeferred
                        ? $"Selected on {name}, {Lower(ChannelReason(decision, message, channel))}"
                        : $"Selected on {name}, sent now (score {Score(outcome.Score)}).";
                }

            case DecisionCodes.LostArbitration:
                return LostReason(decision, outcome);
            case DecisionCodes.OneAskPerContact:
                return $"Another ask already goes in this contact ({WinningAsk(decision)}); at most {AskLimitWords(decision)} per contact.";
            case DecisionCodes.NoChannelAllowed:
                {
                    var parts = new List<string>();
                    foreach (var channel in outcome.Channels)
                    {
                        parts.Add($"{Display(decision, channel.Channel)} — {channel.Code}");
                    }

                    return parts.Count == 0
                        ? "None of its channels can be used."
                        : $"No channel can be used: {string.Join("; ", parts)}.";
                }

            case DecisionCodes.Trigger:
                return $"It does not answer {decision.Trigger} (it answers {string.Join(", ", message.Triggers.Select(static t => t.ToString()))}).";
            case DecisionCodes.Stage:
                return $"It targets {string.Join(", ", message.Definition.Stages.Select(CustomerModel.StageName))}; the customer is in {CustomerModel.StageName(customer.Stage)}.";
            case DecisionCodes.Expired:
                return $"It expired on {Local(decision, result.Instant)}.";
            case DecisionCodes.Condition:
                {
                    var description = (result.Subject as ICondition)?.Description ?? message.Condition?.Description;
                    return $"Its condition does not hold for this customer: {description}.{NotPlaced(customer, description)}";
                }

            case DecisionCodes.ConditionError:
                return $"Its condition could not be evaluated, so it is treated as not met: {result.Subject}";
            case DecisionCodes.Paused:
                return $"The customer paused marketing until {Date(decision, result.Instant)}.";
            case DecisionCodes.OpenComplaint:
                return "The customer has an open complaint: service recovery comes before promotion.";
            case DecisionCodes.FailedPayment:
                return "The customer's last payment failed: service recovery comes before promotion.";
            case DecisionCodes.Detractor:
                return $"The customer's last NPS score was {result.Number.ToString(C)} (a detractor): service recovery comes before promotion.";
            case DecisionCodes.TopicUnsubscribed when result.Subject is ConsentRecord record:
                return $"The customer unsubscribed from '{record.Scope.Topic}' on {Date(decision, record.RecordedAt)} via {record.Source}.";
            case DecisionCodes.NotRelevant:
                {
                    var interests = customer.Consents.SubscribedTopics(decision.At.UtcTicks, decision.Engine.Eligibility.PendingExpiryTicks);
                    return $"None of its topics ({string.Join(", ", message.Topics)}) is among the customer's interests ({(interests.Count == 0 ? "none declared" : string.Join(", ", interests))}).";
                }

            case DecisionCodes.NotEnoughGives:
                {
                    var since = result.Instant == default ? "ever" : "since the last ask on " + Date(decision, result.Instant);
                    var gives = result.Number == 1 ? "1 give" : result.Number.ToString(C) + " gives";
                    return $"Only {gives} {since}; an ask needs {decision.Engine.MinGivesBeforeAsk.ToString(C)} (give before ask).";
                }

            case DecisionCodes.MessageCap when result.Subject is MessageCap cap:
                {
                    var times = result.Number == 1 ? "once" : result.Number.ToString(C) + " times";
                    return $"Already sent {times} (last on {Date(decision, result.Instant)}); this message goes {cap}.";
                }

            default:
                return result.Code is null ? outcome.Code : $"Stopped by {outcome.Rule}: {result.Code}.";
        }
    }

    public static string ChannelReason(Decision decision, CompiledMessage message, in ChannelOutcome outcome)
    {
        var result = outcome.Result;
        if (result.Reason is { } hostReason)
        {
            return outcome.Status == ChannelStatus.Deferred
                ? $"Deferred to {Local(decision, outcome.SendAt!.Value)}: {hostReason}"
                : hostReason;
        }

        switch (outcome.Status)
        {
            case ChannelStatus.Allowed:
                return $"{Display(decision, outcome.Channel)} is allowed now.";
            case ChannelStatus.Deferred:
                return $"Deferred to {Local(decision, outcome.SendAt!.Value)}: {Lower(RuleSentence(decision, message, outcome.Channel, result))}";
        }

        if (outcome.Code == DecisionCodes.PastExpiry)
        {
            return $"The next allowed time, {Local(decision, outcome.SendAt!.Value)}, is after the message expires ({Local(decision, message.ExpiryFor(decision.At))}): {Lower(RuleSentence(decision, message, outcome.Channel, result))}";
        }

        var sentence = RuleSentence(decision, message, outcome.Channel, result);
        return outcome.Dropped ? sentence + " The message is dropped rather than deferred." : sentence;
    }

    /// <summary>
    /// A note for a condition on <c>customer.tier</c> or <c>customer.matrix</c> when no tick has placed the customer in
    /// the relationship matrix: <c>customer.tier</c> then reads a host attribute <c>tier</c> (said, with its value, so
    /// it is never a silent stand-in), else it is null.
    /// </summary>
    private static string NotPlaced(CustomerProfile customer, string? description)
    {
        if (description is null || customer.Facts.ValueOf(Events.FactNames.Tier) is not null || !(Mentions(description, "customer.tier") || Mentions(description, "customer.matrix")))
        {
            return string.Empty;
        }

        return CustomerModel.TryGetAttribute(customer.Attributes, "tier", out var attribute)
            ? $" The relationship matrix has not placed this customer (no tick yet), so customer.tier is the host attribute tier ({attribute.GetRawText()}) and customer.matrix is null."
            : " The relationship matrix has not placed this customer (no tick yet), so customer.tier and customer.matrix are null.";
    }

    private static bool Mentions(string text, string name)
    {
        for (var at = text.IndexOf(name, StringComparison.Ordinal); at >= 0; at = text.IndexOf(name, at + 1, StringComparison.Ordinal))
        {
            var end = at + name.Length;
            if (end == text.Length || !(char.IsAsciiLetterOrDigit(text[end]) || text[end] == '_'))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The sentence for a channel rule result.</summary>
    private static string RuleSentence(Decision decision, CompiledMessage message, Channel channel, RuleResult result)
    {
        if (result.Reason is { } hostReason)
        {
            return hostReason;
        }

        var customer = decision.Customer;
        var eligibility = decision.Engine.Eligibility;
        eligibility.Channels.TryGet(channel, out var definition);
        switch (result.Code)
        {
            case DecisionCodes.QuietHours or DecisionCodes.OutsidePreferredTime:
                return new EligibilityResult(result.Code, channel, message.Purpose, result.Instant, definition, eligibility.GetContactWindow(customer), nextAllowedAt: result.RetryAt).Reason;
            case DecisionCodes.NoAllowedTime:
                return "No time in the next week is allowed by the customer's quiet hours and preferred times.";
            case DecisionCodes.ChannelCap or DecisionCodes.OverallCap when result.Subject is FrequencyCap cap:
                {
                    var group = message.Purpose == ContactPurpose.Service ? "service" : "promotional";
                    var where = cap.Channel is { } c ? "on " + Display(decision, c) : "across all channels";
                    var period = cap.Period switch
                    {
                        CapPeriod.Day => "24 hours",
                        CapPeriod.Week => "7 days",
                        _ => "30 days",
                    };
                    if (result.RetryAt is { } later && later == result.Instant)
                    {
                        // A window ending at a later send (another winner of this decision, or a later history record) is full.
                        return $"{result.Number.ToString(C)} {group} message{(result.Number == 1 ? string.Empty : "s")} {where} in the {period} up to {Local(decision, later)}, when one is already due; the cap is {cap.Max.ToString(C)}, so it waits until then.";
                    }

                    var next = result.RetryAt is { } retry ? $"; one more fits at {Local(decision, retry)}" : string.Empty;
                    return $"{result.Number.ToString(C)} {group} message{(result.Number == 1 ? string.Empty : "s")} {where} in the last {period}; the cap is {cap.Max.ToString(C)}{next}.";
                }

            case null:
                return string.Empty;
            default:
                if (result.Code.StartsWith("consent.", StringComparison.Ordinal) || result.Code.StartsWith("contact_point.", StringComparison.Ordinal) || result.Code.StartsWith("channel.", StringComparison.Ordinal))
                {
                    var consent = eligibility.CheckConsent(customer, channel, message.Purpose, result.Instant == default ? decision.At : result.Instant);
                    return consent.Reason;
                }

                return result.Code;
        }
    }

    public static string Describe(Decision decision)
    {
        var text = new StringBuilder();
        text.Append(C, $"Decision for {decision.CustomerId} on {decision.Trigger} at {decision.At.ToUniversalTime().ToString("yyyy-MM-dd HH:mm", C)} UTC ({Local(decision, decision.At)})").Append('\n');
        if (decision.Winners.Count == 0)
        {
            text.Append("No message goes out.\n");
        }

        foreach (var winner in decision.Winners)
        {
            text.Append(C, $"Winner: {winner.MessageId} on {Display(decision, winner.Channel)} (template {winner.Template}), ")
                .Append(winner.IsDeferred ? "deferred to " + Local(decision, winner.SendAt) : "now")
                .Append(C, $", score {Score(winner.Score)}").Append('\n');
        }

        if (decision.Engine.TierOf(decision.Customer) is { } tier)
        {
            text.Append(C, $"Tier {tier.Name}: values weighted {tier.Description} (DecisionOptions.TierWeights).").Append('\n');
        }

        text.Append(C, $"Candidates ({decision.Candidates.Count.ToString(C)}):").Append('\n');
        foreach (var candidate in decision.Candidates)
        {
            text.Append(C, $"  {candidate.MessageId,-24} {candidate.Code,-28} score {Score(candidate.Score)} = priority {Number(candidate.Priority)} × relevance {Number(candidate.Relevance)} × value {Number(candidate.Value)}{(candidate.TierWeight == 1 ? string.Empty : " × tier weight " + Number(candidate.TierWeight))}").Append('\n');
            text.Append("      ").Append(candidate.Reason).Append('\n');
            foreach (var channel in candidate.Channels)
            {
                text.Append(C, $"      {Display(decision, channel.Channel)}: {channel.Code} — {channel.Reason}").Append('\n');
            }
        }

        return text.ToString();
    }

    private static string LostReason(Decision decision, in CandidateOutcome outcome)
    {
        var winners = decision.Winners;
        if (winners.Count == 0)
        {
            return "It lost arbitration.";
        }

        var last = winners[^1];
        var comparison = last.Score > outcome.Score
            ? $"its score {Score(outcome.Score)} is below {Score(last.Score)}"
            : $"it ties on score {Score(outcome.Score)} and comes later (priority, then catalog order)";
        var limit = winners.Count == 1 ? "one message per decision" : $"{winners.Count.ToString(C)} messages per decision";
        return $"Lost arbitration to {last.MessageId}: {comparison}; {limit}.";
    }

    private static string WinningAsk(Decision decision)
    {
        foreach (var winner in decision.Winners)
        {
            if (winner.Message.Kind == MessageKind.Ask)
            {
                return winner.MessageId;
            }
        }

        return "an earlier ask";
    }

    private static string AskLimitWords(Decision decision)
    {
        var count = 0;
        foreach (var winner in decision.Winners)
        {
            count += winner.Message.Kind == MessageKind.Ask ? 1 : 0;
        }

        return count <= 1 ? "one ask" : count.ToString(C) + " asks";
    }

    internal static string Display(Decision decision, Channel channel)
        => decision.Engine.Eligibility.Channels.TryGet(channel, out var definition) ? definition.DisplayName : channel.ToString();

    internal static string Local(Decision decision, DateTimeOffset instant)
    {
        var zone = decision.Customer.TimeZone;
        return TimeZoneInfo.ConvertTime(instant, zone).ToString("ddd d MMMM yyyy HH:mm", C) + " " + zone.Id;
    }

    private static string Date(Decision decision, DateTimeOffset instant)
        => TimeZoneInfo.ConvertTime(instant, decision.Customer.TimeZone).ToString("d MMMM yyyy", C);

    internal static string Score(double score) => score.ToString("0.###", C);

    private static string Number(double value) => value.ToString("0.###", C);

    private static string Lower(string sentence)
        => sentence.Length > 1 && char.IsUpper(sentence[0]) && !char.IsUpper(sentence[1]) ? char.ToLowerInvariant(sentence[0]) + sentence[1..] : sentence;
}
