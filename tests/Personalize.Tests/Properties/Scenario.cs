using System.Globalization;
using System.Text;
using System.Text.Json;
using Personalize.Catalog;
using Personalize.Channels;
using Personalize.Consent;
using Personalize.Customers;
using Personalize.Decisions;
using Personalize.Eligibility;
using Personalize.Timing;

namespace Personalize.Tests.Properties;

/// <summary>
/// One generated situation for the property suite, as plain data: a customer (zone, contact points, preferences, consent
/// ledger, history, service flags), a catalog, the options, a trigger and an instant. Instants are minutes relative to
/// <see cref="At"/> so a shrunk case stays readable. <see cref="ToCSharp"/> prints it as C# that rebuilds it, for a
/// regression test; <see cref="Build"/> makes the engine's inputs.
/// </summary>
public sealed record Scenario
{
    public required string Zone { get; init; }

    public required DateTimeOffset At { get; init; }

    public required string Trigger { get; init; }

    public LifecycleStage Stage { get; init; }

    public bool HasEmail { get; init; }

    public bool HasPhone { get; init; }

    public bool HasDevice { get; init; }

    public bool HasPostal { get; init; }

    public string[] Ranking { get; init; } = [];

    public CapSpec[] CustomerCaps { get; init; } = [];

    public DayOfWeek[] PreferredDays { get; init; } = [];

    public WindowSpec[] PreferredHours { get; init; } = [];

    public WindowSpec? Quiet { get; init; }

    public ConsentSpec[] Consents { get; init; } = [];

    public HistorySpec[] History { get; init; } = [];

    public bool OpenComplaint { get; init; }

    public bool FailedPayment { get; init; }

    public int? Nps { get; init; }

    public bool? Vip { get; init; }

    public MessageSpec[] Messages { get; init; } = [];

    public OptionsSpec Options { get; init; } = new();

    public TimeZoneInfo TimeZone => TimeZoneInfo.FindSystemTimeZoneById(Zone);

    /// <summary>The engine, catalog and customer this scenario describes.</summary>
    public Built Build(string customerId = "c-1")
    {
        var personalize = new PersonalizeOptions
        {
            PreferredTimesApplyToService = Options.PreferredTimesApplyToService,
            DefaultQuietHours = Options.DefaultQuiet?.ToTimeWindow(),
            PendingOptInExpiry = Options.PendingExpiryDays is { } days ? TimeSpan.FromDays(days) : Timeout.InfiniteTimeSpan,
        };
        var decisionOptions = new DecisionOptions
        {
            MaxWinners = Options.MaxWinners,
            MaxAsksPerDecision = Options.MaxAsks,
            MinGivesBeforeAsk = Options.MinGives,
            ApplyCustomerCaps = Options.ApplyCustomerCaps,
            RequireTopicMatch = Options.RequireTopicMatch,
            PriorityWeight = Options.PriorityWeight,
            RelevanceWeight = Options.RelevanceWeight,
            ValueWeight = Options.ValueWeight,
        };
        decisionOptions.PromotionalCaps.Clear();
        decisionOptions.ServiceCaps.Clear();
        foreach (var cap in Options.PromotionalCaps)
        {
            decisionOptions.PromotionalCaps.Add(cap.ToFrequencyCap());
        }

        foreach (var cap in Options.ServiceCaps)
        {
            decisionOptions.ServiceCaps.Add(cap.ToFrequencyCap());
        }

        var clock = new ManualTimeProvider(At);
        var eligibility = new ContactEligibility(personalize, clock);
        var engine = new DecisionEngine(decisionOptions, eligibility, clock);
        var builder = MessageCatalog.CreateBuilder();
        foreach (var message in Messages)
        {
            builder.Add(message.Id, m => message.Configure(m, At));
        }

        var catalog = builder.Build().Compile(new CatalogValidationOptions { Channels = eligibility.Channels });
        return new Built(engine, catalog, Customer(customerId), Personalize.Catalog.Trigger.Parse(Trigger));
    }

