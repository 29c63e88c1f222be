using Personalize.Channels;
using Personalize.Events;
using Personalize.Journeys;
using Personalize.Sending;
using Personalize.Tests.Decisions;
using static Personalize.Tests.Events.EventKit;
using static Personalize.Tests.Journeys.JourneyKit;

namespace Personalize.Tests.Journeys;

/// <summary>The tick enters journeys on the occasions it fires and advances the due ones; the due pass advances them too.</summary>
public sealed class JourneyTickTests
{
    private static JourneyDefinition ThankYou(JourneyKit kit) => new JourneyBuilder("renewal")
        .EnteredOn("occasion:thank_you")
        .Send("call", "call", Channel.Phone)
        .Wait("two_days", TimeSpan.FromHours(48))
        .Send("letter", "reminder")
        .Build(kit.Catalog);

    [Fact]
    public async Task A_tick_enters_the_customers_its_occasion_fires_for_and_runs_their_first_step_and_the_due_pass_runs_the_rest()
    {
        var kit = await CreateAsync(Customer("c-1"), Customer("c-2"));
        var set = kit.Set(ThankYou(kit));
        await new EventIngestor().IngestAsync(Stream([Event("o-1", "c-1", "order_placed", T0.AddHours(-3))]), kit.Store, T0);
        var tick = new TickRun(kit.Catalog, kit.Templates) { Journeys = set };

        var first = await kit.Runner.TickAsync(tick with { At = T0 }, kit.Store);

        Assert.Equal(1, first.Fired["thank_you"]);
        Assert.Equal((1L, 1L), (first.Journeys!.Entered, first.Journeys.Instances));
        Assert.Equal(["c-1:call:phone"], kit.Sent());
        var waiting = await kit.InstanceAsync("c-1");
        Assert.Equal(("two_days", T0.AddHours(48)), (waiting.StepId, waiting.WakeAt!.Value));
        Assert.StartsWith("occasion:thank_you", waiting.History[0].Detail, StringComparison.Ordinal);
        Assert.Empty(await kit.InstancesAsync("c-2"));

        // The occasion fires once, so the customer enters once; nothing is due yet.
        var second = await kit.Runner.TickAsync(tick with { At = T0.AddHours(6) }, kit.Store);
        Assert.Equal((0L, 0L), (second.Journeys!.Entered, second.Journeys.Instances));

        var due = await kit.Runner.SendDueAsync(new DueRun(kit.Catalog, kit.Templates) { At = T0.AddHours(48), Journeys = set }, kit.Store);

        Assert.Equal((1L, 1L), (due.Journeys!.Instances, due.Journeys.Completed));
        Assert.Equal(1, due.Totals.Sent["email"]); // a journey's send is counted though no scheduled send was due
        Assert.Equal(["c-1:call:phone", "c-1:reminder:email"], kit.Sent());
        Assert.Equal(["call:sent", "two_days:waiting", "two_days:waited", "letter:sent", "letter:completed"], Steps(await kit.InstanceAsync("c-1")));
    }

    [Fact]
    public async Task A_due_pass_without_journeys_leaves_them_where_they_are()
    {
        var kit = await CreateAsync(Customer("c-1"));
        var set = kit.Set(ThankYou(kit));
        await new EventIngestor().IngestAsync(Stream([Event("o-1", "c-1", "order_placed", T0.AddHours(-3))]), kit.Store, T0);
        await kit.Runner.TickAsync(new TickRun(kit.Catalog, kit.Templates) { At = T0, Journeys = set }, kit.Store);

        var due = await kit.Runner.SendDueAsync(new DueRun(kit.Catalog, kit.Templates) { At = T0.AddDays(3) }, kit.Store);

        Assert.Null(due.Journeys);
        Assert.Equal("two_days", (await kit.InstanceAsync("c-1")).StepId);
    }

    [Fact]
    public async Task Journeys_loaded_with_another_catalog_are_refused_with_a_clear_error()
    {
        var kit = await CreateAsync(Customer("c-1"));
        var set = kit.Set(ThankYou(kit));
        var other = DecisionKit.Compile(DecisionKit.Engine(), Messages);

        var tick = await Assert.ThrowsAsync<ArgumentException>(() => kit.Runner.TickAsync(new TickRun(other, kit.Templates) { At = T0, Journeys = set }, kit.Store));
        var due = await Assert.ThrowsAsync<ArgumentException>(() => kit.Runner.SendDueAsync(new DueRun(other, kit.Templates) { At = T0, Journeys = set }, kit.Store));

        Assert.Contains("TickRun.Journeys was loaded with another catalog", tick.Message, StringComparison.Ordinal);
        Assert.Contains("DueRun.Journeys was loaded with another catalog", due.Message, StringComparison.Ordinal);
    }
}
