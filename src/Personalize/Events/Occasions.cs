using System.Globalization;
using System.Text.Json;
using Personalize.Catalog;
using Personalize.Consent;
using Personalize.Customers;
using Personalize.Storage;

namespace Personalize.Events;

/// <summary>The names of the built-in like-a-friend occasions (triggers <c>occasion:NAME</c>).</summary>
public static class OccasionNames
{
    /// <summary>A new customer (<c>signed_up</c>).</summary>
    public const string Welcome = "welcome";

    /// <summary>The first order, and every Nth.</summary>
    public const string ThankYou = "thank_you";

    /// <summary>Activity after an absence.</summary>
    public const string WelcomeBack = "welcome_back";

    /// <summary>No activity for a while (once per lapse).</summary>
    public const string WeMissYou = "we_miss_you";

    /// <summary>The anniversary of the first purchase.</summary>
    public const string Anniversary = "anniversary";

    /// <summary>The customer's birthday.</summary>
    public const string Birthday = "birthday";

    /// <summary>First access to a good deal for the top tiers (<c>occasion:first_access.DEAL</c>, once per deal).</summary>
    public const string FirstAccess = "first_access";
}

/// <summary>Finds a customer's due occasions from facts at a tick instant; each fired occasion is marked in the facts (<c>fired.NAME</c> = its key).</summary>
internal static class Occasions
{
    private const string FiredWelcome = FactNames.FiredPrefix + OccasionNames.Welcome;
    private const string FiredThankYou = FactNames.FiredPrefix + OccasionNames.ThankYou;
    private const string FiredWelcomeBack = FactNames.FiredPrefix + OccasionNames.WelcomeBack;
    private const string FiredWeMissYou = FactNames.FiredPrefix + OccasionNames.WeMissYou;
    private const string FiredAnniversary = FactNames.FiredPrefix + OccasionNames.Anniversary;
    private const string FiredBirthday = FactNames.FiredPrefix + OccasionNames.Birthday;

