using System.Globalization;
using Microsoft.AspNetCore.Http;
using Personalize.Channels;
using Personalize.Customers;
using Personalize.Timing;

namespace Personalize.AspNetCore;

/// <summary>Reads the preference page's form into choices; a value the page never offers is an error naming the field.</summary>
internal static class PreferenceForm
{
    public static PreferenceChoices Parse(IFormCollection form, PreferenceCenterOptions options, out string? error)
    {
        error = null;
        var choices = new PreferenceChoices
        {
            Channels = [],
            Topics = [],
            Frequency = [],
            PreferredDays = [],
            Personalization = IsOn(form, "personalization"),
        };

        foreach (var channel in options.Channels)
        {
            choices.Channels[channel] = IsOn(form, "optin:" + channel.Name);
            var frequency = form["freq:" + channel.Name].ToString();
            if (frequency.Length == 0)
            {
                choices.Frequency[channel] = null;
            }
            else if (TryParseFrequency(frequency, out var cap))
            {
                choices.Frequency[channel] = cap;
            }
            else
            {
                error = "freq:" + channel.Name;
                return choices;
            }
        }

        foreach (var topic in options.Topics)
        {
            choices.Topics[topic.Name] = IsOn(form, "topic:" + topic.Name);
        }

        foreach (DayOfWeek day in Enum.GetValues<DayOfWeek>())
        {
            if (IsOn(form, "day:" + day.ToString().ToLowerInvariant()))
            {
                choices.PreferredDays.Add(day);
            }
        }

        // Quiet hours: both empty means "the host's default"; one alone is an error.
        var start = form["quiet-start"].ToString();
        var end = form["quiet-end"].ToString();
        choices.QuietHoursChosen = true;
        if (start.Length > 0 || end.Length > 0)
        {
            if (!TimeWindow.TryParseTimeOfDay(start, out var from))
            {
                error = "quiet-start";
                return choices;
            }

            if (!TimeWindow.TryParseTimeOfDay(end, out var to) || to == from)
            {
                error = "quiet-end";
                return choices;
            }

            choices.QuietHours = new TimeWindow(from, to);
        }

        // Channel order: each offered channel's place; ties keep the page's order.
        var places = new List<(int Place, int Index, Channel Channel)>();
        for (var i = 0; i < options.Channels.Count; i++)
        {
            var channel = options.Channels[i];
            var text = form["rank:" + channel.Name].ToString();
            if (text.Length == 0)
            {
                places.Add((int.MaxValue, i, channel));
            }
            else if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var place) && place >= 1 && place <= options.Channels.Count)
            {
                places.Add((place, i, channel));
            }
            else
            {
                error = "rank:" + channel.Name;
                return choices;
            }
        }

        choices.ChannelOrder = places.OrderBy(p => p.Place).ThenBy(p => p.Index).Select(p => p.Channel).ToList();

        var pause = form["pause"].ToString();
        if (pause.Length == 0 || pause == "keep")
        {
            choices.PauseWeeks = null;
        }
        else if (int.TryParse(pause, NumberStyles.None, CultureInfo.InvariantCulture, out var weeks) && (weeks == 0 || options.PauseWeeks.Contains(weeks)))
        {
            choices.PauseWeeks = weeks;
        }
        else
        {
            error = "pause";
        }

        return choices;
    }

    public static bool TryParseFrequency(string text, out (int Max, CapPeriod Period) cap)
    {
        cap = default;
        var dash = text.IndexOf('-', StringComparison.Ordinal);
        if (dash <= 0 || !int.TryParse(text.AsSpan(0, dash), NumberStyles.None, CultureInfo.InvariantCulture, out var max) || max is < 1 or > 100)
        {
            return false;
        }

        CapPeriod period;
        switch (text[(dash + 1)..])
        {
            case "day":
                period = CapPeriod.Day;
                break;
            case "week":
                period = CapPeriod.Week;
                break;
            case "month":
                period = CapPeriod.Month;
                break;
            default:
                return false;
        }

        cap = (max, period);
        return true;
    }

    private static bool IsOn(IFormCollection form, string name) => form.TryGetValue(name, out var value) && value.ToString() == "on";
}
