using Personalize.Channels;
using Personalize.Consent;
using Xunit;
using static Personalize.Storage.Contract.StoreKit;

namespace Personalize.Storage.Contract;

/// <summary>The double opt-in requests of a window, read without reading every customer (the confirmation sweep's query).</summary>
public abstract partial class PersonalizeStoreContract
{
    [StoreFact]
    public async Task Pending_double_opt_in_requests_of_a_window_page_by_instant_then_customer()
    {
        await using var scope = await OpenAsync();
        var email = ConsentScope.ForChannel(Channel.Email, ContactPurpose.Marketing);
        var old = Pending(email, Now.AddDays(-10));
        var adaEmail = Pending(email, Now.AddDays(-2));
        var bertaTopic = Pending(ConsentScope.ForTopic("gardening"), Now.AddHours(-1));
        var bertaSms = Pending(ConsentScope.ForChannel(Channel.Sms, ContactPurpose.Marketing), Now.AddHours(-1));
        await scope.Store.ImportCustomersAsync(
        [
            Bare("c-ada"),
            Bare("c-berta"),
            Bare("c-carl") with { Consents = new ConsentLedger([old]) },
            Bare("c-dora"),
        ]);

        // Ada's confirmation, a single opt-in and a withdrawal are not requests; Berta asks for two scopes at once.
        await scope.Store.AppendConsentAsync("c-ada", [adaEmail, adaEmail with { RecordedAt = Now.AddDays(-1), ConfirmedAt = Now.AddDays(-1) }]);
        await scope.Store.AppendConsentAsync("c-dora", [ConsentRecord.Grant(email, Now.AddHours(-2), Form, "v1"), ConsentRecord.Withdraw(email, Now.AddHours(-1), Form)]);
        await scope.Store.AppendConsentAsync("c-berta", [bertaTopic, bertaSms]);

        var first = await scope.Store.ReadPendingConsentsAsync(new PendingConsentQuery { Since = Now.AddDays(-7), Limit = 2 });
        var second = await scope.Store.ReadPendingConsentsAsync(new PendingConsentQuery { Since = Now.AddDays(-7), Limit = 2, ContinueAfter = first.ContinueAfter });
        var everyRequest = await scope.Store.ReadPendingConsentsAsync(new PendingConsentQuery());

        Assert.Equal([new PendingConsent("c-ada", adaEmail), new PendingConsent("c-berta", bertaTopic)], first.Items);
        Assert.True(first.HasMore);
        Assert.Equal([new PendingConsent("c-berta", bertaSms)], second.Items);
        Assert.False(second.HasMore);
        Assert.Equal(["c-carl", "c-ada", "c-berta", "c-berta"], everyRequest.Items.Select(p => p.CustomerId));
        Assert.Empty((await scope.Store.ReadPendingConsentsAsync(new PendingConsentQuery { Since = Now })).Items);
        await Assert.ThrowsAsync<ArgumentException>(async () => await scope.Store.ReadPendingConsentsAsync(new PendingConsentQuery { ContinueAfter = "not a token" }));
    }

    [StoreFact]
    public async Task An_erased_customers_requests_are_gone_from_the_pending_requests()
    {
        await using var scope = await OpenAsync();
        await scope.Store.ImportCustomersAsync([Bare("c-1"), Bare("c-2")]);
        await scope.Store.AppendConsentAsync("c-1", [Pending(ConsentScope.ForTopic("gardening"), Now.AddHours(-1))]);
        await scope.Store.AppendConsentAsync("c-2", [Pending(ConsentScope.ForTopic("gardening"), Now.AddHours(-2))]);

        await scope.Store.EraseCustomerAsync("c-2", Now);

        Assert.Equal(["c-1"], (await scope.Store.ReadPendingConsentsAsync(new PendingConsentQuery())).Items.Select(p => p.CustomerId));
    }

    private static ConsentRecord Pending(ConsentScope scope, DateTimeOffset at)
        => ConsentRecord.Grant(scope, at, Form, "v1", OptInMethod.Double) with { Wording = "Tips by email" };
}
