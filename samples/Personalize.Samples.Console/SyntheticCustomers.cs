using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Bogus;
using Personalize.Channels;
using Personalize.Consent;
using Personalize.Customers;

namespace Personalize.Samples.ConsoleHost;

/// <summary>
/// Generates customers for load runs with Bogus, deterministically (fixed seed: the same N gives the same customers),
/// lazily — one at a time as the runner asks, so a run over ten million never holds them all.
/// </summary>
internal static class SyntheticCustomers
{
    public const int Seed = 20260315;

    private static readonly string[] Zones = ["Pacific/Auckland", "Australia/Sydney", "Asia/Tokyo", "Europe/Berlin", "Europe/London", "America/New_York", "America/Los_Angeles", "UTC"];
    private static readonly string[] Languages = ["en-NZ", "en-AU", "ja-JP", "de-DE", "en-GB", "en-US", "en-US", "en"];
    private static readonly string[] Tiers = ["bronze", "silver", "gold"];
    private static readonly LifecycleStage[] Stages = [LifecycleStage.Exposure, LifecycleStage.Adoption, LifecycleStage.Retention];
    private static readonly DateTimeOffset OptedIn = new(2025, 9, 1, 9, 0, 0, TimeSpan.Zero);
    private static readonly ConsentSource Form = ConsentSource.Form("preference center");

    /// <summary>The id of the synthetic customer at a position.</summary>
    public static string Id(int index) => "s-" + index.ToString("D7", CultureInfo.InvariantCulture);

    public static async IAsyncEnumerable<CustomerProfile> GenerateAsync(int count, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var faker = new Faker("en") { Random = new Randomizer(Seed) };
        var zones = Zones.Select(TimeZoneInfo.FindSystemTimeZoneById).ToArray();
        var strings = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        var numbers = new Dictionary<int, JsonElement>();
        var yes = JsonSerializer.SerializeToElement(true);
        var no = JsonSerializer.SerializeToElement(false);
        var topicSets = new[]
        {
            new[] { "gardening" },
            new[] { "gardening", "recipes" },
            new[] { "travel" },
            new[] { "recipes" },
        };

        for (var i = 0; i < count; i++)
        {
            if ((i & 1023) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                await Task.Yield();
            }

            var r = faker.Random;
            var zone = r.Int(0, zones.Length - 1);
            var first = faker.Name.FirstName();
            var last = faker.Name.LastName();
            var id = Id(i);
            var consents = new List<ConsentRecord>(6)
            {
                ConsentRecord.Grant(ConsentScope.ForChannel(Channel.Email), OptedIn, Form, "pc-2025-09"),
                ConsentRecord.Grant(ConsentScope.ForChannel(Channel.Sms), OptedIn, Form, "pc-2025-09"),
            };
            foreach (var topic in topicSets[r.Int(0, topicSets.Length - 1)])
            {
                consents.Add(ConsentRecord.Grant(ConsentScope.ForTopic(topic), OptedIn, Form, "pc-2025-09"));
            }

            if (r.Int(0, 9) < 7)
            {
                consents.Add(ConsentRecord.Grant(ConsentScope.Personalization, OptedIn, Form, "pc-2025-09"));
            }

            var points = r.Int(0, 60) * 10;
            yield return new CustomerProfile
            {
                Id = id,
                Stage = Stages[r.Int(0, 2)],
                Language = Languages[zone],
                TimeZone = zones[zone],
                ContactPoints = new ContactPoints
                {
                    Email = $"{id}@example.com",
                    Phone = "+6421" + i.ToString("D7", CultureInfo.InvariantCulture),
                },
                Preferences = new ContactPreferences { ChannelRanking = r.Bool(0.75f) ? [Channel.Email, Channel.Sms] : [Channel.Sms, Channel.Email] },
                Consents = new ConsentLedger(consents),
                Attributes = new Dictionary<string, JsonElement>(5, StringComparer.Ordinal)
                {
                    ["firstName"] = Cached(strings, first),
                    ["lastName"] = Cached(strings, last),
                    ["tier"] = Cached(strings, Tiers[r.Int(0, 2)]),
                    ["loyaltyPoints"] = Cached(numbers, points),
                    ["vip"] = points >= 400 ? yes : no,
                },
            };
        }
    }

    private static JsonElement Cached<TKey>(Dictionary<TKey, JsonElement> cache, TKey value)
        where TKey : notnull
    {
        if (!cache.TryGetValue(value, out var element))
        {
            element = JsonSerializer.SerializeToElement(value);
            cache[value] = element;
        }

        return element;
    }
}
