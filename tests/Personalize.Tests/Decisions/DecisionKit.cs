using System.Text.Json;
using Personalize.Catalog;
using Personalize.Channels;
using Personalize.Consent;
using Personalize.Customers;
using Personalize.Decisions;
using Personalize.Eligibility;
using Personalize.Timing;

namespace Personalize.Tests.Decisions;

/// <summary>Builders shared by the decision tests: a Berlin customer reachable on email, SMS and push, and an engine.</summary>
internal static class DecisionKit
{
    public static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
    public static readonly ConsentSource PreferenceCenter = ConsentSource.Form("preference center");

    /// <summary>Wednesday 11 March 2026, 10:00 UTC = 11:00 in Berlin.</summary>
    public static readonly DateTimeOffset Now = new(2026, 3, 11, 10, 0, 0, TimeSpan.Zero);

    public static readonly DateTimeOffset LongAgo = new(2025, 1, 1, 9, 0, 0, TimeSpan.Zero);

    public static ConsentRecord Grant(Channel channel) => ConsentRecord.Grant(ConsentScope.ForChannel(channel), LongAgo, PreferenceCenter, "v1");

    public static ConsentRecord GrantTopic(string topic) => ConsentRecord.Grant(ConsentScope.ForTopic(topic), LongAgo, PreferenceCenter, "v1");

    public static CustomerProfile Customer(
        string id = "c-1",
        LifecycleStage stage = LifecycleStage.Retention,
        IEnumerable<ConsentRecord>? consents = null,
        IEnumerable<ContactRecord>? history = null,
        ContactPreferences? preferences = null,
        ServiceFlags? flags = null,
        IReadOnlyDictionary<string, JsonElement>? attributes = null,
        TimeZoneInfo? zone = null) => new()
        {
            Id = id,
            Stage = stage,
            TimeZone = zone ?? Berlin,
            ContactPoints = new ContactPoints { Email = "a@example.com", Phone = "+4915112345678", DeviceTokens = ["tok"] },
            Consents = new ConsentLedger(consents ?? [Grant(Channel.Email), Grant(Channel.Sms), Grant(Channel.Push)]),
            History = new ContactHistory(history ?? []),
            Preferences = preferences ?? new ContactPreferences { ChannelRanking = [Channel.Email, Channel.Sms, Channel.Push] },
            ServiceFlags = flags ?? ServiceFlags.None,
            Attributes = attributes ?? new Dictionary<string, JsonElement>(),
        };

    public static ContactRecord Sent(string messageId, DateTimeOffset at, ContactPurpose purpose = ContactPurpose.Marketing, MessageKind kind = MessageKind.Give, Channel? channel = null)
        => new() { MessageId = messageId, Channel = channel ?? Channel.Email, Purpose = purpose, Kind = kind, SentAt = at };

    public static DecisionEngine Engine(Action<DecisionOptions>? configure = null, Action<PersonalizeOptions>? personalize = null)
    {
        var options = new DecisionOptions();
        configure?.Invoke(options);
        var personalizeOptions = new PersonalizeOptions();
        personalize?.Invoke(personalizeOptions);
        var eligibility = new ContactEligibility(personalizeOptions, new ManualTimeProvider(Now));
        return new DecisionEngine(options, eligibility, new ManualTimeProvider(Now));
    }

    public static CompiledCatalog Compile(DecisionEngine engine, Action<CatalogBuilder> build)
    {
        var builder = MessageCatalog.CreateBuilder();
        build(builder);
        return builder.Build().Compile(new CatalogValidationOptions { Channels = engine.Eligibility.Channels });
    }

    public static CandidateOutcome Outcome(Decision decision, string id) => decision.Candidates.Single(c => c.MessageId == id);

    public static IReadOnlyDictionary<string, JsonElement> Attributes(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone());
    }

    public static TimeWindow Window(int startHour, int startMinute, int endHour, int endMinute)
        => new(new TimeOnly(startHour, startMinute), new TimeOnly(endHour, endMinute));
}