    /// <summary>What a tick does to one customer: occasions due (marked, triggered) and a tenure stage change.</summary>
    /// <param name="stored">The customer.</param>
    /// <param name="options">The occasions.</param>
    /// <param name="lifecycle">The lifecycle rules.</param>
    /// <param name="matrix">The relationship matrix.</param>
    /// <param name="at">The tick's instant.</param>
    /// <param name="screen">
    /// The customer is a screening row (<see cref="TickRow"/>: no consent evidence): a birthday counts as due whatever
    /// the consent, so a non-null answer means "read the customer whole and look again", and null means nothing is due.
    /// </param>
    public static CustomerUpdate? Tick(StoredCustomer stored, LikeAFriendOptions options, LifecycleRules lifecycle, RelationshipMatrix matrix, DateTimeOffset at, bool screen = false)
    {
        var profile = stored.Profile;
        var facts = profile.Facts;
        List<(string Name, string Key)>? due = null;
        void Due(string name, string firedFact, string key)
        {
            if (!(facts.TryGetValue(firedFact, out var fired) && fired.Value is string last && last == key))
            {
                (due ??= []).Add((name, key));
            }
        }

        // An occasion keyed by an instant (once per lapse, once per return): most customers of a daily tick have one
        // marked already, so the mark is compared with the instant it names before the key is written out.
        void DueAt(string name, string firedFact, DateTimeOffset instant)
        {
            if (!(facts.TryGetValue(firedFact, out var fired) && fired.Value is string last && Fact.IsFormatOf(last, instant)))
            {
                (due ??= []).Add((name, Fact.Format(instant)));
            }
        }

        if (options.WelcomeWithin is { } within && facts.InstantOf(FactNames.SignedUpAt) is { } signedUp && at >= signedUp && at - signedUp <= within)
        {
            Due(OccasionNames.Welcome, FiredWelcome, "1");
        }

        var orders = (long)facts.NumberOf(FactNames.OrderCount);
        var lastOrder = facts.InstantOf(FactNames.LastPurchaseAt);
        if (orders >= 1 && lastOrder is { } placed && at - placed <= options.GreetWithin)
        {
            if (options.ThankEveryNthOrder > 0 && orders % options.ThankEveryNthOrder == 0)
            {
                Due(OccasionNames.ThankYou, FiredThankYou, orders.ToString(CultureInfo.InvariantCulture));
            }
            else if (options.ThankFirstOrder && orders == 1)
            {
                Due(OccasionNames.ThankYou, FiredThankYou, "1");
            }
        }

        var lastActivity = facts.InstantOf(FactNames.LastActivityAt);
        if (options.WelcomeBackAfter is { } absence && lastActivity is { } back && facts.InstantOf(FactNames.PreviousActivityAt) is { } before
            && back - before >= absence && at - back <= options.GreetWithin && at >= back)
        {
            DueAt(OccasionNames.WelcomeBack, FiredWelcomeBack, back);
        }

        if (options.MissAfter is { } miss && lastActivity is { } quiet && at - quiet >= miss)
        {
            DueAt(OccasionNames.WeMissYou, FiredWeMissYou, quiet);
        }

        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(at, profile.TimeZone).DateTime);
        if (options.Anniversary && facts.InstantOf(FactNames.FirstPurchaseAt) is { } first)
        {
            var firstDay = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(first, profile.TimeZone).DateTime);
            if (today.Year > firstDay.Year && IsSameDay(firstDay.Month, firstDay.Day, today))
            {
                Due(OccasionNames.Anniversary, FiredAnniversary, today.Year.ToString(CultureInfo.InvariantCulture));
            }
        }

        if (options.Birthday && BirthdayOf(profile) is { } birthday && IsSameDay(birthday.Month, birthday.Day, today)
            && (screen || profile.Consents.GetState(ConsentScope.Personalization, at).IsGranted))
        {
            Due(OccasionNames.Birthday, FiredBirthday, today.Year.ToString(CultureInfo.InvariantCulture));
        }

        // The relationship matrix: the cell the facts call for now; a move is recorded (and a tier trigger unless it is the first placement).
        MatrixCell? moved = null;
        var tier = facts.ValueOf(FactNames.Tier) as string;
        if (matrix.Enabled)
        {
            var cell = matrix.Place(facts, at);
            if (cell.Tier != tier || facts.NumberOf(FactNames.MatrixLongevity) != cell.Longevity || facts.NumberOf(FactNames.MatrixStrength) != cell.Strength)
            {
                moved = cell;
            }

            tier = cell.Tier;
        }

        if (options.GoodDeals.Count > 0 && matrix.IsTop(tier))
        {
            foreach (var deal in options.GoodDeals)
            {
                if (at >= deal.OpensAt - deal.EarlyAccess && at < deal.OpensAt)
                {
                    var name = OccasionNames.FirstAccess + "." + deal.Name;
                    Due(name, FactNames.FiredPrefix + name, "1");
                }
            }
        }

        // Tenure moves a stage without an event.
        CustomerChange? change = null;
        if (!profile.StagePinned && lifecycle.Enabled)
        {
            var (stage, cause) = lifecycle.Derive(facts, at);
            if (stage > profile.Stage)
            {
                change = new CustomerChange { CustomerId = stored.Id, Kind = ChangeKinds.Stage, From = CustomerModel.StageName(profile.Stage), To = CustomerModel.StageName(stage), At = at, Cause = cause };
                profile = profile with { Stage = stage };
            }
        }

        if (due is null && change is null && moved is null)
        {
            return null;
        }

        if (screen)
        {
            return new CustomerUpdate(stored);
        }

        var update = new CustomerUpdate(stored);
        var working = facts.Copy();
        var editor = new FactEditor(working, new CustomerEvent { Id = TickId(at), Type = "tick", CustomerId = stored.Id, OccurredAt = at });
        foreach (var (name, key) in due ?? [])
        {
            editor.Set(FactNames.FiredPrefix + name, key);
            update.Triggers.Add((Trigger.Occasion(name), null));
        }

        if (change is not null)
        {
            editor.Set(FactNames.Stage, change.To);
            update.Changes.Add(change);
            update.ProfileFieldsChanged = true;
            update.Triggers.Add((Trigger.Stage(profile.Stage), null));
        }

        if (moved is { } cellNow)
        {
            var previousTier = facts.ValueOf(FactNames.Tier) as string;
            var set = editor.Set(FactNames.Tier, cellNow.Tier);
            editor.Set(FactNames.MatrixLongevity, cellNow.Longevity);
            editor.Set(FactNames.MatrixStrength, cellNow.Strength);
            if (set && previousTier != cellNow.Tier)
            {
                update.Changes.Add(new CustomerChange
                {
                    CustomerId = stored.Id, Kind = ChangeKinds.Tier, From = previousTier, To = cellNow.Tier, At = at,
                    Cause = string.Create(CultureInfo.InvariantCulture, $"matrix: longevity {cellNow.Longevity} ({(long)RelationshipMatrix.Tenure(facts, at).TotalDays} days), strength {cellNow.Strength} (score {matrix.Score(facts):0.##})"),
                });
                if (previousTier is not null)
                {
                    update.Triggers.Add((Trigger.Tier(cellNow.Tier), null));
                }
            }
        }

        update.FactsChanged = true;
        update.FactChanges = editor.Changed.Count;
        update.Profile = profile with { Facts = CustomerFacts.Wrap(working) };
        return update;
    }

    /// <summary>The id facts written by a tick carry: <c>tick:</c> and the instant.</summary>
    public static string TickId(DateTimeOffset at) => "tick:" + Fact.Format(at);

    /// <summary>Whether a month/day falls on a date; 29 February falls on 28 February in years without it.</summary>
    internal static bool IsSameDay(int month, int day, DateOnly date)
        => (month == date.Month && day == date.Day)
           || (month == 2 && day == 29 && date.Month == 2 && date.Day == 28 && !DateTime.IsLeapYear(date.Year));

    /// <summary>The birthday the customer shared: fact <c>answer.birthday</c>, else attribute <c>birthday</c> (<c>yyyy-MM-dd</c> or <c>MM-dd</c>).</summary>
    internal static (int Month, int Day)? BirthdayOf(CustomerProfile profile)
    {
        var text = profile.Facts.ValueOf(FactNames.AnswerPrefix + "birthday") as string;
        if (text is null && profile.Attributes.TryGetValue("birthday", out var attribute) && attribute.ValueKind == JsonValueKind.String)
        {
            text = attribute.GetString();
        }

        if (text is null)
        {
            return null;
        }

        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return (date.Month, date.Day);
        }

        return DateOnly.TryParseExact("2000-" + text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var leap) ? (leap.Month, leap.Day) : null;
    }
}
