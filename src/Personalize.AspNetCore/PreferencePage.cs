using System.Globalization;
using Personalize.Channels;
using Personalize.Consent;
using Personalize.Customers;

namespace Personalize.AspNetCore;

/// <summary>Renders the preference page and the small pages of unsubscribe, confirmation and errors.</summary>
internal static class PreferencePage
{
    private static readonly DayOfWeek[] Week = [DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday, DayOfWeek.Saturday, DayOfWeek.Sunday];

    public static string Render(PreferenceCenter center, CustomerProfile customer, PreferenceCenterText text, string action, string antiforgeryField, string antiforgeryToken, string? status)
    {
        var options = center.Options;
        var language = options.LanguageOf(text);
        var now = center.Now;
        var zone = customer.TimeZone;
        var html = new HtmlWriter().Begin(language, text.Title);
        html.Element("h1", text.Title);
        if (status is not null)
        {
            html.Element("p", status, "status", "status");
        }

        html.Element("p", text.Format(text.Intro, options.BrandName));
        html.Raw("<form method=\"post\"").Attr("action", action).Raw(">");
        html.Raw("<input type=\"hidden\"").Attr("name", antiforgeryField).Attr("value", antiforgeryToken).Raw(">");

        // Channels: marketing opt-in per channel.
        html.Raw("<fieldset><legend>").Text(text.ChannelsLegend).Raw("</legend>");
        foreach (var channel in options.Channels)
        {
            var state = center.ChannelState(customer, channel, now);
            var id = "optin-" + channel.Name;
            html.Raw("<div class=\"row\"><input type=\"checkbox\"").Attr("id", id).Attr("name", "optin:" + channel.Name).Attr("value", "on");
            if (state.OptedIn)
            {
                html.Raw(" checked");
            }

            if (!state.Reachable)
            {
                html.Raw(" disabled").Attr("aria-describedby", id + "-note");
            }

            html.Raw("><label").Attr("for", id).Raw(">").Text(text.Format(text.ChannelOptIn, center.ChannelName(channel))).Raw("</label>");
            if (!state.Reachable)
            {
                html.Raw(" <span class=\"help\"").Attr("id", id + "-note").Raw(">").Text(text.NoContactPoint).Raw("</span>");
            }
            else if (state.Pending)
            {
                html.Raw(" <span class=\"help\">").Text(text.Pending).Raw("</span>");
            }

            html.Raw("</div>");
        }

        html.Raw("</fieldset>");

        // Topics.
        if (options.Topics.Count > 0)
        {
            html.Raw("<fieldset><legend>").Text(text.TopicsLegend).Raw("</legend>");
            foreach (var topic in options.Topics)
            {
                var state = center.StateOf(customer, ConsentScope.ForTopic(topic.Name), now);
                var id = "topic-" + topic.Name;
                html.Raw("<div class=\"row\"><input type=\"checkbox\"").Attr("id", id).Attr("name", "topic:" + topic.Name).Attr("value", "on");
                if (state.IsGranted)
                {
                    html.Raw(" checked");
                }

                html.Raw("><label").Attr("for", id).Raw(">").Text(topic.LabelFor(language)).Raw("</label>");
                if (state.Status == ConsentStatus.Pending)
                {
                    html.Raw(" <span class=\"help\">").Text(text.Pending).Raw("</span>");
                }

                html.Raw("</div>");
            }

            html.Raw("</fieldset>");
        }

        // Frequency per channel.
        html.Raw("<fieldset><legend>").Text(text.FrequencyLegend).Raw("</legend>");
        foreach (var channel in options.Channels)
        {
            var id = "freq-" + channel.Name;
            var current = customer.Preferences.FrequencyCaps.FirstOrDefault(c => c.Channel == channel);
            html.Raw("<div class=\"row\"><label").Attr("for", id).Raw(">").Text(text.Format(text.FrequencyLabel, center.ChannelName(channel))).Raw("</label> <select").Attr("id", id).Attr("name", "freq:" + channel.Name).Raw(">");
            Option(html, string.Empty, text.FrequencyAny, current is null);
            var choices = options.FrequencyChoices.ToList();
            if (current is not null && !choices.Contains((current.Max, current.Period)))
            {
                choices.Insert(0, (current.Max, current.Period));
            }

            foreach (var (max, period) in choices)
            {
                Option(html, FrequencyValue(max, period), FrequencyLabel(text, max, period), current is not null && current.Max == max && current.Period == period);
            }

            html.Raw("</select></div>");
        }

        html.Raw("</fieldset>");

        // Quiet hours and preferred days, in the customer's zone.
        var zoneName = ZoneName(zone);
        html.Raw("<fieldset><legend>").Text(text.QuietLegend).Raw("</legend>");
        html.Element("p", text.Format(text.ZoneNote, zoneName), "help");
        var quiet = customer.Preferences.QuietHours;
        html.Raw("<label for=\"quiet-start\">").Text(text.QuietFrom).Raw("</label> <input type=\"time\" id=\"quiet-start\" name=\"quiet-start\"").Attr("value", quiet?.FormatStart()).Raw("> ");
        html.Raw("<label for=\"quiet-end\">").Text(text.QuietTo).Raw("</label> <input type=\"time\" id=\"quiet-end\" name=\"quiet-end\"").Attr("value", quiet is { } q ? q.End.ToString("HH:mm", CultureInfo.InvariantCulture) : null).Raw(">");
        html.Element("p", text.QuietHelp, "help");
        html.Raw("</fieldset>");

        html.Raw("<fieldset><legend>").Text(text.DaysLegend).Raw("</legend>");
        html.Element("p", text.Format(text.ZoneNote, zoneName) + " " + text.DaysHelp, "help");
        foreach (var day in Week)
        {
            var name = day.ToString().ToLowerInvariant();
            html.Raw("<span class=\"row\"><input type=\"checkbox\"").Attr("id", "day-" + name).Attr("name", "day:" + name).Attr("value", "on");
            if (customer.Preferences.PreferredDays.Contains(day))
            {
                html.Raw(" checked");
            }

            html.Raw("><label").Attr("for", "day-" + name).Raw(">").Text(text.Culture.DateTimeFormat.GetDayName(day)).Raw("</label></span>");
        }

        html.Raw("</fieldset>");

        // Channel order: a place per channel (works without script, by keyboard).
        html.Raw("<fieldset><legend>").Text(text.OrderLegend).Raw("</legend>");
        html.Element("p", text.OrderHelp, "help");
        var ranked = RankedChannels(options.Channels, customer.Preferences.ChannelRanking);
        foreach (var channel in options.Channels)
        {
            var id = "rank-" + channel.Name;
            var place = ranked.IndexOf(channel) + 1;
            html.Raw("<div class=\"row\"><label").Attr("for", id).Raw(">").Text(text.Format(text.OrderLabel, center.ChannelName(channel))).Raw("</label> <select").Attr("id", id).Attr("name", "rank:" + channel.Name).Raw(">");
            for (var i = 1; i <= options.Channels.Count; i++)
            {
                Option(html, i.ToString(CultureInfo.InvariantCulture), i.ToString(text.Culture), i == place);
            }

            html.Raw("</select></div>");
        }

        html.Raw("</fieldset>");

        // Pause.
        html.Raw("<fieldset><legend>").Text(text.PauseLegend).Raw("</legend>");
        var pausedUntil = customer.Preferences.PausedUntil is { } until && until > now ? until : (DateTimeOffset?)null;
        if (pausedUntil is { } p)
        {
            html.Element("p", text.Format(text.PausedUntil, text.DateTime(p, zone)), "help");
            Radio(html, "pause-keep", "keep", text.Format(text.PauseKeep, text.DateTime(p, zone)), true);
            Radio(html, "pause-resume", "0", text.PauseResume, false);
        }
        else
        {
            Radio(html, "pause-none", "keep", text.PauseNone, true);
        }

        foreach (var weeks in options.PauseWeeks)
        {
            Radio(html, "pause-" + weeks.ToString(CultureInfo.InvariantCulture), weeks.ToString(CultureInfo.InvariantCulture), weeks == 1 ? text.PauseOneWeek : text.Format(text.PauseWeeks, weeks), false);
        }

        html.Raw("</fieldset>");

        // Personalization.
        html.Raw("<fieldset><legend>").Text(text.PersonalizationLegend).Raw("</legend><div class=\"row\"><input type=\"checkbox\" id=\"personalization\" name=\"personalization\" value=\"on\"");
        if (center.StateOf(customer, ConsentScope.Personalization, now).IsGranted)
        {
            html.Raw(" checked");
        }

        html.Raw("><label for=\"personalization\">").Text(text.PersonalizationOptIn).Raw("</label></div></fieldset>");
        html.Raw("<button type=\"submit\">").Text(text.Save).Raw("</button></form>");

        // The evidence, latest first.
        html.Element("h2", text.EvidenceHeading);
        var records = customer.Consents.Records;
        if (records.Count == 0)
        {
            html.Element("p", text.EvidenceNone);
        }
        else
        {
            html.Raw("<ul class=\"evidence\">");
            for (var i = records.Count - 1; i >= 0; i--)
            {
                html.Element("li", Evidence(center, text, language, records[i], zone));
            }

            html.Raw("</ul>");
        }

        return html.End();
    }

