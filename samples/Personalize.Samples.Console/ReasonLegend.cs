namespace Personalize.Samples.ConsoleHost;

/// <summary>What the reason codes in a summary mean, in a few words (the codes themselves are stable; docs/decision-engine.md has them all).</summary>
internal static class ReasonLegend
{
    private static readonly Dictionary<string, string> Meanings = new(StringComparer.Ordinal)
    {
        ["no_candidate"] = "no catalog message is meant for this trigger",
        ["eligibility.trigger"] = "no message answers this trigger",
        ["eligibility.stage"] = "the message is for another lifecycle stage",
        ["eligibility.condition"] = "the message's condition is false for the customer",
        ["eligibility.condition_error"] = "the message's condition could not be evaluated",
        ["eligibility.expired"] = "the message has expired",
        ["preferences.paused"] = "the customer paused messages",
        ["service.open_complaint"] = "an open complaint: service before promotion",
        ["service.failed_payment"] = "a failed payment: service before promotion",
        ["service.detractor"] = "an unhappy customer (NPS detractor): service before promotion",
        ["topic.unsubscribed"] = "the customer unsubscribed from the message's topic",
        ["topic.not_relevant"] = "the message's topic is not one the customer chose",
        ["ask.not_enough_gives"] = "an ask, but the customer has not been given enough yet",
        ["ask.one_per_contact"] = "only one ask per contact",
        ["frequency.message_cap"] = "the message reached its own cap for this customer",
        ["frequency.channel_cap"] = "the customer's cap for the channel is reached",
        ["frequency.overall_cap"] = "the customer's overall cap is reached",
        ["timing.no_allowed_time"] = "no allowed send time soon (quiet hours, preferred times)",
        ["timing.past_expiry"] = "the next allowed time is after the message expires",
        ["channel.none_allowed"] = "no channel of the message may be used for this customer",
        ["arbitration.lost"] = "another message won this contact",
        ["consent.missing"] = "no opt-in on record for the channel",
        ["consent.pending_double_opt_in"] = "the opt-in awaits double opt-in confirmation",
        ["consent.withdrawn"] = "the customer withdrew the channel",
        ["consent.purpose_withdrawn"] = "the customer withdrew all marketing",
        ["consent.topic_withdrawn"] = "the customer withdrew the topic",
        ["consent.topic_not_subscribed"] = "not subscribed to the message's topic",
        ["consent.withdrawn_since_decision"] = "consent was withdrawn after the send was deferred",
        ["contact_point.missing"] = "no address or number on file for the channel",
        ["contact_point.suppressed"] = "the address or number is on the suppression list (it bounced)",
        ["channel.unknown"] = "the channel is not registered",
        ["timing.quiet_hours"] = "the customer's quiet hours",
        ["timing.deferred"] = "not now (quiet hours, preferred times, a cap): it waits for the next allowed time",
        ["timing.outside_preferred_time"] = "outside the customer's preferred days or hours",
        ["catalog.message_removed"] = "the message left the catalog",
        ["catalog.channel_removed"] = "the channel left the message",
    };

    /// <summary>The meaning of a code, or <see langword="null"/> when the legend does not know it.</summary>
    public static string? Meaning(string code) => Meanings.GetValueOrDefault(code);

    /// <summary>Writes the legend of the codes that appear (in that order) and the hint that explain tells more.</summary>
    public static void Write(TextWriter output, IEnumerable<string> codes)
    {
        var known = codes.Distinct(StringComparer.Ordinal).ToList();
        if (known.Count > 0)
        {
            output.WriteLine();
            output.WriteLine("reason codes:");
            var width = known.Max(static c => c.Length);
            foreach (var code in known)
            {
                output.WriteLine($"  {code.PadRight(width)}  {Meaning(code) ?? "see docs/decision-engine.md"}");
            }
        }

        output.WriteLine();
        output.WriteLine("Why one customer got (or did not get) a message: personalize-console explain --customer ID (list shows the ids).");
    }
}
