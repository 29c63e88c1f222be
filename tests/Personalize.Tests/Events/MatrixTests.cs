using Personalize.Catalog;
using Personalize.Channels;
using Personalize.Customers;
using Personalize.Delivery.Sinks;
using Personalize.Events;
using Personalize.Sending;
using Personalize.Storage;
using Personalize.Tests.Decisions;
using Personalize.Tests.Sending;
using static Personalize.Tests.Events.EventKit;

namespace Personalize.Tests.Events;

/// <summary>The relationship matrix: cells at their boundaries, tier moves recorded and triggered, customer.tier and customer.matrix, first access to good deals.</summary>
public sealed class MatrixTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 10, 9, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(0, 0, 1, 1, "new")]
    [InlineData(89.99, 2.99, 1, 1, "new")]
    [InlineData(90, 2.99, 2, 1, "occasional")]
    [InlineData(364.99, 3, 2, 2, "growing")]
    [InlineData(365, 7.99, 3, 2, "steady")]
    [InlineData(365, 8, 3, 3, "best_friends")]
    [InlineData(10, 8, 1, 3, "rising_star")]
    [InlineData(4000, 0, 3, 1, "fading")]
    public void A_customer_is_placed_in_the_cell_of_their_tenure_and_strength_with_each_bound_in_the_upper_cell(double days, double orders, int longevity, int strength, string tier)
    {
        // Strength from orders alone here: one point per order (value and activity left out).
        var matrix = RelationshipMatrix.Default with { ValuePerPoint = 0, PointsPerOrder = 0.01 };
        var facts = CustomerFacts.Create(new Dictionary<string, Fact>
        {
            [FactNames.FirstPurchaseAt] = new(T0 - TimeSpan.FromDays(days), T0, "e-1"),
            [FactNames.OrderCount] = new((decimal)(orders * 100), T0, "e-1"),
        });

        Assert.Equal(new MatrixCell(longevity, strength, tier), matrix.Place(facts, T0));
    }

    [Fact]
    public void The_default_score_counts_orders_value_activity_and_renewals()
    {
        var facts = CustomerFacts.Create(new Dictionary<string, Fact>
        {
            [FactNames.OrderCount] = new(2L, T0, "e"),
            [FactNames.TotalValue] = new(250m, T0, "e"),
            [FactNames.ActivityCount] = new(4L, T0, "e"),
            [FactNames.RenewalCount] = new(1L, T0, "e"),
        });

        Assert.Equal(2 + 2.5 + 1 + 2, RelationshipMatrix.Default.Score(facts), 6);
        Assert.Equal(TimeSpan.Zero, RelationshipMatrix.Tenure(facts, T0));
    }

    [Fact]
    public async Task A_tick_places_customers_records_each_move_and_fires_the_tier_trigger_only_for_a_move()
    {
        var (store, sink, runner, run) = await SetUpAsync(["c-1", "c-2"]);
        await new EventIngestor().IngestAsync(Stream([
            Event("o-1", "c-1", "order_placed", T0.AddDays(-400), """{"total":10}"""),
            Event("o-2", "c-1", "order_placed", T0.AddDays(-200), """{"total":10}"""),
        ]), store, T0);

        var first = await runner.TickAsync(run with { At = T0 }, store);

        Assert.Equal(2, first.TierChanges);
        Assert.Empty(sink.Messages);
        var c1 = (await store.GetCustomerAsync("c-1"))!.Profile;
        Assert.Equal("fading", c1.Facts.ValueOf(FactNames.Tier));
        Assert.Equal(3m, c1.Facts.NumberOf(FactNames.MatrixLongevity));
        Assert.Equal("new", (await store.GetCustomerAsync("c-2"))!.Profile.Facts.ValueOf(FactNames.Tier));

        // Four big orders make c-1 a best friend (6 orders, 620 of value, 6 activities: 6 + 6.2 + 1.5): the next tick records the move and fires tier:best_friends once.
        await new EventIngestor().IngestAsync(Stream(Enumerable.Range(3, 4).Select(i => Event($"o-{i}", "c-1", "order_placed", T0.AddDays(1).AddHours(i), """{"total":150}"""))), store, T0.AddDays(2));
        var second = await runner.TickAsync(run with { At = T0.AddDays(2) }, store);
        var third = await runner.TickAsync(run with { At = T0.AddDays(3) }, store);

        Assert.Equal(1, second.TierChanges);
        Assert.Equal(0, third.TierChanges);
        Assert.Equal(["c-1:best-friends-welcome"], sink.Messages.Select(m => m.CustomerId + ":" + m.MessageId));
        Assert.Equal("Welcome to best_friends (longevity 3, strength 3)", Assert.IsType<Personalize.Channels.Email.EmailContent>(sink.Messages[0].Content).Subject);
        var changes = (await store.ReadChangesAsync(new ChangeQuery { Kind = ChangeKinds.Tier, CustomerId = "c-1" })).Items;
        Assert.Equal([(null, "fading"), ("fading", "best_friends")], changes.Select(c => (c.From, c.To)));
        Assert.Equal("matrix: longevity 3 (402 days), strength 3 (score 13.7)", changes[^1].Cause);
    }

    [Fact]
    public async Task Conditions_see_customer_tier_and_customer_matrix()
    {
        var (store, sink, runner, run) = await SetUpAsync(["c-1", "c-2"], deals: [new GoodDeal("spring_sale", T0.AddDays(1))]);
        await new EventIngestor().IngestAsync(Stream(Enumerable.Range(1, 9).Select(i => Event($"o-{i}", "c-1", "order_placed", T0.AddDays(-400 + i), """{"total":10}"""))), store, T0);

        await runner.TickAsync(run with { At = T0 }, store);

        // Only the best friend gets the early-access message, whose condition also reads customer.matrix.strength.
        Assert.Equal(["c-1:spring-sale-early"], sink.Messages.Select(m => m.CustomerId + ":" + m.MessageId));
    }

    [Theory]
    [InlineData(-49, 0)]  // before the early-access window
    [InlineData(-48, 1)]  // the window opens 48 hours before the deal
    [InlineData(-1, 1)]
    [InlineData(0, 0)]    // the deal is open for everyone: no early access any more
    public async Task The_top_tier_gets_first_access_to_a_good_deal_once_in_its_window(int hoursFromOpening, int expected)
    {
        var opens = T0.AddDays(10);
        var (store, sink, runner, run) = await SetUpAsync(["best", "other"], deals: [new GoodDeal("spring_sale", opens)]);
        await new EventIngestor().IngestAsync(Stream(Enumerable.Range(1, 9).Select(i => Event($"o-{i}", "best", "order_placed", T0.AddDays(-400 + i), """{"total":10}"""))), store, T0);
        await runner.TickAsync(run with { At = T0 }, store);

        var at = opens.AddHours(hoursFromOpening);
        var tick = await runner.TickAsync(run with { At = at }, store);
        await runner.TickAsync(run with { At = at.AddMinutes(30) }, store);

        Assert.Equal(expected, tick.Fired.GetValueOrDefault("first_access.spring_sale"));
        Assert.Equal(expected, sink.Messages.Count(m => m.MessageId == "spring-sale-early"));
        Assert.DoesNotContain(sink.Messages, m => m.CustomerId == "other");
    }

    [Fact]
    public async Task A_matrix_whose_grid_does_not_match_its_bounds_is_refused_with_what_to_fix()
    {
        var (store, _, runner, run) = await SetUpAsync(["c-1"]);
        var matrix = RelationshipMatrix.Default with { StrengthBounds = [3, 8, 20] };

        var error = await Assert.ThrowsAsync<ArgumentException>(() => runner.TickAsync(run with { At = T0, Matrix = matrix }, store));

        Assert.StartsWith("RelationshipMatrix.Tiers must have 4 rows (strength levels) of 3 names (longevity levels).", error.Message, StringComparison.Ordinal);
        Assert.Contains("'Best Friends' is not a trigger name", RelationshipMatrix.Default with { TopTiers = ["Best Friends"] } is var m ? m.Validate() : null, StringComparison.Ordinal);
    }

    private static async Task<(InMemoryPersonalizeStore Store, InMemorySink Sink, SendRunner Runner, TickRun Run)> SetUpAsync(string[] ids, IReadOnlyList<GoodDeal>? deals = null)
    {
        var engine = DecisionKit.Engine();
        var catalog = DecisionKit.Compile(engine, b => b
            .Add("best-friends-welcome", m => m.Relationship().On(Trigger.Tier("best_friends")).When("customer.tier == \"best_friends\"").Channel(Channel.Email, "tier/email"))
            .Add("spring-sale-early", m => m.Relationship().On(Trigger.Occasion("first_access.spring_sale")).When("customer.matrix.strength == 3").Channel(Channel.Email, "deal/email")));
        var content = SendingKit.Content(catalog, new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["tier/email.subject.sbn"] = "Welcome to {{ customer.tier }} (longevity {{ customer.matrix.longevity }}, strength {{ customer.matrix.strength }})",
            ["tier/email.text.sbn"] = "Thank you.",
            ["deal/email.subject.sbn"] = "The spring sale, two days early",
            ["deal/email.text.sbn"] = "For {{ customer.tier }} only.",
        });
        var store = new InMemoryPersonalizeStore();
        var customers = ids.Select(id => DecisionKit.Customer(id: id, stage: LifecycleStage.Exposure, consents: [DecisionKit.Grant(Channel.Email)], preferences: new ContactPreferences { ChannelRanking = [Channel.Email] })).ToList();
        Assert.True((await store.ImportCustomersAsync(customers)).Succeeded);
        var sink = new InMemorySink();
        var occasions = new LikeAFriendOptions { ThankFirstOrder = false, ThankEveryNthOrder = 0, MissAfter = null, Anniversary = false, GoodDeals = deals ?? [] };
        return (store, sink, SendingKit.Runner(sink, engine), new TickRun(catalog, content) { Occasions = occasions });
    }
}
