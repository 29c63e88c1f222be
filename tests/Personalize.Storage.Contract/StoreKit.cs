using System.Text.Json;
using Personalize.Channels;
using Personalize.Consent;
using Personalize.Customers;
using Personalize.Delivery;
using Personalize.Serialization;
using Personalize.Timing;

namespace Personalize.Storage.Contract;

/// <summary>Builders for the contract tests: customers with every kind of fact, consent and history, and sends.</summary>
public static class StoreKit
{
    /// <summary>A host channel the contract's stores must know (stores read channel names back through the registry).</summary>
    public static readonly Channel WhatsApp = new("whatsapp");

    /// <summary>The channels the contract's stores are created with: the built-in ones and <see cref="WhatsApp"/>.</summary>
    public static readonly ChannelRegistry Channels = ChannelRegistry.Create([new ChannelDefinition(WhatsApp, "WhatsApp", ContactPointKind.Phone, respectsTiming: true)]);

    /// <summary>An event of <paramref name="type"/> for a customer, with its data JSON when given.</summary>
    public static Events.CustomerEvent Event(string id, string customer, string type, DateTimeOffset at, string? data = null) => new()
    {
        Id = id,
        CustomerId = customer,
        Type = type,
        OccurredAt = at,
        Data = data is null ? default : JsonDocument.Parse(data).RootElement.Clone(),
    };

    /// <summary>Facts of one fact, set by <paramref name="eventId"/> at <see cref="Now"/>.</summary>
    public static Events.CustomerFacts OneFact(string name, object value, string eventId) => Events.CustomerFacts.Create([new(name, new Events.Fact(value, Now, eventId))]);

    /// <summary>Sunday 15 March 2026, 09:00 UTC.</summary>
    public static readonly DateTimeOffset Now = new(2026, 3, 15, 9, 0, 0, TimeSpan.Zero);

    public static readonly ConsentSource Form = ConsentSource.Form("preference center");

    /// <summary>A customer with every kind of profile fact, five kinds of consent scope and two history records.</summary>
    public static CustomerProfile Customer(string id, string? email = null, string? phone = null)
    {
        var n = id.GetHashCode(StringComparison.Ordinal) & 0xFFFF;
        return new CustomerProfile
        {
            Id = id,
            Stage = LifecycleStage.Adoption,
            Language = "en-NZ",
            TimeZone = TimeZoneInfo.FindSystemTimeZoneById("Pacific/Auckland"),
            ContactPoints = new ContactPoints
            {
                Email = email ?? $"{id}@example.com",
                Phone = phone ?? "+6421" + n.ToString("D7", System.Globalization.CultureInfo.InvariantCulture),
                DeviceTokens = ["apns-" + id],
                PostalAddress = new PostalAddress { Lines = ["12 Rose Lane", "Ponsonby"], PostalCode = "1011", City = "Auckland", Country = "NZ" },
            },
            Preferences = new ContactPreferences
            {
                ChannelRanking = [Channel.Email, Channel.Sms, WhatsApp],
                FrequencyCaps = [new FrequencyCap { Max = 3, Period = CapPeriod.Week }, new FrequencyCap { Channel = Channel.Sms, Max = 1, Period = CapPeriod.Day }],
                PreferredDays = [DayOfWeek.Monday, DayOfWeek.Saturday],
                PreferredHours = [new TimeWindow(new TimeOnly(9, 0), new TimeOnly(12, 30))],
                QuietHours = new TimeWindow(new TimeOnly(21, 0), new TimeOnly(7, 30)),
            },
            ServiceFlags = new ServiceFlags { FailedPayment = true, NpsScore = 4 },
            Attributes = new Dictionary<string, JsonElement>
            {
                ["firstName"] = JsonSerializer.SerializeToElement("Ā" + id),
                ["points"] = JsonSerializer.SerializeToElement(1250.5),
                ["plants"] = JsonSerializer.SerializeToElement(new[] { "rose", "fern" }),
            },
            Consents = new ConsentLedger(
            [
                ConsentRecord.Grant(ConsentScope.ForChannel(Channel.Email), Now.AddDays(-30), Form, "pc-v3"),
                ConsentRecord.Grant(ConsentScope.ForChannel(Channel.Sms, ContactPurpose.Marketing), Now.AddDays(-29), ConsentSource.Agent("call centre, agent 17"), optIn: OptInMethod.Double, confirmedAt: Now.AddDays(-28)),
                ConsentRecord.Withdraw(ConsentScope.ForPurpose(ContactPurpose.Relationship), Now.AddDays(-20), ConsentSource.FromChannel("SMS reply STOP")),
                ConsentRecord.Grant(ConsentScope.ForTopic("gardening"), Now.AddDays(-10), Form) with { Wording = "Send me gardening tips \"weekly\"" },
                ConsentRecord.Grant(ConsentScope.Personalization, Now.AddDays(-10), ConsentSource.Import("CRM 2025")),
            ]),
            History = new ContactHistory(
            [
                new ContactRecord { MessageId = "welcome", Channel = Channel.Email, Purpose = ContactPurpose.Relationship, Kind = MessageKind.Give, SentAt = Now.AddDays(-9) },
                new ContactRecord { MessageId = "nps", Channel = WhatsApp, Purpose = ContactPurpose.Relationship, Kind = MessageKind.Ask, SentAt = Now.AddDays(-2).AddTicks(10) },
            ]),
        };
    }

    /// <summary>A bare customer: an id and an email address.</summary>
    public static CustomerProfile Bare(string id) => new() { Id = id, ContactPoints = new ContactPoints { Email = id + "@example.com" } };

    /// <summary>A delivery log entry for a send of <paramref name="messageId"/> to a customer at an instant.</summary>
    public static DeliveryRecord Send(string customerId, string messageId, DateTimeOffset at, string trigger = "schedule", Channel? channel = null, string? runId = null) => new()
    {
        IdempotencyKey = IdempotencyKey.Create(trigger, customerId, messageId, at),
        CustomerId = customerId,
        MessageId = messageId,
        Channel = channel ?? Channel.Email,
        Purpose = ContactPurpose.Marketing,
        Kind = MessageKind.Give,
        SentAt = at,
        Trigger = trigger,
        Template = messageId + "/email",
        RunId = runId,
    };

    /// <summary>A scheduled send of <paramref name="messageId"/> to a customer, due at an instant.</summary>
    public static ScheduledSend Scheduled(string customerId, string messageId, DateTimeOffset due, string trigger = "schedule", string? runId = null) => new()
    {
        IdempotencyKey = IdempotencyKey.Create(trigger, customerId, messageId, due),
        CustomerId = customerId,
        MessageId = messageId,
        Channel = Channel.Sms,
        Template = messageId + "/sms",
        Trigger = trigger,
        Purpose = ContactPurpose.Service,
        Kind = MessageKind.Give,
        DueAt = due,
        DecidedAt = Now,
        RunId = runId,
    };

    /// <summary>The profile facts as canonical JSON (the consent ledger and history left out), to compare two profiles.</summary>
    public static string FactsJson(CustomerProfile profile)
        => System.Text.Encoding.UTF8.GetString(new CustomerJson(Channels).WriteCustomer(profile with { Consents = ConsentLedger.Empty, History = ContactHistory.Empty }));
}