    public CustomerProfile Customer(string id = "c-1") => new()
    {
        Id = id,
        Stage = Stage,
        TimeZone = TimeZone,
        ContactPoints = new ContactPoints
        {
            Email = HasEmail ? "a@example.com" : null,
            Phone = HasPhone ? "+4915112345678" : null,
            DeviceTokens = HasDevice ? ["tok"] : [],
            PostalAddress = HasPostal ? new PostalAddress { Lines = ["1 Main St"], City = "Berlin", Country = "DE" } : null,
        },
        Preferences = new ContactPreferences
        {
            ChannelRanking = [.. Ranking.Select(c => new Channel(c))],
            FrequencyCaps = [.. CustomerCaps.Select(c => c.ToFrequencyCap())],
            PreferredDays = PreferredDays,
            PreferredHours = [.. PreferredHours.Select(w => w.ToTimeWindow())],
            QuietHours = Quiet?.ToTimeWindow(),
        },
        Consents = new ConsentLedger(Consents.Select(c => c.ToRecord(At))),
        History = new ContactHistory(History.Select(h => h.ToRecord(At))),
        ServiceFlags = new ServiceFlags { OpenComplaint = OpenComplaint, FailedPayment = FailedPayment, NpsScore = Nps },
        Attributes = Vip is { } vip
            ? new Dictionary<string, JsonElement> { ["vip"] = JsonSerializer.SerializeToElement(vip) }
            : new Dictionary<string, JsonElement>(),
    };

    /// <summary>C# that rebuilds this scenario (paste it into a test and call <c>PropertyAssert.DecisionMatchesModel</c>).</summary>
    public string ToCSharp()
    {
        var b = new StringBuilder();
        b.Append("new Scenario\n{\n");
        b.Append($"    Zone = \"{Zone}\",\n");
        b.Append($"    At = DateTimeOffset.Parse(\"{At.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ", CultureInfo.InvariantCulture)}\", CultureInfo.InvariantCulture),\n");
        b.Append($"    Trigger = \"{Trigger}\",\n");
        b.Append($"    Stage = LifecycleStage.{Stage},\n");
        b.Append($"    HasEmail = {Bool(HasEmail)}, HasPhone = {Bool(HasPhone)}, HasDevice = {Bool(HasDevice)}, HasPostal = {Bool(HasPostal)},\n");
        b.Append($"    Ranking = [{string.Join(", ", Ranking.Select(Quote))}],\n");
        b.Append($"    CustomerCaps = [{string.Join(", ", CustomerCaps.Select(c => c.ToCSharp()))}],\n");
        b.Append($"    PreferredDays = [{string.Join(", ", PreferredDays.Select(d => "DayOfWeek." + d))}],\n");
        b.Append($"    PreferredHours = [{string.Join(", ", PreferredHours.Select(w => w.ToCSharp()))}],\n");
        b.Append($"    Quiet = {Quiet?.ToCSharp() ?? "null"},\n");
        b.Append("    Consents =\n    [\n");
        foreach (var c in Consents)
        {
            b.Append("        ").Append(c.ToCSharp()).Append(",\n");
        }

        b.Append("    ],\n    History =\n    [\n");
        foreach (var h in History)
        {
            b.Append("        ").Append(h.ToCSharp()).Append(",\n");
        }

        b.Append("    ],\n");
        b.Append($"    OpenComplaint = {Bool(OpenComplaint)}, FailedPayment = {Bool(FailedPayment)}, Nps = {Nps?.ToString(CultureInfo.InvariantCulture) ?? "null"}, Vip = {(Vip is { } v ? Bool(v) : "null")},\n");
        b.Append("    Messages =\n    [\n");
        foreach (var m in Messages)
        {
            b.Append("        ").Append(m.ToCSharp()).Append(",\n");
        }

        b.Append("    ],\n");
        b.Append($"    Options = {Options.ToCSharp()},\n");
        b.Append('}');
        return b.ToString();
    }

    internal static string Bool(bool value) => value ? "true" : "false";

    internal static string Quote(string value) => "\"" + value + "\"";

    internal static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    public sealed record Built(DecisionEngine Engine, CompiledCatalog Catalog, CustomerProfile Customer, Trigger Trigger);
}

/// <summary>A frequency cap: an optional channel, a maximum and a period.</summary>
public sealed record CapSpec(string? Channel, int Max, CapPeriod Period)
{
    public FrequencyCap ToFrequencyCap() => new() { Channel = Channel is null ? null : new Channel(Channel), Max = Max, Period = Period };