    public static string Message(PreferenceCenterText text, string language, string title, string message, bool isError, string? linkText = null, string? linkUrl = null)
    {
        var html = new HtmlWriter().Begin(language, title);
        html.Element("h1", title);
        html.Element("p", message, isError ? "error" : "status", isError ? "alert" : "status");
        if (linkText is not null && linkUrl is not null)
        {
            html.Raw("<p><a").Attr("href", linkUrl).Raw(">").Text(linkText).Raw("</a></p>");
        }

        return html.End();
    }

    /// <summary>A question with one button that posts back (unsubscribe, confirmation): a GET never changes anything.</summary>
    public static string Question(PreferenceCenterText text, string language, string title, string question, string action, string button, IReadOnlyList<(string Name, string Value)> fields)
    {
        var html = new HtmlWriter().Begin(language, title);
        html.Element("h1", title);
        html.Raw("<form method=\"post\"").Attr("action", action).Raw(">");
        foreach (var (name, value) in fields)
        {
            html.Raw("<input type=\"hidden\"").Attr("name", name).Attr("value", value).Raw(">");
        }

        html.Element("p", question);
        html.Raw("<button type=\"submit\">").Text(button).Raw("</button></form>");
        return html.End();
    }

    /// <summary>A question answered in words: a labelled text field and one button that posts back.</summary>
    public static string AnswerForm(string language, string title, string question, string action, string field, string label, int maxLength, string button, IReadOnlyList<(string Name, string Value)> fields)
    {
        var html = new HtmlWriter().Begin(language, title);
        html.Element("h1", title);
        html.Element("p", question);
        html.Raw("<form method=\"post\"").Attr("action", action).Raw(">");
        foreach (var (name, value) in fields)
        {
            html.Raw("<input type=\"hidden\"").Attr("name", name).Attr("value", value).Raw(">");
        }

        html.Raw("<div class=\"row\"><label").Attr("for", field).Raw(">").Text(label).Raw("</label> <input type=\"text\" required")
            .Attr("id", field).Attr("name", field).Attr("maxlength", maxLength.ToString(CultureInfo.InvariantCulture)).Raw("></div>");
        html.Raw("<button type=\"submit\">").Text(button).Raw("</button></form>");
        return html.End();
    }

