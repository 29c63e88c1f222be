using System.Text.Json;
using Personalize.Benchmarks.Decisions;
using Personalize.Catalog;
using Personalize.Customers;
using Personalize.Decisions;

namespace Personalize.Tests.Decisions;

/// <summary>
/// <see cref="CustomerSnapshot"/>: deciding over the snapshot gives the decisions, JSON and explanations of deciding over
/// the profiles it was made from (the benchmark base, the golden cases' customers; generated bases in
/// <c>PropertyAssert.BatchMatches</c>), and a customer's change reaches the snapshot through <see cref="CustomerSnapshot.Update"/> only.
/// </summary>
public sealed class CustomerSnapshotTests
{
    [Fact]
    public void The_benchmark_base_is_decided_the_same_over_its_snapshot()
    {
        var one = DecisionScenario.Engine();
        var two = DecisionScenario.Engine(maxWinners: 2);
        var catalog = DecisionScenario.Catalog(one);
        var customers = DecisionScenario.Customers(1_000);
        var snapshot = CustomerSnapshot.Create(customers);
        Assert.Equal(customers.Length, snapshot.Count);
        for (var step = 0; step < 6; step++)
        {
            var at = DecisionScenario.Now.AddHours(step * 5).AddDays(step % 3).AddMinutes(step * 11);
            foreach (var engine in new[] { one, two })
            {
                var expected = engine.DecideMany(catalog, customers, Trigger.Tick, at, maxDegreeOfParallelism: 1);
                var actual = engine.DecideMany(catalog, snapshot, Trigger.Tick, at, maxDegreeOfParallelism: 1);
                var parallel = engine.DecideMany(catalog, snapshot, Trigger.Tick, at, maxDegreeOfParallelism: 2);
                for (var i = 0; i < customers.Length; i++)
                {
                    Assert.True(expected[i].ToJson() == actual[i].ToJson(), $"customer {i} at {at:O}: the snapshot's decision differs.");
                    Assert.True(expected[i].Explain() == actual[i].Explain(), $"customer {i} at {at:O}: the snapshot's explanation differs.");
                    Assert.True(actual[i].ToJson() == parallel[i].ToJson(), $"customer {i} at {at:O}: the snapshot on two threads decides differently.");
                    Assert.Same(snapshot[i], actual[i].Customer);
                }

                // Every candidate, one customer at a time, over the snapshot's copies.
                for (var i = 0; i < customers.Length; i += 7)
                {
                    var all = engine.Decide(catalog, customers[i], Trigger.Tick, at, DecisionDetail.All);
                    var copy = engine.Decide(catalog, snapshot[i], Trigger.Tick, at, DecisionDetail.All);
                    Assert.True(all.ToJson() == copy.ToJson() && all.Explain() == copy.Explain(), $"customer {i} at {at:O}: the snapshot's copy is decided differently with every candidate.");
                }
            }
        }
    }

    [Theory]
    [InlineData("rules")]
    [InlineData("arbitration")]
    public void The_golden_customers_are_decided_the_same_over_their_snapshot(string name)
    {
        var golden = GoldenCase.Load(name);
        var snapshot = CustomerSnapshot.Create(golden.Customers);
        foreach (var trigger in golden.Triggers)
        {
            foreach (var at in golden.Instants)
            {
                var expected = golden.Engine.DecideMany(golden.Catalog, golden.Customers, trigger, at, maxDegreeOfParallelism: 1);
                var actual = golden.Engine.DecideMany(golden.Catalog, snapshot, trigger, at, maxDegreeOfParallelism: 1);
                for (var i = 0; i < golden.Customers.Count; i++)
                {
                    Assert.Equal(expected[i].ToJson(), actual[i].ToJson());
                    Assert.Equal(expected[i].Explain(), actual[i].Explain());
                    var all = golden.Engine.Decide(golden.Catalog, snapshot[i], trigger, at, DecisionDetail.All);
                    Assert.Equal(golden.Engine.Decide(golden.Catalog, golden.Customers[i], trigger, at, DecisionDetail.All).ToJson(), all.ToJson());
                }
            }
        }
    }