    public TimeSpan Window => Period switch
    {
        CapPeriod.Day => TimeSpan.FromDays(1),
        CapPeriod.Week => TimeSpan.FromDays(7),
        _ => TimeSpan.FromDays(30),
    };

    public string ToCSharp() => $"new CapSpec({(Channel is null ? "null" : Scenario.Quote(Channel))}, {Max}, CapPeriod.{Period})";
}

/// <summary>A window of local time of day in minutes, <c>[Start, End)</c>; an end of 0 or 1440 means midnight.</summary>
public sealed record WindowSpec(int Start, int End)
{
    public TimeWindow ToTimeWindow() => new(TimeOnly.FromTimeSpan(TimeSpan.FromMinutes(Start)), TimeOnly.FromTimeSpan(TimeSpan.FromMinutes(End % 1440)));

    public string ToCSharp() => $"new WindowSpec({Start}, {End})";
}

/// <summary>What a consent record is about.</summary>
public enum ScopeKind
{
    Channel,
    ChannelForPurpose,
    Purpose,
    Topic,
    Personalization,
}

/// <summary>A consent record, dated in minutes relative to the decision instant.</summary>
public sealed record ConsentSpec(ScopeKind Kind, string? Channel, ContactPurpose Purpose, string? Topic, bool Grant, int RecordedMinutes, bool Double, int? ConfirmedAfterMinutes)
{
    public ConsentScope Scope => Kind switch
    {
        ScopeKind.Channel => ConsentScope.ForChannel(new Channel(Channel!)),
        ScopeKind.ChannelForPurpose => ConsentScope.ForChannel(new Channel(Channel!), Purpose),
        ScopeKind.Purpose => ConsentScope.ForPurpose(Purpose),
        ScopeKind.Topic => ConsentScope.ForTopic(Topic!),
        _ => ConsentScope.Personalization,
    };

    public DateTimeOffset RecordedAt(DateTimeOffset at) => at.AddMinutes(RecordedMinutes);

    public DateTimeOffset? ConfirmedAt(DateTimeOffset at) => Grant && Double && ConfirmedAfterMinutes is { } after ? RecordedAt(at).AddMinutes(after) : null;

    public ConsentRecord ToRecord(DateTimeOffset at) => Grant
        ? ConsentRecord.Grant(Scope, RecordedAt(at), ConsentSource.Form("generated"), "v1", Double ? OptInMethod.Double : OptInMethod.Single, ConfirmedAt(at))
        : ConsentRecord.Withdraw(Scope, RecordedAt(at), ConsentSource.Form("generated"));

    public string ToCSharp()
        => $"new ConsentSpec(ScopeKind.{Kind}, {(Channel is null ? "null" : Scenario.Quote(Channel))}, ContactPurpose.{Purpose}, {(Topic is null ? "null" : Scenario.Quote(Topic))}, Grant: {Scenario.Bool(Grant)}, RecordedMinutes: {RecordedMinutes}, Double: {Scenario.Bool(Double)}, ConfirmedAfterMinutes: {ConfirmedAfterMinutes?.ToString(CultureInfo.InvariantCulture) ?? "null"})";
}

/// <summary>A contact history record, sent <see cref="Seconds"/> relative to the decision instant.</summary>
public sealed record HistorySpec(string MessageId, string Channel, ContactPurpose Purpose, MessageKind Kind, int Seconds)
{
    public DateTimeOffset SentAt(DateTimeOffset at) => at.AddSeconds(Seconds);

    public ContactRecord ToRecord(DateTimeOffset at) => new() { MessageId = MessageId, Channel = new Channel(Channel), Purpose = Purpose, Kind = Kind, SentAt = SentAt(at) };

    public string ToCSharp() => $"new HistorySpec(\"{MessageId}\", \"{Channel}\", ContactPurpose.{Purpose}, MessageKind.{Kind}, {Seconds})";
}

/// <summary>How a message's condition is written.</summary>
public enum ConditionSpec
{
    None,

    /// <summary><c>customer.vip == true</c>, an expression on an attribute.</summary>
    Vip,

    /// <summary>A typed predicate that throws.</summary>
    Throws,
}

/// <summary>A catalog message.</summary>
public sealed record MessageSpec
{
    public required string Id { get; init; }

    public ContactPurpose Purpose { get; init; }

    public MessageKind Kind { get; init; }

    public string[] Topics { get; init; } = [];