    public static string Evidence(PreferenceCenter center, PreferenceCenterText text, string language, ConsentRecord record, TimeZoneInfo zone)
    {
        var what = ScopeText(center, text, language, record.Scope);
        var date = text.Date(record.RecordedAt, zone);
        var source = record.Source.ToString();
        if (record.Action == ConsentAction.Withdraw)
        {
            return text.Format(text.EvidenceWithdrawn, what, date, source);
        }

        if (record.OptIn == OptInMethod.Double)
        {
            return record.ConfirmedAt is { } confirmed
                ? text.Format(text.EvidenceConfirmed, what, date, source, text.Date(confirmed, zone))
                : text.Format(text.EvidencePending, what, date, source);
        }

        return text.Format(text.EvidenceGranted, what, date, source);
    }

    public static string ScopeText(PreferenceCenter center, PreferenceCenterText text, string language, ConsentScope scope) => scope.Kind switch
    {
        ConsentScopeKind.Topic => text.Format(text.ScopeTopic, center.Options.Topics.FirstOrDefault(t => t.Name == scope.Topic)?.LabelFor(language) ?? scope.Topic),
        ConsentScopeKind.Personalization => text.ScopePersonalization,
        ConsentScopeKind.Purpose => text.Format(text.ScopePurpose, PurposeText(text, scope.Purpose!.Value)),
        _ when scope.Purpose is { } purpose => text.Format(text.ScopeChannelPurpose, center.ChannelName(scope.Channel), PurposeText(text, purpose)),
        _ => text.Format(text.ScopeChannel, center.ChannelName(scope.Channel)),
    };

    public static string FrequencyValue(int max, CapPeriod period)
        => max.ToString(CultureInfo.InvariantCulture) + "-" + period.ToString().ToLowerInvariant();

    public static List<Channel> RankedChannels(IList<Channel> offered, IReadOnlyList<Channel> ranking)
    {
        var ranked = ranking.Where(offered.Contains).ToList();
        foreach (var channel in offered)
        {
            if (!ranked.Contains(channel))
            {
                ranked.Add(channel);
            }
        }

        return ranked;
    }

    public static string ZoneName(TimeZoneInfo zone)
        => zone.Id == zone.StandardName || string.IsNullOrEmpty(zone.StandardName) ? zone.Id : zone.Id + " (" + zone.StandardName + ")";

    private static string PurposeText(PreferenceCenterText text, ContactPurpose purpose) => purpose switch
    {
        ContactPurpose.Service => text.PurposeService,
        ContactPurpose.Relationship => text.PurposeRelationship,
        _ => text.PurposeMarketing,
    };

    private static string FrequencyLabel(PreferenceCenterText text, int max, CapPeriod period) => period switch
    {
        CapPeriod.Day => text.Format(text.FrequencyPerDay, max),
        CapPeriod.Week => text.Format(text.FrequencyPerWeek, max),
        _ => text.Format(text.FrequencyPerMonth, max),
    };

    private static void Option(HtmlWriter html, string value, string label, bool selected)
    {
        html.Raw("<option").Attr("value", value);
        if (selected)
        {
            html.Raw(" selected");
        }

        html.Raw(">").Text(label).Raw("</option>");
    }

    private static void Radio(HtmlWriter html, string id, string value, string label, bool selected)
    {
        html.Raw("<div class=\"row\"><input type=\"radio\" name=\"pause\"").Attr("id", id).Attr("value", value);
        if (selected)
        {
            html.Raw(" checked");
        }

        html.Raw("><label").Attr("for", id).Raw(">").Text(label).Raw("</label></div>");
    }
}
