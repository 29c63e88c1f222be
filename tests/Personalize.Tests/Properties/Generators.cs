using CsCheck;
using Personalize.Customers;

namespace Personalize.Tests.Properties;

/// <summary>CsCheck generators for the property suite: customers, ledgers, histories, preferences, catalogs, triggers and instants near DST changes.</summary>
public static class Generators
{
    /// <summary>Zones on both sides of the date line, with and without DST, with 30- and 45-minute offsets; all a whole quarter hour from UTC.</summary>
    public static readonly string[] Zones =
    [
        "Etc/UTC", "Europe/Berlin", "America/New_York", "Pacific/Auckland", "Pacific/Chatham", "Australia/Lord_Howe",
        "Asia/Kolkata", "America/Santiago", "Asia/Kathmandu", "America/St_Johns",
    ];

    public static readonly string[] Channels = ReferenceModel.Channels;

    public static readonly string[] Topics = ["a", "b", "c"];

    public static readonly string[] Triggers = ["schedule:tick", "event:x", "campaign:y"];

    private static readonly Dictionary<string, DateTimeOffset[]> TransitionsByZone = Zones.ToDictionary(z => z, z => FindTransitions(TimeZoneInfo.FindSystemTimeZoneById(z)));

    /// <summary>The instants where a zone's offset changes in 2026 and 2027 (searched hour by hour, then to the minute).</summary>
    public static DateTimeOffset[] Transitions(string zone) => TransitionsByZone[zone];

    private static DateTimeOffset[] FindTransitions(TimeZoneInfo zone)
    {
        var found = new List<DateTimeOffset>();
        var t = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var previous = zone.GetUtcOffset(t);
        for (; t.Year < 2028; t = t.AddHours(1))
        {
            var offset = zone.GetUtcOffset(t);
            if (offset != previous)
            {
                var m = t.AddHours(-1);
                while (zone.GetUtcOffset(m) == previous)
                {
                    m = m.AddMinutes(1);
                }

                found.Add(m);
                previous = offset;
            }
        }

        return [.. found];
    }

    private static Gen<T?> OrNull<T>(this Gen<T> gen, int nullWeight, int valueWeight)
        where T : class
        => Gen.Frequency((nullWeight, Gen.Const(default(T?))), (valueWeight, gen.Select(v => (T?)v)));

    private static Gen<int?> OrNullInt(this Gen<int> gen, int nullWeight, int valueWeight)
        => Gen.Frequency((nullWeight, Gen.Const(default(int?))), (valueWeight, gen.Select(v => (int?)v)));

    private static Gen<T[]> SubsetOf<T>(T[] items)
        => Gen.Bool.Array[items.Length].Select(picks => items.Where((_, i) => picks[i]).ToArray());

