using Personalize.Catalog;
using Personalize.Channels;
using Personalize.Consent;
using Personalize.Delivery.Sinks;
using Personalize.Journeys;
using Personalize.Sending;
using Personalize.Serialization;
using Personalize.Storage;
using Personalize.Tests.Decisions;
using Personalize.Tests.Sending;
using Personalize.Templates;
using Personalize.Timing;
using static Personalize.Tests.Events.EventKit;

namespace Personalize.Tests.Journeys;

/// <summary>The console sample's HMS-style renewal journey (data/journeys.json) walked through 30 days with a moving clock.</summary>
public sealed class SampleRenewalJourneyTests
{
    private static readonly string Data = Path.Combine(AppContext.BaseDirectory, "data");

    /// <summary>Monday 2 March 2026, 09:00 UTC.</summary>
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task The_renewal_journey_calls_writes_follows_up_and_calls_again_and_a_renewal_or_a_withdrawal_changes_the_way()
    {
        var engine = DecisionKit.Engine(personalize: o =>
        {
            o.AddChannel("whatsapp", ContactPointKind.MobilePhone, "WhatsApp");
            o.DefaultQuietHours = new TimeWindow(new TimeOnly(21, 0), new TimeOnly(8, 0));
        });
        var catalog = CatalogJson.Compile(File.ReadAllBytes(Path.Combine(Data, "catalog.json")), new CatalogValidationOptions { Channels = engine.Eligibility.Channels });
        var templates = MessageTemplates.CompileOrThrow(catalog, new FolderTemplateLoader(Path.Combine(Data, "templates")));
        var journeys = JourneyJson.Load(File.ReadAllBytes(Path.Combine(Data, "journeys.json")), catalog);
        var store = new InMemoryPersonalizeStore();
        Assert.True((await store.ImportCustomersAsync(new CustomerJson(engine.Eligibility.Channels).ReadCustomers(File.ReadAllBytes(Path.Combine(Data, "customers.json"))))).Succeeded);
        var sink = new InMemorySink();
        var runner = SendingKit.Runner(sink, engine);
        var run = new EventRun(catalog, templates) { Journeys = journeys };

        // c-044 goes the whole way; c-032 renews a day and a half in; c-008 withdrew phone consent the day before.
        await store.AppendConsentAsync("c-008", [ConsentRecord.Withdraw(ConsentScope.ForChannel(Channel.Phone), T0.AddDays(-1), ConsentSource.Form("preference center"))]);
        await runner.IngestAsync(run with { At = T0 }, Stream([Event("r-032", "c-032", "renewal_due", T0), Event("r-044", "c-044", "renewal_due", T0), Event("r-008", "c-008", "renewal_due", T0)]), store);
        for (var at = T0.AddHours(1); at <= T0.AddDays(30); at = at.AddHours(1))
        {
            if (at == T0.AddHours(36))
            {
                await runner.IngestAsync(run with { At = at }, Stream([Event("renewed-032", "c-032", "renewed", at.AddMinutes(-10))]), store);
            }

            await runner.AdvanceJourneysAsync(new JourneyRun(journeys, templates) { At = at }, store);
        }

        var whole = await InstanceAsync(store, "c-044");
        Assert.Equal(JourneyStatus.Completed, whole.Status);
        Assert.Equal(
            ["thank_you_call:sent", "personal_letter:sent", "follow_up_mailing:sent", "outbound_call:sent"],
            whole.History.Where(static h => h.Outcome == JourneyOutcomes.Sent).Select(static h => h.StepId + ":" + h.Outcome));
        Assert.Equal(
            ["renewal-thank-you-call:phone", "renewal-personal-letter:direct_mail", "renewal-follow-up:direct_mail", "renewal-outbound-call:phone"],
            sink.Messages.Where(static m => m.CustomerId == "c-044").Select(static m => m.MessageId + ":" + m.Channel));
        var letter = sink.Messages.Single(static m => m.CustomerId == "c-044" && m.MessageId == "renewal-personal-letter");
        var call = sink.Messages.Single(static m => m.CustomerId == "c-044" && m.MessageId == "renewal-thank-you-call");
        Assert.InRange(letter.SendAt - call.SendAt, TimeSpan.FromHours(48), TimeSpan.FromHours(49));

        var renewed = await InstanceAsync(store, "c-032");
        Assert.Equal((JourneyStatus.Exited, "renewed"), (renewed.Status, renewed.ExitReason));
        Assert.Equal(["renewal-thank-you-call"], sink.Messages.Where(static m => m.CustomerId == "c-032").Select(static m => m.MessageId));

        var withdrew = await InstanceAsync(store, "c-008");
        var skipped = withdrew.History.First(static h => h.StepId == "thank_you_call");
        Assert.Equal(JourneyOutcomes.Skipped, skipped.Outcome);
        Assert.StartsWith("consent.", skipped.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(sink.Messages, static m => m.CustomerId == "c-008" && m.Channel == Channel.Phone);
        Assert.Contains(sink.Messages, static m => m.CustomerId == "c-008" && m.MessageId == "renewal-personal-letter");
    }

    private static async Task<JourneyInstance> InstanceAsync(IPersonalizeStore store, string customerId)
        => Assert.Single((await store.ReadJourneysAsync(new JourneyQuery { CustomerId = customerId })).Items);
}