    [Fact]
    public void The_copies_hold_the_same_values()
    {
        var customers = DecisionScenario.Customers(200);
        var snapshot = CustomerSnapshot.Create(customers);
        for (var i = 0; i < customers.Length; i++)
        {
            var (original, copy) = (customers[i], snapshot[i]);
            Assert.NotSame(original, copy);
            Assert.Equal(original.Id, copy.Id);
            Assert.Equal(original.Stage, copy.Stage);
            Assert.Same(original.TimeZone, copy.TimeZone);
            Assert.Equal(original.Preferences.ChannelRanking, copy.Preferences.ChannelRanking);
            Assert.Equal(original.Preferences.FrequencyCaps, copy.Preferences.FrequencyCaps);
            Assert.Equal(original.Preferences.QuietHours, copy.Preferences.QuietHours);
            Assert.Equal(original.ContactPoints.Email, copy.ContactPoints.Email);
            Assert.Equal(original.ContactPoints.Phone, copy.ContactPoints.Phone);
            Assert.Equal(original.ContactPoints.DeviceTokens, copy.ContactPoints.DeviceTokens);
            Assert.Equal(original.Consents.Records, copy.Consents.Records);
            Assert.Equal(original.History.Records, copy.History.Records);
            Assert.Equal(original.Attributes.Keys, copy.Attributes.Keys);
            foreach (var (key, value) in original.Attributes)
            {
                Assert.Equal(value.GetRawText(), copy.Attributes[key].GetRawText());
            }
        }

        // Equal preferences are one instance.
        var distinct = snapshot.Select(c => c.Preferences).Distinct(ReferenceEqualityComparer.Instance).Count();
        var values = customers.Select(c => c.Preferences).Select(p => $"{string.Join(",", p.ChannelRanking)}|{string.Join(",", p.FrequencyCaps)}|{p.QuietHours}|{p.PausedUntil}").Distinct(StringComparer.Ordinal).Count();
        Assert.True(values < customers.Length, "the base has no equal preferences to share");
        Assert.Equal(values, distinct);
    }

    [Fact]
    public void A_changed_customer_reaches_the_snapshot_through_Update_only()
    {
        var engine = DecisionScenario.Engine();
        var catalog = DecisionScenario.Catalog(engine);
        var customers = DecisionScenario.Customers(20);
        var attributes = new Dictionary<string, JsonElement>(StringComparer.Ordinal) { ["loyaltyPoints"] = JsonSerializer.SerializeToElement(500), ["tier"] = JsonSerializer.SerializeToElement("gold") };
        customers[0] = customers[0] with { Attributes = attributes, Consents = global::Personalize.Consent.ConsentLedger.Empty };
        var snapshot = CustomerSnapshot.Create(customers);
        var before = engine.DecideMany(catalog, snapshot, Trigger.Tick, DecisionScenario.Now, 1)[0].ToJson();

        // The caller's dictionary changed in place after the snapshot: the snapshot's copy does not see it.
        attributes["tier"] = JsonSerializer.SerializeToElement("bronze");
        Assert.Equal("gold", snapshot[0].Attributes["tier"].GetString());
        Assert.Equal(before, engine.DecideMany(catalog, snapshot, Trigger.Tick, DecisionScenario.Now, 1)[0].ToJson());

        // A new profile (consent given to every channel) through Update: decided as the new profile is.
        var changed = DecisionScenario.Customers(20)[3] with { Id = customers[0].Id };
        snapshot.Update(0, changed);
        var after = engine.DecideMany(catalog, snapshot, Trigger.Tick, DecisionScenario.Now, 1);
        Assert.Equal(engine.Decide(catalog, changed, Trigger.Tick, DecisionScenario.Now).ToJson(), after[0].ToJson());
        Assert.NotEqual(before, after[0].ToJson());
        for (var i = 1; i < customers.Length; i++)
        {
            Assert.Equal(engine.Decide(catalog, customers[i], Trigger.Tick, DecisionScenario.Now).ToJson(), after[i].ToJson());
        }
    }

