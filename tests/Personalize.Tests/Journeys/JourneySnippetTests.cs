using Personalize.Catalog;
using Personalize.Channels;
using Personalize.Journeys;
using Personalize.Sending;
using Personalize.Storage;
using Personalize.Tests.Decisions;
using Personalize.Tests.Sending;
using Personalize.Testing;
using static Personalize.Tests.Events.EventKit;

namespace Personalize.Tests.Journeys;

/// <summary>The C# of docs/journeys.md, compiled and run.</summary>
public sealed class JourneySnippetTests
{
    [Fact]
    public async Task The_documented_journey_builds_runs_and_is_read_back()
    {
        var engine = DecisionKit.Engine();
        var catalog = DecisionKit.Compile(engine, b => b
            .Add("renewal-thank-you-call", m => m.Relationship().On(Trigger.Journey("renewal")).Channel(Channel.Phone, "call/phone"))
            .Add("renewal-letter", m => m.Service().On(Trigger.Journey("renewal")).Channel(Channel.DirectMail, "letter/mail"))
            .Add("renewal-call", m => m.Service().On(Trigger.Journey("renewal")).Channel(Channel.Phone, "call/phone"))
            .Add("renewal-reminder", m => m.Service().On(Trigger.Journey("renewal")).Channel(Channel.Email, "reminder/email")));
        var files = JourneyKit.TemplateFiles();
        files["letter/mail.body.sbn"] = "Dear customer, your policy renews soon.";
        var templates = SendingKit.Content(catalog, files);
        var store = new InMemoryPersonalizeStore();
        await store.ImportCustomersAsync([JourneyKit.Customer("c-042")]);
        var sink = new Personalize.Delivery.Sinks.InMemorySink();
        var runner = SendingKit.Runner(sink, engine);
        var events = Stream([Event("e-1", "c-042", "renewal_due", JourneyKit.T0)]);

        // begin-snippet: journey-build
        var renewal = new JourneyBuilder("renewal")
            .EnteredOn("event:renewal_due", when: "customer.stage == 'retention'")
            .ExitOnEvent("renewed")
            .ExitWhen("complaint", "customer.open_complaint")
            .Send("thank_you_call", "renewal-thank-you-call", Channel.Phone)
            .Wait("two_days", TimeSpan.FromHours(48))
            .Send("letter", "renewal-letter", Channel.DirectMail, SuppressedStepPolicy.Retry)
            .WaitUntil("monday", new TimeOnly(10, 0), DayOfWeek.Monday)
            .WaitFor("await_renewal", "renewal_page_visited", TimeSpan.FromDays(7), onEvent: "reminder", onTimeout: "call")
            .Send("call", "renewal-call", Channel.Phone)
            .Send("reminder", "renewal-reminder")
            .Build(catalog);
        var journeys = JourneySet.Create([renewal], catalog);   // or JourneyJson.Load(File.ReadAllBytes("journeys.json"), catalog)
        // end-snippet

        // begin-snippet: journey-run
        // Events enter customers and advance them at once (exits, awaited events, the first steps):
        await runner.IngestAsync(new EventRun(catalog, templates) { Journeys = journeys }, events, store);

        // The tick enters customers on the occasions it fires (occasion:NAME) and its stage changes, and runs the steps due:
        var tick = await runner.TickAsync(new TickRun(catalog, templates) { Journeys = journeys }, store);

        // The due pass sends the deferred messages that became due and runs every journey step whose time has come
        // (call it every few minutes):
        var due = await runner.SendDueAsync(new DueRun(catalog, templates) { Journeys = journeys }, store);
        var pass = due.Journeys!;
        Console.WriteLine($"{pass.Instances} instances, {pass.Steps} steps, {pass.Sends.TotalSent} sent, {pass.Completed} completed");

        // Or the journeys alone (JourneyRun.CustomerIds: only those customers, due or not):
        await runner.AdvanceJourneysAsync(new JourneyRun(journeys, templates), store);
        // end-snippet

        Assert.Equal(0, tick.Journeys!.Entered);
        // begin-snippet: journey-read
        var page = await store.ReadJourneysAsync(new JourneyQuery { CustomerId = "c-042" });
        foreach (var instance in page.Items)
        {
            Console.WriteLine($"{instance.JourneyId} v{instance.Version}: {instance.Status} at {instance.StepId}, next {instance.WakeAt}");
            foreach (var step in instance.History)
            {
                Console.WriteLine($"  {step.At:u} {step.StepId} {step.Outcome} {step.Detail}");
            }
        }
        // end-snippet

        var read = Assert.Single(page.Items);
        Assert.Equal(("two_days", JourneyStatus.Active), (read.StepId, read.Status));
        Assert.Equal("renewal-thank-you-call", Assert.Single(sink.Messages).MessageId);
        foreach (var name in new[] { "journey-build", "journey-run", "journey-read" })
        {
            DocSnippets.AssertShown("tests/Personalize.Tests/Journeys/JourneySnippetTests.cs", name, "docs/journeys.md");
        }
    }
}
