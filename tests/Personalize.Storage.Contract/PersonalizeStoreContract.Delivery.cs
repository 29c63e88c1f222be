using Personalize.Channels;
using Personalize.Consent;
using Personalize.Eligibility;
using Personalize.Events;
using Xunit;
using static Personalize.Storage.Contract.StoreKit;

namespace Personalize.Storage.Contract;

public abstract partial class PersonalizeStoreContract
{
    // ---------------------------------------------------------------- delivery events

    [StoreFact]
    public async Task A_hard_bounce_lists_the_address_refuses_email_and_a_complaint_withdraws_marketing_with_evidence()
    {
        await using var scope = await OpenAsync();
        await scope.Store.ImportCustomersAsync([Customer("c-1", email: "Ada@Example.com"), Customer("c-2")]);
        var events = new[]
        {
            Event("b-1", "c-1", DeliveryEvents.Bounced, Now.AddHours(-2), """{"channel":"email","bounce":"hard","recipient":"ada@example.com","provider":"acme"}"""),
            Event("x-1", "c-2", DeliveryEvents.Complained, Now.AddHours(-1), """{"channel":"email","provider":"acme"}"""),
        };

        var first = await new EventIngestor().IngestAsync(ToAsync(events), scope.Store, Now);
        var again = await new EventIngestor().IngestAsync(ToAsync(events), scope.Store, Now);

        Assert.Equal((2L, 0L, 2L), (first.Applied, again.Applied, again.Duplicates));
        var entry = await scope.Store.FindSuppressionAsync(ContactPointKind.Email, "ADA@example.com");
        Assert.Equal((SuppressionReasons.HardBounce, Now.AddHours(-2)), (entry!.Reason, entry.At));
        var bounced = (await scope.Store.GetCustomerAsync("c-1"))!.Profile;
        Assert.Equal("ada@example.com", bounced.Facts.ValueOf("suppressed.email"));
        var eligibility = new ContactEligibility(new PersonalizeOptions(), TimeProvider.System);
        Assert.Equal(EligibilityCodes.ContactPointSuppressed, eligibility.CheckConsent(bounced, Channel.Email, ContactPurpose.Service, Now).Code);
        Assert.Equal(EligibilityCodes.Allowed, eligibility.CheckConsent(bounced, Channel.Sms, ContactPurpose.Service, Now).Code);

        var complained = (await scope.Store.GetCustomerAsync("c-2"))!.Profile;
        var withdrawal = Assert.Single(complained.Consents.Records, r => r.Source.Detail?.StartsWith("spam complaint", StringComparison.Ordinal) == true);
        Assert.Equal((ConsentScope.ForChannel(Channel.Email, ContactPurpose.Marketing), Now.AddHours(-1), "spam complaint via acme (event x-1)"), (withdrawal.Scope, withdrawal.RecordedAt, withdrawal.Source.Detail));
        var marketing = eligibility.CheckConsent(complained, Channel.Email, ContactPurpose.Marketing, Now);
        Assert.Equal(EligibilityCodes.ConsentWithdrawn, marketing.Code);
        Assert.Contains("spam complaint via acme (event x-1)", marketing.Reason, StringComparison.Ordinal);
    }

    private static async IAsyncEnumerable<CustomerEvent> ToAsync(IEnumerable<CustomerEvent> events)
    {
        foreach (var e in events)
        {
            await Task.Yield();
            yield return e;
        }
    }
}
