using System.Text.Json;
using Personalize.Catalog;
using Personalize.Channels;
using Personalize.Consent;
using Personalize.Customers;
using Personalize.Decisions;
using Personalize.Eligibility;
using Personalize.Timing;

namespace Personalize.Benchmarks.Decisions;

/// <summary>
/// A realistic decision workload: a 50-message catalog over 5 channels (email, SMS, push, in-app, direct mail) with
/// topics, stages, caps and conditions (a third are expressions, some typed predicates), and customers with consent
/// ledgers, 0–40 contacts of history over 90 days, preferences, quiet hours and zones. Deterministic (fixed seed).
/// </summary>
internal static class DecisionScenario
{
    public static readonly DateTimeOffset Now = new(2026, 3, 11, 10, 0, 0, TimeSpan.Zero);

    private static readonly Channel[] Channels = [Channel.Email, Channel.Sms, Channel.Push, Channel.InApp, Channel.DirectMail];
    private static readonly string[] Topics = ["gardening", "travel", "recipes", "fitness", "books", "music"];
    private static readonly string[] Zones = ["Europe/Berlin", "Pacific/Auckland", "America/New_York", "Asia/Tokyo", "Etc/UTC"];
    private static readonly ConsentSource Source = ConsentSource.Form("preference center");

    public static DecisionEngine Engine(int maxWinners = 1)
    {
        var eligibility = new ContactEligibility(new PersonalizeOptions(), TimeProvider.System);
        return new DecisionEngine(new DecisionOptions { MaxWinners = maxWinners }, eligibility, TimeProvider.System);
    }

    public static CompiledCatalog Catalog(DecisionEngine engine)
    {
        var random = new Random(42);
        var builder = MessageCatalog.CreateBuilder();
        for (var i = 0; i < 50; i++)
        {
            var index = i;
            builder.Add($"m-{i:00}", m =>
            {
                var purpose = (index % 5) switch
                {
                    0 => ContactPurpose.Service,
                    1 or 2 => ContactPurpose.Relationship,
                    _ => ContactPurpose.Marketing,
                };
                m.Purpose(purpose);
                if (index % 7 == 3)
                {
                    m.Ask();
                }

                if (purpose == ContactPurpose.Marketing && index % 2 == 0)
                {
                    m.Topics(Topics[index % Topics.Length]);
                }

                if (index % 3 == 1)
                {
                    m.Stages((LifecycleStage)(index % 3), (LifecycleStage)((index + 1) % 3));
                }

                // 30 messages answer the schedule tick, the others events and a campaign.
                if (index < 30)
                {
                    m.OnSchedule();
                }
                else
                {
                    m.OnEvent(index % 2 == 0 ? "order_shipped" : "payment_failed").OnCampaign("spring_sale");
                }

                switch (index % 6)
                {
                    case 1:
                        m.When("customer.loyalty_points > 100 && customer.tier != \"bronze\"");
                        break;
                    case 4:
                        m.When(static c => c.Customer.Preferences.ChannelRanking.Count > 1, "has a channel ranking");
                        break;
                }

                m.Priority(1 + random.Next(10)).Value(1 + random.Next(5));
                if (index % 4 == 0)
                {
                    m.OncePer(TimeSpan.FromDays(30));
                }

                var first = index % Channels.Length;
                for (var c = 0; c < 3; c++)
                {
                    var channel = Channels[(first + c) % Channels.Length];
                    m.Channel(channel, $"m-{index:00}/{channel}");
                }

                if (index % 9 == 0)
                {
                    m.DropWhenBlocked();
                }
            });
        }

        return builder.Build().Compile(new CatalogValidationOptions { Channels = engine.Eligibility.Channels });
    }

    /// <summary>
    /// The customers. <paramref name="packed"/> makes the same customers (same draws, same values) but allocates each
    /// customer's objects a decision reads (profile, preferences, ranking, contact points, ledger, history indexes,
    /// attributes) one after the other, after everyone's records (consent and contact records, which a decision does
    /// not read): a stand-in for a compact per-customer layout, to measure what locality alone is worth.
    /// </summary>
    public static CustomerProfile[] Customers(int count, bool packed = false)
    {
        var random = new Random(7);
        var customers = new CustomerProfile[count];
        var zones = Zones.Select(TimeZoneInfo.FindSystemTimeZoneById).ToArray();
        var draws = packed ? new Draw[count] : null;
        for (var i = 0; i < count; i++)
        {
            var draw = Next(random, zones, i);
            if (draws is null)
            {
                customers[i] = Build(i, draw);
            }
            else
            {
                draws[i] = draw;
            }
        }

        if (draws is not null)
        {
            for (var i = 0; i < count; i++)
            {
                customers[i] = Build(i, draws[i] with { Ranking = [.. draws[i].Ranking] });
                draws[i] = default!;
            }
        }

        return customers;
    }