    public LifecycleStage[] Stages { get; init; } = [];

    public string[] Triggers { get; init; } = [];

    public ConditionSpec Condition { get; init; }

    public double Priority { get; init; } = 1;

    public double Value { get; init; } = 1;

    /// <summary>A message cap: null none, 0 once ever, N once per N days.</summary>
    public int? OncePerDays { get; init; }

    public string[] Channels { get; init; } = [];

    public bool Drop { get; init; }

    /// <summary>Expires this many minutes after the decision instant (0 or less: already expired).</summary>
    public int? ExpiresInMinutes { get; init; }

    public int? MaxDelayMinutes { get; init; }

    public DateTimeOffset Expiry(DateTimeOffset at)
    {
        var expiry = ExpiresInMinutes is { } e ? at.AddMinutes(e) : DateTimeOffset.MaxValue;
        if (MaxDelayMinutes is { } d && at.AddMinutes(d) < expiry)
        {
            expiry = at.AddMinutes(d);
        }

        return expiry;
    }

    public void Configure(MessageBuilder m, DateTimeOffset at)
    {
        m.Purpose(Purpose);
        if (Kind == MessageKind.Ask)
        {
            m.Ask();
        }

        if (Topics.Length > 0)
        {
            m.Topics(Topics);
        }

        if (Stages.Length > 0)
        {
            m.Stages(Stages);
        }

        foreach (var trigger in Triggers)
        {
            m.On(Personalize.Catalog.Trigger.Parse(trigger));
        }

        switch (Condition)
        {
            case ConditionSpec.Vip:
                m.When("customer.vip == true");
                break;
            case ConditionSpec.Throws:
                m.When(_ => throw new InvalidOperationException("generated condition failure"), "throws");
                break;
        }

        m.Priority(Priority).Value(Value);
        if (OncePerDays is 0)
        {
            m.OnceEver();
        }
        else if (OncePerDays is { } days)
        {
            m.OncePer(TimeSpan.FromDays(days));
        }

        foreach (var channel in Channels)
        {
            m.Channel(new Channel(channel), "t/" + channel);
        }

        if (Drop)
        {
            m.DropWhenBlocked();
        }

        if (ExpiresInMinutes is { } expires)
        {
            m.ExpiresAt(at.AddMinutes(expires));
        }

        if (MaxDelayMinutes is { } delay)
        {
            m.MaxDelay(TimeSpan.FromMinutes(delay));
        }
    }

    public string ToCSharp()
    {
        var parts = new List<string>
        {
            $"Id = \"{Id}\"",
            $"Purpose = ContactPurpose.{Purpose}",
            $"Kind = MessageKind.{Kind}",
            $"Topics = [{string.Join(", ", Topics.Select(Scenario.Quote))}]",
            $"Stages = [{string.Join(", ", Stages.Select(s => "LifecycleStage." + s))}]",
            $"Triggers = [{string.Join(", ", Triggers.Select(Scenario.Quote))}]",
            $"Condition = ConditionSpec.{Condition}",
            $"Priority = {Scenario.Number(Priority)}",
            $"Value = {Scenario.Number(Value)}",
            $"OncePerDays = {OncePerDays?.ToString(CultureInfo.InvariantCulture) ?? "null"}",
            $"Channels = [{string.Join(", ", Channels.Select(Scenario.Quote))}]",
            $"Drop = {Scenario.Bool(Drop)}",
            $"ExpiresInMinutes = {ExpiresInMinutes?.ToString(CultureInfo.InvariantCulture) ?? "null"}",
            $"MaxDelayMinutes = {MaxDelayMinutes?.ToString(CultureInfo.InvariantCulture) ?? "null"}",
        };
        return "new MessageSpec { " + string.Join(", ", parts) + " }";
    }
}

/// <summary>The engine's options that the suite varies.</summary>
public sealed record OptionsSpec
{
    public int MaxWinners { get; init; } = 1;

    public int MaxAsks { get; init; } = 1;

    public int MinGives { get; init; } = 2;

    public CapSpec[] PromotionalCaps { get; init; } = [new(null, 1, CapPeriod.Day), new(null, 3, CapPeriod.Week)];

    public CapSpec[] ServiceCaps { get; init; } = [new(null, 10, CapPeriod.Day)];

    public bool ApplyCustomerCaps { get; init; } = true;

