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

    [StoreFact]
    public async Task Recording_refuses_a_send_to_a_listed_contact_point_and_records_the_others_in_the_same_batch()
    {
        await using var scope = await OpenAsync();
        await scope.Store.ImportCustomersAsync([Customer("c-1", email: "ada@example.com"), Customer("c-2", email: "bob@example.com")]);
        var c1 = (await scope.Store.GetCustomerAsync("c-1"))!;
        var c2 = (await scope.Store.GetCustomerAsync("c-2"))!;
        var due = Scheduled("c-1", "reminder", Now);
        await scope.Store.RecordAsync(new SendBatch { Customers = [new CustomerSends { CustomerId = "c-1", Scheduled = [due] }] });
        c1 = (await scope.Store.GetCustomerAsync("c-1"))!;

        // Another worker lists Ada's address (in another case and with spaces) after the decision below was made.
        await scope.Store.SuppressAsync([new SuppressionRequest(ContactPointKind.Email, " ADA@Example.com ", SuppressionReasons.HardBounce, Now.AddMinutes(-1))]);
        var tips = Send("c-1", "tips", Now);
        var reminder = Send("c-1", "reminder", Now, channel: Channel.Sms) with { IdempotencyKey = due.IdempotencyKey };
        var push = Send("c-1", "app", Now, channel: Channel.Push);
        var bob = Send("c-2", "tips", Now);
        var result = await scope.Store.RecordAsync(new SendBatch
        {
            Customers =
            [
                new CustomerSends
                {
                    CustomerId = "c-1",
                    ExpectedVersion = c1.Version,
                    Deliveries = [tips, reminder, push],
                    ContactPoints =
                    [
                        new DeliveryContactPoint(tips.IdempotencyKey, ContactPointKind.Email, "ada@example.com"),
                        new DeliveryContactPoint(reminder.IdempotencyKey, ContactPointKind.Email, "ada@example.com"),
                        new DeliveryContactPoint(push.IdempotencyKey, ContactPointKind.DeviceToken, "apns-c-1"),
                    ],
                    Completions = [new ScheduledSendCompletion { IdempotencyKey = due.IdempotencyKey, State = ScheduledSendState.Sent, At = Now }],
                },
                new CustomerSends { CustomerId = "c-2", ExpectedVersion = c2.Version, Deliveries = [bob], ContactPoints = [new DeliveryContactPoint(bob.IdempotencyKey, ContactPointKind.Email, "bob@example.com")] },
            ],
        });

        Assert.Equal([WriteStatus.Written, WriteStatus.Written], result.Customers.Select(static c => c.Status));
        Assert.Equal([tips.IdempotencyKey, reminder.IdempotencyKey], result.Customers[0].Suppressed);
        Assert.True(result.Customers[0].WasSuppressed(tips.IdempotencyKey));
        Assert.Empty(result.Customers[1].Suppressed);
        Assert.Null(await scope.Store.FindDeliveryAsync(tips.IdempotencyKey));
        Assert.Null(await scope.Store.FindDeliveryAsync(reminder.IdempotencyKey));
        Assert.NotNull(await scope.Store.FindDeliveryAsync(push.IdempotencyKey));
        Assert.NotNull(await scope.Store.FindDeliveryAsync(bob.IdempotencyKey));
        var history = (await scope.Store.GetCustomerAsync("c-1"))!.Profile.History.Records;
        Assert.DoesNotContain(history, h => h.MessageId is "tips" or "reminder" && h.SentAt == Now);
        Assert.Contains(history, h => h.MessageId == "app");
        var dropped = Assert.Single((await scope.Store.ReadScheduledSendsAsync(new ScheduledSendQuery { CustomerId = "c-1", State = null, Limit = 10 })).Items);
        Assert.Equal((ScheduledSendState.Dropped, EligibilityCodes.ContactPointSuppressed), (dropped.State, dropped.Reason));
    }

    [StoreFact]
    public async Task A_push_is_refused_only_when_every_device_token_it_goes_to_is_listed()
    {
        await using var scope = await OpenAsync();
        await scope.Store.ImportCustomersAsync([Customer("c-1")]);
        await scope.Store.SuppressAsync([new SuppressionRequest(ContactPointKind.DeviceToken, "old-token", SuppressionReasons.HardBounce, Now)]);
        var one = Send("c-1", "app", Now, channel: Channel.Push);
        var both = Send("c-1", "app", Now.AddMinutes(1), channel: Channel.Push);
        var result = await scope.Store.RecordAsync(new SendBatch
        {
            Customers =
            [
                new CustomerSends
                {
                    CustomerId = "c-1",
                    Deliveries = [one, both],
                    ContactPoints =
                    [
                        new DeliveryContactPoint(one.IdempotencyKey, ContactPointKind.DeviceToken, "old-token"),
                        new DeliveryContactPoint(both.IdempotencyKey, ContactPointKind.DeviceToken, "old-token"),
                        new DeliveryContactPoint(both.IdempotencyKey, ContactPointKind.DeviceToken, "new-token"),
                    ],
                },
            ],
        });

        Assert.Equal([one.IdempotencyKey], Assert.Single(result.Customers).Suppressed);
        Assert.NotNull(await scope.Store.FindDeliveryAsync(both.IdempotencyKey));
    }

    [StoreFact]
    public async Task Consent_records_and_a_profile_change_are_written_together_with_their_method_evidence_or_not_at_all()
    {
        await using var scope = await OpenAsync();
        await scope.Store.ImportCustomersAsync([Customer("c-1")]);
        var before = (await scope.Store.GetCustomerAsync("c-1"))!;
        var evidence = Consent.MethodEvidence.Compute(new byte[32], "203.0.113.9", "Mozilla/5.0");
        var grant = ConsentRecord.Grant(ConsentScope.ForTopic("travel"), Now, Form, "pc-v4") with { MethodEvidence = evidence };
        var paused = before.Profile with { Preferences = before.Profile.Preferences with { PausedUntil = Now.AddDays(14) } };

        // A write that fails inside the transaction (a completion of a scheduled send the customer does not have) keeps neither.
        var bad = new CustomerSends
        {
            CustomerId = "c-1",
            ExpectedVersion = before.Version,
            Consents = [grant],
            Profile = paused,
            Completions = [new ScheduledSendCompletion { IdempotencyKey = "pz1_nosuchkeynosuchkeynosuchkeynosu", State = ScheduledSendState.Dropped, Reason = "x", At = Now }],
        };
        await Assert.ThrowsAsync<ArgumentException>(async () => await scope.Store.RecordAsync(new SendBatch { Customers = [bad] }));
        var untouched = (await scope.Store.GetCustomerAsync("c-1"))!;

        var written = await scope.Store.RecordAsync(new SendBatch { Customers = [new CustomerSends { CustomerId = "c-1", ExpectedVersion = before.Version, Consents = [grant], Profile = paused }] });
        var after = (await scope.Store.GetCustomerAsync("c-1"))!;

        Assert.Equal((before.Version, before.Profile.Consents.Records.Count, (DateTimeOffset?)null), (untouched.Version, untouched.Profile.Consents.Records.Count, untouched.Profile.Preferences.PausedUntil));
        Assert.Equal(WriteStatus.Written, Assert.Single(written.Customers).Status);
        Assert.True(after.Version > before.Version);
        Assert.Equal(Now.AddDays(14), after.Profile.Preferences.PausedUntil);
        Assert.Equal(grant, after.Profile.Consents.Records[^1]);
        Assert.Equal(evidence, after.Profile.Consents.Records[^1].MethodEvidence);
    }

    [StoreFact]
    public async Task A_consent_record_carrying_a_raw_address_as_method_evidence_is_refused()
    {
        await using var scope = await OpenAsync();
        await scope.Store.ImportCustomersAsync([Customer("c-1")]);
        var raw = ConsentRecord.Grant(ConsentScope.ForTopic("travel"), Now, Form, "pc-v4") with { MethodEvidence = "203.0.113.9 Mozilla/5.0" };

        var ex = await Assert.ThrowsAsync<ArgumentException>(async () => await scope.Store.AppendConsentAsync("c-1", [raw]));

        Assert.Contains("never store the IP address or user agent", ex.Message, StringComparison.Ordinal);
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