    private sealed record Draw(
        List<ConsentRecord> Consents,
        ContactRecord[] History,
        Channel[] Ranking,
        int LoyaltyPoints,
        string Tier,
        LifecycleStage Stage,
        TimeZoneInfo Zone,
        bool Phone,
        bool Tokens,
        bool Postal,
        bool Quiet,
        bool Caps,
        bool Complaint);

    private static Draw Next(Random random, TimeZoneInfo[] zones, int i)
    {
        var consents = new List<ConsentRecord>();
        foreach (var channel in Channels)
        {
            if (random.NextDouble() < 0.7)
            {
                consents.Add(ConsentRecord.Grant(ConsentScope.ForChannel(channel), Now.AddDays(-400 + random.Next(300)), Source, "v1"));
            }
        }

        if (random.NextDouble() < 0.1)
        {
            consents.Add(ConsentRecord.Withdraw(ConsentScope.ForChannel(Channel.Sms), Now.AddDays(-random.Next(60)), Source));
        }

        foreach (var topic in Topics)
        {
            if (random.NextDouble() < 0.35)
            {
                consents.Add(ConsentRecord.Grant(ConsentScope.ForTopic(topic), Now.AddDays(-300), Source, "v1"));
            }
        }

        var history = new ContactRecord[random.Next(41)];
        for (var h = 0; h < history.Length; h++)
        {
            var message = random.Next(50);
            history[h] = new ContactRecord
            {
                MessageId = $"m-{message:00}",
                Channel = Channels[random.Next(Channels.Length)],
                Purpose = (ContactPurpose)(message % 3),
                Kind = message % 7 == 3 ? MessageKind.Ask : MessageKind.Give,
                SentAt = Now.AddMinutes(-random.Next(90 * 24 * 60)),
            };
        }

        var ranking = Channels.OrderBy(_ => random.Next()).Take(1 + random.Next(4)).ToArray();
        var loyaltyPoints = random.Next(500);
        var tier = random.Next(3) switch { 0 => "bronze", 1 => "silver", _ => "gold" };
        var stage = (LifecycleStage)random.Next(3);
        var zone = zones[random.Next(zones.Length)];
        var phone = random.NextDouble() < 0.8;
        var tokens = random.NextDouble() < 0.6;
        var postal = random.NextDouble() < 0.3;
        var quiet = random.NextDouble() < 0.6;
        var caps = random.NextDouble() < 0.3;
        var complaint = random.NextDouble() < 0.05;
        return new Draw(consents, history, ranking, loyaltyPoints, tier, stage, zone, phone, tokens, postal, quiet, caps, complaint);
    }

    private static CustomerProfile Build(int i, Draw d)
    {
        var attributes = new Dictionary<string, JsonElement>
        {
            ["loyaltyPoints"] = JsonSerializer.SerializeToElement(d.LoyaltyPoints),
            ["tier"] = JsonSerializer.SerializeToElement(d.Tier),
        };
        return new CustomerProfile
        {
            Id = "c-" + i,
            Stage = d.Stage,
            TimeZone = d.Zone,
            ContactPoints = new ContactPoints
            {
                Email = "c" + i + "@example.com",
                Phone = d.Phone ? "+4915112345678" : null,
                DeviceTokens = d.Tokens ? ["tok"] : [],
                PostalAddress = d.Postal ? new PostalAddress { Lines = ["1 Main St"], City = "Berlin", Country = "DE" } : null,
            },
            Consents = new ConsentLedger(d.Consents),
            History = new ContactHistory(d.History),
            Preferences = new ContactPreferences
            {
                ChannelRanking = d.Ranking,
                QuietHours = d.Quiet ? new TimeWindow(new TimeOnly(21, 0), new TimeOnly(8, 0)) : null,
                FrequencyCaps = d.Caps ? [new FrequencyCap { Max = 2, Period = CapPeriod.Week }] : [],
            },
            ServiceFlags = d.Complaint ? new ServiceFlags { OpenComplaint = true } : ServiceFlags.None,
            Attributes = attributes,
        };
    }
}