    /// <summary>An instant near one of the zone's DST changes (half of the time) or anywhere in 2026, with odd seconds.</summary>
    public static Gen<DateTimeOffset> Instant(string zone)
    {
        var transitions = Transitions(zone);
        var anywhere = Gen.Int[0, 364 * 24 * 60].Select(m => new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).AddMinutes(m));
        var seconds = Gen.Frequency((3, Gen.Const(0)), (1, Gen.Int[0, 59]));
        var baseInstant = transitions.Length == 0
            ? anywhere
            : Gen.Frequency(
                (2, anywhere),
                (1, Gen.Select(Gen.Int[0, transitions.Length - 1], Gen.Int[-3 * 24 * 60, 3 * 24 * 60], (i, m) => transitions[i].AddMinutes(m))),
                (1, Gen.Select(Gen.Int[0, transitions.Length - 1], Gen.Int[-180, 180], (i, m) => transitions[i].AddMinutes(m))));
        return Gen.Select(baseInstant, seconds, (t, s) => t.AddSeconds(s));
    }

    /// <summary>A window on the quarter-hour grid; preferred windows do not cross midnight.</summary>
    public static Gen<WindowSpec> Window(bool mayCrossMidnight)
        => Gen.Select(Gen.Int[0, 95], Gen.Int[1, 96], (a, b) => (Start: a * 15, End: b * 15))
            .Where(w => w.Start != w.End % 1440 && (mayCrossMidnight || w.Start < w.End))
            .Select(w => new WindowSpec(w.Start, w.End));

    /// <summary>
    /// A window on the quarter-hour grid with an edge near a local time (the decision instant's, so edges fall where
    /// the answer changes: on either side of the instant, in the hour clocks repeat or skip).
    /// </summary>
    public static Gen<WindowSpec> WindowNear(int localMinute, bool mayCrossMidnight)
        => Gen.Select(Gen.Int[-8, 8], Gen.Int[1, 40], Gen.Bool, (shift, length, edgeIsEnd) =>
            {
                var edge = ((((localMinute / 15) + shift) % 96) + 96) % 96 * 15;
                var start = edgeIsEnd ? (edge - (length * 15) + 1440) % 1440 : edge;
                var end = (start + (length * 15)) % 1440;
                return (Start: start, End: end == 0 ? 1440 : end);
            })
            .Where(w => w.Start != w.End % 1440 && (mayCrossMidnight || w.Start < w.End))
            .Select(w => new WindowSpec(w.Start, w.End));

    /// <summary>A window anywhere, or (as often) with an edge near <paramref name="localMinute"/>.</summary>
    public static Gen<WindowSpec> Window(int localMinute, bool mayCrossMidnight)
        => Gen.Frequency((1, Window(mayCrossMidnight)), (1, WindowNear(localMinute, mayCrossMidnight)));

    public static readonly Gen<CapSpec> Cap = Gen.Select(
        Gen.Frequency((3, Gen.Const(default(string?))), (2, Gen.OneOf(Channels).Select(c => (string?)c))),
        Gen.Frequency((1, Gen.Const(0)), (6, Gen.Int[1, 3])),
        Gen.Enum<CapPeriod>(),
        (channel, max, period) => new CapSpec(channel, max, period));

    public static readonly Gen<ConsentSpec> Consent = Gen.Select(
        Gen.Frequency((4, Gen.Const(ScopeKind.Channel)), (3, Gen.Const(ScopeKind.ChannelForPurpose)), (2, Gen.Const(ScopeKind.Purpose)), (3, Gen.Const(ScopeKind.Topic)), (1, Gen.Const(ScopeKind.Personalization))),
        Gen.OneOf(Channels),
        Gen.Enum<ContactPurpose>(),
        Gen.OneOf(Topics),
        Gen.Frequency((3, Gen.Const(true)), (2, Gen.Const(false))),
        Gen.Frequency((6, Gen.Int[-60 * 24 * 60, 0]), (1, Gen.Int[0, 3 * 24 * 60])),
        Gen.Frequency((3, Gen.Const(false)), (1, Gen.Const(true))),
        Gen.Int[0, 12 * 24 * 60].OrNullInt(1, 2),
        (kind, channel, purpose, topic, grant, minutes, isDouble, confirmed) => new ConsentSpec(
            kind,
            kind is ScopeKind.Channel or ScopeKind.ChannelForPurpose ? channel : null,
            kind is ScopeKind.ChannelForPurpose or ScopeKind.Purpose ? purpose : default,
            kind == ScopeKind.Topic ? topic : null,
            grant,
            minutes,
            grant && isDouble,
            grant && isDouble ? confirmed : null));

    public static readonly Gen<HistorySpec> History = Gen.Select(
        Gen.Frequency((3, Gen.OneOf("m0", "m1", "m2", "m3")), (1, Gen.Const("other"))),
        Gen.OneOf(Channels),
        Gen.Enum<ContactPurpose>(),
        Gen.Frequency((3, Gen.Const(MessageKind.Give)), (1, Gen.Const(MessageKind.Ask))),
        Gen.Frequency((8, Gen.Int[-40 * 24 * 3600, 0]), (1, Gen.Int[0, 2 * 24 * 3600])),
        (id, channel, purpose, kind, seconds) => new HistorySpec(id, channel, purpose, kind, seconds));

    /// <summary>Distinct send instants, so the order of the history is the order of its instants.</summary>
    private static HistorySpec[] Distinct(HistorySpec[] history)
    {
        var seen = new HashSet<int>();
        var result = new HistorySpec[history.Length];
        for (var i = 0; i < history.Length; i++)
        {
            var seconds = history[i].Seconds;
            while (!seen.Add(seconds))
            {
                seconds++;
            }

            result[i] = history[i] with { Seconds = seconds };
        }

        return result;
    }

    public static Gen<MessageSpec> Message(int index) => Gen.Select(
        Gen.Select(
            Gen.Enum<ContactPurpose>(),
            Gen.Frequency((3, Gen.Const(MessageKind.Give)), (1, Gen.Const(MessageKind.Ask))),
            Gen.Frequency((2, Gen.Const(Array.Empty<string>())), (3, SubsetOf(Topics))),
            Gen.Frequency((4, Gen.Const(Array.Empty<LifecycleStage>())), (1, SubsetOf(Enum.GetValues<LifecycleStage>()))),
            SubsetOf(Triggers).Where(t => t.Length > 0),
            Gen.Frequency((16, Gen.Const(ConditionSpec.None)), (3, Gen.Const(ConditionSpec.Vip)), (1, Gen.Const(ConditionSpec.Throws)))),
        Gen.Select(
            Gen.OneOf(0.5, 1.0, 2.0, 3.0),
            Gen.OneOf(1.0, 2.0),
            Gen.Frequency((8, Gen.Const(default(int?))), (1, Gen.Const<int?>(0)), (2, Gen.OneOf(1, 7, 30).Select(d => (int?)d))),
            Gen.Shuffle(Channels, 1, Channels.Length),
            Gen.Frequency((4, Gen.Const(false)), (1, Gen.Const(true)))),
        Gen.Select(
            Gen.Frequency((5, Gen.Const(default(int?))), (2, Gen.Int[-60, 7 * 24 * 60].Select(m => (int?)m))),
            Gen.Frequency((5, Gen.Const(default(int?))), (2, Gen.Int[1, 10 * 24 * 60].Select(m => (int?)m)))),
        (a, b, c) => new MessageSpec
        {
            Id = "m" + index,
            Purpose = a.Item1,
            Kind = a.Item2,
            Topics = a.Item3,
            Stages = a.Item4,
            Triggers = a.Item5,
            Condition = a.Item6,
            Priority = b.Item1,
            Value = b.Item2,
            OncePerDays = b.Item3,
            Channels = b.Item4,
            Drop = b.Item5,
            ExpiresInMinutes = c.Item1,
            MaxDelayMinutes = c.Item2,
        });

    public static readonly Gen<MessageSpec[]> Catalog = Message(0).Array[1, 5].Select(messages => messages.Select((m, i) => m with { Id = "m" + i }).ToArray());

    public static readonly Gen<OptionsSpec> Options = Gen.Select(
        Gen.Select(
            Gen.Frequency((6, Gen.Const(1)), (3, Gen.Const(2)), (1, Gen.Const(3))),
            Gen.Int[0, 2],
            Gen.Int[0, 3],
            Gen.Frequency((1, Gen.Const(default(CapSpec[]?))), (1, Cap.Array[0, 3].Select(c => (CapSpec[]?)c))),
            Gen.Frequency((1, Gen.Const(default(CapSpec[]?))), (1, Cap.Array[0, 2].Select(c => (CapSpec[]?)c)))),
        Gen.Select(
            Gen.Frequency((4, Gen.Const(true)), (1, Gen.Const(false))),
            Gen.Frequency((4, Gen.Const(true)), (1, Gen.Const(false))),
            Gen.Frequency((5, Gen.Const(1.0)), (1, Gen.OneOf(0.0, 0.5, 2.0))),
            Gen.Frequency((5, Gen.Const(1.0)), (1, Gen.OneOf(0.0, 0.5, 2.0))),
            Gen.Frequency((5, Gen.Const(1.0)), (1, Gen.OneOf(0.0, 0.5, 2.0)))),
        Gen.Select(
            Gen.Frequency((4, Gen.Const(false)), (1, Gen.Const(true))),
            Window(mayCrossMidnight: true).OrNull(3, 1),
            Gen.Frequency((3, Gen.Const<int?>(7)), (1, Gen.Const<int?>(2)), (1, Gen.Const(default(int?))))),
        (a, b, c) =>
        {
            var defaults = new OptionsSpec();
            return new OptionsSpec
            {
                MaxWinners = a.Item1,
                MaxAsks = a.Item2,
                MinGives = a.Item3,
                PromotionalCaps = a.Item4 ?? defaults.PromotionalCaps,
                ServiceCaps = a.Item5 ?? defaults.ServiceCaps,
                ApplyCustomerCaps = b.Item1,
                RequireTopicMatch = b.Item2,
                PriorityWeight = b.Item3,
                RelevanceWeight = b.Item4,
                ValueWeight = b.Item5,
                PreferredTimesApplyToService = c.Item1,
                DefaultQuiet = c.Item2,
                PendingExpiryDays = c.Item3,
            };
        });

    /// <summary>The customer's part of a scenario (zone, instant, preferences, ledger, history, flags), for a given catalog and options.</summary>
    public static Gen<Scenario> Customer(MessageSpec[] catalog, OptionsSpec options, string trigger, string? zone = null, DateTimeOffset? at = null)
        => (zone is null ? Gen.OneOf(Zones) : Gen.Const(zone)).SelectMany(z => (at is { } fixedAt ? Gen.Const(fixedAt) : Instant(z)).SelectMany(instant => Customer(catalog, options, trigger, z, instant)));

    private static Gen<Scenario> Customer(MessageSpec[] catalog, OptionsSpec options, string trigger, string z, DateTimeOffset instant)
    {
        var local = TimeZoneInfo.ConvertTime(instant, TimeZoneInfo.FindSystemTimeZoneById(z));
        var localMinute = (local.Hour * 60) + local.Minute;
        return Gen.Select(
            Gen.Select(
                Gen.Const(instant),
                Gen.Enum<LifecycleStage>(),
                Gen.Frequency((1, Gen.Const(false)), (5, Gen.Const(true))).Array[4],
                Gen.Frequency((1, Gen.Const(Array.Empty<string>())), (4, Gen.Shuffle(Channels, 0, Channels.Length))),
                Cap.Array[0, 2]),
            Gen.Select(
                Gen.Frequency((3, Gen.Const(Array.Empty<DayOfWeek>())), (1, SubsetOf(Enum.GetValues<DayOfWeek>()))),
                Gen.Frequency((3, Gen.Const(Array.Empty<WindowSpec>())), (2, Window(localMinute, mayCrossMidnight: false).Array[1, 2])),
                Window(localMinute, mayCrossMidnight: true).OrNull(2, 3)),
            Gen.Select(
                Consent.Array[0, 7],
                History.Array[0, 8]),
            Gen.Select(
                Gen.Frequency((9, Gen.Const(false)), (1, Gen.Const(true))),
                Gen.Frequency((9, Gen.Const(false)), (1, Gen.Const(true))),
                Gen.Frequency((5, Gen.Const(default(int?))), (2, Gen.Int[0, 10].Select(n => (int?)n))),
                Gen.Frequency((2, Gen.Const(default(bool?))), (1, Gen.Bool.Select(v => (bool?)v)))),
            (a, b, c, d) => new Scenario
            {
                Zone = z,
                At = a.Item1,
                Trigger = trigger,
                Stage = a.Item2,
                HasEmail = a.Item3[0],
                HasPhone = a.Item3[1],
                HasDevice = a.Item3[2],
                HasPostal = a.Item3[3],
                Ranking = a.Item4,
                CustomerCaps = a.Item5,
                PreferredDays = b.Item1,
                PreferredHours = b.Item2,
                Quiet = b.Item3,
                Consents = c.Item1,
                History = Distinct(c.Item2),
                OpenComplaint = d.Item1,
                FailedPayment = d.Item2,
                Nps = d.Item3,
                Vip = d.Item4,
                Messages = catalog,
                Options = options,
            });
    }

    private static readonly Gen<WindowSpec> MinuteWindow = Gen.Select(Gen.Int[0, 1439], Gen.Int[1, 1440], (a, b) => new WindowSpec(a, b)).Where(w => w.Start != w.End % 1440);

    /// <summary>Contact windows on whole minutes (half of them with an edge near the instant's local time) at an instant near a DST change.</summary>
    public static readonly Gen<WindowCase> WindowCases = Gen.OneOf(Zones).SelectMany(zone => Instant(zone).SelectMany(at =>
    {
        var local = TimeZoneInfo.ConvertTime(at, TimeZoneInfo.FindSystemTimeZoneById(zone));
        var near = WindowNear((local.Hour * 60) + local.Minute, mayCrossMidnight: true);
        var window = Gen.Frequency((1, MinuteWindow), (1, near));
        return Gen.Select(
            window.Select(w => (WindowSpec?)w).Array[0, 1],
            Gen.Frequency((2, Gen.Const(Array.Empty<DayOfWeek>())), (1, Gen.Enum<DayOfWeek>().ArrayUnique[1, 3])),
            window.Where(w => w.Start < w.End).Array[0, 2],
            Gen.Bool,
            (quiet, days, hours, strict) => new WindowCase(zone, at, quiet.FirstOrDefault(), days, hours, strict));
    }));

    public static readonly Gen<string> Trigger = Gen.Frequency((6, Gen.OneOf(Triggers)), (1, Gen.Const("event:other")));

    public static readonly Gen<Scenario> Scenario = Gen.Select(Catalog, Options, Trigger)
        .SelectMany((catalog, options, trigger) => Customer(catalog, options, trigger));
}