    public bool RequireTopicMatch { get; init; } = true;

    public double PriorityWeight { get; init; } = 1;

    public double RelevanceWeight { get; init; } = 1;

    public double ValueWeight { get; init; } = 1;

    public bool PreferredTimesApplyToService { get; init; }

    public WindowSpec? DefaultQuiet { get; init; }

    /// <summary>Days a double opt-in request waits; null: never lapses.</summary>
    public int? PendingExpiryDays { get; init; } = 7;

    public string ToCSharp()
        => "new OptionsSpec { "
           + $"MaxWinners = {MaxWinners}, MaxAsks = {MaxAsks}, MinGives = {MinGives}, "
           + $"PromotionalCaps = [{string.Join(", ", PromotionalCaps.Select(c => c.ToCSharp()))}], "
           + $"ServiceCaps = [{string.Join(", ", ServiceCaps.Select(c => c.ToCSharp()))}], "
           + $"ApplyCustomerCaps = {Scenario.Bool(ApplyCustomerCaps)}, RequireTopicMatch = {Scenario.Bool(RequireTopicMatch)}, "
           + $"PriorityWeight = {Scenario.Number(PriorityWeight)}, RelevanceWeight = {Scenario.Number(RelevanceWeight)}, ValueWeight = {Scenario.Number(ValueWeight)}, "
           + $"PreferredTimesApplyToService = {Scenario.Bool(PreferredTimesApplyToService)}, DefaultQuiet = {DefaultQuiet?.ToCSharp() ?? "null"}, "
           + $"PendingExpiryDays = {PendingExpiryDays?.ToString(CultureInfo.InvariantCulture) ?? "null"} }}";
}

/// <summary>A contact window at an instant, for <c>ContactWindow.NextAllowed</c> against a minute-by-minute scan.</summary>
public sealed record WindowCase(string Zone, DateTimeOffset At, WindowSpec? Quiet, DayOfWeek[] Days, WindowSpec[] Hours, bool Strict)
{
    public void MatchesScan()
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(Zone);
        var window = new ContactWindow(zone, Quiet?.ToTimeWindow(), Days, [.. Hours.Select(h => h.ToTimeWindow())]);
        var expected = Scan(zone);
        var actual = window.NextAllowed(At, Strict);
        if (expected != actual)
        {
            throw new Xunit.Sdk.XunitException($"NextAllowed: scan {expected:O}, engine {actual:O}");
        }

        if (Allowed(zone, At) != window.IsAllowed(At, Strict))
        {
            throw new Xunit.Sdk.XunitException($"IsAllowed: scan {Allowed(zone, At)}, engine {!Allowed(zone, At)}");
        }
    }

    private bool Allowed(TimeZoneInfo zone, DateTimeOffset t)
    {
        var local = TimeZoneInfo.ConvertTime(t, zone).DateTime;
        if (Quiet is { } q && ReferenceModel.InWindow(q, local))
        {
            return false;
        }

        return !Strict || ((Days.Length == 0 || Days.Contains(local.DayOfWeek)) && (Hours.Length == 0 || Hours.Any(h => ReferenceModel.InWindow(h, local))));
    }

    /// <summary>The first allowed instant at or after <see cref="At"/>, a minute at a time (edges and offsets are whole minutes), within 8 days.</summary>
    private DateTimeOffset? Scan(TimeZoneInfo zone)
    {
        if (Allowed(zone, At))
        {
            return At;
        }

        var m = new DateTimeOffset(At.UtcTicks - (At.UtcTicks % TimeSpan.TicksPerMinute), TimeSpan.Zero).AddMinutes(1);
        for (var i = 0; i < 8 * 24 * 60; i++, m = m.AddMinutes(1))
        {
            if (Allowed(zone, m))
            {
                return m;
            }
        }

        return null;
    }

    public string ToCSharp()
        => $"new WindowCase(\"{Zone}\", DateTimeOffset.Parse(\"{At.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ", CultureInfo.InvariantCulture)}\", CultureInfo.InvariantCulture), {Quiet?.ToCSharp() ?? "null"}, [{string.Join(", ", Days.Select(d => "DayOfWeek." + d))}], [{string.Join(", ", Hours.Select(h => h.ToCSharp()))}], Strict: {Scenario.Bool(Strict)})";
}