    [Fact]
    public void Preferences_that_differ_in_any_one_value_are_never_shared()
    {
        // The snapshot shares equal preferences by comparing every value; a property it does not compare would make two
        // customers' different preferences one. This list is the one it compares: a new property must be added to the
        // snapshot's comparison (CustomerSnapshot.PreferencesKey) and here.
        string[] compared = ["ChannelRanking", "FrequencyCaps", "PreferredDays", "PreferredHours", "QuietHours", "PausedUntil"];
        var properties = typeof(ContactPreferences).GetProperties(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance)
            .Where(static p => p.Name != "EqualityContract").Select(static p => p.Name).Order(StringComparer.Ordinal);
        Assert.Equal(compared.Order(StringComparer.Ordinal), properties);

        var basis = new ContactPreferences
        {
            ChannelRanking = [global::Personalize.Channels.Channel.Email, global::Personalize.Channels.Channel.Sms],
            FrequencyCaps = [new FrequencyCap { Max = 2, Period = CapPeriod.Week }],
            PreferredDays = [DayOfWeek.Monday],
            PreferredHours = [new global::Personalize.Timing.TimeWindow(new TimeOnly(9, 0), new TimeOnly(12, 0))],
            QuietHours = new global::Personalize.Timing.TimeWindow(new TimeOnly(21, 0), new TimeOnly(8, 0)),
            PausedUntil = DateTimeOffset.Parse("2026-12-24T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture),
        };
        ContactPreferences[] variants =
        [
            basis,
            basis with { ChannelRanking = [global::Personalize.Channels.Channel.Sms, global::Personalize.Channels.Channel.Email] },
            basis with { FrequencyCaps = [new FrequencyCap { Max = 3, Period = CapPeriod.Week }] },
            basis with { PreferredDays = [DayOfWeek.Tuesday] },
            basis with { PreferredHours = [new global::Personalize.Timing.TimeWindow(new TimeOnly(10, 0), new TimeOnly(12, 0))] },
            basis with { QuietHours = new global::Personalize.Timing.TimeWindow(new TimeOnly(22, 0), new TimeOnly(8, 0)) },
            basis with { PausedUntil = null },
            basis with { },
        ];
        var snapshot = CustomerSnapshot.Create(variants.Select(static (p, i) => new CustomerProfile { Id = "c-" + i, Preferences = p }));
        for (var i = 0; i < variants.Length; i++)
        {
            Assert.Equal(variants[i].PausedUntil, snapshot[i].Preferences.PausedUntil);
            Assert.Equal(variants[i].QuietHours, snapshot[i].Preferences.QuietHours);
            Assert.Equal(variants[i].ChannelRanking, snapshot[i].Preferences.ChannelRanking);
            Assert.Equal(variants[i].FrequencyCaps, snapshot[i].Preferences.FrequencyCaps);
            Assert.Equal(variants[i].PreferredDays, snapshot[i].Preferences.PreferredDays);
            Assert.Equal(variants[i].PreferredHours, snapshot[i].Preferences.PreferredHours);
        }

        // Seven different values, seven instances; the last (an equal copy of the first) shares the first's.
        Assert.Equal(7, snapshot.Select(static c => c.Preferences).Distinct(ReferenceEqualityComparer.Instance).Count());
        Assert.Same(snapshot[0].Preferences, snapshot[7].Preferences);
    }

    [Fact]
    public void Attributes_with_another_key_comparer_keep_their_lookups()
    {
        var attributes = new Dictionary<string, JsonElement>(StringComparer.OrdinalIgnoreCase) { ["Tier"] = JsonSerializer.SerializeToElement("gold") };
        var snapshot = CustomerSnapshot.Create([new CustomerProfile { Id = "c", Attributes = attributes }]);
        Assert.True(snapshot[0].Attributes.TryGetValue("TIER", out var tier));
        Assert.Equal("gold", tier.GetString());
    }

    [Fact]
    public void Bad_input_is_named()
    {
        var error = Assert.Throws<ArgumentException>(() => CustomerSnapshot.Create([new CustomerProfile { Id = "a" }, null!]));
        Assert.Contains("customers[1] is null", error.Message, StringComparison.Ordinal);
        var snapshot = CustomerSnapshot.Create([new CustomerProfile { Id = "a" }]);
        Assert.Throws<ArgumentOutOfRangeException>(() => snapshot.Update(1, new CustomerProfile { Id = "b" }));
        Assert.Throws<ArgumentNullException>(() => snapshot.Update(0, null!));
        var engine = DecisionScenario.Engine();
        Assert.Empty(engine.DecideMany(DecisionScenario.Catalog(engine), CustomerSnapshot.Create([]), Trigger.Tick, DecisionScenario.Now));
    }
}
