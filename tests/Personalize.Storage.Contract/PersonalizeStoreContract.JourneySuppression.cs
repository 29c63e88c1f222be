using Personalize.Catalog;
using Personalize.Channels;
using Personalize.Consent;
using Personalize.Customers;
using Personalize.Delivery.Sinks;
using Personalize.Eligibility;
using Personalize.Journeys;
using Personalize.Sending;
using Personalize.Templates;
using Personalize.Testing;
using Xunit;
using static Personalize.Storage.Contract.StoreKit;

namespace Personalize.Storage.Contract;

public abstract partial class PersonalizeStoreContract
{
    // ---------------------------------------------------------------- a journey step the suppression list refuses as it is recorded

    private static readonly CompiledCatalog NoticeCatalog = MessageCatalog.CreateBuilder()
        .Add("notice", m => m.Service().On(Trigger.Journey("renewal")).Channel(Channel.Email, "notice/email").Channel(Channel.Sms, "notice/sms"))
        .Build()
        .Compile(new CatalogValidationOptions { Channels = ChannelRegistry.Default });

    private static readonly MemoryTemplates NoticeTemplates = new(new Dictionary<string, string>
    {
        ["notice/email.subject.sbn"] = "Your renewal",
        ["notice/email.text.sbn"] = "Your policy renews soon.",
        ["notice/sms.body.sbn"] = "Your policy renews soon.",
    });

    [StoreFact]
    public Task A_journey_step_whose_address_is_suppressed_as_it_is_recorded_is_skipped_with_the_reason() => SuppressedAsItIsRecordedAsync(SuppressedStepPolicy.Skip);

    [StoreFact]
    public Task A_journey_step_whose_address_is_suppressed_as_it_is_recorded_is_retried_later() => SuppressedAsItIsRecordedAsync(SuppressedStepPolicy.Retry);

    [StoreFact]
    public Task A_journey_step_whose_address_is_suppressed_as_it_is_recorded_ends_the_journey_when_its_policy_is_exit() => SuppressedAsItIsRecordedAsync(SuppressedStepPolicy.Exit);

    /// <summary>The step's message is never recorded as sent nor handed over; the step follows its policy, with the reason.</summary>
    private async Task SuppressedAsItIsRecordedAsync(SuppressedStepPolicy policy)
    {
        await using var scope = await OpenAsync();
        var customer = Bare("c-1") with
        {
            ContactPoints = new ContactPoints { Email = "ada@example.com", Phone = "+64211234567" },
            Consents = new ConsentLedger([ConsentRecord.Grant(ConsentScope.ForChannel(Channel.Email), Now.AddDays(-30), Form, "v1"), ConsentRecord.Grant(ConsentScope.ForChannel(Channel.Sms), Now.AddDays(-30), Form, "v1")]),
        };
        await scope.Store.ImportCustomersAsync([customer]);
        var journeys = JourneySet.Create(
            [new JourneyBuilder("renewal").EnteredOn("event:renewal_due")
                .Step(new SendStep { Id = "mail", MessageId = "notice", Channel = Channel.Email, WhenSuppressed = policy, RetryAfter = TimeSpan.FromDays(1), MaxAttempts = 3 })
                .Send("text", "notice", Channel.Sms)
                .Build(NoticeCatalog)],
            NoticeCatalog);
        var entered = new JourneyInstance { CustomerId = "c-1", JourneyId = "renewal", InstanceId = "1", Version = 1, Revision = 1, StepId = "mail", StepSince = Now, WakeAt = Now, StartedAt = Now, UpdatedAt = Now };
        await scope.Store.RecordAsync(new SendBatch { Customers = [new CustomerSends { CustomerId = "c-1", Journeys = [entered] }] });

        // A hard bounce from another worker lands between the pass's read and its write.
        var sink = new InMemorySink();
        var (provider, runner) = SendHost.Create(Now, sink);
        using var services = provider;
        var store = new SuppressingOnRecord(scope.Store, new SuppressionRequest(ContactPointKind.Email, "ada@example.com", SuppressionReasons.HardBounce, Now));
        var summary = await runner.AdvanceJourneysAsync(new JourneyRun(journeys, MessageTemplates.CompileOrThrow(NoticeCatalog, NoticeTemplates)) { At = Now }, store);

        var instance = Assert.Single((await scope.Store.ReadJourneysAsync(new JourneyQuery { CustomerId = "c-1" })).Items);
        var mail = instance.History.First(static h => h.StepId == "mail");
        Assert.DoesNotContain(instance.History, static h => h.StepId == "mail" && h.Outcome == JourneyOutcomes.Sent);
        Assert.Empty(summary.Errors);
        Assert.Equal(1, summary.Sends.Suppressed.GetValueOrDefault(EligibilityCodes.ContactPointSuppressed));
        Assert.DoesNotContain(sink.Messages, static m => m.Channel == Channel.Email);
        switch (policy)
        {
            case SuppressedStepPolicy.Skip:
                Assert.Equal((JourneyOutcomes.Skipped, EligibilityCodes.ContactPointSuppressed), (mail.Outcome, mail.Detail));
                Assert.Equal(JourneyStatus.Completed, instance.Status);
                Assert.Equal([Channel.Sms], sink.Messages.Select(static m => m.Channel));
                break;
            case SuppressedStepPolicy.Retry:
                Assert.Equal(JourneyOutcomes.Retrying, mail.Outcome);
                Assert.StartsWith(EligibilityCodes.ContactPointSuppressed, mail.Detail, StringComparison.Ordinal);
                Assert.Equal((JourneyStatus.Active, "mail", 1, (DateTimeOffset?)Now.AddDays(1)), (instance.Status, instance.StepId, instance.Attempt, instance.WakeAt));
                Assert.Empty(sink.Messages);
                break;
            default:
                Assert.Equal((JourneyStatus.Exited, EligibilityCodes.ContactPointSuppressed), (instance.Status, instance.ExitReason));
                Assert.Empty(sink.Messages);
                break;
        }
    }

    /// <summary>Puts a contact point on the suppression list just before the first write that records a delivery.</summary>
    private sealed class SuppressingOnRecord(IPersonalizeStore inner, SuppressionRequest request) : DelegatingStore(inner)
    {
        private bool _done;

        public override async ValueTask<SendBatchResult> RecordAsync(SendBatch batch, CancellationToken cancellationToken = default)
        {
            if (!_done && batch.Customers.Any(static c => c.Deliveries.Count > 0))
            {
                _done = true;
                await Inner.SuppressAsync([request], cancellationToken);
            }

            return await Inner.RecordAsync(batch, cancellationToken);
        }
    }
}
